"""Use cases of ``usce eligible``: check the catalog against the profile, sort, explain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from usce_planner.app.session import Session, open_catalog
from usce_planner.eligibility import VERDICT_ORDER, Checker, Result
from usce_planner.eligibility.listing import AgeNotices, ProgramFilter, filter_programs
from usce_planner.models.catalog import Catalog, Program
from usce_planner.models.profile import Profile
from usce_planner.storage.profile_file import load_profile
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.starts import StartWanted


@dataclass(frozen=True)
class Verdicts:
    """The checked programs in listing order, with what the listing needs to mark them."""

    today: date
    profile: Profile
    results: list[Result]
    ages: AgeNotices
    catalog: Catalog

    def is_stale(self, program: Program) -> bool:
        """Return True when the entry should be checked against its source."""
        return self.ages.is_stale(program)

    def stale_notices(self, program: Program) -> tuple[str, ...]:
        """Return why the entry should be checked against its source, if it should."""
        return self.ages.of(program)

    def is_specialty_match(self, result: Result) -> bool:
        """Return True when the program lists one of the profile's specialties."""
        listed = result.program.specialties or ()
        return bool(set(listed) & set(self.profile.specialties))


def profile_for(session: Session, example: bool) -> Profile:
    """Return the example profile or the user's own."""
    if example:
        from usce_planner.plan.example import example_profile

        return example_profile(session.today)
    return load_profile(session.locations.profile, session.locations.cache)


def check_catalog(
    session: Session, where: ProgramFilter, wanted: StartWanted | None, example: bool = False
) -> Verdicts:
    """Check every program that passes the filters; sort by verdict, specialty, start, id."""
    profile = profile_for(session, example)
    catalog = open_catalog(session)
    checker = Checker(profile, shipped_rules(session.locations.cache), session.today)
    chosen = filter_programs(catalog.programs, where)
    if wanted is None:
        results = checker.check_all(chosen)
    else:
        results = checker.check_all(chosen, wanted.day, wanted.whole_month)
    results = _sorted(results, frozenset(profile.specialties))
    return Verdicts(session.today, profile, results, AgeNotices(session.today), catalog)


def explain(
    session: Session, program_id: str, wanted: StartWanted | None, example: bool = False
) -> Verdicts:
    """Check one program and keep every detail."""
    profile = profile_for(session, example)
    catalog = open_catalog(session)
    program = catalog.get(program_id)
    checker = Checker(profile, shipped_rules(session.locations.cache), session.today)
    if wanted is None:
        result = checker.check(program)
    else:
        result = checker.check(program, wanted.day, wanted.whole_month)
    return Verdicts(session.today, profile, [result], AgeNotices(session.today), catalog)


def result_document(result: Result, stale: bool) -> dict[str, Any]:
    """Return one result as ``usce eligible --json`` gives it, for ``json_bytes`` to write.

    Dates stay dates and checks stay ``Check`` objects: it writes them as YYYY-MM-DD and as
    objects, with no string or dict made for each.
    """
    target = result.target
    return {
        "program": result.program.id,
        "verdict": result.verdict,
        "start": target.start if target else None,
        "apply_by": target.apply_by if target else None,
        "earliest_start": result.earliest_start,
        "stale": stale,
        "checks": result.checks,
    }


def verdicts_head(verdicts: Verdicts) -> dict[str, Any]:
    """Return what ``usce eligible --json`` gives before the results."""
    return {"today": verdicts.today.isoformat()}


def result_documents(verdicts: Verdicts) -> Iterator[dict[str, Any]]:
    """Yield the results of ``usce eligible --json`` one at a time."""
    is_stale = verdicts.ages.is_stale
    for result in verdicts.results:
        yield result_document(result, is_stale(result.program))


def _sorted(results: list[Result], mine: frozenset[str]) -> list[Result]:
    """Return the results by verdict, then the user's specialties first, start, and id."""
    rank, last = _VERDICT_RANK, date.max
    keys = [
        (
            rank[result.verdict],
            0
            if mine and (listed := result.program.specialties) and not mine.isdisjoint(listed)
            else 1,
            result.target.start if result.target else last,
            result.program.id,
        )
        for result in results
    ]
    order = sorted(range(len(results)), key=keys.__getitem__)
    return [results[index] for index in order]


_VERDICT_RANK = {verdict: rank for rank, verdict in enumerate(VERDICT_ORDER)}
