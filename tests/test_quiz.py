"""Quiz practice through the assistant: rounds, review of mistakes, progress, restarts, groups and forgetting."""
import json
import random
import threading

from guidance import quiz
from guidance.assistant import Assistant
from guidance.store import Store
from tests.conftest import FIXTURES, run_cli


def _bot(mini, store=None):
    bot = Assistant(mini, store=store or Store())
    bot.practice.rng = random.Random(3)
    return bot


def _answer_current(bot, user, right=True):
    """Answer the user's current question, rightly or wrongly; return the replies."""
    state = bot.store.state(user)["quiz"]
    qid = state["ids"][state["i"]]
    q = bot.k.quiz[qid]
    choice = q.answer if right else (q.answer + 1) % len(q.options)
    return bot.handle(user, action=f"qa:{qid}:{choice}")


def test_full_round_scores_and_explains(mini):
    bot = _bot(mini)
    menu = bot.handle("u1", text="quiz")[0]
    assert menu.kind == "quiz" and "quiz:5" in [b.action for b in menu.buttons]
    first = bot.handle("u1", action="quiz:5")[0]
    assert first.text.startswith("Question 1 of 3")
    replies = _answer_current(bot, "u1", right=True)
    assert replies[0].text.startswith("Correct.") and replies[1].text.startswith("Question 2 of 3")
    replies = _answer_current(bot, "u1", right=False)
    assert replies[0].text.startswith("Not quite") and "open:" in replies[0].buttons[0].action
    replies = _answer_current(bot, "u1", right=True)
    assert "Round complete: 2 of 3 right." in replies[-1].text
    stats = bot.handle("u1", text="my progress")[0]
    assert "Answered: 3, correct: 2" in stats.text and "Questions to review: 1" in stats.text


def test_review_mode_brings_mistakes_back_until_right_twice_spaced(mini):
    bot = _bot(mini)
    bot.handle("u1", action="quiz:t:young-carers")
    _answer_current(bot, "u1", right=False)                   # round 1: missed
    first = bot.handle("u1", action="quiz:review")[0]          # round 2: review
    assert first.id == "quiz-mini-hyca"
    _answer_current(bot, "u1", right=True)                     # right once
    waiting = bot.handle("u1", action="quiz:review")[0]        # round 3 would be too soon: spaced
    assert "will come back after your next round" in waiting.text
    bot.handle("u1", action="quiz:t:thresholds")               # round 3: something else
    _answer_current(bot, "u1", right=True)
    again = bot.handle("u1", action="quiz:review")[0]          # round 4: due again
    assert again.id == "quiz-mini-hyca"
    _answer_current(bot, "u1", right=True)                     # right twice: cleared
    done = bot.handle("u1", action="quiz:review")[0]
    assert "Nothing to review" in done.text


def test_typed_answers_and_stale_buttons(mini):
    bot = _bot(mini)
    bot.handle("u1", action="quiz:t:coding")
    stale = bot.handle("u1", action="qa:quiz-mini-open:1")
    assert stale[0].kind == "error" and stale[1].id == "quiz-mini-late"
    replies = bot.handle("u1", text="2")                        # option 2 is "U"
    assert replies[0].text.startswith("Correct.")


def test_question_mid_round_keeps_the_round(mini):
    bot = _bot(mini)
    bot.handle("u1", action="quiz:t:coding")
    reply = bot.handle("u1", text="what does HYCA stand for")[0]
    assert reply.kind == "glossary" and "quiz:resume" in [b.action for b in reply.buttons]
    assert bot.handle("u1", action="quiz:resume")[0].id == "quiz-mini-late"


def test_restart_mid_round_resumes(mini, tmp_path):
    path = str(tmp_path / "q.db")
    bot = _bot(mini, Store(path))
    bot.handle("u1", action="quiz:5")
    _answer_current(bot, "u1")
    bot.store.close()
    again = _bot(mini, Store(path))
    resumed = again.handle("u1", action="quiz:resume")[0]
    assert resumed.text.startswith("Question 2 of 3")


def test_two_users_answer_at_once(mini, tmp_path):
    path = str(tmp_path / "two.db")
    errors = []

    def play(user):
        try:
            bot = _bot(mini, Store(path))
            for _ in range(3):
                bot.handle(user, action="quiz:5")
                for _ in range(3):
                    _answer_current(bot, user, right=(user == "alice"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=play, args=(u,)) for u in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store = Store(path)
    assert store.history("alice") == [True] * 9
    assert store.history("bob") == [False] * 9


def test_group_round_with_opt_in_leaderboard(mini):
    bot = _bot(mini)
    bot.handle("sam", text="show me on leaderboards", name="Sam")
    intro, question = bot.handle("fac", text="group quiz", group="g1")
    assert "Group quiz" in intro.text
    for _ in range(3):
        qid = question.id
        q = mini.quiz[qid]
        round_no = question.buttons[0].action.split(":")[1]
        assert bot.handle("sam", action=f"grp:{round_no}:{qid}:{q.answer}", group="g1")[0].text == "Answer recorded."
        again = bot.handle("sam", action=f"grp:{round_no}:{qid}:{q.answer}", group="g1")[0]
        assert "already answered" in again.text
        bot.handle("kim", action=f"grp:{round_no}:{qid}:{(q.answer + 1) % len(q.options)}", group="g1")
        assert "Only the facilitator" in bot.handle("kim", action="grp:next", group="g1")[0].text
        reveal, question = bot.handle("fac", action="grp:next", group="g1")
        assert reveal.text.startswith("The answer:")
    board = question
    assert board.title == "Leaderboard"
    assert "1. Sam: 3 of 3" in board.text
    assert "2. (a participant): 0 of 3" in board.text and "kim" not in board.text.lower()


def test_forget_me_removes_everything(mini):
    bot = _bot(mini)
    bot.handle("u1", text="show me on leaderboards", name="Pat")
    bot.handle("u1", action="quiz:5")
    _answer_current(bot, "u1")
    confirm = bot.handle("u1", text="forget me")[0]
    assert "forget:yes" in [b.action for b in confirm.buttons]
    bot.handle("u1", action="forget:yes")
    assert bot.store.history("u1") == [] and bot.store.progress("u1") == {} and bot.store.state("u1") == {}
    assert bot.store.display_names(["u1"]) == {}


def test_record_and_summarise_are_pure():
    q = next(iter(__import__("guidance.loader", fromlist=["x"]).load_knowledge(FIXTURES / "mini").quiz.values()))
    p = quiz.record(None, q, False, 1)
    assert p.needs_review and p.attempts == 1
    p = quiz.record(p, q, True, 2)
    assert p.needs_review and p.right_since_wrong == 1
    p = quiz.record(p, q, True, 4)
    assert not p.needs_review
    s = quiz.summarise([True, True, False, True], {q.id: p})
    assert (s.answered, s.correct, s.streak, s.best_streak) == (4, 3, 1, 2)


def test_quiz_through_converse_survives_restart(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {FIXTURES / 'mini'}\ndatabase: {tmp_path / 'c.db'}\n")
    first = run_cli("--config", str(config), "converse", stdin=json.dumps({"user": "u1", "action": "quiz:5"}) + "\n")
    question = json.loads(first.stdout)["replies"][0]
    assert question["kind"] == "quiz"
    second = run_cli("--config", str(config), "converse",
                     stdin=json.dumps({"user": "u1", "action": question["buttons"][0]["action"]}) + "\n")
    replies = json.loads(second.stdout)["replies"]
    assert replies[0]["title"] in ("Correct", "Not quite") and replies[1]["text"].startswith("Question 2 of 3")


def test_real_bank_covers_every_code_and_topic(knowledge):
    coding = [q for q in knowledge.quiz.values() if q.topic == "coding"]
    answers = {q.options[q.answer] for q in coding}
    assert set(knowledge.codes) <= answers  # every national code is the answer at least once
    assert len(knowledge.quiz) >= 66
    assert {"alternative-provision", "youth-justice", "young-carers", "thresholds", "social-workers",
            "gp-letters"} <= {q.topic for q in knowledge.quiz.values()}
    assert all(q.entry in knowledge.entries for q in knowledge.quiz.values())
