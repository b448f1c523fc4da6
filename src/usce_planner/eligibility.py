"""Eligibility: every rule of one program checked against the profile at the dates that matter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from usce_planner.checks import CHECKS, Check, Context, Target, rule_inputs
from usce_planner.dates import last_of_month
from usce_planner.models import Profile, Program
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

    A catalog is checked with one checker, which keeps each rule's checks by the rule's own
    inputs (``rule_inputs``): programs share statuses, audiences, requirements and target
    dates, so most checks are looked up rather than worked out and written out again.
    """

    def __init__(self, profile: Profile, rules: Rules, today: date) -> None:
        self.context = Context(profile, rules, today)
        self._floors = Floors(self.context)
        self._limit = search_limit(today)
        self._known: tuple[dict[tuple[Any, ...], Check], ...] = tuple({} for _ in CHECKS)

    def earliest(self, program: Program) -> tuple[date | None, ApplyBy | None]:
        """Return the first allowed start with every preparation step on time, and its apply-by."""
        default_lead = self.context.rules.default_lead
        floors = self._floors
        apply_floor, start_floor = floors.apply_floor(program), floors.start_floor(program)
        minimum = floors.minimum_floor(program)
        if program.windows is None:
            # Every step moves forward with the start: the first start past the floors is the one.
            lead = (program.lead_time.recommended if program.lead_time else None) or default_lead
            first = max(start_floor, floors.lead_floor(lead, apply_floor), minimum or start_floor)
        else:
            # A window closes before the starts it serves.
            first = max(start_floor, apply_floor + timedelta(days=1))
        for start in allowed_starts(program, first, self._limit):
            applying = apply_by(program, start, default_lead)
            on_time = start >= start_floor and applying.day >= apply_floor
            if on_time and (minimum is None or applying.from_window or start >= minimum):
                return start, applying
        return None, None

    def check(
        self, program: Program, wanted: date | None = None, whole_month: bool = False
    ) -> Result:
        """Check every rule for one program at the wanted start (else its earliest start)."""
        earliest, applying = self.earliest(program)
        if wanted is not None:
            start = first_start_from(program, wanted, self.context.today, whole_month)
            applying = None
        else:
            start = earliest
        target = None
        if start is not None:
            rules = self.context.rules
            applying = applying or apply_by(program, start, rules.default_lead)
            end = last_day(start, rotation_weeks(program))
            target = Target(start, end, applying.day, applying.window_start)
        checks = []
        context = self.context
        inputs_by_rule = rule_inputs(program, target, earliest, wanted is not None)
        for rule, known, inputs in zip(CHECKS, self._known, inputs_by_rule, strict=True):
            check = known.get(inputs)
            if check is None:
                check = known[inputs] = rule(context, *inputs)
            checks.append(check)
        done = tuple(checks)
        return Result(program, verdict_of(done), target, done, earliest)


def verdict_of(checks: tuple[Check, ...]) -> str:
    """Return the verdict: any unmet, else any unknown, else any pending, else eligible."""
    statuses = {check.status for check in checks}
    for status, verdict in (
        ("unmet", "ineligible"),
        ("unknown", "unknown"),
        ("pending", "conditional"),
    ):
        if status in statuses:
            return verdict
    return "eligible"
