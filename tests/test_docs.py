"""The README cannot drift: every command is documented and has help with an example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from tests.conftest import Invoke
from usce_planner.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths(typer_app: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for command in typer_app.registered_commands:
        assert command.name is not None
        paths.append((*prefix, command.name))
    for group in typer_app.registered_groups:
        sub_app = group.typer_instance
        assert sub_app is not None
        name = sub_app.info.name
        assert isinstance(name, str)
        paths.append((*prefix, name))
        paths += command_paths(sub_app, (*prefix, name))
    return paths


COMMANDS = command_paths(app)


def test_the_command_list_is_not_empty() -> None:
    assert ("programs", "show") in COMMANDS
    assert ("profile", "set") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    assert f"usce {' '.join(path)}" in README


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(invoke: Invoke, path: tuple[str, ...]) -> None:
    result = invoke([*path, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_is_exactly_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "usce " in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci
