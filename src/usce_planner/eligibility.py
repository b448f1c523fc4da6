"""Eligibility: every rule of one program checked against the profile at the dates that matter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from usce_planner.checks import CHECKS, Check, Facts, Target
from usce_planner.dates import last_of_month
from usce_planner.models import Profile, Program
from usce_planner.preparation import is_feasible_start
from usce_planner.rules import Rules
from usce_planner.starts import allowed_starts, apply_by, last_day, rotation_weeks, search_limit

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
    for start in allowed_starts(
        program, _no_earlier_than(program, rules, today), search_limit(today)
    ):
        if is_feasible_start(program, start, profile, rules, today):
            return start
    return None


def _no_earlier_than(program: Program, rules: Rules, today: date) -> date:
    # A lower bound, not an answer: any earlier start S has S - lead before today + 42 days, so its
    # letters request (42 days before applying) is already late. Month arithmetic clamps, yet
    # S - lead stays monotone in S, which is all this needs.
    letters = (
        rules.duration("documents_before_apply").count
        + rules.duration("letters_before_documents").count
    )
    if program.windows is not None:
        return today + timedelta(days=letters + 1)
    lead = (program.lead_time.recommended if program.lead_time else None) or rules.default_lead
    return lead.after(today + timedelta(days=letters))


def first_start_from(program: Program, wanted: date, today: date, whole_month: bool) -> date | None:
    """Return the first allowed start on or after ``wanted`` (or within its month)."""
    limit = search_limit(today)
    last = min(last_of_month(wanted), limit) if whole_month else limit
    return next(allowed_starts(program, wanted, last), None)


def make_target(program: Program, start: date, rules: Rules, weeks: int | None = None) -> Target:
    """Return the target rotation for a start: last day and apply-by date."""
    applying = apply_by(program, start, rules.default_lead)
    end = last_day(start, rotation_weeks(program, weeks))
    return Target(start, end, applying.day, applying.window_start)


def check_program(
    program: Program,
    profile: Profile,
    rules: Rules,
    today: date,
    wanted: date | None = None,
    whole_month: bool = False,
) -> Result:
    """Check every rule for one program at the wanted start (else its earliest start)."""
    earliest = earliest_start(program, profile, rules, today)
    start = earliest if wanted is None else first_start_from(program, wanted, today, whole_month)
    target = None if start is None else make_target(program, start, rules)
    facts = Facts(profile, program, rules, today, target, earliest, asked=wanted is not None)
    checks = tuple(check(facts) for check in CHECKS)
    return Result(program, verdict_of(checks), target, checks, earliest)


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
