"""The plan as rich renderables: the timeline, then conflicts, warnings and totals."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from usce_planner.cli.render.tables import literal, visible
from usce_planner.dates import Duration
from usce_planner.plan.report import PlanReport
from usce_planner.plan.schedule import Milestone


def plan_view(report: PlanReport) -> RenderableType:
    """Return the whole plan: rotations, timeline, conflicts, warnings and totals."""
    if not report.schedule.rotations and not report.schedule.milestones:
        return Text("No rotations yet: add one with `usce plan add ID --start DATE`.")
    parts: list[RenderableType] = [rotations_table(report), timeline_view(report)]
    if report.conflicts:
        parts.append(Text("Conflicts", style="bold red"))
        parts += [literal(f"- {c.kind} ({', '.join(c.ids)}): {c.detail}") for c in report.conflicts]
    if report.warnings:
        parts.append(Text("Warnings", style="bold yellow"))
        parts += [literal(f"- {w.kind} ({w.ids[0]}): {w.detail}") for w in report.warnings]
    parts.append(totals_text(report))
    return Group(*parts)


def rotations_table(report: PlanReport) -> Table:
    """Return one row per rotation with its status and whether it can still be done."""
    table = Table(header_style="bold", expand=True, title="Rotations", title_justify="left")
    table.add_column("rotation", overflow="fold", ratio=3, min_width=26)
    table.add_column("dates", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("on time?", overflow="fold", ratio=2)
    for view in report.schedule.rotations:
        saved = view.saved
        if not saved.is_live:
            state = Text("not pursued", style="dim")
        elif view.feasible:
            state = Text("yes")
        else:
            earliest = view.earliest_start.isoformat() if view.earliest_start else "none in 5 years"
            state = Text(
                f"NO: a step before it is late; earliest start on time: {earliest}", style="red"
            )
        program, _, start = saved.key.partition("@")
        table.add_row(
            # Broken at the @ so that a narrow column never splits the program id or the date.
            Text.assemble(literal(program), "\n", literal(f"@{start}")),
            f"{saved.start.isoformat()}\nto {view.end.isoformat()}\n"
            f"{Duration(saved.weeks, 'weeks')}",
            saved.status,
            state,
        )
    return table


def timeline_view(report: PlanReport) -> Text:
    """Return every milestone by date, two lines each, with LATE written out in words.

    Plain lines, not a table: a plan of a hundred rotations has a thousand steps, and laying
    out a table that size takes most of a second.
    """
    lines = [Text("Timeline", style="bold italic")]
    for milestone in report.schedule.milestones:
        lines.append(Text.assemble(f"{milestone.day.isoformat()}  ", literal(milestone.title)))
        detail = Text(" " * 12)
        state = state_text(milestone)
        if state.plain:
            detail.append_text(state)
            detail.append(" · ")
        detail.append(_rotation_label(milestone), style="dim")
        lines.append(detail)
    return Text("\n").join(lines)


def state_text(milestone: Milestone) -> Text:
    """Return the state of one milestone in words: LATE, done, a window, or nothing."""
    if milestone.done is not None:
        return Text(f"done {milestone.done.isoformat()}", style="green")
    if milestone.late_by_days > 0:
        days = f"{milestone.late_by_days} day{'s' if milestone.late_by_days != 1 else ''}"
        if milestone.is_match:
            return Text(f"past, {days} (Match)", style="yellow")
        return Text(f"LATE by {days}", style="bold red")
    if milestone.kind == "rotation" and milestone.end is not None:
        return Text(f"until {milestone.end.isoformat()}")
    if milestone.window_start is not None:
        return Text(f"not before {milestone.window_start.isoformat()}")
    return Text("")


def _rotation_label(milestone: Milestone) -> str:
    if milestone.rotation is None:
        return "Match cycle" if milestone.is_match else "you (for every rotation)"
    return visible(milestone.rotation)


def totals_text(report: PlanReport) -> Text:
    """Return the totals: weeks, letters and cost, and what the cost leaves out."""
    t = report.totals
    lines = [
        f"Totals: {Duration(t.weeks, 'weeks')} ({t.hands_on_weeks} hands-on, "
        f"{t.observation_weeks} observation, "
        f"{t.unknown_hands_on_weeks} not stated)",
        f"Letters possible: {t.letters_possible} "
        f"(and {t.letters_discretionary} at the program's discretion)",
        f"Cost: at least ${t.cost_usd:,}; not included: {', '.join(t.not_included)}",
    ]
    return Text("\n").join(literal(line) for line in lines)
