"""The JSON contracts of ask, converse and export, and clear answers to bad input."""
import json

import pytest

from tests.conftest import FIXTURES, run_cli

REPLY_FIELDS = {"kind", "id", "title", "text", "codes", "confidence", "sources", "suggestions", "buttons"}


@pytest.fixture
def mini_config(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {FIXTURES / 'mini'}\ndatabase: {tmp_path / 'state.db'}\n")
    return str(config)


def test_ask_json_writes_one_object_per_line_in_order(mini_config):
    questions = "how long can the register stay open\n\nwhat does HYCA stand for\nqwertyuiop zxcvbnm\n"
    result = run_cli("--config", mini_config, "ask", "--json", "-", stdin=questions)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 4
    assert all({"query"} | REPLY_FIELDS <= set(obj) for obj in lines)
    assert lines[0]["id"] == "mini-register" and lines[0]["kind"] == "answer"
    assert lines[1]["kind"] == "help"  # an empty line gets a prompt, not a crash
    assert lines[2]["kind"] == "glossary" and "Hampshire Young Carers Alliance" in lines[2]["text"]
    assert lines[3]["kind"] == "fallback"
    assert 0 <= lines[0]["confidence"] <= 1


def test_ask_survives_huge_lines_and_control_characters(mini_config):
    questions = ("register " * 12_000) + "\n" + "how long\x00 can the\x1b[31m register stay open\x07\n"
    result = run_cli("--config", mini_config, "ask", "--json", "-", stdin=questions)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(x) for x in result.stdout.splitlines())
    assert "first 600 characters" in first["text"]
    assert len(first["query"]) <= 2000
    assert second["id"] == "mini-register"
    assert "\x00" not in second["query"] and "\x1b" not in second["query"]


def test_ask_plain_text_is_readable(mini_config):
    result = run_cli("--config", mini_config, "ask", "how long can the register stay open")
    assert result.returncode == 0
    assert result.stdout.startswith("How long the register may stay open")
    assert "1. Is the pupil late?" in result.stdout  # the follow-up button, numbered


def test_converse_protocol_and_bad_input(mini_config):
    lines = [
        {"user": "u1", "text": "help me decide if a pupil is late"},
        {"user": "u1", "action": "opt:mini-tree:onsite:1"},
        "this is not json",
        {"user": "u2"},
        {"user": "u1", "action": "no-such-action"},
        {"text": "no user"},
        {"user": "u1", "action": "opt:mini-tree:onsite:0"},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    result = run_cli("--config", mini_config, "converse", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["user"] == "u1" and out[0]["replies"][0]["kind"] == "tree"
    assert [b["label"] for b in out[0]["replies"][0]["buttons"]][:2] == ["Yes", "No"]
    assert all(REPLY_FIELDS <= set(r) for o in out if o["replies"] for r in o["replies"])
    assert "Arrived after the register closed" in out[1]["replies"][0]["text"]
    assert out[2]["user"] is None and "not valid JSON" in out[2]["replies"][0]["text"]
    assert "'text'" in out[3]["replies"][0]["text"]
    assert out[4]["replies"][0]["kind"] == "error" and "don't recognise" in out[4]["replies"][0]["text"]
    assert "'user'" in out[5]["replies"][0]["text"]
    # a button from a finished step is stale: the reply says so rather than acting on it
    assert out[6]["replies"][0]["kind"] == "error"


def test_converse_state_survives_a_restart(mini_config):
    first = run_cli("--config", mini_config, "converse",
                    stdin=json.dumps({"user": "u9", "text": "help me decide if a pupil is late"}) + "\n")
    assert json.loads(first.stdout)["replies"][0]["kind"] == "tree"
    second = run_cli("--config", mini_config, "converse", stdin=json.dumps({"user": "u9", "text": "yes"}) + "\n")
    reply = json.loads(second.stdout)["replies"][0]
    assert "Late before the register closed" in reply["text"]


def test_export_json_lines(mini_config):
    result = run_cli("--config", mini_config, "export", "--json")
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert {r["id"] for r in rows} == {"mini-register", "mini-hyca", "term-hyca"}
    assert all({"id", "title", "text", "phrasings", "codes", "sources"} <= set(r) for r in rows)


def test_bad_config_is_a_clear_error(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("knowledge_dri: knowledge\n")
    result = run_cli("--config", str(config), "ask", "hello")
    assert result.returncode == 2
    assert "unknown setting 'knowledge_dri'" in result.stderr and "knowledge_dir" in result.stderr
    assert "Traceback" not in result.stderr


def test_assistant_refuses_broken_knowledge(tmp_path):
    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "x.yaml").write_text((FIXTURES / "broken" / "dangling-link.yaml").read_text())
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\n")
    result = run_cli("--config", str(config), "ask", "anything")
    assert result.returncode == 1
    assert "does not resolve" in result.stderr and "Traceback" not in result.stderr


def test_trees_listing_and_mermaid(mini_config):
    listing = run_cli("--config", mini_config, "trees", "--json")
    assert json.loads(listing.stdout) == {"id": "mini-tree", "title": "Is the pupil late?", "nodes": 3,
                                          "outcomes": 2}
    drawing = run_cli("--config", mini_config, "trees", "--mermaid", "mini-tree")
    assert drawing.stdout.startswith("flowchart TD") and '-->|"Yes"|' in drawing.stdout
    missing = run_cli("--config", mini_config, "trees", "--mermaid", "nope")
    assert missing.returncode == 1 and "mini-tree" in missing.stderr
