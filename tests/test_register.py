"""Reading a pupil's register: every input form, every code's statistical class (written by hand from
dfe-attendance-facts.md §1, not read from the knowledge), the thresholds, the penalty-notice window, malformed input,
the chart, and that nothing of a register is kept."""
from __future__ import annotations

import struct
from datetime import date, timedelta

import pytest

from guidance.register import RegisterError, looks_like_register, read_csv, read_text
from guidance.register_figures import analyse, percent
from guidance.store import Store

# The statistical treatment of every national code, copied by hand from the facts file's "Stat" column.
CLASSES = {
    "present": ["/", "\\", "L"],
    "approved educational activity": ["K", "V", "P", "W", "B"],
    "authorised absence": ["C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E"],
    "unauthorised absence": ["G", "N", "O", "U"],
    "not a possible session": ["D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"],
    "not collected": ["Z", "#"],
}


@pytest.fixture(scope="module")
def codes(knowledge):
    return set(knowledge.codes)


def figures(text, knowledge):
    return analyse(read_text(text, set(knowledge.codes)), knowledge.codes, knowledge.register)


def csv_bytes(rows):
    return ("date,session,mark\n" + "\n".join(f"{d:%d/%m/%Y},{s},{m}" for d, s, m in rows)).encode()


def school_weeks(first_monday, weeks, mark_at=None, gap_after=None, gap_weeks=0):
    """Rows of a dated register: every weekday of each week present, except the (week, day, half) in mark_at."""
    mark_at = mark_at or {}
    rows, monday = [], first_monday
    for week in range(weeks):
        for day in range(5):
            for half, present in (("AM", "/"), ("PM", "\\")):
                rows.append((monday + timedelta(days=day), half, mark_at.get((week, day, half), present)))
        monday += timedelta(weeks=1 + (gap_weeks if gap_after is not None and week == gap_after else 0))
    return rows


# --- every code's statistical class -----------------------------------------------------------------------------
@pytest.mark.parametrize("statistics,code", [(s, c) for s, cs in CLASSES.items() for c in cs])
def test_each_code_counts_as_its_statistical_class(knowledge, statistics, code):
    f = figures(f"/\\ /\\ {code}{code}", knowledge)      # two days present, then one day of the code
    counted = statistics not in ("not a possible session", "not collected")
    assert f.possible == (6 if counted else 4)
    assert f.attended == (6 if statistics in ("present", "approved educational activity") else 4)
    assert f.activity == (2 if statistics == "approved educational activity" else 0)
    assert f.authorised == (2 if statistics == "authorised absence" else 0)
    assert f.unauthorised == (2 if statistics == "unauthorised absence" else 0)
    assert dict(f.not_counted) == ({} if counted else {code: 2})


def test_every_national_code_is_in_the_hand_written_table(knowledge):
    assert sorted(c for cs in CLASSES.values() for c in cs) == sorted(knowledge.codes)


def test_a_planned_closure_day_is_not_a_school_day_but_not_on_roll_is(knowledge):
    assert figures("/\\ ## /\\", knowledge).school_days == 2
    assert figures("/\\ ZZ /\\", knowledge).school_days == 3


# --- input forms ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "/\\ /\\ L\\ UN NN O/ II MM",            # spaced by day
    "/\\/\\L\\UNNNO/IIMM",                   # no spaces
    "/ \\ / \\ L \\ U N N N O / I I M M",    # a space between every mark
    "/\\ /\\ l\\ un nn o/ ii mm",            # typed in lower case
    "Y8 girl, marks since Monday: /\\ /\\ L\\ UN NN O/ II MM - is that persistent?",   # with words around
])
def test_a_run_of_marks_in_any_spacing_reads_the_same(knowledge, codes, text):
    assert looks_like_register(text, codes)
    register = read_text(text, codes)
    assert "".join(m.mark for m in register.marks) == "/\\/\\L\\UNNNO/IIMM"
    assert register.form == "run" and not register.dated
    f = analyse(register, knowledge.codes, knowledge.register)
    # 16 sessions: present / \ / \ L \ / = 7; authorised I I M M = 4; unauthorised U N N N O = 5
    assert (f.possible, f.attended, f.authorised, f.unauthorised) == (16, 7, 4, 5)
    assert percent(f.attended, f.possible) == "43.8%"
    assert f.persistent and f.severe                   # 56.3% absence is severe too
    first, last, length = f.longest_run
    assert (length, first.position, last.position) == (5, 7, 11)


def test_a_week_grid_with_dates_places_every_session_on_its_day(knowledge, codes):
    text = ("Mon Tue Wed Thu Fri\n"
            "w/c 02/09/2024  /\\ /\\ /\\ /\\ /\\\n"
            "w/c 09/09/2024  /\\ NN /\\ /\\ II\n"
            "16/09/2024 /\\ /\\ /\\ OO /\\\n")
    register = read_text(text, codes)
    assert register.form == "grid" and register.dated and register.weeks_known
    assert len(register.marks) == 30
    n = [m for m in register.marks if m.mark == "N"]
    assert [m.when for m in n] == [date(2024, 9, 10)] * 2 and [m.half for m in n] == [0, 1]
    assert register.marks[-1].when == date(2024, 9, 20)
    f = analyse(register, knowledge.codes, knowledge.register)
    assert (f.possible, f.attended, f.authorised, f.unauthorised, f.school_days) == (30, 24, 2, 4, 15)
    assert [w.label for w in f.weeks] == ["w/c 02/09/2024", "w/c 09/09/2024", "w/c 16/09/2024"]


def test_a_week_grid_without_dates_takes_each_row_as_a_school_week(knowledge, codes):
    text = "Week 1: /\\ /\\ /\\ /\\ /\\\nWeek 2: /\\ GG GG /\\ /\\\nWeek 3: /\\ /\\"
    register = read_text(text, codes)
    assert register.form == "grid" and not register.dated and register.weeks_known
    assert register.marks[12].where() == "week 2, Tuesday AM"
    f = analyse(register, knowledge.codes, knowledge.register)
    assert [(w.label, w.attended, w.possible) for w in f.weeks] == [("week 1", 10, 10), ("week 2", 6, 10),
                                                                    ("week 3", 4, 4)]


@pytest.mark.parametrize("text", [
    "Week beginning 02/09/2024: /\\ /\\ /\\ /\\ /\\\nWeek beginning 09/09/2024: /\\ NN /\\ /\\ /\\",
    "02/09/24 /\\/\\/\\/\\/\\\n09/09/24 /\\NN/\\/\\/\\",
    "Mon 2 Sep 2024 /\\ /\\ /\\ /\\ /\\\nMonday 9 Sept 2024 /\\ NN /\\ /\\ /\\",
    "2024-09-02\t/\t\\\t/\t\\\t/\t\\\t/\t\\\t/\t\\\n2024-09-09\t/\t\\\tN\tN\t/\t\\\t/\t\\\t/\t\\",
])
def test_week_rows_read_with_any_usual_date_and_spacing(codes, text):
    register = read_text(text, codes)
    assert register.form == "grid" and register.dated and len(register.marks) == 20
    assert [m.when for m in register.marks if m.mark == "N"] == [date(2024, 9, 10)] * 2


def test_several_weeks_on_one_line_are_read_as_rows(codes):
    register = read_text("w/c 02/09/2024 /\\ /\\ /\\ /\\ /\\ w/c 09/09/2024 /\\ NN /\\ /\\ /\\", codes)
    assert register.form == "grid" and register.marks[-1].when == date(2024, 9, 13)
    labelled = read_text("Week 1: /\\ /\\ /\\ /\\ /\\; Week 2: /\\ GG /\\ /\\ /\\", codes)
    assert labelled.form == "grid" and labelled.marks[12].where() == "week 2, Tuesday AM"


def test_a_dated_row_may_start_mid_week(codes):
    register = read_text("04/09/2024 /\\ /\\ /\\\n09/09/2024 /\\ NN /\\ /\\ II", codes)
    assert register.marks[0].when == date(2024, 9, 4) and register.marks[5].when == date(2024, 9, 6)


def test_a_morning_row_and_an_afternoon_row_make_one_week(codes):
    register = read_text("w/c 02/09/2024 AM / / / / O\nPM \\ \\ N \\ \\\n"
                         "w/c 09/09/2024 AM / / / / /\nPM \\ \\ \\ \\ \\", codes)
    assert "".join(m.mark for m in register.marks[:10]) == "/\\/\\/N/\\O\\"
    assert register.marks[5].where() == "Wednesday 04/09/2024 PM" and register.weeks_known
    with pytest.raises(RegisterError, match="5 morning marks but 3 afternoon marks"):
        read_text("am: / / / / /\npm: \\ \\ \\", codes)
    with pytest.raises(RegisterError, match="must be followed by its afternoon"):
        read_text("PM \\ \\ \\ \\ \\\nAM / / / / /", codes)


def test_a_csv_export_with_or_without_a_header(knowledge, codes):
    rows = [(date(2025, 1, 6), "AM", "/"), (date(2025, 1, 6), "PM", "\\"), (date(2025, 1, 7), "AM", "N"),
            (date(2025, 1, 7), "PM", "N")]
    with_header = read_csv(csv_bytes(rows), codes)
    without = read_csv(b"07/01/2025,am,N\n06/01/2025,AM,/\n06/01/2025,PM,\\\n2025-01-07,pm,N\n", codes)
    semicolons = read_csv(b"Date;Session;Mark\r\n06/01/2025;AM;/\r\n06/01/2025;PM;\\\r\n07/01/2025;AM;N\r\n"
                          b"07/01/2025;PM;N\r\n", codes)
    extra = read_csv(b"Pupil ref,Date,Session,Mark,Description\nA1,06/01/2025,AM,/,Present\n"
                     b"A1,06/01/2025,PM,\\,Present\nA1,07/01/2025,AM,N,Not known\nA1,07/01/2025,PM,N,Not known\n",
                     codes)
    for register in (with_header, without, semicolons, extra):
        assert [(m.when, m.half, m.mark) for m in register.marks] == [
            (date(2025, 1, 6), 0, "/"), (date(2025, 1, 6), 1, "\\"), (date(2025, 1, 7), 0, "N"),
            (date(2025, 1, 7), 1, "N")]
        assert register.form == "csv" and register.dated


# --- thresholds -------------------------------------------------------------------------------------------------
def test_exactly_ninety_percent_is_persistent_absence_and_says_where_the_local_wording_differs(assistant):
    text = "/" * 171 + "I" * 19            # 171 of 190 possible sessions
    reply = assistant.answer(text)
    assert reply.kind == "register"
    assert "171 of 190 possible sessions = 90%" in reply.text
    assert "Persistent absence (10% or more of possible sessions missed): yes" in reply.text
    assert "less than 90%" in reply.text        # the HSCP briefing's wording, set beside the DfE measure


def test_just_over_ninety_percent_is_not_persistent(knowledge):
    f = figures("/" * 172 + "I" * 18, knowledge)
    assert not f.persistent and percent(f.attended, f.possible) == "90.5%"


def test_exactly_half_is_severe_absence(knowledge):
    f = figures("/\\ /\\ II OO", knowledge)
    assert f.severe and f.persistent and percent(f.attended, f.possible) == "50%"
    g = figures("/\\ /\\ /\\ II OO", knowledge)
    assert not g.severe and percent(g.attended, g.possible) == "60%"


def test_percentages_are_stated_to_one_decimal_place(knowledge):
    assert percent(17, 20) == "85%"
    assert percent(2, 3) == "66.7%"
    assert percent(1, 8) == "12.5%"
    f = figures("/\\ /\\ /\\ /\\ /\\ /\\ /\\ /\\ /I II", knowledge)
    assert percent(f.attended, f.possible) == "85%"


def test_no_possible_sessions_gives_no_percentage(assistant):
    reply = assistant.answer("XX XX XX XX")
    assert reply.kind == "register" and "no attendance percentage" in reply.text


# --- N marks left too long --------------------------------------------------------------------------------------
def test_an_n_is_flagged_only_past_five_school_days(knowledge):
    on_time = figures("NN " + "/\\ " * 5, knowledge)        # five school days after the N: still in time
    late = figures("NN " + "/\\ " * 6, knowledge)           # six: past the deadline
    assert on_time.overdue == ()
    assert [m.position for m in late.overdue] == [1, 2]


def test_closure_days_do_not_count_towards_the_n_deadline(knowledge):
    assert figures("NN " + "/\\ " * 5 + "##", knowledge).overdue == ()


# --- the penalty-notice window ----------------------------------------------------------------------------------
def test_ten_unauthorised_sessions_in_ten_school_weeks_reach_the_threshold(knowledge, codes):
    marks = {(week, 2, "AM"): "O" for week in range(10)}            # one a week for ten weeks
    f = analyse(read_csv(csv_bytes(school_weeks(date(2025, 1, 6), 12, marks)), codes), knowledge.codes,
                knowledge.register)
    assert f.penalty.status == "met" and f.penalty.most == 10
    assert f.penalty.window == "w/c 06/01/2025 to w/c 10/03/2025"


def test_nine_in_any_ten_school_weeks_do_not(knowledge, codes):
    marks = {(week, 2, "AM"): "G" for week in range(9)}
    marks[(10, 0, "PM")] = "U"                                      # the tenth falls in the eleventh week
    f = analyse(read_csv(csv_bytes(school_weeks(date(2025, 1, 6), 12, marks)), codes), knowledge.codes,
                knowledge.register)
    assert f.penalty.status == "not met" and f.penalty.most == 9 and f.penalty.counted == 10


def test_the_window_counts_school_weeks_so_it_spans_a_term_break(knowledge, codes):
    # five school weeks before a six-week holiday, five after: 5 + 5 unauthorised sessions are in 10 school weeks
    marks = {(week, 0, "AM"): "O" for week in range(10)}
    rows = school_weeks(date(2025, 6, 23), 10, marks, gap_after=4, gap_weeks=6)
    f = analyse(read_csv(csv_bytes(rows), codes), knowledge.codes, knowledge.register)
    assert f.penalty.status == "met"
    assert f.penalty.window == "w/c 23/06/2025 to w/c 06/10/2025"
    # one more school week in between pushes the first of them out of the window
    rows = school_weeks(date(2025, 6, 23), 11, {**{(w, 0, "AM"): "O" for w in range(5)},
                                                **{(w, 0, "AM"): "O" for w in range(6, 11)}},
                        gap_after=4, gap_weeks=6)
    g = analyse(read_csv(csv_bytes(rows), codes), knowledge.codes, knowledge.register)
    assert g.penalty.status == "not met" and g.penalty.most == 9


def test_sessions_before_the_national_framework_are_left_out(knowledge, codes):
    marks = {(week, 1, "AM"): "O" for week in range(10)}
    f = analyse(read_csv(csv_bytes(school_weeks(date(2024, 7, 1), 10, marks, gap_after=2, gap_weeks=6)), codes),
                knowledge.codes, knowledge.register)
    assert f.penalty.before_framework == 3 and f.penalty.most == 7 and f.penalty.status == "not met"


def test_a_grid_without_dates_uses_its_rows_as_weeks(knowledge):
    rows = ["/\\ /\\ G\\ /\\ /\\"] * 10
    f = figures("\n".join(rows), knowledge)
    assert f.penalty.status == "met" and f.penalty.window == "week 1 to week 10"


def test_a_run_without_dates_says_what_is_needed(assistant, knowledge):
    assert figures("/\\ OO OO OO OO OO", knowledge).penalty.status == "needs dates"
    reply = assistant.answer("/\\ OO OO OO OO OO")
    assert "without dates or week rows" in reply.text and "CSV" in reply.text
    assert figures("/\\ OO OO", knowledge).penalty.status == "not met"


# --- malformed input --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,says", [
    ("/\\ /\\ A\\ /\\", ["session 5 (day 3 AM)", "'A' is not an attendance code"]),
    ("/\\ /\\ L", ["5 marks is an odd number", "day 3"]),
    ("31/02/2025 /\\ /\\ /\\ /\\ /\\\n07/03/2025 /\\ /\\ /\\ /\\ /\\", ["line 1", "'31/02/2025' is not a real date"]),
    ("07/09/2024 /\\ /\\ /\\ /\\ /\\\n09/09/2024 /\\ /\\", ["07/09/2024 is a Saturday"]),
    ("/\\ /\\ /\\ /\\ /\\\n/\\ /\\ /\\ /\\\n/\\ /\\ /\\ /\\ /\\", ["week 2 (line 2) has 8 marks", "needs 10"]),
    ("09/09/2024 /\\ /\\ /\\ /\\ /\\\n02/09/2024 /\\ /\\ /\\ /\\ /\\", ["not after the previous week"]),
    ("04/09/2024 /\\ /\\ /\\ /\\ /\\", ["holds at most 6 from Wednesday"]),
])
def test_malformed_marks_say_which_position_is_wrong(assistant, codes, text, says):
    with pytest.raises(RegisterError) as caught:
        read_text(text, codes)
    for words in says:
        assert words in str(caught.value)
    reply = assistant.answer(text)
    assert reply.kind == "register" and reply.title == "I couldn't read that register"
    assert "nothing has been worked out" in reply.text and "%" not in reply.text


@pytest.mark.parametrize("data,says", [
    (b"date,session,mark\n06/01/2025,AM,/\n06/01/2025,AM,N\n", "line 3: 06/01/2025 AM is already given on line 2"),
    (b"date,session,mark\n06/01/2025,noon,/\n", "line 2: session 'noon' should be AM or PM"),
    (b"date,session,mark\n06/01/2025,AM,H\n", "line 2: 'H' is not an attendance code"),
    (b"date,session,mark\n30/02/2025,AM,/\n", "line 2: '30/02/2025' is not a real date"),
    (b"date,session,mark\n04/01/2025,AM,/\n", "line 2: 04/01/2025 is a Saturday"),
    (b"date,session,mark\n06/01/2025,AM\n", "line 2: expected date, session and mark"),
    (b"", "the file is empty"),
    (b"\xff\xfe\x00\x01" * 10, "expected date, session and mark"),
])
def test_malformed_csv_says_which_line_is_wrong(codes, data, says):
    with pytest.raises(RegisterError) as caught:
        read_csv(data, codes)
    assert says in str(caught.value)


def test_a_file_of_another_type_or_too_big_is_refused_clearly(chat):
    [reply] = chat.handle_file("u1", "register.xlsx", b"PK\x03\x04")
    assert reply.kind == "register" and ".csv or .txt" in reply.text
    [reply] = chat.handle_file("u1", "register.csv", b"x" * 1_000_001)
    assert "at most 1000 KB" in reply.text


# --- through the whole assistant --------------------------------------------------------------------------------
def test_an_uploaded_csv_is_read_through_the_session(chat):
    rows = school_weeks(date(2025, 1, 6), 3, {(1, 0, "AM"): "N", (1, 0, "PM"): "N"})
    [reply] = chat.handle_file("u1", "export.csv", csv_bytes(rows))
    assert reply.kind == "register" and reply.title.startswith("Register reading: 93.3% attendance")
    assert "Monday 13/01/2025 AM" in reply.text and "must be replaced within 5 school days" in reply.text
    assert reply.image is not None


def test_a_text_file_of_marks_is_read_too(chat):
    [reply] = chat.handle_file("u1", "marks.txt", "/\\ /\\ II /\\ /\\".encode())
    assert reply.kind == "register" and "80%" in reply.text


def test_the_reply_links_the_next_steps_in_the_guidance(assistant, knowledge):
    reply = assistant.answer("/\\ II II OO /\\ GG /\\ II /\\ /\\")
    actions = {b.action for b in reply.buttons}
    assert {"open:contact-iss-referral", "open:pn-threshold", "open:sw-request-checklist",
            "open:vs-what"} <= actions
    assert "Mendix form" in reply.text and "Support first" in reply.text
    assert "don't share names" in reply.text


def test_safeguarding_outranks_a_register(assistant):
    reply = assistant.answer("/\\ NN NN NN /\\ - she told her teacher her stepdad hits her and she is scared to "
                             "go home")
    assert reply.kind == "safeguarding"


@pytest.mark.parametrize("text", [
    "C2 or X?", "what does code I mean", "is G N O U all unauthorised", "arrived 9.20, register closed 9.00",
    "160 out of 190 sessions", "which is right for a dentist: M or I", "what do / and \\ mean in the register",
    # slashes as punctuation: two words joined, or a lone slash between words
    "and what about his wed/thur sessions?", "where do pupil referral units / PRU sit in the tiers",
])
def test_questions_about_marks_are_not_registers(assistant, codes, text):
    assert not looks_like_register(text, codes)
    assert assistant.answer(text).kind != "register"


def test_nothing_of_a_register_is_kept(chat):
    before = chat.store.state("u9")
    chat.handle("u9", text="what does code N mean")
    state = chat.store.state("u9")
    [reply] = chat.handle("u9", text="/\\ UN NN O/ II MM GG GG")
    assert reply.kind == "register"
    assert chat.store.state("u9") == state != before
    assert not [b for b in reply.buttons if b.action.startswith("fb:")]    # no feedback record tied to it
    dump = "\n".join(str(row) for table in chat.store.db.table_names() for row in chat.store.db[table].rows)
    assert "UN NN" not in dump and "GG GG" not in dump


# --- the chart --------------------------------------------------------------------------------------------------
def test_the_weekly_chart_is_a_small_png_with_words_in_its_place(assistant):
    present, ill = "/\\", "II"
    text = "\n".join(f"w/c {date(2024, 9, 2) + timedelta(weeks=w):%d/%m/%Y} /\\ /\\ {ill if w % 2 else present} /\\ /\\"
                     for w in range(6))
    reply = assistant.answer(text)
    png = reply.image.png
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (640, 320) and len(png) < 150_000
    assert reply.image.alt.startswith("Weekly attendance: w/c 02/09/2024 100%; w/c 09/09/2024 80%")


def test_no_chart_for_a_single_week(assistant):
    assert assistant.answer("/\\ /\\ II /\\ /\\").image is None


def test_next_steps_follow_the_figures_and_come_from_the_knowledge(assistant, knowledge):
    good = assistant.answer("/\\ /\\ /\\ /\\ /\\ /\\ /\\ /\\ /\\ /\\")
    assert "Keep tracking" in good.text and "Support first" not in good.text
    assert "open:practice-thresholds" in {b.action for b in good.buttons}
    poor = assistant.answer("/\\ /\\ II OO NN /\\ /\\ /\\ /\\ /\\ /\\ /\\")
    assert "Support first" in poor.text and "record its code, or O" in poor.text
    texts = {step.text for step in knowledge.register.next_steps}
    assert all(line[2:] in texts for line in poor.text.split("What to do next:\n")[1].split("\n\n")[0].splitlines())
