"""Understanding practitioners' wording, through the whole assistant: coding scenarios reasoned from their facts,
safeguarding situations escalated first, codes read only where written as codes, and follow-ups kept in context."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from guidance.codes import mentioned_codes, spoken_times
from guidance.text import asked_part

DATA = Path(__file__).parent / "data"
SCENARIOS = yaml.safe_load((DATA / "coding_scenarios.yaml").read_text())
SAFEGUARDING = yaml.safe_load((DATA / "safeguarding.yaml").read_text())
# written independently of the detector, first measured untouched (42 of 60 risks, 35 of 40 mentions), then tuned on
FRESH = yaml.safe_load((DATA / "heldout" / "safeguarding_fresh.yaml").read_text())
EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def _ends_on(chat, user, turns, expected, about):
    """Say each message in turn; the last reply must contain `expected` and be of the kind or entry `about` (None:
    any)."""
    for text in turns[:-1]:
        chat.handle(user, text=text)
    reply = chat.handle(user, text=turns[-1])[0]
    assert expected in reply.text, (reply.kind, reply.id, reply.text[:200])
    assert about is None or about in (reply.kind, reply.id), (reply.kind, reply.id)


def _play(chat, user, turns):
    """Say each message in turn; each reply must lead with its expected code (None: any reply)."""
    for i, (text, code) in enumerate(turns):
        reply = chat.handle(user, text=text)[0]
        if code is not None:
            assert reply.codes[:1] == (code,), (i, text, reply.kind, reply.codes)


@pytest.mark.parametrize("case", SCENARIOS, ids=[c["q"][:50] for c in SCENARIOS])
def test_coding_scenario_gets_its_code_first(assistant, case):
    """Each everyday situation is answered with the code the national rules give, first."""
    reply = assistant.answer(case["q"])
    assert reply.codes[:1] == (case["code"],), (reply.kind, reply.id, reply.codes)
    assert reply.kind == "code"


@pytest.mark.parametrize("text", SAFEGUARDING["risk"] + FRESH["risk"])
def test_risk_described_in_everyday_words_escalates_first(assistant, text):
    """A child at risk now gets the escalation advice, told alone or with another question."""
    assert assistant.answer(text).kind == "safeguarding"
    reply = assistant.answer(text + " - what code do I put for today?")
    assert reply.kind == "safeguarding"
    assert "999" in reply.text and "Designated Safeguarding Lead" in reply.text


@pytest.mark.parametrize("text", SAFEGUARDING["mention"] + FRESH["mention"])
def test_questions_that_only_mention_safeguarding_do_not_escalate(assistant, text):
    """General questions about safeguarding get guidance, not a false alarm."""
    assert assistant.answer(text).kind != "safeguarding"


def test_risk_outranks_a_decided_code(chat):
    """Even mid-conversation, with a code decided a moment ago, a disclosure escalates."""
    chat.handle("u1", text="pupil off sick today with a temperature, what code")
    replies = chat.handle("u1", text="what if she told the TA her dad hit her with a belt last night?")
    assert replies[0].kind == "safeguarding"


@pytest.mark.parametrize("text,codes", [
    ("how do i mark a pupil on a school trip", []),
    ("what should i code a child on work experience", []),
    ("Y6 girl told her TA something worrying", []),
    ("yr7 boy arrived late", []),
    ("the move from Y6 to Y7", []),
    ("is it I or M for a dentist appointment", ["I", "M"]),
    ("mark it U", ["U"]),
    ("an I", ["I"]),
    ("code I", ["I"]),
    ("is that Y1?", ["Y1"]),
    ("Y1 or Q?", ["Y1", "Q"]),
    ("what does C2 mean", ["C2"]),
    ("why not O?", ["O"]),
    ("guide me through choosing an attendance code for a kid in Y5", []),
    ("cant we just use the # like we did a couple of years ago?", ["#"]),
    ("# of days off this term", []),
])
def test_codes_are_read_only_where_written_as_codes(knowledge, text, codes):
    """The pronoun "i", the article "a" and year groups are never read as attendance codes."""
    assert mentioned_codes(text, set(knowledge.codes)) == codes


def test_spoken_times_are_read_as_clock_times():
    """Times said in words become clock times before lateness is decided."""
    assert spoken_times("got in at half nine, left at quarter to three") == "got in at 9.30, left at 2.45"


def test_a_stated_reason_outranks_lateness_and_age_outranks_a_timetable(assistant):
    """Late after an appointment is M, not U; below compulsory school age on mornings only is X, not C2."""
    assert assistant.answer("arrived 10.20 after the dentist, register closed 9.00").codes[:1] == ("M",)
    assert assistant.answer("reception, just turned 4, mornings only: C2 or X").codes[:1] == ("X",)


def test_a_missing_decisive_fact_is_asked_with_buttons(chat):
    """When one fact decides the code and it is missing, only that question is asked; the answer finishes it."""
    first = chat.handle("u1", text="pupil goes to tuition two mornings a week, what code")[0]
    assert first.kind == "tree" and not first.codes
    assert "Who arranged the education?" in first.text
    school = next(b for b in first.buttons if b.label == "The school")
    outcome = chat.handle("u1", action=school.action)[0]
    assert outcome.codes[:1] == ("B",)
    la = chat.handle("u2", text="pupil goes to tuition two mornings a week, what code")[0]
    press = next(b for b in la.buttons if b.label == "The local authority")
    assert chat.handle("u2", action=press.action)[0].codes[:1] == ("K",)


@pytest.mark.parametrize("turns", [
    [("register opens 8.40 and shuts at 9.10, girl arrived at 9.02", "L"),
     ("what if it was after the register closed?", "U"),
     ("why not O?", "U")],
    [("pupil off today, no word from home, what do I put", "N"),
     ("it's now 6 school days later and still nothing", "O")],
    [("pupil goes to a farm AP the school set up, supervised by their staff - code?", "B"),
     ("and if he doesn't attend it one day?", "N")],
    [("Y4 girl had an orthodontist appointment first thing, back in school by 10.45", "M"),
     ("and the afternoon?", "\\"),
     ("what if she hadn't come back at all?", None)],
    [("he was in for morning registration, then went home poorly at 10", "/"),
     ("and for the afternoon?", "I")],
    [("suspended for 5 days and nothing arranged yet, code?", "E"),
     ("from day 6 the school has arranged supervised provision elsewhere", "B"),
     ("and if the LA arranged it?", "K")],
    [("reception child on mornings only, agreed with parents, what code for the afternoons", None),
     ("she's only 4 though", "X")],
    [("orthodontist at 8.15, got to school at 8.50, register closes at 9.00", "L"),
     ("what if she didn't get in until 10.30?", "M")],
    [("Y5 girl came in at 9.40 after a dentist appointment, reg closes 9.15", "M"),
     ("what if she'd had no appointment?", "U"),
     ("and if she got in at 9.05?", "L")],
    [("pupil off sick today", "I"),
     ("what if mum didn't ring in?", "N"),
     ("and it's been over a week now?", "O")],
    [("he arrived at 9.20, register closes at 9.30", "L"),
     ("what if the register closed at 9.10?", "U")],
    [("she's 4 and in reception, parents keep her home in the afternoons", "X"),
     ("what if she was 6?", "O")],
    [("year 9 on a school trip to a museum", "V"),
     ("what if it was a sports match instead?", "P"),
     ("and if it was work experience?", "W")],
    [("family holiday in term time, head refused", "G"),
     ("and if they never asked at all?", "G")],
    [("school closed because the boiler broke", "Y4"),
     ("what if only the year 3 block was closed?", "Y3"),
     ("and if it was a planned inset day?", "#")],
    [("he's at the dentist this morning", "M"),
     ("and the afternoon? he came back in after lunch for registration", "\\")],
    [("reception child, 4, not in this afternoon, parents' choice", "X"),
     ("what if she was 5 and of compulsory school age?", "O")],
    [("excluded pupil, day 8, LA arranged provision, she attended", "K")],
    [("pupil on a school trip to a museum with our staff", "V"),
     ("what if the museum was supervising them, not our staff?", "B")],
    # after N, "and after that?" or "change it to what?" means its days have passed without a reason: O
    [("yr6 not in since monday, no answer from home on the phone, what do i put", "N"),
     ("and after that?", "O")],
    [("how long can an N stay on the register", "N"),
     ("change it to what?", "O")],
    [("how long can an N stay on the register", "N"),
     ("and if we never get a reason at all?", "O")],
    # a question of guidance in between keeps the case aside: the change after it still re-decides the case
    [("we booked a care farm for our yr6 on wednesdays, the farm staff supervise her, what mark for wednesdays", "B"),
     ("who keeps responsibility for safeguarding her while she is there?", None),
     ("ok and if the council had been the one to arrange the farm?", "K")],
])
def test_follow_ups_change_one_fact_and_re_decide(chat, turns):
    """A follow-up that changes one fact re-decides the code with the other facts kept."""
    _play(chat, "u1", turns)


def test_follow_up_about_the_last_code(chat):
    """Short questions about the last code are answered for that code."""
    chat.handle("u1", text="arrived at 9.40, our register closed at 9.15, no reason given")
    reply = chat.handle("u1", text="is that one authorised?")[0]
    assert reply.codes[:1] == ("U",) and "unauthorised" in reply.text


def test_conversation_memory_keeps_facts_never_the_message(chat):
    """What a follow-up needs is kept as facts; the words typed are not stored."""
    chat.handle("u1", text="Jo Bloggs arrived at 9.40, our register closed at 9.15, no reason given")
    state = chat.store.state("u1")
    assert "Bloggs" not in str(state) and "9.40" not in str(state).replace("'arrived': '9.40'", "")
    assert state["context"]["code"] == "U"


def test_calculator_follow_up_takes_another_percentage_or_asks_where_the_figures_stand(chat):
    """'And 80%?' is the same question with another figure, read as the last one was; 'is he still PA then?' restates
    the last figures against the thresholds."""
    assert "absence of 6%" in chat.handle("u2", text="how many days off is 94% attendance over a year")[0].text
    again = chat.handle("u2", text="and 80%?")[0]
    assert again.kind == "calculation" and "absence of 20%" in again.text and "38 days" in again.text
    chat.handle("u3", text="missed 24 sessions of 160")
    chat.handle("u3", text="what if he'd missed 10 fewer sessions?")
    still = chat.handle("u3", text="is he still PA then?")[0]
    assert still.kind == "calculation" and "Attended 146 of 160" in still.text and "below the persistent" in still.text


def test_calculator_follow_up_changes_the_figures(chat):
    """'What if she had missed 10 fewer sessions?' recalculates from the last figures."""
    first = chat.handle("u1", text="possible 120 absent 64")[0]
    assert first.kind == "calculation" and "46.7%" in first.text and "severe" in first.text
    second = chat.handle("u1", text="what if she'd missed 10 fewer sessions?")[0]
    assert "55%" in second.text and "persistent" in second.text


def test_calculator_follow_up_reads_another_count_as_the_last_one_was(chat):
    """'What about 8 days?' after days off is 8 days off; 'another 4' adds to them; 'so is she PA?' restates the
    figures rather than the general definition; a message with figures of its own is a new calculation."""
    chat.handle("u4", text="she's missed 14 days out of 100 so far")
    fewer = chat.handle("u4", text="what about 8 days?")[0]
    assert fewer.kind == "calculation" and "Attended 92 of 100" in fewer.text
    more = chat.handle("u4", text="and if she's off another 4?")[0]
    assert more.kind == "calculation" and "Attended 88 of 100" in more.text
    stands = chat.handle("u4", text="so is she PA?")[0]
    assert stands.kind == "calculation" and "This is persistent absence" in stands.text
    fresh = chat.handle("u4", text="her brother is at 91% attendance, how many days is that a year?")[0]
    assert fresh.kind == "calculation" and "absence of 9%" in fresh.text


def test_calculator_follow_up_gives_the_first_figure_another_value(chat):
    """'And if it was 28?' after 38 missed is 28 missed; 'what if she'd attended 170?' after 140 attended is 170
    attended, of the same possible sessions."""
    chat.handle("u5", text="she's missed 38 sessions out of 300 possible, is that PA?")
    missed = chat.handle("u5", text="and if it was 28?")[0]
    assert missed.kind == "calculation" and "Attended 272 of 300" in missed.text and "90.7%" in missed.text
    chat.handle("u6", text="attended 140 sessions out of 320 possible, is she severely absent?")
    attended = chat.handle("u6", text="what if shed attended 170")[0]
    assert attended.kind == "calculation" and "Attended 170 of 320" in attended.text and "53.1%" in attended.text


def test_sessions_by_code_with_the_rest_present_and_then_recoded(chat):
    """'14 U and 9 L, present for everything else': L counts as present, so only the U sessions are missed; 'and if
    those 9 L's had been U's' moves them to absence."""
    first = chat.handle("u7", text="190 possible sessions this year. 14 U codes and 9 L codes, present for everything "
                                   "else. what's her attendance %")[0]
    assert first.kind == "calculation" and "Attended 176 of 190" in first.text and "92.6%" in first.text
    recoded = chat.handle("u7", text="and if those 9 L's had been U's as well")[0]
    assert recoded.kind == "calculation" and "Attended 167 of 190" in recoded.text and "87.9%" in recoded.text


def test_sessions_and_days_convert_and_a_standing_question_restates_the_figures(chat):
    """'How many days is 33 sessions?' converts at two sessions a day, even straight after a calculation; 'not
    persistently absent yet, right?' restates the last figures; 'at what point is it severe?' asks for the rule."""
    chat.handle("u5", text="she has attended 162 of 180 possible sessions")
    days = chat.handle("u5", text="how many days is 33 sessions?")[0]
    assert days.kind == "calculation" and "16.5 school days" in days.text
    assert "10 sessions" in chat.handle("u6", text="how many sessions is 5 days")[0].text
    chat.handle("u7", text="she has attended 162 of 180 possible sessions")
    stands = chat.handle("u7", text="so she's only just ok, not persistently absent, right?")[0]
    assert stands.kind == "calculation" and "Attended 162 of 180" in stands.text
    rule = chat.handle("u7", text="at what point does it count as severe absence?")[0]
    assert rule.kind != "calculation" and "50%" in rule.text


def test_how_the_last_code_counts_is_answered_in_everyday_words(chat):
    """'Is it an approved educational activity?' after a code says how that code counts; a rules question after a
    situation ('from what day must provision be in place?') is not read as a changed fact."""
    chat.handle("u9", text="y11 off for a college interview on tuesday morning, which code?")
    counts = chat.handle("u9", text="is it an approved educational activity then?")[0]
    assert "J1" in counts.codes and "authorised absence" in counts.text
    chat.handle("u10", text="Y8 suspended for two days, nothing arranged for him, code?")
    rule = chat.handle("u10", text="if it had been longer, from what day must provision be arranged?")[0]
    assert rule.kind != "tree" or rule.id != "tree-code", (rule.kind, rule.id)


def test_a_short_hypothetical_about_attending_is_not_escalated(chat):
    """'What if he doesn't turn up there?' after a code for provision asks about coding, not about a child at risk."""
    chat.handle("u11", text="pupil goes to an AP the LA arranged on Fridays, which code?")
    reply = chat.handle("u11", text="what if he doesn't turn up there?")[0]
    assert reply.kind != "safeguarding", reply.text[:200]


def test_one_stands_for_the_previous_subject(chat):
    """'Can a school issue one?' after penalty notices asks about penalty notices."""
    chat.handle("u12", text="how much is a penalty notice for absence")
    reply = chat.handle("u12", text="can a school issue one?")[0]
    assert reply.id.startswith("pn-"), (reply.kind, reply.id)


def test_a_one_word_follow_up_is_not_answered_from_another_subject(chat):
    """'What's the number?' after an acronym, with no number for it in the knowledge, is not answered confidently
    with whatever guidance holds the word 'number'."""
    chat.handle("u13", text="what's the MASH")
    reply = chat.handle("u13", text="what's the number?")[0]
    assert reply.kind in ("did-you-mean", "fallback") or reply.id == "term-mash", (reply.kind, reply.id)


def test_why_after_a_code_gives_the_reasoning_again(chat):
    """'Why?' straight after a decided code repeats the code with how it was decided."""
    chat.handle("u14", text="came in at 9.30, reg closed 9.15")
    reply = chat.handle("u14", text="why?")[0]
    assert reply.codes[:1] == ("U",) and "How this was decided" in reply.text


def test_a_guessed_code_the_facts_rule_out_is_said_to_be_wrong_before_asking(assistant):
    """'Can we mark B for a pupil on Teams at home?' is never B, whatever the reason turns out to be: said first."""
    reply = assistant.answer("can we put B for a Y9 who does his lessons online from home?")
    assert reply.kind == "tree" and "never B" in reply.text


def test_a_long_situation_does_not_drown_the_question_in_it(assistant):
    """A long story with a short question at its end is answered on the question (with the story's place names)."""
    reply = assistant.answer("I teach Y7 at a secondary in Fareham. One of mine has been late most mornings; she told "
                             "me she gets her mum up, helps her wash and dress and sorts the tablets because mum has a "
                             "long-term illness, and dad works away for weeks. Does she count as a young carer?")
    assert reply.kind == "answer" and reply.id.startswith("yc-"), (reply.kind, reply.id)


def test_an_idiom_is_not_read_as_a_pronoun_for_the_last_subject(chat):
    """'When does a fine come into it?' asks about fines, not about the previous answer's subject."""
    chat.handle("u8", text="what law says parents must make sure their child gets an education?")
    reply = chat.handle("u8", text="ok and where do fines come into it?")[0]
    assert reply.id.startswith("pn-"), (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    ("14 days off out of 95", "85.3%"),
    ("possible 120, absent 64", "46.7%"),
    ("missed 12 days so far and we've had 95 school days this year, what's his attendance", "87.4%"),
    ("att 47% - is that SA?", "severe"),
    ("152/190 sessions attended, what's her attendance", "80%"),
    ("he missed 19/190 sessions", "90%"),
    ("dad thinks 92% is good. what does 92% attendance add up to over the whole year, in days?", "15.2 days"),
    ("how many days is 85% over a year", "28.5 days"),
    ("61% attendance and 150 school days so far - how many days missed?", "58.5 days"),
    ("what percentage is 15 days off in a year", "attendance 92.1%"),
    ("she's been in 45 days out of 70", "Attended 45 of 70"),
    ("how many sessions is 10% of 190 days", "19 missed, 38 sessions"),
    ("missed 3 days a fortnight all year, what's that as a percentage", "absence of 30%"),
    ("180 possible sessions, 20 unauthorised and 10 authorised absences", "Attended 150 of 180"),
    ("what's 5 days off as a percentage of the school year", "attendance 97.4%"),
    ("our Y10 has 85% attendance after 120 days, how many days has she missed", "18 days missed"),
    ("how many days off is 92% attendance over the year", "Attendance 92% means absence of 8%"),
    ("he is off 20% of the time", "Attendance 80% means absence of 20%"),
    ("off 11 days and we're 60 days into the year", "Attended 49 of 60"),
])
def test_calculator_reads_the_ways_people_ask(assistant, text, expected):
    """Days or sessions, missed or attended, possible, percentages either way, the school days so far."""
    reply = assistant.answer(text)
    assert reply.kind == "calculation" and expected in reply.text, reply.text


@pytest.mark.parametrize("text", [
    "translate 'your child was absent today' into Polish please",
    "can you book me a meeting room for Thursday",
    "what's the weather like in Winchester",
    # everyday subjects the knowledge never covers, sharing only school words with it
    "when does the school canteen menu change for the autumn term?",
    "our staff car park is full by half eight, how do we share out the spaces?",
    "who fixes the wifi in the library when the tablets won't connect?",
    "how can we hire a coach for the Y6 netball tournament next week?",
])
def test_requests_outside_the_guidance_fall_back(assistant, text):
    """Tasks and questions outside the guidance get the honest fallback, never a guessed answer."""
    assert assistant.answer(text).kind == "fallback"


def test_typos_are_corrected_but_real_words_are_kept(assistant):
    """A misspelt word is corrected to the knowledge's word; a real English word is never changed."""
    assert assistant.speller.correct("appointmnet") == "appointment"
    assert assistant.speller.correct("overnight") == "overnight"
    assert assistant.speller.correct("spotting") == "spotting"


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def _phrasings(node) -> list[str]:
    """Every string under a 'questions' key in a loaded YAML document."""
    if isinstance(node, dict):
        return [q for k, v in node.items() for q in (v if k == "questions" and isinstance(v, list) else _phrasings(v))]
    if isinstance(node, list):
        return [q for v in node for q in _phrasings(v)]
    return []


@pytest.mark.skipif(not EVAL.is_dir(), reason="the evaluation sets are not beside the project")
def test_no_evaluation_question_is_a_knowledge_phrasing():
    """Phrasings describe an entry's meaning in the project's own words: none repeats an evaluation question."""
    questions = set()
    for path in EVAL.glob("*.yaml"):
        for case in yaml.safe_load(path.read_text()) or []:
            if isinstance(case, dict):
                questions.update(_normalise(t["say"]) for t in case.get("turns") or [] if "say" in t)
                if "q" in case:
                    questions.add(_normalise(case["q"]))
    knowledge_dir = Path(__file__).resolve().parent.parent / "knowledge"
    phrasings = {_normalise(q) for path in knowledge_dir.glob("*.yaml")
                 for q in _phrasings(yaml.safe_load(path.read_text()))}
    assert not phrasings & questions, sorted(phrasings & questions)[:5]


@pytest.mark.parametrize("text,title", [
    ("my quiz progress", "My progress"),
    ("how am I doing", "My progress"),
    ("delete my data", "Forget me"),
    ("please forget me", "Forget me"),
])
def test_commands_are_understood_in_natural_words(chat, text, title):
    """Progress and forget-me are reached in everyday words, not only as exact commands."""
    reply = chat.handle("u1", text=text)[0]
    assert reply.title == title, (reply.kind, reply.title)


def test_a_clear_question_is_not_read_as_a_follow_up(chat):
    """After a code question, asking for the walk-through still starts it."""
    chat.handle("u1", text="what does C2 mean")
    reply = chat.handle("u1", text="which code should i use")[0]
    assert reply.kind == "tree" and any(b.action.startswith("opt:tree-code:") for b in reply.buttons)


@pytest.mark.parametrize("text,entry", [
    ("what does PEP mean in the meeting minutes", "term-pep"),
    ("came across SAST on an email, what is it", "term-sast"),
])
def test_an_acronym_seen_somewhere_is_explained(assistant, text, entry):
    """"What does X mean" with a few words on where it was seen still gets the expansion."""
    assert assistant.answer(text).id == entry


def test_account_tasks_fall_back(assistant):
    """Help with a password or login is not guidance: it falls back honestly."""
    assert assistant.answer("how do I reset my SIMS password before registration").kind == "fallback"


def test_an_everyday_word_is_not_read_as_its_acronym(assistant):
    """"Who do I send it to?" is not a question about SEND."""
    assert assistant.answer("who do I send the referral form to").id != "term-send"
    assert assistant.answer("what is SEND").id == "term-send"


@pytest.mark.parametrize("text", [
    "holiday leave was granted, then the request was refused - code?",
    "suspended, nothing arranged on day 2 but provision arranged from day 6 - which code?",
])
def test_contradictory_deciding_facts_are_asked_not_guessed(assistant, text):
    """When a message states two values of a fact that decides the code, the assistant asks instead of guessing."""
    reply = assistant.answer(text)
    assert not reply.codes and reply.kind in ("tree", "did-you-mean"), (reply.kind, reply.codes)


@pytest.mark.parametrize("text,tree", [
    ("help me decide whether we can use an unregistered provider", "tree-ap"),
    ("take me through the which code tree", "tree-code"),
    ("start the AP walkthrough", "tree-ap"),
    ("young carer walkthrough please", "tree-young-carer"),
    ("YJS eligibility step by step", "tree-yjs"),
    ("walk-through for social workers", "tree-sw-request"),
    ("RHP check please, step by step", "tree-ptt"),
    ("is there a checker for part time timetables", "tree-ptt"),
    ("go through the youth justice referral with me", "tree-yjs"),
    ("I'd like to work through which code to use", "tree-code"),
    ("can we do the AP questions one at a time", "tree-ap"),
    ("let's work out the code together", "tree-code"),
    ("walk me through whether this lad is a young carer", "tree-young-carer"),
])
def test_an_explicit_walk_through_request_starts_that_walk_through(assistant, text, tree):
    reply = assistant.answer(text)
    assert (reply.kind, reply.id) == ("tree", tree)


def test_asking_which_walk_throughs_there_are_lists_them(assistant, knowledge):
    reply = assistant.answer("what walk-throughs are there")
    assert {b.action for b in reply.buttons} == {f"tree:{t}" for t in knowledge.trees}


def test_a_situation_to_code_still_gets_its_code_when_a_walk_through_is_mentioned(assistant):
    reply = assistant.answer("walk me through coding a pupil at the dentist")
    assert reply.codes[:1] == ("M",)


def test_a_pronoun_in_a_follow_up_stands_for_the_previous_subject(chat):
    chat.handle("p1", text="what is RHP")
    [reply] = chat.handle("p1", text="what should I ask the school about it?")
    assert reply.id in ("ptt-rules", "ptt-agreement", "sw-request-checklist", "sw-reduced-hours")
    assert "reintegration" in reply.text


@pytest.mark.parametrize("text", [
    "governors at our secondary want to know what their role is with the provider we use for two pupils",
    "child on my caseload has had three suspensions this year, what should I ask school about them",
    "instead of chasing GP letters what should we be doing about lots of illness absence",
])
def test_a_question_asked_after_a_situation_is_not_answered_with_a_code(assistant, text):
    assert assistant.answer(text).kind != "code"


@pytest.mark.parametrize("turns", [
    [("what is the Virtual School", "vs-what"), ("who does it support?", "vs-who-for"),
     ("how do I contact them?", "contact-whos-who")],
    [("what is a PEP", "term-pep"), ("how often are they reviewed?", "pep-what")],
    [("what does PA mean", "abs-persistent"), ("and SA?", "abs-severe")],
    [("why does each item on the social worker checklist matter", "sw-why-each-item"),
     ("what about exclusions?", "sw-suspensions")],
    [("what is a young carer", "yc-definition"), ("where can they get support in Havant?", "yc-havant"),
     ("what training is there for staff?", "yc-training")],
    [("what is flexi schooling", "leave-flexi"), ("how is it coded?", "leave-flexi")],
    [("what is a notice to improve", "pn-notice-to-improve"), ("what comes after that?", "pn-threshold")],
    [("rules for part time timetables", "ptt-rules"), ("who needs to agree to it?", "ptt-agreement")],
    [("young carers project in Andover", "yc-andover"), ("what ages do they work with?", "yc-hyca")],
    [("how often must we visit an alternative provider", "ap-site-visits"), ("do we need to keep copies?", "ap-records"),
     ("what about if they have an EHCP?", "ap-ehc-plan")],
    # knowing where a pupil is during the day is the commissioner's duty, however it is worded
    [("what are the rules for using an unregistered provider", "ap-unregistered-rules"),
     ("do we have to know where they are during the day", "ap-commissioner-safeguarding")],
    # the reasons a part-time timetable may be used are given by its rules ("for example a medical condition")
    [("is a part-time timetable ok for a pupil whose behaviour keeps getting him sent out", "ptt-rules"),
     ("what reasons would be acceptable then?", "ptt-rules")],
    # the national registration rule is its own subject: a looked-after pupil changes the count, not the topic
    [("can an alternative provider teach six of our pupils full time without registering?",
      "ap-independent-school-registration"),
     ("and if it's a single pupil, but looked after?", "ap-independent-school-registration")],
    # candidates on one subject with a code among them: the question's own words pick the answer, not a question back
    [("is a reduced timetable ok for a pupil whose behaviour is getting worse", "ptt-rules"),
     ("who signs it off?", "ptt-agreement")],
])
def test_a_topic_follow_up_is_read_in_the_previous_answers_setting(chat, turns):
    """Pronouns stand for the previous subject, "and X?" asks about X in the same setting, and a follow-up on
    guidance is not read as a coding situation."""
    for i, (text, entry) in enumerate(turns):
        reply = chat.handle("t1", text=text)[0]
        assert reply.id == entry, (i, text, reply.kind, reply.id)


@pytest.mark.parametrize("scores, bm25_best, first", [
    ((0.898, 0.893), "term-cla", "ap-independent-school-registration"),   # a near tie goes to the subject discussed
    ((0.898, 0.893), "cla-attendance", "cla-attendance"),                 # unless the question's own words chose it
    ((0.898, 0.850), "term-cla", "cla-attendance"),                       # and a clear lead is kept
])
def test_a_near_tie_in_a_follow_up_goes_to_the_subject_under_discussion(knowledge, scores, bm25_best, first):
    """A follow-up whose two best answers are all but tied is answered on the subject being discussed, not a
    neighbouring one that shares a word ("looked after")."""
    from types import SimpleNamespace
    from guidance.retrieval import Match
    from guidance.skills.retrieval import _subject_breaks_tie
    ctx = SimpleNamespace(k=knowledge)
    matches = [Match("cla-attendance", scores[0], 1.0, 0.5), Match("ap-independent-school-registration", scores[1], 1.0, 0.5)]
    ranked = _subject_breaks_tie(ctx, knowledge.entries["ap-independent-school-registration"], matches, bm25_best)
    assert ranked[0].id == first
    assert sorted(m.id for m in ranked) == sorted(m.id for m in matches)


@pytest.mark.parametrize("text, entry", [
    ("her attendance is sitting at 91% and dad says that's fine, is he right?", "sw-ninety-percent"),
    ("is 88% really a problem for a year 4?", "sw-ninety-percent"),
    # "no concerns" about a percentage is not a judgement asked of it
    ("school in andover says he's on 94% so no concerns but he's in the hub room most days", "sw-lesson-attendance"),
])
def test_a_percentage_judged_asks_whether_that_attendance_is_good_enough(assistant, text, entry):
    """"She's on 91% and dad says that's fine": whether that attendance is good enough (the days it means missed)."""
    reply = assistant.answer(text)
    assert reply.id == entry, (reply.kind, reply.id)


@pytest.mark.parametrize("text", [
    "school reports 96% for the girl I'm social worker for, but she's in the inclusion room most days. what should I be asking?",
    "he keeps walking out of lessons and wandering the corridors, is that on his attendance?",
    "the % looks fine but she hides in the toilets a lot, what does the school need to tell me",
])
def test_in_school_but_out_of_lessons_is_lesson_attendance(assistant, text):
    """Present in school but in a pastoral room, the toilets or the corridors: the question is lesson-by-lesson
    attendance (internal truancy), however it is described."""
    reply = assistant.answer(text)
    assert reply.id == "sw-lesson-attendance", (reply.kind, reply.id)


@pytest.mark.parametrize("text, facts, kept", [
    ("who has to agree it", {}, False),                                 # a person is asked: no coding situation
    ("and whose agreement does that need?", {"reason": "part-time"}, False),
    ("what code for his afternoons?", {"reason": "part-time"}, True),   # a code is asked
])
def test_a_question_asking_who_is_never_answered_by_a_coding_situation(knowledge, text, facts, kept):
    """"Who has to agree it?" after the part-time timetable rules asks for a person, so the coding situation that
    shares its words is not a candidate; a code asked keeps it."""
    from types import SimpleNamespace
    from guidance.retrieval import Match
    from guidance.skills.retrieval import _untold_situations_down
    ctx = SimpleNamespace(k=knowledge, text=text, facts=facts)
    matches = [Match("scen-reduced-timetable", 0.915, 1.0, 0.5), Match("ptt-agreement", 0.875, 1.0, 0.5)]
    ranked = _untold_situations_down(ctx, knowledge.entries["ptt-rules"], matches)
    assert ("scen-reduced-timetable" in [m.id for m in ranked]) == kept
    assert ranked[0].id == ("scen-reduced-timetable" if kept else "ptt-agreement")


@pytest.mark.parametrize("follow_up", [
    "and if dad had already had one for him last year?",
    "she already got one for the same child last year",
])
def test_a_follow_up_to_guidance_telling_no_situation_gets_no_code(chat, follow_up):
    """After penalty notice amounts, "already had one last year" is about a second notice, never Year 11's last exam
    given as code C: a message that tells no situation and asks no code is not coded confidently."""
    chat.handle("t-pn", text="how much is a penalty notice for a term-time holiday")
    reply = chat.handle("t-pn", text=follow_up)[0]
    assert reply.kind != "code" and not reply.codes, (reply.kind, reply.id, reply.codes)


@pytest.mark.parametrize("text, follows", [
    ("and if one of them doesn't turn up at the provider one morning, then what do we do", True),
    ("what if the lad never arrives at the farm on his wednesday, who chases it up", True),
    ("and if he doesnt show up there one day?", True),
    ("if it helps, our register closes at 9.10 and the pupil arrived at 9.25 with no note from home", False),
])
def test_a_supposition_about_the_case_is_a_follow_up(text, follows):
    """"And if one of them doesn't turn up ...?" supposes a change to the case just discussed, however long it is."""
    from guidance.skills.retrieval import is_follow_up
    assert is_follow_up(text) == follows


@pytest.mark.parametrize("text, whereabouts", [
    ("do we need to know where he is during the day", True),
    ("should we record where she physically is", True),
    ("who can back me up on keeping her where she is?", False),   # staying put, not whereabouts
])
def test_knowing_where_a_pupil_is_reads_as_whereabouts(chat, text, whereabouts):
    """Knowing or recording where a pupil is means whereabouts (the knowledge's word); keeping a child where she is
    means something else."""
    tokens, _ = chat.index.query_tokens(text)
    assert ("whereabout" in tokens) == whereabouts, tokens


def test_codes_still_reachable_follow_the_stated_facts(knowledge):
    """A retrieved coding situation is only given when the stated facts still allow its code."""
    from guidance.facts import reachable_codes
    tree = knowledge.trees["tree-code"]
    late = reachable_codes(tree, {"registration": "late-after"})
    assert "U" in late and not {"I", "G", "B", "/"} & late
    assert reachable_codes(tree, {"reason": "illness"}) == {"I"}
    assert len(reachable_codes(tree, {})) == len({c for n in tree.nodes.values() for c in n.codes})


def test_a_fact_taken_away_is_asked_about_not_kept(chat):
    """'What if she wasn't dual registered?' drops that fact: the code it gave is not repeated, the question is asked."""
    assert chat.handle("n1", text="Y6 at the PRU today, she's dual registered")[0].codes[:1] == ("D",)
    reply = chat.handle("n1", text="what if she wasn't dual registered?")[0]
    assert reply.kind == "tree" and "D" not in reply.codes


def test_close_guidance_answers_give_the_best_and_offer_the_others(assistant):
    """When two pieces of guidance (no code at stake) come close, the best is given and the others are buttons,
    rather than a question back."""
    reply = assistant.answer("what should a social worker ask the school")
    assert reply.kind == "answer" and reply.id == "sw-request-checklist"
    assert any(b.action == "tree:tree-sw-request" for b in reply.buttons)


@pytest.mark.parametrize("turns", [
    [("Y7 on a reduced timetable, goes home every lunchtime", "code-c2"), ("who needs to agree to it?", "ptt-agreement"),
     ("how long can it go on for?", ("ptt-rules", "ptt-agreement"))],
    [("is there a code for a pupil on a part time timetable?", ("code-c2", "ptt-coding")),
     ("who has to agree to it?", "ptt-agreement")],
    [("off with chickenpox, dad phoned in", "code-i"),
     ("when do we have to let the LA know about illness?", "abs-illness-15-days")],
    [("came in at 9.40, register shut at 9.05, no explanation", "code-u"),
     ("why does lateness after close matter?", "hscp-lateness")],
])
def test_a_question_after_a_code_is_about_the_guidance_around_that_code(chat, turns):
    """After a coded situation, a short question ("who needs to agree to it?") is about the guidance linked to the
    code, not the code again and not a code that merely reads alike."""
    for i, (text, entry) in enumerate(turns):
        reply = chat.handle("c1", text=text)[0]
        assert reply.id in ((entry,) if isinstance(entry, str) else entry), (i, text, reply.kind, reply.id)


def test_a_question_that_restates_the_facts_is_not_a_changed_fact(chat):
    assert chat.handle("c2", text="the school has placed him at an AP it arranged and supervises")[0].codes[:1] == ("B",)
    reply = chat.handle("c2", text="what do we need to check before he starts there?")[0]
    assert reply.kind != "code" and not reply.text.startswith("Code B"), (reply.kind, reply.id)


@pytest.mark.parametrize("turns", [
    [("what does code L mean", "L"), ("what if they got in after the register closed?", "U")],
    [("what's code M for", "M"), ("what if it was a sickness bug instead?", "I")],
    [("explain code G", "G"), ("and if the head agreed it?", "C")],
])
def test_a_changed_fact_after_a_named_code_is_decided_from_what_the_code_takes_for_granted(chat, turns):
    """A code asked about by name leaves the situation it stands for, so "what if ...?" changes one fact of it."""
    _play(chat, "n1", turns)


def test_a_correction_of_the_last_situation_is_decided_again(chat):
    """"Oh wait, scrap that, ..." corrects a fact of the situation just coded, even in a longer message."""
    assert chat.handle("k1", text="y3 at the dentist all morning, missed reg")[0].codes[:1] == ("M",)
    reply = chat.handle("k1", text="oh wait, scrap that, her dad says she was in for reg and he took her at 10 for it")[0]
    assert reply.codes[:1] == ("/",), (reply.kind, reply.codes)


@pytest.mark.parametrize("text,asks", [
    ("my Y4 has been off since Tuesday with something going on at home, mum is being vague about it - do we put #?",
     ""),
    ("lad in year 8 hasn't been in for two days and the family situation is complicated, is it O?", ""),
    # late, with nothing to tell whether the register had closed: the one question that decides L or U
    ("the bus didn't come so she was 25 minutes late, code?", "register closed"),
    ("Y1 girl got in a bit late this morning, no note, what do I put?", "register closed"),
])
def test_a_code_guessed_in_a_situation_the_facts_leave_open_is_asked_about_not_confirmed(assistant, text, asks):
    """Naming a code in a story, or telling a story that leaves the deciding fact open, does not make a code the
    answer: the question that decides comes first."""
    reply = assistant.answer(text)
    assert reply.kind == "tree" and not reply.codes, (reply.kind, reply.codes)
    assert asks in reply.text


@pytest.mark.parametrize("text,code", [("what does code # mean", "#"), ("what does code N mean", "N")])
def test_a_named_code_is_explained_not_answered_with_a_walk_through(assistant, text, code):
    reply = assistant.answer(text)
    assert reply.kind == "code" and reply.codes[:1] == (code,), (reply.kind, reply.codes)


@pytest.mark.parametrize("text", [
    "she was marked in at 8.45 then went home with a temperature at 10",
    "present at 8.40 but left at 9.30 feeling unwell",
])
def test_present_at_registration_then_ill_is_present_for_that_session(assistant, text):
    assert assistant.answer(text).codes[:1] == ("/",)


def test_a_calculation_follow_up_with_another_count_keeps_the_possible_days(chat):
    chat.handle("d1", text="he's been off 12 days out of 100")
    reply = chat.handle("d1", text="what if he'd only had 8 days off?")[0]
    assert reply.kind == "calculation" and "Attended 92 of 100" in reply.text


def test_a_correction_naming_who_arranged_the_education_re_decides_the_code(chat):
    assert chat.handle("d2", text="Y8 taught at home by a tutor we commissioned ourselves and supervise, code?")[0] \
        .codes[:1] == ("B",)
    reply = chat.handle("d2", text="sorry, it was actually the local authority that set the tuition up, not us")[0]
    assert reply.codes[:1] == ("K",), (reply.kind, reply.codes)


def test_run_me_through_starts_a_walk_through(assistant):
    assert assistant.answer("run me through the part time timetable checks").id == "tree-ptt"


@pytest.mark.parametrize("turns", [
    [("y3 off with tonsillitis this morning, mum rang", "I"),
     ("what about the afternoon, she came in at 1.15 for afternoon reg", "\\")],
    [("child absent, no reason, day 3", "N"), ("it's now day 6 and still nothing", "O")],
    [("pupil at an AP the LA arranged 2 days a week", "K"), ("what if she's also on their roll?", "D")],
])
def test_a_follow_up_that_changes_the_session_the_day_count_or_the_roll_is_decided_again(chat, turns):
    _play(chat, "f1", turns)


def test_a_question_asked_first_is_not_drowned_by_the_story_after_it(assistant):
    reply = assistant.answer("what's Turnaround? came up at a TAC meeting in Eastleigh")
    assert reply.id == "yjs-turnaround"


@pytest.mark.parametrize("text", ["yr3 girl arrived at 9.40, what code?", "he got in at 10.05 with no note, mark?"])
def test_a_late_arrival_without_register_times_asks_whether_the_register_had_closed(assistant, text):
    """Arriving between 9.30 and 10.30 with no register times told is late, and L or U turns on the one fact not told:
    that question is asked, no code is guessed."""
    reply = assistant.answer(text)
    assert reply.kind == "tree" and not reply.codes and "before the register closed" in reply.text, (
        reply.kind, reply.codes, reply.text[:160])


def test_the_register_code_asked_after_guidance_on_a_situation_codes_it(chat):
    """"And the register code for those days?" after guidance on a provider the school commissions asks the code of
    that situation, not guidance on keeping registers that shares its words."""
    chat.handle("rc1", text="we commission a yr9 place at a farm-based provider two days a week, no DfE number, is it "
                            "registered AP?")
    assert chat.handle("rc1", text="and the register code for those days?")[0].codes[:1] == ("B",)


def test_a_question_ending_on_what_was_told_is_read_with_it(assistant):
    """"... the senco wants him on a part time timetable. what are the rules on these?": "these" stands for what the
    situation told, so the question is read with its words and not lost in the rest of the story."""
    reply = assistant.answer("yr4 boy in eastleigh with awful anxiety, senco wants him on a part time timetable. "
                             "what are the rules on these")
    assert reply.id == "ptt-rules", (reply.kind, reply.id)


def test_a_follow_up_the_previous_setting_cannot_place_is_read_on_its_own_words(chat):
    """"Who keeps responsibility for safeguarding her there?" after a code matches nothing when read with the code, but
    is clear on its own: it is answered, not met with "I don't know"."""
    assert chat.handle("p1", text="yr10 at an outdoor learning provider we commission on fridays, their staff "
                                  "supervise him. code?")[0].codes[:1] == ("B",)
    reply = chat.handle("p1", text="who keeps responsibility for safeguarding him while he is there?")[0]
    assert reply.kind == "answer" and reply.id.startswith("ap-"), (reply.kind, reply.id)


def test_a_question_about_it_that_nothing_answers_closely_stays_on_the_previous_subject(chat):
    chat.handle("f1", text="what's Turnaround? came up at a TAC meeting in Eastleigh")
    reply = chat.handle("f1", text="what sort of kids is it aimed at?")[0]
    assert reply.id == "yjs-turnaround"


def test_details_deep_in_a_long_answer_are_found_by_a_follow_up(chat):
    chat.handle("f2", text="do schools record young carers in the census?")
    share = chat.handle("f2", text="what % of schools said they had none?")[0]
    assert "69%" in share.text
    gcse = chat.handle("f2", text="how much less likely are they to get 5 GCSEs with english and maths?")[0]
    assert "25% less likely" in gcse.text


def test_a_placement_in_another_county_is_read_as_out_of_area(assistant):
    reply = assistant.answer("our child in care now lives with foster carers in Wiltshire, who requests the review "
                             "health assessment?")
    assert reply.id == "lac-health-out-of-area"


def test_in_from_registration_is_present(chat):
    chat.handle("f3", text="Y4 girl on a part-time timetable agreed with mum, comes in at 10.30. morning mark?")
    reply = chat.handle("f3", text="that's changed, she's now in from registration for the whole morning. am code?")[0]
    assert reply.codes[:1] == ("/",)


def test_a_parent_insisting_on_a_provider_is_a_request_the_school_decides(assistant):
    """A parent insisting on or demanding a provider asks whether the school must use it: the school commissions and
    decides, so the answer is that guidance, not a register code for off-site education."""
    reply = assistant.answer("dad is demanding we use a horse riding AP he found for his daughter, must we?")
    assert reply.id == "ap-parent-request", (reply.kind, reply.id, reply.codes)


def test_an_addition_to_the_case_just_discussed_stays_on_its_subject(chat):
    """'The girl has an EHCP too, anything extra?' after a question about choosing an AP adds to that case: it is
    answered from the AP guidance (the local authority SEN team, which holds the plan, is told), not left unanswered."""
    chat.handle("u31", text="are we limited to providers on the council's AP framework?")
    reply = chat.handle("u31", text="the girl has an EHCP as well, is there anything extra for us to do then?")[0]
    assert reply.kind == "answer" and reply.id.startswith("ap-") and "SEN team" in reply.text, (reply.kind, reply.id)


def test_who_holds_safeguarding_is_asking_who_is_responsible(assistant):
    """'Who holds safeguarding' for a pupil at an AP asks who keeps responsibility: the school does."""
    reply = assistant.answer("who holds safeguarding for a year 10 placed at an alternative provider?")
    assert reply.id in ("ap-responsibilities", "ap-kcsie-2025"), (reply.kind, reply.id)
    assert "school" in reply.text.lower() and "responsib" in reply.text.lower()


@pytest.mark.parametrize("first,detail,expected", [
    ("at what point should a penalty notice be considered?", "within what timeframe?", "10 school weeks"),
    ("tell me about the Turnaround programme", "until when does it run?", "2029"),
])
def test_a_detail_asked_of_the_last_answer_is_answered_from_it(chat, first, detail, expected):
    """A short follow-up asking for a length of time the last answer gives is answered from that answer, not
    from whichever other entry mentions time."""
    chat.handle("u32", text=first)
    reply = chat.handle("u32", text=detail)[0]
    assert reply.kind == "answer" and expected in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("text", [
    "social worker in the CP team here. which bits of info do I need from the school on a young person's attendance?",
    "as a social worker what do I ask a school for about a child's attendance",
    "I'm a social worker, going into a junior school next week about a Y4 on a CP plan whose attendance is slipping. "
    "what should I be asking them for?",
])
def test_a_social_worker_asking_what_to_request_gets_the_whole_checklist(assistant, text):
    """A social worker asking what to get from a school is answered with the checklist as a whole, not one item of
    it (the items are parts of the checklist and close to the question on their own)."""
    reply = assistant.answer(text)
    assert reply.id == "sw-request-checklist", (reply.kind, reply.id)


def test_why_after_a_checklist_is_answered_from_the_reasons_it_links_to(chat):
    """'Why would X matter?' after the social worker's checklist asks why that item is on it: the reasons linked to
    the checklist, not other guidance that also says lateness matters."""
    chat.handle("u33", text="I'm a social worker, what should I ask the school about attendance?")
    reply = chat.handle("u33", text="why does lateness matter then?")[0]
    assert reply.id == "sw-why-each-item", (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    ("of 120 possible sessions he was on site for 100, at the college (coded B) for 6 and absent 14 - attendance %?",
     "88.3%"),
    ("the autumn term was 40 days and she had 4 days off ill (I), what's her attendance?", "90%"),
])
def test_figures_told_as_time_on_site_or_a_term_s_length_are_calculated(assistant, text, expected):
    """Sessions 'on site', a term's length as the possible days, and sessions given by code are counted the way the
    register counts them, and the percentage asked for outranks what the named code means."""
    reply = assistant.answer(text)
    assert reply.kind == "calculation" and expected in reply.text, (reply.kind, reply.id, reply.text[:120])


@pytest.mark.parametrize("text,expected", [
    ("what does PLAC stand for - it was all over the minutes from the last meeting", "term-plac"),
    ("we're about to start using a new alternative provider, what should we check before we do?", "ap-checks"),
    ("can we leave a Y9 at the AP for good if he's settled there?", "ap-objectives"),
    # registers "hung on to" are registers kept
    ("how long do we have to hang on to old registers?", "reg-records-kept"),
    # a provider's "venues" are the site locations the commissioner keeps records of
    ("our AP provider moves him between two venues during the week, do we need records of that?",
     "ap-commissioner-safeguarding"),
    # "what is it supposed to be for?" asks its purpose
    ("new head of year here, trust keen on AP. what is AP actually meant to be for?", "ap-objectives"),
    # "my child protection case" says a social worker asks: what a social worker asks about reduced hours
    ("school have put my child protection case on 2 hours a day, what do i need to ask them", "sw-reduced-hours"),
    ("is a 14 year old pinching from shops and fighting at home in scope for YJ prevention?",
     ("yjs-criteria", "yjs-community-required", "tree-yjs", "yjs-prevention")),
])
def test_everyday_wording_finds_its_guidance(assistant, text, expected):
    """An acronym asked about in one clause of a longer message, 'start using' a provider for commissioning one, a
    pupil kept at an AP for good, shoplifting told as 'pinching', what AP is 'meant to be for' and a social worker's
    'child protection case', each find the guidance they mean."""
    reply = assistant.answer(text)
    assert reply.id in ((expected,) if isinstance(expected, str) else expected), (reply.kind, reply.id)


def test_a_changed_percentage_told_of_the_pupil_recalculates(chat):
    """'And if he went up to 96%?' after a calculation is the same calculation with another figure."""
    chat.handle("u34", text="what does 92% attendance mean in days over a school year")
    reply = chat.handle("u34", text="and if he went up to 96%?")[0]
    assert reply.kind == "calculation" and "96" in reply.text, (reply.kind, reply.text[:120])


def test_which_day_asked_after_a_code_is_answered_from_that_code(chat):
    """'From which day must provision start?' after code E is answered from E's own rule (the sixth day)."""
    chat.handle("u35", text="Y8 suspended for two days, nothing arranged for him, what code?")
    reply = chat.handle("u35", text="and if it was a longer suspension, by which day does education have to be arranged?")[0]
    assert "sixth" in reply.text, (reply.kind, reply.id)


def test_a_situation_told_with_a_task_is_remembered_for_the_code_asked_next(chat):
    """A task is declined, but the situation it told (a class trip) is kept: the code asked next, with who supervises,
    is decided from both."""
    first = chat.handle("u36", text="please print the permission slips for the Y4 trip to the zoo next week")[0]
    assert first.kind == "fallback"
    reply = chat.handle("u36", text="ok. what do they get in the register that day, our own staff are going with them")[0]
    assert reply.codes[:1] == ("V",), (reply.kind, reply.id, reply.codes)


@pytest.mark.parametrize("first,then,expected", [
    ("what are the three tiers of alternative provision?", "so where would an education centre sit in that?", "ap-tiers"),
])
def test_in_that_refers_back_to_the_last_subject(chat, first, then, expected):
    """'Where does X sit in that?' asks about the subject just answered."""
    chat.handle("u37", text=first)
    reply = chat.handle("u37", text=then)[0]
    assert reply.id == expected, (reply.kind, reply.id)


def test_an_acronym_in_a_follow_up_does_not_pull_the_answer_to_its_meaning(chat):
    """'Who does the VSH report it to?' after pupil premium plus asks about PP+, not what VSH stands for."""
    chat.handle("u38", text="what's pupil premium plus?")
    reply = chat.handle("u38", text="so who would the VSH report its impact to?")[0]
    assert reply.kind != "glossary" and "Schools Forum" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    ("Y7 in Gosport gets her little brothers up and fed every morning as mum has MS. which service locally?",
     "yc-fareham-gosport"),
    ("we're a primary in Eastleigh, a Y3 girl is looking after her mum who drinks. local young carers group?",
     "yc-eastleigh"),
])
def test_a_town_named_in_the_message_finds_the_service_for_that_town(assistant, text, expected):
    """A town told in the story ('in Gosport') makes the local service titled with it the answer."""
    reply = assistant.answer(text)
    assert reply.id == expected, (reply.kind, reply.id)


def test_a_follow_up_of_few_words_stays_with_the_subject_just_explained(chat):
    """'How are the sessions off coded?' after RHP is explained asks about coding a reduced timetable (C2), not about
    whichever guidance also mentions codes and sessions."""
    chat.handle("u39", text="RHP meaning?")
    reply = chat.handle("u39", text="how do we code the sessions she's not in?")[0]
    assert "C2" in reply.codes[:1] or reply.id in ("ptt-coding", "code-c2"), (reply.kind, reply.id, reply.codes)


def test_time_passing_beyond_the_limit_re_decides_the_code(chat):
    """After N (no reason yet), 'and if there's still no reason by then?' means the five school days have passed: O."""
    chat.handle("u40", text="how long can we leave a pupil on code N?")
    reply = chat.handle("u40", text="and if there's still no reason by then?")[0]
    assert reply.codes[:1] == ("O",), (reply.kind, reply.id, reply.codes)


@pytest.mark.parametrize("text", [
    "mum is taking the twins out for ten days during term time to visit family, can she?",
    "parents want to pull him out of school for a fortnight in May for a wedding abroad - is that allowed?",
])
def test_taking_a_child_out_in_term_time_is_read_as_leave(assistant, text):
    """Taking a child out of school in term time, or asking to, is a question about leave of absence."""
    reply = assistant.answer(text)
    assert reply.id in ("leave-term-time-holiday", "leave-of-absence", "scen-exceptional-leave",
                        "scen-holiday-not-granted"), (reply.kind, reply.id)


def test_a_term_asked_about_written_out_gets_its_meaning(assistant):
    """'What is a learning support assistant?' asks about the LSA, written out in full; the designated teacher, who
    has guidance of their own, gets that."""
    assert assistant.answer("what is a learning support assistant?").id == "term-lsa"
    assert assistant.answer("who's the designated teacher in a school?").id in ("term-dt", "vs-designated-teacher")


def test_how_long_after_an_answer_stays_on_its_subject(chat):
    """'How long for?' after the part-time timetable rules asks about those, not another service's length."""
    chat.handle("u41", text="is a part-time timetable allowed for a pupil with anxiety?")
    reply = chat.handle("u41", text="how long for?")[0]
    assert reply.id.startswith("ptt-"), (reply.kind, reply.id)


def test_taking_away_being_on_the_other_roll_re_decides(chat):
    """'What if she wasn't on their roll?' after D takes dual registration away: D is no longer the code."""
    chat.handle("u42", text="Y11 at the college two days a week, we set it up, she's on their roll too, code?")
    reply = chat.handle("u42", text="what if she wasn't on their roll?")[0]
    assert reply.codes[:1] != ("D",) and reply.kind in ("code", "tree"), (reply.kind, reply.codes)


def test_an_acronym_asked_after_another_is_answered_as_its_own_subject(chat):
    """'Can they get PP+?' after PLAC is explained names a subject of its own (PP+), answered confidently."""
    chat.handle("u43", text="what's PLAC?")
    reply = chat.handle("u43", text="can they get PP+?")[0]
    assert reply.kind == "answer" and reply.id == "ppplus-what", (reply.kind, reply.id)


def test_their_email_is_asked_of_the_last_subject_not_answered_from_another(chat):
    """'What's their email?' after a Virtual School answer is never answered with another service's email."""
    chat.handle("u44", text="who do I speak to at the virtual school about a PEP meeting?")
    reply = chat.handle("u44", text="what's their email?")[0]
    assert not (reply.id or "").startswith("yjs-"), (reply.kind, reply.id)


def test_over_a_year_after_a_calculation_gives_days_a_year(chat):
    """'And over a year?' after a calculation restates it as days missed over a school year."""
    chat.handle("u45", text="she's missed 12 of 140 sessions so far")
    reply = chat.handle("u45", text="and over a school year?")[0]
    assert reply.kind == "calculation" and "year" in reply.text, (reply.kind, reply.id)


def test_not_attending_the_provision_is_absence_never_the_provision_code(chat):
    """'And if she doesn't turn up there?' after B takes her away from the provision: absence, never B again."""
    chat.handle("u46", text="Y9 at an alternative provision two days a week, we commissioned it, their staff supervise, code?")
    reply = chat.handle("u46", text="and if she doesn't turn up there one day?")[0]
    assert reply.codes[:1] not in (("B",), ()) and "not B" in reply.text, (reply.kind, reply.codes)


@pytest.mark.parametrize("text,risk", [
    ("locked out of my email account again, how do I get back in?", False),
    ("Y3 girl says she was locked out of the house until 9pm last night", True),
])
def test_locked_out_is_a_risk_only_for_a_child(assistant, text, risk):
    """A child locked out of home is a risk; a member of staff locked out of an account is not."""
    assert (assistant.answer(text).kind == "safeguarding") is risk


@pytest.mark.parametrize("text,expected", [
    ("grandad keeps pressuring us to use a riding school as AP for her, are we obliged to?", "ap-parent-request"),
])
def test_pressure_to_use_a_provider_is_a_request_the_school_decides(assistant, text, expected):
    """Pressure to use a provider, and 'are we obliged to', ask whether the school has to: it decides."""
    assert assistant.answer(text).id == expected


def test_asking_how_an_old_mark_counted_is_a_coding_question(assistant):
    """'They used to put X for this and count it as present?' asks how to mark it: the code from the facts."""
    reply = assistant.answer("Y11 had a college interview all morning - last place put V for it and counted it as "
                             "present?")
    assert reply.codes[:1] == ("J1",), (reply.kind, reply.codes)


@pytest.mark.parametrize("text", [
    "which code do we use for unauthorised absence if nothing else fits?",
    "unauthorised absence and none of the other codes fit, what then?",
])
def test_the_code_for_unauthorised_absence_no_other_code_covers_is_o(assistant, text):
    """Unauthorised absence that no specific code fits is O."""
    assert assistant.answer(text).codes[:1] == ("O",)


def test_a_town_named_once_is_round_here_for_the_rest_of_the_conversation(chat):
    """A place told at the start ("at our Havant primary") answers a later "round here" question; the town is kept,
    nothing about the child."""
    chat.handle("u1", text="we've a Y5 at our Havant primary who looks after her disabled brother most evenings, "
                           "would that make her a young carer?")
    reply = chat.handle("u1", text="is there a young carers project near us?")[0]
    assert reply.id == "yc-havant", (reply.kind, reply.id)
    other = chat.handle("u2", text="is there a young carers project near us?")[0]
    assert other.id != "yc-havant"   # another user named no town


def test_a_follow_up_to_a_walk_through_outcome_changes_one_of_its_answers(chat):
    """After walking to a code, "and for the morning?" changes the session the walk was told, not the subject."""
    start = chat.handle("u1", text="walk me through which code to use")[0]
    present = next(b for b in start.buttons if b.label.lower().startswith("in school at registration"))
    session = chat.handle("u1", action=present.action)[0]
    afternoon = next(b for b in session.buttons if b.label.lower().startswith("afternoon"))
    assert chat.handle("u1", action=afternoon.action)[0].codes[:1] == ("\\",)
    assert chat.handle("u1", text="and for the morning?")[0].codes[:1] == ("/",)


def test_absent_all_day_instead_drops_the_arrival_told_before(chat):
    """A late arrival after an appointment, then "what if he'd been off sick all day": no arrival is left, so I."""
    _play(chat, "u1", [("Y3 boy at the orthodontist first thing, dad brought him in at 10.50, reg closes 9.15, code?",
                        "M"),
                       ("what if he'd been off sick all day instead?", "I")])


def test_a_bare_number_after_a_percentage_is_another_percentage(chat):
    """"and 85?" after a question about 92% attendance recalculates for 85%."""
    first = chat.handle("u1", text="how many days off a year is 92% attendance?")[0]
    assert first.kind == "calculation"
    again = chat.handle("u1", text="and 85?")[0]
    assert again.kind == "calculation" and "85" in again.text, again.text[:200]


def test_fine_meaning_all_right_is_not_a_penalty_notice(assistant):
    """"dad says 88% is fine" is about attendance being all right, not a fine."""
    reply = assistant.answer("dad says 88% is fine for his daughter, how can I show him it isn't?")
    assert not reply.id or not reply.id.startswith("pn-"), (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    # a relative clause after a comma describes: the question is the whole sentence
    ("Where can a Y6 get help, who cares for his mum, who has MS?",
     "Where can a Y6 get help, who cares for his mum, who has MS?"),
    ("Y9 lad in our hub, who has to agree a part-time timetable?", "who has to agree a part-time timetable?"),
    ("what is a PEP for? the carer says it's a waste of time, which I doubt", "what is a PEP for?"),
])
def test_the_question_in_a_message_is_not_split_at_a_relative_clause(text, expected):
    assert (asked_part(text) or text) == expected


def test_why_a_checklist_item_matters_is_answered_with_the_reasons(chat):
    """After the social worker's checklist, "why is lateness such a big deal?" gets why, not what to ask for again."""
    chat.handle("u1", text="social worker here, which attendance information should I get from the school?")
    reply = chat.handle("u1", text="why is lateness such a big deal?")[0]
    assert reply.id in ("sw-why-each-item", "hscp-lateness"), (reply.kind, reply.id)


@pytest.mark.parametrize("text,code", [
    ("Y2 girl absent, rang twice and left a voicemail, nobody picking up. what goes on the register for now?", "N"),
    ("nursery class kids are all aged 4, half days only this week, what for the afternoons", "X"),
])
def test_more_everyday_facts_decide_the_code(assistant, text, code):
    reply = assistant.answer(text)
    assert reply.codes[:1] == (code,), (reply.kind, reply.id, reply.codes)


def test_sessions_attended_out_of_those_possible_are_calculated(assistant):
    reply = assistant.answer("Y10 was in for 250 out of 300 possible, what's her %?")
    assert reply.kind == "calculation" and "83.3" in reply.text, reply.text[:200]


def test_whether_the_head_can_authorise_a_holiday_is_the_rule_not_a_code(assistant):
    """A holiday story ending "can the head authorise that?" asks the rule on term-time holidays."""
    reply = assistant.answer("family want to take the kids to Spain for ten days in October half term week plus "
                             "three extra days. can the head authorise that?")
    assert reply.id == "leave-term-time-holiday", (reply.kind, reply.id)


def test_a_third_offence_written_as_a_number_is_read(chat):
    """"the 3rd time" after penalty notice amounts is the limit on notices (prosecution)."""
    chat.handle("u1", text="how much is a penalty notice?")
    reply = chat.handle("u1", text="what if it's the 3rd one for that family?")[0]
    assert reply.id == "pn-limits", (reply.kind, reply.id)


@pytest.mark.parametrize("text,percent", [
    ("80 sessions, 12 of them late before the register closed, and 8 absences - attendance %?", "90"),
    ("she missed 6 sessions in 4 weeks, what's that as a percentage?", "85"),
])
def test_unlabelled_totals_and_spans_of_weeks_are_counted(assistant, text, percent):
    """"80 sessions, ... 8 absences": 80 is the whole; "in 4 weeks" is 40 possible sessions."""
    reply = assistant.answer(text)
    assert reply.kind == "calculation" and f"attendance {percent}%" in reply.text, reply.text[:200]


def test_figures_told_with_a_penalty_question_get_the_penalty_rule(assistant):
    reply = assistant.answer("he's had 11 sessions unauthorised over the last 10 school weeks, can we issue a fine?")
    assert reply.kind != "calculation" and (reply.id or "").startswith("pn-"), (reply.kind, reply.id)


def test_sports_day_is_not_an_approved_sporting_activity(assistant):
    """Sports day is the school's own event, and a weather question about it is out of scope, not a code."""
    assert assistant.answer("will it rain for sports day in Basingstoke on Friday?").kind != "code"


def test_who_is_asking_said_at_the_end_is_not_the_subject(assistant):
    """", DSL here" says who asks; the question is about Team Around the Child meetings."""
    reply = assistant.answer("what's a TAC meeting for, DSL here")
    assert reply.id in ("sw-team-around-child", "term-tac"), (reply.kind, reply.id)


@pytest.mark.parametrize("text,local", [
    ("is there anywhere schools have to log that a pupil is a young carer? we're a primary in Hart", False),
    ("what is a young carer? asking for our Andover juniors", False),
    ("staff training on identifying young carers, we're in Havant", False),
    ("who supports young carers in Hart?", True),
    ("young carer in Gosport, who do we refer her to", True),
])
def test_a_town_changes_the_answer_only_when_the_local_service_is_asked_for(assistant, text, local):
    """Where a school is ('we're in Hart') does not make a question about recording, definitions or training a
    question about the local young carers project; asking who supports or takes referrals there does."""
    reply = assistant.answer(text)
    assert reply.kind == "answer" and reply.id.startswith("yc-"), (reply.kind, reply.id)
    town = reply.id in {"yc-hart-rushmoor", "yc-andover", "yc-havant", "yc-fareham-gosport"}
    assert town == local, (reply.kind, reply.id)


def test_a_why_question_is_not_answered_with_a_local_service(assistant):
    """A reason is the same wherever it is asked: a town named beside a "why" question does not make it local."""
    reply = assistant.answer("why do so few pupils tell us they are young carers? we're a Havant secondary")
    assert reply.id != "yc-havant", (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    ("new to the CIN team - which bits of attendance info should I get off the school?",
     ("sw-request-checklist", "sw-key-actions")),
    ("school keep suspending him, what do I need from them as his SW?", "sw-suspensions"),
    ("dad reckons 89% is fine for his son, how do I explain that it isn't", "sw-ninety-percent"),
])
def test_social_workers_asking_in_their_own_words_get_their_guidance(assistant, text, expected):
    """A social worker saying who they are in passing ("new to the CIN team", "as his SW") and asking in everyday
    words gets the guidance written for them; "is fine" there means all right, not a penalty."""
    reply = assistant.answer(text)
    assert reply.id in (expected if isinstance(expected, tuple) else (expected,)), (reply.kind, reply.id)


def test_an_acronym_met_in_the_situation_is_not_the_subject_asked(assistant):
    """"What is X? (the DSL mentioned it at a TAC)": the question is about X; TAC only says where it came up."""
    reply = assistant.answer("what is Turnaround? the DSL brought it up at a TAC")
    assert reply.id == "yjs-turnaround", (reply.kind, reply.id)


def test_a_follow_up_about_the_last_answer_stays_with_it_against_an_unrelated_second_opinion(chat):
    """"Who is it aimed at?" after Turnaround is about Turnaround, whatever another subject's words match."""
    chat.handle("u1", text="what's the Turnaround programme?")
    reply = chat.handle("u1", text="what kind of kids is it aimed at?")[0]
    assert reply.id in ("yjs-turnaround", "yjs-prevention", "yjs-criteria"), (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    ("EOTAS - what does that mean? it's on a transfer form we've had", "term-eotas"),
    ("the DSL kept talking about 'micro-transitions' at the meeting, what did she mean?", "sw-lesson-attendance"),
])
def test_a_term_named_then_asked_about_gets_its_meaning(assistant, text, expected):
    """A term named first and then asked about with a pronoun ("X - what does that mean?", "'X'... what did she
    mean?") is the subject asked about."""
    reply = assistant.answer(text)
    assert reply.id == expected, (reply.kind, reply.id)


def test_a_fact_changed_after_asking_how_the_code_counts_still_changes_the_case(chat):
    """'Does that count as absence?' answers about the code and keeps the case, so a later 'what if the school had
    set it up?' re-decides it with that one fact changed."""
    assert chat.handle("f1", text="the LA tuition service sends a tutor to his home on Mondays, what code for those "
                                  "sessions?")[0].codes[:1] == ("K",)
    chat.handle("f1", text="does that count as an absence?")
    reply = chat.handle("f1", text="what if the school had arranged the tutor instead, supervised throughout?")[0]
    assert reply.codes[:1] == ("B",), (reply.kind, reply.id, reply.codes)


def test_what_ages_after_a_service_gives_its_age_range(chat):
    """'What ages do they take?' straight after an answer about a service is its age range."""
    chat.handle("f2", text="do parents need to sign the youth justice prevention referral form?")
    reply = chat.handle("f2", text="what ages do they take?")[0]
    assert "10 to 17 and three quarters" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("text,code", [
    ("a supply teacher said P for any off-site lesson, but it's a museum visit our own staff run. code?", "V"),
    ("first day off, nothing from home - surely that counts as O?", "N"),
])
def test_a_code_someone_suggested_is_weighed_not_taken(assistant, text, code):
    """A code another person suggested ("someone said P") is named, and the facts decide."""
    reply = assistant.answer(text)
    assert reply.codes[:1] == (code,), (reply.kind, reply.id, reply.codes)


def test_a_year_group_added_at_the_end_is_not_a_code(assistant):
    """'... in Totton, Y4' gives the pupil's year group, not code Y4."""
    reply = assistant.answer("who supports young carers round Totton, Y4")
    assert "Y4" not in reply.codes and reply.kind != "tree", (reply.kind, reply.id, reply.codes)


def test_calculation_follow_ups_restate_the_figures(chat):
    """'And at 95?' recalculates with the new percentage; 'how many sessions is that?' gives the days missed a year
    as sessions too."""
    chat.handle("f3", text="she's at 90%, how many days is that missed over a year?")
    reply = chat.handle("f3", text="and at 95?")[0]
    assert reply.kind == "calculation" and "9.5 days" in reply.text, reply.text
    reply = chat.handle("f3", text="how many sessions is that?")[0]
    assert reply.kind == "calculation" and "19 sessions" in reply.text, reply.text


def test_exploitation_signs_bring_the_exploitation_routes_after_escalation(assistant):
    """A child at risk with signs of exploitation gets escalation first, then the CERAF and the Willow Team."""
    reply = assistant.answer("Y9 keeps going missing after school, comes back with cash and a new phone, older lads "
                             "pick him up in a car")
    assert reply.kind == "safeguarding" and reply.text.startswith("If a child is in immediate danger")
    assert "Willow Team" in reply.text and "CERAF" in reply.text


def test_a_question_about_a_young_carer_is_not_an_alarm(assistant):
    """Caring for a parent at home, asked about as young caring, is not escalated as a disclosure."""
    reply = assistant.answer("Y7 always late, turns out he gets his little brother up and ready because mum has MS. "
                             "is he a young carer?")
    assert reply.kind != "safeguarding", (reply.kind, reply.id)


def test_caring_told_as_the_reason_for_lateness_is_not_an_alarm(chat):
    """A child late because she gets her little brother ready while mum is depressed is told as the reason for a
    late mark: caring, not danger now, and not escalated; the same caring with no food and a parent not waking is."""
    chat.handle("u10", text="yr 4 girl came in at 9.40 again, our reg shuts at 9.05. code?")
    caring = chat.handle("u10", text="mum says she's late because she gets her baby brother dressed and fed every "
                                     "morning, mum's depressed and stays in bed")[0]
    assert caring.kind != "safeguarding", (caring.kind, caring.id)
    danger = chat.handle("u11", text="she gets her little brother ready every morning, and today says mum hasn't woken "
                                     "up since taking tablets last night")[0]
    assert danger.kind == "safeguarding", (danger.kind, danger.id)


def test_the_same_again_repeats_the_last_code(chat):
    """'Same for tomorrow?' after a coded situation changes nothing: the same code again."""
    chat.handle("u12", text="Y5 off with chickenpox today, code?")
    reply = chat.handle("u12", text="same for tomorrow?")[0]
    assert reply.codes[:1] == ("I",), (reply.kind, reply.codes)
    spots = chat.handle("u13", text="Y2 at home covered in spots, mum rang in, code for today?")[0]
    assert spots.codes[:1] == ("I",), (spots.kind, spots.codes)


def test_a_young_carer_telling_of_danger_at_home_is_escalated(assistant):
    """Being a young carer never hides a danger told with it: a parent who took too many pills is escalated."""
    reply = assistant.answer("our young carer in Y5 says dad took loads of his tablets last night and wouldn't wake "
                             "up properly this morning, she had to leave him to come in")
    assert reply.kind == "safeguarding", (reply.kind, reply.id)


@pytest.mark.parametrize("follow,expected", [
    ("what if she'd only missed 24?", "92"),
    ("what if it was 24 instead of 36?", "92"),
    ("what if she'd missed 12 fewer sessions?", "92"),
])
def test_a_changed_figure_recalculates_against_the_same_possible_sessions(chat, follow, expected):
    """After a calculation, a new number missed, one figure replaced, or fewer missed keeps the possible sessions."""
    chat.handle("f9", text="300 possible sessions so far and she's missed 36, attendance?")
    reply = chat.handle("f9", text=follow)[0]
    assert reply.kind == "calculation" and f"attendance {expected}%" in reply.text, reply.text


def test_two_pupils_told_by_name_the_one_asked_about_is_coded(assistant):
    """'Ella in at 9.02, Jack got in at 9.20, code for Jack?': Jack's facts decide Jack's code, not Ella's."""
    reply = assistant.answer("registers open 8.40 to 9.05. Priya got in at 8.58, Sam came in at 9.30 with no note. "
                             "code for Sam?")
    assert reply.codes[:1] == ("U",), (reply.kind, reply.codes)
    reply = assistant.answer("registers open 8.40 to 9.05. Priya got in at 8.58, Sam came in at 9.30 with no note. "
                             "code for Priya?")
    assert reply.codes[:1] == ("L",), (reply.kind, reply.codes)


def test_since_when_after_a_dated_answer_gives_it_again(chat):
    """'Since when?' straight after an answer that gives a year is answered from that answer."""
    first = chat.handle("f10", text="how many young carers have hampshire schools identified in the census")[0]
    reply = chat.handle("f10", text="since when?")[0]
    assert reply.id == first.id and reply.kind == "answer", (reply.kind, reply.id)


def test_an_acronym_people_keep_saying_is_explained(assistant):
    """'Everyone keeps saying RHP, what is it': who says it is only where it was met; the acronym is asked about."""
    reply = assistant.answer("new to attendance, everyone keeps saying RHP, what is it")
    assert reply.kind == "glossary" and reply.id == "term-rhp", (reply.kind, reply.id)


def test_the_code_bit_or_sessions_names_the_code(chat):
    """'Does the K bit count as present?' names code K, even after another code was given."""
    chat.handle("u8", text="yr 9 cant attend for medical reasons, the LA have arranged home tuition 3 mornings a wk. "
                           "code for the tuition sessions?")
    reply = chat.handle("u8", text="does the K bit count as present in our figures or as absence?")[0]
    assert reply.codes[:1] == ("K",) and "approved educational activity" in reply.text.lower(), (reply.id, reply.text)


def test_a_code_asked_after_guidance_on_a_situation_codes_that_situation(chat):
    """After a social worker's guidance on part-time timetables, 'what code do they use for the sessions she's not
    in?' asks the code for a part-time timetable: C2."""
    chat.handle("u9", text="CP plan, 8yo girl, school have her on a reduced timetable. what should i be asking them for")
    reply = chat.handle("u9", text="what code are they meant to use for the sessions shes not in")[0]
    assert reply.codes[:1] == ("C2",), (reply.kind, reply.id, reply.codes)


def test_codes_given_with_lates_count_the_lates_as_present(assistant):
    """'No absences except 5 L and 7 U': late before the register closed is present, so 53 of 60 were attended;
    days written in words convert to sessions."""
    reply = assistant.answer("60 possible sessions. no absences except 5 L codes and 7 U codes. what's his attendance %")
    assert reply.kind == "calculation" and "Attended 53 of 60" in reply.text and "88.3%" in reply.text
    words = assistant.answer("how many sessions is seven and a half school days?")
    assert words.kind == "calculation" and "15 sessions" in words.text


@pytest.mark.parametrize("text,not_code", [
    ("stayed home to look after mum who has flu, what code?", "I"),
    ("dad's in hospital so she's off today, code?", "I"),
])
def test_a_relative_s_illness_is_not_the_pupil_s_illness(assistant, text, not_code):
    """A relative's illness is not the pupil's: never I; the school's decision on leave (C or O) decides."""
    reply = assistant.answer(text)
    assert not_code not in reply.codes[:1], (reply.kind, reply.codes)


def test_a_pupil_ill_as_well_as_a_relative_is_ill(assistant):
    """'Mum has flu and he's got it as well': the pupil is ill too, so I."""
    reply = assistant.answer("mum has flu and he's got it as well, so he's off today. code?")
    assert reply.codes[:1] == ("I",), (reply.kind, reply.codes)


def test_a_message_opening_with_what_something_is_asks_about_that_thing(assistant):
    """'What's Turnaround? is it the same as the prevention team?': the first question names what 'it' is."""
    reply = assistant.answer("whats turnaround? is it the same thing as the prevention team")
    assert reply.id == "yjs-turnaround", (reply.kind, reply.id)


def test_a_question_naming_its_subject_is_read_on_its_own_despite_it(assistant):
    """'Can the young carers project support dad too, or is it only for her?' names its subject; the 'it' does not tie
    it to the story before (as 'should I put that on the form?' would)."""
    reply = assistant.answer("dad has Parkinson's and the 13yo does everything at home since his carer stopped. can "
                             "the young carers project support dad too, or is it only for her?")
    assert reply.kind == "answer" and reply.id.startswith("yc-"), (reply.kind, reply.id)


def test_an_item_of_the_list_just_given_is_answered(chat):
    """'And the third?' after an answer that lists things gives that item; 'last one?' the last."""
    chat.handle("u14", text="which pupils are most at risk of persistent unauthorised absence according to the DfE?")
    third = chat.handle("u14", text="and third?")[0]
    assert third.id == "hscp-risk-factors" and "Number 3 of 4 on that list: Alternative provision" in third.text
    last = chat.handle("u14", text="the last one?")[0]
    assert "Number 4 of 4 on that list: Free school meals" in last.text, last.text[:120]


def test_a_register_kept_open_longer_and_its_details_are_answered(chat):
    """'Wants the morning register open for 45 mins ... is that allowed?' is the 30-minute rule; 'does the afternoon
    have to match?' and 'where do we have to set that out?' are details that same answer gives."""
    first = chat.handle("u18", text="new head wants the morning register open for 45 mins so the bus kids aren't "
                                    "marked late, is that allowed?")[0]
    assert first.id == "reg-open-time" and "30 minutes" in first.text, (first.kind, first.id)
    match = chat.handle("u18", text="does the afternoon have to match?")[0]
    assert match.id == "reg-open-time", (match.kind, match.id)
    where = chat.handle("u18", text="where do we have to set that out?")[0]
    assert where.id == "reg-open-time" and "attendance policy" in where.text, (where.kind, where.id)


def test_how_to_hear_a_child_who_clams_up_is_practice_not_a_mark(chat):
    """'How do I get a Y2 to tell me why she doesn't want to go to school? she clams up' asks how to hear the child,
    not how to mark an absence; 'what do I do with it?' next asks about her views, still not a mark."""
    first = chat.handle("u19", text="how do i get a yr2 to tell me why she doesnt want to go to school, she just clams up")[0]
    assert first.id == "voice-pupil" and not first.codes, (first.kind, first.id, first.codes)
    then = chat.handle("u19", text="and once she's told me, what do i do with it?")[0]
    assert then.id == "voice-pupil" and not then.codes, (then.kind, then.id, then.codes)


def test_what_do_i_do_after_a_situation_still_asks_for_its_mark(assistant):
    """'What do I do?' after an absence told asks how to mark it (the child not wanting to come in: O)."""
    reply = assistant.answer("y9 girl didn't want to come in today, mum rang to say so. what do i do?")
    assert reply.codes[:1] == ("O",), (reply.kind, reply.id, reply.codes)


def test_flexi_schooling_told_in_passing_is_coded_as_flexi_schooling(chat):
    """'Mum wants to flexi school her, 3 days with us and 2 at home: how do I mark the home days?' is flexi-schooling
    (C, no flexi code yet), not a part-time timetable (C2)."""
    reply = chat.handle("u20", text="mum wants to flexi school her yr1, 3 days with us and 2 at home. how do i mark "
                                    "the home days?")[0]
    assert reply.codes[:1] == ("C",) and "no current plans to introduce an attendance code for flexi-schooling" \
        in reply.text, (reply.kind, reply.id, reply.codes)


@pytest.mark.parametrize("follow_up", ["do we have to record her as a young carer anywhere official?",
                                       "do we have to record her anywhere for the census?"])
def test_recording_a_young_carer_officially_is_the_census_not_a_mark(chat, follow_up):
    """After a late young carer, recording her 'anywhere official' or 'for the census' asks about the January
    census, not how to mark her lateness."""
    user = f"u21-{len(follow_up)}"
    chat.handle(user, text="y8 girl late most days as she cares for mum, who can help")
    reply = chat.handle(user, text=follow_up)[0]
    assert reply.id == "yc-definition" and "January school census" in reply.text, (reply.kind, reply.id)


def test_a_part_time_timetable_follow_ups_stay_on_the_timetable(chat):
    """After the part-time timetable rules, 'do we need mum on board?' is the parent's agreement (not a youth
    justice referral's consent), and 'how long can we keep it going' its time limit (not how long registers are
    kept)."""
    chat.handle("u22", text="senco wants a yr4 on a part time timetable. what are the rules on these")
    consent = chat.handle("u22", text="do we need mum on board?")[0]
    assert consent.id == "ptt-agreement" and "agreement of both the school and the parent" in consent.text, consent.id
    how_long = chat.handle("u22", text="how long can we keep it going")[0]
    assert how_long.id.startswith("ptt-") and ("shortest time" in how_long.text or "end date" in how_long.text), \
        how_long.id


def test_a_child_doing_much_of_the_caring_reads_as_a_young_carer(assistant):
    """'The eldest does a lot of the mornings' while mum has MS: a young carer, though no caring verb names the child."""
    reply = assistant.answer("mum has MS and the eldest, who's 12, does a lot of the mornings. who could support her?")
    assert reply.id.startswith("yc-"), (reply.kind, reply.id)


def test_the_session_asked_about_decides_when_another_is_told(assistant):
    """'Comes in for the whole morning from registration; just the afternoons he isn't timetabled for - what goes in
    those?' asks about the afternoons (C2), not the morning he attends (/)."""
    reply = assistant.answer("on a part time timetable, he now comes in for the whole morning from registration. just "
                             "the afternoons he isnt timetabled for - what goes in those?")
    assert reply.codes[:1] == ("C2",), (reply.kind, reply.id, reply.codes)


def test_a_code_named_after_a_decided_case_is_weighed_against_that_case(chat):
    """'Can't we just use the # like before?' after a staggered start was coded explains why not # for this case,
    rather than starting the code walk-through again as if nothing had been told."""
    chat.handle("u23", text="our YR kids do a staggered start for the first 2 wks of sept, most are still 4. what do "
                            "we code the sessions they're not in?")
    reply = chat.handle("u23", text="cant we just use the # like we did a couple of years ago?")[0]
    assert reply.kind != "tree" and "not be used for staggered starts" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("text", ["she rocks up at 10.15, what do we put", "he rolls in at 9.40 most days, code?"])
def test_arrival_in_everyday_words_is_read_as_arriving(assistant, text):
    """'Rocks up' and 'rolls in' at a time are arrivals: with no closing time told, whether the register had closed
    is asked (never a fallback, never a guessed code)."""
    reply = assistant.answer(text)
    assert reply.kind == "tree" and "register closed" in reply.text, (reply.kind, reply.id, reply.codes)


def test_a_trailing_should_i_asks_and_the_days_off_with_it_are_the_case(chat):
    """'... wants me to back her up. should i' asks a question (GP letters), so the anxiety is not coded unasked;
    'what would school code the days she's off with it' then codes that illness (I), never another situation."""
    first = chat.handle("u26", text="SW here - mum wants the GP to sign her yr8 off school for anxiety and wants me "
                                    "to back her up. should i")[0]
    assert first.id == "gp-letters" and not first.codes, (first.kind, first.id, first.codes)
    chat.handle("u26", text="so what can the GP actually give")
    coded = chat.handle("u26", text="and what would school code the days she's off with it")[0]
    assert coded.codes[:1] == ("I",), (coded.kind, coded.id, coded.codes)


def test_a_remark_after_the_question_and_a_newly_allocated_social_worker_are_read_as_such(assistant):
    """'... what should I be asking her school for? dont want to just get a % back': the remark after the question
    is about the asker, and 'hiya, newly allocated SW' is a social worker asking: the social worker's checklist."""
    assert asked_part("what should i be asking her school for about attendance? dont want to just get a % back") == \
        "what should i be asking her school for about attendance?"
    reply = assistant.answer("hiya, newly allocated SW in andover, yr7 girl on a CIN plan. what should i actually be "
                             "asking her school for about attendance? dont want to just get a % back")
    assert reply.id == "sw-request-checklist", (reply.kind, reply.id)


def test_travelling_to_a_provision_is_not_read_as_online(chat):
    """'Does the travel there count?' after the AP hours limit is not about online behaviour."""
    chat.handle("u30", text="how do i make sure an AP we use isn't basically operating as an unregistered school?")
    reply = chat.handle("u30", text="does the travel there count?")[0]
    assert reply.id != "yjs-online", (reply.kind, reply.id)


@pytest.mark.parametrize("turns", [
    # the LA "now sending" a tutor arranges the education: K for those mornings
    [("yr6 with leukaemia, how do we code the days she's in hospital and too ill to do anything?", "I"),
     ("the LA is now sending a home tutor 3 mornings a week, what about those mornings?", "K")],
    # N while the reason is sought; never hearing back supposes no reason ever comes
    [("yr10 not in today, no phone call, first day message sent and ive left mum 3 voicemails. what do i put for now",
      "N"), ("what if we still never hear anything back?", "O")],
    # "no explanation a week later": the "no" denies an explanation, not the week gone by
    [("yr8 not in today, tried mum twice and left voicemails, nothing back. what do i put", "N"),
     ("still no explanation a week later", "O")],
    # news of the same case: the day after a religious day, which the head is ok with, is leave granted
    [("yr5 girl in eastleigh off today for eid, parents let us know last week", "R"),
     ("they've asked for tomorrow as well and the head's ok with it", "C")],
    # the days before provision starts, after a suspension: the same case, coded again
    [("yr9 boy got an 8 day suspension, no provision yet, what code", "E"),
     ("so what goes in the register for the days before that?", "E")],
], ids=["la-sending-tutor", "never-hear-back", "no-reason-a-week-later", "extra-day-after-eid", "days-before-that"])
def test_news_of_a_coded_case_recodes_it(chat, turns):
    """A follow-up telling what happened next in a case just coded is coded with that news."""
    _play(chat, "u24", turns)


def test_what_a_code_means_asked_after_a_story_is_answered_with_the_code(chat):
    """'Loads of U's on a printout for a child on a CP plan. what's a U?' asks what U means (not a social worker's
    key actions); 'does it really count against her' then asks how U counts."""
    first = chat.handle("u31", text="SW, looking at a school printout for a yr3 on a CP plan, loads of U's on it. "
                                    "what's a U?")[0]
    assert first.kind == "code" and first.codes[:1] == ("U",), (first.kind, first.id, first.codes)
    then = chat.handle("u31", text="mum says it's only 10 mins, does it really count against her")[0]
    assert "unauthorised" in then.text, (then.kind, then.id)


def test_does_either_one_hurt_his_percentage_asks_how_the_code_counts(chat):
    """'Does either one hurt his %' after a code asks how it counts (Q: not a possible session)."""
    chat.handle("u32", text="the LA never sorted any transport for him, what code")
    reply = chat.handle("u32", text="does either one hurt his %")[0]
    assert reply.title == "How code Q counts" and "not a possible session" in reply.text, (reply.kind, reply.title)


def test_what_something_hits_is_what_it_affects(chat):
    """'How much does it hit attendance?' after what a young carer is asks how caring affects them (never a fallback)."""
    chat.handle("u33", text="what is a young carer")
    reply = chat.handle("u33", text="how much does it hit attendance?")[0]
    assert reply.kind == "answer" and reply.id.startswith("yc-"), (reply.kind, reply.id)


def test_the_councils_own_services_as_ap_are_its_internal_services(assistant):
    """'Which of HCC's own services can we use as AP?' names the internal services, not the framework list."""
    reply = assistant.answer("which of HCC's own services can we use as AP")
    assert "Hampshire Music Service" in reply.text, (reply.kind, reply.id)


def test_why_missing_education_is_a_safeguarding_concern_is_answered(assistant):
    """The warning sign the DfE names (neglect, sexual abuse, exploitation) has its own answer."""
    reply = assistant.answer("why do people keep saying children missing education is a safeguarding thing?")
    assert reply.id == "hscp-missing-education-warning-sign" and "vital warning sign" in reply.text, reply.id


@pytest.mark.parametrize("text", ["is there a plan like a PEP for adopted kids",
                                  "is there an equivalent of the PEP for adopted children?"])
def test_what_a_question_compares_with_is_not_what_it_asks_about(assistant, text):
    """'A plan like a PEP for adopted kids' asks about adopted children's plan (the EPAC), not about PEPs."""
    reply = assistant.answer(text)
    assert "Education Plan for Adopted Children" in reply.text, (reply.kind, reply.id)


def test_where_something_sits_on_the_list_just_given_is_answered_with_its_items(chat):
    """'Where would the PRUs sit?' after the three-tier model names the tiers listing them (an acronym read by its
    expansion), not another entry about PRUs; a bare 'and ed psych?' names the one tier listing it."""
    chat.handle("u15", text="what is the three tier model for AP")
    where = chat.handle("u15", text="where would the education centres / PRU sit")[0]
    assert where.id == "ap-tiers" and "comes under:\n- Tier 2" in where.text and "\n- Tier 3" in where.text, \
        (where.id, where.text[:160])
    assert "- Tier 1" not in where.text.split("\n\n")[1]
    bare = chat.handle("u15", text="and ed psych?")[0]
    assert bare.id == "ap-tiers" and "comes under:\n- Tier 1" in bare.text, (bare.id, bare.text[:160])


def test_a_name_every_item_lists_is_not_read_as_where_it_sits(chat):
    """A name no item lists (or every item lists) says nothing about where it sits, so the list is not repeated."""
    chat.handle("u16", text="what is the three tier model for AP")
    reply = chat.handle("u16", text="and the governors?")[0]
    assert "comes under" not in reply.text


@pytest.mark.parametrize("text,expected", [
    ("what are the youth justice prevention team's criteria?", "yjs-criteria"),
    ("my yjs prevention referral got sent back, why would that be?", "yjs-refer"),
])
def test_youth_justice_questions_find_the_guidance_they_ask_about(assistant, text, expected):
    """The criteria are the Prevention team's; a referral 'sent back' is one returned (unsigned forms are)."""
    reply = assistant.answer(text)
    assert reply.id == expected, (reply.kind, reply.id)


def test_an_acronym_in_a_follow_up_names_its_own_subject(chat):
    """'Who'd be in a TAC for her?' after guidance on moving to secondary asks about the Team Around the Child, not
    more of the same setting; the acronym's one guidance answers it."""
    chat.handle("u15", text="Y6 on a CP plan moving up to secondary in September, what should I be thinking about")
    reply = chat.handle("u15", text="who'd be in a TAC for her?")[0]
    assert reply.id in ("sw-team-around-child", "term-tac"), (reply.kind, reply.id)


@pytest.mark.parametrize("text", [
    "our Y10 is at an AP 2 days a week. who's responsible for him when he's there, them or us",
    "yr 8 goes to a farm AP one day a week, we commissioned it. whos responsible for safeguarding him while hes there",
])
def test_who_is_responsible_at_an_alternative_provider_is_answered_not_coded(assistant, text):
    """Asking who is responsible while a pupil is at AP asks about responsibilities, not the code for the days there,
    with or without an apostrophe, and 'them or us' means the provider or the school: the school retains it."""
    reply = assistant.answer(text)
    assert reply.id in ("ap-responsibilities", "ap-commissioner-safeguarding") and not reply.codes, (reply.kind, reply.id)
    assert "school retains" in reply.text, reply.text[:300]


def test_news_of_the_same_case_starting_with_now_changes_the_facts(chat):
    """'Now they've asked for 3 days to visit family for it' after a day of religious observance is news of the same
    case: days beyond the day set apart are leave, so it is no longer simply R."""
    chat.handle("u16", text="family want eid off for their yr 2, one day set apart by their religious body. code?")
    reply = chat.handle("u16", text="now theyve asked for 3 days in total to visit family for it")[0]
    assert reply.codes[:1] != ("R",) and reply.kind in ("tree", "code"), (reply.kind, reply.codes)


def test_a_reason_never_found_after_n_becomes_o(chat):
    """After N, 'and if we still don't know by then?' (the five school days) or 'if she never got back to us' is O."""
    chat.handle("u17", text="parent hasn't rung in, we've put N for tuesday. how long before it has to change?")
    later = chat.handle("u17", text="and if we still dont know by then?")[0]
    assert later.codes[:1] == ("O",), (later.kind, later.codes)


def test_another_pupil_s_percentage_is_calculated_like_the_last(chat):
    """'And his sister is on 45%?' after a percentage is the same question for another pupil."""
    chat.handle("u18", text="her son's on 90% attendance, how many days is that a year?")
    reply = chat.handle("u18", text="and his sister is on 45%?")[0]
    assert reply.kind == "calculation" and "severe" in reply.text, (reply.kind, reply.text[:80])


@pytest.mark.parametrize("first,then,expected", [
    ("CERAF? saw it on a referral", "and CPI?", "term-cpi"),
    ("what's OC2? it's in the VS report", "and SDQ?", "term-sdq"),
])
def test_another_acronym_after_an_acronym_is_explained(chat, first, then, expected):
    """'And CPI?' straight after an acronym's meaning asks what the next acronym stands for."""
    chat.handle("u19", text=first)
    reply = chat.handle("u19", text=then)[0]
    assert reply.kind == "glossary" and reply.id == expected, (reply.kind, reply.id)


def test_going_back_to_the_case_before_the_last_one(chat):
    """'For the first one, can they be fined?' after a second case goes back to the first (a refused holiday, G),
    not the one just coded (leave granted, C)."""
    first = chat.handle("u20", text="parents took the Y7 twins on holiday to spain for a week in june, we turned the "
                                    "request down")[0]
    assert first.codes[:1] == ("G",), (first.kind, first.codes)
    chat.handle("u20", text="what if the head had agreed it because their grandad was dying out there")
    reply = chat.handle("u20", text="for the first one, can they be fined?")[0]
    assert reply.id and reply.id.startswith("pn-"), (reply.kind, reply.id)


def test_guidance_on_a_told_situation_keeps_it_for_coding_later(chat):
    """Guidance given on a situation with its facts (an AP the school commissioned) keeps them: after another case,
    'back to the AP lad, what goes in the register?' codes the first one (B), not asking again who arranged it."""
    first = chat.handle("u21", text="yr10 at an unregistered AP 2 days a week that we commissioned, can it be the "
                                    "only place he is educated?")[0]
    assert first.kind == "answer" and not first.codes, (first.kind, first.codes)
    trip = chat.handle("u21", text="different question, code for a school trip to the zoo with our staff")[0]
    assert trip.codes[:1] == ("V",), (trip.kind, trip.codes)
    reply = chat.handle("u21", text="ok back to the AP lad, what goes in the register for his AP days?")[0]
    assert reply.kind == "code" and reply.codes[:1] == ("B",), (reply.kind, reply.codes)


def test_a_new_question_after_guidance_on_a_situation_is_not_coded(chat):
    """A question about something else told after guidance on a situation ('what do I ask about those?') is answered
    as asked, never turned into a code for the situation."""
    chat.handle("u22", text="school has put my young person on a part time timetable, what should i ask them for?")
    reply = chat.handle("u22", text="shes also had 3 suspensions this term, what do i ask about those?")[0]
    assert reply.kind != "code", (reply.kind, reply.codes)


@pytest.mark.parametrize("typed", ["any young carers project near andover", "young carers support in Andover?"])
def test_a_town_typed_in_lower_case_is_still_a_place(chat, typed):
    """A town is a place however it is typed: 'near andover' finds the Andover project as 'in Andover' does."""
    reply = chat.handle("u23", text=typed)[0]
    assert reply.id == "yc-andover", (reply.kind, reply.id)


def test_a_place_does_not_change_a_question_about_recording(chat):
    """'Do we have to record young carers anywhere? we're in Hart' asks about recording wherever the school is: the
    answer is the same as without the town, not the Hart project."""
    placed = chat.handle("u24", text="do we have to record young carers anywhere? we're in Hart")[0]
    plain = chat.handle("u25", text="do we have to record young carers anywhere?")[0]
    assert placed.id == plain.id and not placed.id.startswith("yc-hart"), (placed.id, plain.id)


def test_a_question_about_people_asked_is_read_on_its_own_after_a_story(chat):
    """'What info should I be asking them for?' after a social worker's story: 'them' is the school asked, not
    something told, so the question is read on its own and gets the checklist."""
    reply = chat.handle("u26", text="hi, SW in a CIN team, just picked up a 12yo boy whose mum says school are always "
                                    "on at her. i've got a meeting at the school tomorrow. what info should i be asking "
                                    "them for")[0]
    assert reply.id == "sw-request-checklist", (reply.kind, reply.id)


@pytest.mark.parametrize("text", [
    "the taxi the LA normally sends for our pupil never turned up this morning. code?",
    "yr10 lad comes in on the LA taxi every day. taxi didnt turn up this morning and mum doesnt drive. what do we put",
])
def test_transport_the_la_provides_failing_is_y1(assistant, text):
    """Transport the local authority provides that fails to come is Y1, however the story tells it."""
    reply = assistant.answer(text)
    assert reply.kind == "code" and reply.codes[:1] == ("Y1",), (reply.kind, reply.codes)


def test_up_to_when_asks_how_long_the_last_code_runs(chat):
    """'Up to when?' after study leave (S) is answered from the code's own rule: up to the last exam."""
    chat.handle("u27", text="yr11s want study leave before their gcses, we've agreed it. code?")
    reply = chat.handle("u27", text="up to when?")[0]
    assert "last public exam" in reply.text.lower(), (reply.kind, reply.id)


def test_youth_justice_referral_says_the_work_is_voluntary(chat):
    """After how to refer to Youth Justice Prevention, 'does he have to go along with it?' is answered: the work is
    voluntary, with the family's informed consent."""
    chat.handle("u28", text="can a parent refer their own kid to YJ prevention or does it have to be school")
    reply = chat.handle("u28", text="does he have to go along with it?")[0]
    assert "voluntary" in reply.text.lower(), (reply.kind, reply.id)


def test_an_acronym_met_in_a_story_then_what_is_it(assistant):
    """'The adoption SW keeps writing PLAC in emails, what is it?' asks what PLAC means; with a code named or coding
    asked about, 'what is it' asks for the code instead."""
    reply = assistant.answer("the adoption social worker keeps writing PLAC in emails about one of our yr2s, what is it")
    assert reply.kind == "glossary" and reply.id == "term-plac", (reply.kind, reply.id)
    coding = assistant.answer("his RHP says he starts at 11am. at morning reg he's not there, obviously not O, so what "
                              "is it")
    assert coding.kind != "glossary", (coding.kind, coding.id)



def test_a_serious_diagnosis_asks_about_telling_the_la_of_long_illness(assistant):
    """A child diagnosed with a serious illness who will miss a lot: 'when do we tell the LA?' is the 15-day duty."""
    reply = assistant.answer("yr6 boy has just been diagnosed with leukaemia, he's going to miss loads. at what point do "
                             "we need to tell the LA?")
    assert reply.id == "abs-illness-15-days", (reply.kind, reply.id)



@pytest.mark.parametrize("then", ["where do the unregistered providers sit", "where do education centres fit in"])
def test_where_something_sits_in_the_model_just_given(chat, then):
    """After the three-tier model of AP, 'where do education centres fit in?' is answered from the model, which
    places them, not from guidance about that provider alone."""
    chat.handle("u31", text="whats the three tier model for AP")
    reply = chat.handle("u31", text=then)[0]
    assert reply.id == "ap-tiers", (reply.kind, reply.id)


def test_a_percentage_says_how_often_and_a_second_percentage_reads_the_same_way(chat):
    """90% attendance is about one day every two weeks, asked again as 'how often is that?'; 'and at 95%?' after it
    is another attendance figure, not absence."""
    chat.handle("u32", text="if a kid is at 90% over a whole school year how many days have they missed")
    often = chat.handle("u32", text="roughly how often is that")[0]
    assert often.kind == "calculation" and "one day every two weeks" in often.text, often.text
    again = chat.handle("u32", text="and at 95%?")[0]
    assert again.kind == "calculation" and "Attendance 95%" in again.text, again.text


def test_sessions_missed_are_also_given_as_days(assistant):
    """Sessions missed are given in days too (two sessions a day): 28 sessions missed is 14 days."""
    reply = assistant.answer("present for 142 sessions out of 170 possible, whats her attendance %")
    assert "28 missed, 14 days" in reply.text, reply.text


def test_keeping_the_register_open_later_asks_the_rule_not_a_code(chat):
    """'Can we leave it open till 9.30?' after coding a late arrival asks how long a register may stay open: the rule
    (30 minutes), never a re-coded arrival at 9.30."""
    chat.handle("u33", text="reg opens 8.45 and shuts 9.00, yr3 lad came in at 8.58 with mum. what do i put")
    reply = chat.handle("u33", text="can we just leave it open till 9.30 to be kind to the bus kids")[0]
    assert reply.id == "reg-open-time" and "30 minutes" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("first,then,expected", [
    ("when do we have to consider a penalty notice", "do they have to be in a row", "pn-threshold"),
    ("when must the LA be told about a pupil off ill for a long time", "does it have to be all in one go",
     "abs-illness-15-days"),
])
def test_in_a_row_asks_whether_the_days_must_be_consecutive(chat, first, then, expected):
    """'In a row' and 'all in one go' mean consecutive: the answer that says whether they must be is given again."""
    chat.handle("u34", text=first)
    reply = chat.handle("u34", text=then)[0]
    assert reply.id == expected and "consecutive" in reply.text, (reply.kind, reply.id)


def test_it_after_referral_criteria_is_the_referral(chat):
    """After the Youth Justice Prevention referral criteria, 'does he have to agree to it?' asks about agreeing to the
    referral (consent), not about the criteria."""
    chat.handle("u35", text="what are the criteria for a youth justice prevention referral")
    reply = chat.handle("u35", text="does he have to agree to it")[0]
    assert reply.id == "yjs-consent", (reply.kind, reply.id)


def test_online_lessons_at_home_through_an_ap_are_never_b(assistant):
    """Online lessons from home, even through an AP company, are not B: education at home is absence."""
    reply = assistant.answer("yr11 doing online lessons from home thru an AP company, can we put him down as B?")
    assert "B" not in reply.codes[:1] and "never B" in reply.text, (reply.kind, reply.codes, reply.text[:200])


@pytest.mark.parametrize("text,expected", [
    ("he didn't turn up at the AP today, how do i code it", "N"),
    ("no show at the alternative provision this morning and no call from mum, code?", "N"),
    ("she never arrived at the farm placement on wednesday, mum rang later to say she had a fever", "I"),
])
def test_missing_the_alternative_provision_is_an_absence_not_b(assistant, text, expected):
    """A pupil who does not turn up at the AP arranged for them is absent: the code is decided by why (or N while
    no reason is known), never the B or K of attending it."""
    reply = assistant.answer(text)
    assert reply.codes[:1] == (expected,), (reply.kind, reply.codes, reply.text[:120])


@pytest.mark.parametrize("text,expected", [
    ("he does the full morning now but goes home at lunch on his part time timetable, what for the afternoon", "C2"),
    ("she does the full afternoon on her part time timetable, what for the afternoon", "\\"),
])
def test_doing_the_full_session_is_presence_for_that_session_only(assistant, text, expected):
    """'Does the full morning' is presence at the morning register; the afternoon is decided by the timetable."""
    reply = assistant.answer(text)
    assert reply.codes[:1] == (expected,), (reply.kind, reply.codes)


def test_an_ap_as_the_only_education_asks_about_the_sole_provider_rule(assistant):
    """'Can it be the only place he gets his education?' about an unregistered AP is the rule that it must not be the
    sole provider."""
    reply = assistant.answer("yr10 at an unregistered AP 2 days a wk that we commissioned. can it be the only place he "
                             "gets his education?")
    assert "sole provider" in reply.text, (reply.kind, reply.id)


def test_a_social_worker_hears_part_time_timetables_are_not_for_behaviour(chat):
    """After what to ask about a part-time timetable, 'school say it's because of her behaviour, is that ok?' is
    answered: they should not be used to manage behaviour."""
    chat.handle("u36", text="school has put my young person on a part time timetable, what should i ask them for?")
    reply = chat.handle("u36", text="school say its because of her behaviour. is that ok")[0]
    assert re.search(r"should not be used to manage (?:a pupil's )?behaviour", reply.text), (reply.kind, reply.id)


def test_a_follow_up_answered_by_the_last_answer_is_not_overturned_by_an_unlinked_one(chat):
    """After the 18-hour limit (which says the provider must not be the sole provider), 'could they just do all his
    education then?' stays with that answer, not a parent's request for a provider."""
    chat.handle("u37", text="thinking of using an unregistered farm provision for a Y9 boy, whats the most hours a week")
    chat.handle("u37", text="does his lunch break and the minibus there count towards it?")
    reply = chat.handle("u37", text="could they just do all his education then, saves us the hassle")[0]
    assert "sole provider" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    ("sorry random one, in the CIN minutes for a yr4 girl it says 'TAC to be reconvened before half term' - whats a "
     "TAC?? the SW wrote it and i didnt want to look daft asking", "term-tac"),
    ("county comms this morning mentions FFPP and says more info to follow — whats FFPP? im DSL at a secondary and "
     "havent read it properly", "term-ffpp"),
])
def test_what_is_an_acronym_asked_inside_a_long_message(assistant, text, expected):
    """A clause asking only 'whats a TAC??' inside a long story asks what the acronym stands for."""
    reply = assistant.answer(text)
    assert reply.kind == "glossary" and reply.id == expected, (reply.kind, reply.id)


@pytest.mark.parametrize("text,minutes,verdict", [
    ("new attendance officer here, our morning reg is open 8.40 til 9.20 because of the late buses. is that allowed?",
     40, "longer than the 30 minutes"),
    ("reg opens at 8.45 and closes at 9.10, is that ok?", 25, "within the 30 minutes"),
])
def test_a_register_window_is_set_against_the_30_minute_rule(assistant, text, minutes, verdict):
    """A register's own opening and closing times, asked about, are worked out against the 30-minute limit."""
    reply = assistant.answer(text)
    assert reply.id == "reg-open-time" and f"is {minutes} minutes" in reply.text and verdict in reply.text, reply.text


def test_a_register_window_with_an_arrival_is_still_a_coding_question(assistant):
    """With an arrival told, the register's times decide the code (L), not the window rule."""
    reply = assistant.answer("reg opens 8.45 and closes 9.20, yr3 lad came in at 9.05, what do i put")
    assert reply.codes[:1] == ("L",), (reply.kind, reply.codes)


def test_a_town_named_only_in_a_local_answer_does_not_drag_a_rules_question(assistant):
    """Farnborough appears only in a local young carers answer: a register question from a Farnborough school is
    not answered with that project."""
    reply = assistant.answer("secondary in farnborough here, our morning reg is open 8.40 til 9.20 because of the late "
                             "buses. is that allowed?")
    assert reply.id == "reg-open-time", (reply.kind, reply.id)


def test_an_rhp_is_a_part_time_timetable(assistant):
    """'On an RHP agreed with parents ... comes in at 11' is a part-time timetable: the morning is C2, never U."""
    reply = assistant.answer("yr2 boy on an RHP agreed with parents: he comes in at 11 for one hour then goes home, "
                             "no afternoons. he's not there at morning reg. what do we put for the morning")
    assert reply.codes[:1] == ("C2",), (reply.kind, reply.codes)


def test_after_an_escalation_the_conversation_keeps_what_was_asked(chat):
    """A disclosure escalated first, with an acronym asked in it: 'who fills it in?' next is about that form (the
    escalation leads, and the subject asked about is kept)."""
    first = chat.handle("u38", text="police mentioned a CERAF in the strat for one of our yr10s (keeps going missing, "
                                    "older lads in cars picking him up after school) - what does CERAF stand for")[0]
    assert first.kind == "safeguarding", first.kind
    reply = chat.handle("u38", text="who fills it in?")[0]
    assert reply.id == "hscp-exploitation-toolkit", (reply.kind, reply.id)


def test_what_a_quoted_term_actually_means(assistant):
    """"What 'persistently absent' actually means" asks for the definition, which leads the readings of the term
    (not another entry tied with it at the cap)."""
    reply = assistant.answer("governor asked me what 'persistently absent' actually means, she thinks its only "
                             "unauthorised absence that counts")
    assert reply.id == "abs-persistent", (reply.kind, reply.id)


def test_whats_the_max_asks_the_limit_the_last_answer_gives(chat):
    """'Whats the max anyway?' after penalty notice limits is answered from them: no more than two."""
    chat.handle("u39", text="does a withdrawn penalty notice count towards a parent's limit?")
    reply = chat.handle("u39", text="whats the max anyway")[0]
    assert reply.id == "pn-limits" and "no more than two" in reply.text, (reply.kind, reply.id)


def test_a_remark_after_the_question_does_not_drown_it(assistant):
    """'What should I be asking the school for? first time doing one' is read without the remark about the asker."""
    reply = assistant.answer("hi, SW in the CIN team, just picked up a case, 13yo. mum says attendance is 'fine' but i "
                             "get the feeling it isnt. what should i actually be asking the school for? first time "
                             "doing such an education-heavy one")
    assert reply.id == "sw-request-checklist", (reply.kind, reply.id)


def test_a_quoted_term_then_what_are_they(assistant):
    """"The LA's 'key objectives' for using AP ... what are they?" asks for what the quoted term names."""
    reply = assistant.answer("governors want the LA's 'key objectives' for using AP put into our AP policy review "
                             "(primary, we've used PBS outreach twice this year). what are they?")
    assert reply.id == "ap-objectives", (reply.kind, reply.id)


def test_the_askers_role_is_not_the_acronym_asked_about(assistant):
    """'New DT at a primary, keep seeing PEP in emails. what is it': DT is who is asking; PEP is asked about."""
    reply = assistant.answer("new DT at a romsey primary, keep seeing PEP in emails from county. what is it")
    assert reply.kind == "glossary" and reply.id == "term-pep", (reply.kind, reply.id)


def test_several_acronyms_asked_at_once_then_the_second_one(chat):
    """'It says MET and SDQ all over it, what do they stand for': both are explained (not LAC, which only describes
    the child); 'the second one' next is SDQ."""
    first = chat.handle("u40", text="looking at a LAC yr9's file and it says MET and SDQ all over it. what do they "
                                    "stand for")[0]
    assert first.kind == "glossary" and "Missing, Exploited and Trafficked" in first.text \
        and "Strengths and Difficulties" in first.text and "Looked" not in first.text.split("\n")[0], first.text
    chat.handle("u41", text="DSL at a secondary, SW mentioned doing a CERAF and sending in a CPI, no idea what either is")
    reply = chat.handle("u41", text="the 2nd one where does it go")[0]
    assert "police" in reply.text.lower(), (reply.kind, reply.id)


def test_a_register_kept_open_so_they_get_an_l_is_the_window_rule(assistant):
    """'Keep it open till 9.30 so the stragglers get an L not a U, is that allowed?' names codes, but asks the
    30-minute rule: the window is worked out, not a code asked for."""
    reply = assistant.answer("reg opens 8.40, head wants to keep it open till 9.30 so the stragglers get an L not a U. "
                             "is that allowed?")
    assert reply.id == "reg-open-time" and "50 minutes" in reply.text, (reply.kind, reply.id)



def test_an_age_told_with_another_question_does_not_recode(chat):
    """'Back to the yr5, who should be round the table at a TAC?' after a code asks about the TAC, never re-codes."""
    chat.handle("u43", text="most of it is him getting in after the register closes, does that count")
    reply = chat.handle("u43", text="ok back to the yr5, who should be round the table at a TAC")[0]
    assert reply.kind != "code", (reply.kind, reply.codes)


def test_over_what_time_asks_the_window_the_last_answer_gives(chat):
    """'Over what time?' after the penalty notice threshold is its rolling window."""
    chat.handle("u44", text="how many days off before a parent gets a fine, whats the actual rule now")
    reply = chat.handle("u44", text="over what time?")[0]
    assert "10 school weeks" in reply.text, (reply.kind, reply.id)


def test_does_the_earlier_code_go_towards_a_fine(chat):
    """After G then C for the same holiday, 'the G week, does that go towards a fine?' is about G: it counts towards
    the penalty notice threshold."""
    chat.handle("u45", text="yr3 boy, mum asked for a week in tenerife, head refused it, they went anyway. what do i "
                            "code the week")
    chat.handle("u45", text="and if the head had agreed it cos of exceptional circs?")
    reply = chat.handle("u45", text="the G week, does that go towards a fine?")[0]
    assert reply.codes[:1] == ("G",) and "10 sessions" in reply.text, (reply.codes, reply.text[:200])



def test_the_other_days_are_not_a_new_subject(chat):
    """'And the other 2 days?' after one day of religious observance (R) is the rest of that case: never answered
    confidently with a code for something else."""
    chat.handle("u47", text="family have asked for 3 days off for a religious festival, they go every year. how do we "
                            "handle it")
    reply = chat.handle("u47", text="and the other 2 days?")[0]
    assert not (reply.kind == "code" and reply.codes[:1] == ("#",)), (reply.kind, reply.codes)


def test_leave_with_a_holiday_in_it_refused_is_g(chat):
    """A wedding abroad 'with a bit of holiday tacked on': refused ('if we say no') and taken anyway is G; a wedding
    alone refused is not a holiday (O)."""
    chat.handle("u48", text="parent wants 6 days off in june for a family wedding in portugal with a bit of holiday "
                            "tacked on")
    reply = chat.handle("u48", text="if we say no and they go anyway what code")[0]
    assert reply.codes[:1] == ("G",), (reply.kind, reply.codes)
    alone = chat.handle("u49", text="family wedding abroad, head refused the leave, they went anyway, code?")[0]
    assert alone.codes[:1] == ("O",), (alone.kind, alone.codes)


def test_basically_fine_is_not_a_penalty_fine(assistant):
    """'Mum keeps saying 90% is basically fine' means all right: never penalty notice guidance."""
    reply = assistant.answer("SW for a yr5, mum keeps saying 90% is basically fine. how do i explain what it actually "
                             "means")
    assert not (reply.id or "").startswith("pn-"), (reply.kind, reply.id)



def test_when_provision_must_start_after_a_code_for_suspension(chat):
    """'When does AP have to kick in?' after E is answered from E's own rule: from the sixth consecutive day."""
    chat.handle("u51", text="what code for a suspended kid, no AP yet")
    reply = chat.handle("u51", text="when does AP have to kick in?")[0]
    assert "sixth consecutive day" in reply.text, (reply.kind, reply.id)


def test_what_code_after_a_situation_is_its_code_not_the_walk_through(chat):
    """'What code?' straight after guidance on a part-time timetable gives C2; asked with nothing before it, the
    walk-through starts."""
    chat.handle("u52", text="my kid's school want to put him on a part time timetable")
    reply = chat.handle("u52", text="what code?")[0]
    assert reply.codes[:1] == ("C2",), (reply.kind, reply.codes)
    fresh = chat.handle("u53", text="what code should i use")[0]
    assert fresh.kind == "tree", fresh.kind


@pytest.mark.parametrize("turns", [
    # the days the LA's hospital teacher teaches a child too ill for school are K
    [("what do we code the days he's too ill to come in", "I"),
     ("and the days the LA's hospital teacher sees him at home?", "K")],
    # "what do we code til then?": nothing has changed yet, so E again
    [("yr10 permanently excluded last wk, no provision yet, code?", "E"),
     ("what do we code til then", "E")],
    # "and after that?" once a reason is not yet known: the days allowed have passed, so O (never a late code)
    [("kid off today, parents not picking up, what code", "N"),
     ("how long can it stay as that?", None),
     ("and after that?", "O")],
    # an hour alone ("at 9") is a time, and "before we closed" is before the register closed
    [("yr2 boy, no call from home, his nan brought him in at 10.30. our reg closes 9.05. code?", "U"),
     ("ah nan now says he had a hospital appt first thing", "M"),
     ("and if he'd got in at 9 before we closed?", "L")],
    # in for an hour from 11 on an agreed part-time timetable, no afternoons: the afternoon is decided by the
    # timetable, not by the late morning arrival
    [("yr5 boy on a reduced hours timetable mum and school agreed, he comes in at 11 for an hour then goes home, no "
      "afternoons. what do i mark for the morning", "C2"),
     ("and the pm?", "C2")],
    # "too rough to come back" is too ill: the afternoon after an appointment is I
    [("code for a hospital appt, back by lunch?", "M"),
     ("and if she's feeling too rough to come back after?", "I")],
    # "I said V, what's wrong with that?" compares this case's code with theirs; the case is kept for the next change
    [("we booked an outdoor centre for him, their instructors supervise, what code", "B"),
     ("i put V, what's wrong with that", "B"),
     ("and if the county council had arranged it", "K")],
])
def test_follow_ups_in_everyday_words_keep_the_case(chat, turns):
    """Follow-ups typed the way people talk re-decide the case they follow, with its other facts kept."""
    _play(chat, "u60", turns)


def test_a_staggered_start_told_without_the_word_is_y7(assistant):
    """Year groups starting on a later day than the first ("only Y7s in, Y8-11 start next day") is a staggered start:
    Y7 for the year groups not yet in, never #."""
    reply = assistant.answer("first day of term only year 7s in, yr8-11 start the next day. what do the others get")
    assert reply.codes[:1] == ("Y7",), (reply.kind, reply.codes)


def test_a_member_of_staffs_illness_is_not_the_pupils(assistant):
    """'His tutor's off sick so I'm covering' says nothing about the pupil's absence: a late arrival is still coded by
    the clock, and the illness is never read as the pupil's."""
    facts = assistant.reader.read("his tutor's off sick today so im covering the form too")
    assert facts.get("reason") not in ("illness", "education"), facts


def test_work_sent_home_is_absence_never_b(chat):
    """Worksheets emailed home while the provider was shut are unsupervised work at home: never B."""
    chat.handle("u61", text="we commissioned 2 days a week at an equine centre, their staff supervise her, what code")
    reply = chat.handle("u61", text="one week the centre was shut so we emailed her worksheets to do at home, still B?")[0]
    assert "B" not in reply.codes and "unsupervised" in reply.text, (reply.kind, reply.codes, reply.text[:200])


def test_a_new_question_about_the_case_changes_no_fact_of_it(chat):
    """'How often should we review the whole placement?' after coding an AP case asks for guidance, not a re-code."""
    chat.handle("u62", text="we commissioned 2 days a week at an equine centre, their staff supervise her, what code")
    chat.handle("u62", text="one week the centre was shut so we emailed her worksheets to do at home, still B?")
    reply = chat.handle("u62", text="how often should we review the whole placement")[0]
    assert reply.kind == "answer" and "half-term" in reply.text.lower(), (reply.kind, reply.id)


def test_hurting_the_percentage_asks_how_the_last_code_counts(chat):
    """'So that doesn't hurt his % then?' after L asks how L counts: as present."""
    chat.handle("u63", text="reg closes 9.10, he got in at 9.06, what do i put")
    reply = chat.handle("u63", text="so that doesnt hurt his % then?")[0]
    assert "counts as present" in reply.text, (reply.kind, reply.id, reply.text[:200])


def test_a_follow_up_several_answers_match_equally_stays_with_the_subject(chat):
    """After a social worker's question, 'what if he's on reduced hours?' is answered from the social workers' own
    guidance on part-time timetables, not from whichever general entry ties first."""
    chat.handle("u64", text="kid's in school but skipping lessons, what do i ask for as his social worker")
    reply = chat.handle("u64", text="what if hes on reduced hours?")[0]
    assert reply.id == "sw-reduced-hours", (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    ("who's on the hook for safeguarding once a pupil starts at an AP", "ap-kcsie-2025"),
    ("what does the VS do", "vs-what"),
])
def test_everyday_names_for_responsibility_and_the_virtual_school(assistant, text, expected):
    """'On the hook for' is responsibility; 'the VS' is the Virtual School (while 'C vs C2' stays a comparison)."""
    reply = assistant.answer(text)
    assert reply.id == expected, (reply.kind, reply.id)


def test_a_bit_of_a_plan_is_not_a_bite(assistant):
    """'What's the ER bit?' of SMARTER asks about the acronym: 'bit' is no harm word, so no escalation."""
    reply = assistant.answer("HSCP says keep plans SMARTER, what's the ER bit?")
    assert reply.kind != "safeguarding" and "Evaluated" in reply.text, (reply.kind, reply.id)


def test_a_parent_missing_meetings_is_a_parent_not_engaging(chat):
    """'Dad keeps not turning up to meetings' is the audit's theme of parents not engaging."""
    reply = chat.handle("u65", text="dad keeps not turning up to TAC meetings, what did the audit say?")[0]
    assert reply.id == "hscp-parent-issues", (reply.kind, reply.id)


def test_acronym_after_acronym_is_the_next_meaning(chat):
    """After one acronym's meaning, 'and NEET further down?' is the next acronym's meaning."""
    chat.handle("u66", text="reading the VS annual report, it keeps saying OC2 cohort. what's that?")
    reply = chat.handle("u66", text="and NEET further down?")[0]
    assert reply.id == "term-neet", (reply.kind, reply.id)


def test_a_doubt_about_the_last_answer_gets_it_again(chat):
    """'Only DTs though, surely?' after the training offer doubts who it is for: the offer says so, not the
    meaning of DT."""
    chat.handle("u67", text="who can book onto virtual school training?")
    reply = chat.handle("u67", text="only DTs though, surely?")[0]
    assert reply.id == "vs-training", (reply.kind, reply.id)


def test_an_acronym_used_in_passing_stays_with_the_subject(chat):
    """'Do all CLA get one done?' after the SDQ asks about the SDQ, not what CLA stands for."""
    chat.handle("u68", text="what is an SDQ?")
    reply = chat.handle("u68", text="do all CLA get one done?")[0]
    assert reply.id == "term-sdq", (reply.kind, reply.id)


def test_percentages_are_written_as_practitioners_write_them(chat):
    """A whole percentage has no '.0' (60%, not 60.0%); 'what if he'd been in 55 of them' keeps the 100 days."""
    first = chat.handle("u69", text="yr10 lad has only been in 40 of the 100 days. is he SA?")[0]
    assert first.kind == "calculation" and "absence 60%" in first.text and "severe" in first.text, first.text[:200]
    again = chat.handle("u69", text="what if he'd been in 55 of them")[0]
    assert again.kind == "calculation" and "attendance 55%" in again.text, (again.kind, again.text[:200])


def test_is_that_ok_about_a_gp_note_asks_the_rule_not_the_code(assistant):
    """'GP will write a note signing her off, is that ok' asks about GP letters: no code for illness first."""
    reply = assistant.answer("parent says her GP will write a note signing her off for anxiety, is that ok")
    assert reply.id == "gp-letters", (reply.kind, reply.id)


def test_a_child_hitting_out_is_behaviour_not_a_disclosure(chat):
    """'They said it's cos she hits out at lunchtimes' is the reason given for a timetable: no escalation; harm told
    of an adult ('dad hits out at her') still is."""
    chat.handle("u70", text="school have my yr6 girl on 2 hrs a day, is that allowed?")
    reply = chat.handle("u70", text="they said it's cos she hits out at lunchtimes")[0]
    assert reply.kind != "safeguarding" and "manage behaviour" in reply.text, (reply.kind, reply.id)
    told = chat.handle("u71", text="she told me her dad hits out at her when he has been drinking")[0]
    assert told.kind == "safeguarding", told.kind


def test_two_hours_a_day_is_a_part_time_timetable(assistant):
    """'On 2 hrs a day, is that allowed?' is answered with the rules of part-time timetables, not a list to choose."""
    reply = assistant.answer("school have my yr6 girl on 2 hrs a day, is that allowed?")
    assert reply.kind == "answer" and "review" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("turns", [
    # the school's own off-site base, staffed by its TAs, is B; working at home instead is never B
    [("yr10 doing all his lessons from home on teams, what code", None),
     ("what if instead he goes to our off-site nurture base with one of our TAs all day", "B")],
    [("our yr7 goes to an outdoor ed centre we booked every weds, their staff supervise him. what do we mark", "B")],
    # a code asked of a subject told in words ("if the reg's already shut") is U
    [("did the HSCP audit say anything about late arrivals?", None),
     ("how does school code them if the reg's already shut?", "U")],
])
def test_situations_told_in_other_words_are_coded(chat, turns):
    """Facts told in everyday words decide the code, and a changed fact drops what no longer holds."""
    _play(chat, "u72", turns)


def test_work_at_home_instead_of_the_placement_is_never_b(chat):
    """After B for a supervised placement, 'what if he just does work at home instead' drops who arranged and
    supervised the placement: unsupervised work at home is absence."""
    chat.handle("u73", text="our yr7 goes to an outdoor ed centre we booked every weds, their staff supervise him. "
                            "what do we mark")
    reply = chat.handle("u73", text="what if he just does work at home on weds instead")[0]
    assert "B" not in reply.codes and "unsupervised" in reply.text, (reply.kind, reply.codes, reply.text[:200])


def test_a_town_with_anything_local_gets_the_local_project(chat):
    """'We're in Basingstoke, anything local?' after the young carers' alliance is that town's project: 'local' adds
    nothing to the place named."""
    chat.handle("u74", text="my yr7 looks after mum who has MS, late most days. who can help")
    reply = chat.handle("u74", text="we're in basingstoke, anything local?")[0]
    assert reply.id == "yc-basingstoke", (reply.kind, reply.id)


@pytest.mark.parametrize("text,expected", [
    ("how often should someone go out and look at the site", "ap-site-visits"),
    ("once the year's done can we bin the old registers?", "reg-records-kept"),
])
def test_everyday_words_for_visits_and_retention(assistant, text, expected):
    """'Go out and look at the site' is a site visit; 'bin them' asks how long records are kept."""
    reply = assistant.answer(text)
    assert reply.id == expected, (reply.kind, reply.id)


def test_running_for_the_county_is_sport(chat):
    """A pupil running for the county at cross country, approved and supervised by the county coach, is P; 'neither
    of those are absences right?' asks how the code counts."""
    reply = chat.handle("u75", text="a girl running for the county at cross country, we approved it, county coach "
                                    "supervising. code?")[0]
    assert reply.codes[:1] == ("P",), (reply.kind, reply.codes)
    again = chat.handle("u75", text="so that's not an absence right?")[0]
    assert "approved educational activity" in again.text, (again.kind, again.id)


def test_drinking_is_the_addiction_a_young_carer_may_care_for(chat):
    """'And if mum's problem is drinking' after the young carer definition stays with it (addiction is in it)."""
    chat.handle("u76", text="quick q whats the definition of a young carer")
    reply = chat.handle("u76", text="and if mum's problem is drinking")[0]
    assert reply.id == "yc-definition", (reply.kind, reply.id)


def test_having_to_travel_asks_how_training_is_delivered(chat):
    """'Do we have to travel for it?' after young carers training asks whether it is online."""
    chat.handle("u77", text="is there young carers training for school staff in hants?")
    reply = chat.handle("u77", text="do we have to travel for it?")[0]
    assert reply.id == "yc-training" and "online" in reply.text, (reply.kind, reply.id)


def test_taking_a_pupil_to_another_site_is_no_holiday(assistant):
    """'They take him to another site some afternoons' is where an AP teaches him: never read as a holiday (G);
    'took him to Florida' still is one."""
    assert assistant.reader.read("some afternoons they take him to another site, does that matter").get(
        "reason") != "holiday"
    assert assistant.reader.read("parents took him to florida for 2 weeks in term time").get("reason") == "holiday"


@pytest.mark.parametrize("text,code", [
    # a dentist mentioned "last week" says nothing of how long the pupil has been off: day one, no reason yet
    ("no call from home yet for Y6 boy, 9.30, reg closed. mum mentioned last week a dentist appt 'soon'", "N"),
    # only the day the religious body sets apart is R; the day the head added is leave (C)
    ("Eid - R for the day itself obviously, but the family also asked for the next day and the head agreed. code for "
     "day 2?", "C"),
    # T is for travelling for work: a Traveller family's holiday without permission is G
    ("Traveller family took the kids on holiday in term time (not for work) without permission. T?", "G"),
    # a temperature (written 'temp') is illness, whoever kept the child off
    ("Y2 boy temp of 39, mum kept him off, no doctors appt booked, just calpol and bed. I or M?", "I"),
    # the session asked about ('morning code?') is coded, not the one he comes back for
    ("Y6 had the orthodontist at 9.30 and mum kept him out the whole morning, hes coming back for afternoon reg. "
     "morning code?", "M"),
    # a sports academy trial the school approved, supervised by the academy's coaches, is P
    ("Y8 girl has a football academy trial, school has approved it and she's supervised by the academy coaches. code "
     "for the afternoon?", "P"),
    # a holiday destination told as where they have been replaces the N with G
    ("had an N on Mon and Tue, mum rang today - turns out they've been in Spain, never asked us for leave. what do I "
     "replace the N with", "G"),
    # the refused part of leave is asked about: a trip refused and taken is G
    ("Mum asked for 10 days for a family trip to India. Head authorised 2 of them as exceptional (a family funeral) "
     "and refused the other 8. They were gone all 10 days. What code for the 8 refused days?", "G"),
    # a parent keeping a well child home for her own appointment is unauthorised
    ("mum kept Y6 son home for her appointment at the housing office this morning, didn't ask beforehand. he's well",
     "O"),
    # seen in town in school hours while parents thought he was in school: truancy
    ("Y10 lad was spotted by a PCSO in Gosport town centre in school hours. parents thought he was in school. he never "
     "came in all day. code?", "O"),
    ("Y6 pupil had his booster jabs at the GP surgery and missed the whole morning", "M"),
    # below compulsory school age and not expected in by agreement: X (a compulsory-age pupil on a timetable is C2)
    ("F2 child isn't 5 yet and by agreement isn't expected in on Fridays this half term. friday code", "X"),
    ("Y5 on an agreed part time timetable, isn't expected in till 11, what code for the morning", "C2"),
    ("Forces family, dad back from a long deployment, head has agreed a few days term time leave as exceptional. "
     "which code", "C"),
    # closure told in advance for building works is planned (#); later year groups on a staggered start are Y7
    ("whole school closing for one day for building works, we told parents a month ago. # or Y4?", "#"),
    ("secondary - Y7 start on Mon/Tue on their own and Y8-11 don't come back til Wednesday. can we use # for Y8-11?",
     "Y7"),
    # "mum brought her at 9 o'clock" is an arrival; "mark I need" is the pronoun; in for both registers is present
    ("Poppy refused to put her shoes on so mum brought her at 9 o'clock. our reg opens 8.45 and closes 9.15. code for "
     "Poppy?", "L"),
    ("pm register is at 1.15 for KS2. Theo (Y5) was there, nothing unusual. it's his afternoon mark I need for the MIS",
     "\\"),
    ("Y6 boy was in for both registers today, no drama. just tell me the afternoon symbol please", "\\"),
    # an exam at another school's centre the school could not host, invigilated there, is B
    ("yr 11 sitting his Polish GCSE at another school's exam centre because we can't host it, invigilated there. code "
     "for that session?", "B"),
    # a fridge magnet from Florida and no leave asked: a holiday not granted
    ("Didn't even ask - Y4 just came back on Monday with a tan and a fridge magnet from Florida. what do I put for the "
     "week", "G"),
    # transport the LA approved but never set up is a lack of access arrangements (Q), not transport that failed (Y1)
    ("LA approved transport for Y4 back in july but still haven't arranged a taxi, this is the 2nd week. Y1 i think?",
     "Q"),
    ("ok so the LA's taxi contract hasn't even been set up yet for our new Y3 EHCP pupil who is entitled to transport - "
     "nobody has arranged anything. Q or Y1?", "Q"),
    # teaching on a children's ward the LA arranged under s19 is K
    ("is K only for LA-arranged stuff? pupil is getting teaching on the children's ward that the LA arranged under "
     "s19, not dual registered anywhere", "K"),
    # visiting a mother who has just had a baby, with no leave asked, is unauthorised (the hospital is not an
    # appointment of the pupil's)
    ("the office said M because she went to hospital - it was to visit her mum who's just had a baby. Y3, no leave "
     "asked", "O"),
])
def test_the_fact_that_decides_is_read_not_a_word_near_it(assistant, text, code):
    """Words near a fact ('last week', 'R', 'Traveller', 'afternoon reg') never outrank the fact that decides."""
    reply = assistant.answer(text)
    assert reply.codes[:1] == (code,), (reply.kind, reply.id, reply.codes)


@pytest.mark.parametrize("coded,code,still_escalated", [
    # 'Nan took her at 10.40 for a dentist appt and she didn't come back' is coded (present at registration); a child
    # who went out and did not come back, or was taken against a court order, still escalates
    ("Ava yr 3, in class when the register was done at ten to nine, then nan took her at 10.40 for a dentist appt and "
     "she didnt come back. Just need the morning session mark", "/",
     ("he went out at lunch and didnt come back, no one knows where he is",
      "dad took him at lunch and he didnt come back, dad has a court order against him")),
    # 'sister doesn't know why he's not in, mum's phone goes to voicemail' is a reason not yet known (N); a child who
    # did not come home, or a disclosure, still escalates
    ("Older sister in Y6 came in but her brother in Y3 didn't, and she says she doesn't know why he's not in. Mum's "
     "phone going to voicemail. What's the code for him?", "N",
     ("his sister says he didnt come home last night and mum isnt answering",
      "she says dad hit her last night and mums phone goes to voicemail")),
])
def test_everyday_coding_is_not_escalated_while_danger_still_is(assistant, coded, code, still_escalated):
    """Ordinary coding situations that share words with danger are coded; the dangerous ones still escalate."""
    reply = assistant.answer(coded)
    assert reply.kind == "code" and reply.codes[:1] == (code,), (reply.kind, reply.codes)
    for text in still_escalated:
        assert assistant.answer(text).kind == "safeguarding", text


def test_an_inset_day_at_another_school_is_no_closure_of_ours(assistant):
    """'That INSET was at her brother's school, ours was open': not a planned closure (#)."""
    facts = assistant.reader.read("mum kept Y2 off for 'staff training' but that INSET was at her older brother's "
                                  "school. ours was open")
    assert facts.get("reason") == "kept-off", facts


def test_leave_asked_for_and_not_yet_decided_asks_whether_the_head_agreed(chat):
    """Leave asked for (not a holiday) with no decision told: the one question that decides is whether the head
    teacher agreed it; agreed is C, refused is O."""
    reply = chat.handle("u80", text="mum has asked for 3 days off for a family wedding abroad, what code")[0]
    assert reply.kind == "tree" and not reply.codes and "agree" in reply.text, (reply.kind, reply.codes)
    assert chat.handle("u80", text="the head agreed it")[0].codes[:1] == ("C",)
    chat.handle("u81", text="mum has asked for 3 days off for a family wedding abroad, what code")
    assert chat.handle("u81", text="no, the head refused it")[0].codes[:1] == ("O",)


@pytest.mark.parametrize("turns", [
    # the reason set aside ("instead of an appt") is not told; staying home all morning drops the late arrival
    [("yr9 girl went to an orthodontist appt at 10, came in after the register had shut. morning code?", "M"),
     ("what if instead of an appt she was just poorly and stayed home all morning", "I")],
    # news of the same case ("theyve now asked for ...") changes it: days added to a religious day are leave
    [("family have asked for eid off for their yr5 son, the mosque sets the day apart for it. whats the code", "R"),
     ("theyve now asked for the 2 days after it as well for family visiting, the head agreed, same code?", "C")],
])
def test_a_changed_fact_replaces_the_one_it_stands_for(chat, turns):
    """A follow-up that replaces a fact replaces it, and drops the facts that no longer hold."""
    _play(chat, "u82", turns)


@pytest.mark.parametrize("previous,text,expected,about", [
    # "who needs to sign off on it?" of a part-time timetable asks whose agreement it needs, not a GP's sick note
    ("can we put a pupil on a reduced timetable", "who needs to sign off on it", "normally lives with", None),
    # "PTT" is a part-time timetable; a withdrawn penalty notice does not count
    ("what is code C2", "who has to agree the PTT?", "normally lives with", None),
    ("what happens after two penalty notices", "if one was withdrawn does it still count", "do not count", None),
    # after the exploitation toolkit, "where does that info end up?" asks what happens to a CPI form's information
    ("what's the CPI form that goes with the CERAF?", "where does that info end up?", "Police National Database", None),
    # "her brother's been off 6 days out of the same 150" is a calculation of its own on the same possible days
    ("primary girl has been off 20 days out of 150 school days so far. persistent absence or not?",
     "her brother's been off 6 days out of the same 150", "96%", "calculation"),
    # after guidance that gives one code (flexi-schooling: C), "does that go down as absence?" says how C counts
    ("parent wants to flexi school her yr2, how do we code the home days", "does that go down as absence in the stats",
     "authorised absence", None),
    # after the ranked risk factors, "which one came out top on that?" is answered by that list (suspensions first)
    ("which kids are most at risk of going persistently absent for unauthorised reasons", "which one came out top on that",
     "first to fourth", "hscp-risk-factors"),
    # after a youth justice referral question, a family "on board" asks about informed consent
    ("yr9 lad caught shoplifting twice and in trouble at school, could youth justice prevention help",
     "does his family have to be on board", "consent", None),
    # a pupil "coming back" from AP is their return, planned from the outset; who is "round the table" is the TAC
    ("what is alternative provision for", "so when do we plan for her coming back to us", "from the outset", None),
    ("what should a social worker ask the school about attendance", "and who ought to be round the table",
     "key adults", None),
    # after the part-time timetable rules, a pupil "kicking off in class" asks whether it may be for behaviour
    ("what are the rules on part time timetables", "what if really it's because she keeps kicking off in class",
     "should not be used to manage", "ptt-rules"),
    # the one answer near enough to offer is given, never offered alone as a question: why each checklist item matters
    ("what should i be asking school for on attendance as a social worker?",
     "why does lateness matter that much if he does turn up?", "morning routines, transport or anxiety",
     "sw-why-each-item"),
    # a supposition about the case stays on its subject: a looked-after pupil at that AP, not care figures
    ("how do i make sure an AP we use isn't basically operating as an unregistered school?",
     "what if the kid is looked after?", "independent school", "ap-independent-school-registration"),
    # "the governance side" is the governing body
    ("what is alternative provision supposed to be for?", "who oversees it on the governance side", "Governing bodies",
     None),
])
def test_follow_ups_in_everyday_words(chat, previous, text, expected, about):
    """Everyday words in a follow-up (signing off, PTT, withdrawn notices, where information ends up, the same total,
    going down as absence, coming out top, being on board, coming back, round the table, kicking off, why lateness
    matters, a supposed looked-after pupil, the governance side) reach the answer that says it (of the kind or entry
    named)."""
    chat.handle("u83" + text, text=previous)
    reply = chat.handle("u83" + text, text=text)[0]
    assert expected in reply.text, (reply.kind, reply.id, reply.text[:200])
    assert about in (None, reply.kind, reply.id), (reply.kind, reply.id)


def test_missing_more_than_attending_is_severe_absence(assistant):
    """'Off more than they're in' describes severe absence (missing 50% or more)."""
    reply = assistant.answer("whats the name for kids who are off more than theyre in")
    assert "severe" in reply.text.lower(), (reply.kind, reply.id)


def test_an_unregistered_providers_commissioner_keeps_the_safeguarding_duties(assistant):
    """Knowing where a pupil placed off site is, and following up unexplained absence, are the commissioner's."""
    reply = assistant.answer("does commissioning an unregistered provider reduce the school's safeguarding duties")
    assert "where pupils are during school hours" in reply.text and "unexplained absence" in reply.text, reply.id


@pytest.mark.parametrize("text,code", [
    # a register's closing time worked out from when it opens and how long it stays open
    ("our register shuts 25 mins after it opens at 8.35. callum (y5) turned up at half nine after going to the shop "
     "with his dad. what goes in?", "U"),
    # walking into reception is an arrival, and the school's reception desk is no Reception class
    ("photocopier jammed again, then ethan in Y10 walked into reception at 10.40 with no note. our morning registers "
     "are open 8.40 to 9.10. what does he get for the morning session?", "U"),
    # the case after "separate thing:" is the one asked about, and the days gone by since decide N or O
    ("Y6 ellie had a week off in feb which was agreed leave. separate thing: she missed 3 days last week and we've "
     "never had any explanation - it's now more than 5 school days since. what goes on for last weeks days?", "O"),
    # a twin's time is not the asked twin's
    ("mia was in at 8.50 fine but her twin evie didnt arrive till 9.35. our reg closes at 9.05. what do i put for "
     "evie", "U"),
    # part of the school closed for a fault in its building is Y3, and a building without heating is no neglect
    ("the KS1 building had no heating today so KS1 was closed, KS2 in as normal. what code for a Y1 child?", "Y3"),
    # a trip with the school's own teachers supervising is V; a dual-registered pupil's PRU days are D
    ("Y4 trip to the mary rose museum in portsmouth, teachers supervising the whole day. what code?", "V"),
    ("tia in Y8 goes to the pupil referral unit on mondays - she's on their admission register as well as ours. our "
     "mark for mondays?", "D"),
    # LA transport agreed and never booked is Q; a holiday told as a villa and a break is G
    ("the county has agreed he qualifies for a taxi but still hasn't booked one and mum has no car, so he's not been "
     "in. code?", "Q"),
    ("Y2 twins were at her sister's villa in portugal for the week for a break - she never asked us. code for last "
     "week?", "G"),
    # an illness told only by a sibling, with the parent not reached, is not yet an established reason
    ("his brother says he's ill but we've had no call from mum and can't get through, what code for now", "N"),
    # an illness belied by a holiday seen online is the holiday
    ("mum rang to say she's poorly but then we saw her posting from a beach in spain", "G"),
    # on a mornings-only timetable and off sick for the morning too: the timetabled session is illness
    ("she's on a part time timetable, mornings only, but today she's off sick for the morning too", "I"),
    # back from an appointment before the register closed is a late arrival, not M
    ("back from the dentist at 9.05, our register closes at 9.15, what do i put", "L"),
    # a time past no hour is past the hour just told; "just after 9" is a few minutes past
    ("y3 lass got in at twenty past nine, registers shut at ten past", "U"),
    ("Y2 girl rolled in just after 9, our reg closes at 9.15", "L"),
    # the head signing the leave form agrees it; a parent deployed with the forces is a reason for leave
    ("we gave permission for the week because dad is deployed with the army and only back then", "C"),
    # a register's length told in words, and an arrival at morning break, are after the register closed
    ("reg opens at 8.30 and shuts half an hour later, she strolled in at 10ish, code?", "U"),
    ("register shut at 9.10, he arrived just as the morning break bell went, code?", "U"),
    # a class sent home when its classroom is unusable is part of the school closed
    ("roof leak in the Y4 classroom, so that class was told to stay home today, everyone else is in. code for Y4?", "Y3"),
    # a placement split between two schools' registers is D; a football club's academy coaching day is sport
    ("she is registered at the special school on mondays and with us the rest of the week, our code for monday?", "D"),
    ("Y7 invited to a football club academy coaching day, their coaches supervise him, head approved. code?", "P"),
    # a consultant appointment that keeps a pupil off the whole morning is M, not a parent keeping him off
    ("consultant at the hospital at 10.40, mum kept him off the whole morning because of the journey. am code?", "M"),
])
def test_facts_told_in_passing_decide_the_code(assistant, text, code):
    """Facts told indirectly (a register's length, a second matter, a sibling's time, a building fault, who told the
    reason and what belies it) decide the code, and the facts of another pupil or another matter do not."""
    reply = assistant.answer(text)
    assert reply.codes[:1] == (code,), (reply.kind, reply.id, reply.codes)



def test_a_school_building_without_heating_is_no_neglect(assistant):
    """No heating in a school building is a closure; no heating at home with a hungry child still escalates."""
    assert assistant.answer("school had no heating so we closed the KS1 block, what code").kind != "safeguarding"
    assert assistant.answer("Y2 girl says theres no heating at home and she is always hungry").kind == "safeguarding"


@pytest.mark.parametrize("turns", [
    # leaving before the register was taken is absence for the reason told
    [("y7 in for afternoon reg at 1.10, left at 2 for the orthodontist", "\\"),
     ("what about if he'd left before the afternoon register?", "M")],
    # days added to a day of religious observance are leave, told as a follow-up
    [("family religious festival day, set apart by the church", "R"),
     ("and the day after as well, head agreed", "C")],
    # "for the afternoons" asks the afternoon session of a part-time timetable
    [("y6 girl has an agreed part time timetable, only mornings", None), ("what do we put for the afternoons", "C2")],
    # "is that the same if ...?" and "ok and if it's ...?" change one fact of the case
    [("yr9 goes to a farm based learning project on fridays, we set it up, their staff supervise her. code?", "B"),
     ("is that the same if the LA set it up?", "K"),
     ("why not just mark her present, she's being educated", "K"),
     ("so what would have to be true for B to be ok?", "B")],
])
def test_a_follow_up_changes_only_the_fact_it_tells(chat, turns):
    """A follow-up's one new fact (gone before the register, an added day, the session asked) changes the code."""
    _play(chat, "u90", turns)


def test_what_an_acronym_in_a_story_means_is_its_meaning_then_the_subject(chat):
    """'School say he's on RHP. whats that' asks the meaning, not the code; 'what should I ask them about it?' then
    asks what a social worker asks about reduced hours, and 'what does it turn into?' after N is O."""
    first = chat.handle("u92", text="social worker for a yr4 in havant, school say he's on 'RHP' at the moment. whats that")[0]
    assert first.kind == "glossary", (first.kind, first.id)
    reply = chat.handle("u92", text="what should i ask them about it?")[0]
    assert "rationale" in reply.text, (reply.kind, reply.id)
    chat.handle("u93", text="how long can a pupil stay on code N")
    assert chat.handle("u93", text="and what does it turn into?")[0].codes[:1] == ("O",)


def test_coding_asked_after_ap_guidance_codes_that_case(chat):
    """'How do I code his days there?' codes the case being discussed: its own code when it was coded, or the
    question that decides it (who arranged the education) when the guidance never coded it; never a code that only
    shares the word 'days'."""
    chat.handle("u95", text="we're looking at a forest school type place for a yr8 lad two days a week. would that count "
                            "as registered AP?")
    first = chat.handle("u95", text="who's responsible for his safeguarding while he's there?")[0]
    reply = chat.handle("u95", text="and how do i code his days there?")[0]
    assert reply.codes[:1] == ("B",) or (reply.kind == "tree" and "arranged" in reply.text), (first.id, reply.kind,
                                                                                                reply.codes)
    chat.handle("u96", text="is a forest school near petersfield for a yr8 two days a week registered AP? it's not a PRU")
    chat.handle("u96", text="who's responsible for his safeguarding while he's there?")
    reply = chat.handle("u96", text="and how do i code his days there?")[0]
    assert reply.codes[:1] == ("B",) or (reply.kind == "tree" and "arranged" in reply.text), (reply.kind, reply.codes)


def test_a_no_show_with_no_answer_is_coded_not_escalated(chat):
    """'She doesn't show and no one answers the phone' on a day she is due in is a reason not yet known (N), not a
    child at risk; a child who did not come home still escalates."""
    chat.handle("u97", text="she's dual registered, at the PRU tues-thurs")
    reply = chat.handle("u97", text="and the mon/fri when she's meant to be with us but doesnt show and no one answers "
                                    "the phone?")[0]
    assert reply.kind == "code" and reply.codes[:1] == ("N",), (reply.kind, reply.codes)
    assert chat.handle("u98", text="he didnt come home last night and no one answers the phone at home")[0].kind == \
        "safeguarding"


def test_a_threat_at_an_unanswered_door_still_escalates(assistant):
    """No answer at the door is an everyday absence call only without danger: a parent's threat that the children
    will never be seen again escalates."""
    reply = assistant.answer("Family of three kids, none in school for a fortnight. Went round yesterday and today, "
                             "someone moving inside but nobody answered. Last contact was dad shouting down the phone "
                             "'you'll never see them again'.")
    assert reply.kind == "safeguarding", (reply.kind, reply.id)


@pytest.mark.parametrize("turns,expected,about", [
    # a child who left care through adoption is previously looked after, however the story tells it
    ([("a dad who adopted his son (in foster care until age 2) wants to know if the virtual school will help with his "
       "yr6 attendance")], "previously looked-after", "plac-who"),
    # "when does it have to start?" asks the rule's time, not a new fact of the case: the code's answer gives the day
    ([("yr9 suspended for 7 days and no provision set up for him yet, code for today?"),
      ("when does education actually have to be in place for him")], "sixth", "code-e"),
    # "any good" is the quality a commissioner must be confident of
    ([("is every provider on the county's AP framework approved?"),
      ("then who makes sure the provision is any good")], "commission", "answer"),
    # "remind me what..." asks a question again; it is no request to be reminded later
    ([("remind me what alternative provision is supposed to achieve")], "re-engagement", "ap-objectives"),
    # a place in the question says where it is asked from: a holiday request is no question about the town's carers
    ([("family want 5 days in term to go to spain, cheaper flights. can our head in Andover authorise it?")],
     "exceptional", "leave-term-time-holiday"),
    # the figures again in everyday terms: one day every two weeks
    ([("what does 90% attendance look like over a year"), ("can you put that more simply, like in a fortnight")],
     "one day every two weeks", "calculation"),
    # "how does that compare with national?" asks the comparison the last answer gives
    ([("what were the absence figures for hampshire's children in care in 2021"),
      ("how did that compare against national")], "30.4%", "cla-attendance"),
    # the county's school population and elective home education figures
    ([("how many kids in hampshire are home educated")], "1350", "hampshire-education-figures"),
])
def test_questions_in_everyday_words_reach_their_answer(chat, turns, expected, about):
    """Everyday telling (an adopted child, when a duty starts, "any good", "remind me", a place asked from, "more
    simply", a comparison, the county's figures) reaches the answer that gives it."""
    _ends_on(chat, "u99" + turns[-1][:20], turns, expected, about)


@pytest.mark.parametrize("turns", [
    # sessions at a placement are the placement's, however they are counted
    [("attends on tuesday afternoons at the farm placement we commission, code?", "B")],
    [("he's at school tuesday mornings only, rest of the time he's at the PRU where he's dual registered, code for the "
      "PRU days?", "D")],
    # online lessons from a bedroom with nobody from school or the provider there: never B, whoever pays
    [("yr10 does online lessons from her bedroom through a provider we fund, nobody from the provider or school is with "
      "her. is that B?", None),
     ("ok and if it's part of her agreed part time timetable?", "C2")],
    # the days asked for after a religious day are leave: whether the head agreed decides
    [("yr3 boy off for diwali, the family's temple sets the day apart, they told us beforehand", "R"),
     ("now they want the tuesday as well", None),
     ("the head agreed it", "C")],
    # after the last exam a pupil the school still expects in, away with no reason, is O; one not expected is C
    [("yr11 finished all his gcses, we still expect him in until the end of june but he's not come in and given no "
      "reason", "O")],
    [("yr11 after her last exam, we don't expect her in any more, what code", "C")],
    # "that one?" after a coded case asks the code of the day just told (leave refused, not a holiday: O)
    [("head agreed 3 days leave for a family wedding abroad as exceptional, which code", "C"),
     ("they stayed on a day more which the head turned down. that one?", "O")],
])
def test_cases_told_in_everyday_words_are_coded(chat, turns):
    """Sessions at a placement, a bedroom as home, nobody with the pupil, more days asked after a religious day, a
    pupil still expected after the exams, and "that one?" are read as the facts they are."""
    _play(chat, "u100" + turns[0][0][:20], turns)


def test_sessions_a_week_are_no_days_gone_by(assistant):
    """"Two afternoons a week now" counts sessions in a week; it says nothing of five days gone by since an absence."""
    assert "days" not in assistant.reader.read("he comes in two afternoons a week now, how do i code those")
    assert assistant.reader.read("off since monday, it's a whole week now and no word")["days"] == "five-plus"


@pytest.mark.parametrize("turns,expected,about", [
    # "from when do we have to ...?" asks the day a duty starts, not a new fact of the suspension just coded
    ([("yr8 suspended for 9 days, nothing set up for her at the moment, code?"),
      ("from when do we have to get something in place")], "sixth", "code-e"),
    # "where do pupil referral units fit in that?" after the three tiers: the tiers that name them
    ([("explain the three tier AP model"), ("where do education centres fit in that?")], "comes under", "ap-tiers"),
    # a long story about one subject, however faintly any single phrasing matches it, gets that subject's answer
    ([("y8 boy in fareham, he's been stopped by police three times this term for anti-social behaviour round the "
       "shops after school, teachers say he's ok in lessons but he's been truanting fridays, dad's worried sick. "
       "does the youth justice service do anything early before it gets to court")], "Youth Justice", "answer"),
])
def test_rules_places_and_long_stories_reach_their_answer(chat, turns, expected, about):
    """A rule's start asked "from when", where something sits on a model just given, and a long story on one subject
    reach the answer that says it."""
    _ends_on(chat, "u101" + turns[-1][:20], turns, expected, about)


def test_facts_of_other_children_and_plural_acronyms(assistant):
    """Younger children at home are not the pupil's age; the LA booking a placement arranges it; "APs" are AP."""
    facts = assistant.reader.read("y5 girl, mum has 2 under 5 at home, we pay for a forest school on tuesdays")
    assert facts["age"] == "compulsory", facts
    assert assistant.reader.read("what if the council had booked the placement instead")["arranged_by"] == "la"
    assert assistant.index.query_tokens("which APs are registered")[0][0] == "ap"


def test_idioms_of_worry_are_no_illness(assistant):
    """"Worried sick", "sick of school" and "sick and tired" tell no illness; "he was sick this morning" does."""
    for text in ("dad's worried sick about her", "she says she's sick of school", "mum is sick and tired of the calls"):
        assert assistant.reader.read(text).get("reason") != "illness", text
    assert assistant.reader.read("he was sick this morning")["reason"] == "illness"


@pytest.mark.parametrize("turns,expected", [
    # an opening time told: the latest the register may close, then asked again in other words
    (["our reg opens at 8.50", "so by when does it have to be shut"], "close by 9.20 at the latest"),
    # a closing time, then an opening time supposed of "it": the window set against the 30-minute limit
    (["the morning register closes at 9.05, is that ok", "and if it opened at 8.25?"], "40 minutes: longer than"),
    # the other session asked after the rule: the same limit
    (["how long are we allowed to keep the morning register open", "what about the pm one"], "Every session"),
    # an item of a list asked by what it covers: the item that names it
    (["what does KCSiE 2025 say about alternative provision", "which paragraph covers written agreements?"],
     "comes under"),
])
def test_follow_ups_on_register_times_and_list_items(chat, turns, expected):
    """A register's times told across turns are set against the 30-minute limit, the other session has the same
    limit, and an item of a list is found by what it covers."""
    _ends_on(chat, "u102" + turns[-1][:20], turns, expected, "answer")


def test_a_register_time_inside_a_story_is_no_window_question(assistant):
    """A register's closing time told with an appointment's times is a coding situation, not a question about the
    register's window."""
    reply = assistant.answer("y6 at the dentist 9.15 till 10, back at 10.20, our reg shuts at 9.10, what for the am?")
    assert reply.codes[:1] == ("M",), (reply.kind, reply.id, reply.codes)


def test_a_detail_told_after_an_answer_stays_on_its_subject(chat):
    """"The farm has tractors and machinery" after how often to visit an AP tells more of that subject: where health
    and safety matters more, visits may be more frequent."""
    chat.handle("u103", text="how often are we meant to visit an alternative provider in person?")
    reply = chat.handle("u103", text="one of ours is a farm with tractors and machinery")[0]
    assert "health and safety" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("turns", [
    # tuition "from the local authority" is arranged by it
    [("y8 has home tuition from the local authority while she recovers from an operation, how do i mark those "
      "sessions", "K")],
    # the days added to a religious day, supposing the head agrees them
    [("family asked for a day off for vaisakhi, the gurdwara sets it apart, what code", "R"),
     ("they'd like 2 more days after it for a family trip. if the head says yes, what goes in for those?", "C")],
    # a pupil the school still expects in after the last exam, away with no acceptable reason
    [("y11 has sat her final gcse paper and we don't expect her in again this term, code?", "C"),
     ("what if we did want her in and she just never came, no good reason", "O")],
])
def test_more_cases_told_in_everyday_words_are_coded(chat, turns):
    """Tuition from the LA, a supposed yes from the head, and a pupil still expected after the exams are read as the
    facts they are."""
    _play(chat, "u104" + turns[0][0][:20], turns)


@pytest.mark.parametrize("turns,expected", [
    # an AP gone online only, logged on to from a bedroom: never B
    (["our AP provider has switched to online only and she logs in from her bedroom, can we still use B"], "never B"),
    # the other session's register asked in other words; and where the time is written down
    (["is 8.35 to 9.05 ok for our morning register", "could the pm register be open longer than that?"],
     "Every session"),
    (["how long can a register stay open", "where does that time need writing down"], "attendance policy"),
    # whether a service would take the child is asked of the service, whatever mark the story implies
    (["y9 lad, anti-social behaviour in the park most weekends, police have spoken to him, he skips maths. could the "
      "youth justice prevention team work with him?"], "Prevention"),
])
def test_more_questions_in_everyday_words_reach_their_answer(chat, turns, expected):
    """Online-only AP from home, the other session's register, where the time is written, and whether a service would
    take a child reach the answer that says it."""
    _ends_on(chat, "u105" + turns[-1][:20], turns, expected, None)


@pytest.mark.parametrize("turns,expected,about", [
    # hours set for the pupil ("on 9-12 only") are a reduced timetable, and a case's status said first ("CIN") with
    # "what should I be checking" is a social worker asking; how long it may last is then its short-term limit
    (["CIN yr4, school has had her on 9-11.30 only since half term, dad agreed. what should i be checking?"],
     "rationale, review dates", "sw-reduced-hours"),
    (["CIN yr4, school has had her on 9-11.30 only since half term, dad agreed. what should i be checking?",
      "how long is that meant to last"], "shortest time", None),
])
def test_a_reduced_timetable_told_in_hours_reaches_the_social_workers_checks(chat, turns, expected, about):
    """A part-time timetable told as its hours, asked by a social worker, gets the social worker's checks, and how
    long it may last is their short-term limit."""
    _ends_on(chat, "u106" + turns[-1][:20], turns, expected, about)


def test_the_first_days_of_a_coded_case_keep_its_code(chat):
    """"What goes in the reg for the first few days, before it starts?" after an exclusion with nothing arranged is
    the same case: E; once the LA's provision starts it is K."""
    _play(chat, "u107", [("y10 permanently excluded on friday, nothing set up for him yet, code?", "E"),
                         ("before anything starts, what do we put for the first few days?", "E"),
                         ("and once the LA provision starts?", "K")])


def test_separated_parents_ask_who_may_request_leave(chat):
    """"Mum and dad have split up, does it matter which of them puts the request in?" after leave is asked for is about
    the parent the pupil normally lives with."""
    chat.handle("u108", text="family asked for a day off for diwali, the temple sets it apart, what code")
    chat.handle("u108", text="they want the next day too for family")
    reply = chat.handle("u108", text="mum and dad have split up, does it matter which of them puts the request in?")[0]
    assert "normally lives with" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("first,code", [("what does C2 mean", "C2"), ("what is code X", "X")])
def test_what_ages_after_a_code_is_the_codes_age(chat, first, code):
    """"What ages does it cover?" after a code's meaning is answered by that code, which names the school age it is
    for (C2 compulsory school age, X below it)."""
    chat.handle("u109" + code, text=first)
    reply = chat.handle("u109" + code, text="what ages does it cover")[0]
    assert reply.codes[:1] == (code,) and "compulsory school age" in reply.text, (reply.kind, reply.id, reply.codes)


@pytest.mark.parametrize("first", ["what are the rules on part time timetables", "what does C2 mean"])
def test_a_younger_pupil_asked_after_part_time_timetables_is_x(chat, first):
    """"What about a 4 year old?" or "under 5s?" after part-time timetables: below compulsory school age on reduced
    hours is X, not C2."""
    for i, age in enumerate(("what about for a 4 year old?", "and under 5s?")):
        user = f"u110{i}{first[:10]}"
        chat.handle(user, text=first)
        reply = chat.handle(user, text=age)[0]
        assert reply.codes[:1] == ("X",), (first, age, reply.kind, reply.id, reply.codes)


def test_a_follow_up_near_the_answer_the_last_one_links_to_gets_it(chat):
    """"Whose job is it to sort that out?" after code E (nothing arranged yet) is answered by the sixth-day duty the
    code links to, not offered as a choice; the case coded goes on ("for the first days" is still E)."""
    chat.handle("u111", text="yr8 was permanently excluded this morning, nothing arranged for him, code?")
    reply = chat.handle("u111", text="whose job is it to arrange that?")[0]
    assert reply.id == "excluded-sixth-day", (reply.kind, reply.id)
    assert chat.handle("u111", text="and what do we put in the meantime for the first few days?")[0].codes[:1] == ("E",)


@pytest.mark.parametrize("turns", [
    ["reception child on mornings only, what code for the afternoons"],
    ["what does C2 mean", "does it apply to reception kids too?"],
])
def test_a_reception_pupil_on_reduced_hours_is_asked_about_age(chat, turns):
    """A Reception pupil may be either side of compulsory school age, which decides between C2 and X: the one
    question that decides is asked, never a code given."""
    _ends_on(chat, f"u112{len(turns)}", turns, "reached compulsory school age", "tree")


def test_a_reception_pupil_with_the_age_told_gets_the_code_of_that_age(chat):
    """Told the age, the same Reception pupil is coded: X below compulsory school age, C2 at it (dfe §1)."""
    _play(chat, "u1130", [("reception child aged 4 on mornings only, what code for the afternoons", "X")])
    _play(chat, "u1131", [("reception child on mornings only, what code for the afternoons", None),
                          ("she's reached compulsory school age", "C2")])


def test_these_days_in_a_question_points_at_no_story(chat):
    """"When must we consider a penalty notice these days? (story)": "these days" says when it is asked, so the
    question is read on its own and gets the national threshold."""
    reply = chat.handle("u114", text="what is the trigger for a penalty notice these days? yr9 in Fleet, lots of "
                                     "unauthorised since easter")[0]
    assert reply.id == "pn-threshold" and reply.confidence >= 0.75, (reply.kind, reply.id, reply.confidence)


@pytest.mark.parametrize("first", ["how much is a penalty notice", "when should a penalty notice be considered"])
def test_which_part_of_the_guidance_is_answered_by_the_linked_answer_that_gives_it(chat, first):
    """"Which part of the guidance covers this?" after penalty notices: the answer they link to that names the
    guidance's paragraphs (the National Framework), not an unrelated answer."""
    user = f"u115{first[:8]}"
    chat.handle(user, text=first)
    reply = chat.handle(user, text="which part of the attendance guidance sets all this out?")[0]
    assert reply.id == "pn-notice-to-improve" and "paragraphs 174 to 200" in reply.text, (reply.kind, reply.id)


def test_how_often_after_going_back_to_a_subject_is_its_regularity(chat):
    """"Going back to the reviews, how often?" returns to the part-time timetable answer for social workers, which says
    reviews are regular; a subject returned to is not counted as words asked."""
    _ends_on(chat, "u116", ["my child in care is on reduced hours provision, what should i ask the school for",
                            "how would it be coded for the sessions she's off?",
                            "going back to the reviews, how often do they happen?"], "regularly reviewed", None)


def test_how_often_prefers_a_set_frequency_the_last_answer_links_to(chat):
    """After the AP checks (which say only "regular site visits"), "how often should we visit?" gets the linked answer
    that sets a frequency (a visit each term), not "regularly" again."""
    _ends_on(chat, "u117", ["what should we check before commissioning an AP", "how often should we go and visit?"],
             "each term", "ap-site-visits")


def test_when_did_it_come_out_asks_the_date_of_the_last_answer(chat):
    """"When did that come out?" after the DfE key actions for social workers: its own publication date."""
    _ends_on(chat, "u118", ["what are the dfe key actions for social workers on attendance", "when did that come out?"],
             "18 March 2026", "sw-key-actions")


def test_a_code_named_as_a_bare_capital_is_asked_how_it_counts(chat):
    """"Does B go against his attendance?" after a case coded B asks how B counts: approved educational activity."""
    _ends_on(chat, "u119", ["yr8 at a farm placement we arranged, supervised by a farmer we've approved, code?",
                            "does B go against his attendance?"], "approved educational activity", None)


def test_a_placement_supposed_after_work_at_home_is_not_unsupervised(chat):
    """After work at home (never B), a supervised placement the school arranged is B: nobody supervising him at home
    says nothing of the placement."""
    _play(chat, "u120", [("mum says he's doing his work at home on the laptop all week, can we mark him as B?", None),
                         ("what if instead he goes to a riding school placement we set up, with an instructor we've "
                          "approved supervising him", "B")])


def test_the_national_name_for_unregistered_ap_is_given(chat):
    """The 2025 national term for unregistered AP ("non-school AP") and the Children's Commissioner's figure are part
    of the answer on registered and unregistered AP (dfe-attendance-facts.md §4.2)."""
    reply = chat.handle("u121", text="what's the difference between registered and unregistered AP")[0]
    assert "non-school AP" in reply.text and "29,244" in reply.text, (reply.kind, reply.id)


def test_asking_what_to_request_about_a_situation_gets_guidance_not_its_code(assistant):
    """"... is on reduced hours provision, what should I ask the school for?" asks for something other than a mark:
    the close guidance answers are given, not the code the situation reads like."""
    reply = assistant.answer("my child in care is on reduced hours provision, what should i ask the school for")
    assert reply.kind == "answer" and reply.id == "sw-reduced-hours", (reply.kind, reply.id, reply.codes)


def test_younger_ones_after_c2_are_below_compulsory_school_age(chat):
    """"What do we use for the younger ones?" after C2 (compulsory school age) asks about pupils below that age: X."""
    _play(chat, "u122", [("whats C2", "C2"), ("so what do we use for the younger ones?", "X")])


def test_words_in_brackets_are_read(assistant):
    """"We (the school) set it up": who arranged it is read through the brackets; "an outdoor learning thing" is
    education away from school."""
    facts = assistant.reader.read("she does an outdoor learning thing on tuesdays, we (the school) set it up")
    assert facts.get("arranged_by") == "school" and facts.get("reason") == "education", facts


def test_transport_never_arranged_after_transport_failing_is_q(chat):
    """After the usual LA taxi failing (Y1), "and if the LA never arranged any?" means no transport was arranged: Q
    (dfe §1 Q v Y1); "absence though?" then asks how Q counts."""
    _play(chat, "u123", [("yr4 with an EHCP, her LA taxi didn't turn up this morning so she couldn't get in, code?", "Y1"),
                         ("and if the LA never arranged any?", "Q")])
    _ends_on(chat, "u123", ["absence though?"], "not a possible session", None)


def test_another_arrival_time_takes_up_the_case_again_after_guidance(chat):
    """A late arrival coded U, then a question answered with guidance, then "if 9.05?": the case is taken up again at
    the new time (before a 9.10 close: L)."""
    _play(chat, "u124", [("yr3 came in at 9.30 today, the register closes at 9.10, what code?", "U"),
                         ("why does lateness matter so much?", None), ("if 9.05?", "L")])


def test_a_bare_situation_after_coding_guidance_asks_its_code(chat):
    """"Off sick one thursday?" after the guidance on coding flexi-schooling puts a situation to it: its code, I."""
    _play(chat, "u125", [("is there a code for flexi schooling", None), ("off sick one thursday?", "I")])


def test_a_pupils_percentage_without_the_word_attendance_is_read_as_attendance(chat):
    """"My yr9 is on 87%, is that bad?" is his attendance: persistent absence; "and his sister on 45%?" is severe. A
    test mark ("got 45% in maths") is not attendance."""
    _ends_on(chat, "u126", ["school told me my yr9 boy is on 87%. is that actually bad?"], "This is persistent absence",
             "calculation")
    _ends_on(chat, "u126", ["and his sister on 45%?"], "This is severe absence", "calculation")
    assert chat.handle("u127", text="she got 45% in her maths test")[0].kind != "calculation"


def test_is_that_ok_of_a_told_part_time_timetable_gets_its_rules(chat):
    """"(School put him on mornings only, nobody asked the carer.) Is that ok?" asks the rules on what is told: the
    part-time timetable rules, not the code for the afternoons."""
    reply = chat.handle("u128", text="CiC yr8 in Alton, school have had him on mornings only since october and the "
                                     "foster carer says nobody asked her. is that ok?")[0]
    assert reply.id == "ptt-rules", (reply.kind, reply.id, reply.codes)


def test_a_code_answered_from_guidance_keeps_its_case_for_a_changed_session(chat):
    """A part-time timetable coded from guidance (C2 for the mornings he is off) keeps that case: "how will the
    afternoons show on his register?" is decided on it, not read as a pupil present in the afternoon."""
    _play(chat, "u129", [("CiC yr8 in Alton, school have had him on mornings only since october and the foster carer "
                          "says nobody asked her. is that ok?", None),
                         ("what should the school be giving me about it?", None),
                         ("how will the afternoons show on his register?", "C2")])


def test_code_asked_on_its_own_after_a_case_gives_its_code(chat):
    """"Code?" after a case is answered with that case's code."""
    _play(chat, "u130", [("yr9 was off ill yesterday, mum rang at 8.30", "I"), ("ok thanks", None), ("code?", "I")])


def test_thanks_is_acknowledged_and_the_case_goes_on(chat):
    """"Ok thanks" asks nothing: it is acknowledged (not answered with guidance or a fallback), and the case is kept
    for what follows."""
    chat.handle("u131", text="yr9 was off ill yesterday, mum rang at 8.30")
    reply = chat.handle("u131", text="ok thanks")[0]
    assert reply.kind == "help" and "welcome" in reply.text, (reply.kind, reply.id)
    assert chat.handle("u131", text="and if she'd had no call from mum?")[0].codes[:1] == ("N",)


@pytest.mark.parametrize("turns,expected", [
    (["head wants a yr6 on a part time timetable because his afternoons are chaotic behaviour wise. allowed?"],
     "ptt-rules"),
    (["dad wants both kids out for a week in term time to go to florida, who decides if that's allowed?"],
     "leave-term-time-holiday"),
    (["SW here, my yr9 in care has been on a reduced timetable since september, what should i ask the school for",
      "is it even allowed?"], "ptt-rules"),
])
def test_a_bare_rules_question_gets_the_rules_on_what_is_told(chat, turns, expected):
    """"Allowed?" or "is it even allowed?" names nothing of its own: it asks the rules on what was told (a part-time
    timetable, a holiday), never the code the situation reads like."""
    _ends_on(chat, f"u132{len(turns)}{expected[:4]}", turns, "", expected)


@pytest.mark.parametrize("turns", [
    ["what are the rules on part time timetables", "who needs to agree to it?"],
    ["what are the rules on part time timetables", "can the parents refuse?"],
])
def test_whose_agreement_is_answered_by_the_answer_that_says_it(chat, turns):
    """"Who needs to agree to it?" after the part-time timetable rules: the answer they link to that says whose
    agreement it needs (the school and the parent the pupil normally lives with)."""
    _ends_on(chat, f"u133{turns[-1][:6]}", turns, "parent the pupil normally lives with", None)


def test_using_a_part_time_timetable_to_manage_behaviour_is_a_rules_question(chat):
    """"Can we use one to manage his behaviour?" after C2 asks whether it is allowed: the rules (it should not be),
    not the code again."""
    _ends_on(chat, "u134", ["code for a kid on a part time timetable", "can we use one to manage his behaviour?"],
             "should not be used to manage", "ptt-rules")


def test_whose_agreement_after_a_code_is_the_guidance_around_it(chat):
    """"Can parents say no?" after C2 asks whose agreement a part-time timetable needs: the guidance C2 links to, not
    the code again and not a refused leave of absence."""
    _ends_on(chat, "u135", ["what code for the afternoons of a yr9 on a mornings only timetable", "can parents say no?"],
             "agreement of both the school and the parent", "ptt-agreement")


def test_time_off_before_a_phased_return_is_illness(chat):
    """"Off 3 weeks after an operation, then a phased return": the time off is illness (I); a phased return told as
    happening now is still a part-time timetable (C2)."""
    _play(chat, "u136", [("yr8 having an operation in january, off about 3 weeks then a phased return. when do we tell "
                          "the LA?", None), ("code while he's off", "I")])
    _play(chat, "u137", [("phased return after his operation, mornings only, agreed with dad. afternoon code?", "C2")])


def test_whether_the_days_run_in_a_row_is_answered_by_the_last_answer(chat):
    """"In a row or added up?" after the 15-day illness duty: that answer says consecutive or cumulative."""
    _ends_on(chat, "u138", ["when do we have to tell the LA about a pupil off ill long term", "in a row or added up?"],
             "consecutive or cumulative", "abs-illness-15-days")


@pytest.mark.parametrize("asked", ["what's in the first phase?", "and what's coming later on?"])
def test_phases_asked_of_the_last_answer_are_answered_by_it(chat, asked):
    """"What's in the first phase?" and "what's coming later?" after the attendance SLA: that answer gives phase 1 and
    the further offers likely to follow."""
    _ends_on(chat, f"u139{asked[:10]}", ["tell me about the local authority attendance SLA", asked], "",
             "sla-attendance")


def test_a_question_after_a_story_keeps_the_reason_the_story_tells(chat):
    """A long suspension story ending "who has to provide education for him and from when?" is about the suspension
    (education from the sixth day), not about which providers are registered."""
    reply = chat.handle("u140", text="bit of a saga. yr9 at our fleet secondary got a 7 day suspension yesterday after a "
                                     "fight on the field (head of year still writing it up, bless her). dad keeps "
                                     "ringing asking what happens now. who has to provide education for him and from "
                                     "when?")[0]
    assert reply.id == "excluded-sixth-day", (reply.kind, reply.id)


@pytest.mark.parametrize("asked", ["what's para 176 about", "what do paras 174-179 of kcsie cover"])
def test_para_is_read_as_paragraph(assistant, asked):
    """"Para 176" is how practitioners cite a paragraph: the hub slides' KCSiE table answers it."""
    reply = assistant.answer(asked)
    assert reply.id == "ap-kcsie-2025", (reply.kind, reply.id)


def test_young_carers_criteria_is_the_young_carers_service_not_youth_justice(assistant):
    """"Criteria for a young carers referral" is about who HYCA supports (8 to 18), not Youth Justice's criteria."""
    assert assistant.answer("criteria for a young carers referral").id == "yc-hyca"


def test_one_word_follow_up_does_not_jump_confidently_to_another_subject(chat):
    """"Who do I contact?" after PP+ for previously looked-after children names nothing else: it is never answered
    confidently with the Youth Justice referral route that happens to hold the word."""
    _ends_on(chat, "u201", ["what does PLAC mean", "do they get PP+?"], "Pupil premium plus", None)
    reply = chat.handle("u201", text="who do I contact")[0]
    assert not (reply.kind == "answer" and reply.id == "yjs-refer"), (reply.kind, reply.id)


def test_another_figure_after_rules_on_hours_gets_the_same_rules(chat):
    """"What about 2 days?" after the rules on an unregistered provider's weekly hours: the same rules again."""
    _ends_on(chat, "u202", ["is it ok to use an unregistered AP for a yr10 3 days a week", "what about 2 days?"],
             "18", "ap-eighteen-hours")


def test_afternoon_after_leaving_for_an_appointment_is_decided_by_the_reason(assistant):
    """Here for morning registration, collected for the orthodontist and not back for the afternoon: the afternoon is
    M, never the afternoon present mark (dfe §1)."""
    reply = assistant.answer("yr3 boy, orthodontist at 10.30 so mum collected him at 10 and he didnt come back for the "
                             "afternoon. he was here for morning reg. what for the pm?")
    assert reply.codes[:1] == ("M",), (reply.kind, reply.codes)


def test_the_other_session_of_a_pupil_present_in_the_morning_is_asked_not_assumed_present(chat):
    """"And the pm?" after a pupil was marked present in the morning, with nothing told of the afternoon: the one
    question that decides it, never the afternoon present mark."""
    _play(chat, "u203", [("yr5 was in class when i took the morning register, am code?", "/")])
    reply = chat.handle("u203", text="and the pm?")[0]
    assert reply.kind == "tree" and not reply.codes, (reply.kind, reply.codes)


def test_a_reduced_timetable_being_increased_is_still_a_reduced_timetable(chat):
    """The timetable increased at review so he is now in from registration in the morning (/): the afternoons he is
    still not timetabled for are C2 (dfe §2.4)."""
    _play(chat, "u204", [("yr8 on a reduced hours timetable agreed with mum, comes in at 11 for an hour then goes home. "
                          "what do i code his morning", "C2"),
                         ("timetable's been increased at review, now he comes in from reg in the morning. am code?", "/"),
                         ("and the pm?", "C2")])


def test_off_sick_from_a_placement_is_illness(chat):
    """Off sick from his work experience placement is illness (I), not the placement."""
    _play(chat, "u205", [("yr10s on work experience next week, arranged by school. what do we code them", "W"),
                         ("one of them is off sick from his placement on the tues", "I")])


def test_a_question_reported_first_is_what_is_asked(assistant):
    """"Parent asking me how many days off before they get fined, <the story>": the penalty notice threshold."""
    reply = assistant.answer("parent asking me how many days off before they get fined, their yr7 has had a few "
                             "unauthorised days this term, mostly late after reg closed")
    assert reply.id == "pn-threshold", (reply.kind, reply.id)


def test_days_lasted_so_far_outweigh_the_day_something_happened(assistant):
    """Not in for 10 school days now, with a home visit "on day 3": more than five school days, so N becomes O."""
    reply = assistant.answer("yr9 boy hasnt been in for 10 school days now, home visit on day 3, no reason since. the N "
                             "codes are still on from day 1, what should they be by now")
    assert reply.codes[:1] == ("O",), (reply.kind, reply.codes)


def test_asking_what_else_to_do_after_a_code_is_not_given_a_code(chat):
    """"Anything else we should be doing, no one answers the door" after O asks for guidance: never code N, and the
    case coded stays for the next question."""
    _play(chat, "u206", [("yr9 hasnt been in for 10 school days now, no reason given. N codes still on, what should "
                          "they be", "O")])
    reply = chat.handle("u206", text="anything else we should be doing, no one answers the door now either")[0]
    assert not reply.codes, (reply.kind, reply.codes)
    _ends_on(chat, "u206", ["is that penalty notice territory?"], "10 sessions", None)


def test_doing_something_first_is_not_a_programme_named_first(assistant):
    """"What do we have to do first?" about an unregistered provider asks its rules (for a pupil with an EHC plan, the
    answer that adds the SEN team to them), not Families First."""
    reply = assistant.answer("we want to use an unregistered AP in the new forest for a yr9 girl with an EHCP, 3 days "
                             "a week, what do we have to do first")
    assert reply.id in ("ap-unregistered-rules", "ap-ehc-plan") and "sole provider" in reply.text, (reply.kind, reply.id)


def test_a_percentage_asked_outright_outranks_the_code_named(assistant):
    """Figures with "all illness coded I. percentage?": the calculation (85%), not the meaning of I."""
    reply = assistant.answer("300 possible sessions so far, 45 absent, all illness coded I. percentage?")
    assert reply.kind == "calculation" and "85%" in reply.text, (reply.kind, reply.text[:80])


def test_an_arrival_story_with_register_times_is_coded_not_judged_as_a_window(assistant):
    """Register times told around an arrival, "he was fine", "what code": the code (L), not the register window."""
    reply = assistant.answer("reg opens 8.40 and closes 9.10, mum dropped him at 8.58 bc the car wouldnt start, he was "
                             "fine. what code")
    assert reply.codes[:1] == ("L",), (reply.kind, reply.id)


@pytest.mark.parametrize("turns", [
    [("yr5 lad has K all down his wednesdays. what does K mean?", "K"),
     ("ok and what would it be if we'd set the provision up ourselves, not the LA?", "B")],
    [("what does N mean? yr9 with N for tues and wed, mum's phone goes to voicemail", "N"),
     ("and if we still hear nothing after that?", "O")],
])
def test_changed_facts_in_everyday_contractions_recode_the_case(chat, turns):
    """"If we'd set it up ourselves" (we had) is the school arranging it: B (dfe §4.3); still hearing nothing after
    the days allowed for N is O."""
    _play(chat, "u207", turns)


def test_which_item_is_the_one_asked_by_its_content(chat):
    """"And which is the LA day 6 one?" after the KCSiE table picks the item on the LA's duty (paragraph 179)."""
    _ends_on(chat, "u208", ["what do kcsie paragraphs 174-179 say about alternative provision",
                            "and which is the LA day 6 one?"], "179", "ap-kcsie-2025")


def test_a_bare_name_after_asking_where_something_sat_asks_where_it_sits(chat):
    """"And the education centres?" right after "which tier is PBS outreach in?": where they sit (tiers 2 and 3)."""
    _ends_on(chat, "u209", ["explain the three tier model for AP", "which tier is PBS outreach in?",
                            "and the education centres?"], "Tier 2", "ap-tiers")


def test_who_asked_the_asker_is_an_aside(assistant):
    """"... our new governor asked and i fumbled it" after the question says who asked, not what."""
    reply = assistant.answer("sorry if this is obvious, what does the virtual school head actually do? my line manager "
                             "asked and i blanked")
    assert reply.id == "vs-what", (reply.kind, reply.id)


def test_good_or_outstanding_school_for_children_in_care(assistant):
    """The Virtual School's aspiration: a good or outstanding school (board packs, 2021 and 2022 reports)."""
    reply = assistant.answer("what standard of school should a child in care be at")
    assert "good or outstanding" in reply.text, (reply.kind, reply.id)


def test_where_an_answer_comes_from_is_its_sources(chat):
    """"Where's that from?" and "says who?" after an answer give its sources, and keep the subject."""
    _ends_on(chat, "u210", ["what should social workers do about attendance, new dfe guidance",
                            "why are kids with a social worker picked out?"], "higher risk", "sw-key-actions")
    _ends_on(chat, "u210", ["where's that from?"], "That comes from:", "sw-key-actions")
    _ends_on(chat, "u211", ["can schools ask parents for GP letters", "says who?"], "That comes from:", "gp-letters")


@pytest.mark.parametrize("asked,code", [
    ("Year 7 girl is modelling for a brand photo shoot in Portugal, magistrates granted the licence and we've agreed "
     "the leave. What leave code please?", "C1"),
    ("yr1 girl was in for 8.45 reg, nosebleed wouldnt stop so dad took her home at 9.40. what goes in for the AM?", "/"),
    ("G or C - we refused the tenerife request but they flew out saturday and hes off all week", "G"),
    ("C or G - dad says the cheap flights to see family in Spain count as exceptional circumstances but the head "
     "refused", "G"),
    ("fire in the kitchen overnight so the whole school is closed, wasn't planned obviously. code for all pupils?", "Y4"),
])
def test_everyday_accounts_of_licences_registration_holidays_and_closures(assistant, asked, code):
    """A magistrate's licence is C1; "in for 8.45 reg" is present; flying out after a refusal, or a parent's claim of
    exceptional circumstances the head refused, is G; an unplanned whole-school closure is Y4 (dfe §1)."""
    reply = assistant.answer(asked)
    assert reply.codes[:1] == (code,), (reply.kind, reply.codes)


@pytest.mark.parametrize("asked,expected", [
    ("mum keeps him off every single monday, what does that work out as", "Attendance 80%"),
    ("she's off each friday afternoon, what's that as a percentage", "Attendance 90%"),
    ("attendance is 72% and we've had 340 possible sessions, how many sessions has he missed?", "95.2 missed"),
])
def test_weekly_days_off_and_a_percentage_of_the_sessions_given_are_worked_out(assistant, asked, expected):
    """A day of the week missed every week is that share of the week; a percentage with the possible sessions given
    is worked out in sessions."""
    reply = assistant.answer(asked)
    assert reply.kind == "calculation" and expected in reply.text, (reply.kind, reply.text[:100])


@pytest.mark.parametrize("asked,term", [("MASH in the referral pathway - expand pls", "term-mash"),
                                        ("RHP in full?", "term-rhp")])
def test_asking_for_an_acronym_expanded_is_asking_its_meaning(assistant, asked, term):
    """"Expand pls" and "in full" ask what an acronym stands for."""
    assert assistant.answer(asked).id == term


@pytest.mark.parametrize("asked,code", [
    ("registration's 8.40 to 9.10. her register was done at 8.45 and she wasn't there, she came through the office at "
     "five past nine with her nan. code?", "L"),
    ("registered at 0840 in class, then went home with mum at 9.30 for her appointment. am?", "/"),
    ("off poorly this morning but mum dropped him at 12.40 and he was in his seat for 1pm registration. what for the "
     "afternoon?", "\\"),
    ("yr7 on an agreed part-time timetable, timetabled in mornings 9-12. this morning he was off with D&V. what for the "
     "morning?", "I"),
    ("second day of eid, mum asked for leave beforehand and the head authorised it. R again or something else?", "C"),
    ("both absent, dad's number doesn't connect and mum has read the message but not replied. what for now?", "N"),
    ("dad's a rigger who travels the festival circuit for his job and has taken our yr4 with him for the season", "T"),
    ("police closed the ring road and all the roads into town, whole area gridlocked, half our kids couldn't get in. "
     "school open. code?", "Y2"),
    ("we're shutting the whole school for 2 days to move into the new building, it's been in the calendar since "
     "september. register code?", "#"),
])
def test_everyday_accounts_of_arrivals_presence_and_unavoidable_absence(assistant, asked, code):
    """Arriving through the office before the register closed is L; "registered in class" and "in his seat for 1pm
    registration" are present; a timetabled session missed through illness is I ("D&V" names no code); the second day
    of a festival with leave agreed is C; no word yet is N; a parent travelling for work is T; widespread travel
    disruption is Y2; a closure long in the calendar is # (dfe §1)."""
    reply = assistant.answer(asked)
    assert reply.codes[:1] == (code,), (reply.kind, reply.codes)


def test_both_rankings_agreeing_on_a_subject_answer_it(assistant):
    """When phrasing similarity and BM25 put the same two or three close entries of one subject first, the subject is
    clear: a leave request for a family event abroad gets the leave rules, not the fallback."""
    reply = assistant.answer("nan wants 10 days out in term time for a big family wedding in kenya, yr5 in Romsey. can "
                             "the head authorise it?")
    assert reply.kind == "answer" and "exceptional" in reply.text, (reply.kind, reply.id)


def test_a_rules_question_about_leave_is_not_answered_with_a_code(assistant):
    """"Can the head agree it?" asks the rules, not how to code leave already agreed: the leave guidance answers."""
    reply = assistant.answer("family want our yr3 out for 10 days to go to a cousin's wedding in nigeria, can the head "
                             "agree it?")
    assert reply.kind == "answer" and not reply.codes, (reply.kind, reply.id, reply.codes)


def test_an_acronyms_expansion_is_no_second_opinion_unless_named(assistant):
    """Everyday words that happen to spell out an acronym ("secondary ... education" in GCSE) do not make the acronym
    the answer: a permanent exclusion asks from which day education is due."""
    reply = assistant.answer("year 9 was permanently excluded from his secondary yesterday, when does he need "
                             "education arranged somewhere else?")
    assert reply.id == "excluded-sixth-day", (reply.kind, reply.id)


def test_who_decides_after_the_leave_rules_is_the_head(chat):
    """"Who decides?" after the term-time leave rules asks whose decision it is, which those rules give."""
    _ends_on(chat, "u212", ["can a head authorise a term time holiday", "who decides?"], "discretion",
             "leave-term-time-holiday")


def test_a_supposed_decision_on_leave_after_the_rules_gets_its_code(chat):
    """After the leave rules on a holiday request, "if the head says no and they go anyway?" codes that situation (G),
    and "what if it's granted?" the other way (C)."""
    _play(chat, "u213", [("dad wants our yr4 out for a week in may because flights are cheaper, can the head agree it?",
                          None), ("if the head says no and they go anyway?", "G")])
    _play(chat, "u214", [("dad wants our yr4 out for a week in may because flights are cheaper, can the head agree it?",
                          None), ("and if it's granted?", "C")])


def test_a_supposition_after_guidance_that_codes_nothing_stays_guidance(chat):
    """After guidance that is not about coding (checks on an AP's staff), "what if he doesn't turn up there?" is not
    answered with a code."""
    chat.handle("u215", text="what safeguarding checks should we have on file for an alternative provider's staff")
    reply = chat.handle("u215", text="what if he doesnt turn up there")[0]
    assert reply.kind != "code", (reply.kind, reply.id)


@pytest.mark.parametrize("turns,expected", [
    (["does PP+ get reviewed", "does it change year to year?"], "annually"),
])
def test_year_to_year_asks_how_often(chat, turns, expected):
    """"Does it change year to year?" asks how often, which the previous answer gives."""
    _ends_on(chat, "u216", turns, expected, "ppplus-what")


def test_filler_words_do_not_drown_a_follow_up(chat):
    """"Anywhere" and "whether" name nothing: "do schools record it anywhere?" after young carers is the census."""
    _ends_on(chat, "u217", ["who counts as a young carer", "what ages does hyca work with?",
                            "do schools have to record it anywhere?"], "census", "yc-definition")


def test_a_fineable_week_is_the_penalty_notice_threshold(chat):
    """"Fineable" is about penalty notices."""
    _ends_on(chat, "u218", ["head refused the holiday and they went to spain anyway, what code?",
                            "is a week of that fineable?"], "10 sessions", "pn-threshold")


@pytest.mark.parametrize("turns,expected", [
    (["he's missed 31 sessions, how many days is that", "there have been 150 possible so far, what's his %"],
     "attendance 79.3%"),
    (["she's missed 31 sessions out of 150", "what about 200 possible?"], "attendance 84.5%"),
    (["yr8 on 96% attendance, how many days off over a year", "what about a yr10 on 88%?"], "22.8 days"),
])
def test_calculations_carry_their_figures_to_the_next_message(chat, turns, expected):
    """A count of sessions missed, then the possible sessions, is worked out; another possible figure or another
    pupil's percentage is read as the last figure was."""
    _ends_on(chat, "u219" + str(len(expected)), turns, expected, "calculation")


@pytest.mark.parametrize("asked,expected", [
    ("came in after the register closed 7 times, all coded U, out of 110 sessions. what does that do to her %?",
     "attendance 93.6%"),
    ("possible sessions this year 140, he has been present for 98, where does that put him?", "attendance 70%"),
    ("chair of governors wants to know what 80% attendance is in days over the whole year", "38 days missed"),
    ("she's missed 6 of 100 sessions", "persistent absence starts at 10 missed: 4 more"),
])
def test_percentages_asked_in_everyday_ways_are_worked_out(assistant, asked, expected):
    """"Her %", "where does that put him" and a year's possible sessions after "this year" are understood; a
    percentage with "over the whole year" gives days a year; below the threshold, how far it is."""
    reply = assistant.answer(asked)
    assert reply.kind == "calculation" and expected in reply.text, (reply.kind, reply.text[:300])


def test_codes_named_in_a_penalty_question_ask_no_code(assistant):
    """Codes named while asking whether a penalty threshold is met ("mostly G and O") ask the rule, not a code."""
    reply = assistant.answer("he's had 12 unauthorised sessions in 8 weeks, mostly G and O, has he hit the penalty "
                             "notice threshold?")
    assert reply.kind in ("answer", "calculation"), (reply.kind, reply.id)


def test_how_it_shows_in_our_register_asks_a_code(assistant):
    """"How does that show in our register?" asks how to record the situation told."""
    reply = assistant.answer("the local authority has set up section 19 tuition for our yr10 who is too anxious to "
                             "attend, we're still his school. how does that show in our register?")
    assert reply.codes[:1] == ("K",), (reply.kind, reply.codes)


def test_a_title_saying_everything_asked_is_not_overturned(assistant):
    """"What does KCSiE 2025 say about AP?" is the summary whose title says exactly that, not one detail of it that
    BM25 prefers."""
    reply = assistant.answer("what does kcsie 2025 say about AP? need the short version for SLT")
    assert reply.id == "ap-kcsie-2025", (reply.kind, reply.id)


def test_a_reason_never_found_after_n_is_o(chat):
    """After code N, "and if we never find out why?" is the reason never known: O."""
    _play(chat, "u220", [("how long can an N code stay on", "N"), ("what if we never find out why", "O")])


def test_how_many_days_after_r_is_its_limit(chat):
    """"How many days can they have for it?" after code R asks its limit, which R's own answer gives."""
    chat.handle("u221", text="what's code R")
    reply = chat.handle("u221", text="how many days can families have for it?")[0]
    assert reply.kind != "did-you-mean" and reply.codes[:1] == ("R",) and "Only" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("asked,entry", [
    ("who does the QA of alternative provision, us or the council?", "ap-responsibilities"),
    ("what are the goals of alternative provision? it's for our governors report", "ap-objectives"),
])
def test_qa_aims_and_what_the_answer_is_for(assistant, asked, entry):
    """"QA" is quality assurance and "aims" or "goals" are objectives; "for our governors report" says what the answer
    is for, not what it is about."""
    reply = assistant.answer(asked)
    assert reply.id == entry, (reply.kind, reply.id)


@pytest.mark.parametrize("asked,shown", [
    ("he's had 14 sessions of unauthorised absence and 6 authorised, 150 sessions possible, attendance %?", "86.7%"),
    ("attendance for a kid who was present at 132 registers out of 150", "attendance 88%"),
    ("what % is 18 days off over a full school year", "90.5%"),
    ("in 45 of the 90 sessions - severely absent?", "severe absence"),
    ("attended 3/4 of sessions", "Attendance 75%"),
    ("attended two thirds of sessions this term", "Attendance 66.7%"),
    ("76 sessions attended, 4 missed", "attendance 95%"),
    ("whats 1 day off a fortnight as a percentage", "Attendance 90%"),
    ("present: 280. possible: 312.", "attendance 89.7%"),
    ("he was absent for 27 of the 176 possible sessions", "attendance 84.7%"),
    ("pupil in for 120 sessions, missed 30", "attendance 80%"),
    ("what is 160 out of 180 as a percentage", "attendance 88.9%"),
    ("attendance 87% - how many sessions missed out of 300", "39 missed"),
])
def test_figures_told_the_ways_people_write_them_are_worked_out(assistant, asked, shown):
    """Absence told by kind ("14 unauthorised and 6 authorised"), registers as sessions, a full year, a share of the
    sessions ("in 45 of the 90", "3/4 of", "two thirds of"), attended and missed without the possible ones, a rate
    a fortnight, figures labelled with colons and "absent for" are all worked out."""
    reply = assistant.answer(asked)
    assert reply.kind == "calculation" and shown in reply.text, (reply.kind, reply.id, reply.text[:160])


def test_a_figure_halfway_is_rounded_up_and_said_exactly(assistant):
    """65 of 80 is 81.25%: shown as 81.3%, as the register reading and spreadsheets round, with the exact figure."""
    reply = assistant.answer("lad has 65 present marks and 15 absence marks, what's his %")
    assert "attendance 81.3% (81.25% exactly)" in reply.text, reply.text[:160]


@pytest.mark.parametrize("asked,shown", [
    ("how many sessions can he miss out of 120 before he's PA", "starts at 12 missed"),
    ("how many days can she have off out of the 95 so far before she counts as severely absent?", "starts at 48 missed"),
])
def test_how_many_can_be_missed_before_a_threshold(assistant, asked, shown):
    """"How many can he miss out of 120 before he's PA?": 10% of them (50% for severe absence), rounded up."""
    reply = assistant.answer(asked)
    assert reply.kind == "calculation" and shown in reply.text, (reply.kind, reply.id, reply.text[:160])


def test_a_penalty_threshold_question_with_a_count_is_the_penalty_guidance(assistant):
    """Sessions of unauthorised absence told with "does that hit the threshold for a penalty notice?" ask about the
    penalty notice threshold, not an attendance percentage."""
    reply = assistant.answer("he's got 12 sessions of unauthorised absence over the last 5 weeks, does that hit the "
                             "threshold for a penalty notice yet?")
    assert reply.kind == "answer" and reply.id.startswith("pn-"), (reply.kind, reply.id)


@pytest.mark.parametrize("asked,shown", [
    ("she's on 85% after 60 days, if she comes in every day for the next 40 days what will she be on",
     "attended 91 of 100 possible days, attendance 91%"),
    ("he's missed 20 of 120 sessions, if he attends all of the remaining 260 what will his attendance be for the year",
     "attended 360 of 380 possible sessions, attendance 94.7%"),
    ("currently 88% over 80 days, what would it be if she misses 2 more days", "attendance 85.9%"),
    ("how many days in a row does she need to attend to get back to 90% if she's missed 15 of 100 days",
     "attend 50 more days in a row"),
])
def test_attendance_looked_ahead(assistant, asked, shown):
    """What attendance becomes if the pupil attends (or misses) the sessions to come, and how many must be attended
    in a row to reach a figure."""
    reply = assistant.answer(asked)
    assert reply.kind == "calculation" and shown in reply.text, (reply.kind, reply.id, reply.text[:200])


def test_exactly_ninety_percent_reached_says_one_more_is_needed(assistant):
    """Getting back to exactly 90% is still persistent absence (missing 10% or more): the reply says how many take
    the pupil below it."""
    reply = assistant.answer("how many days in a row does she need to attend to get back to 90% if she's missed 15 of "
                             "100 days")
    assert "still counts as persistent absence" in reply.text and "attending 51 in a row" in reply.text, reply.text


def test_a_look_ahead_follows_the_last_calculation(chat):
    """After a calculation, "and if she's in every day for the next 30 days?" looks ahead from its figures."""
    chat.handle("u230", text="she's missed 14 of 90 days")
    reply = chat.handle("u230", text="and if she's in every day for the next 30 days?")[0]
    assert reply.kind == "calculation" and "attended 106 of 120 possible days" in reply.text, reply.text[:200]


def test_the_rest_of_the_sessions_so_far_is_no_look_ahead(assistant):
    """"84 of the remaining 90" is the sessions so far, not sessions to come; "next week" is the ten to come."""
    reply = assistant.answer("she attended 84 of the remaining 90 sessions, what will her attendance be if she is in "
                             "every day next week?")
    assert reply.kind == "calculation" and "Now: attended 84 of 90 possible sessions" in reply.text \
        and "attended 94 of 100 possible sessions, attendance 94%" in reply.text, reply.text


@pytest.mark.parametrize("asked,shown", [
    ("if he missed 3 days last week what's his attendance for the week", "Attended 2 of 5 possible days"),
    ("what is 17 sessions as a percentage of 380", "17 sessions is 4.5% of 380 sessions"),
    ("how many sessions in a half term of 7 weeks", "35 school days is 70 sessions"),
])
def test_a_week_a_share_of_a_number_and_a_half_term_in_sessions(assistant, asked, shown):
    """Absence told for one week is of its five school days; one number as a percentage of another; a half term of
    weeks in sessions."""
    reply = assistant.answer(asked)
    assert reply.kind == "calculation" and shown in reply.text, (reply.kind, reply.id, reply.text[:200])


def test_what_to_ask_about_one_item_of_the_list_just_given(chat):
    """After the social worker's checklist, "he's on a reduced timetable, what should I ask about that specifically?"
    is the reduced hours item: its start date, rationale, review dates and reintegration plan."""
    chat.handle("u231", text="what information should a social worker request from a school about attendance")
    reply = chat.handle("u231", text="school say he's on a reduced timetable, what should i ask about that "
                                     "specifically?")[0]
    assert "Number 4 of 7 on that list: Reduced hours provision (part-time timetable): start date, rationale" \
        in reply.text, reply.text[:200]


@pytest.mark.parametrize("asked", [
    "is the sen team told when we use AP?",
    "we want to send a year 9 with an EHC plan to an alternative provider two days a week, who needs to know?",
])
def test_ap_for_a_pupil_with_an_ehc_plan_names_the_sen_team(assistant, asked):
    """Alternative provision for a pupil with an EHC plan: the local authority SEN team, which holds the plan, is told
    of the placement and why (hub core principles)."""
    reply = assistant.answer(asked)
    assert reply.kind == "answer" and "SEN) team" in reply.text and "rationale" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("asked", ["at what overall % should i actually start worrying",
                                   "at what percentage does attendance get concerning"])
def test_the_figure_at_which_to_worry_is_the_persistent_absence_threshold(assistant, asked):
    """"At what % should I start worrying?" asks the attendance figure that is a concern: persistent absence."""
    reply = assistant.answer(asked)
    assert reply.id == "abs-persistent", (reply.kind, reply.id)


def test_a_longer_how_often_asked_of_the_last_answer(chat):
    """After the key actions for social workers, "how often am I supposed to be sharing info with schools?" asks how
    often of something that answer names (sharing information regularly), not a new subject."""
    chat.handle("u232", text="is there dfe guidance on what social workers should do about attendance? key points")
    reply = chat.handle("u232", text="how often am i supposed to be sharing info with schools")[0]
    assert reply.id == "sw-key-actions" and "regularly" in reply.text, (reply.kind, reply.id)


def test_an_answer_to_why_is_not_given_to_what_to_ask(assistant):
    """"What exactly should I ask about lateness?" wants what to ask (the number of late arrivals and their pattern),
    not why lateness matters; asked why, it is why."""
    what = assistant.answer("social worker here: school say he's late 'sometimes'. what exactly should I ask about "
                            "lateness")
    why = assistant.answer("why does lateness matter for a social worker?")
    assert what.id != "sw-why-each-item" and "number of late arrivals" in what.text, (what.kind, what.id)
    assert why.id == "sw-why-each-item", (why.kind, why.id)


@pytest.mark.parametrize("asked", ["is turnaround run by the ministry of justice or the council?",
                                   "until when is turnaround funded"])
def test_who_leads_turnaround_and_until_when(assistant, asked):
    """Who leads Turnaround (the Ministry of Justice) and until when it runs (March 2029) are the Turnaround answer."""
    reply = assistant.answer(asked)
    assert reply.id == "yjs-turnaround" and "March 2029" in reply.text, (reply.kind, reply.id)


@pytest.mark.parametrize("told, code", [
    ("the block of flats was evacuated after a fire and the family weren't allowed back in until the afternoon", "Y7"),
    ("kept Y5 at home because of 'staff training' - that INSET was at her sister's school though, ours was open", "O"),
])
def test_a_situation_told_in_words_that_also_name_topics_is_still_coded(assistant, told, code):
    """Narration is not a rules question or a topic: "weren't allowed back in" tells what happened, and a day of staff
    training told as the reason for keeping a child off is a closure, not a question about training."""
    reply = assistant.answer(told)
    assert reply.codes[:1] == (code,), (reply.kind, reply.id, reply.codes)


def test_asked_for_guidance_that_a_walk_through_also_covers_the_guidance_answers(assistant):
    """"How do I tell if an AP is registered?" is answered with what makes a provider registered, the "can we use this
    AP?" walk-through offered with it, rather than a list of four to choose from."""
    reply = assistant.answer("how can i check whether an AP is registered?")
    assert reply.id == "ap-registered-unregistered" and "DfE number" in reply.text, (reply.kind, reply.id)
    assert any(b.action == "tree:tree-ap" for b in reply.buttons), reply.buttons


@pytest.mark.parametrize("told", [
    "we've agreed flexi-schooling for a Y5: home with dad on Mondays, in school the rest of the week. register code for "
    "the Mondays?",
    "Y2 is flexi-schooled two afternoons a week under an arrangement the head agreed; mum asks if the home afternoons "
    "can be B",
])
def test_flexi_schooling_sessions_are_c_and_never_b(assistant, told):
    """DfE guidance records the home-educated sessions of a flexi-schooling arrangement as C; education at home is
    never B (dfe-attendance-facts.md §2.3, B)."""
    reply = assistant.answer(told)
    assert reply.codes[:1] == ("C",) and "flexi-schooling" in reply.text, (reply.kind, reply.id, reply.codes)


def test_a_reviewed_part_time_timetable_keeps_c2_for_the_sessions_still_missed(chat):
    """After a review extends a part-time timetable to the whole morning, the afternoons he still does not come to
    are C2 (being in for the morning says nothing of them); the same case for a four-year-old is X."""
    first = chat.handle("u240", text="Y5 on a reduced timetable agreed with dad, comes in at 10.30 for an hour, no "
                                     "afternoons. morning code when he's not at reg?")[0]
    reviewed = chat.handle("u240", text="after the review he now stays the whole morning from registration. what do "
                                        "we put for the afternoons he still isn't in for?")[0]
    younger = chat.handle("u240", text="say she was 4 and only did mornings, same code?")[0]
    assert first.codes[:1] == ("C2",), (first.kind, first.codes)
    assert reviewed.codes[:1] == ("C2",), (reviewed.kind, reviewed.id, reviewed.codes)
    assert younger.codes[:1] == ("X",), (younger.kind, younger.id, younger.codes)


def test_why_asked_after_the_checklist_is_answered_by_why(chat):
    """"Why lateness?" after the social worker's checklist asks why that item matters, not for the item itself."""
    chat.handle("u241", text="social worker: what should I be asking a school for about a child's attendance?")
    reply = chat.handle("u241", text="why lateness?")[0]
    assert reply.id == "sw-why-each-item", (reply.kind, reply.id)


def test_a_question_put_first_is_not_overturned_by_the_story_after_it(assistant):
    """"When does a fine have to be considered?" asks the threshold; the story told after it (a parent taking the
    children out now and then) does not turn it into the amounts."""
    reply = assistant.answer("when must a penalty notice be considered? mum in Gosport keeps taking the twins out for "
                             "the odd day, never a whole week at a time")
    assert reply.id == "pn-threshold" and "10 sessions" in reply.text, (reply.kind, reply.id)


def test_does_that_make_him_a_young_carer_is_the_definition(assistant):
    """"Does that make him a young carer?" after a story of caring asks whether he counts: the definition, not the
    local service the place would pick out."""
    reply = assistant.answer("Y6 girl in Fareham gets her little brother up, dressed and to school every day because "
                             "mum works nights. does that make her a young carer?")
    assert reply.id == "yc-definition", (reply.kind, reply.id)


def test_ok_to_do_that_asks_the_rules_not_a_code(chat):
    """"Ok to do that unregistered?" asks whether it is allowed (the rules for unregistered providers), not which code
    a pupil there gets, even straight after coding a pupil at another provision."""
    chat.handle("u242", text="Y9 dual registered at the education centre: what do we put for his days there?")
    reply = chat.handle("u242", text="a tuition firm we use wants 6 of our pupils full time. ok to do that "
                                     "unregistered?")[0]
    assert not reply.codes and reply.kind != "code", (reply.kind, reply.id, reply.codes)


def test_lower_case_yr_is_a_year_and_only_yr_in_capitals_is_reception(assistant):
    """"Last yr" is a year gone by, never Year R; "YR" written in capitals still reaches Reception."""
    tokens, expanded = assistant.index.query_tokens("she was on the school council last yr")
    assert "reception" not in tokens + expanded
    assert "reception" in sum(assistant.index.query_tokens("how many YR pupils"), [])


@pytest.mark.parametrize("turns", [
    ["what is persistent absence", "and what about attendance below half?"],
    ["what do you call a pupil whose attendance is less than half"],
])
def test_attendance_under_half_is_severe_absence(chat, turns):
    """Attendance of under half told in words is the severe absence threshold (50%)."""
    _ends_on(chat, f"u243-{len(turns)}", turns, "severe", None)
    assert "50%" in chat.handle(f"u243-{len(turns)}", text=turns[-1])[0].text


def test_less_than_half_a_session_is_not_severe_absence(assistant):
    """Part of a day or lesson ("in for less than half the session") implies nothing about severe absence."""
    assert "sever" not in assistant.index.query_tokens("he was in for less than half the session")[0]


def test_asking_first_or_telling_afterwards_is_a_request_in_advance(chat):
    """Whether leave must be asked for before or can be told after: leave is requested in advance."""
    _ends_on(chat, "u244", ["can parents take their son out of school for a funeral abroad next week?",
                            "do they have to ask before, or can they let us know after?"],
             "advance", None)


def test_filling_in_the_whole_tool_is_whether_it_must_be_completed(chat):
    """"Do we need to fill out the whole lot?" after the Day in My Life tools: they need not be completed in their
    entirety."""
    _ends_on(chat, "u245", ["tell me about the day in my life tools", "do we need to fill out the whole lot?"],
             "entirety", None)


def test_a_special_or_cheaper_holiday_is_still_not_exceptional(chat):
    """A holiday said to be once in a lifetime or cheaper in term time is still leisure, which DfE does not
    generally consider exceptional."""
    _ends_on(chat, "u246", ["can a head agree to a term time holiday?",
                            "the family say it's the trip of a lifetime though"], "leisure", None)


def test_a_parent_already_fined_gets_the_second_notice_amount(chat):
    """After the amounts, "dad already had one for her last year" is the second notice: a flat £160."""
    _ends_on(chat, "u247", ["how much is a penalty notice for absence?",
                            "dad already had one for her last year, what now?"], "flat £160", None)


def test_a_home_visit_with_no_answer_is_a_reason_not_yet_known(assistant):
    """A first home visit that finds no one in is the everyday follow-up of an absence (N), not a child at risk; the
    same visit with danger heard inside is escalated first."""
    plain = assistant.answer("home visit this morning - no answer at the door and nothing from mum")
    assert plain.kind != "safeguarding" and plain.codes[:1] == ("N",), (plain.kind, plain.codes)
    danger = assistant.answer("home visit this morning: no answer at the door, but we could hear a toddler screaming "
                              "inside")
    assert danger.kind == "safeguarding", danger.kind


def test_an_acronym_expansion_counts_only_where_all_its_words_are(assistant):
    """"EHCP" reaches the entry that spells out an education, health and care plan, not one that only has "health",
    "care" and "plan" scattered through it."""
    reply = assistant.answer("our AP pupil has an EHCP, does anyone need to be told?")
    assert reply.id == "ap-ehc-plan" and "SEN" in reply.text, (reply.kind, reply.id)


def test_kcsie_2025_says_schools_must_work_with_childrens_services(assistant):
    """KCSiE 2025 changed "should work with" to "must work with" children's services on attendance."""
    reply = assistant.answer("since KCSiE 2025 do schools have to work with children's services on attendance?")
    assert "must work with" in reply.text, (reply.kind, reply.id)


def test_a_code_answered_from_guidance_keeps_the_reason_the_message_told(assistant):
    """A wedding the head authorised, answered from guidance with code C, keeps the wedding (exceptional leave) as the
    case, not another situation C is also given for (after the last exam), so a follow-up is asked of the right
    case."""
    found = [i for i in assistant.interpretations("head authorised leave for a family wedding abroad")
             if i.skill == "retrieval" and i.key == "code:C"]
    assert found and found[0].memory["facts"]["reason"] == "exceptional-leave", [i.memory for i in found]


def test_a_relative_pressing_for_a_provision_asks_whether_the_school_must_use_it(assistant):
    """A family member asking again and again for a particular AP asks whether the school has to use it: the school,
    as commissioner, decides."""
    reply = assistant.answer("auntie who is her kinship carer keeps asking for the equine therapy AP for her. must we "
                             "go along with it?")
    assert reply.id == "ap-parent-request" and "commissioner" in reply.text, (reply.kind, reply.id)


def test_a_referral_asked_after_a_young_carer_is_the_young_carers_referral(chat):
    """"Who do we send the referral to?" after a young carer names no other subject: it is the young carers project
    for the place given, not the youth justice referral its words also match."""
    _ends_on(chat, "u249", ["Y8 girl does all the cooking and gets her brother to school because dad is disabled. is "
                            "she a young carer?", "who do we send the referral to? they live near Andover"],
             "Andover Young Carers", None)
