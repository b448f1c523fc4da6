"""Listing filters, the cost of one rotation, and the notices that an entry is getting old."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from usce_planner.eligibility.listing import (
    AgeNotices,
    ProgramFilter,
    age_notices,
    one_rotation_cost,
    select_programs,
)
from usce_planner.models.catalog import Program


def make(program_id: str = "p", **changes: Any) -> Program:
    """Return a valid program with ``changes`` applied."""
    fields: dict[str, Any] = {
        "id": program_id,
        "institution": "Example Hospital",
        "name": "Observership",
        "kind": "observership",
        "status": "open",
        "state": "NY",
        "source": "https://example.org/observe",
        "source_date": "2026",
        "verified": date(2026, 11, 25),
        "confidence": "high",
    }
    return Program.model_validate({**fields, **changes})


def kept(where: ProgramFilter, programs: list[Program]) -> list[str]:
    """Return the ids the filter keeps, in catalog order."""
    return [program.id for program in programs if where.matches(program)]


PROGRAMS = [
    make("ny-obs", kind="observership", state="NY", specialties=["internal-medicine"]),
    make("ny-elective", kind="elective", state="NY", specialties=["general-surgery"]),
    make("mn-elective", kind="elective", state="MN", specialties=["internal-medicine"]),
    make("ca-research", kind="research", state="CA"),
    make("tx-obs", kind="observership", state="TX", specialties=[]),
]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (ProgramFilter(), ["ny-obs", "ny-elective", "mn-elective", "ca-research", "tx-obs"]),
        (ProgramFilter(kinds=("elective",)), ["ny-elective", "mn-elective"]),
        (
            ProgramFilter(kinds=("elective", "research")),
            ["ny-elective", "mn-elective", "ca-research"],
        ),
        (ProgramFilter(states=("NY", "MN")), ["ny-obs", "ny-elective", "mn-elective"]),
        (ProgramFilter(kinds=("elective",), states=("NY",)), ["ny-elective"]),
        (ProgramFilter(kinds=("elective",), states=("CA",)), []),
        (
            ProgramFilter(specialties=("internal-medicine",)),
            ["ny-obs", "mn-elective", "ca-research", "tx-obs"],
        ),
        (
            ProgramFilter(specialties=("internal-medicine", "general-surgery")),
            ["ny-obs", "ny-elective", "mn-elective", "ca-research", "tx-obs"],
        ),
        (ProgramFilter(specialties=("pediatrics",), states=("NY", "CA")), ["ca-research"]),
        (ProgramFilter(statuses=("closed",)), []),
    ],
)
def test_filters_and_between_or_within_when_combined(
    where: ProgramFilter, expected: list[str]
) -> None:
    assert kept(where, PROGRAMS) == expected


TRI_STATE = [
    make("yes", hands_on=True, audience=["graduate"], channel="vslo"),
    make("no", hands_on=False, audience=["student"], channel="email"),
    make("unknown"),
]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (ProgramFilter(hands_on=True), ["yes"]),
        (ProgramFilter(hands_on=True, include_unknown=True), ["yes", "unknown"]),
        (ProgramFilter(audiences=("graduate",)), ["yes"]),
        (ProgramFilter(audiences=("graduate", "student")), ["yes", "no"]),
        (ProgramFilter(audiences=("physician",), include_unknown=True), ["unknown"]),
        (ProgramFilter(channels=("email",)), ["no"]),
        (ProgramFilter(channels=("vslo",), include_unknown=True), ["yes", "unknown"]),
        (ProgramFilter(include_unknown=True), ["yes", "no", "unknown"]),
    ],
)
def test_unknown_facts_are_left_out_unless_asked_when_filtering(
    where: ProgramFilter, expected: list[str]
) -> None:
    assert kept(where, TRI_STATE) == expected


@pytest.mark.parametrize(
    ("weeks", "fees", "cost"),
    [
        (None, {"application_usd": 100, "program_usd": 2000, "per": "rotation"}, 2100),
        ([2, 4], {"application_usd": 100, "program_usd": 500, "per": "week"}, 1100),
        (None, {"application_usd": 0, "program_usd": 500, "per": "week"}, 2000),
        ([6], {"application_usd": 50, "program_usd": 1000, "per": "month"}, 2050),
        ([4], {"application_usd": 50, "program_usd": 1000, "per": "month"}, 1050),
        ([8, 4], {"application_usd": 100, "program_usd": 3000, "per": "flat"}, 3100),
        ([4], {"application_usd": 100}, None),
        ([4], {"program_usd": 100, "per": "flat"}, None),
        ([4], None, None),
    ],
)
def test_one_rotation_cost_counts_fee_units_when_lengths_differ(
    weeks: list[int] | None, fees: dict[str, Any] | None, cost: int | None
) -> None:
    assert one_rotation_cost(make(weeks=weeks, fees=fees)) == cost


COSTED = [
    make("cheap", fees={"application_usd": 0, "program_usd": 100, "per": "week"}, weeks=[2]),
    make("dear", fees={"application_usd": 100, "program_usd": 1000, "per": "month"}, weeks=[6]),
    make("unpriced", fees={"application_usd": 100}),
]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (ProgramFilter(max_cost=200), ["cheap"]),
        (ProgramFilter(max_cost=199), []),
        (ProgramFilter(max_cost=2100), ["cheap", "dear"]),
        (ProgramFilter(max_cost=2099), ["cheap"]),
        (ProgramFilter(max_cost=200, include_unknown_cost=True), ["cheap", "unpriced"]),
        (ProgramFilter(max_cost=200, include_unknown=True), ["cheap"]),
        (ProgramFilter(), ["cheap", "dear", "unpriced"]),
    ],
)
def test_max_cost_keeps_known_costs_when_within_budget(
    where: ProgramFilter, expected: list[str]
) -> None:
    assert kept(where, COSTED) == expected


SEARCHED = [
    make("by-name", name="Cardiology Observership"),
    make("by-institution", institution="Mayo Clinic"),
    make("by-city", city="Rochester"),
]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("cardio", ["by-name"]),
        ("MAYO", ["by-institution"]),
        ("rochester", ["by-city"]),
        ("observership", ["by-name", "by-institution", "by-city"]),
        ("boston", []),
        ("", ["by-name", "by-institution", "by-city"]),
    ],
)
def test_search_matches_name_institution_or_city_when_case_differs(
    search: str, expected: list[str]
) -> None:
    assert kept(ProgramFilter(search=search), SEARCHED) == expected


def test_select_programs_sorts_by_institution_name_then_id_when_listing() -> None:
    programs = [
        make("z", institution="beta", name="A"),
        make("b", institution="Alpha", name="b"),
        make("a", institution="Alpha", name="B"),
        make("c", institution="alpha", name="A"),
        make("d", institution="Gamma", kind="research"),
    ]
    chosen = select_programs(programs, ProgramFilter(kinds=("observership",)))
    assert [program.id for program in chosen] == ["c", "a", "b", "z"]


TODAY = date(2027, 5, 15)


@pytest.mark.parametrize(
    ("verified", "source_date", "notices"),
    [
        (date(2026, 5, 15), "2026", []),
        (
            date(2026, 5, 14),
            "2026",
            ["last verified 2026-05-14, over 12 months ago"],
        ),
        (date(2027, 5, 1), "undated", ["the source page is undated"]),
        (date(2027, 5, 1), "2025-05-15", []),
        (
            date(2027, 5, 1),
            "2025-05-14",
            ["the source dates from 2025-05-14, over two years ago"],
        ),
        (date(2027, 5, 1), "2024/25", []),
        (
            date(2027, 5, 1),
            "2022/23",
            ["the source dates from 2022/23, over two years ago"],
        ),
        (
            date(2025, 1, 1),
            "2024",
            [
                "last verified 2025-01-01, over 12 months ago",
                "the source dates from 2024, over two years ago",
            ],
        ),
    ],
)
def test_age_notices_flag_entry_when_verification_or_source_is_old(
    verified: date, source_date: str, notices: list[str]
) -> None:
    program = make(verified=verified, source_date=source_date)
    assert age_notices(program, TODAY) == notices
    assert AgeNotices(TODAY).is_stale(program) == bool(notices)


def test_age_notice_clamps_month_end_when_today_is_29_february() -> None:
    program = make(verified=date(2027, 2, 28))
    assert age_notices(program, date(2028, 2, 29)) == []
    assert not AgeNotices(date(2028, 2, 29)).is_stale(program)
    assert AgeNotices(date(2028, 2, 29)).is_stale(make(verified=date(2027, 2, 27)))
    assert age_notices(make(verified=date(2027, 2, 27)), date(2028, 2, 29)) == [
        "last verified 2027-02-27, over 12 months ago"
    ]
