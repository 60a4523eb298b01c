"""Transcripts through the terminal channel: numbered buttons, walking a tree, resuming after a restart."""
import io

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
