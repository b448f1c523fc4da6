"""The last-pair cache: the same pair gives the remembered answer, any other pair a new one."""

from __future__ import annotations

from collections.abc import Callable

from usce_planner.memo import same_pair_as_last


def counted() -> tuple[list[tuple[object, object]], Callable[[object, object], object]]:
    calls: list[tuple[object, object]] = []

    @same_pair_as_last
    def pair(first: object, second: object) -> tuple[object, object]:
        calls.append((first, second))
        return (first, second)

    return calls, pair


def test_answer_is_remembered_when_the_same_objects_come_again() -> None:
    calls, pair = counted()
    first, second = ["a"], ["b"]
    assert pair(first, second) == pair(first, second)
    assert len(calls) == 1


def test_answer_is_worked_out_again_when_an_equal_but_other_object_comes() -> None:
    calls, pair = counted()
    pair(["a"], ["b"])
    pair(["a"], ["b"])
    assert len(calls) == 2


def test_only_the_last_pair_is_remembered_when_pairs_alternate() -> None:
    calls, pair = counted()
    one, two, other = ["1"], ["2"], ["x"]
    for first in (one, two, one):
        pair(first, other)
    assert [c[0] for c in calls] == [one, two, one]


def test_each_argument_counts_when_only_the_second_changes() -> None:
    calls, pair = counted()
    first = ["a"]
    pair(first, ["b"])
    assert pair(first, ["c"]) == (first, ["c"])
    assert len(calls) == 2
