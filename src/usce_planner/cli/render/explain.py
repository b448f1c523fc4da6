"""Eligibility results as rich renderables: the listing and the full explanation of one program."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from usce_planner.app.eligible import Verdicts
from usce_planner.cli.render.tables import literal
from usce_planner.cli.render.verdicts import VERDICT_STYLE
from usce_planner.eligibility import Result
from usce_planner.timing.starts import lengths_offered, no_starts_reason

STATUS_STYLE = {"met": "green", "pending": "cyan", "unknown": "yellow", "unmet": "red"}


def explanation(verdicts: Verdicts) -> RenderableType:
    """Return every check of one program, and what the dates mean for the plan."""
    result = verdicts.results[0]
    program = result.program
    target = result.target
    heading = Text.assemble(
        literal(f"{program.institution} — {program.name}", "bold"),
        " (",
        literal(program.id),
        ")\n",
        "verdict: ",
        Text(result.verdict, style=VERDICT_STYLE[result.verdict]),
    )
    if target is not None:
        heading.append(
            f"\nstart {target.start.isoformat()}, last day {target.last.isoformat()}, "
            f"apply by {target.apply_by.isoformat()}"
        )
    checks = Table(header_style="bold", show_lines=False)
    checks.add_column("rule", no_wrap=True)
    checks.add_column("status", no_wrap=True)
    checks.add_column("detail", overflow="fold")
    for check in result.checks:
        checks.add_row(
            check.rule,
            Text(check.status, style=STATUS_STYLE.get(check.status, "")),
            literal(check.detail),
        )
    notes = [literal(note) for note in explanation_notes(result, verdicts)]
    return Group(heading, checks, *notes)


def explanation_notes(result: Result, verdicts: Verdicts) -> list[str]:
    """Return what the checks alone do not say: preparation already late, earliest start, age."""
    notes = []
    target = result.target
    earliest = result.earliest_start
    if target is not None and earliest != target.start:
        dates = next(check for check in result.checks if check.rule == "dates")
        if dates.status == "met" and (earliest is None or earliest > target.start):
            notes.append(
                "The apply-by date is still ahead, but the preparation before it (letters, "
                "documents, exams, visa) is already late for this start."
            )
    if earliest is not None:
        notes.append(f"Earliest start with every step on time: {earliest.isoformat()}.")
    if result.note and target is not None and target.start != earliest:
        notes.append(f"Checked at the chosen start, later than the earliest: {result.note}.")
    elif result.note:
        notes.append(f"No start works: {result.note}.")
    elif earliest is None:
        notes.append("No start in the next 5 years has every step on time.")
    program = result.program
    if not program.weeks:
        notes.append("Rotation length not stated by the source; 4 weeks assumed.")
    elif not program.has_usual_length:
        notes.append(
            f"The source gives {lengths_offered(program.weeks)} and no usual length; "
            f"the shortest, {program.weeks[0]} weeks, assumed."
        )
    blackout = no_starts_reason(program)
    if blackout is not None:
        notes.append(blackout[0].upper() + blackout[1:] + ".")
    if result.program.starts is None:
        notes.append("Start days not stated by the source; any day assumed.")
    notes += [f"Check source: {notice}." for notice in verdicts.stale_notices(result.program)]
    notes += [f"Note from the source: {note}" for note in program.notes or ()]
    notes.append(f"Source: {result.program.source} ({result.program.source_date}).")
    return notes
