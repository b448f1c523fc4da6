"""Candidates no best selection can hold, left out before the solver sees them.

HiGHS's presolve spends seconds on tens of thousands of columns; most of them lose to a rival
on the same days. Candidate i beats j when they cover the same days, i needs no visa j does
not, i costs no more (when there is a budget), and i is better by the selections' order (same
weeks, so: specialty hands-on, hands-on, letters, fewer unknown costs, lower cost; then rank).
Swapping j for such an i keeps every rule and gives a strictly better selection, provided i's
program is free. A selection holds at most `size` rotations, so a j beaten by `size` rivals
(each at its own program, since they share j's days) always has a free one: no best
selection holds j, and leaving all such j out changes no best selection.
"""

from bisect import bisect_right, insort
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from usce_planner.suggest.values import Candidate, Settings


def undominated(candidates: Sequence[Candidate], settings: Settings) -> list[Candidate]:
    """The candidates some best selection might hold, in their given order."""
    size = largest_selection(candidates, settings)
    by_days: dict[tuple[date, int], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_days[(candidate.start, candidate.weeks)].append(candidate)
    with_budget = settings.budget_usd is not None
    kept = {
        candidate.key
        for rivals in by_days.values()
        for candidate in _unbeaten(rivals, size, with_budget)
    }
    return [c for c in candidates if c.key in kept]


def largest_selection(candidates: Sequence[Candidate], settings: Settings) -> int:
    """An upper bound on a selection's size: --max, the programs, and how many fit in time."""
    gap = timedelta(days=settings.gap_days)
    fitting, free_from = 0, date.min
    # Earliest end first packs the most intervals (the classic greedy), gap days included.
    for candidate in sorted(candidates, key=lambda c: c.last_day):
        if candidate.start >= free_from:
            fitting += 1
            free_from = candidate.last_day + gap + timedelta(days=1)
    bounds = [fitting, len({c.program for c in candidates})]
    if settings.max_rotations is not None:
        bounds.append(max(settings.max_rotations, 0))
    return min(bounds)


def _unbeaten(rivals: list[Candidate], size: int, with_budget: bool) -> list[Candidate]:
    """Among candidates on the same days, those beaten by fewer than `size` others."""
    rivals = sorted(rivals, key=_best_first)
    # Costs of the candidates seen so far: all of them, and those needing no visa.
    costs_any: list[int] = []
    costs_no_visa: list[int] = []
    unbeaten: list[Candidate] = []
    for candidate in rivals:
        costs = costs_any if candidate.needs_visa else costs_no_visa
        beaten_by = bisect_right(costs, candidate.cost_usd) if with_budget else len(costs)
        if beaten_by < size:
            unbeaten.append(candidate)
        insort(costs_any, candidate.cost_usd)
        if not candidate.needs_visa:
            insort(costs_no_visa, candidate.cost_usd)
    return unbeaten


def _best_first(candidate: Candidate) -> tuple[bool, bool, bool, bool, int, str]:
    """Order candidates on the same days as the selections' order would (better first)."""
    hands_on = candidate.hands_on is True
    return (
        not (hands_on and candidate.in_specialty),
        not hands_on,
        not candidate.letters_yes,
        candidate.cost_unknown,
        candidate.cost_usd,
        candidate.program,
    )
