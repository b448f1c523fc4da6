"""Which start dates a program allows, the application window that serves each, and apply-by."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple

from dateutil.rrule import DAILY, MO, MONTHLY, WEEKLY, rrule, weekday

from usce_planner.dates import LAST_DAY, Duration, add_months, on_month_day, parse_month_day
from usce_planner.models.catalog import Program, Window

SEARCH_YEARS = 5
# The recurring start rules of the catalog, as rrule frequencies and weekdays.
_RECURRING: dict[str, tuple[Literal[0, 1, 2, 3, 4, 5, 6], weekday | None]] = {
    "any-day": (DAILY, None),
    "any-monday": (WEEKLY, MO),
    "first-monday": (MONTHLY, MO(+1)),
}
DEFAULT_WEEKS = 4
EN_DASH = "\u2013"  # between the ends of a range of months or weeks
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_ONE_DAY = timedelta(days=1)
_LEAP_DAY = (2, 29)


class ApplyBy(NamedTuple):
    """When to apply for one start: the date, and the window's opening day where one serves."""

    day: date
    window_start: date | None = None
    from_window: bool = False


def rotation_weeks(program: Program, weeks: int | None = None) -> int:
    """Return the rotation length: the one asked for, else the program's usual one, else 4."""
    if weeks is not None:
        return weeks
    return program.weeks[0] if program.weeks else DEFAULT_WEEKS


def lengths_offered(offered: Sequence[int]) -> str:
    """Return offered lengths in words: a full run as a range, else "2, 4 or 8 weeks"."""
    lengths = sorted(offered)
    if len(lengths) > 2 and lengths == list(range(lengths[0], lengths[-1] + 1)):
        return f"{lengths[0]}{EN_DASH}{lengths[-1]} weeks"
    listed = ", ".join(str(w) for w in lengths[:-1])
    return f"{listed} or {lengths[-1]} weeks" if listed else str(Duration(lengths[0], "weeks"))


def last_day(start: date, weeks: int) -> date:
    """Return a rotation's last day: W weeks from S end on S + 7W - 1."""
    return start + timedelta(days=7 * weeks - 1)


def search_limit(today: date) -> date:
    """Return the last day any forward search over dates looks at: 5 years on, 2999 at most."""
    return min(add_months(today, 12 * SEARCH_YEARS), LAST_DAY)


def matches_start_rule(program: Program, day: date) -> bool:
    """Return True when ``day`` fits ``starts`` (omitted: any day), outside ``no_starts``."""
    if program.no_starts is not None and day.month in program.no_start_months:
        return False
    rule = program.starts
    if isinstance(rule, tuple):
        return day in rule
    return _first_on_recurring(rule or "any-day", day) == day


def no_starts_reason(program: Program) -> str | None:
    """Return why some months have no starts ("no placements June-August, per source")."""
    if program.no_starts is None:
        return None
    return f"no placements {month_ranges(program.no_start_months)}, per source"


def month_ranges(months: frozenset[int]) -> str:
    """Return months as runs in words, wrapping past December: "November-January and May"."""
    if not months or len(months) == 12:
        return "no month" if not months else "every month"
    # Begin after a month that is not listed, so that no run is cut at the year's end.
    begin = next(m for m in range(1, 13) if m not in months) % 12 + 1
    runs: list[list[int]] = []
    for month in (((begin - 1 + i) % 12) + 1 for i in range(12)):
        if month not in months:
            continue
        if runs and runs[-1][-1] % 12 + 1 == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    words = [
        MONTH_NAMES[run[0] - 1] + ("" if len(run) == 1 else f"{EN_DASH}{MONTH_NAMES[run[-1] - 1]}")
        for run in runs
    ]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def serving_window(program: Program, start: date) -> ApplyBy | None:
    """Return the window that serves ``start`` (the latest ``closes`` wins), or None."""
    best: ApplyBy | None = None
    for window in program.windows or ():
        found = _resolve(window, start)
        if found is not None and (best is None or found.day > best.day):
            best = found
    return best


def is_allowed_start(program: Program, start: date) -> bool:
    """Return True when the program allows a rotation to start on ``start``."""
    if not matches_start_rule(program, start):
        return False
    return program.windows is None or serving_window(program, start) is not None


def apply_by(program: Program, start: date, default_lead: Duration) -> ApplyBy:
    """Return the apply-by date of an allowed start: the window's close, or start - lead."""
    window = serving_window(program, start) if program.windows else None
    if window is not None:
        return window
    lead = program.lead_time.recommended if program.lead_time else None
    return ApplyBy((lead or default_lead).before(start))


def allowed_starts(program: Program, first: date, last: date) -> Iterator[date]:
    """Yield the allowed starts from ``first`` to ``last``, in order."""
    if program.windows is None:
        yield from _candidates(program, first, last)
        return
    # Only days inside a window's start range can be allowed; looking at those alone keeps a
    # search over five years of daily starts short.
    for range_first, range_last in _window_ranges(program.windows, first, last):
        for day in _candidates(program, range_first, range_last):
            if serving_window(program, day) is not None:
                yield day


def first_on_rule(program: Program, first: date, last: date) -> date | None:
    """Return the first day from ``first`` to ``last`` that fits the start rule, or None.

    Windows aside: the first of ``allowed_starts`` for a program without windows, worked out
    directly rather than by going through the days.
    """
    rule = program.starts
    if isinstance(rule, tuple):
        index = bisect_left(rule, first)  # the model keeps listed starts in order
        if index == len(rule):
            return None
        day = rule[index]  # the model refuses listed starts in a month without starts
    else:
        day = _first_on_recurring(rule or "any-day", first)
        if program.no_starts is not None:
            banned = program.no_start_months
            # At most eleven months in a row have no starts: the model refuses all twelve.
            while day.month in banned and day <= last:
                day = _first_on_recurring(rule or "any-day", first_of_next_month(day))
    return day if day <= last else None


def first_of_next_month(day: date) -> date:
    """Return the first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _recurrence(rule: str, first: date, last: date | None = None) -> rrule:
    """Return a recurring start rule as dateutil's ``rrule``, from ``first`` (to ``last``)."""
    frequency, weekday = _RECURRING[rule]
    until = None if last is None else datetime.combine(last, time())
    return rrule(frequency, dtstart=datetime.combine(first, time()), byweekday=weekday, until=until)


@lru_cache(maxsize=1 << 14)
def _first_on_recurring(rule: str, first: date) -> date:
    # A catalog asks this of the same few rules and days again and again: the rrule's answer
    # is kept, not worked out anew for each program.
    return next(iter(_recurrence(rule, first))).date()


def first_served_start(
    program: Program, first: date, last: date, closes_from: date
) -> tuple[date, ApplyBy] | None:
    """Return the first allowed start from ``first`` to ``last`` applied for by ``closes_from``+.

    For a program with windows: the first of ``allowed_starts`` whose serving window closes on
    or after ``closes_from``, with its ``apply_by``. A start is served by the window that closes
    latest, so it is enough that any window serving it closes then; the search goes through
    each window's range of starts year by year, instead of through the days one by one.
    """
    windows = program.windows or ()
    best: date | None = None
    found_in: tuple[Window, date] | None = None  # the window and its closing day
    ranges: list[tuple[Window, tuple[tuple[int, int], ...], Callable[[int, int, int], date]]] = []
    for window in windows:
        if window.is_recurring:
            starts_from, starts_to, closes = window.starts_from, window.starts_to, window.closes
            assert isinstance(starts_from, str)
            assert isinstance(starts_to, str)
            assert isinstance(closes, str)
            days = (
                parse_month_day(starts_from),
                parse_month_day(starts_to),
                parse_month_day(closes),
            )
            # Only 29 February needs on_month_day's care; any other day is the plain date.
            ranges.append((window, days, on_month_day if _LEAP_DAY in days else date))
            continue
        served = _one_off_range(window)
        earlier = _first_in(program, served, first, last, closes_from, best)
        if earlier is not None and earlier != best:
            best, found_in = earlier, (window, served[2])
    for year in range(first.year - 1, last.year + 1):
        if best is not None and best.year < year:
            break  # a yearly range of starts begins in its own year
        for window, month_days, make in ranges:
            if year < first.year and month_days[1] >= month_days[0]:
                continue  # the range does not run into a new year, so it ends before first
            served = _yearly_range(month_days, year, make)
            earlier = _first_in(program, served, first, last, closes_from, best)
            if earlier is not None and earlier != best:
                best, found_in = earlier, (window, served[2])
    if best is None or found_in is None:
        return None
    if len(windows) > 1:  # another window may serve it too, and close later
        serving = serving_window(program, best)
        assert serving is not None
        return best, serving
    window, closes = found_in
    opens = (
        window.opens
        if isinstance(window.opens, date)
        else _latest_on_or_before(window.opens, closes)
    )
    return best, ApplyBy(closes, opens, True)


def _first_in(
    program: Program,
    served: tuple[date, date, date],
    first: date,
    last: date,
    closes_from: date,
    best: date | None,
) -> date | None:
    range_first, range_last, closes = served
    if closes < closes_from:
        return best
    range_first, range_last = max(range_first, first), min(range_last, last)
    if best is not None:
        range_last = min(range_last, best - _ONE_DAY)
    return first_on_rule(program, range_first, range_last) or best


def _one_off_range(window: Window) -> tuple[date, date, date]:
    # A one-off window closes before its first start (the model checks it).
    assert isinstance(window.starts_from, date)
    assert isinstance(window.starts_to, date)
    assert isinstance(window.closes, date)
    return window.starts_from, window.starts_to, window.closes


def _yearly_range(
    month_days: tuple[tuple[int, int], ...], year: int, make: Callable[[int, int, int], date]
) -> tuple[date, date, date]:
    """Return the starts a yearly window serves from its ``starts_from`` in ``year``, and closes.

    ``month_days`` are the window's ``starts_from``, ``starts_to`` and ``closes``, and ``make``
    makes a month-day's date in a year (``on_month_day``). ``_resolve`` matches a start to the
    latest ``starts_from`` on or before it, so the range ends before the next year's
    ``starts_from``, and it begins after the window closes.
    """
    (from_month, from_day), (to_month, to_day), (closes_month, closes_day) = month_days
    range_first = make(year, from_month, from_day)
    range_last = make(year, to_month, to_day)
    if range_last < range_first:
        following = make(year + 1, from_month, from_day) - _ONE_DAY
        range_last = min(make(year + 1, to_month, to_day), following)
    closes = make(year, closes_month, closes_day)
    if closes > range_first:
        closes = make(year - 1, closes_month, closes_day)
    return max(range_first, closes + _ONE_DAY), range_last, closes


def first_allowed_start(program: Program, first: date, last: date) -> date | None:
    """Return the first allowed start from ``first`` to ``last``, or None."""
    return next(allowed_starts(program, first, last), None)


def nearest_allowed_starts(
    program: Program, wanted: date, today: date, wanted_last: date | None = None
) -> tuple[date | None, date | None]:
    """Return the latest allowed start before ``wanted`` (today or later) and the first after.

    With ``wanted_last``, the days from ``wanted`` to it (a month asked for) are passed over.
    """
    before = None
    for day in allowed_starts(program, today, wanted - timedelta(days=1)):
        before = day
    after_from = (wanted_last or wanted) + timedelta(days=1)
    after = first_allowed_start(program, after_from, search_limit(today))
    return before, after


def _candidates(program: Program, first: date, last: date) -> Iterator[date]:
    rule = program.starts
    if isinstance(rule, tuple):
        yield from (day for day in rule if first <= day <= last)
        return
    if first > last:
        return
    days = (moment.date() for moment in _recurrence(rule or "any-day", first, last))
    if program.no_starts is None:
        yield from days
        return
    banned = program.no_start_months
    yield from (day for day in days if day.month not in banned)


def _window_ranges(windows: tuple[Window, ...], first: date, last: date) -> list[tuple[date, date]]:
    ranges = []
    for window in windows:
        if not window.is_recurring:
            assert isinstance(window.starts_from, date)
            assert isinstance(window.starts_to, date)
            ranges.append((window.starts_from, window.starts_to))
            continue
        for year in range(first.year - 1, last.year + 1):
            assert isinstance(window.starts_from, str)
            month, day = parse_month_day(window.starts_from)
            range_first = on_month_day(year, month, day)
            ranges.append((range_first, _first_on_or_after(window.starts_to, range_first)))
    merged: list[tuple[date, date]] = []
    for start, end in sorted(ranges):
        start, end = max(start, first), min(end, last)
        if start > end:
            continue
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _resolve(window: Window, start: date) -> ApplyBy | None:
    if not window.is_recurring:
        first, final = window.starts_from, window.starts_to
        assert isinstance(first, date)
        assert isinstance(final, date)
        if not first <= start <= final:
            return None
        opens, closes = window.opens, window.closes
        assert isinstance(opens, date)
        assert isinstance(closes, date)
        return ApplyBy(closes, opens, True) if closes < start else None
    range_first = _latest_on_or_before(window.starts_from, start)
    range_last = _first_on_or_after(window.starts_to, range_first)
    if start > range_last:
        return None
    closes = _latest_on_or_before(window.closes, range_first)
    if not closes < start:
        return None
    return ApplyBy(closes, _latest_on_or_before(window.opens, closes), True)


def _latest_on_or_before(month_day: date | str, day: date) -> date:
    assert isinstance(month_day, str)
    month, day_of_month = parse_month_day(month_day)
    candidate = on_month_day(day.year, month, day_of_month)
    return candidate if candidate <= day else on_month_day(day.year - 1, month, day_of_month)


def _first_on_or_after(month_day: date | str, day: date) -> date:
    assert isinstance(month_day, str)
    month, day_of_month = parse_month_day(month_day)
    candidate = on_month_day(day.year, month, day_of_month)
    return candidate if candidate >= day else on_month_day(day.year + 1, month, day_of_month)


@dataclass(frozen=True)
class StartWanted:
    """The start asked for with ``--start``: a day, or a whole month."""

    day: date
    whole_month: bool = False


def first_length_weeks(program: Program) -> int:
    """Return the length planned without --weeks: the first offered (else 4)."""
    return program.weeks[0] if program.weeks else DEFAULT_WEEKS
