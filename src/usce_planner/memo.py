"""Remembering a pure function's answer for the arguments it was last called with."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")
R = TypeVar("R")


def same_pair_as_last(function: Callable[[A, B], R]) -> Callable[[A, B], R]:
    """Cache a function of two immutable objects for the pair it was last called with.

    Eligibility asks some questions of one pair again and again (of the profile and the rules
    once per program, of the profile and a program twice). Identity is the cheap test, and
    holding the last pair keeps their identities from being reused by new objects.
    """
    last: list[tuple[A, B, R]] = []

    @functools.wraps(function)
    def wrapper(first: A, second: B) -> R:
        if last and last[0][0] is first and last[0][1] is second:
            return last[0][2]
        result = function(first, second)
        last[:] = [(first, second, result)]
        return result

    return wrapper
