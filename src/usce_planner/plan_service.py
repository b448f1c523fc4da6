"""Use cases of ``usce plan``: show the timeline (saved, what-if or example) and change the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from usce_planner.catalog import Catalog
from usce_planner.eligibility_service import StartWanted
from usce_planner.errors import PlannerError
from usce_planner.example import example_plan, example_profile
from usce_planner.models import Profile
from usce_planner.plan_file import PlanFile, SavedRotation, load_plan
from usce_planner.plan_review import Finding, Totals, conflicts, totals, warnings
from usce_planner.profile import load_profile
from usce_planner.rotation_checks import check_program_cap, checked_start, checked_weeks
from usce_planner.rules import Rules, shipped_rules
from usce_planner.schedule import Schedule, back_schedule
from usce_planner.services import Session, open_catalog


@dataclass(frozen=True)
class WhatIf:
    """A rotation to try without saving it: ``--program ID --start DATE [--weeks N] [--alone]``."""

    program: str
    start: StartWanted
    weeks: int | None = None
    alone: bool = False


@dataclass(frozen=True)
class PlanReport:
    """The timeline with its conflicts, warnings and totals."""

    today: date
    schedule: Schedule
    conflicts: list[Finding]
    warnings: list[Finding]
    totals: Totals
    uid_token: str
    catalog: Catalog
    notices: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        """Return False when any rotation has a step before it that is already late."""
        return all(view.feasible for view in self.schedule.rotations)

    @property
    def late_count(self) -> int:
        """Return how many open milestones are late (Match-cycle ones never count)."""
        return sum(milestone.is_late for milestone in self.schedule.milestones)


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is built from."""

    plan: PlanFile
    profile: Profile
    catalog: Catalog
    rules: Rules


def read_inputs(session: Session, example: bool = False) -> PlanInputs:
    """Load the profile, the saved plan (or the example) and the catalog."""
    catalog = open_catalog(session)
    rules = shipped_rules(session.locations.cache)
    if example:
        profile = example_profile(session.today)
        plan = example_plan(session.today, profile, catalog, rules)
    else:
        profile = load_profile(session.locations.profile, session.locations.cache)
        # Without a saved plan, calendar UIDs carry "adhoc" so that exports stay stable.
        plan = load_plan(session.locations.plan) or PlanFile(uid_token="adhoc")
    return PlanInputs(plan, profile, catalog, rules)


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


def build_report(
    inputs: PlanInputs,
    plan: PlanFile,
    today: date,
    match_year: int | None,
    notices: tuple[str, ...] = (),
) -> PlanReport:
    """Back-schedule a plan and review it."""
    programs = {program.id: program for program in inputs.catalog.programs}
    schedule = back_schedule(
        plan.rotation, programs, inputs.profile, inputs.rules, today, plan.done, match_year
    )
    found = conflicts(schedule, inputs.profile, inputs.rules)
    summed = totals(schedule, inputs.profile, inputs.rules)
    warned = warnings(schedule, inputs.profile, inputs.rules, summed)
    return PlanReport(
        today, schedule, found, warned, summed, plan.uid_token, inputs.catalog, notices
    )


def plan_document(report: PlanReport) -> dict[str, Any]:
    """Return the plan as ``usce plan --json`` gives it."""
    return {
        "today": report.today.isoformat(),
        "feasible": report.feasible,
        "rotations": [
            {
                "key": view.saved.key,
                "program": view.saved.program,
                "start": view.saved.start.isoformat(),
                "end": view.end.isoformat(),
                "weeks": view.saved.weeks,
                "status": view.saved.status,
                "feasible": view.feasible,
                "earliest_start": _iso(view.earliest_start),
            }
            for view in report.schedule.rotations
        ],
        "milestones": [
            {
                "id": m.id,
                "kind": m.kind,
                "rotation": m.rotation,
                "program": m.program,
                "title": m.title,
                "date": m.day.isoformat(),
                "window_start": _iso(m.window_start),
                "late_by_days": m.late_by_days,
                "done": _iso(m.done),
            }
            for m in report.schedule.milestones
        ],
        "conflicts": [
            {"kind": c.kind, "ids": list(c.ids), "detail": c.detail} for c in report.conflicts
        ],
        "warnings": [{"kind": w.kind, "id": w.ids[0], "detail": w.detail} for w in report.warnings],
        "totals": {
            "weeks": report.totals.weeks,
            "hands_on_weeks": report.totals.hands_on_weeks,
            "observation_weeks": report.totals.observation_weeks,
            "unknown_hands_on_weeks": report.totals.unknown_hands_on_weeks,
            "letters_possible": report.totals.letters_possible,
            "letters_discretionary": report.totals.letters_discretionary,
            "cost_usd": report.totals.cost_usd,
            "not_included": list(report.totals.not_included),
        },
    }


def _what_if_rotation(
    inputs: PlanInputs, what_if: WhatIf, today: date
) -> tuple[SavedRotation, tuple[str, ...]]:
    program = inputs.catalog.get(what_if.program)
    start = checked_start(program, what_if.start, today, "planned")
    weeks, notices = checked_weeks(program, what_if.weeks)
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


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
