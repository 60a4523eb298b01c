"""Calculator skill: attendance percentages, persistent and severe absence, and days missed, from the figures given."""
from __future__ import annotations

from .. import calculator
from ..models import Reply
from . import Context, Interpretation

SCORE = 0.95
SOURCES = ("Working together to improve school attendance (DfE, August 2024): persistent and severe absence",
           "000_c17e12f361180603.txt (Children with a Social Worker: 90% attendance = 19 days missed)")


def reply_for(result: calculator.Attendance) -> Reply:
    """The worked figures as a reply."""
    return Reply(kind="calculation", text=calculator.describe(result), title="Attendance calculator",
                 confidence=1.0, sources=SOURCES)


def propose(ctx: Context) -> list[Interpretation]:
    """Work out the figures the message gives, or say clearly why they cannot describe attendance."""
    try:
        result = calculator.parse(ctx.text)
    except calculator.CalculationError as exc:
        reply = Reply(kind="calculation", title="Attendance calculator", confidence=1.0,
                      text=f"I can't calculate that: {exc}. Try '150 out of 180 sessions' or 'missed 12 of 95 days'.")
        return [Interpretation("calculator", 0.9, "figures that cannot be attendance", reply, key="calc-error")]
    if result is None:
        return []
    return [Interpretation("calculator", SCORE, "attendance figures", reply_for(result),
                           memory={"calc": result.memory()}, key="calc")]
