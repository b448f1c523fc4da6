"""Which candidates and selections the rules allow, checked directly (no solver)."""

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise

from usce_planner.suggest.values import Busy, Candidate, Problem, Settings


def too_close(first: tuple[date, date], second: tuple[date, date], gap_days: int) -> bool:
    """Tell whether two (start, last day) spans share a day or leave fewer free days than asked."""
    gap = timedelta(days=gap_days)
    return first[0] <= second[1] + gap and second[0] <= first[1] + gap


def span(candidate: Candidate) -> tuple[date, date]:
    """A candidate's days as a (start, last day) pair, the form too_close compares."""
    return (candidate.start, candidate.last_day)


def allowed_candidates(problem: Problem) -> list[Candidate]:
    """The candidates a selection may use, in rank order: clear of busy days, within max weeks."""
    candidates = sorted(problem.candidates, key=lambda c: c.key)
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise ValueError("two candidates share a program, a start and a length")
    return [c for c in candidates if _is_allowed(c, problem)]


def _is_allowed(candidate: Candidate, problem: Problem) -> bool:
    """Tell whether a candidate fits its program's weeks left and keeps clear of saved rotations."""
    weeks_left = problem.weeks_left.get(candidate.program)
    if weeks_left is not None and candidate.weeks > weeks_left:
        return False
    gap_days = problem.settings.gap_days
    return not any(_near_busy(candidate, busy, gap_days) for busy in problem.busy)


def _near_busy(candidate: Candidate, busy: Busy, gap_days: int) -> bool:
    """Tell whether a candidate is too close to a saved rotation."""
    return too_close(span(candidate), (busy.start, busy.last_day), gap_days)


def effective_budget(settings: Settings) -> int | None:
    """The budget the model uses: one already overspent still allows the empty selection."""
    if settings.budget_usd is None:
        return None
    return max(settings.budget_usd, 0)


def is_feasible(chosen: Sequence[Candidate], problem: Problem) -> bool:
    """Tell whether a set of allowed candidates keeps every rule of a selection."""
    settings = problem.settings
    programs = [c.program for c in chosen]
    if len(set(programs)) != len(programs):
        return False
    if settings.max_rotations is not None and len(chosen) > settings.max_rotations:
        return False
    if not _fits_budget(chosen, settings):
        return False
    spans = sorted(span(c) for c in chosen)
    # Sorted by start, only neighbours can be too close once each pair of neighbours is not.
    return not any(too_close(a, b, settings.gap_days) for a, b in pairwise(spans))


def _fits_budget(chosen: Sequence[Candidate], settings: Settings) -> bool:
    """Tell whether the known costs plus the visa fee (once) stay within the budget."""
    budget = effective_budget(settings)
    if budget is None:
        return True
    visa_fee = settings.visa_fee_usd if any(c.needs_visa for c in chosen) else 0
    return sum(c.cost_usd for c in chosen) + visa_fee <= budget
