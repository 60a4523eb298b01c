"""Draw a pupil's weekly attendance as a small PNG (percentage by week, with the persistent and severe absence lines),
using matplotlib without a display."""
from __future__ import annotations

import io

from .models import RegisterRules
from .register_figures import Week

WIDTH_INCHES, HEIGHT_INCHES, DPI = 6.4, 3.2, 100


def weekly_chart(weeks: tuple[Week, ...], rules: RegisterRules) -> bytes:
    """The PNG bytes of a bar chart of attendance by week, with lines at the persistent and severe thresholds."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    shown = [w for w in weeks if w.possible]
    values = [100 * w.attended / w.possible for w in shown]
    persistent = 100 - rules.persistent_absence_percent
    severe = 100 - rules.severe_absence_percent
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    axes = figure.add_subplot()
    colours = ["#b2182b" if v <= severe else "#ef8a62" if v <= persistent else "#4393c3" for v in values]
    axes.bar(range(len(values)), values, color=colours)
    axes.axhline(persistent, color="#333333", linestyle="--", linewidth=1, label=f"{persistent}%")
    axes.axhline(severe, color="#333333", linestyle=":", linewidth=1, label=f"{severe}%")
    axes.set_ylim(0, 100)
    axes.set_ylabel("Attendance %")
    axes.set_title("Attendance by school week")
    step = max(1, len(shown) // 8)
    axes.set_xticks(range(0, len(shown), step), [shown[i].label.replace("w/c ", "") for i in range(0, len(shown), step)],
                    fontsize=7, rotation=30, ha="right")
    axes.legend(loc="lower left", fontsize=7)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
