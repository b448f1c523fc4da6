"""The rules ``usce plan`` enforces when it changes a plan, checked again on a plan edited by hand.

A plan file that breaks them still loads (it is the user's file, and valid as data); each break
is a warning naming the rotation and the rule, never an error.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from usce_planner.dates import Duration
from usce_planner.models.catalog import Program
from usce_planner.models.plan import SavedPlan, SavedRotation
from usce_planner.plan.review import Finding

# Calendar UIDs of the example and of a plan not saved yet carry these; a saved plan has its own.
RESERVED_TOKENS = ("example", "adhoc")


def rule_breaks(
    plan: SavedPlan, programs: Mapping[str, Program], today: date, saved: bool
) -> list[Finding]:
    """Return a warning for each rule of the CLI the plan breaks; ``saved``: read from a file."""
    found = []
    if saved and plan.uid_token in RESERVED_TOKENS:
        found.append(
            Finding(
                "reserved-uid-token",
                ("uid_token",),
                f"uid_token '{plan.uid_token}' is kept for plans usce makes up; calendar events "
                "of this plan would clash with theirs. Write 8 hex digits, such as 3f9c2a71",
            )
        )
    weeks_so_far: dict[str, int] = defaultdict(int)
    for rotation in sorted(plan.rotation, key=lambda r: (r.start, r.key)):
        program = programs.get(rotation.program)
        if program is not None and rotation.is_live:
            weeks_so_far[program.id] += rotation.weeks
            found += _length_breaks(rotation, program, weeks_so_far[program.id])
        found += _date_breaks(rotation, today)
    found += [
        Finding(
            "done-in-future",
            (milestone_id,),
            f"marked done on {day.isoformat()}, after today ({today.isoformat()})",
        )
        for milestone_id, day in sorted(plan.done.items())
        if day > today
    ]
    return found


def _length_breaks(rotation: SavedRotation, program: Program, total: int) -> list[Finding]:
    key, found = rotation.key, []
    if program.weeks and rotation.weeks not in program.weeks:
        offered = ", ".join(str(weeks) for weeks in program.weeks)
        detail = (
            f"{_weeks(rotation.weeks)} is not a length {program.id} offers (offered: {offered})"
        )
        found.append(Finding("length-not-offered", (key,), detail))
    if program.max_weeks is not None and total > program.max_weeks:
        detail = (
            f"brings the weeks planned at {program.id} to {total}, past its cap of "
            f"{_weeks(program.max_weeks)} (max_weeks)"
        )
        found.append(Finding("over-cap", (key,), detail))
    return found


def _date_breaks(rotation: SavedRotation, today: date) -> list[Finding]:
    key, found = rotation.key, []
    if rotation.status == "completed" and rotation.start > today:
        detail = (
            f"marked completed, but starts {rotation.start.isoformat()}, after today "
            f"({today.isoformat()})"
        )
        found.append(Finding("completed-in-future", (key,), detail))
    for status, day in rotation.history.items():
        if day > today:
            detail = f"history: {status} on {day.isoformat()}, after today ({today.isoformat()})"
            found.append(Finding("history-in-future", (key,), detail))
    for suffix, day in sorted(rotation.done.items()):
        if day > today:
            detail = f"{suffix} marked done on {day.isoformat()}, after today ({today.isoformat()})"
            found.append(Finding("done-in-future", (f"{key}:{suffix}",), detail))
    return found


def _weeks(count: int) -> str:
    return str(Duration(count, "weeks"))
