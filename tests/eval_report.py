"""Side-by-side answer quality: the assistant and plain BM25 over its own exported knowledge, per category, on the
tuning and checking halves of each development set, then the conversation sets. Run with `make eval`.
The shared sets live in shared/eval; the project's own held-out sets (written independently of the knowledge, in
tests/data/heldout) are scored the same way."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
HELDOUT = ROOT / "tests" / "data" / "heldout"


def _load_eval_modules():
    """Import the shared scorer and baseline (they live beside the project, not in it)."""
    sys.path.insert(0, str(EVAL))
    import baselines  # noqa: E402
    import score  # noqa: E402
    return score, baselines


def _assistant_replies(questions: list[str]) -> list[dict]:
    """Ask every question through the ask interface in one process, as the scorer does."""
    proc = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "-"], cwd=ROOT, capture_output=True,
                          text=True, input="".join(q.replace("\n", " ") + "\n" for q in questions), check=True)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def _table(rows: dict[str, dict[str, list[int]]], columns: list[str]) -> list[str]:
    cats = sorted({c for col in rows.values() for c in col})
    out = [f"  {'category':<22}" + "".join(f"{name:>16}" for name in columns)]
    for cat in cats + ["ALL"]:
        cells = []
        for name in columns:
            col = rows[name]
            ok, n = (sum(v[0] for v in col.values()), sum(v[1] for v in col.values())) if cat == "ALL" \
                else tuple(col.get(cat, [0, 0]))
            cells.append(f"{ok:>4}/{n:<4} {ok / n:5.0%}" if n else f"{'-':>16}")
        out.append(f"  {cat:<22}" + "".join(f"{c:>16}" for c in cells))
    return out


def report(path: Path, score, baselines, bm25, threshold: float) -> None:
    """Print the per-category table for one development set, both halves, assistant and BM25."""
    set_name = path.name if path.parent == EVAL else str(path.relative_to(ROOT))
    cases = yaml.safe_load(path.read_text())
    replies = _assistant_replies([c["q"] for c in cases])
    rows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    wrong_codes = coding = escalated = disclosures = false_alarms = mentions = 0
    for i, (case, reply) in enumerate(zip(cases, replies)):
        half = "tune" if i % 2 == 0 else "check"
        cat = case.get("cat", "other")
        ok = not score.check(case, reply)
        doc, s = bm25.top(case["q"])
        base = {"kind": "answer" if s >= threshold else "fallback", "text": doc["text"] if s >= threshold else "",
                "codes": doc["codes"] if s >= threshold else []}
        base_ok = not score.check(case, base)
        for name, passed in ((f"assistant {half}", ok), (f"BM25 {half}", base_ok)):
            rows[name][cat][0] += passed
            rows[name][cat][1] += 1
        want = case.get("expect", {}).get("code")
        if want is not None:
            coding += 1
            wrong_codes += bool(reply.get("codes")) and reply["codes"][0] != want and reply.get("kind") == "code"
        if case.get("expect", {}).get("kind") == "safeguarding":
            disclosures += 1
            escalated += reply.get("kind") == "safeguarding"
        if case.get("expect", {}).get("not_kind") == "safeguarding":
            mentions += 1
            false_alarms += reply.get("kind") == "safeguarding"
    print(f"\n{set_name}: {len(cases)} questions (tune = even positions, check = odd)")
    for line in _table(rows, ["assistant tune", "assistant check", "BM25 tune", "BM25 check"]):
        print(line)
    if coding:
        print(f"  confidently wrong codes: {wrong_codes}/{coding} ({wrong_codes / coding:.1%}) of questions with a code")
    if disclosures:
        print(f"  disclosures escalated: {escalated}/{disclosures}; false alarms on mentions: {false_alarms}/{mentions}")


def conversations(path: Path) -> None:
    """Score one multi-turn set through one converse process, both halves."""
    name = path.name if path.parent == EVAL else str(path.relative_to(ROOT))
    for half in ("tune", "check"):
        proc = subprocess.run([sys.executable, str(EVAL / "converse_score.py"), str(path),
                               "--half", half, "--quiet", "--cmd", f"{sys.executable} -m bot converse"],
                              cwd=ROOT, capture_output=True, text=True)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("score:")), proc.stdout[-300:])
        print(f"{name} {half}: {line}")


def risk_messages(path: Path) -> None:
    """Score a set of messages in three lists, both halves: risks must be escalated, mentions must not be, and
    out-of-scope questions must get the plain fallback."""
    sets = yaml.safe_load(path.read_text())
    for half, start in (("tune", 0), ("check", 1)):
        cells = []
        for key, passes in (("risk", lambda r: r["kind"] == "safeguarding"),
                            ("mention", lambda r: r["kind"] != "safeguarding"),
                            ("out_of_scope", lambda r: r["kind"] == "fallback")):
            items = sets.get(key, [])[start::2]
            if items:
                replies = _assistant_replies(items)
                cells.append(f"{key} {sum(passes(r) for r in replies)}/{len(items)}")
        print(f"{path.relative_to(ROOT)} {half}: {', '.join(cells)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    own = [str(p) for p in [*sorted(HELDOUT.glob("questions*.yaml")), *sorted(HELDOUT.glob("coding_fresh*.yaml"))]]
    parser.add_argument("--sets", nargs="*", default=["dev.yaml", "dev2.yaml", *own],
                        help="single-question sets: names in shared/eval, or paths")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"eval: {EVAL} not found; the development sets live beside the project in shared/eval")
        return 2
    score, baselines = _load_eval_modules()
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl") as kb:
        subprocess.run([sys.executable, "-m", "bot", "export", "--json"], cwd=ROOT, stdout=kb, check=True)
        kb.flush()
        docs = baselines.load_kb(kb.name)
    bm25 = baselines.BM25(docs)
    dev = yaml.safe_load((EVAL / "dev.yaml").read_text())
    # the baseline's threshold is tuned on dev.yaml in its favour, as baselines.py does
    thresholds = sorted({round(bm25.top(c["q"])[1], 4) for c in dev}) + [float("inf")]
    threshold = max([-1e9] + thresholds, key=lambda t: baselines.acc(baselines.evaluate(bm25, dev, t)[0]))
    print(f"BM25 baseline over the exported knowledge ({len(docs)} entries), threshold {threshold:.3f}")
    for name in args.sets:
        report(EVAL / name if (EVAL / name).is_file() else Path(name).resolve(), score, baselines, bm25, threshold)
    print()
    for path in sorted(HELDOUT.glob("safeguarding_fresh*.yaml")):
        risk_messages(path)
    print()
    for path in (EVAL / "conversations.yaml", *sorted(HELDOUT.glob("conversations*.yaml"))):
        conversations(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
