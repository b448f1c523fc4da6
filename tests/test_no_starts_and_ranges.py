"""Months without starts, lengths with no usual one, deposits and excluded specialties."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.factories import BASE_PROGRAM
from usce_planner.eligibility.listing import ProgramFilter, deposit_text, one_rotation_cost
from usce_planner.errors import PlannerError
from usce_planner.models.catalog import Program
from usce_planner.plan.rotation_checks import checked_start, checked_weeks
from usce_planner.timing.starts import (
    StartWanted,
    allowed_starts,
    first_on_rule,
    first_served_start,
    is_allowed_start,
    matches_start_rule,
    month_ranges,
    no_starts_reason,
)

TODAY = date(2026, 12, 6)


def program(**fields: Any) -> Program:
    return Program.model_validate({**BASE_PROGRAM, **fields})


@pytest.mark.parametrize(
    ("months", "words"),
    [
        ({6, 7, 8}, "June\N{EN DASH}August"),
        ({11, 12, 1}, "November\N{EN DASH}January"),
        ({12, 2, 4, 5, 6, 7}, "February, April\N{EN DASH}July and December"),
        ({1, 6, 7, 12}, "June\N{EN DASH}July and December\N{EN DASH}January"),
        ({3}, "March"),
    ],
)
def test_month_ranges_join_runs_and_wrap_past_december(months: set[int], words: str) -> None:
    assert month_ranges(frozenset(months)) == words


def test_no_starts_reason_names_the_months_per_source() -> None:
    assert no_starts_reason(program(no_starts=["06", "07", "08"])) == (
        "no placements June\N{EN DASH}August, per source"
    )
    assert no_starts_reason(program()) is None


@pytest.mark.parametrize("rule", [None, "any-day", "any-monday", "first-monday"])
def test_allowed_starts_skip_the_months_without_starts_and_no_other_day(rule: str | None) -> None:
    blocked = program(starts=rule, no_starts=["11", "12", "01"])
    plain = program(starts=rule)
    first, last = date(2027, 9, 1), date(2029, 3, 31)
    expected = [d for d in allowed_starts(plain, first, last) if d.month not in (11, 12, 1)]
    assert list(allowed_starts(blocked, first, last)) == expected
    day = first
    while day <= last:
        assert matches_start_rule(blocked, day) == (day in expected), day
        day += timedelta(days=1)


@pytest.mark.parametrize("rule", [None, "any-monday", "first-monday"])
def test_first_on_rule_jumps_over_the_months_without_starts(rule: str | None) -> None:
    blocked = program(starts=rule, no_starts=["11", "12", "01"])
    expected = next(
        d
        for d in allowed_starts(program(starts=rule), date(2027, 10, 20), date(2028, 12, 31))
        if d.month not in (11, 12, 1) and d >= date(2027, 11, 1)
    )
    assert expected.month == 2
    assert first_on_rule(blocked, date(2027, 11, 1), date(2028, 12, 31)) == expected
    assert first_on_rule(blocked, date(2027, 11, 1), date(2028, 1, 31)) is None


def test_a_window_and_months_without_starts_both_apply() -> None:
    windowed = program(
        no_starts=["12"],
        windows=[
            {"opens": "06-01", "closes": "06-30", "starts_from": "10-01", "starts_to": "12-31"}
        ],
    )
    assert is_allowed_start(windowed, date(2027, 11, 30))
    assert not is_allowed_start(windowed, date(2027, 12, 1))
    found = first_served_start(windowed, date(2027, 12, 1), date(2028, 12, 31), TODAY)
    assert found is not None
    assert found[0] == date(2028, 10, 1)


def test_plan_add_refuses_a_start_in_a_month_without_starts_with_the_reason() -> None:
    weill = program(id="w", no_starts=["06", "07", "08"])
    with pytest.raises(PlannerError) as caught:
        checked_start(weill, StartWanted(date(2027, 7, 5)), TODAY, "planned")
    assert str(caught.value) == (
        "plan: w: start 2027-07-05 is not allowed (any day (the source does not say); "
        "no placements June\N{EN DASH}August, per source); nearest allowed: 2027-05-31, 2027-09-01"
    )
    with pytest.raises(PlannerError) as caught:
        checked_start(weill, StartWanted(date(2027, 7, 1), whole_month=True), TODAY, "planned")
    assert str(caught.value) == (
        "plan: w: no allowed start in 2027-07 (any day (the source does not say); "
        "no placements June\N{EN DASH}August, per source); nearest allowed: 2027-05-31, 2027-09-01"
    )
    assert checked_start(weill, StartWanted(date(2027, 9, 1), True), TODAY, "planned") == date(
        2027, 9, 1
    )


def test_no_usual_length_plans_the_shortest_and_says_the_range() -> None:
    chop = program(id="chop", weeks=[8, 2, 3, 4, 5, 6, 7], weeks_usual=False)
    assert checked_weeks(chop, None) == (
        2,
        (
            "Notice: chop: the source gives 2\N{EN DASH}8 weeks and no usual length; the shortest, "
            "2 weeks, is planned (--weeks to choose)",
        ),
    )
    assert checked_weeks(chop, 6) == (6, ())
    usual = program(id="u", weeks=[4, 2])
    assert checked_weeks(usual, None) == (4, ("Notice: u: 4 weeks; also offered: 2 (--weeks)",))


def test_the_cost_of_one_rotation_uses_the_shortest_length_when_none_is_usual() -> None:
    fees = {"application_usd": 10, "program_usd": 100, "per": "week"}
    assert one_rotation_cost(program(weeks=[4, 2], weeks_usual=False, fees=fees)) == 210
    assert one_rotation_cost(program(weeks=[4, 2], fees=fees)) == 410


def test_a_deposit_is_shown_and_said_whether_it_is_credited() -> None:
    assert deposit_text(program(fees={"deposit_usd": 500})) == "$500 deposit"
    credited = program(fees={"deposit_usd": 100, "deposit_credited": True})
    assert deposit_text(credited) == "$100 deposit (part of the program fee)"
    assert deposit_text(program(fees={"application_usd": 5})) is None
    with_fees = program(fees={"application_usd": 5, "program_usd": 50, "per": "rotation"})
    assert one_rotation_cost(with_fees) == 55  # the contract's sum: no deposit in it


@pytest.mark.parametrize(
    ("wanted", "kept"),
    [
        (("internal-medicine",), False),
        (("internal-medicine", "cardiology"), True),
        (("cardiology",), True),
        ((), True),
    ],
)
def test_a_specialty_filter_leaves_out_a_program_that_excludes_it(
    wanted: tuple[str, ...], kept: bool
) -> None:
    houston = program(excluded_specialties=["internal-medicine"])
    assert ProgramFilter(specialties=wanted).matches(houston) is kept
