"""Domain values to rich renderables. Catalog and profile text is always shown literally."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from usce_planner.app.profile import profile_json
from usce_planner.app.programs import ProgramDetail, program_document
from usce_planner.eligibility.listing import deposit_text, one_rotation_cost, partial_fees
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rule
from usce_planner.text_safety import json_safe, visible

__all__ = ["json_safe", "literal", "visible"]


def literal(text: str, style: str = "") -> Text:
    """Return catalog text as a Text that rich prints exactly (no markup, no escapes)."""
    return Text(visible(text), style=style)


def programs_table(details: Iterable[ProgramDetail]) -> Table:
    """Return the catalog listing: one row per program."""
    table = Table(header_style="bold", show_lines=True, expand=True)
    table.add_column("program", overflow="fold", ratio=3, min_width=24)
    table.add_column("kind, status", overflow="fold", max_width=13)
    table.add_column("weeks", overflow="fold", ratio=1)
    table.add_column("cost", overflow="fold", ratio=1)
    for detail in details:
        program = detail.program
        label = Text.assemble(
            literal(program.institution, "bold"),
            "\n",
            literal(program.name),
            "\n",
            literal(program.id, "cyan"),
            "\n",
            literal(_place(program)),
        )
        if detail.notices:
            label.append("\ncheck source", style="yellow")
        table.add_row(
            label,
            Text.assemble(program.kind, "\n", _status_text(program)),
            _weeks_text(program),
            _cost_text(program),
        )
    return table


def program_view(detail: ProgramDetail) -> RenderableType:
    """Return every field of one program, its source, confidence and age notices."""
    program = detail.program
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    document = program_document(program)
    notes = document.pop("notes", [])
    for key, value in _flatten(document):
        grid.add_row(key, literal(value))
    parts: list[RenderableType] = [
        literal(f"{program.institution} — {program.name}", "bold"),
        grid,
    ]
    if program.specialties in (None, ()):
        parts.append(Text("specialties: many or not listed; see the source"))
    parts += [literal(f"note: {note}") for note in notes]
    parts += [Text(f"check source: {notice}", style="yellow") for notice in detail.notices]
    return Group(*parts)


def stats_view(stats: dict[str, Any]) -> Table:
    """Return the catalog's counts: one row per dimension, the values with their counts."""
    table = Table(header_style="bold", show_lines=True, expand=True)
    table.add_column("programs", no_wrap=True)
    table.add_column(str(stats["programs"]), overflow="fold")
    for key, value in stats.items():
        if isinstance(value, dict):
            shown = ", ".join(f"{name} {count}" for name, count in value.items())
            table.add_row(key.replace("_", " "), literal(shown))
        elif key != "programs":
            table.add_row(key.replace("_", " "), str(value))
    return table


def profile_view(profile: Profile) -> RenderableType:
    """Return the profile's stored fields, one per line."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for key, value in _flatten(profile_json(profile)):
        grid.add_row(key, literal(value))
    return grid


def _flatten(document: dict[str, object], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += _flatten(value, f"{name}.")
        elif isinstance(value, list):
            rows.append((name, ", ".join(_plain(v) for v in value) or "(none)"))
        else:
            rows.append((name, _plain(value)))
    return rows


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    return str(value)


def _status_text(program: Program) -> Text:
    styles = {"open": "green", "closed": "red", "paused": "red"}
    return Text(program.status, style=styles.get(program.status, "yellow"))


def _place(program: Program) -> str:
    return f"{program.city}, {program.state}" if program.city else program.state


def _weeks_text(program: Program) -> str:
    if not program.weeks:
        return "unknown"
    lengths = sorted(set(program.weeks))
    if len(lengths) > 3:
        usual = f"usually {program.weeks[0]}" if program.has_usual_length else "no usual"
        text = f"{lengths[0]}-{lengths[-1]} ({usual})"
    else:
        text = "/".join(str(w) for w in program.weeks)
        text += "" if program.has_usual_length else " (no usual)"
    return f"{text}, max {program.max_weeks}" if program.max_weeks else text


def _cost_text(program: Program) -> str:
    cost = one_rotation_cost(program)
    deposit = deposit_text(program)
    also = f"\n{deposit}" if deposit else ""
    if cost is not None:
        return f"${cost:,}{also}"
    known = [fee for fee in partial_fees(program) if fee]
    return (" + ".join([*known, "unknown"]) if known else "unknown") + also


def rules_table(entries: Iterable[Rule]) -> Table:
    """Return the rules: value, confidence, source and note."""
    table = Table(header_style="bold", show_lines=True, expand=True)
    table.add_column("rule", no_wrap=True)
    table.add_column("value", overflow="fold", ratio=1)
    table.add_column("confidence", no_wrap=True)
    table.add_column("source and note", overflow="fold", ratio=2)
    for rule in entries:
        if isinstance(rule.value, tuple):
            value = ", ".join(rule.value)
        elif rule.unit in ("date", "month-day"):
            value = str(rule.value)
        else:
            value = f"${rule.value}" if rule.unit == "usd" else f"{rule.value} {rule.unit}"
        note = rule.source + (f"\n{rule.note}" if rule.note else "")
        table.add_row(rule.key, value, rule.confidence, Text(note))
    return table
