"""Catalog-like random problems for the suggest tests and the timing note (seeded, no files)."""

import random
from datetime import date, timedelta

from usce_planner.suggest import Busy, Candidate, Problem, Settings

FIRST_MONDAY = date(2027, 1, 4)
PERIOD_WEEKS = 78  # about 18 months, the default period


def _program_starts(rng: random.Random) -> list[date]:
    """Weekly (any-monday) for a third of programs, else the first Monday of each month."""
    mondays = [FIRST_MONDAY + timedelta(weeks=w) for w in range(PERIOD_WEEKS)]
    if rng.random() < 1 / 3:
        return mondays
    return [d for d in mondays if d.day <= 7]


def _program_candidates(rng: random.Random, program: str) -> list[Candidate]:
    """One program's candidates: each start at each listed length, sharing the program's facts."""
    lengths = sorted(rng.sample([2, 3, 4, 6, 8], rng.choice([1, 1, 2, 3])))
    hands_on = rng.choice([True, True, False, None])
    specialty = rng.random() < 0.5
    letters = rng.random() < 0.4
    weekly_fee = rng.choice([0, 150, 250, 400, 600])
    unknown = rng.random() < 0.15
    visa = rng.random() < 0.6
    application = rng.choice([0, 50, 100, 165])
    end = FIRST_MONDAY + timedelta(weeks=PERIOD_WEEKS)
    return [
        Candidate(
            program=program,
            start=start,
            weeks=weeks,
            hands_on=hands_on,
            in_specialty=specialty,
            letters_yes=letters,
            cost_usd=0 if unknown else application + weekly_fee * weeks,
            cost_unknown=unknown,
            needs_visa=visa,
            application_usd=application,
        )
        for start in _program_starts(rng)
        for weeks in lengths
        if start + timedelta(weeks=weeks) <= end
    ]


def catalog_problem(programs: int, seed: int, settings: Settings | None = None) -> Problem:
    """A problem shaped like a catalog of the given size, with two saved rotations."""
    rng = random.Random(seed)
    candidates = [
        candidate
        for number in range(programs)
        for candidate in _program_candidates(rng, f"program-{number:04d}")
    ]
    busy = [
        Busy(date(2027, 3, 1), date(2027, 3, 28)),
        Busy(date(2027, 9, 6), date(2027, 10, 3)),
    ]
    if settings is None:
        settings = Settings(gap_days=2, max_rotations=6, budget_usd=9000, visa_fee_usd=185)
    return Problem(candidates=candidates, busy=busy, settings=settings)
