"""The plan as rich renderables: the timeline, then conflicts, warnings and totals."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from usce_planner.cli.render.tables import literal
from usce_planner.dates import Duration
from usce_planner.plan.report import PlanReport
from usce_planner.plan.review import CostPart, letters_text
from usce_planner.plan.schedule import Milestone, RotationView


def plan_view(report: PlanReport) -> RenderableType:
    """Return the whole plan: rotations, timeline, conflicts, warnings and totals."""
    if not report.schedule.rotations and not report.schedule.milestones:
        return Text("No rotations yet: add one with `usce plan add ID --start DATE`.")
    parts: list[RenderableType] = [rotations_table(report), timeline_view(report)]
    if report.conflicts:
        parts.append(Text("Conflicts", style="bold red"))
        conflicts = [f"{c.kind} ({', '.join(c.ids)}): {c.detail}" for c in report.conflicts]
        parts.append(Hanging([_bullet(line) for line in conflicts]))
    if report.warnings:
        parts.append(Text("Warnings", style="bold yellow"))
        warnings = [f"{w.kind} ({w.ids[0]}): {w.detail}" for w in report.warnings]
        parts.append(Hanging([_bullet(line) for line in warnings]))
    parts.append(totals_text(report))
    return Group(*parts)


def _bullet(text: str) -> tuple[Text, Text]:
    return Text("- "), literal(text)


class Hanging:
    """Lines whose text, when too long, wraps under itself: never back under the head.

    Each line is a head (a date, a dash, a label) and a body; continuation lines are indented
    by the head's width, at whatever width the terminal has.
    """

    def __init__(self, lines: Sequence[tuple[Text, Text]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # One Text for all the lines, as rich lays out one Text fastest; only a line too long
        # for the width is wrapped here, under its own text.
        width = options.max_width
        out = Text(end="")
        for index, (head, body) in enumerate(self.lines):
            if index:
                out.append("\n")
            if head.cell_len + body.cell_len <= width:
                out.append_text(head)
                out.append_text(body)
            else:
                out.append_text(Text("\n").join(_hanging_lines(console, width, head, body)))
        out.no_wrap = True
        yield out
        yield Segment.line()


def _hanging_lines(console: Console, width: int, head: Text, body: Text) -> Iterator[Text]:
    indent = head.cell_len
    # Below 20 columns for the text a hanging indent helps no one: the text takes the line.
    room = width - indent
    if room < 20:
        head, indent, room = Text(""), 0, width
    for index, line in enumerate(body.wrap(console, room, overflow="fold")):
        line.rstrip()
        yield Text.assemble(head if index == 0 else " " * indent, line)


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
            state = Text("yes" if view.verdict is None else f"yes ({view.verdict})")
        else:
            state = Text(f"NO: {why_not(view)}", style="red")
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


def why_not(view: RotationView) -> str:
    """Return why a rotation cannot be done as planned, and the start that would work."""
    reasons = []
    if view.started:
        reasons.append("its start has passed")
    if view.verdict == "ineligible":
        reasons.append("you do not qualify at this start (see Conflicts)")
    if view.late or not reasons:
        reasons.append("a step before it is late")
    text = "; ".join(reasons)
    if view.saved.status == "planned":
        earliest = view.earliest_start.isoformat() if view.earliest_start else "none in 5 years"
        text += f"; earliest start on time that you qualify for: {earliest}"
    return text


def timeline_view(report: PlanReport) -> RenderableType:
    """Return every milestone by date, two lines each, with LATE written out in words.

    Under the title: the state and the milestone's id (dimmed, what `usce plan done` takes),
    and under a rotation its note. Long lines wrap under their text, not under the dates.
    Plain lines, not a table: a plan of a hundred rotations has a thousand steps, and laying
    out a table that size takes most of a second.
    """
    notes = {view.saved.key: view.saved.notes for view in report.schedule.rotations}
    indent = Text(" " * 12)
    lines: list[tuple[Text, Text]] = []
    verdicts = {view.saved.key: view.verdict for view in report.schedule.rotations}
    for milestone in report.schedule.milestones:
        lines.append((Text(f"{milestone.day.isoformat()}  "), literal(milestone.title)))
        detail = Text()
        state = state_text(milestone)
        if state.plain:
            detail.append_text(state)
            detail.append(" · ")
        verdict = verdicts.get(milestone.rotation or "") if milestone.kind == "rotation" else None
        if verdict is not None:
            detail.append(verdict, style=_VERDICT_STYLE[verdict])
            detail.append(" · ")
        detail.append_text(_id_label(milestone))
        lines.append((indent, detail))
        note = notes.get(milestone.rotation or "") if milestone.kind == "rotation" else None
        if note:
            lines.append((indent, literal(f"note: {note}")))
    return Group(Text("Timeline", style="bold italic"), Hanging(lines))


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


def _id_label(milestone: Milestone) -> Text:
    label = literal(milestone.id, "dim")
    if milestone.rotation is None:
        label.append(" (Match cycle)" if milestone.is_match else " (you, for every rotation)")
    return label


def totals_text(report: PlanReport) -> RenderableType:
    """Return the totals: weeks, letters and cost, each fee named, and what the cost leaves out."""
    t = report.totals
    letters = letters_text(t)
    lines = [
        f"Totals: {Duration(t.weeks, 'weeks')} ({t.hands_on_weeks} hands-on, "
        f"{t.observation_weeks} observation, "
        f"{t.unknown_hands_on_weeks} not stated)",
        letters,
    ]
    known = "" if t.cost_parts else " (no fee is known)"
    cost = [(Text(""), literal(f"Cost: at least ${t.cost_usd:,}{known}"))]
    cost += [(Text("  "), literal(line)) for line in cost_lines(t.cost_parts)]
    cost.append((Text("  "), literal(f"not included: {', '.join(t.not_included)}")))
    return Group(*(literal(line) for line in lines), Hanging(cost))


def cost_lines(parts: Sequence[CostPart]) -> list[str]:
    """Return one line per rotation naming its fees, then the fees paid once for the plan."""
    by_rotation: dict[str | None, list[str]] = {}
    for part in parts:
        by_rotation.setdefault(part.rotation, []).append(f"{part.what} ${part.usd:,}")
    return [
        f"{key if key is not None else 'once for the plan'}: {', '.join(fees)}"
        for key, fees in sorted(by_rotation.items(), key=lambda item: item[0] is None)
    ]


_VERDICT_STYLE = {
    "eligible": "green",
    "conditional": "cyan",
    "unknown": "yellow",
    "ineligible": "bold red",
}
