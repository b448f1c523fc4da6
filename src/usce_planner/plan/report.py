"""The plan report: the timeline with its review, and its JSON document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from usce_planner.models.catalog import Catalog
from usce_planner.models.plan import SavedPlan
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules
from usce_planner.plan.hand_edits import rule_breaks
from usce_planner.plan.review import Finding, Totals, conflicts, totals, warnings
from usce_planner.plan.schedule import Schedule, back_schedule


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
        """Return False when any rotation is not feasible: a step late, or not eligible."""
        return all(view.feasible for view in self.schedule.rotations)

    def exit_reason(self) -> str:
        """Return why ``usce plan`` and ``usce export`` exit 3 (late steps, rotations not on
        time), in one line, or "" when they exit 0."""
        reasons = [f"{self.late_count} open step(s) LATE"] if self.late_count else []
        infeasible = [view.saved.key for view in self.schedule.rotations if not view.feasible]
        if infeasible:
            reasons.append(f"not feasible: {', '.join(infeasible)}")
        return "; ".join(reasons)

    @property
    def late_count(self) -> int:
        """Return how many open milestones are late (Match-cycle ones never count)."""
        return sum(milestone.is_late for milestone in self.schedule.milestones)


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is built from."""

    plan: SavedPlan
    profile: Profile
    catalog: Catalog
    rules: Rules
    saved: bool = False  # the plan was read from its file


def build_report(
    inputs: PlanInputs,
    plan: SavedPlan,
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
    warned += rule_breaks(plan, programs, today, inputs.saved)
    return PlanReport(
        today, schedule, found, warned, summed, plan.uid_token, inputs.catalog, notices
    )


def plan_json(report: PlanReport) -> dict[str, Any]:
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
                "notes": view.saved.notes,
                "verdict": view.verdict,
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
            "letters_unknown": report.totals.letters_unknown,
            "cost_usd": report.totals.cost_usd,
            "cost_parts": [
                {"what": part.what, "rotation": part.rotation, "usd": part.usd}
                for part in report.totals.cost_parts
            ],
            "not_included": list(report.totals.not_included),
        },
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
