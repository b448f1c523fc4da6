"""The plan use case: read the inputs, add a what-if, build the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from usce_planner.app.session import Session, open_catalog
from usce_planner.errors import PlannerError
from usce_planner.models.plan import SavedPlan, SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.plan.example import example_plan, example_profile
from usce_planner.plan.report import PlanInputs, PlanReport, build_report
from usce_planner.plan.rotation_checks import (
    check_end_in_range,
    check_program_cap,
    checked_start,
    checked_weeks,
)
from usce_planner.storage.plan_file import load_plan
from usce_planner.storage.profile_file import load_profile
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.starts import StartWanted


@dataclass(frozen=True)
class WhatIf:
    """A rotation to try without saving it: ``--program ID --start DATE [--weeks N] [--alone]``."""

    program: str
    start: StartWanted
    weeks: int | None = None
    alone: bool = False


def read_inputs(session: Session, example: bool = False) -> PlanInputs:
    """Load the profile, the saved plan (or the example) and the catalog."""
    catalog = open_catalog(session)
    rules = shipped_rules(session.locations.cache)
    if example:
        profile = example_profile(session.today)
        plan = example_plan(session.today, profile, catalog, rules)
        return PlanInputs(plan, profile, catalog, rules)
    profile = load_profile(session.locations.profile, session.locations.cache)
    saved = load_plan(session.locations.plan, session.locations.cache)
    # Without a saved plan, calendar UIDs carry "adhoc" so that exports stay stable.
    plan = saved or SavedPlan(uid_token="adhoc")
    return PlanInputs(plan, profile, catalog, rules, saved=saved is not None)


def show_plan(
    session: Session,
    what_if: WhatIf | None = None,
    match: int | bool = True,
    example: bool = False,
) -> PlanReport:
    """Build the timeline of the saved plan, the example, or a what-if on top of either."""
    inputs = read_inputs(session, example)
    plan, notices = inputs.plan, tuple[str, ...]()
    if what_if is not None:
        rotation, notices = _what_if_rotation(inputs, what_if, session.today)
        kept = () if what_if.alone else plan.rotation
        plan = plan.model_copy(update={"rotation": (*kept, rotation)})
    return build_report(inputs, plan, session.today, _match_year(match, inputs.profile), notices)


def _what_if_rotation(
    inputs: PlanInputs, what_if: WhatIf, today: date
) -> tuple[SavedRotation, tuple[str, ...]]:
    program = inputs.catalog.get(what_if.program)
    start = checked_start(program, what_if.start, today, "planned")
    weeks, notices = checked_weeks(program, what_if.weeks)
    check_end_in_range(program, start, weeks)
    rotation = SavedRotation(program=program.id, start=start, weeks=weeks)
    if not what_if.alone:
        if any(r.key == rotation.key for r in inputs.plan.rotation):
            raise PlannerError(f"plan: {rotation.key} is in the saved plan already")
        check_program_cap(program, inputs.plan.rotation, weeks)
    return rotation, notices


def _match_year(match: int | bool, profile: Profile) -> int | None:
    # True: the profile's target Match (if any); False: none; a year: that Match.
    if match is True:
        return profile.target_match
    if match is False:
        return None
    return match
