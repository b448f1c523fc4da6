"""The solver's answer against exhaustive enumeration, and the rules one at a time."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.suggest.brute_force import best_selections, is_selection, score
from usce_planner.suggest import (
    Busy,
    Candidate,
    Problem,
    Settings,
    figures_of,
    solve_selection,
)

MONDAY = date(2027, 1, 4)


def make(program: str, start_day: int, weeks: int = 2, **facts: object) -> Candidate:
    """A candidate with dull defaults, so each test states only what it is about."""
    values: dict[str, object] = {
        "hands_on": False,
        "in_specialty": True,
        "letters_yes": False,
        "cost_usd": 100,
        "cost_unknown": False,
        "needs_visa": False,
    }
    values.update(facts)
    return Candidate(program=program, start=MONDAY + timedelta(days=start_day), weeks=weeks, **values)  # type: ignore[arg-type]


def chosen_programs(problem: Problem) -> list[str]:
    """The programs the solver picks, in start order."""
    return [c.program for c in solve_selection(problem).chosen]


@st.composite
def candidates(draw: st.DrawFn) -> list[Candidate]:
    """Four to nine candidates at a few programs, starts close enough to clash."""
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from("abcde"), st.integers(0, 42), st.integers(1, 3)),
            min_size=4,
            max_size=9,
            unique_by=lambda key: (key[0], key[1], key[2]),
        )
    )
    return [
        Candidate(
            program=program,
            start=MONDAY + timedelta(days=start),
            weeks=weeks,
            hands_on=draw(st.sampled_from([True, False, None])),
            in_specialty=draw(st.booleans()),
            letters_yes=draw(st.booleans()),
            cost_usd=draw(st.integers(0, 6)) * 100,
            cost_unknown=draw(st.booleans()),
            needs_visa=draw(st.booleans()),
            application_usd=draw(st.integers(0, 3)) * 50,
        )
        for program, start, weeks in keys
    ]


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """A random small problem: candidates, saved rotations, weeks left and limits."""
    busy = [
        Busy(MONDAY + timedelta(days=day), MONDAY + timedelta(days=day + length))
        for day, length in draw(st.lists(st.tuples(st.integers(-10, 50), st.integers(0, 10)), max_size=2))
    ]
    limits = Settings(
        gap_days=draw(st.integers(0, 6)),
        max_rotations=draw(st.none() | st.integers(0, 3)),
        budget_usd=draw(st.none() | st.integers(-100, 1500)),
        visa_fee_usd=draw(st.sampled_from([0, 185, 400])),
    )
    weeks_left = draw(st.dictionaries(st.sampled_from("abcde"), st.integers(0, 3), max_size=2))
    return Problem(candidates=draw(candidates()), busy=busy, weeks_left=weeks_left, settings=limits)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_selection_matches_exhaustive_search_when_instances_are_small(problem: Problem) -> None:
    best, least_rank_selections = best_selections(problem)
    selection = solve_selection(problem)
    assert is_selection(selection.chosen, problem)
    assert score(selection.chosen, problem) == best
    assert selection.figures.sort_key() == best
    assert frozenset(c.key for c in selection.chosen) in least_rank_selections
    assert selection.optimal
    assert selection.bound is None


@settings(max_examples=60, deadline=None)
@given(problems())
def test_figures_match_the_tests_own_score_when_any_subset_is_scored(problem: Problem) -> None:
    chosen = [c for c in problem.candidates if c.program == "a"][:1] + [
        c for c in problem.candidates if c.program == "b"
    ][:1]
    assert figures_of(chosen, problem.settings.visa_fee_usd).sort_key() == score(chosen, problem)


def test_hands_on_beats_observation_when_both_fit_the_same_days() -> None:
    observation = make("obs", 0, 4, letters_yes=True, cost_usd=0)
    hands_on = make("ward", 7, 4, hands_on=True, cost_usd=900)
    assert chosen_programs(Problem([observation, hands_on])) == ["ward"]


def test_specialty_hands_on_beats_more_hands_on_weeks_elsewhere() -> None:
    specialty = make("mine", 0, 2, hands_on=True, in_specialty=True)
    other = make("other", 0, 4, hands_on=True, in_specialty=False)
    assert chosen_programs(Problem([other, specialty])) == ["mine"]


def test_letters_break_ties_when_hands_on_weeks_are_equal() -> None:
    plain = make("plain", 0, 4, hands_on=True)
    letters = make("letters", 0, 4, hands_on=True, letters_yes=True, cost_usd=500)
    assert chosen_programs(Problem([plain, letters])) == ["letters"]


def test_lower_cost_wins_when_everything_else_ties() -> None:
    dear = make("a", 0, 4, cost_usd=700)
    cheap = make("b", 0, 4, cost_usd=300)
    assert chosen_programs(Problem([dear, cheap])) == ["b"]


def test_fewer_unknown_costs_win_over_a_lower_known_cost() -> None:
    unknown = make("a", 0, 4, cost_usd=0, cost_unknown=True)
    known = make("b", 0, 4, cost_usd=900)
    assert chosen_programs(Problem([unknown, known])) == ["b"]


def test_earlier_last_day_wins_when_figures_tie() -> None:
    late = make("a", 21, 2)
    early = make("b", 0, 2)
    selection = solve_selection(Problem([late, early], settings=Settings(max_rotations=1)))
    assert [c.program for c in selection.chosen] == ["b"]
    assert selection.figures.last_day == date(2027, 1, 17)


def test_budget_binds_when_the_best_pair_costs_too_much() -> None:
    first = make("a", 0, 4, hands_on=True, cost_usd=600)
    second = make("b", 28, 4, hands_on=True, cost_usd=600)
    cheap = make("c", 28, 2, hands_on=True, cost_usd=300)
    problem = Problem([first, second, cheap], settings=Settings(budget_usd=1000))
    selection = solve_selection(problem)
    assert [c.program for c in selection.chosen] == ["a", "c"]
    assert selection.figures.cost_usd == 900


def test_visa_fee_counts_once_when_two_rotations_need_it() -> None:
    first = make("a", 0, 2, needs_visa=True, cost_usd=100)
    second = make("b", 21, 2, needs_visa=True, cost_usd=100)
    enough = Settings(budget_usd=400, visa_fee_usd=200)
    selection = solve_selection(Problem([first, second], settings=enough))
    assert len(selection.chosen) == 2
    assert selection.figures.cost_usd == 400
    short = Settings(budget_usd=399, visa_fee_usd=200)
    assert len(solve_selection(Problem([first, second], settings=short)).chosen) == 1


def test_visa_fee_is_left_out_when_no_chosen_rotation_needs_it() -> None:
    selection = solve_selection(Problem([make("a", 0, 2)], settings=Settings(visa_fee_usd=300)))
    assert selection.figures.cost_usd == 100


def test_gap_days_keep_rotations_apart_when_asked() -> None:
    # a ends on day 13; b starts on day 16: two free days between them.
    rotations = [make("a", 0, 2), make("b", 16, 2)]
    assert chosen_programs(Problem(rotations, settings=Settings(gap_days=2))) == ["a", "b"]
    assert len(chosen_programs(Problem(rotations, settings=Settings(gap_days=3)))) == 1


def test_rotations_may_touch_but_not_share_a_day_without_gap_days() -> None:
    assert chosen_programs(Problem([make("a", 0, 2), make("b", 14, 2)])) == ["a", "b"]
    assert len(chosen_programs(Problem([make("a", 0, 2), make("b", 13, 2)]))) == 1


def test_saved_rotations_block_their_days_and_the_gap_around_them() -> None:
    saved = [Busy(MONDAY + timedelta(days=14), MONDAY + timedelta(days=27))]
    near = make("near", 30, 2, hands_on=True)  # two free days after the saved rotation
    clash = make("clash", 7, 2, hands_on=True)
    assert chosen_programs(Problem([near, clash], busy=saved)) == ["near"]
    assert chosen_programs(Problem([near, clash], busy=saved, settings=Settings(gap_days=3))) == []


def test_max_rotations_caps_the_selection() -> None:
    rotations = [make(name, 14 * i, 2) for i, name in enumerate("abc")]
    assert len(chosen_programs(Problem(rotations, settings=Settings(max_rotations=2)))) == 2


def test_one_rotation_per_program_even_when_days_allow_two() -> None:
    assert len(chosen_programs(Problem([make("a", 0, 2), make("a", 28, 2)]))) == 1


def test_weeks_left_leave_out_rotations_longer_than_the_program_allows() -> None:
    long, short = make("a", 0, 4), make("a", 0, 2)
    assert [c.weeks for c in solve_selection(Problem([long, short], weeks_left={"a": 3})).chosen] == [2]


def test_empty_selection_when_nothing_is_offered() -> None:
    selection = solve_selection(Problem([]))
    assert selection.chosen == ()
    assert selection.figures.last_day is None
    assert selection.optimal


def test_overspent_budget_allows_only_free_rotations() -> None:
    overspent = Settings(budget_usd=-50)
    paid, free = make("paid", 0, 2, cost_usd=100), make("free", 28, 2, cost_usd=0)
    selection = solve_selection(Problem([paid, free], settings=overspent))
    assert [c.program for c in selection.chosen] == ["free"]
    assert selection.optimal


def test_same_key_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="share a program"):
        solve_selection(Problem([make("a", 0, 2), make("a", 0, 2, cost_usd=5)]))
