"""Register skill: a message that is mostly register marks (or an uploaded register file) is read as one pupil's
register and answered with its figures, the thresholds and what to do next. Nothing of the register is kept."""
from __future__ import annotations

from ..models import Image, Knowledge, NextStep, RegisterRules, Reply
from ..privacy import REMINDER
from ..register import Register, RegisterError, looks_like_register, read_csv, read_text
from ..register_figures import Figures, analyse, percent
from ..replies import Replies
from . import Context, Interpretation

MAX_BUTTONS = 6           # the guidance a reading links to, most relevant first
SCORE = 0.99                 # a message that is mostly marks is a register, whatever else it resembles
TITLE = "Register reading"
FORMS = {"run": "a run of marks", "grid": "a week grid", "csv": "a CSV file"}
HOW_TO = ("Send the marks as they appear in the register, AM then PM for each day (for example /\\ /\\ L\\ UN NN O/), "
          "one week a line with its date (w/c 02/09/2024 /\\ /\\ /\\ /\\ /\\), or a CSV file of date, session (AM or "
          "PM) and mark.")


def propose(ctx: Context) -> list[Interpretation]:
    """Read the message as a register when it is mostly marks; a malformed register gets the reason, not a guess."""
    raw = ctx.raw or ctx.text
    if ctx.k.register is None or not looks_like_register(raw, set(ctx.k.codes)):
        return []
    try:
        register = read_text(raw, set(ctx.k.codes), ctx.k.register.sessions_per_day,
                             ctx.k.register.school_days_per_week)
    except RegisterError as exc:
        return [Interpretation("register", SCORE, "register marks that cannot be read", problem_reply(str(exc)),
                               key="register-error")]
    return [Interpretation("register", SCORE, "register marks", reading_reply(register, ctx.k, ctx.replies),
                           key="register")]


def file_reply(filename: str, data: bytes, k: Knowledge, replies: Replies, chart: bool = True) -> Reply:
    """The reading of an uploaded register: a CSV of date, session and mark, or a text file of marks."""
    if k.register is None:
        return problem_reply("register reading is not set up in this knowledge")
    name = (filename or "").lower()
    try:
        if name.endswith(".csv"):
            register = read_csv(data, set(k.codes))
        elif name.endswith(".txt") or not name:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise RegisterError("the file is not UTF-8 text") from None
            register = read_text(text, set(k.codes), k.register.sessions_per_day, k.register.school_days_per_week)
        else:
            raise RegisterError(f"I can read a register from a .csv or .txt file, not '{filename[-40:]}'")
    except RegisterError as exc:
        return problem_reply(str(exc))
    return reading_reply(register, k, replies, chart=chart)


def problem_reply(problem: str) -> Reply:
    """Why the register could not be read, position by position, and how to send it."""
    return Reply(kind="register", title="I couldn't read that register", confidence=1.0,
                 text=f"I couldn't read that register; nothing has been worked out or kept.\n{problem}\n{HOW_TO}")


def reading_reply(register: Register, k: Knowledge, replies: Replies, chart: bool = True) -> Reply:
    """The figures, the penalty-notice check and the next steps, with a weekly chart when there are weeks."""
    rules = k.register
    figures = analyse(register, k.codes, rules)
    steps = _next_steps(figures, rules)
    links = dict.fromkeys(link for step in steps for link in step.links)
    buttons = tuple(b for b in (replies.link_button(link) for link in links) if b)[:MAX_BUTTONS]
    image = None
    if chart and len(figures.weeks) >= 2 and any(w.possible for w in figures.weeks):
        from ..register_chart import weekly_chart
        image = Image(weekly_chart(figures.weeks, rules), alt=_chart_alt(figures), filename="attendance.png")
    headline = "no possible sessions" if not figures.possible else f"{percent(figures.attended, figures.possible)} " \
        "attendance" + (", severe absence" if figures.severe else ", persistent absence" if figures.persistent else "")
    return Reply(kind="register", title=f"{TITLE}: {headline}", confidence=1.0,
                 text="\n".join(describe(register, figures, rules, steps)) + f"\n\n{REMINDER}",
                 sources=tuple(s.label() for s in rules.sources), buttons=buttons,
                 suggestions=tuple(b.label for b in buttons), image=image)


def describe(register: Register, f: Figures, rules: RegisterRules, steps: list[NextStep] | None = None) -> list[str]:
    """The reading as lines of plain text, every figure with the rule behind it."""
    days = f.school_days
    lines = [f"{TITLE}: {f.sessions} sessions from {FORMS[register.form]} ({days} school day{'s' * (days != 1)}"
             + (f", {len(f.weeks)} school week{'s' * (len(f.weeks) != 1)}" if register.weeks_known else "")
             + "). Nothing of it is kept."]
    left_out = [f"{code} {n}" for code, n in f.not_counted]
    lines.append(f"- Possible sessions: {f.possible}" + (f" (not counted: {', '.join(left_out)})" if left_out
                                                        else "") + ".")
    if not f.possible:
        lines.append("- No possible sessions, so there is no attendance percentage to work out.")
    else:
        lines.append(f"- Present: {f.present}. Approved educational activity: {f.activity}. Attendance: "
                     f"{f.attended} of {f.possible} possible sessions = {percent(f.attended, f.possible)}.")
        lines.append(f"- Authorised absence: {f.authorised}. Unauthorised absence: {f.unauthorised}. Absence: "
                     f"{f.absent} of {f.possible} = {percent(f.absent, f.possible)}.")
        lines.append(_thresholds(f, rules))
    if f.longest_run is not None:
        first, last, length = f.longest_run
        span = first.where() if first is last else f"{first.where()} to {last.where()}"
        lines.append(f"- Longest run of absence: {length} session{'s' * (length != 1)} ({span}).")
    if f.overdue:
        shown = ", ".join(m.where() for m in f.overdue[:5]) + (f" and {len(f.overdue) - 5} more"
                                                                 if len(f.overdue) > 5 else "")
        lines.append(f"- {len(f.overdue)} {rules.n_code} mark{'s' * (len(f.overdue) != 1)} more than "
                     f"{rules.n_code_school_days} school days before the last day recorded ({shown}): {rules.n_code} "
                     f"must be replaced within {rules.n_code_school_days} school days, with the reason's code or "
                     f"{rules.n_code_replace_with} if no reason has been established.")
    lines.append(_penalty(f, register, rules))
    lines.append("- Sessions per code: " + ", ".join(f"{code} {n}" for code, n in f.by_code) + ".")
    lines.append("What to do next:")
    lines.extend(f"- {step.text}" for step in (steps if steps is not None else _next_steps(f, rules)))
    return lines


def _thresholds(f: Figures, rules: RegisterRules) -> str:
    """Persistent and severe absence, with the local wording where the figure sits exactly on the line."""
    persistent, severe = rules.persistent_absence_percent, rules.severe_absence_percent
    text = (f"- Persistent absence ({persistent}% or more of possible sessions missed): "
            f"{'yes' if f.persistent else 'no'}. Severe absence ({severe}% or more): {'yes' if f.severe else 'no'}.")
    exactly = [p for p in (persistent, severe) if f.absent * 100 == p * f.possible]
    if exactly:
        text += f" Attendance is exactly {100 - exactly[0]}%: {rules.local_wording}"
    elif f.persistent is False and percent(f.attended, f.possible) == f"{100 - persistent}%":
        text += f" (Attendance rounds to {100 - persistent}% but absence is just under {persistent}%.)"
    return text


def _penalty(f: Figures, register: Register, rules: RegisterRules) -> str:
    """The penalty-notice check over rolling windows of school weeks, or what is needed to make it."""
    p = f.penalty
    codes = ", ".join(rules.penalty_codes)
    weeks = rules.penalty_school_weeks
    lead = f"- Penalty notice ({rules.penalty_sessions} or more sessions of unauthorised absence ({codes}) in any " \
           f"{weeks} school weeks): "
    if p.status == "needs dates":
        return lead + (f"{p.counted} such sessions in this record, but without dates or week rows I can't tell "
                       f"whether {rules.penalty_sessions} fall within {weeks} school weeks. Send the marks a week a "
                       "line with each week's date, or a CSV of date, session and mark, to check it.")
    before = (f" {p.before_framework} counting session{'s' * (p.before_framework != 1)} before "
              f"{rules.penalty_from} are left out: the framework applies from then." if p.before_framework else "")
    if p.status == "met":
        return lead + (f"reached: {p.most} in the {min(weeks, p.school_weeks)} school weeks {p.window}. "
                       f"{rules.penalty_wording}{before}")
    if not register.weeks_known:
        return lead + (f"not reached: only {p.counted} such session{'s' * (p.counted != 1)} in the whole record."
                       + before)
    where = f" (the most in any window: {p.most}, {p.window})" if p.counted else ""
    gaps = " Weeks with no marks are taken as holidays, so a window can span a term break." if register.dated else ""
    return lead + f"not reached{where}.{gaps}{before}"


def _next_steps(f: Figures, rules: RegisterRules) -> list[NextStep]:
    """The knowledge's next steps that apply to these figures, in the order the knowledge gives them."""
    concern = f.persistent or f.severe or f.penalty.status == "met"
    applies = {"always", "concern" if concern else "no-concern"} | ({"overdue-n"} if f.overdue else set())
    return [step for step in rules.next_steps if step.when in applies]


def _chart_alt(f: Figures) -> str:
    """The words that stand in for the chart: each week's attendance."""
    weeks = "; ".join(f"{w.label} {percent(w.attended, w.possible) if w.possible else 'no possible sessions'}"
                      for w in f.weeks[:12])
    more = f"; and {len(f.weeks) - 12} more weeks" if len(f.weeks) > 12 else ""
    return f"Weekly attendance: {weeks}{more}."
