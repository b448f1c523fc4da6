"""Properties of the back-scheduler over generated plans, profiles and days (section 8)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, get_args

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from usce_planner.eligibility import earliest_start
from usce_planner.models.catalog import Program
from usce_planner.models.plan import RotationStatus, SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.plan.schedule import PRE_START, Schedule, back_schedule
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.starts import allowed_starts, rotation_weeks

RULES = shipped_rules()
RESULT_DELAY = timedelta(days=28)
STATUSES: tuple[RotationStatus, ...] = get_args(RotationStatus)
BASE_PROGRAM: dict[str, Any] = {
    "institution": "Example Hospital", "name": "Observership", "kind": "observership",
    "status": "open", "state": "NY", "source": "https://example.org/observe",
    "source_date": "2025", "verified": date(2026, 11, 25), "confidence": "high",
}  # fmt: skip
PROGRAMS = {
    p.id: p
    for p in (
        Program.model_validate({**BASE_PROGRAM, **fields})
        for fields in (
            {"id": "any", "starts": "any-day", "weeks": [2, 4]},
            {"id": "mon", "starts": "any-monday", "weeks": [4, 8],
             "lead_time": {"recommended": "3 months", "minimum": "6 weeks"},
             "requires": {"step1": True, "english": True}},
            {"id": "first", "starts": "first-monday", "weeks": [4], "requires": {"step2ck": True},
             "windows": [{"opens": "01-01", "closes": "03-31", "starts_from": "07-01", "starts_to": "12-31"}]},
            {"id": "fixed", "starts": [date(2027, 1, 4), date(2027, 7, 5), date(2028, 1, 3), date(2028, 7, 3), date(2029, 1, 1)],
             "weeks": [6], "lead_time": {"recommended": "10 weeks"}, "requires": {"visas": ["b1", "b2"]}},
            {"id": "oneoff", "weeks": [4], "requires": {"step1": True, "step2ck": True},
             "windows": [{"opens": date(2027, 3, 1), "closes": date(2027, 5, 31), "starts_from": date(2027, 9, 1), "starts_to": date(2028, 2, 29)}]},
            {"id": "long", "starts": "any-monday", "weeks": [16], "lead_time": {"recommended": "1 month"}},
        )
    )
}  # fmt: skip

todays = st.dates(date(2026, 1, 1), date(2029, 12, 31))


@st.composite
def profiles(draw: st.DrawFn, today: date) -> Profile:
    """Return a graduate with exams passed, booked or not taken, and some visa situation."""
    fields: dict[str, Any] = {"schema": 1, "stage": "graduate", "graduation": date(2024, 6, 30)}
    fields["citizenship"] = draw(st.sampled_from(["IN", "GB", "CA", "NG", "DE"]))
    fields["english_medium_school"] = draw(st.booleans())
    for exam in ("step1", "step2ck"):
        kind = draw(st.sampled_from(["none", "passed", "scheduled"]))
        if kind == "passed":
            fields[exam] = {"status": "passed", "date": today - timedelta(days=100)}
        elif kind == "scheduled":
            offset = draw(st.integers(0, 500))
            fields[exam] = {"status": "scheduled", "date": today + timedelta(days=offset)}
    if draw(st.booleans()):
        fields["visa"] = {"consulate_wait_weeks": draw(st.integers(0, 40))}
    return Profile.model_validate(fields)


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[SavedRotation], Profile, date]:
    """Return rotations at the programs above (unique keys), a profile and today."""
    today = draw(todays)
    rotations: dict[str, SavedRotation] = {}
    for _ in range(draw(st.integers(0, 6))):
        program = PROGRAMS[draw(st.sampled_from(sorted(PROGRAMS)))]
        start = today + timedelta(days=draw(st.integers(-200, 900)))
        weeks = draw(st.sampled_from(program.weeks or (4,)))
        status = draw(st.sampled_from(STATUSES))
        history: dict[RotationStatus, date] = {
            "planned": today - timedelta(days=draw(st.integers(0, 300)))
        }
        if status != "planned":
            history[status] = today - timedelta(days=draw(st.integers(0, 100)))
        saved = SavedRotation(
            program=program.id, start=start, weeks=weeks, status=status, history=history
        )
        rotations[saved.key] = saved
    return list(rotations.values()), draw(profiles(today)), today


def schedule_of(
    rotations: list[SavedRotation], profile: Profile, today: date, match: int | None = None
) -> Schedule:
    return back_schedule(rotations, PROGRAMS, profile, RULES, today, {}, match)


@settings(deadline=None, max_examples=300)
@given(plans(), st.none() | st.integers(2026, 2031))
def test_milestone_ids_are_unique_and_sorted_by_date_then_id(
    plan: tuple[list[SavedRotation], Profile, date], match: int | None
) -> None:
    rotations, profile, today = plan
    milestones = schedule_of(rotations, profile, today, match).milestones
    ids = [m.id for m in milestones]
    assert len(ids) == len(set(ids))
    assert [(m.day, m.id) for m in milestones] == sorted((m.day, m.id) for m in milestones)
    live = {r.key for r in rotations if r.status not in ("rejected", "withdrawn")}
    for m in milestones:
        assert m.rotation is None or m.rotation in live, m
        open_and_dated = m.done is None and m.kind != "rotation"
        assert m.late_by_days == (max(0, (today - m.day).days) if open_and_dated else 0), m


@settings(deadline=None, max_examples=300)
@given(plans())
def test_no_step_before_a_rotation_is_dated_after_its_start(
    plan: tuple[list[SavedRotation], Profile, date],
) -> None:
    rotations, profile, today = plan
    starts = {r.key: r.start for r in rotations}
    for milestone in schedule_of(rotations, profile, today).milestones:
        if milestone.kind in PRE_START:
            assert milestone.rotation is not None
            assert milestone.day <= starts[milestone.rotation], milestone
        if milestone.window_start is not None:
            assert milestone.window_start <= milestone.day, milestone


def results_after_apply_by(program: Program, profile: Profile, apply_by: date) -> bool:
    """Return True when a Step the program requires is booked with its result after apply-by."""
    for exam in ("step1", "step2ck"):
        record = getattr(profile, exam)
        required = getattr(program.requires, exam)
        if required and record is not None and record.status == "scheduled":
            assert record.date is not None
            if record.date + RESULT_DELAY > apply_by:
                return True
    return False


@settings(deadline=None, max_examples=200)
@given(
    st.sampled_from(sorted(PROGRAMS)), todays.flatmap(lambda d: st.tuples(st.just(d), profiles(d)))
)
def test_the_earliest_start_is_on_time_and_the_start_before_it_is_not(
    program_id: str, drawn: tuple[date, Profile]
) -> None:
    today, profile = drawn
    program = PROGRAMS[program_id]
    earliest = earliest_start(program, profile, RULES, today)
    assume(earliest is not None)
    assert earliest is not None
    weeks = rotation_weeks(program)
    at_earliest = SavedRotation(program=program_id, start=earliest, weeks=weeks)
    schedule = schedule_of([at_earliest], profile, today)
    assert [m.id for m in schedule.milestones if m.is_late] == []
    view = schedule.rotations[0]
    assert not view.late
    assert view.feasible is (view.verdict != "ineligible")
    earlier = list(
        allowed_starts(program, today - timedelta(days=400), earliest - timedelta(days=1))
    )
    assume(earlier)
    before = SavedRotation(program=program_id, start=earlier[-1], weeks=weeks)
    milestones = schedule_of([before], profile, today).milestones
    apply_by = next(m.day for m in milestones if m.kind == "apply")
    late = [m.id for m in milestones if m.is_late]
    assert late or results_after_apply_by(program, profile, apply_by), earlier[-1]
