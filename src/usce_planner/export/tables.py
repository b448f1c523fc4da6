"""CSV and Markdown exports: a spreadsheet-safe table and a checklist an advisor can read."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from usce_planner.plan.report import PlanReport
from usce_planner.plan.review import letters_text
from usce_planner.text_safety import visible

CSV_COLUMNS = (
    "id",
    "kind",
    "rotation",
    "program",
    "title",
    "date",
    "window_start",
    "late_by_days",
    "done",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def neutralised(value: object) -> str:
    """Return a CSV cell that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        # Checked before the controls are made visible: a leading TAB or CR is itself the threat.
        return "'" + visible(text)
    return visible(text)


def to_csv(document: dict[str, Any]) -> str:
    """Return one row per milestone, in the order of ``usce plan --json``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for milestone in document["milestones"]:
        writer.writerow([neutralised(milestone[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def md(text: str) -> str:
    """Return text with Markdown's special characters escaped and no line breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(" ".join(text.split())))


def to_markdown(report: PlanReport) -> str:
    """Return the plan as a Markdown checklist: rotations, steps by date, then what to watch."""
    lines = [f"# USCE plan as of {report.today.isoformat()}", "", "## Rotations", ""]
    for view in report.schedule.rotations:
        saved = view.saved
        state = "on time" if view.feasible else "a step before it is LATE"
        if view.earliest_start is not None:
            state += f"; earliest start on time: {view.earliest_start.isoformat()}"
        lines.append(
            f"- **{md(saved.key)}**: {saved.start.isoformat()} to {view.end.isoformat()} "
            f"({saved.weeks} weeks), {saved.status}, {state}"
        )
    lines += ["", "## Checklist", ""]
    for milestone in report.schedule.milestones:
        box = "x" if milestone.done is not None else " "
        where = f" ({md(milestone.rotation)})" if milestone.rotation else ""
        state = ""
        if milestone.done is not None:
            state = f" (done {milestone.done.isoformat()})"
        elif milestone.is_late:
            state = f" **LATE by {milestone.late_by_days} days**"
        elif milestone.window_start is not None:
            state = f" (not before {milestone.window_start.isoformat()})"
        lines.append(f"- [{box}] {milestone.day.isoformat()}: {md(milestone.title)}{where}{state}")
    for heading, findings in (("Conflicts", report.conflicts), ("Warnings", report.warnings)):
        if findings:
            lines += ["", f"## {heading}", ""]
            lines += [f"- {md(f.kind)} ({md(', '.join(f.ids))}): {md(f.detail)}" for f in findings]
    totals = report.totals
    lines += [
        "",
        "## Totals",
        "",
        f"- {totals.weeks} weeks: {totals.hands_on_weeks} hands-on, "
        f"{totals.observation_weeks} observation, {totals.unknown_hands_on_weeks} not stated",
        f"- {letters_text(totals)}",
        f"- Cost: at least ${totals.cost_usd:,}; not included: "
        + md(", ".join(totals.not_included)),
        "",
    ]
    return "\n".join(lines)
