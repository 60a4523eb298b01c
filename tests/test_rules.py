"""Code recognition, late-mark decisions, the attendance calculator and immediate-risk detection."""
import pytest

from guidance import calculator
from guidance.codes import decide_late, mentioned_codes
from guidance.safeguarding import at_immediate_risk
from guidance.validate import NATIONAL_CODES

KNOWN = set(NATIONAL_CODES)


@pytest.mark.parametrize("text,codes", [
    ("what does code C2 mean", ["C2"]),
    ("code K", ["K"]),
    ("is U authorised or unauthorised", ["U"]),
    ("explain Y7", ["Y7"]),
    ("j1?", ["J1"]),
    ("#", ["#"]),
    ("when should we use B", ["B"]),
    ("difference between B and K", ["B", "K"]),
    ("Q or Y1 when the taxi doesn't come?", ["Q", "Y1"]),
    ("what is a late code", []),
    ("is a pupil allowed to leave early", []),
    ("I think she was ill", []),
    ("which code for a holiday", []),
])
def test_mentioned_codes(text, codes):
    assert mentioned_codes(text, KNOWN) == codes


@pytest.mark.parametrize("text,code", [
    ("arrived 9.20, register closed at 9.00", "U"),
    ("came in at 8.55 and the register closes at 9.00", "L"),
    ("Registration is 8.45 to 9.00 and the register closes at 9.00. She arrives at 9.05.", "U"),
    ("registration 8.40 - 9.10, arrived 9:05", "L"),
    ("arrived at 1.35pm, afternoon register closed 1.30pm", "U"),
])
def test_decide_late(text, code):
    decision = decide_late(text)
    assert decision is not None and decision.code == code


def test_decide_late_needs_both_times():
    assert decide_late("pupil arrived late at 9.20") is None
    assert decide_late("what is the late code") is None


def test_calculator_sessions_and_thresholds():
    r = calculator.parse("attended 150 out of 180 sessions")
    assert (calculator.shown(r.attendance), calculator.shown(r.absence)) == ("83.3%", "16.7%")
    assert r.persistent and not r.severe
    severe = calculator.parse("she has attended 85 of 200 possible sessions")
    assert severe.severe and severe.attendance == 42.5
    missed = calculator.parse("missed 20 of 200 sessions")
    assert missed.attendance == 90.0 and missed.persistent  # exactly 10% absence is persistent (DfE)
    fine = calculator.parse("attended 190 out of 200 sessions")
    assert not fine.persistent


def test_calculator_days_equivalent_matches_the_hub_figure():
    r = calculator.parse("what does 90% attendance mean in days missed")
    assert round(r.days_missed_a_year) == 19
    text = calculator.describe(r)
    assert "19 days" in text and "HSCP" in text


def test_calculator_rejects_impossible_numbers():
    with pytest.raises(calculator.CalculationError):
        calculator.parse("attended 200 out of 180 sessions")
    with pytest.raises(calculator.CalculationError):
        calculator.parse("attended 0 of 0 sessions")
    assert calculator.parse("paragraphs 174 to 179 of KCSiE") is None


@pytest.mark.parametrize("text", [
    "a pupil has told me that her mum's boyfriend hurts her",
    "I am worried a child is being groomed online right now",
    "my student said his dad hit him last night",
    "year 9 boy is carrying a knife",
    "she is self-harming and says she wants to end her life",
    "child ran away from home last night and is still missing",
    "he is scared to go home",
    "boy has bruises and says his dad did it",
    "pupil told me she has been sent abroad to be married",
    "young person involved in county lines",
    "pupil has run away from home",
    "a child has not been seen for weeks and the family won't answer the door",
    "child says she doesn't want to go home tonight",
])
def test_immediate_risk_is_detected(text):
    assert at_immediate_risk(text)


@pytest.mark.parametrize("text", [
    "what are the safeguarding checks before commissioning an alternative provision",
    "what does the Willow Team do about child exploitation",
    "what are the signs that a child is being groomed",
    "attendance is a safeguarding issue: what do social workers do",
    "child off sick with a temperature",
    "who is the lead safeguarding adviser",
    "KCSiE paragraph about alternative provision",
    "what is county lines",
    "pupil has not been seen in lessons this week",
    "arrived late with a cut on his knee from football",
])
def test_ordinary_questions_do_not_escalate(text):
    assert not at_immediate_risk(text)


def test_code_changes_and_sessions_missed():
    assert mentioned_codes("how long before N becomes O", KNOWN) == ["N", "O"]
    assert mentioned_codes("I then went home", KNOWN) == []
    missed = calculator.parse("she missed 40 sessions out of 380")
    assert calculator.shown(missed.attendance) == "89.5%" and missed.persistent
    assert calculator.parse("attendance of 85% is that persistent").absence == 15.0


STATISTICS = {"L": "present", "/": "present", "U": "unauthorised absence", "I": "authorised absence",
              "B": "approved educational activity", "X": "not a possible session"}


@pytest.mark.parametrize("text,attendance", [
    ("200 possible sessions. 170 present on time, 12 L, 8 U and 10 I. attendance?", 91.0),    # L is present
    ("out of 300 possible sessions she was in school for 240, at the AP (code B) for 30, off ill for 30", 90.0),
    ("out of 180 sessions she had 20 I and 6 U, what's her attendance?", 85.6),                # no count attended
])
def test_sessions_given_by_code_count_as_the_register_counts_them(text, attendance):
    result = calculator.parse(text, STATISTICS)
    assert calculator.shown(result.attendance) == f"{attendance:g}%" and result.by_code
    assert "count as attending" in calculator.describe(result)


def test_figures_given_by_code_are_counted_rather_than_the_code_explained(chat):
    reply = chat.handle("c1", text="out of 300 possible sessions she was in school for 240, at our farm AP (code B) "
                                   "for 30 and off ill for 30. attendance?")[0]
    assert reply.kind == "calculation" and "attendance 90%" in reply.text
    standing = chat.handle("c1", text="so she's fine, she's not under 90 is she?")[0]
    assert "persistent absence" in standing.text and "exactly 90%" in standing.text


def test_a_code_counted_in_the_figures_is_explained_when_questioned(chat):
    chat.handle("c2", text="200 possible sessions. 170 present on time, 12 L, 8 U and 10 I. what's his attendance?")
    reply = chat.handle("c2", text="hang on, shouldnt the U's count as present, he was in the building")[0]
    assert reply.codes[:1] == ("U",) and "unauthorised" in reply.text.lower()


@pytest.mark.parametrize("text,attendance", [
    ("fourteen days off out of seventy so far, what's his attendance?", "80"),
    ("she's missed a fortnight this year and we're 50 days in", "80"),
    ("off 2 weeks out of a 10 week term, attendance?", "80"),
    ("absent every Friday since we came back, what does that make her attendance", "80"),
    ("half days missed: 26, possible: 200, attendance rate?", "87"),
    ("what's 171/190 as attendance?", "90"),
    ("off 6 whole days and 4 mornings, 80 school days so far - attendance?", "90"),
    ("she's been here 45 and a half of the 50 possible days", "91"),
    ("2 weeks off with a broken arm plus 3 odd days, 130 possible days, attendance?", "90"),
])
def test_figures_written_in_words_weeks_and_weekdays_are_calculated(text, attendance):
    """Practitioners write figures as words, fortnights, weeks and "every Friday": each is counted."""
    result = calculator.parse(text)
    assert result is not None and calculator.shown(result.attendance).split()[0] == f"{attendance}%", (text, result)


@pytest.mark.parametrize("text,attendance", [
    ("off every Tuesday morning and one afternoon a fortnight as well, attendance?", "85"),
    ("autumn 1 had 35 days and he missed 4; autumn 2, 36 days, missed 3. term attendance?", "90.1"),
    ("100 possible sessions, 4 coded U after the register closed 4 times, and 6 more absent sessions", "90"),
    ("we've had 70 days, closed for 5 snow days in Jan, she's been off 13 days - attendance?", "80"),
    ("7 of 10 sessions this week but 150 out of 160 for the year, what's the year figure", "93.8"),
])
def test_rates_periods_closures_and_two_shares_are_read(text, attendance):
    """Rates add up across the week, periods add up, closure days are not possible, and of two shares the one asked
    about is kept."""
    result = calculator.parse(text)
    assert result is not None and calculator.shown(result.attendance).split()[0] == f"{attendance}%", (text, result)


@pytest.mark.parametrize("text,sessions", [
    ("quick one, 13 days of absence - how many sessions is that?", "26 sessions"),
    ("for the report: 8 days off = how many sessions", "16 sessions"),
])
def test_days_told_first_then_asked_as_sessions_are_converted(text, sessions):
    assert sessions in (calculator.convert(text) or ""), calculator.convert(text)


@pytest.mark.parametrize("text,expected", [
    ("how many unauthorised sessions is 4 days of G and 3 sessions of U? are we at a penalty notice?",
     ["G 8 sessions (4 days)", "11 sessions of unauthorised absence", "reaches the national threshold"]),
    ("she's had 6 U's and 2 days holiday (G) in the last 12 weeks, can we fine?",
     ["10 sessions of unauthorised absence", "depends on how many fall within a rolling 10 school weeks"]),
    ("6 sessions of N, 2 of O and 4 I - how many count towards a fine?",
     ["8 sessions count towards a penalty notice: below", "4 sessions of authorised absence"]),
])
def test_sessions_by_code_without_possible_ones_are_totalled_against_the_penalty_threshold(assistant, text, expected):
    """Sessions given by code with no possible sessions are counted (days as two sessions each), totalled by how the
    register counts them, and set against the 10 sessions in 10 school weeks that the penalty codes count towards."""
    reply = assistant.answer(text)
    assert reply.kind == "calculation", (reply.kind, reply.id)
    for part in expected:
        assert part in reply.text, (part, reply.text)


@pytest.mark.parametrize("text,expected", [
    ("how many sessions is 10% of the school year", "19 school days (38 sessions)"),
    ("what's 15 days as a percentage of the school year", "7.9% of a school year"),
    ("how many sessions are there in a school year", "380 sessions"),
    ("she's missed a day a week all term, what's that as a %", "Attendance 80%"),
    ("attendance 93.5%, how many days has he missed out of 120", "7.8 days missed"),
    ("she's been off 23 sessions this term, term has been 12 weeks, what's her %", "Attended 97 of 120"),
    ("he attended 3 days a week all term, what's his attendance", "Attendance 60%"),
    ("she's missed 40 sessions, is that 20 days?", "40 sessions is 20 school days"),
    ("4 days off out of 120 sessions", "Attended 112 of 120"),
])
def test_shares_of_a_school_year_and_rates_are_worked_out(assistant, text, expected):
    """A share of the school year, a number of days as a share of it, a rate of a day a week, and a percentage of
    the days so far are calculated on the hub figure's 190-day year; sessions and days told together are counted in
    one unit, and days attended a week are a share of the week."""
    reply = assistant.answer(text)
    assert reply.kind == "calculation" and expected in reply.text, (reply.kind, reply.text)
