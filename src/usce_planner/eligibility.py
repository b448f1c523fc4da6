"""Eligibility: every rule of one program checked against the profile at the dates that matter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from usce_planner.checks import CHECKS, Check, Context, Target, rule_inputs
from usce_planner.dates import Duration, last_of_month
from usce_planner.english import english_needs
from usce_planner.listing import DEFAULT_WEEKS
from usce_planner.models import Profile, Program, Requirements
from usce_planner.on_time import Floors
from usce_planner.rules import Rules
from usce_planner.starts import (
    ApplyBy,
    allowed_starts,
    apply_by,
    last_day,
    rotation_weeks,
    search_limit,
)

RULE_ORDER = tuple(check.__name__.lstrip("_") for check in CHECKS)
VERDICT_ORDER = ("eligible", "conditional", "unknown", "ineligible")
_NO_LEAD = (None, None)  # recommended and minimum lead of a program that states none


class Result(NamedTuple):
    """Every check of one program, the verdict, and the dates they used."""

    program: Program
    verdict: str
    target: Target | None
    checks: tuple[Check, ...]
    earliest_start: date | None

    def first_reason(self) -> Check | None:
        """Return the check behind the verdict (the first unmet, unknown or pending one)."""
        wanted = {"ineligible": "unmet", "unknown": "unknown", "conditional": "pending"}
        status = wanted.get(self.verdict)
        return next((check for check in self.checks if check.status == status), None)


def earliest_start(program: Program, profile: Profile, rules: Rules, today: date) -> date | None:
    """Return the first allowed start with every preparation step on time, or None."""
    return Checker(profile, rules, today).earliest(program)[0]


def first_start_from(program: Program, wanted: date, today: date, whole_month: bool) -> date | None:
    """Return the first allowed start on or after ``wanted`` (or within its month)."""
    limit = search_limit(today)
    last = min(last_of_month(wanted), limit) if whole_month else limit
    return next(allowed_starts(program, wanted, last), None)


def check_program(
    program: Program,
    profile: Profile,
    rules: Rules,
    today: date,
    wanted: date | None = None,
    whole_month: bool = False,
) -> Result:
    """Check every rule for one program at the wanted start (else its earliest start)."""
    return Checker(profile, rules, today).check(program, wanted, whole_month)


class Checker:
    """Checks programs against one profile, under one set of rules, on one day.

    Each rule's check depends on the run and on its own few inputs only (``rule_inputs``), and
    programs share those inputs: statuses, audiences, requirement tables, lead times, and so
    the target dates. A checker keeps what it worked out by those inputs, so across a catalog
    most checks, and most searches for the earliest start, are looked up instead of repeated.
    Tests hold its answers equal to each rule applied to its inputs afresh.
    """

    def __init__(self, profile: Profile, rules: Rules, today: date) -> None:
        self.context = Context(profile, rules, today)
        self._floors = Floors(self.context)
        self._limit = search_limit(today)
        self._known: tuple[dict[tuple[Any, ...], Check], ...] = tuple({} for _ in CHECKS)
        self._earliest: dict[tuple[Any, ...], tuple[date | None, ApplyBy | None]] = {}
        self._planned: dict[tuple[Any, ...], _Planned] = {}
        self._by_requirements: dict[int, _Requirements] = {}

    def check(
        self, program: Program, wanted: date | None = None, whole_month: bool = False
    ) -> Result:
        """Check every rule for one program at the wanted start (else its earliest start)."""
        if wanted is None:
            return self.check_at_earliest(program)
        earliest = self.earliest(program)[0]
        start = first_start_from(program, wanted, self.context.today, whole_month)
        target = None if start is None else self._target(program, start, None)
        checks = self._checks(rule_inputs(program, target, earliest, asked=True))
        return Result(program, verdict_of(checks), target, checks, earliest)

    def earliest(self, program: Program) -> tuple[date | None, ApplyBy | None]:
        """Return the first allowed start with every preparation step on time, and its apply-by."""
        return self._earliest_by(program, self._earliest_inputs(program)[:-1])

    def check_at_earliest(self, program: Program) -> Result:
        """Check every rule for one program at its earliest start: ``check(program)``."""
        # rule_inputs(program, target, earliest, asked=False), rule by rule, with the parts
        # that many programs share worked out once: per requirement table, and per target.
        inputs = self._earliest_inputs(program)
        planned = self._planned.get(inputs) or self._plan(program, inputs)
        target, requires, weeks = planned.target, program.requires, inputs[-1]
        deadline, start = (target.apply_by, target.start) if target else (None, None)
        needs = self._by_requirements[id(requires)]
        known, work_out = self._known, self._work_out
        audience = (program.audience, target.last if target else None)
        student_year = (requires.student_year, target)
        years = (requires.max_years_since_graduation, target)
        step1, step2ck = (requires.step1, deadline), (requires.step2ck, deadline)
        score = (requires.min_step_score, deadline)
        visa = (requires.visas, weeks, start)
        checks = (
            planned.dates,
            known[1].get((program.status,)) or work_out(1, (program.status,)),
            known[2].get(audience) or work_out(2, audience),
            known[3].get(student_year) or work_out(3, student_year),
            known[4].get(years) or work_out(4, years),
            known[5].get(step1) or work_out(5, step1),
            known[6].get(step2ck) or work_out(6, step2ck),
            known[7].get(score) or work_out(7, score),
            needs.ecfmg_certified,
            needs.english,
            needs.residency_seekers,
            known[11].get(visa) or work_out(11, visa),
            needs.citizenship,
        )
        # Made as a plain tuple: a named tuple's own constructor is a Python call.
        made = (program, verdict_of(checks), target, checks, planned.earliest)
        return tuple.__new__(Result, made)

    def _plan(self, program: Program, inputs: tuple[Any, ...]) -> _Planned:
        earliest, applying = self._earliest_by(program, inputs[:-1])
        target = None if earliest is None else self._target(program, earliest, applying)
        minimum = inputs[3]
        dates = self._work_out(0, (target, earliest, False, minimum))
        planned = self._planned[inputs] = _Planned(earliest, target, dates)
        return planned

    def _earliest_inputs(self, program: Program) -> tuple[Any, ...]:
        # What the search for the earliest start reads, and the rotation's length. allowed_starts
        # and apply_by read no more of the program than its start rule, its windows and its
        # recommended lead; the floors stand for the profile's steps and the requirements.
        requires = program.requires
        needs = self._by_requirements.get(id(requires))
        if needs is None or needs.requires is not requires:
            needs = self._requirements(requires)
        weeks = program.weeks[0] if program.weeks else DEFAULT_WEEKS
        lead_time = program.lead_time
        recommended, minimum = (lead_time.recommended, lead_time.minimum) if lead_time else _NO_LEAD
        start_floor = needs.start_floors.get(weeks)
        if start_floor is None:
            start_floor = needs.start_floors[weeks] = self._floors.start_floor(
                requires.visas, weeks
            )
        return (
            program.starts,
            program.windows,
            recommended,
            minimum,
            needs.apply_floor,
            start_floor,
            weeks,
        )

    def _earliest_by(
        self, program: Program, inputs: tuple[Any, ...]
    ) -> tuple[date | None, ApplyBy | None]:
        found = self._earliest.get(inputs)
        if found is None:
            found = self._earliest[inputs] = self._first_on_time(program, *inputs[2:])
        return found

    def _first_on_time(
        self,
        program: Program,
        recommended: Duration | None,
        minimum: Duration | None,
        apply_floor: date,
        start_floor: date,
    ) -> tuple[date | None, ApplyBy | None]:
        # No earlier start can be on time, so the search begins at the floors.
        default_lead = self.context.rules.default_lead
        floors = self._floors
        minimum_floor = None if minimum is None else floors.lead_floor(minimum, self.context.today)
        if program.windows is None:
            first = max(start_floor, floors.lead_floor(recommended or default_lead, apply_floor))
            first = max(first, minimum_floor or first)
        else:
            first = max(start_floor, apply_floor + timedelta(days=1))  # windows close before
        for start in allowed_starts(program, first, self._limit):
            applying = apply_by(program, start, default_lead)
            if floors.allows_with(start, applying, start_floor, apply_floor, minimum_floor):
                return start, applying
        return None, None

    def _target(self, program: Program, start: date, applying: ApplyBy | None) -> Target:
        applying = applying or apply_by(program, start, self.context.rules.default_lead)
        end = last_day(start, rotation_weeks(program))
        return Target(start, end, applying.day, applying.window_start)

    def _requirements(self, requires: Requirements) -> _Requirements:
        # Kept by identity: the parsed copies share one object among equal tables. The entry
        # holds the object, so its id cannot pass to another while the entry is kept.
        english = english_needs(requires)
        found = self._by_requirements[id(requires)] = _Requirements(
            requires,
            self._floors.apply_floor(requires, english),
            {},
            self._work_out(8, (requires.ecfmg_certified,)),
            self._work_out(9, (english,)),
            self._work_out(10, (requires.excludes_residency_seekers,)),
            self._work_out(12, (requires.excluded_citizenships,)),
        )
        return found

    def _checks(self, inputs_by_rule: tuple[tuple[Any, ...], ...]) -> tuple[Check, ...]:
        return tuple(
            [
                self._known[number].get(inputs) or self._work_out(number, inputs)
                for number, inputs in enumerate(inputs_by_rule)
            ]
        )

    def _work_out(self, number: int, inputs: tuple[Any, ...]) -> Check:
        known = self._known[number]
        check = known.get(inputs)
        if check is None:
            check = known[inputs] = CHECKS[number](self.context, *inputs)
        return check


class _Requirements(NamedTuple):
    """What a checker works out once per requirement table."""

    requires: Requirements
    apply_floor: date
    start_floors: dict[int, date]  # by the rotation's length in weeks
    ecfmg_certified: Check
    english: Check
    residency_seekers: Check
    citizenship: Check


class _Planned(NamedTuple):
    """What a checker works out once per set of inputs to the earliest start."""

    earliest: date | None
    target: Target | None
    dates: Check


def verdict_of(checks: tuple[Check, ...]) -> str:
    """Return the verdict: any unmet, else any unknown, else any pending, else eligible."""
    statuses = {check.status for check in checks}
    if "unmet" in statuses:
        return "ineligible"
    if "unknown" in statuses:
        return "unknown"
    return "conditional" if "pending" in statuses else "eligible"
