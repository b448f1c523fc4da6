"""The tests' own answer: every subset tried, written apart from the module it checks."""

from collections.abc import Sequence
from datetime import timedelta
from itertools import combinations

from usce_planner.suggest import Candidate, Problem

Score = tuple[int, int, int, int, int, int, int]


def last_day_of(candidate: Candidate) -> int:
    """The last day's ordinal, counted here rather than read from the module."""
    return (candidate.start + timedelta(days=7 * candidate.weeks - 1)).toordinal()


def apart(a: Candidate, b: Candidate, gap_days: int) -> bool:
    """Whether two rotations leave at least gap_days free days between them."""
    first, second = sorted((a, b), key=lambda c: c.start)
    return second.start.toordinal() - last_day_of(first) - 1 >= gap_days


def is_allowed(candidate: Candidate, problem: Problem) -> bool:
    """Clear of every saved rotation (gap included) and within its program's weeks left."""
    gap = problem.settings.gap_days
    left = problem.weeks_left.get(candidate.program)
    if left is not None and candidate.weeks > left:
        return False
    for busy in problem.busy:
        if candidate.start > busy.last_day:
            free = candidate.start.toordinal() - busy.last_day.toordinal() - 1
        else:
            free = busy.start.toordinal() - last_day_of(candidate) - 1
        if free < gap:
            return False
    return True


def cost_of(chosen: Sequence[Candidate], problem: Problem) -> int:
    """Known costs plus the visa fee once."""
    visa = problem.settings.visa_fee_usd if any(c.needs_visa for c in chosen) else 0
    return sum(c.cost_usd for c in chosen) + visa


def is_selection(chosen: Sequence[Candidate], problem: Problem) -> bool:
    """Every rule of a selection, checked pair by pair."""
    settings = problem.settings
    if not all(is_allowed(c, problem) for c in chosen):
        return False
    if len({c.program for c in chosen}) < len(chosen):
        return False
    if settings.max_rotations is not None and len(chosen) > settings.max_rotations:
        return False
    if settings.budget_usd is not None and cost_of(chosen, problem) > max(settings.budget_usd, 0):
        return False
    return all(apart(a, b, settings.gap_days) for a, b in combinations(chosen, 2))


def score(chosen: Sequence[Candidate], problem: Problem) -> Score:
    """The selections' order as a tuple to minimise."""
    hands_on = [c for c in chosen if c.hands_on is True]
    return (
        -sum(c.weeks for c in hands_on if c.in_specialty),
        -sum(c.weeks for c in hands_on),
        -sum(1 for c in chosen if c.letters_yes),
        -sum(c.weeks for c in chosen),
        sum(1 for c in chosen if c.cost_unknown),
        cost_of(chosen, problem),
        max((last_day_of(c) for c in chosen), default=0),
    )


def rank_sum(chosen: Sequence[Candidate], problem: Problem) -> int:
    """Sum of positions (from 1) among all candidates by start, program, weeks."""
    order = sorted(c.key for c in problem.candidates)
    return sum(order.index(c.key) + 1 for c in chosen)


def best_selections(problem: Problem) -> tuple[Score, list[frozenset[tuple[object, ...]]]]:
    """The best score and every selection (as keys) that reaches it with the least rank sum."""
    selections = [
        list(subset)
        for size in range(len(problem.candidates) + 1)
        for subset in combinations(problem.candidates, size)
        if is_selection(subset, problem)
    ]
    best = min(score(s, problem) for s in selections)
    top = [s for s in selections if score(s, problem) == best]
    least = min(rank_sum(s, problem) for s in top)
    return best, [frozenset(c.key for c in s) for s in top if rank_sum(s, problem) == least]
