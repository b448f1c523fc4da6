"""Allowed starts, application windows and apply-by dates (contract sections 3, 4 and 6)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import BASE_PROGRAM
from usce_planner.dates import Duration
from usce_planner.models.catalog import Program
from usce_planner.timing.starts import (
    ApplyBy,
    allowed_starts,
    apply_by,
    first_allowed_start,
    is_allowed_start,
    last_day,
    matches_start_rule,
    nearest_allowed_starts,
    rotation_weeks,
    search_limit,
    serving_window,
)

SIX_MONTHS = Duration(6, "months")
# December to April, applications closing 1 October: a January start is served by last October.
WRAPPING = {"opens": "09-01", "closes": "10-01", "starts_from": "12-01", "starts_to": "04-30"}
LEAP_START = {"opens": "01-01", "closes": "01-15", "starts_from": "02-29", "starts_to": "03-31"}
LEAP_CLOSE = {"opens": "02-01", "closes": "02-29", "starts_from": "03-01", "starts_to": "05-31"}
SAME_DAY = {"opens": "09-01", "closes": "10-01", "starts_from": "10-01", "starts_to": "12-31"}
BROAD = {"opens": "01-01", "closes": "01-31", "starts_from": "03-01", "starts_to": "08-31"}
NARROW = {"opens": "02-01", "closes": "02-28", "starts_from": "06-01", "starts_to": "06-30"}
ONE_OFF = {
    "opens": date(2027, 6, 1),
    "closes": date(2027, 6, 30),
    "starts_from": date(2027, 10, 1),
    "starts_to": date(2027, 12, 31),
}


def program(**fields: Any) -> Program:
    """Return a valid program with these fields added or replaced."""
    return Program.model_validate({**BASE_PROGRAM, **fields})


def windowed(*windows: dict[str, Any], **fields: Any) -> Program:
    """Return a program whose starts are limited by these windows."""
    return program(windows=list(windows), **fields)


@pytest.mark.parametrize(
    ("starts", "day", "expected"),
    [
        (None, date(2027, 3, 3), True),
        ("any-day", date(2027, 3, 3), True),
        ("any-day", date(2027, 3, 7), True),
        ("any-monday", date(2027, 3, 1), True),
        ("any-monday", date(2027, 3, 2), False),
        ("any-monday", date(2027, 2, 28), False),
        # March 2027 starts on a Monday: the 1st is its first Monday, the 8th is not.
        ("first-monday", date(2027, 3, 1), True),
        ("first-monday", date(2027, 3, 8), False),
        # June 2027 starts on a Tuesday: its first Monday is the 7th.
        ("first-monday", date(2027, 6, 7), True),
        ("first-monday", date(2027, 6, 14), False),
        ("first-monday", date(2027, 5, 31), False),
        # August 2027 starts on a Sunday: the 1st is not a Monday, the 2nd is the first Monday.
        ("first-monday", date(2027, 8, 1), False),
        ("first-monday", date(2027, 8, 2), True),
        ("first-monday", date(2027, 8, 9), False),
        ([date(2027, 3, 1), date(2027, 1, 4)], date(2027, 1, 4), True),
        ([date(2027, 3, 1), date(2027, 1, 4)], date(2027, 3, 1), True),
        ([date(2027, 3, 1), date(2027, 1, 4)], date(2027, 1, 11), False),
    ],
)
def test_matches_start_rule_follows_the_rule_when_checking_a_day(
    starts: Any, day: date, expected: bool
) -> None:
    prog = program() if starts is None else program(starts=starts)
    assert matches_start_rule(prog, day) is expected


@pytest.mark.parametrize(
    ("starts", "first", "last", "expected"),
    [
        (
            "any-day",
            date(2027, 2, 27),
            date(2027, 3, 2),
            [date(2027, 2, d) for d in (27, 28)] + [date(2027, 3, 1), date(2027, 3, 2)],
        ),
        (
            "any-monday",
            date(2027, 6, 2),
            date(2027, 6, 28),
            [date(2027, 6, d) for d in (7, 14, 21, 28)],
        ),
        ("any-monday", date(2027, 6, 7), date(2027, 6, 13), [date(2027, 6, 7)]),
        (
            "first-monday",
            date(2027, 5, 4),
            date(2027, 8, 31),
            [date(2027, 6, 7), date(2027, 7, 5), date(2027, 8, 2)],
        ),
        ("first-monday", date(2027, 3, 1), date(2027, 3, 1), [date(2027, 3, 1)]),
        (
            [date(2027, 1, 4), date(2027, 3, 1), date(2027, 9, 6)],
            date(2027, 1, 5),
            date(2027, 9, 6),
            [date(2027, 3, 1), date(2027, 9, 6)],
        ),
    ],
)
def test_allowed_starts_lists_each_start_in_order_when_searching_a_range(
    starts: Any, first: date, last: date, expected: list[date]
) -> None:
    assert list(allowed_starts(program(starts=starts), first, last)) == expected


@pytest.mark.parametrize(
    ("window", "start", "expected"),
    [
        (WRAPPING, date(2027, 11, 30), None),
        (WRAPPING, date(2027, 12, 1), ApplyBy(date(2027, 10, 1), date(2027, 9, 1), True)),
        (WRAPPING, date(2028, 1, 10), ApplyBy(date(2027, 10, 1), date(2027, 9, 1), True)),
        (WRAPPING, date(2028, 4, 30), ApplyBy(date(2027, 10, 1), date(2027, 9, 1), True)),
        (WRAPPING, date(2028, 5, 1), None),
        # "02-29" is 28 February in common years and 29 February in leap years.
        (LEAP_START, date(2027, 2, 27), None),
        (LEAP_START, date(2027, 2, 28), ApplyBy(date(2027, 1, 15), date(2027, 1, 1), True)),
        (LEAP_START, date(2028, 2, 28), None),
        (LEAP_START, date(2028, 2, 29), ApplyBy(date(2028, 1, 15), date(2028, 1, 1), True)),
        (LEAP_CLOSE, date(2027, 3, 5), ApplyBy(date(2027, 2, 28), date(2027, 2, 1), True)),
        (LEAP_CLOSE, date(2028, 3, 5), ApplyBy(date(2028, 2, 29), date(2028, 2, 1), True)),
        # Closing on the range's first day: closes must be before the start.
        (SAME_DAY, date(2027, 9, 30), None),
        (SAME_DAY, date(2027, 10, 1), None),
        (SAME_DAY, date(2027, 10, 2), ApplyBy(date(2027, 10, 1), date(2027, 9, 1), True)),
        (SAME_DAY, date(2027, 12, 31), ApplyBy(date(2027, 10, 1), date(2027, 9, 1), True)),
        # One-off windows happen once.
        (ONE_OFF, date(2027, 9, 30), None),
        (ONE_OFF, date(2027, 10, 1), ApplyBy(date(2027, 6, 30), date(2027, 6, 1), True)),
        (ONE_OFF, date(2027, 12, 31), ApplyBy(date(2027, 6, 30), date(2027, 6, 1), True)),
        (ONE_OFF, date(2028, 1, 1), None),
        (ONE_OFF, date(2028, 10, 2), None),
    ],
)
def test_serving_window_resolves_closes_and_opens_when_start_is_near_a_boundary(
    window: dict[str, Any], start: date, expected: ApplyBy | None
) -> None:
    prog = windowed(window)
    assert serving_window(prog, start) == expected
    assert is_allowed_start(prog, start) is (expected is not None)
    if expected is not None:
        assert apply_by(prog, start, SIX_MONTHS) == expected


@pytest.mark.parametrize("order", [(BROAD, NARROW), (NARROW, BROAD)])
@pytest.mark.parametrize(
    ("start", "closes"),
    [
        (date(2027, 3, 15), date(2027, 1, 31)),
        (date(2027, 6, 1), date(2027, 2, 28)),
        (date(2027, 6, 30), date(2027, 2, 28)),
        (date(2027, 7, 1), date(2027, 1, 31)),
    ],
)
def test_serving_window_picks_the_latest_closes_when_several_windows_match(
    order: tuple[dict[str, Any], dict[str, Any]], start: date, closes: date
) -> None:
    found = serving_window(windowed(*order), start)
    assert found is not None
    assert found.day == closes


def test_apply_by_ignores_the_lead_time_when_a_window_serves_the_start() -> None:
    prog = windowed(WRAPPING, lead_time={"recommended": "2 months", "minimum": "6 weeks"})
    assert apply_by(prog, date(2028, 2, 7), SIX_MONTHS) == ApplyBy(
        date(2027, 10, 1), date(2027, 9, 1), True
    )


def test_is_allowed_start_needs_both_rule_and_window_when_program_states_both() -> None:
    prog = windowed(SAME_DAY, starts="any-monday")
    assert is_allowed_start(prog, date(2027, 10, 4)) is True
    assert is_allowed_start(prog, date(2027, 10, 5)) is False
    assert is_allowed_start(prog, date(2028, 1, 3)) is False
    assert list(allowed_starts(prog, date(2027, 9, 1), date(2027, 10, 18))) == [
        date(2027, 10, 4),
        date(2027, 10, 11),
        date(2027, 10, 18),
    ]


@pytest.mark.parametrize(
    ("lead_time", "start", "expected"),
    [
        ({"recommended": "8 weeks"}, date(2027, 10, 4), date(2027, 8, 9)),
        ({"recommended": "10 days"}, date(2027, 10, 4), date(2027, 9, 24)),
        ({"recommended": "3 months"}, date(2027, 5, 31), date(2027, 2, 28)),
        ({"recommended": "4 months", "minimum": "1 month"}, date(2027, 10, 4), date(2027, 6, 4)),
        # Only a minimum stated, or no lead at all: the rules' default of 6 months.
        ({"minimum": "6 weeks"}, date(2027, 10, 4), date(2027, 4, 4)),
        (None, date(2027, 10, 4), date(2027, 4, 4)),
        # Month arithmetic clamps to the month's end.
        (None, date(2027, 8, 31), date(2027, 2, 28)),
        (None, date(2028, 8, 31), date(2028, 2, 29)),
        (None, date(2027, 3, 31), date(2026, 9, 30)),
    ],
)
def test_apply_by_subtracts_the_recommended_lead_when_no_window_serves(
    lead_time: dict[str, str] | None, start: date, expected: date
) -> None:
    prog = program() if lead_time is None else program(lead_time=lead_time)
    assert apply_by(prog, start, SIX_MONTHS) == ApplyBy(expected)


@pytest.mark.parametrize(
    ("weeks", "asked", "expected"),
    [([2, 4], None, 2), ([4], None, 4), (None, None, 4), ([2, 4], 6, 6), (None, 1, 1)],
)
def test_rotation_weeks_picks_the_length_when_asked_or_listed(
    weeks: list[int] | None, asked: int | None, expected: int
) -> None:
    prog = program() if weeks is None else program(weeks=weeks)
    assert rotation_weeks(prog, asked) == expected


@pytest.mark.parametrize(
    ("start", "weeks", "expected"),
    [
        (date(2027, 1, 4), 4, date(2027, 1, 31)),
        (date(2027, 1, 4), 1, date(2027, 1, 10)),
        (date(2027, 12, 27), 1, date(2028, 1, 2)),
        (date(2028, 2, 1), 4, date(2028, 2, 28)),
        (date(2028, 2, 2), 4, date(2028, 2, 29)),
        (date(2027, 1, 4), 52, date(2028, 1, 2)),
    ],
)
def test_last_day_is_start_plus_seven_w_minus_one_when_rotation_lasts_w_weeks(
    start: date, weeks: int, expected: date
) -> None:
    assert last_day(start, weeks) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 15), date(2031, 3, 15)),
        (date(2028, 2, 29), date(2033, 2, 28)),
        (date(2027, 12, 31), date(2032, 12, 31)),
        (date(2995, 1, 1), date(2999, 12, 31)),
        (date(2999, 12, 31), date(2999, 12, 31)),
    ],
)
def test_search_limit_is_five_years_ahead_when_given_today(today: date, expected: date) -> None:
    assert search_limit(today) == expected


@pytest.mark.parametrize(
    ("starts", "first", "last", "expected"),
    [
        ([date(2026, 1, 5)], date(2027, 1, 4), date(2032, 1, 4), None),
        ([date(2032, 1, 4)], date(2027, 1, 4), date(2032, 1, 4), date(2032, 1, 4)),
        ([date(2032, 1, 5)], date(2027, 1, 4), date(2032, 1, 4), None),
        (
            [date(2027, 1, 4), date(2027, 2, 1)],
            date(2027, 1, 4),
            date(2032, 1, 4),
            date(2027, 1, 4),
        ),
        ("first-monday", date(2027, 3, 2), date(2027, 12, 31), date(2027, 4, 5)),
        ("any-monday", date(2027, 3, 2), date(2027, 3, 7), None),
    ],
)
def test_first_allowed_start_returns_the_first_in_range_when_there_is_one(
    starts: Any, first: date, last: date, expected: date | None
) -> None:
    assert first_allowed_start(program(starts=starts), first, last) == expected


@pytest.mark.parametrize(
    ("starts", "wanted", "today", "expected"),
    [
        # The contract's own example: first Monday, 2 June 2027.
        ("first-monday", date(2027, 6, 2), date(2027, 1, 4), (date(2027, 5, 3), date(2027, 6, 7))),
        # The latest start before is only offered when it is today or later.
        ("first-monday", date(2027, 6, 2), date(2027, 5, 3), (date(2027, 5, 3), date(2027, 6, 7))),
        ("first-monday", date(2027, 6, 2), date(2027, 5, 4), (None, date(2027, 6, 7))),
        ("any-monday", date(2027, 6, 2), date(2027, 1, 4), (date(2027, 5, 31), date(2027, 6, 7))),
        (
            [date(2027, 3, 1), date(2027, 9, 6)],
            date(2027, 6, 2),
            date(2027, 1, 4),
            (date(2027, 3, 1), date(2027, 9, 6)),
        ),
        (
            [date(2027, 3, 1), date(2032, 1, 5)],
            date(2027, 6, 2),
            date(2027, 1, 4),
            (date(2027, 3, 1), None),
        ),
    ],
)
def test_nearest_allowed_starts_names_the_neighbours_when_a_start_is_refused(
    starts: Any, wanted: date, today: date, expected: tuple[date | None, date | None]
) -> None:
    assert nearest_allowed_starts(program(starts=starts), wanted, today) == expected
