"""Readable source titles (knowledge/documents.yaml) and the check guards on seed names, codes and YAML depth."""
import shutil
from pathlib import Path

import pytest
import yaml

from guidance.loader import SEED_FILE, load_knowledge
from guidance.models import Source
from guidance.validate import validate
from tests.conftest import FIXTURES, ROOT, run_cli
from tests.test_validate import _problems_for, assert_reported

SEEDS = Path("/work/shared/seeds")
WTISA = "Working together to improve school attendance (DfE, August 2024)"

# (fixture in tests/fixtures/broken, line or 0, problem id, message part, severity)
BROKEN = [
    ("unlabelled-seed.yaml", 4, "cites-seed", "looks like a seed file but has no title in documents.yaml", "error"),
    ("unlabelled-seed.yaml", 16, "998_fedcba9876543210.txt", "is described twice", "error"),
    ("unlabelled-seed.yaml", 13, "998_fedcba9876543210.txt", "date '2026-13' is not a quoted real", "error"),
    ("unlabelled-seed.yaml", 13, "998_fedcba9876543210.txt", "no entry, tree or quiz question cites", "warning"),
    ("unlabelled-seed.yaml", 19, "997_aaaaaaaaaaaaaaaa.txt", "unknown key 'titel'", "error"),
    ("unlabelled-seed.yaml", 19, "997_aaaaaaaaaaaaaaaa.txt", "missing 'title'", "error"),
    ("unlabelled-seed.yaml", 19, "997_aaaaaaaaaaaaaaaa.txt", "date '2026-01-01' is not a quoted", "error"),
    ("bad-codes.yaml", 4, "names-old-code", "code 'H' is not a national attendance code", "error"),
    ("bad-codes.yaml", 12, "scen-lower-case", "code 'u' is not a national attendance code", "error"),
    ("bad-codes.yaml", 0, "t-codes/b", "code 'Y8' is not a national attendance code", "error"),
    ("bad-codes.yaml", 0, "quiz-old-code", "answer 'H': code 'H' is not a national attendance code", "error"),
    ("bad-codes.yaml", 0, "quiz-old-code", "option 'Absent': code 'Absent' is not a national", "error"),
    ("bad-codes.yaml", 0, "quiz-wrong-answer", "the answer 'L' disagrees with entry 'scen-after-close'", "error"),
    ("bad-national-code.yaml", 4, "code-h", "code 'H' is not a national attendance code", "error"),
    ("deep-nesting.yaml", 7, "", "nested too deeply", "error"),
]


@pytest.mark.parametrize("name,line,ident,message,severity", BROKEN)
def test_broken_file_names_file_line_id_and_fix(name, line, ident, message, severity, tmp_path):
    assert_reported(_problems_for(name, tmp_path), name, line, ident, message, severity)


def test_good_codes_in_the_code_fixture_pass(tmp_path):
    problems = _problems_for("bad-codes.yaml", tmp_path)
    assert not [p for p in problems if p.id in ("t-codes/a", "scen-after-close")]
    assert not [p for p in problems if p.id == "quiz-wrong-answer" and "not a national" in p.message]


def test_a_lower_case_code_suggests_the_national_code(tmp_path):
    problems = _problems_for("bad-codes.yaml", tmp_path)
    assert any(p.id == "scen-lower-case" and "did you mean 'U'" in p.fix for p in problems)


def check_one_broken_file(tmp_path, name: str):
    """Run `bot check` on a knowledge folder holding only one of the broken fixture files."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(FIXTURES / "broken" / name, folder)
    (tmp_path / "config.yaml").write_text("knowledge_dir: knowledge\n")
    return run_cli("--config", str(tmp_path / "config.yaml"), "check")


def test_deep_nesting_is_reported_by_check_without_a_traceback(tmp_path):
    result = check_one_broken_file(tmp_path, "deep-nesting.yaml")
    assert result.returncode == 1
    assert "deep-nesting.yaml:7: error: YAML is nested too deeply" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("text", ["{a: " * 3000 + "b" + "}" * 3000, "- " * 5000 + "x", "[" * 5000 + "]" * 5000])
def test_other_deep_shapes_never_crash_the_loader(text, tmp_path):
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "deep.yaml").write_text("version: 1\ntopic: deep\nentries:\n  - see: " + text + "\n")
    problems = validate(load_knowledge(folder))
    assert any(p.file.endswith("deep.yaml") and p.severity == "error" for p in problems)


# -- readable titles -----------------------------------------------------------------------------------------

def test_label_shows_the_title_and_cite_keeps_the_file():
    titled = Source("000_c17e12f361180603.txt", "Youth Justice referrals", "Attendance hubs, summer term 2026 "
                    "(hub slides)")
    assert titled.label() == "Attendance hubs, summer term 2026 (hub slides): Youth Justice referrals"
    assert titled.cite() == ("Attendance hubs, summer term 2026 (hub slides): Youth Justice referrals "
                             "(000_c17e12f361180603.txt)")
    national = Source(WTISA, "registers")
    assert national.label() == national.cite() == f"{WTISA} (registers)"
    assert Source("003_7061a505a9717ca1.txt").label() == "003_7061a505a9717ca1.txt"


def _all_sources(k):
    for e in k.entries.values():
        yield e.id, e.sources
    for t in k.trees.values():
        for n in t.nodes.values():
            yield f"{t.id}/{n.id}", n.sources
    for q in k.quiz.values():
        yield q.id, q.sources


def test_no_real_source_label_shows_a_seed_file_name(knowledge):
    seen = set()
    for ident, sources in _all_sources(knowledge):
        for s in sources:
            assert not SEED_FILE.search(s.label().split(" ")[0]) and ".txt" not in s.label(), (ident, s.label())
            if SEED_FILE.match(s.doc):
                seen.add(s.doc)
                assert s.title and s.doc in s.cite(), ident  # the file name stays available
    assert len(seen) == 5


def _documents():
    return yaml.safe_load((ROOT / "knowledge" / "documents.yaml").read_text())["documents"]


def test_every_seed_document_has_a_title_and_date():
    docs = {d["file"]: d for d in _documents()}
    expected = {
        "000_c17e12f361180603.txt": ("Inclusion and Educational Engagement Attendance Hubs, summer term 2026",
                                     "2026"),
        "001_87e66ea855071cc7.txt": ("Corporate Parenting Board pack, 21 October 2021", "2021-10-21"),
        "002_30c6ef7d8c0ce806.txt": ("Virtual School: Supporting School Attendance, a guide for social workers",
                                     "undated"),
        "003_7061a505a9717ca1.txt": ("HSCP briefing for multi-agency practitioners, March 2024", "2024-03"),
        "004_fdb71a48a4c55576.txt": ("Corporate Parenting Board pack, 7 December 2022", "2022-12-07"),
    }
    assert set(docs) == set(expected)
    for name, (title, when) in expected.items():
        assert docs[name]["title"].startswith(title), name
        assert docs[name]["date"] == when, name
    if SEEDS.is_dir():
        assert {p.name for p in SEEDS.glob("*.txt")} == set(docs)


def test_replies_show_titles_not_file_names(assistant):
    for question in ("youth justice referral address", "what is code B", "what is persistent absence",
                     "what is pupil voice", "who are the willow team"):
        reply = assistant.answer(question)
        assert reply.sources, question
        assert not any(".txt" in s for s in reply.sources), (question, reply.sources)
        assert ".txt" not in reply.text, question


def test_mini_fixture_titles_its_seed(mini):
    entry = mini.entries["mini-hyca"]
    assert [s.label() for s in entry.sources] == ["Attendance hubs, summer term 2026 (hub slides): Young Carers"]
    assert entry.sources[0].doc == "000_c17e12f361180603.txt"


def test_export_keeps_the_seed_file_name(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {FIXTURES / 'mini'}\ndatabase: {tmp_path / 'state.db'}\n")
    result = run_cli("--config", str(config), "export", "--json")
    assert "Attendance hubs, summer term 2026 (hub slides): Young Carers (000_c17e12f361180603.txt)" in result.stdout


def test_check_keeps_the_file_name_of_an_untitled_seed(tmp_path):
    result = check_one_broken_file(tmp_path, "unlabelled-seed.yaml")
    assert result.returncode == 1
    assert "[cites-seed]: error: source '999_0123456789abcdef.txt' looks like a seed file" in result.stdout
