"""Changes to the saved plan, each a read-modify-write under the plan's lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from usce_planner.app.plan import read_inputs
from usce_planner.app.session import Session
from usce_planner.dates import Duration
from usce_planner.eligibility import check_program
from usce_planner.errors import PlannerError
from usce_planner.models.catalog import Program
from usce_planner.models.plan import SavedPlan, SavedRotation
from usce_planner.plan.report import PlanInputs, PlanReport, build_report
from usce_planner.plan.rotation_checks import (
    check_program_cap,
    check_status_move,
    checked_start,
    checked_weeks,
)
from usce_planner.storage.plan_file import new_plan, plan_lock, save_plan
from usce_planner.timing.starts import StartWanted

Change = Callable[[PlanInputs], tuple[SavedPlan, tuple[str, ...]]]


def change_plan(session: Session, change: Change) -> tuple[PlanReport, tuple[str, ...]]:
    """Apply one change to the saved plan under its lock, save it, and return the new timeline."""
    path = session.locations.plan
    with plan_lock(path):
        inputs = read_inputs(session)
        plan, notices = change(inputs)
        if plan.uid_token == "adhoc":
            # The first save gives the plan its own token for calendar UIDs.
            plan = plan.model_copy(update={"uid_token": new_plan().uid_token})
        save_plan(path, plan)
    inputs = PlanInputs(plan, inputs.profile, inputs.catalog, inputs.rules)
    return build_report(inputs, plan, session.today, inputs.profile.target_match), notices


def add_rotation(
    program_id: str, wanted: StartWanted, weeks: int | None, status: str, on: date, today: date
) -> Change:
    """Return the change that adds a rotation after checking its start, length and cap."""

    def change(inputs: PlanInputs) -> tuple[SavedPlan, tuple[str, ...]]:
        _check_on(on, today)
        program = inputs.catalog.get(program_id)
        start = checked_start(program, wanted, today, status)
        if status == "completed" and start > today:
            raise PlannerError(
                f"plan: {program.id}: a rotation starting {start.isoformat()} "
                "cannot be completed yet"
            )
        length, notices = checked_weeks(program, weeks)
        rotation = SavedRotation(
            program=program.id,
            start=start,
            weeks=length,
            status=status,  # type: ignore[arg-type]  # checked by the CLI
            history={"planned": on} if status == "planned" else {"planned": on, status: on},  # type: ignore[dict-item]
        )
        if any(r.key == rotation.key for r in inputs.plan.rotation):
            raise PlannerError(f"plan: {rotation.key} is in the plan already")
        if rotation.is_live:
            check_program_cap(program, inputs.plan.rotation, length)
        plan = inputs.plan.model_copy(update={"rotation": (*inputs.plan.rotation, rotation)})
        return plan, (
            *notices,
            *_eligibility_notice(inputs, program, start, status, today),
            f"Added {rotation.key} ({Duration(length, 'weeks')}, {status})",
        )

    return change


def _eligibility_notice(
    inputs: PlanInputs, program: Program, start: date, status: str, today: date
) -> tuple[str, ...]:
    # Planning a rotation one cannot do is allowed (the source may be out of date), not silent.
    if status != "planned":
        return ()
    result = check_program(program, inputs.profile, inputs.rules, today, start)
    reason = result.first_reason()
    if result.verdict != "ineligible" or reason is None:
        return ()
    return (
        f"Notice: {program.id}: {result.verdict} at this start ({reason.rule}: {reason.detail}); "
        f"see `usce eligible --explain {program.id} --start {start.isoformat()}`",
    )


def remove_rotation(key: str) -> Change:
    """Return the change that removes one rotation (by key, or by an unambiguous program id)."""

    def change(inputs: PlanInputs) -> tuple[SavedPlan, tuple[str, ...]]:
        rotation = inputs.plan.key_of(key)
        kept = tuple(r for r in inputs.plan.rotation if r.key != rotation.key)
        return inputs.plan.model_copy(update={"rotation": kept}), (f"Removed {rotation.key}",)

    return change


def set_status(key: str, status: str, on: date, today: date) -> Change:
    """Return the change that moves a rotation's status forward (or ends it)."""

    def change(inputs: PlanInputs) -> tuple[SavedPlan, tuple[str, ...]]:
        rotation = inputs.plan.key_of(key)
        check_status_move(rotation, status, on, today)
        moved = rotation.model_copy(
            update={"status": status, "history": {**rotation.history, status: on}}
        )
        rotations = tuple(moved if r.key == rotation.key else r for r in inputs.plan.rotation)
        message = f"{rotation.key}: {rotation.status} -> {status} on {on.isoformat()}"
        return inputs.plan.model_copy(update={"rotation": rotations}), (message,)

    return change


def mark_done(milestone_id: str, on: date, today: date) -> Change:
    """Return the change that marks one milestone done on a day."""

    def change(inputs: PlanInputs) -> tuple[SavedPlan, tuple[str, ...]]:
        _check_on(on, today)
        report = build_report(inputs, inputs.plan, today, _any_match(milestone_id, inputs))
        known = {m.id for m in report.schedule.milestones}
        if milestone_id not in known:
            raise PlannerError(
                f"plan: no milestone '{milestone_id}'; `usce plan --json` lists the ids"
            )
        plan = inputs.plan
        if milestone_id.startswith(("me:", "match-")):
            plan = plan.model_copy(update={"done": {**plan.done, milestone_id: on}})
        else:
            key, _, suffix = milestone_id.rpartition(":")
            rotation = plan.key_of(key)
            marked = rotation.model_copy(update={"done": {**rotation.done, suffix: on}})
            rotations = tuple(marked if r.key == key else r for r in plan.rotation)
            plan = plan.model_copy(update={"rotation": rotations})
        return plan, (f"Marked {milestone_id} done on {on.isoformat()}",)

    return change


def _any_match(milestone_id: str, inputs: PlanInputs) -> int | None:
    # A Match milestone of any year can be marked, not only the profile's target year's.
    if milestone_id.startswith("match-"):
        year = milestone_id.split(":", 1)[0].removeprefix("match-")
        return int(year) if year.isdigit() else None
    return inputs.profile.target_match


def _check_on(on: date, today: date) -> None:
    if on > today:
        raise PlannerError(f"plan: --on {on.isoformat()} is after today ({today.isoformat()})")
