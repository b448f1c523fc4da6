"""Changes to the saved plan, each a read-modify-write under the plan's lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from usce_planner.app.plan import read_inputs
from usce_planner.app.session import Session
from usce_planner.dates import Duration
from usce_planner.eligibility import Checker
from usce_planner.errors import PlannerError
from usce_planner.models.catalog import Program
from usce_planner.models.plan import SavedPlan, SavedRotation
from usce_planner.models.profile import FIRST_MATCH, LAST_MATCH
from usce_planner.models.rules import Rules
from usce_planner.names import closest_names, did_you_mean
from usce_planner.plan.report import PlanInputs, PlanReport, build_report
from usce_planner.plan.rotation_checks import (
    check_applied_on,
    check_end_in_range,
    check_program_cap,
    check_status_move,
    checked_start,
    checked_weeks,
)
from usce_planner.plan.schedule import Milestone
from usce_planner.storage.plan_file import new_plan, plan_lock, save_plan
from usce_planner.timing.starts import StartWanted, apply_by

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
        opens = _window_opens(program, start, inputs.rules)
        check_applied_on(f"{program.id}@{start.isoformat()}", status, on, opens)
        length, notices = checked_weeks(program, weeks)
        check_end_in_range(program, start, length)
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
            *_eligibility_notice(inputs, program, start, length, status, today),
            f"Added {rotation.key} ({Duration(length, 'weeks')}, {status})",
        )

    return change


def _eligibility_notice(
    inputs: PlanInputs, program: Program, start: date, weeks: int, status: str, today: date
) -> tuple[str, ...]:
    # Planning a rotation one cannot do is allowed (the source may be out of date), not silent.
    if status == "completed" or start <= today:
        return ()
    checker = Checker(inputs.profile, inputs.rules, today)
    result = checker.check_rotation(program, start, weeks)
    reason = result.first_reason()
    if result.verdict != "ineligible" or reason is None:
        return ()
    return (
        f"Notice: {program.id}: ineligible at this start ({reason.rule}: {reason.detail}); "
        "added anyway, and `usce plan` shows it as a conflict; see "
        f"`usce eligible --explain {program.id} --start {start.isoformat()}`",
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
        program = next((p for p in inputs.catalog.programs if p.id == rotation.program), None)
        opens = _window_opens(program, rotation.start, inputs.rules)
        check_status_move(rotation, status, on, today, opens)
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
        wanted = full_milestone_id(milestone_id, inputs.plan)
        report = build_report(inputs, inputs.plan, today, _any_match(wanted, inputs))
        milestone = _known_milestone(wanted, milestone_id, report)
        if milestone.window_start is not None and on < milestone.window_start:
            raise PlannerError(
                f"plan: {wanted}: done on {on.isoformat()} is before "
                f"{milestone.window_start.isoformat()}, the earliest day it counts"
            )
        plan = inputs.plan
        if _is_person_or_match(wanted):
            plan = plan.model_copy(update={"done": {**plan.done, wanted: on}})
        else:
            key, _, suffix = wanted.rpartition(":")
            rotation = plan.key_of(key)
            marked = rotation.model_copy(update={"done": {**rotation.done, suffix: on}})
            plan = _replace_rotation(plan, marked)
        return plan, (f"Marked {wanted} done on {on.isoformat()}",)

    return change


def unmark_done(milestone_id: str, today: date) -> Change:
    """Return the change that takes a done mark back; marks from a status or the profile stay."""

    def change(inputs: PlanInputs) -> tuple[SavedPlan, tuple[str, ...]]:
        wanted = full_milestone_id(milestone_id, inputs.plan)
        plan = inputs.plan
        message = (f"{wanted} is open again",)
        if _is_person_or_match(wanted):
            if wanted in plan.done:
                kept = {k: v for k, v in plan.done.items() if k != wanted}
                return plan.model_copy(update={"done": kept}), message
        else:
            key, _, suffix = wanted.rpartition(":")
            rotation = plan.key_of(key)
            if suffix in rotation.done:
                kept = {k: v for k, v in rotation.done.items() if k != suffix}
                return _replace_rotation(plan, rotation.model_copy(update={"done": kept})), message
        report = build_report(inputs, plan, today, _any_match(wanted, inputs))
        milestone = _known_milestone(wanted, milestone_id, report)
        if milestone.done is None:
            raise PlannerError(f"plan: {wanted} is not marked done")
        raise PlannerError(f"plan: {wanted}: {_mark_source(milestone, plan)}")

    return change


def set_note(key: str, text: str) -> Change:
    """Return the change that sets (or, with empty text, clears) a rotation's notes."""

    def change(inputs: PlanInputs) -> tuple[SavedPlan, tuple[str, ...]]:
        rotation = inputs.plan.key_of(key)
        plan = _replace_rotation(inputs.plan, rotation.model_copy(update={"notes": text}))
        said = f"Noted on {rotation.key}" if text else f"Cleared the note of {rotation.key}"
        return plan, (said,)

    return change


def full_milestone_id(milestone_id: str, plan: SavedPlan) -> str:
    """Return the milestone id with its rotation key in full (a bare program id may name it)."""
    if _is_person_or_match(milestone_id) or ":" not in milestone_id:
        return milestone_id
    key, _, suffix = milestone_id.rpartition(":")
    if "@" in key or not any(r.program == key for r in plan.rotation):
        return milestone_id
    return f"{plan.key_of(key).key}:{suffix}"


def _known_milestone(wanted: str, given: str, report: PlanReport) -> Milestone:
    by_id = {m.id: m for m in report.schedule.milestones}
    if wanted in by_id:
        return by_id[wanted]
    key, _, suffix = wanted.rpartition(":")
    # Within a rotation that exists, only its own steps are close: the key is the same.
    own = [i.rpartition(":")[2] for i in by_id if i.rpartition(":")[0] == key]
    candidates = [f"{key}:{name}" for name in closest_names(suffix, own)] if own else by_id
    hint = did_you_mean(wanted, candidates) or "; `usce plan` shows the ids"
    raise PlannerError(f"plan: no milestone '{given}'{hint}")


def _mark_source(milestone: Milestone, plan: SavedPlan) -> str:
    # Marks not stored as such follow from the rotation's status or from the profile.
    if milestone.rotation is None:
        return "done because of your profile; change it with `usce profile set`"
    rotation = plan.key_of(milestone.rotation)
    return (
        f"done because the rotation is {rotation.status}; "
        "the status moves forward only (withdrawn or rejected end it)"
    )


def _is_person_or_match(milestone_id: str) -> bool:
    return milestone_id.startswith(("me:", "match-"))


def _replace_rotation(plan: SavedPlan, changed: SavedRotation) -> SavedPlan:
    rotations = tuple(changed if r.key == changed.key else r for r in plan.rotation)
    return plan.model_copy(update={"rotation": rotations})


def _window_opens(program: Program | None, start: date, rules: Rules) -> date | None:
    return apply_by(program, start, rules.default_lead).window_start if program else None


def _any_match(milestone_id: str, inputs: PlanInputs) -> int | None:
    # A Match milestone of any year can be marked, not only the profile's target year's.
    if milestone_id.startswith("match-"):
        text = milestone_id.split(":", 1)[0].removeprefix("match-")
        year = int(text) if text.isdigit() and text.isascii() else None
        if year is None or not FIRST_MATCH <= year <= LAST_MATCH:
            raise PlannerError(
                f"plan: no milestone '{milestone_id}'; Match years run from {FIRST_MATCH} "
                f"to {LAST_MATCH}"
            )
        return year
    return inputs.profile.target_match


def _check_on(on: date, today: date) -> None:
    if on > today:
        raise PlannerError(f"plan: --on {on.isoformat()} is after today ({today.isoformat()})")
