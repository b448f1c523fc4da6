"""Which programs a listing shows: filters, the cost of one rotation, and age notices."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from usce_planner.dates import add_months, source_date_reference
from usce_planner.errors import NotFoundError
from usce_planner.models.catalog import Program
from usce_planner.names import did_you_mean
from usce_planner.timing.starts import first_length_weeks


@dataclass(frozen=True)
class ProgramFilter:
    """Filters are ANDed; repeated values of one filter are ORed."""

    kinds: tuple[str, ...] = ()
    specialties: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    hands_on: bool = False
    audiences: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    max_cost: int | None = None
    include_unknown_cost: bool = False
    search: str | None = None
    include_unknown: bool = False

    def matches(self, program: Program) -> bool:
        """Return True when the program passes every filter."""
        checks = (
            _one_of(program.kind, self.kinds),
            _one_of(program.state, self.states),
            _one_of(program.status, self.statuses),
            _one_of(program.channel, self.channels),
            _specialty_matches(program, self.specialties),
            _any_of(program.audience, self.audiences),
            program.hands_on if self.hands_on else True,
            self._cost_ok(program),
            self._search_ok(program),
        )
        return all(True if check is None and self.include_unknown else check for check in checks)

    def _cost_ok(self, program: Program) -> bool | None:
        if self.max_cost is None:
            return True
        cost = one_rotation_cost(program)
        if cost is None:
            return self.include_unknown_cost
        return cost <= self.max_cost

    def _search_ok(self, program: Program) -> bool:
        if not self.search:
            return True
        needle = self.search.casefold()
        haystack = (program.name, program.institution, program.city or "")
        return any(needle in text.casefold() for text in haystack)


def select_programs(programs: Iterable[Program], where: ProgramFilter) -> list[Program]:
    """Return the programs that pass the filter, by institution, then name, then id."""
    chosen = filter_programs(programs, where)
    return sorted(chosen, key=lambda p: (p.institution.casefold(), p.name.casefold(), p.id))


def filter_programs(programs: Iterable[Program], where: ProgramFilter) -> list[Program]:
    """Return the programs that pass the filter, in catalog order.

    A specialty that no program lists is an error naming the closest ones: otherwise the filter
    would quietly keep only the programs that list none.
    """
    if where == NO_FILTER:
        return list(programs)
    programs = list(programs)
    if where.specialties:
        check_specialties(programs, where.specialties)
    return [program for program in programs if where.matches(program)]


def specialty_counts(programs: Iterable[Program]) -> list[tuple[str, int]]:
    """Return each specialty name in use and how many programs list it, by name."""
    counts = Counter(name for program in programs for name in program.specialties or ())
    return sorted(counts.items())


def check_specialties(programs: Sequence[Program], wanted: Iterable[str]) -> None:
    """Refuse a specialty that no program lists, naming the closest names in use."""
    in_use = {
        name
        for program in programs
        for name in (*(program.specialties or ()), *(program.excluded_specialties or ()))
    }
    for name in wanted:
        if name not in in_use:
            hint = did_you_mean(name, in_use) or ""
            raise NotFoundError(
                f"no program lists the specialty '{name}'{hint} "
                "(`usce programs --specialties` lists the names in use)"
            )


NO_FILTER = ProgramFilter()


def one_rotation_cost(program: Program) -> int | None:
    """Return application + program fee for one rotation of the usual length; None if unknown."""
    fees = program.fees
    if fees is None or fees.application_usd is None or fees.program_usd is None:
        return None
    weeks = first_length_weeks(program)
    units = {"rotation": 1, "week": weeks, "month": math.ceil(weeks / 4), "flat": 1}
    return fees.application_usd + fees.program_usd * units[fees.per or "rotation"]


def partial_fees(program: Program) -> list[str]:
    """Return the fees a program states, as text, where the total is unknown."""
    fees = program.fees
    if fees is None:
        return []
    parts = []
    if fees.program_usd is not None:
        parts.append(f"${fees.program_usd:,}/{fees.per or 'rotation'}")
    if fees.application_usd is not None:
        parts.append(f"${fees.application_usd:,} to apply")
    return parts


def deposit_text(program: Program) -> str | None:
    """Return the deposit in words, or None where the source states none."""
    fees = program.fees
    if fees is None or fees.deposit_usd is None:
        return None
    credited = " (part of the program fee)" if fees.deposit_credited else ""
    return f"${fees.deposit_usd:,} deposit{credited}"


def age_notices(program: Program, today: date) -> list[str]:
    """Return why an entry should be checked against its source, if it should."""
    return list(AgeNotices(today).of(program))


class AgeNotices:
    """Why entries should be checked against their source, judged on one day."""

    def __init__(self, today: date) -> None:
        self._verified_by = add_months(today, -12)
        self._dated_by = add_months(today, -24)

    def is_stale(self, program: Program) -> bool:
        """Return ``bool(self.of(program))``, without writing the notices."""
        if program.verified < self._verified_by:
            return True
        reference = source_date_reference(program.source_date)
        return reference is None or reference < self._dated_by

    def of(self, program: Program) -> tuple[str, ...]:
        """Return why this entry should be checked against its source, if it should."""
        notices: tuple[str, ...] = ()
        if program.verified < self._verified_by:
            notices = (f"last verified {program.verified.isoformat()}, over 12 months ago",)
        reference = source_date_reference(program.source_date)
        if reference is None:
            notices += ("the source page is undated",)
        elif reference < self._dated_by:
            notices += (f"the source dates from {program.source_date}, over two years ago",)
        return notices


def _one_of(value: str | None, wanted: Sequence[str]) -> bool | None:
    if not wanted:
        return True
    if value is None:
        return None
    return value in wanted


def _any_of(values: Sequence[str] | None, wanted: Sequence[str]) -> bool | None:
    if not wanted:
        return True
    if values is None:
        return None
    return any(value in wanted for value in values)


def _specialty_matches(program: Program, wanted: Sequence[str]) -> bool:
    # No list means "many, see the source": such programs stay in, marked "many", unless the
    # source excludes every specialty asked for.
    if not wanted:
        return True
    if not program.specialties:
        excluded = program.excluded_specialties or ()
        return any(specialty not in excluded for specialty in wanted)
    return any(specialty in wanted for specialty in program.specialties)
