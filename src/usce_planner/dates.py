"""Durations, calendar arithmetic and the date formats of catalogs and profiles."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Literal

from dateutil.relativedelta import relativedelta

Unit = Literal["days", "weeks", "months"]

# Every date a user gives or a file holds lies in these years (section 1); far outside them,
# date arithmetic (a start plus five years of search) would leave Python's own range.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
OUT_OF_RANGE = "is outside the years 1900 to 2999"

_DURATION = re.compile(
    r"^\s*([1-9][0-9]{0,3})\s*(d|w|m|day|days|week|weeks|month|months)\s*$", re.IGNORECASE
)
_UNITS: dict[str, Unit] = {"d": "days", "w": "weeks", "m": "months"}
_UNIT_NUMBER = {"days": 0, "weeks": 1, "months": 2}
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ACADEMIC_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Duration:
    """A positive number of calendar days, weeks or months."""

    count: int
    unit: Unit
    # Days and weeks as one exact offset, and the hash, made once: eligibility applies
    # durations constantly, and looks up what it worked out for them.
    _exact: timedelta | None = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact = None
        if self.unit != "months":
            exact = timedelta(days=self.count * 7 if self.unit == "weeks" else self.count)
        object.__setattr__(self, "_exact", exact)
        # Of numbers only: a copy kept from another process (whose text hashes differ) still
        # hashes as its equals do here.
        object.__setattr__(self, "_hash", hash((self.count, _UNIT_NUMBER[self.unit])))

    def __hash__(self) -> int:
        return self._hash

    def __str__(self) -> str:
        noun = self.unit if self.count != 1 else self.unit[:-1]
        return f"{self.count} {noun}"

    def before(self, day: date) -> date:
        """Return the day this duration before ``day`` (months clamp to the month's end)."""
        if self._exact is None:
            return add_months(day, -self.count)
        return day - self._exact

    def after(self, day: date) -> date:
        """Return the day this duration after ``day`` (months clamp to the month's end)."""
        if self._exact is None:
            return add_months(day, self.count)
        return day + self._exact


@lru_cache(maxsize=1 << 16)
def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by whole calendar months, the day clamped to the month's end.

    dateutil's ``relativedelta`` does the arithmetic; its answers are kept, since a large
    catalog asks for the same few months before the same starts again and again.
    """
    moved: date = day + relativedelta(months=months)
    return moved


def last_of_month(day: date) -> date:
    """Return the last day of ``day``'s month."""
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def parse_duration(text: str) -> Duration:
    """Parse ``6 months``, ``6m``, ``4 weeks`` or ``10d``; raise ValueError otherwise."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a duration; write a number from 1 and a unit, "
            "such as '6 months', '4 weeks' or '10 days'"
        )
    word = match.group(2).lower()
    unit = _UNITS.get(word) or (word if word.endswith("s") else word + "s")
    return Duration(int(match.group(1)), unit)  # type: ignore[arg-type]  # unit is one of three


@lru_cache(maxsize=4096)
def source_date_reference(text: str) -> date | None:
    """Return the last day of a ``source_date`` period, None for ``undated``; else ValueError."""
    if text == "undated":
        return None
    reference = _source_period_end(text)
    if not is_in_range(reference):
        raise ValueError(f"{text!r} {OUT_OF_RANGE}")
    return reference


def _source_period_end(text: str) -> date:
    academic = _ACADEMIC_YEAR.match(text)
    if academic is not None:
        first, second = int(academic.group(1)), int(academic.group(2))
        if (first + 1) % 100 != second:
            raise ValueError(f"{text!r} is not an academic year; the second year must follow")
        return date(first + 1, 6, 30)
    try:
        parts = [int(part) for part in text.split("-")] if _CALENDAR.match(text) else []
        if len(parts) == 3:
            return date(parts[0], parts[1], parts[2])
        if len(parts) == 2:
            return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        if len(parts) == 1:
            return date(parts[0], 12, 31)
    except ValueError:
        pass
    raise ValueError(
        f"{text!r} is not a source date; use YYYY, YYYY-MM, YYYY-MM-DD, "
        "an academic year such as 2022/23, or 'undated'"
    )


@cache
def parse_month_day(text: str) -> tuple[int, int]:
    """Parse ``MM-DD`` (``02-29`` allowed) into (month, day); raise ValueError otherwise."""
    match = _MONTH_DAY.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a month-day; write MM-DD such as '06-01'")
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        raise ValueError(f"{text!r} is not a day of the year")
    return month, day


def on_month_day(year: int, month: int, day: int) -> date:
    """Return the date of MM-DD in ``year``; 29 February falls on the 28th in common years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def calendar_years_before(day: date, years: int) -> date:
    """Return ``day`` minus whole calendar years (29 February becomes the 28th)."""
    return add_months(day, -12 * years)


class DateOutOfRangeError(ValueError):
    """A well-formed date outside the years 1900 to 2999."""


def parse_iso_day(text: str) -> date:
    """Return the day written as YYYY-MM-DD; raise ValueError for anything else.

    A real day outside the years 1900 to 2999 raises DateOutOfRangeError.
    """
    # date.fromisoformat also takes 20270101 and week dates, which no one means here.
    text = text.strip()
    if not _ISO_DAY.match(text):
        raise ValueError(text)
    return _in_range(date.fromisoformat(text), text)


def parse_iso_month(text: str) -> date:
    """Return the first day of the month written as YYYY-MM; raise ValueError otherwise.

    A real month outside the years 1900 to 2999 raises DateOutOfRangeError.
    """
    text = text.strip()
    if not _ISO_MONTH.match(text):
        raise ValueError(text)
    return _in_range(date.fromisoformat(f"{text}-01"), text)


def is_in_range(day: date) -> bool:
    """Return True when ``day`` lies in the years 1900 to 2999."""
    return FIRST_DAY <= day <= LAST_DAY


def _in_range(day: date, text: str) -> date:
    if not is_in_range(day):
        raise DateOutOfRangeError(f"'{text}' {OUT_OF_RANGE}")
    return day
