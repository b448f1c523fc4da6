"""The back-scheduler: every milestone's date, status-driven done marks, lateness (section 8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pytest

from usce_planner.eligibility import earliest_start
from usce_planner.models.catalog import Program
from usce_planner.models.plan import SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.plan.schedule import Milestone, Schedule, back_schedule
from usce_planner.storage.rules_file import shipped_rules

RULES = shipped_rules()
TODAY = date(2026, 11, 25)
START = date(2027, 10, 4)  # a Monday; 4 weeks end on 2027-10-31
KEY = "lead@2027-10-04"
BASE_PROGRAM: dict[str, Any] = {
    "institution": "Example Hospital", "name": "Observership", "kind": "observership",
    "status": "open", "state": "NY", "source": "https://example.org/observe",
    "source_date": "2025", "verified": date(2026, 11, 25), "confidence": "high",
}  # fmt: skip
LEAD = {"lead_time": {"recommended": "3 months", "minimum": "6 weeks"}}
WINDOW = {"opens": "03-01", "closes": "04-30", "starts_from": "07-01", "starts_to": "12-31"}


def program(program_id: str, **fields: Any) -> Program:
    return Program.model_validate({**BASE_PROGRAM, "id": program_id, **fields})


def profile(**fields: Any) -> Profile:
    # A Canadian needs no visa, so only the milestones a test asks about appear.
    base = {"schema": 1, "stage": "graduate", "graduation": date(2025, 6, 30), "citizenship": "CA"}
    return Profile.model_validate({**base, **fields})


def rotation(program_id: str, start: date = START, weeks: int = 4, **fields: Any) -> SavedRotation:
    return SavedRotation(program=program_id, start=start, weeks=weeks, **fields)


def run(
    rotations: Sequence[SavedRotation], programs: Sequence[Program], person: Profile | None = None,
    today: date = TODAY, person_done: Mapping[str, date] | None = None, match: int | None = None,
) -> Schedule:  # fmt: skip
    catalog = {p.id: p for p in programs}
    who = person or profile()
    return back_schedule(rotations, catalog, who, RULES, today, person_done or {}, match)


def by_id(schedule: Schedule) -> dict[str, Milestone]:
    return {m.id: m for m in schedule.milestones}


ROTATION_DATES = [
    ("rotation", date(2027, 10, 4), None), ("apply", date(2027, 7, 4), None),
    ("apply-deadline", date(2027, 8, 23), None), ("documents", date(2027, 6, 20), None),
    ("letters-request", date(2027, 5, 23), None), ("follow-up", date(2027, 7, 25), None),
    ("insurance", date(2027, 9, 4), None), ("tb-test", date(2027, 9, 4), date(2027, 7, 6)),
    ("letter-ask", date(2027, 10, 24), None),
]  # fmt: skip


@pytest.mark.parametrize(("suffix", "day", "window_start"), ROTATION_DATES)
def test_each_rotation_milestone_follows_its_rule(
    suffix: str, day: date, window_start: date | None
) -> None:
    found = by_id(run([rotation("lead")], [program("lead", **LEAD)]))
    milestone = found[f"{KEY}:{suffix}"]
    assert (milestone.day, milestone.window_start) == (day, window_start)
    assert (milestone.kind, milestone.rotation, milestone.program) == (suffix, KEY, "lead")
    assert (milestone.late_by_days, milestone.done) == (0, None)
    assert set(found) == {f"{KEY}:{s}" for s, _, _ in ROTATION_DATES}


def test_the_rotation_milestone_runs_to_the_last_day() -> None:
    found = by_id(run([rotation("lead", weeks=8)], [program("lead", **LEAD, weeks=[4, 8])]))
    assert found[f"{KEY}:rotation"].end == date(2027, 11, 28)
    assert found[f"{KEY}:letter-ask"].day == date(2027, 11, 21)


def test_a_window_gives_apply_with_its_opening_and_no_deadline() -> None:
    windowed = program("win", windows=[WINDOW], **LEAD)
    found = by_id(run([rotation("win")], [windowed]))
    apply = found["win@2027-10-04:apply"]
    assert (apply.day, apply.window_start) == (date(2027, 4, 30), date(2027, 3, 1))
    assert "win@2027-10-04:apply-deadline" not in found
    assert found["win@2027-10-04:documents"].day == date(2027, 4, 16)
    assert found["win@2027-10-04:letters-request"].day == date(2027, 3, 19)
    assert found["win@2027-10-04:follow-up"].day == date(2027, 5, 21)


@pytest.mark.parametrize(
    ("start", "apply", "documents", "letters"),
    [
        (date(2028, 8, 31), date(2028, 2, 29), date(2028, 2, 15), date(2028, 1, 18)),
        (date(2027, 8, 31), date(2027, 2, 28), date(2027, 2, 14), date(2027, 1, 17)),
        (date(2027, 12, 31), date(2027, 6, 30), date(2027, 6, 16), date(2027, 5, 19)),
    ],
)
def test_six_months_back_clamps_to_the_month_end(
    start: date, apply: date, documents: date, letters: date
) -> None:
    key = f"plain@{start.isoformat()}"
    found = by_id(run([rotation("plain", start)], [program("plain")]))
    got = [found[f"{key}:{s}"].day for s in ("apply", "documents", "letters-request")]
    assert got == [apply, documents, letters]
    assert f"{key}:apply-deadline" not in found  # no minimum lead


def test_follow_up_counts_from_the_application_once_applied() -> None:
    applied = rotation("lead", status="applied", history={"applied": date(2027, 5, 1)})
    found = by_id(run([applied], [program("lead", **LEAD)], today=date(2027, 5, 2)))
    assert found[f"{KEY}:follow-up"].day == date(2027, 5, 22)


def test_exam_steps_are_the_earliest_apply_minus_28_over_planned_rotations() -> None:
    needs = {"requires": {"step1": True, "step2ck": True}, **LEAD}
    programs = [program("lead", **needs), program("late", **needs), program("gone", **needs)]
    rotations = [
        rotation("lead"),  # apply 2027-07-04
        rotation("late", date(2027, 12, 6)),  # apply 2027-09-06
        # Applied already: its exams no longer set the latest test date.
        rotation("gone", date(2027, 8, 2), status="applied", history={"applied": TODAY}),
    ]
    found = by_id(run(rotations, programs))
    assert found["me:step1"].day == date(2027, 6, 6)
    assert found["me:step2ck"].day == date(2027, 6, 6)
    assert (found["me:step1"].rotation, found["me:step1"].program) == (None, None)
    passed = profile(step1={"status": "passed", "date": date(2024, 3, 10)})
    assert "me:step1" not in by_id(run(rotations, programs, passed))
    assert "me:step2ck" in by_id(run(rotations, programs, passed))


def test_english_step_is_documents_minus_28_when_not_met() -> None:
    needs = program("lead", requires={"english": True}, **LEAD)
    unmet = profile(english_medium_school=False)
    assert by_id(run([rotation("lead")], [needs], unmet))["me:english"].day == date(2027, 5, 23)
    held = profile(english={"toefl_ibt": 110})
    assert "me:english" not in by_id(run([rotation("lead")], [needs], held))
    waived = program("lead", requires={"english": True, "english_waiver_if_english_medium": True})
    medium = profile(english_medium_school=True)
    assert "me:english" not in by_id(run([rotation("lead")], [waived], medium))


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ({"citizenship": "GB"}, date(2027, 9, 20)),  # ESTA: start - 14 days
        ({"citizenship": "IN"}, date(2027, 6, 28)),  # consulate: start - (12 + 2) weeks
        ({"citizenship": "IN", "visa": {"consulate_wait_weeks": 20}}, date(2027, 5, 3)),
        ({"citizenship": ["GB", "IR"]}, date(2027, 6, 28)),  # barred from ESTA
        ({"citizenship": "IN", "visa": {"holds": "b1-b2"}}, None),
        ({"citizenship": "CA"}, None),
        ({"citizenship": "IN", "us_status": "permanent-resident"}, None),
    ],
)
def test_visa_step_by_route(person: dict[str, Any], expected: date | None) -> None:
    found = by_id(run([rotation("lead")], [program("lead", **LEAD)], profile(**person)))
    assert (found["me:visa"].day if "me:visa" in found else None) == expected


def test_visa_step_is_taken_once_at_its_earliest_over_future_live_rotations() -> None:
    programs = [program(p) for p in ("a", "b", "c", "d")]
    rotations = [
        rotation("a", date(2027, 10, 4)),
        rotation("b", date(2027, 8, 2), status="accepted", history={"accepted": TODAY}),
        rotation("c", date(2027, 6, 7), status="rejected", history={"rejected": TODAY}),
        rotation("d", date(2026, 10, 5), status="completed", history={"completed": TODAY}),
    ]
    schedule = run(rotations, programs, profile(citizenship="GB"))
    visas = [m for m in schedule.milestones if m.kind == "visa"]
    assert [(m.id, m.day) for m in visas] == [("me:visa", date(2027, 7, 19))]


def test_person_steps_appear_once_over_several_rotations() -> None:
    needs = {"requires": {"step1": True, "english": True}}
    programs = [program("a", **needs), program("b", **needs)]
    rotations = [rotation("a", date(2027, 10, 4)), rotation("b", date(2027, 9, 6))]
    schedule = run(rotations, programs, profile(citizenship="IN", english_medium_school=False))
    ids = [m.id for m in schedule.milestones]
    assert len(ids) == len(set(ids))
    found = by_id(schedule)
    # b applies 2027-03-06: documents 02-20, English by 01-23; Step 1 by 02-06; visa 05-31.
    assert found["me:step1"].day == date(2027, 2, 6)
    assert found["me:english"].day == date(2027, 1, 23)
    assert found["me:visa"].day == date(2027, 5, 31)


@pytest.mark.parametrize(
    ("year", "submit", "end_by", "step2ck_by"),
    [
        (2026, date(2025, 9, 3), date(2025, 6, 25), date(2025, 7, 30)),
        (2028, date(2027, 9, 1), date(2027, 6, 23), date(2027, 7, 30)),
        (2029, date(2028, 9, 1), date(2028, 6, 23), date(2028, 7, 30)),
    ],
)
def test_match_milestones(year: int, submit: date, end_by: date, step2ck_by: date) -> None:
    schedule = run([], [], match=year)
    got = {(m.id, m.kind): m.day for m in schedule.milestones}
    assert got == {
        (f"match-{year}:eras-submit", "eras-submit"): submit,
        (f"match-{year}:usce-end-by", "usce-end-by"): end_by,
        (f"match-{year}:step2ck-by", "step2ck-by"): step2ck_by,
    }
    # Informational: a past one carries late_by_days but never counts as late.
    for m in schedule.milestones:
        assert (m.late_by_days, m.is_late) == (max(0, (TODAY - m.day).days), False)
    passed = profile(step2ck={"status": "passed", "date": date(2026, 5, 1)})
    ids = {m.id for m in run([], [], passed, match=year).milestones}
    assert ids == {f"match-{year}:eras-submit", f"match-{year}:usce-end-by"}


APPLIED_DONE = ("apply", "apply-deadline", "documents", "letters-request")
APPLIED_ON, ACCEPTED_ON = date(2027, 5, 1), date(2027, 6, 10)


@pytest.mark.parametrize(
    ("status", "history", "expected"),
    [
        ("planned", {}, {}),
        ("applied", {"applied": APPLIED_ON}, dict.fromkeys(APPLIED_DONE, APPLIED_ON)),
        ("waitlisted", {"applied": APPLIED_ON}, dict.fromkeys(APPLIED_DONE, APPLIED_ON)),
        (
            "accepted",
            {"applied": APPLIED_ON, "accepted": ACCEPTED_ON},
            {**dict.fromkeys(APPLIED_DONE, APPLIED_ON), "follow-up": ACCEPTED_ON},
        ),
    ],
)
def test_done_automatically_by_status(
    status: str, history: dict[str, date], expected: dict[str, date]
) -> None:
    saved = rotation("lead", status=status, history={"planned": TODAY, **history})
    found = by_id(run([saved], [program("lead", **LEAD)], today=date(2027, 6, 12)))
    assert {m.kind: m.done for m in found.values() if m.done is not None} == expected


def completed_schedule() -> dict[str, Milestone]:
    saved = rotation("lead", status="completed", history={"completed": date(2027, 11, 1)})
    return by_id(run([saved], [program("lead", **LEAD)], today=date(2027, 11, 2)))


def test_completed_marks_every_step_before_it_done_on_the_start() -> None:
    found = completed_schedule()
    for kind in (*APPLIED_DONE, "follow-up", "insurance", "tb-test"):
        assert found[f"{KEY}:{kind}"].done == START, kind
    letter_ask = found[f"{KEY}:letter-ask"]
    assert (letter_ask.done, letter_ask.late_by_days) == (None, 9)
    assert found[f"{KEY}:rotation"].late_by_days == 0


def test_completed_marks_the_rotation_itself_done() -> None:
    assert completed_schedule()[f"{KEY}:rotation"].done == START


@pytest.mark.parametrize("status", ["rejected", "withdrawn"])
def test_ended_rotations_keep_their_row_but_no_milestones(status: str) -> None:
    saved = rotation("lead", status=status, history={status: TODAY})
    schedule = run([saved], [program("lead", **LEAD, requires={"step1": True})])
    assert schedule.milestones == []
    (view,) = schedule.rotations
    assert (view.saved.key, view.feasible, view.earliest_start) == (KEY, True, None)


def test_done_marks_from_the_rotation_and_the_person_are_never_late() -> None:
    today = date(2027, 7, 1)  # letters (05-23), documents (06-20) and the visa (06-28) passed
    saved = rotation("lead", done={"letters-request": date(2027, 5, 20)})
    marks = {"me:visa": date(2027, 6, 1)}
    person = profile(citizenship="IN")
    found = by_id(run([saved], [program("lead", **LEAD)], person, today, marks))
    got = {m.kind: (m.done, m.late_by_days) for m in found.values() if m.day < today}
    assert got == {
        "letters-request": (date(2027, 5, 20), 0),
        "documents": (None, 11),
        "visa": (date(2027, 6, 1), 0),
    }


@pytest.mark.parametrize(("today", "late_by"), [(date(2027, 5, 23), 0), (date(2027, 5, 24), 1)])
def test_a_milestone_dated_today_is_not_late(today: date, late_by: int) -> None:
    found = by_id(run([rotation("lead")], [program("lead", **LEAD)], today=today))
    assert found[f"{KEY}:letters-request"].late_by_days == late_by
    assert found[f"{KEY}:letters-request"].is_late is bool(late_by)


def test_a_planned_rotation_with_a_late_step_gets_its_earliest_start() -> None:
    monday = program(
        "mon", audience=["graduate"], starts="any-monday", lead_time={"recommended": "3 months"}
    )
    saved = rotation("mon", date(2027, 3, 1))
    view = run([saved], [monday]).rotations[0]
    assert (view.feasible, view.earliest_start) == (False, date(2027, 4, 12))
    assert view.earliest_start == earliest_start(monday, profile(), RULES, TODAY)
    on_time = run([rotation("mon", date(2027, 4, 12))], [monday]).rotations[0]
    assert (on_time.feasible, on_time.earliest_start) == (True, None)
    # The application steps of an applied rotation are done; its later steps are on time.
    applied = rotation("mon", date(2027, 3, 1), status="applied", history={"applied": TODAY})
    assert run([applied], [monday]).rotations[0].feasible


def test_a_planned_rotation_gets_no_earliest_start_when_no_start_has_a_verdict_to_act_on() -> None:
    # Whom it takes is unknown: the verdict at every start is unknown, so no start is offered.
    monday = program("mon", starts="any-monday", lead_time={"recommended": "3 months"})
    view = run([rotation("mon", date(2027, 3, 1))], [monday]).rotations[0]
    assert (view.feasible, view.verdict, view.earliest_start) == (False, "unknown", None)


def test_a_late_person_step_makes_the_rotation_infeasible_until_done() -> None:
    visa_only = program("lead", lead_time={"recommended": "6 weeks"})
    # Letters are due 2026-11-30, still on time; the consulate booking 2026-11-16 has passed.
    saved = rotation("lead", date(2027, 2, 22))
    person = profile(citizenship="IN")
    assert not run([saved], [visa_only], person).rotations[0].feasible
    done = {"me:visa": date(2026, 10, 20)}
    assert run([saved], [visa_only], person, person_done=done).rotations[0].feasible


def test_a_rotation_whose_program_left_keeps_its_own_dates_only() -> None:
    needs = program("gone", requires={"step1": True})
    schedule = run([rotation("gone")], [], profile(citizenship="IN"))
    assert {m.id: m.day for m in schedule.milestones} == {
        "gone@2027-10-04:rotation": date(2027, 10, 4),
        "gone@2027-10-04:insurance": date(2027, 9, 4),
        "gone@2027-10-04:tb-test": date(2027, 9, 4),
        "gone@2027-10-04:letter-ask": date(2027, 10, 24),
    }
    assert schedule.rotations[0].program is None
    assert "me:step1" in by_id(run([rotation("gone")], [needs]))


def test_milestones_are_sorted_by_date_then_id() -> None:
    programs = [program("a", **LEAD), program("b", **LEAD, requires={"step1": True})]
    rotations = [rotation("b"), rotation("a"), rotation("a", date(2027, 11, 1))]
    schedule = run(rotations, programs, profile(citizenship="IN"), match=2028)
    keys = [(m.day, m.id) for m in schedule.milestones]
    assert keys == sorted(keys)
    order = ["a@2027-10-04", "b@2027-10-04", "a@2027-11-01"]
    assert [v.saved.key for v in schedule.rotations] == order
    # Equal dates are ordered by id: both insurance steps fall on 2027-09-04.
    same_day = [m.id for m in schedule.milestones if m.day == date(2027, 9, 4)]
    assert same_day == sorted(same_day)
    assert len(same_day) == 4


def test_accepted_without_an_application_date_is_never_done_in_the_future() -> None:
    saved = rotation("lead", status="accepted", history={"planned": TODAY, "accepted": TODAY})
    found = by_id(run([saved], [program("lead", **LEAD)]))
    assert [m.id for m in found.values() if m.done is not None and m.done > TODAY] == []
