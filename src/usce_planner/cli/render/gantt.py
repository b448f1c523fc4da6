"""The plan on a month axis in the terminal: legible at 80 columns and without colour."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text

from usce_planner.cli.render.tables import visible
from usce_planner.plan.report import PlanReport
from usce_planner.plan.schedule import Milestone

LABEL = 22
SYMBOLS = {"late": ("!", "bold red"), "done": ("x", "green"), "open": ("o", "")}


def gantt(report: PlanReport, width: int) -> Text:
    """Return the chart: a row per rotation, one for your own steps, one for the Match."""
    milestones = report.schedule.milestones
    views = [v for v in report.schedule.rotations if v.saved.is_live]
    days = [m.day for m in milestones] + [v.end for v in views] + [report.today]
    first, last = min(days).replace(day=1), max(days)
    cells = max(width - LABEL - 2, 20)
    span = max((last - first).days, 1)

    def column(day: date) -> int:
        return min(cells - 1, (day - first).days * (cells - 1) // span)

    lines = [_axis(first, last, column, cells)]
    rows = [
        (
            f"{v.saved.start.isoformat()} {v.saved.program}",
            [m for m in milestones if m.rotation == v.saved.key],
        )
        for v in views
    ]
    rows.append(("you", [m for m in milestones if m.rotation is None and not m.is_match]))
    rows.append(("Match", [m for m in milestones if m.is_match]))
    for label, marks in rows:
        if marks:
            lines.append(_row(label, marks, column, cells, report.today))
    lines.append(Text(" " * LABEL + "  # rotation   o step   x done   ! LATE   | today"))
    return Text("\n").join(lines)


def _axis(first: date, last: date, place: Callable[[date], int], cells: int) -> Text:
    axis = [" "] * cells
    months = _months(first, last)
    # Every step-th month gets a name, with room for at least "2027" and a blank.
    per_month = cells / max(len(months), 1)
    step = next((s for s in (1, 2, 3, 4, 6) if s * per_month >= 5), 12)
    named = [m for m in months if (m.month - 1) % step == 0]
    # Each January is named by its year, and placed first; then the first month with its year
    # (just the month where that does not fit before the next January), then the others.
    labels = [(m, m.strftime("%Y")) for m in months if m.month == 1]
    if first.month != 1:
        labels += [(first, first.strftime("%b %Y")), (first, first.strftime("%b"))]
    labels += [(m, m.strftime("%b")) for m in named if m.month != 1 and m != first]
    for month, name in labels:
        start = place(month)
        end = start + len(name)
        # A blank on either side, so that neighbouring names never run together.
        if end <= cells and all(c == " " for c in axis[max(start - 1, 0) : end + 1]):
            axis[start:end] = list(name)
    return Text(" " * LABEL + "  " + "".join(axis).rstrip())


def _months(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _row(
    label: str, marks: list[Milestone], place: Callable[[date], int], cells: int, today: date
) -> Text:
    chars: list[tuple[str, str]] = [(" ", "")] * cells
    chars[place(today)] = ("|", "red")
    for mark in marks:
        if mark.kind == "rotation" and mark.end is not None:
            for index in range(place(mark.day), place(mark.end) + 1):
                chars[index] = ("#", "blue")
    # Drawn open, then done, then late: where marks share a column, LATE is what shows.
    order = {"open": 0, "done": 1, "late": 2}
    steps = [
        (("done" if m.done else "late" if m.is_late else "open"), m)
        for m in marks
        if m.kind != "rotation"
    ]
    for state, mark in sorted(steps, key=lambda pair: order[pair[0]]):
        chars[place(mark.day)] = SYMBOLS[state]
    name = visible(label)
    name = name if len(name) <= LABEL else name[: LABEL - 1] + "…"
    text = Text(name.ljust(LABEL) + "  ")
    for char, style in chars:
        text.append(char, style=style)
    return text
