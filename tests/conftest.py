"""Shared fixtures: a CLI runner that isolates the user's folders, and file factories."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from usce_planner.cli import app
from usce_planner.cli.options import hoist_common_options

# The calendar tests' shared runner and plan.
pytest_plugins = ["tests.calendar_plan"]

MINIMAL_PROGRAM = {
    "institution": '"Example Hospital"',
    "name": '"Observership"',
    "kind": '"observership"',
    "status": '"open"',
    "state": '"NY"',
    "source": '"https://example.org/observe"',
    "source_date": '"2025"',
    "verified": "2026-11-25",
    "confidence": '"high"',
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden/ instead of comparing with them.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Return True when the run should rewrite golden files."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user folder at a temporary home so tests never touch the real one."""
    home = tmp_path / "home"
    monkeypatch.setenv("USCE_HOME", str(home))
    for name in ("USCE_PROFILE", "USCE_PLAN", "USCE_TODAY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(runner: CliRunner) -> Invoke:
    """Run ``usce`` the way the entry point does (common options hoisted)."""

    def run(args: Sequence[str], input: str | None = None) -> Result:
        return runner.invoke(app, hoist_common_options(list(args)), input=input)

    return run


WriteFile = Callable[..., Path]


@pytest.fixture
def write_catalog(tmp_path: Path) -> WriteFile:
    """Write catalog text (dedented) to a file and return its path."""

    def write(text: str, name: str = "catalog.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


def program_toml(program_id: str = "example-observer", **keys: str) -> str:
    """Return one valid [[program]] entry; ``keys`` (TOML values as text) add or replace keys.

    The value "OMIT" leaves a key out; ``requires__step1="true"`` goes to the entry's
    ``[program.requires]`` table.
    """
    top = {"id": f'"{program_id}"', **MINIMAL_PROGRAM}
    requires: dict[str, str] = {}
    for key, value in keys.items():
        table, _, leaf = key.rpartition("__")
        target = requires if table == "requires" else top
        if value == "OMIT":
            target.pop(leaf, None)
        else:
            target[leaf] = value
    text = "\n[[program]]\n" + "".join(f"{k} = {v}\n" for k, v in top.items())
    if requires:
        text += "[program.requires]\n" + "".join(f"{k} = {v}\n" for k, v in requires.items())
    return text
