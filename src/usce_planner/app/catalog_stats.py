"""``usce programs --stats``: the catalog's health at a glance, counted from its programs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, get_args

from usce_planner.app.session import Session, open_catalog
from usce_planner.dates import add_months, source_date_reference
from usce_planner.eligibility.listing import AgeNotices, ProgramFilter, filter_programs
from usce_planner.models.base import Audience, Confidence, Kind, Status
from usce_planner.models.catalog import Catalog, Program

VERIFIED_AGES = ("under 6 months", "6 to 12 months", "over 12 months")
SOURCE_AGES = ("under 1 year", "1 to 2 years", "over 2 years", "undated")
# Optional facts a maintainer wants stated: how many entries state each.
STATED: dict[str, Callable[[Program], bool]] = {
    "audience": lambda p: p.audience is not None,
    "hands_on": lambda p: p.hands_on is not None,
    "weeks": lambda p: p.weeks is not None,
    "starts": lambda p: p.starts is not None,
    "windows or lead_time": lambda p: p.windows is not None or p.lead_time is not None,
    "letters": lambda p: p.letters not in (None, "unknown"),
    "fees (any)": lambda p: p.fees is not None,
    "fees (application and program)": lambda p: (
        p.fees is not None and p.fees.application_usd is not None and p.fees.program_usd is not None
    ),
    "no_starts": lambda p: p.no_starts is not None,
    "notes": lambda p: p.notes is not None,
}


def count_catalog(programs: Sequence[Program], today: date) -> dict[str, Any]:
    """Return counts by kind, status, audience, confidence, state, data age and facts stated."""
    ages = AgeNotices(today)
    return {
        "programs": len(programs),
        "kind": _in_order((p.kind for p in programs), get_args(Kind)),
        "status": _in_order((p.status for p in programs), get_args(Status)),
        "audience": _in_order(
            (a for p in programs for a in (p.audience or ("unknown",))),
            (*get_args(Audience), "unknown"),
        ),
        "confidence": _in_order((p.confidence for p in programs), get_args(Confidence)),
        "state": dict(
            sorted(Counter(p.state for p in programs).items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        "verified": _in_order((_verified_age(p, today) for p in programs), VERIFIED_AGES),
        "source_date": _in_order((_source_age(p, today) for p in programs), SOURCE_AGES),
        "check_source": sum(ages.is_stale(p) for p in programs),
        "stated": {name: sum(map(is_stated, programs)) for name, is_stated in STATED.items()},
    }


def _in_order(values: Iterable[str], order: Sequence[str]) -> dict[str, int]:
    # Every possible value is shown, zeros included, so that two runs compare line by line.
    counts = Counter(values)
    return {value: counts[value] for value in order}


def _verified_age(program: Program, today: date) -> str:
    if program.verified >= add_months(today, -6):
        return VERIFIED_AGES[0]
    return VERIFIED_AGES[1] if program.verified >= add_months(today, -12) else VERIFIED_AGES[2]


def _source_age(program: Program, today: date) -> str:
    reference = source_date_reference(program.source_date)
    if reference is None:
        return SOURCE_AGES[3]
    if reference >= add_months(today, -12):
        return SOURCE_AGES[0]
    return SOURCE_AGES[1] if reference >= add_months(today, -24) else SOURCE_AGES[2]


def catalog_stats(session: Session, where: ProgramFilter) -> tuple[dict[str, Any], Catalog]:
    """Return the counts over the programs that pass the filters, and the catalog."""
    catalog = open_catalog(session)
    return count_catalog(filter_programs(catalog.programs, where), session.today), catalog
