"""The eligibility listing as a boxed text table: verdict, start, apply-by and why."""

from __future__ import annotations

from collections.abc import Iterable

from usce_planner.app.eligible import Verdicts
from usce_planner.cli.render.text_table import Cell, Column, draw_table
from usce_planner.eligibility import Result
from usce_planner.text_safety import visible

VERDICT_STYLE = {
    "eligible": "green",
    "conditional": "cyan",
    "unknown": "yellow",
    "ineligible": "red",
}
COLUMNS = (
    Column("program", ratio=3, min_width=24),
    Column("verdict"),
    Column("start\napply by"),
    Column("why", ratio=2),
)


def verdicts_text(verdicts: Verdicts, results: Iterable[Result], width: int, colour: bool) -> str:
    """Return one row per program: verdict, start, apply-by and why."""
    rows = [_row(verdicts, result) for result in results]
    return draw_table(COLUMNS, rows, width, colour)


def _row(verdicts: Verdicts, result: Result) -> list[Cell]:
    program = result.program
    label = [
        (visible(program.institution), "bold"),
        (visible(program.name), ""),
        (visible(program.id), "cyan"),
    ]
    if verdicts.is_specialty_match(result):
        label.append(("your specialty", "green"))
    if verdicts.is_stale(program):
        label.append(("check source", "yellow"))
    target = result.target
    dates = [(target.start.isoformat(), ""), (target.apply_by.isoformat(), "")] if target else []
    return [
        label,
        [(result.verdict, VERDICT_STYLE[result.verdict])],
        dates or [("unknown", "")],
        [(visible(_why(result)), "")],
    ]


def _why(result: Result) -> str:
    # A chosen start later than the earliest says why first ("from 2027-12-15: you graduate
    # then"); an ineligible program whose note says why no start works gives it for the detail.
    note = result.note
    if result.verdict == "eligible":
        why = "every stated requirement met"
    elif result.verdict == "conditional":
        why = "; ".join(check.detail for check in result.checks if check.status == "pending")
    else:
        reason = result.first_reason()
        if reason is None:
            return note
        if note and result.target and result.target.start == result.earliest_start:
            return f"{reason.rule}: {note}"
        why = f"{reason.rule}: {reason.detail}"
    return f"{note}; {why}" if note else why
