"""The first allowed start, worked out directly, against going through the days one by one."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import BASE_PROGRAM
from usce_planner.dates import Duration
from usce_planner.models.catalog import Program
from usce_planner.timing.starts import (
    ApplyBy,
    allowed_starts,
    apply_by,
    first_on_rule,
    first_served_start,
)

SIX_MONTHS = Duration(6, "months")


@st.composite
def month_days(draw: st.DrawFn) -> str:
    """Return an ``MM-DD`` day of the year, 29 February included."""
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(2024, month)[1]))
    return f"{month:02d}-{day:02d}"


@st.composite
def one_off_windows(draw: st.DrawFn) -> dict[str, date]:
    """Return a one-off window: opens <= closes < starts_from <= starts_to."""
    opens = draw(st.dates(date(2026, 1, 1), date(2031, 12, 31)))
    closes = opens + timedelta(days=draw(st.integers(0, 90)))
    first = closes + timedelta(days=draw(st.integers(1, 400)))
    last = first + timedelta(days=draw(st.integers(0, 400)))
    return {"opens": opens, "closes": closes, "starts_from": first, "starts_to": last}


yearly_windows = st.fixed_dictionaries(
    {
        "opens": month_days(),
        "closes": month_days(),
        "starts_from": month_days(),
        "starts_to": month_days(),
    }
)
start_rules = st.one_of(
    st.sampled_from([None, "any-day", "any-monday", "first-monday"]),
    st.lists(st.dates(date(2026, 1, 1), date(2032, 12, 31)), min_size=1, max_size=12),
)


@settings(max_examples=300)
@given(
    starts=start_rules,
    first=st.dates(date(2026, 1, 1), date(2032, 12, 31)),
    span=st.integers(-3, 400),
)
def test_first_on_rule_is_the_first_allowed_start_when_there_are_no_windows(
    starts: Any, first: date, span: int
) -> None:
    program = Program.model_validate(
        {**BASE_PROGRAM, **({} if starts is None else {"starts": starts})}
    )
    last = first + timedelta(days=span)
    assert first_on_rule(program, first, last) == next(allowed_starts(program, first, last), None)


def first_by_days(
    program: Program, first: date, last: date, closes_from: date
) -> tuple[date, ApplyBy] | None:
    """Return the first allowed start whose apply-by date is ``closes_from`` or later."""
    for start in allowed_starts(program, first, last):
        applying = apply_by(program, start, SIX_MONTHS)
        if applying.day >= closes_from:
            return start, applying
    return None


@settings(max_examples=300, deadline=None)
@given(
    windows=st.lists(st.one_of(yearly_windows, one_off_windows()), min_size=1, max_size=3),
    starts=start_rules,
    first=st.dates(date(2026, 1, 1), date(2029, 12, 31)),
    span=st.integers(0, 5 * 366),
    late=st.integers(-900, 600),
)
def test_first_served_start_is_the_first_allowed_start_applied_for_in_time(
    windows: list[dict[str, Any]], starts: Any, first: date, span: int, late: int
) -> None:
    fields: dict[str, Any] = {"windows": windows}
    if starts is not None:
        fields["starts"] = starts
    program = Program.model_validate({**BASE_PROGRAM, **fields})
    last, closes_from = first + timedelta(days=span), first + timedelta(days=late)
    expected = first_by_days(program, first, last, closes_from)
    assert first_served_start(program, first, last, closes_from) == expected


def first_start(program: Program, first: date, last: date, closes_from: date) -> date | None:
    """Return the start ``first_served_start`` finds, or None."""
    found = first_served_start(program, first, last, closes_from)
    return None if found is None else found[0]


def test_first_served_start_moves_to_next_year_when_this_years_window_has_closed() -> None:
    window = {"opens": "06-01", "closes": "06-30", "starts_from": "10-01", "starts_to": "12-31"}
    program = Program.model_validate({**BASE_PROGRAM, "windows": [window]})
    first, last = date(2027, 5, 1), date(2031, 1, 1)
    assert first_served_start(program, first, last, date(2027, 6, 30)) == (
        date(2027, 10, 1),
        ApplyBy(date(2027, 6, 30), date(2027, 6, 1), True),
    )
    assert first_served_start(program, first, last, date(2027, 7, 1)) == (
        date(2028, 10, 1),
        ApplyBy(date(2028, 6, 30), date(2028, 6, 1), True),
    )
    assert first_served_start(program, first, date(2028, 9, 30), date(2027, 7, 1)) is None


def served(*windows: dict[str, Any]) -> Program:
    """Return a program whose starts these windows serve."""
    return Program.model_validate({**BASE_PROGRAM, "windows": list(windows)})


def test_first_served_start_finds_last_years_range_when_it_runs_into_this_year() -> None:
    # Applications close 1 October for starts from December to April.
    wrapping = {"opens": "09-01", "closes": "10-01", "starts_from": "12-01", "starts_to": "04-30"}
    program = served(wrapping)
    first, last = date(2028, 1, 10), date(2033, 1, 1)
    assert first_served_start(program, first, last, date(2027, 10, 1)) == (
        date(2028, 1, 10),
        ApplyBy(date(2027, 10, 1), date(2027, 9, 1), True),
    )
    assert first_start(program, first, last, date(2027, 10, 2)) == date(2028, 12, 1)


def test_first_served_start_prefers_a_yearly_start_before_a_one_off_start_that_same_year() -> None:
    one_off = {
        "opens": date(2028, 1, 1),
        "closes": date(2028, 1, 31),
        "starts_from": date(2028, 6, 1),
        "starts_to": date(2028, 6, 30),
    }
    yearly = {"opens": "01-01", "closes": "01-15", "starts_from": "03-01", "starts_to": "03-31"}
    found = first_served_start(
        served(one_off, yearly), date(2028, 1, 2), date(2033, 1, 1), date(2028, 1, 2)
    )
    assert found == (date(2028, 3, 1), ApplyBy(date(2028, 1, 15), date(2028, 1, 1), True))


def test_first_served_start_leaves_a_day_to_the_next_years_range_when_ranges_touch() -> None:
    # "02-29" is the 28th in common years: the range from 29 February 2028 runs to 28 February
    # 2029, which is the next range's first day, and that range's window closes on it. In
    # common years the window closes on its only start, so only 29 February 2032 is served.
    touching = {"opens": "02-01", "closes": "02-28", "starts_from": "02-29", "starts_to": "02-28"}
    program = served(touching)
    found = first_served_start(program, date(2029, 2, 28), date(2033, 1, 1), date(2026, 1, 1))
    assert found == first_by_days(program, date(2029, 2, 28), date(2033, 1, 1), date(2026, 1, 1))
    assert found is not None
    assert found[0] == date(2032, 2, 29)
