"""Backups: valid stand-ins, ranked as the tests rank them, with their application cost."""

from datetime import date, timedelta

from hypothesis import given, settings

from tests.suggest.brute_force import is_selection, score
from tests.suggest.test_model import MONDAY, make, problems
from usce_planner.suggest import (
    Candidate,
    Problem,
    Settings,
    Slot,
    backup_application_usd,
    find_backups,
    suggest,
)


def overlaps(a: Candidate, b: Candidate) -> bool:
    """Whether two rotations share a day, counted here."""
    a_last = a.start + timedelta(days=7 * a.weeks - 1)
    b_last = b.start + timedelta(days=7 * b.weeks - 1)
    return a.start <= b_last and b.start <= a_last


def expected_backups(problem: Problem, chosen: list[Candidate], rotation: Candidate) -> list[Candidate]:
    """The tests' own backups: every valid stand-in ranked, then distinct programs kept."""
    others = [c for c in chosen if c is not rotation]
    taken = {c.program for c in chosen}
    stand_ins = [
        c
        for c in problem.candidates
        if c.program not in taken and overlaps(c, rotation) and is_selection([*others, c], problem)
    ]
    stand_ins.sort(key=lambda c: (score([*others, c], problem), c.start, c.program, c.weeks))
    picked: list[Candidate] = []
    for candidate in stand_ins:
        if len(picked) < problem.settings.backups_per_rotation and candidate.program not in {
            p.program for p in picked
        }:
            picked.append(candidate)
    return picked


@settings(max_examples=100, deadline=None)
@given(problems())
def test_backups_match_the_tests_own_ranking_when_instances_are_small(problem: Problem) -> None:
    answer = suggest(problem)
    chosen = list(answer.selection.chosen)
    assert [slot.rotation for slot in answer.slots] == chosen
    for slot in answer.slots:
        assert list(slot.backups) == expected_backups(problem, chosen, slot.rotation)
    listed = sum(b.application_usd for slot in answer.slots for b in slot.backups)
    assert answer.backup_application_usd == listed


def test_backups_overlap_their_slot_keep_the_rules_and_differ_in_program() -> None:
    chosen = make("main", 0, 4, hands_on=True)
    rivals = [
        make("r1", 7, 4, hands_on=True, cost_usd=50),
        make("r2", 0, 2, cost_usd=20),
        make("r2", 0, 4, cost_usd=20),
        make("far", 60, 2),
    ]
    problem = Problem([chosen, *rivals], settings=Settings(max_rotations=1))
    (slot,) = find_backups(problem, [chosen])
    assert [(b.program, b.weeks) for b in slot.backups] == [("r1", 4), ("r2", 4)]


def test_backups_respect_the_budget_with_the_visa_fee() -> None:
    chosen = make("main", 0, 2, cost_usd=100)
    visa_rival = make("visa", 0, 2, cost_usd=100, needs_visa=True)
    plain_rival = make("plain", 0, 2, cost_usd=150)
    problem = Problem([chosen, visa_rival, plain_rival], settings=Settings(budget_usd=200, visa_fee_usd=185))
    (slot,) = find_backups(problem, [chosen])
    assert [b.program for b in slot.backups] == ["plain"]


def test_backups_leave_out_programs_already_chosen() -> None:
    first, second = make("a", 0, 2), make("b", 21, 2)
    same_program_as_second = make("b", 0, 2)
    slots = find_backups(Problem([first, second, same_program_as_second]), [first, second])
    assert slots == (Slot(first, ()), Slot(second, ()))


def test_backup_application_cost_adds_every_listed_backup() -> None:
    main = make("main", 0, 2)
    rivals = [make(f"r{i}", 0, 2, application_usd=40 + i) for i in range(3)]
    answer = suggest(Problem([main, *rivals], settings=Settings(backups_per_rotation=2)))
    assert len(answer.slots[0].backups) == 2
    assert answer.backup_application_usd == backup_application_usd(answer.slots) == 40 + 41


def test_no_backups_when_none_are_asked() -> None:
    answer = suggest(Problem([make("a", 0, 2), make("b", 0, 2)], settings=Settings(backups_per_rotation=0)))
    assert all(slot.backups == () for slot in answer.slots)
    assert answer.selection.chosen[0].start == date(2027, 1, 4) == MONDAY
