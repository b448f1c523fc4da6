"""Checks on a rotation the user asks for: its start, its length, its status moves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from usce_planner.dates import Duration, is_in_range, last_of_month
from usce_planner.errors import PlannerError
from usce_planner.models.catalog import Program
from usce_planner.models.plan import STATUSES, SavedRotation
from usce_planner.names import did_you_mean
from usce_planner.timing.starts import (
    StartWanted,
    allowed_starts,
    is_allowed_start,
    last_day,
    lengths_offered,
    nearest_allowed_starts,
    no_starts_reason,
    search_limit,
)

FORWARD = ("planned", "applied", "waitlisted", "accepted", "completed")
ENDINGS = ("rejected", "withdrawn")
DEFAULT_WEEKS = 4


def describe_start_rule(program: Program) -> str:
    """Return the program's start rule in words."""
    rule = program.starts
    words = {
        None: "any day (the source does not say)",
        "any-day": "any day",
        "any-monday": "a Monday",
        "first-monday": "first Monday of the month",
    }
    text = words.get(rule) if not isinstance(rule, tuple) else "fixed start dates"
    if program.windows:
        text = f"{text}, within an application window's start range"
    blackout = no_starts_reason(program)
    if blackout is not None:
        text = f"{text}; {blackout}"
    return str(text)


def checked_start(program: Program, wanted: StartWanted, today: date, status: str) -> date:
    """Return the start to use: an allowed day, or the first allowed day of the wanted month."""
    if wanted.whole_month:
        last = min(last_of_month(wanted.day), search_limit(today))
        # In the current month, the first allowed start still ahead (past ones only if completed).
        first = wanted.day if status == "completed" else max(wanted.day, today)
        start = next(allowed_starts(program, first, last), None)
        if start is None:
            month = wanted.day.isoformat()[:7]
            before, after = nearest_allowed_starts(program, first, today, last)
            nearest = ", ".join(d.isoformat() for d in (before, after) if d is not None) or "none"
            raise PlannerError(
                f"plan: {program.id}: no allowed start in {month} "
                f"({describe_start_rule(program)}); nearest allowed: {nearest}"
            )
    else:
        start = wanted.day
        if not is_allowed_start(program, start):
            before, after = nearest_allowed_starts(program, start, today)
            nearest = ", ".join(d.isoformat() for d in (before, after) if d is not None) or "none"
            raise PlannerError(
                f"plan: {program.id}: start {start.isoformat()} is not allowed "
                f"({describe_start_rule(program)}); nearest allowed: {nearest}"
            )
    if start < today and status != "completed":
        raise PlannerError(
            f"plan: {program.id}: start {start.isoformat()} is in the past; "
            "add it with --status completed"
        )
    return start


def checked_weeks(program: Program, weeks: int | None) -> tuple[int, tuple[str, ...]]:
    """Return the rotation length to use and the notices to show about it."""
    offered = program.weeks
    if not offered:
        chosen = DEFAULT_WEEKS if weeks is None else weeks
        if not 1 <= chosen <= 52:
            raise PlannerError(f"plan: {program.id}: --weeks must be from 1 to 52")
        return chosen, (
            f"Warning: {program.id}: length not stated by the source; {_weeks(chosen)} used",
        )
    if weeks is None and not program.has_usual_length:
        notice = (
            f"Notice: {program.id}: the source gives {lengths_offered(offered)} and no usual "
            f"length; the shortest, {_weeks(offered[0])}, is planned (--weeks to choose)"
        )
        return offered[0], (notice,)
    if weeks is None:
        others = [str(w) for w in offered[1:]]
        also = ", ".join(others)
        notice = f"Notice: {program.id}: {_weeks(offered[0])}; also offered: {also} (--weeks)"
        return offered[0], (notice,) if others else ()
    if weeks not in offered:
        listed = ", ".join(str(w) for w in offered)
        raise PlannerError(
            f"plan: {program.id}: --weeks {weeks} is not offered (offered: {listed})"
        )
    return weeks, ()


def check_end_in_range(program: Program, start: date, weeks: int) -> None:
    """Refuse a rotation whose last day falls after 2999-12-31, out of the tool's range."""
    end = last_day(start, weeks)
    if not is_in_range(end):
        raise PlannerError(
            f"plan: {program.id}: {_weeks(weeks)} from {start.isoformat()} would end on "
            f"{end.isoformat()}, out of range (the years 1900 to 2999)"
        )


def check_program_cap(program: Program, existing: Sequence[SavedRotation], weeks: int) -> None:
    """Refuse a rotation that takes the user past the program's cap in weeks."""
    if program.max_weeks is None:
        return
    used = sum(r.weeks for r in existing if r.program == program.id and r.is_live)
    if used + weeks > program.max_weeks:
        raise PlannerError(
            f"plan: {program.id}: {_weeks(used)} planned there already; {weeks} more would pass "
            f"its cap of {_weeks(program.max_weeks)}"
        )


def check_status_word(word: str) -> None:
    """Refuse a word that is not a rotation status, naming the closest ones."""
    if word not in STATUSES:
        hint = did_you_mean(word, STATUSES) or f"; statuses: {', '.join(STATUSES)}"
        raise PlannerError(f"plan: '{word}' is not a status{hint}")


def check_status_move(
    rotation: SavedRotation, status: str, on: date, today: date, window_opens: date | None = None
) -> None:
    """Refuse a backward move, a move out of an ending, completing a future rotation, or a date
    out of order (before the last status's date, or applying before the window opens)."""
    current = rotation.status
    if on > today:
        raise PlannerError(f"plan: --on {on.isoformat()} is after today ({today.isoformat()})")
    if current in ENDINGS:
        raise PlannerError(f"plan: {rotation.key} is {current}; its status can no longer change")

    if status == "completed" and rotation.start > today:
        raise PlannerError(
            f"plan: {rotation.key} starts {rotation.start.isoformat()}; it cannot be completed yet"
        )
    if status not in ENDINGS and FORWARD.index(status) <= FORWARD.index(current):
        raise PlannerError(
            f"plan: {rotation.key} is {current}; status moves forward only "
            "(planned, applied, waitlisted, accepted, completed)"
        )
    reached = rotation.history.get(current)
    if reached is not None and on < reached:
        raise PlannerError(
            f"plan: {rotation.key}: {status} on {on.isoformat()} is before "
            f"{reached.isoformat()}, when it became {current}"
        )
    check_applied_on(rotation.key, status, on, window_opens)


def check_applied_on(key: str, status: str, on: date, window_opens: date | None) -> None:
    """Refuse an application dated before the program's application window opens."""
    if status == "applied" and window_opens is not None and on < window_opens:
        raise PlannerError(
            f"plan: {key}: applied on {on.isoformat()} is before the application window "
            f"opens on {window_opens.isoformat()}"
        )


def _weeks(count: int) -> str:
    return str(Duration(count, "weeks"))
