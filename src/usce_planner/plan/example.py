"""The example profile, made from today so that the example never goes stale."""

from __future__ import annotations

from datetime import date, timedelta

from usce_planner.dates import add_months
from usce_planner.eligibility import Checker
from usce_planner.errors import PlannerError
from usce_planner.models.catalog import Catalog, Program
from usce_planner.models.plan import SavedPlan, SavedRotation
from usce_planner.models.profile import FIRST_MATCH, LAST_MATCH, ExamRecord, Profile, VisaStatus
from usce_planner.models.rules import Rules
from usce_planner.timing.preparation import is_feasible_start
from usce_planner.timing.starts import allowed_starts, last_day, rotation_weeks, search_limit

# Calendar UIDs of the example carry this token instead of a plan's own.
EXAMPLE_TOKEN = "example"


def example_match_year(today: date) -> int:
    """Return the first March Match whose ERAS submission (1 September before) is 15 months away."""
    earliest_submission = add_months(today, 15)
    year = earliest_submission.year + 1
    if date(year - 1, 9, 1) < earliest_submission:
        year += 1
    return year


def example_profile(today: date) -> Profile:
    """Return a graduate of one year ago, Step 1 passed two years ago, aiming for a Match ahead.

    Raise PlannerError when its dates, worked out from ``today``, would be out of range.
    """
    match = example_match_year(today)
    if not FIRST_MATCH <= match <= LAST_MATCH:
        raise PlannerError(
            f"--example: made from today ({today.isoformat()}), the example's Match would be "
            f"in {match}, out of range (Match years run from {FIRST_MATCH} to {LAST_MATCH})"
        )
    return Profile(
        schema_=1,
        name="Example graduate",
        stage="graduate",
        graduation=add_months(today, -12),
        citizenship="IN",
        seeking_residency=True,
        target_match=match,
        specialties=("internal-medicine",),
        english_medium_school=True,
        ecfmg_certified=False,
        step1=ExamRecord(status="passed", date=add_months(today, -24)),
        visa=VisaStatus(holds="none", consulate_wait_weeks=12),
    )


def example_plan(today: date, profile: Profile, catalog: Catalog, rules: Rules) -> SavedPlan:
    """Return two planned observerships open to graduates, 8 and 11 months ahead or later.

    Each starts at the first allowed start from that day on at which every step before it is
    still on time, so the example has nothing late on any day it is made.
    """
    candidates = sorted(
        (
            p
            for p in catalog.programs
            if p.kind == "observership" and p.status == "open" and "graduate" in (p.audience or ())
        ),
        key=lambda p: p.id,
    )
    rotations: list[SavedRotation] = []
    not_before = add_months(today, 8)
    checker = Checker(profile, rules, today)
    for program in candidates:
        start = _first_feasible_start(program, profile, rules, today, not_before)
        if start is None:
            continue
        weeks = rotation_weeks(program)
        if checker.check_rotation(program, start, weeks).verdict == "ineligible":
            continue  # the plan re-checks each rotation; the example must stay on time
        rotations.append(
            SavedRotation(program=program.id, start=start, weeks=weeks, status="planned")
        )
        if len(rotations) == 2:
            break
        not_before = max(add_months(today, 11), last_day(start, weeks) + timedelta(days=1))
    return SavedPlan(uid_token=EXAMPLE_TOKEN, rotation=tuple(rotations))


def _first_feasible_start(
    program: Program, profile: Profile, rules: Rules, today: date, not_before: date
) -> date | None:
    for start in allowed_starts(program, not_before, search_limit(today)):
        if is_feasible_start(program, start, profile, rules, today):
            return start
    return None
