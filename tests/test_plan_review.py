"""Conflicts, warnings and totals of a back-scheduled plan (section 8)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from usce_planner.models.catalog import Program
from usce_planner.models.plan import SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.plan.review import CostPart, Finding, Totals, conflicts, totals, warnings
from usce_planner.plan.schedule import back_schedule
from usce_planner.storage.rules_file import shipped_rules

RULES = shipped_rules()
TODAY = date(2026, 11, 25)
START = date(2027, 10, 4)  # a Monday; 4 weeks end on 2027-10-31
NEVER_COUNTED = ("travel", "housing", "health and liability insurance", "exam fees")
BASE_PROGRAM: dict[str, Any] = {
    "institution": "Example Hospital", "name": "Observership", "kind": "observership",
    "status": "open", "state": "NY", "source": "https://example.org/observe",
    "source_date": "2025", "verified": date(2026, 11, 25), "confidence": "high",
    "weeks": [4], "starts": "any-day", "audience": ["graduate"],
}  # fmt: skip


def program(program_id: str, **fields: Any) -> Program:
    return Program.model_validate({**BASE_PROGRAM, "id": program_id, **fields})


def profile(**fields: Any) -> Profile:
    base = {"schema": 1, "stage": "graduate", "graduation": date(2025, 6, 30), "citizenship": "CA"}
    return Profile.model_validate({**base, **fields})


def rotation(program_id: str, start: date = START, weeks: int = 4, **fields: Any) -> SavedRotation:
    return SavedRotation(program=program_id, start=start, weeks=weeks, **fields)


def review(
    rotations: list[SavedRotation],
    programs: list[Program],
    person: Profile | None = None,
    match: int | None = None,
) -> tuple[list[Finding], list[Finding], Totals]:
    who = person or profile()
    catalog = {p.id: p for p in programs}
    schedule = back_schedule(rotations, catalog, who, RULES, TODAY, {}, match)
    summed = totals(schedule, who, RULES)
    return conflicts(schedule, who, RULES), warnings(schedule, who, RULES, summed), summed


def kinds(findings: list[Finding]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.kind, f.ids) for f in findings]


@pytest.mark.parametrize(
    ("second", "status", "expected"),
    [
        (date(2027, 10, 31), "planned", [("overlap", ("a@2027-10-04", "b@2027-10-31"))]),
        (date(2027, 10, 18), "completed", [("overlap", ("a@2027-10-04", "b@2027-10-18"))]),
        (date(2027, 11, 1), "planned", []),  # adjacent: no day shared
        (date(2027, 10, 18), "rejected", []),  # only live rotations can overlap
        (date(2027, 10, 18), "withdrawn", []),
    ],
)
def test_overlap_means_sharing_at_least_one_day(
    second: date, status: str, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    other = rotation("b", second, status=status, history={status: TODAY})
    found, _, _ = review([rotation("a"), other], [program("a"), program("b")])
    assert kinds(found) == expected
    if expected:
        assert found[0].detail == f"a@2027-10-04 and b@{second.isoformat()} share days"


@pytest.mark.parametrize(
    ("booked", "expected"),
    [
        (date(2027, 10, 4), [("exam-in-rotation", ("me:step2ck", "a@2027-10-04"))]),
        (date(2027, 10, 31), [("exam-in-rotation", ("me:step2ck", "a@2027-10-04"))]),
        (date(2027, 11, 1), []),
        (date(2027, 10, 3), []),
    ],
)
def test_a_booked_exam_inside_a_rotation(booked: date, expected: list[Any]) -> None:
    person = profile(step2ck={"status": "scheduled", "date": booked})
    found, _, _ = review([rotation("a")], [program("a")], person)
    assert kinds(found) == expected


@pytest.mark.parametrize(
    ("booked", "expected"), [(date(2027, 6, 7), [("exam-after-latest", ("me:step1",)), ("ineligible", ("a@2027-10-04",))]), (date(2027, 6, 6), [])]
)  # fmt: skip
def test_a_booked_exam_after_its_latest_test_date(booked: date, expected: list[Any]) -> None:
    # Apply 2027-07-04 (3 months before the start): Step 1 by 2027-06-06.
    needs = program("a", lead_time={"recommended": "3 months"}, requires={"step1": True})
    found, _, _ = review(
        [rotation("a")], [needs], profile(step1={"status": "scheduled", "date": booked})
    )
    assert kinds(found) == expected
    if expected:
        assert found[0].detail == (
            f"Step 1 booked for {booked.isoformat()}, after its latest day 2027-06-06"
        )


@pytest.mark.parametrize(
    ("fields", "status", "conflict"),
    [
        # Booking 2027-06-28 (start - 14 weeks); decision 8 weeks after applying 2027-07-04.
        ({"lead_time": {"recommended": "3 months"}}, "planned", True),
        ({"lead_time": {"recommended": "3 months"}}, "applied", True),
        ({"lead_time": {"recommended": "3 months"}}, "accepted", False),  # decided already
        ({}, "planned", False),  # apply 2027-04-04: decision 2027-05-30
        ({"decision_weeks": 20}, "planned", True),  # decision 2027-08-22
    ],
)
def test_visa_booking_before_the_program_decides(
    fields: dict[str, Any], status: str, conflict: bool
) -> None:
    history = {"applied": date(2027, 7, 4)} if status != "planned" else {}
    saved = rotation("a", status=status, history=history)
    found, _, _ = review([saved], [program("a", **fields)], profile(citizenship="IN"))
    assert kinds(found) == (
        [("visa-before-decision", ("me:visa", "a@2027-10-04"))] if conflict else []
    )


def test_past_match_dates_are_warnings() -> None:
    _, found, _ = review([], [], match=2026)
    assert kinds(found) == [
        ("match-late", ("match-2026:usce-end-by",)),
        ("match-late", ("match-2026:step2ck-by",)),
        ("match-late", ("match-2026:eras-submit",)),
    ]


@pytest.mark.parametrize(
    ("start", "warned"),
    [(date(2027, 5, 27), False), (date(2027, 5, 28), True)],  # last day 2027-06-23 / 06-24
)
def test_a_rotation_ending_after_usce_end_by(start: date, warned: bool) -> None:
    _, found, _ = review([rotation("a", start)], [program("a")], match=2028)
    expected = [("ends-after-usce-end-by", (f"a@{start.isoformat()}",))] if warned else []
    assert kinds(found) == expected
    if warned:
        assert found[0].detail == (
            "ends 2027-06-24, after 2027-06-23: its letter will not be ready for ERAS"
        )


@pytest.mark.parametrize(
    ("fields", "start", "expected"),
    [
        ({}, START, []),
        ({"starts": "any-monday"}, date(2027, 10, 5), ["start-not-allowed"]),
        ({"verified": date(2025, 11, 24)}, START, ["stale-source"]),
        ({"verified": date(2025, 11, 25)}, START, []),  # exactly 12 months: not over
        ({"source_date": "2024-11-24"}, START, ["stale-source"]),
        ({"source_date": "2024-11-25"}, START, []),
        ({"source_date": "2023"}, START, ["stale-source"]),
        ({"source_date": "undated"}, START, ["stale-source"]),
        ({"weeks": None}, START, ["length-not-stated"]),
        ({"starts": None}, START, ["starts-not-stated"]),
    ],
)
def test_rotation_warnings(fields: dict[str, Any], start: date, expected: list[str]) -> None:
    saved = rotation("a", start)
    _, found, _ = review([saved], [program("a", **fields)])
    assert kinds(found) == [(kind, (saved.key,)) for kind in expected]


def test_a_program_that_left_the_catalog_is_a_warning_and_its_fees_unknown() -> None:
    _, found, summed = review([rotation("gone")], [])
    assert [(f.kind, f.ids, f.detail) for f in found] == [
        (
            "program-missing",
            ("gone@2027-10-04",),
            "program 'gone' is no longer in the catalog; kept with its own dates only",
        )
    ]
    assert summed.not_included == (
        "fees of gone@2027-10-04 (not stated by the source)",
        *NEVER_COUNTED,
    )
    assert (summed.weeks, summed.unknown_hands_on_weeks, summed.cost_usd) == (4, 4, 0)


def test_weeks_split_by_contact_over_live_rotations_only() -> None:
    programs = [
        program("hands", hands_on=True, weeks=[4, 8]),
        program("watch", hands_on=False, weeks=[8]),
        program("maybe", weeks=None),
    ]
    rotations = [
        rotation("hands"),
        rotation("watch", date(2027, 11, 1), 8),
        rotation("maybe", date(2028, 1, 3), 2),
        rotation("gone", date(2028, 2, 7), 3),
        rotation("hands", date(2028, 3, 6), 8, status="rejected", history={"rejected": TODAY}),
    ]
    summed = review(rotations, programs)[2]
    got = (
        summed.weeks,
        summed.hands_on_weeks,
        summed.observation_weeks,
        summed.unknown_hands_on_weeks,
    )
    assert got == (17, 4, 8, 5)


def test_letters_possible_count_yes_apart_from_discretionary() -> None:
    letters = {"y1": "yes", "y2": "yes", "d": "discretionary", "n": "no", "u": "unknown", "o": None}
    programs = [program(pid, letters=value) for pid, value in letters.items()]
    rotations = [rotation(pid, date(2027, 1 + index, 1)) for index, pid in enumerate(letters)]
    ended = rotation("y1", date(2028, 1, 3), status="withdrawn", history={"withdrawn": TODAY})
    summed = review([*rotations, ended], programs)[2]
    assert (summed.letters_possible, summed.letters_discretionary) == (2, 1)


@pytest.mark.parametrize(
    ("per", "weeks", "expected"),
    [
        ("rotation", 6, 100 + 600),
        ("week", 6, 100 + 600 * 6),
        ("month", 4, 100 + 600),
        ("month", 6, 100 + 600 * 2),
        ("month", 8, 100 + 600 * 2),
        ("month", 9, 100 + 600 * 3),
    ],
)
def test_cost_by_fee_unit(per: str, weeks: int, expected: int) -> None:
    fees = {"application_usd": 100, "program_usd": 600, "per": per}
    summed = review([rotation("a", weeks=weeks)], [program("a", fees=fees, weeks=[weeks])])[2]
    assert (summed.cost_usd, summed.not_included) == (expected, NEVER_COUNTED)


def test_a_flat_fee_is_paid_once_per_program_and_vslo_per_application() -> None:
    flat = {"application_usd": 100, "program_usd": 700, "per": "flat"}
    programs = [program("a", fees=flat, channel="vslo"), program("b", fees=flat)]
    rotations = [rotation("a"), rotation("a", date(2027, 11, 1)), rotation("b", date(2027, 12, 6))]
    assert review(rotations, programs)[2].cost_usd == (100 + 15) * 2 + 700 + 100 + 700


def test_unknown_fees_are_named_and_left_out() -> None:
    programs = [program("none"), program("app", fees={"application_usd": 50})]
    rotations = [rotation("none"), rotation("app", date(2027, 11, 1))]
    summed = review(rotations, programs)[2]
    assert summed.cost_usd == 50
    assert summed.not_included == (
        "the application fee and the program fee of none@2027-10-04 (not stated by the source)",
        "the program fee of app@2027-11-01 (not stated by the source)",
        *NEVER_COUNTED,
    )


@pytest.mark.parametrize(
    ("citizenship", "visa_fee"),
    [("IN", 185), ("GB", 40), ("CA", 0)],  # consulate, ESTA, no visa needed
)
def test_the_visa_or_esta_fee_is_counted_once(citizenship: str, visa_fee: int) -> None:
    fees = {"application_usd": 10, "program_usd": 0, "per": "rotation"}
    programs = [program("a", fees=fees), program("b", fees=fees)]
    rotations = [rotation("a"), rotation("b", date(2027, 11, 1))]
    assert (
        review(rotations, programs, profile(citizenship=citizenship))[2].cost_usd == 20 + visa_fee
    )


def test_a_past_consulate_rotation_adds_no_visa_fee_to_an_esta_plan() -> None:
    fees = {"application_usd": 10, "program_usd": 0, "per": "rotation"}
    programs = [
        program("bvisa", fees=fees, requires={"visas": ["b1", "b2"]}),
        program("esta", fees=fees),
    ]
    past = rotation("bvisa", date(2026, 10, 5), status="completed", history={"completed": TODAY})
    summed = review([past, rotation("esta")], programs, profile(citizenship="GB"))[2]
    assert summed.cost_usd == 20 + 40  # two application fees and the ESTA fee
    assert CostPart("ESTA fee", None, 40) in summed.cost_parts


def test_cost_parts_name_each_fee_and_sum_to_the_cost() -> None:
    flat = {"application_usd": 100, "program_usd": 700, "per": "flat"}
    weekly = {"application_usd": 50, "program_usd": 200, "per": "week"}
    programs = [program("a", fees=flat, channel="vslo"), program("b", fees=weekly)]
    rotations = [rotation("a"), rotation("a", date(2027, 11, 1)), rotation("b", date(2027, 12, 6))]
    summed = review(rotations, programs, profile(citizenship="IN"))[2]
    assert summed.cost_parts == (
        CostPart("application fee", "a@2027-10-04", 100),
        CostPart("program fee", "a@2027-10-04", 700),
        CostPart("VSLO fee", "a@2027-10-04", 15),
        CostPart("application fee", "a@2027-11-01", 100),
        CostPart("VSLO fee", "a@2027-11-01", 15),
        CostPart("application fee", "b@2027-12-06", 50),
        CostPart("program fee", "b@2027-12-06", 800),
        CostPart("visa fee", None, 185),
    )
    assert summed.cost_usd == sum(part.usd for part in summed.cost_parts) == 1965


@pytest.mark.parametrize(("budget", "warned"), [(699, True), (700, False)])
def test_over_budget(budget: int, warned: bool) -> None:
    fees = {"application_usd": 100, "program_usd": 600, "per": "rotation"}
    _, found, _ = review([rotation("a")], [program("a", fees=fees)], profile(budget_usd=budget))
    expected = [("over-budget", ("budget_usd",))] if warned else []
    assert kinds(found) == expected
    if warned:
        assert found[0].detail == "the plan costs at least $700, above your budget of $699"
