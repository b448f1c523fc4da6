"""The rotations `usce suggest` may choose from: every start the user can make, on time.

A candidate is a program, an allowed start in the period and a length the program offers, at
which the verdict (section 7, at that start and length) is eligible, or conditional unless the
search is strict, and which starts on or after the program's earliest start with every step on
time. Starts are enumerated with the same start-rule code `usce eligible` uses; a program that
takes any day is offered on Mondays only, which keeps the model small and loses no week.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from usce_planner.eligibility import Checker, Result
from usce_planner.models.catalog import Program
from usce_planner.models.plan import SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules
from usce_planner.plan.review import rotation_cost
from usce_planner.suggest.values import Candidate
from usce_planner.timing.starts import DEFAULT_WEEKS, allowed_starts, last_day
from usce_planner.timing.visas import visa_route

_KEPT = {True: ("eligible",), False: ("eligible", "conditional")}


@dataclass(frozen=True)
class Search:
    """What the search looks for: the period, and which verdicts and costs it keeps."""

    first: date
    last: date
    strict: bool = False
    keep_unknown_cost: bool = True
    visa_paid: bool = False  # the saved plan already pays for a visa (or ESTA)


@dataclass(frozen=True)
class Found:
    """A candidate with what the listing shows beside it."""

    candidate: Candidate
    apply_by: date
    verdict: str
    depends_on: tuple[str, ...]  # what a conditional verdict waits for
    unknown_fees: str  # the fees the source leaves unknown, "" when none
    length_stated: bool
    visa_route: str
    letters: str  # yes | no | discretionary | unknown, as the source says


def find_candidates(
    programs: Iterable[Program],
    profile: Profile,
    rules: Rules,
    today: date,
    saved: Sequence[SavedRotation],
    search: Search,
) -> list[Found]:
    """Return every candidate of these programs for this profile, in start order."""
    checker = Checker(profile, rules, today)
    used = _weeks_used(saved)
    found = [
        item
        for program in programs
        for item in _program_candidates(program, checker, used.get(program.id, 0), search)
    ]
    return sorted(found, key=lambda item: item.candidate.key)


def _weeks_used(saved: Sequence[SavedRotation]) -> Mapping[str, int]:
    used: dict[str, int] = {}
    for rotation in saved:
        if rotation.is_live:
            used[rotation.program] = used.get(rotation.program, 0) + rotation.weeks
    return used


def _program_candidates(
    program: Program, checker: Checker, used_weeks: int, search: Search
) -> list[Found]:
    lengths = program.weeks or (DEFAULT_WEEKS,)
    room = None if program.max_weeks is None else program.max_weeks - used_weeks
    tries = []
    for weeks in lengths:
        if room is not None and weeks > room:
            continue
        earliest = checker.earliest(program, weeks)
        if earliest is None or last_day(earliest, weeks) > search.last:
            continue
        starts = _starts(program, max(earliest, search.first), search.last, weeks)
        tries += [(program, start, weeks) for start in starts]
    results = checker.check_starts(tries)
    found = (
        _candidate(program, checker, start, weeks, result, search)
        for (program, start, weeks), result in zip(tries, results, strict=True)
    )
    return [item for item in found if item is not None]


def _starts(program: Program, first: date, last: date, weeks: int) -> Iterable[date]:
    any_day = program.starts is None or program.starts == "any-day"
    for start in allowed_starts(program, first, last):
        if last_day(start, weeks) > last:
            return
        if not any_day or start.weekday() == 0:
            yield start


def _candidate(
    program: Program, checker: Checker, start: date, weeks: int, result: Result, search: Search
) -> Found | None:
    if result.verdict not in _KEPT[search.strict] or result.target is None:
        return None
    if result.target.start != start:
        return None
    rules, profile = checker.context.rules, checker.context.profile
    parts, unknown = rotation_cost(program, None, weeks, rules, set())
    if unknown and not search.keep_unknown_cost:
        return None
    route = visa_route(profile, program, start, rules, weeks).route
    candidate = Candidate(
        program=program.id,
        start=start,
        weeks=weeks,
        hands_on=program.hands_on,
        in_specialty=_in_specialty(program, profile),
        letters_yes=program.letters == "yes",
        cost_usd=sum(part.usd for part in parts),
        cost_unknown=bool(unknown),
        needs_visa=route in ("esta", "consulate") and not search.visa_paid,
        application_usd=sum(part.usd for part in parts if part.what != "program fee"),
    )
    return Found(
        candidate,
        result.target.apply_by,
        result.verdict,
        _depends_on(result),
        unknown,
        bool(program.weeks),
        route,
        program.letters or "unknown",
    )


def _in_specialty(program: Program, profile: Profile) -> bool:
    """A program in one of the profile's specialties, or one that lists none (section 11)."""
    wanted = set(profile.specialties)
    if not wanted:
        return True
    if program.specialties:
        return bool(wanted & set(program.specialties))
    excluded = set(program.excluded_specialties or ())
    return not wanted <= excluded


def _depends_on(result: Result) -> tuple[str, ...]:
    return tuple(check.detail for check in result.checks if check.status == "pending")
