"""How the solver runs: the same answer each time, and an honest answer when time runs out."""

import pytest

from tests.suggest.brute_force import is_selection
from tests.suggest.instances import catalog_problem
from tests.suggest.test_model import make
from usce_planner.suggest import Problem, Settings, bound_as_date, solve_selection
from usce_planner.suggest.model import _figure_bound


def test_same_input_gives_the_same_selection_on_repeated_runs() -> None:
    problem = catalog_problem(8, seed=3)
    answers = {tuple(c.key for c in solve_selection(problem).chosen) for _ in range(3)}
    assert len(answers) == 1


def test_medium_instance_is_solved_to_proven_optimum() -> None:
    selection = solve_selection(catalog_problem(8, seed=5))
    assert selection.optimal
    assert selection.bound is None
    assert selection.unproved_stage is None
    assert is_selection(selection.chosen, catalog_problem(8, seed=5))


def test_no_time_left_gives_a_valid_selection_marked_not_optimal() -> None:
    limits = Settings(gap_days=2, max_rotations=6, budget_usd=9000, time_limit_seconds=0.0)
    problem = catalog_problem(30, seed=1, settings=limits)
    selection = solve_selection(problem)
    assert not selection.optimal
    assert selection.unproved_stage == "specialty_hands_on_weeks"
    assert is_selection(selection.chosen, problem)


def test_bound_is_given_in_the_unproved_figures_units() -> None:
    candidates = [make("a", 0, 2)]
    # Maximised figures are solved as minimised negations; the bound comes back positive.
    assert _figure_bound("hands_on_weeks", -12.0, candidates) == 12.0
    assert _figure_bound("cost_usd", 350.0, candidates) == 350.0
    assert _figure_bound("weeks", None, candidates) is None
    # Day numbers count from the day before the earliest start.
    last_day_bound = _figure_bound("last_day", 14.0, candidates)
    assert last_day_bound is not None
    assert bound_as_date(last_day_bound) == make("a", 0, 2).last_day


def test_proved_small_problem_reports_no_bound() -> None:
    selection = solve_selection(Problem([make("a", 0, 2, hands_on=True)]))
    assert selection.optimal
    assert selection.bound is None


@pytest.mark.parametrize("limit", [None, 2])
def test_medium_instance_keeps_every_rule(limit: int | None) -> None:
    limits = Settings(gap_days=3, max_rotations=limit, budget_usd=5000, visa_fee_usd=185)
    problem = catalog_problem(10, seed=7, settings=limits)
    selection = solve_selection(problem)
    assert is_selection(selection.chosen, problem)
    assert limit is None or len(selection.chosen) <= limit


def test_bound_rounds_inwards_to_a_whole_figure() -> None:
    candidates = [make("a", 0, 2)]
    assert _figure_bound("letters", -5.9999999999, candidates) == 6.0
    assert _figure_bound("letters", -6.5, candidates) == 6.0
    assert _figure_bound("cost_usd", 349.2, candidates) == 350.0
