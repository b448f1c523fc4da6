"""Durations, month arithmetic and the date formats of catalogs and profiles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from usce_planner.dates import (
    DateOutOfRangeError,
    Duration,
    add_months,
    last_of_month,
    on_month_day,
    parse_duration,
    parse_iso_day,
    parse_iso_month,
    parse_month_day,
    source_date_reference,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 months", Duration(6, "months")),
        ("6m", Duration(6, "months")),
        ("6M", Duration(6, "months")),
        ("4 weeks", Duration(4, "weeks")),
        ("10d", Duration(10, "days")),
        (" 3 W ", Duration(3, "weeks")),
        ("1 month", Duration(1, "months")),
        ("1 week", Duration(1, "weeks")),
        ("1 day", Duration(1, "days")),
        ("2 Days", Duration(2, "days")),
        ("9999 days", Duration(9999, "days")),
    ],
)
def test_parse_duration_accepts_each_form_when_text_matches(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text", ["0 days", "-1 w", "6", "six months", "10000 d", "6 years", "", "06 months", "6 mo"]
)
def test_parse_duration_refuses_text_when_it_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration") as caught:
        parse_duration(text)
    assert str(caught.value) == (
        f"{text!r} is not a duration; write a number from 1 and a unit, "
        "such as '6 months', '4 weeks' or '10 days'"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("6m", "6 months"),
        ("1 m", "1 month"),
        ("1 months", "1 month"),
        ("1w", "1 week"),
        ("2 week", "2 weeks"),
        ("1 days", "1 day"),
        ("10d", "10 days"),
    ],
)
def test_duration_str_is_normalised_when_printed(text: str, shown: str) -> None:
    assert str(parse_duration(text)) == shown


@pytest.mark.parametrize(
    ("duration", "day", "expected"),
    [
        (Duration(6, "months"), date(2027, 8, 31), date(2027, 2, 28)),
        (Duration(6, "months"), date(2028, 8, 31), date(2028, 2, 29)),
        (Duration(1, "months"), date(2027, 3, 31), date(2027, 2, 28)),
        (Duration(1, "months"), date(2027, 5, 31), date(2027, 4, 30)),
        (Duration(12, "months"), date(2028, 2, 29), date(2027, 2, 28)),
        (Duration(6, "months"), date(2027, 7, 15), date(2027, 1, 15)),
        (Duration(6, "weeks"), date(2027, 3, 1), date(2027, 1, 18)),
        (Duration(1, "weeks"), date(2027, 1, 3), date(2026, 12, 27)),
        (Duration(10, "days"), date(2027, 3, 5), date(2027, 2, 23)),
        (Duration(1, "days"), date(2028, 3, 1), date(2028, 2, 29)),
    ],
)
def test_before_clamps_month_ends_and_counts_weeks_exactly_when_subtracting(
    duration: Duration, day: date, expected: date
) -> None:
    assert duration.before(day) == expected


def test_after_clamps_to_month_end_when_adding_months() -> None:
    assert Duration(1, "months").after(date(2027, 1, 31)) == date(2027, 2, 28)
    assert Duration(2, "weeks").after(date(2027, 12, 25)) == date(2028, 1, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", date(2025, 12, 31)),
        ("2025-04", date(2025, 4, 30)),
        ("2025-12", date(2025, 12, 31)),
        ("2027-02", date(2027, 2, 28)),
        ("2028-02", date(2028, 2, 29)),
        ("2000-02", date(2000, 2, 29)),
        ("1900-02", date(1900, 2, 28)),
        ("2025-03-14", date(2025, 3, 14)),
        ("2028-02-29", date(2028, 2, 29)),
        ("2022/23", date(2023, 6, 30)),
        ("1999/00", date(2000, 6, 30)),
    ],
)
def test_source_date_reference_is_last_day_of_period_when_valid(text: str, expected: date) -> None:
    assert source_date_reference(text) == expected


def test_source_date_reference_is_none_when_undated() -> None:
    assert source_date_reference("undated") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2022/24",
            "'2022/24' is not an academic year; the second year must follow",
        ),
        (
            "22/23",
            "'22/23' is not a source date; use YYYY, YYYY-MM, YYYY-MM-DD, "
            "an academic year such as 2022/23, or 'undated'",
        ),
        (
            "soon",
            "'soon' is not a source date; use YYYY, YYYY-MM, YYYY-MM-DD, "
            "an academic year such as 2022/23, or 'undated'",
        ),
        (
            "Undated",
            "'Undated' is not a source date; use YYYY, YYYY-MM, YYYY-MM-DD, "
            "an academic year such as 2022/23, or 'undated'",
        ),
    ],
)
def test_source_date_reference_refuses_text_when_malformed(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="is not") as caught:
        source_date_reference(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", ["2027-02-30", "2022-13", "2022-23", "2022-00", "2022-01-00"])
def test_source_date_reference_refuses_day_when_it_does_not_exist(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        source_date_reference(text)


@pytest.mark.parametrize("text", ["2022-13", "2022-23"])
def test_source_date_reference_explains_format_when_month_is_out_of_range(text: str) -> None:
    with pytest.raises(ValueError, match="is not a source date"):
        source_date_reference(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("02-29", (2, 29)), ("01-01", (1, 1)), ("12-31", (12, 31)), ("06-30", (6, 30))],
)
def test_parse_month_day_returns_month_and_day_when_valid(
    text: str, expected: tuple[int, int]
) -> None:
    assert parse_month_day(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("02-30", "'02-30' is not a day of the year"),
        ("13-01", "'13-01' is not a day of the year"),
        ("00-10", "'00-10' is not a day of the year"),
        ("04-31", "'04-31' is not a day of the year"),
        ("6-01", "'6-01' is not a month-day; write MM-DD such as '06-01'"),
        ("2027-06-01", "'2027-06-01' is not a month-day; write MM-DD such as '06-01'"),
        ("", "'' is not a month-day; write MM-DD such as '06-01'"),
    ],
)
def test_parse_month_day_refuses_text_when_not_a_day_of_the_year(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="is not a") as caught:
        parse_month_day(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2027, 2, 29, date(2027, 2, 28)),
        (2028, 2, 29, date(2028, 2, 29)),
        (2027, 6, 1, date(2027, 6, 1)),
    ],
)
def test_on_month_day_falls_on_the_28th_when_year_is_common(
    year: int, month: int, day: int, expected: date
) -> None:
    assert on_month_day(year, month, day) == expected


days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))
counts = st.integers(min_value=1, max_value=9999)


@given(count=counts, day=days)
def test_months_before_equals_relativedelta_when_any_count_and_day(count: int, day: date) -> None:
    assert Duration(count, "months").before(day) == day - relativedelta(months=count)


@given(count=counts, day=days)
def test_weeks_before_is_exact_days_when_any_count_and_day(count: int, day: date) -> None:
    assert Duration(count, "weeks").before(day) == day - timedelta(days=7 * count)


@given(count=counts)
def test_parsed_duration_round_trips_when_printed(count: int) -> None:
    for unit in ("days", "weeks", "months"):
        duration = parse_duration(f"{count} {unit}")
        assert parse_duration(str(duration)) == duration


@given(months=st.integers(min_value=-20000, max_value=20000), day=days)
def test_add_months_equals_relativedelta_when_any_shift_and_day(months: int, day: date) -> None:
    try:
        expected = day + relativedelta(months=months)
    except ValueError:
        with pytest.raises(ValueError, match="out of range"):
            add_months(day, months)
        return
    assert add_months(day, months) == expected


@given(count=counts, day=days)
def test_months_after_equals_relativedelta_when_no_overflow(count: int, day: date) -> None:
    try:
        expected = day + relativedelta(months=count)
    except ValueError:
        return
    assert Duration(count, "months").after(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2028, 2, 10), date(2028, 2, 29)),
        (date(2027, 2, 1), date(2027, 2, 28)),
        (date(2027, 12, 31), date(2027, 12, 31)),
        (date(2027, 4, 30), date(2027, 4, 30)),
    ],
)
def test_last_of_month_is_the_months_final_day_when_any_day(day: date, expected: date) -> None:
    assert last_of_month(day) == expected


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_a_day_outside_1900_to_2999_is_refused_as_out_of_range(text: str) -> None:
    with pytest.raises(DateOutOfRangeError, match="is outside the years 1900 to 2999"):
        parse_iso_day(text)


@pytest.mark.parametrize("text", ["0001-01", "1899-12", "3000-01"])
def test_a_month_outside_1900_to_2999_is_refused_as_out_of_range(text: str) -> None:
    with pytest.raises(DateOutOfRangeError, match="is outside the years 1900 to 2999"):
        parse_iso_month(text)


@pytest.mark.parametrize(
    "text", ["\uff12\uff10\uff12\uff17-01-01", "2027-1-01", "202701", "2027-W01"]
)
def test_only_ascii_iso_days_and_months_are_dates(text: str) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        parse_iso_day(text)
    assert not isinstance(caught.value, DateOutOfRangeError)
    with pytest.raises(ValueError, match=r"."):
        parse_iso_month(text[:7])


@pytest.mark.parametrize("text", ["0001", "1898/99", "3000-01", "2999/00"])
def test_a_source_date_outside_1900_to_2999_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is outside the years 1900 to 2999"):
        source_date_reference(text)
