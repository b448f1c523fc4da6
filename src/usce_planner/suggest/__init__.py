"""`usce suggest`'s core: the best selection of rotations (HiGHS) and backups for each.

Self-contained on purpose: plain values in, plain values out, so the CLI and the catalog
side can change without touching the model.
"""

from usce_planner.suggest.backups import backup_application_usd, find_backups
from usce_planner.suggest.model import STAGES, bound_as_date, solve_selection
from usce_planner.suggest.values import (
    Busy,
    Candidate,
    Figures,
    Problem,
    Selection,
    Settings,
    Slot,
    Suggestion,
    figures_of,
)

__all__ = [
    "STAGES",
    "Busy",
    "Candidate",
    "Figures",
    "Problem",
    "Selection",
    "Settings",
    "Slot",
    "Suggestion",
    "backup_application_usd",
    "bound_as_date",
    "figures_of",
    "find_backups",
    "solve_selection",
    "suggest",
]


def suggest(problem: Problem) -> Suggestion:
    """The best selection within the time limit, each chosen rotation with its backups."""
    selection = solve_selection(problem)
    slots = find_backups(problem, selection.chosen)
    return Suggestion(selection, slots, backup_application_usd(slots))
