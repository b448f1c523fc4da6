"""Backups: other candidates that could take a chosen rotation's place, best first."""

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import timedelta

from usce_planner.suggest.feasibility import allowed_candidates, is_feasible, span, too_close
from usce_planner.suggest.values import Candidate, Figures, Problem, Settings, Slot, figures_of


def find_backups(problem: Problem, chosen: Sequence[Candidate]) -> tuple[Slot, ...]:
    """For each chosen rotation, up to the asked number of stand-ins that keep every rule."""
    allowed = allowed_candidates(problem)
    return tuple(_slot(problem, chosen, rotation, allowed) for rotation in chosen)


def _overlapping(rotation: Candidate, allowed: Sequence[Candidate]) -> list[Candidate]:
    """The allowed candidates sharing a day with a rotation, found by start without a full scan."""
    starts = [c.start for c in allowed]
    longest = timedelta(days=7 * max((c.weeks for c in allowed), default=1))
    first = bisect_left(starts, rotation.start - longest)
    last = bisect_right(starts, rotation.last_day)
    return [c for c in allowed[first:last] if too_close(span(c), span(rotation), 0)]


def backup_application_usd(slots: Sequence[Slot]) -> int:
    """What applying to every listed backup as well adds (application and VSLO fees)."""
    return sum(backup.application_usd for slot in slots for backup in slot.backups)


def _slot(
    problem: Problem, chosen: Sequence[Candidate], rotation: Candidate, allowed: Sequence[Candidate]
) -> Slot:
    """Rank the stand-ins for one rotation and keep the best at distinct programs."""
    others = [c for c in chosen if c is not rotation]
    taken = {c.program for c in chosen}
    stand_ins = [
        c
        for c in _overlapping(rotation, allowed)
        if c.program not in taken and _fits_with(others, c, problem.settings)
    ]
    base = figures_of(others, problem.settings.visa_fee_usd)
    others_need_visa = any(c.needs_visa for c in others)
    fee = problem.settings.visa_fee_usd
    stand_ins.sort(key=lambda c: (_swapped_key(base, others_need_visa, fee, c), c.key))
    backups: list[Candidate] = []
    for candidate in stand_ins:
        if len(backups) == problem.settings.backups_per_rotation:
            break
        if candidate.program not in {b.program for b in backups}:
            backups.append(candidate)
    return Slot(rotation, tuple(backups))


def _fits_with(others: Sequence[Candidate], candidate: Candidate, settings: Settings) -> bool:
    """Tell whether a stand-in keeps the gap and the budget beside the other chosen rotations.

    The others already form a selection at other programs, and the count does not change.
    """
    if any(too_close(span(candidate), span(o), settings.gap_days) for o in others):
        return False
    return is_feasible([*others, candidate], Problem((), settings=settings))


def _swapped_key(
    base: Figures, others_need_visa: bool, visa_fee_usd: int, candidate: Candidate
) -> tuple[int, ...]:
    """figures_of(others + [candidate]).sort_key(), added up from the others' figures."""
    hands_on = candidate.hands_on is True
    new_visa_fee = visa_fee_usd if candidate.needs_visa and not others_need_visa else 0
    last = max(base.last_day or candidate.last_day, candidate.last_day)
    return Figures(
        specialty_hands_on_weeks=base.specialty_hands_on_weeks
        + (candidate.weeks if hands_on and candidate.in_specialty else 0),
        hands_on_weeks=base.hands_on_weeks + (candidate.weeks if hands_on else 0),
        letters=base.letters + candidate.letters_yes,
        weeks=base.weeks + candidate.weeks,
        unknown_cost_rotations=base.unknown_cost_rotations + candidate.cost_unknown,
        cost_usd=base.cost_usd + candidate.cost_usd + new_visa_fee,
        last_day=last,
    ).sort_key()
