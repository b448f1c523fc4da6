"""How the CLI decides the width and colour of what it draws."""

from __future__ import annotations

import io
import os
import sys

import pytest

from usce_planner.cli import output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_width_is_columns_when_the_variable_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "57")
    assert output.terminal_width() == 57


def test_width_is_80_when_nothing_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)

    def no_terminal(descriptor: int) -> object:
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    assert output.terminal_width() == 80


@pytest.mark.parametrize(
    ("environment", "tty", "no_color", "expected"),
    [
        ({}, True, False, True),
        ({}, False, False, False),
        ({}, True, True, False),
        ({"NO_COLOR": "1"}, True, False, False),
        ({"FORCE_COLOR": "1"}, False, False, True),
        ({"FORCE_COLOR": "1"}, True, True, False),
        ({"TERM": "dumb"}, True, False, False),
    ],
)
def test_colour_follows_the_terminal_and_the_environment_when_deciding(
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    tty: bool,
    no_color: bool,
    expected: bool,
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdout", Terminal() if tty else io.StringIO())
    assert output.use_colour(no_color) is expected
