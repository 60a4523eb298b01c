"""Transcripts through the terminal channel: numbered buttons, walking a tree, resuming after a restart."""
import io

import pytest

from guidance.assistant import Assistant
from guidance.store import Store
from bot.terminal import TerminalChat


def _transcript(assistant, lines):
    out = io.StringIO()
    TerminalChat(assistant, out=out).run(io.StringIO("".join(line + "\n" for line in lines)))
    return out.getvalue()


def test_numbers_pick_buttons_and_tree_reaches_outcome(mini):
    text = _transcript(Assistant(mini, store=Store()), ["help me decide if a pupil is late", "2", "quit"])
    assert "Did the pupil arrive before the register closed?" in text
    assert "  1. Yes\n  2. No" in text
    assert "Arrived after the register closed." in text
    assert text.rstrip().endswith("Goodbye.")


def test_typed_option_back_and_start_again(mini):
    text = _transcript(Assistant(mini, store=Store()),
                       ["help me decide if a pupil is late", "yes", "back", "start again", "no"])
    assert "Late before the register closed." in text
    assert text.count("Did the pupil arrive before the register closed?") == 3
    assert "Arrived after the register closed." in text


def test_question_mid_tree_answers_and_offers_the_way_back(mini):
    text = _transcript(Assistant(mini, store=Store()),
                       ["help me decide if a pupil is late", "what does HYCA stand for", "2"])
    assert "HYCA stands for Hampshire Young Carers Alliance" in text
    assert "  2. Back to: Is the pupil late?" in text
    assert text.count("Did the pupil arrive before the register closed?") == 2


def test_restart_resumes_mid_tree(mini, tmp_path):
    path = str(tmp_path / "chat.db")
    _transcript(Assistant(mini, store=Store(path)), ["help me decide if a pupil is late"])
    text = _transcript(Assistant(mini, store=Store(path)), ["no"])
    assert text.count("Did the pupil arrive before the register closed?") == 1  # shown again on start
    assert "Arrived after the register closed." in text


def test_empty_and_unknown_input_get_clear_replies(mini):
    text = _transcript(Assistant(mini, store=Store()), ["", "   ", "zzzz qqqq"])
    assert text.count("Please type a question.") == 2
    assert "I don't have guidance that answers that confidently" in text


# -- pictures and register files ---------------------------------------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 40
ALT = "Bar chart: attendance by week, lowest in week 3 (82%)"


def _picture_reply(filename="attendance.png"):
    from guidance.models import Image, Reply
    return Reply(kind="register", text="Attendance this term: 91%.", image=Image(PNG, ALT, filename))


class Pictures:
    """A stand-in assistant whose every answer carries a picture."""

    store = None

    def __init__(self, filename="attendance.png"):
        self.filename = filename

    def handle(self, user, text=None, action=None, **kwargs):
        return [_picture_reply(self.filename)]


def test_a_picture_is_saved_in_the_charts_folder_with_its_path_and_alt_text_printed(tmp_path):
    out = io.StringIO()
    charts = tmp_path / "charts"
    chat = TerminalChat(Pictures(), out=out, charts=charts)
    assert not charts.exists()               # made only when a picture comes
    chat.send("show me the chart")
    chat.send("and again")
    saved = sorted(charts.iterdir())
    assert [p.name for p in saved] == ["attendance-2.png", "attendance.png"]   # never over an earlier picture
    assert all(p.read_bytes() == PNG for p in saved)
    text = out.getvalue()
    assert f"Picture saved: {charts / 'attendance.png'}\n{ALT}" in text and "Attendance this term: 91%." in text


def test_a_picture_name_cannot_leave_the_charts_folder(tmp_path):
    charts = tmp_path / "charts"
    TerminalChat(Pictures("../../etc/evil.png"), out=io.StringIO(), charts=charts).send("chart")
    assert [p.name for p in charts.iterdir()] == ["evil.png"] and not (tmp_path / "etc").exists()


def test_when_a_picture_cannot_be_saved_its_alt_text_is_shown(tmp_path):
    blocker = tmp_path / "charts"
    blocker.write_text("a file where the folder should be")
    out = io.StringIO()
    TerminalChat(Pictures(), out=out, charts=blocker).send("chart")
    assert "could not be saved" in out.getvalue() and f"Picture: {ALT}" in out.getvalue()


def test_charts_folder_is_ignored_by_git():
    from tests.conftest import ROOT
    assert "/charts/" in (ROOT / ".gitignore").read_text().split()


@pytest.fixture
def register_cli(tmp_path, monkeypatch):
    """`python -m bot register` in process, over the fixture knowledge, with a stand-in register reader."""
    from bot.__main__ import main
    from guidance.assistant import Assistant as A
    from tests.conftest import FIXTURES
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {FIXTURES / 'mini'}\n")
    reads = []

    def register_file(self, filename, data):
        reads.append((filename, data))
        return _picture_reply()
    monkeypatch.setattr(A, "register_file", register_file, raising=False)
    return lambda *args: main(["--config", str(config), "register", *args]), reads


def test_register_prints_the_replies_for_a_file(register_cli, tmp_path, capsys):
    run, reads = register_cli
    export = tmp_path / "export.csv"
    export.write_bytes(b"Pupil,AM,PM\nA,/,\\\n")
    assert run(str(export), "--charts", str(tmp_path / "out")) == 0
    out = capsys.readouterr().out
    assert reads == [("export.csv", b"Pupil,AM,PM\nA,/,\\\n")]
    assert "Attendance this term: 91%." in out and ALT in out and (tmp_path / "out" / "attendance.png").exists()


def _written(name: str, size: int):
    def make(folder):
        (folder / name).write_bytes(b"x" * size)
        return folder / name
    return make


@pytest.mark.parametrize("make, says", [
    (lambda d: d / "missing.csv", "No such file"),
    (lambda d: d, "is a folder"),
    (_written("marks.xlsx", 10), "not a file I can read"),
    (_written("big.csv", 1024 * 1024 + 1), "too large"),
])
def test_register_refuses_clearly_with_a_non_zero_exit(register_cli, tmp_path, capsys, make, says):
    run, reads = register_cli
    assert run(str(make(tmp_path))) == 1
    assert says in capsys.readouterr().err and reads == []


def test_register_reports_an_unreadable_file(register_cli, tmp_path, capsys, monkeypatch):
    from pathlib import Path
    run, reads = register_cli
    locked = tmp_path / "locked.csv"
    locked.write_bytes(b"a")

    def refused(self):
        raise PermissionError(13, "Permission denied", str(self))
    monkeypatch.setattr(Path, "read_bytes", refused)
    assert run(str(locked)) == 1
    err = capsys.readouterr().err
    assert "Cannot read" in err and "Permission denied" in err and reads == []


def test_a_pasted_week_grid_is_one_message_but_typed_lines_are_not():
    """Lines that arrive together at a terminal (a paste) join the first line; a line typed later does not."""
    import os
    import pty
    from bot.terminal import pasted_with
    main, side = pty.openpty()
    with os.fdopen(side) as stdin:
        os.write(main, b"w/c 02/09/2024 /\\ /\\ /\\ /\\ /\\\nw/c 09/09/2024 /\\ NN /\\ /\\ II\n")
        assert stdin.readline() == "w/c 02/09/2024 /\\ /\\ /\\ /\\ /\\\n"   # a terminal gives one line at a time
        assert pasted_with(stdin) == "w/c 09/09/2024 /\\ NN /\\ /\\ II\n"
        assert pasted_with(stdin) == ""      # nothing more arrived: the next line will be a new message
    os.close(main)
