"""A runner on a one-program catalog and a two-rotation plan, shared by the calendar tests.

A pytest plugin (``pytest_plugins`` in conftest), so that the .ics, cancellation and vdir tests
use one set of fixtures; a test module that defines its own ``usce`` keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner.storage.plan_file import load_plan

TODAY = "2026-11-25"
# Commas, semicolons, a backslash, a newline and non-ASCII text: ICS must escape and fold them.
INSTITUTION = "Clínica São Paulo, Inc.; R&D \\ Dept\nof Medicine 東京"
CATALOG = "schema = 1\n" + program_toml(
    "mon",
    institution=r'"Clínica São Paulo, Inc.; R&D \\ Dept\nof Medicine 東京"',
    starts='"any-monday"',
    weeks="[4]",
    lead_time='{ recommended = "3 months" }',
)
PROFILE_FLAGS = (
    *("--stage", "graduate", "--graduation", "2025-06-30", "--citizenship", "IN"),
    *("--step1", "passed", "--step1-date", "2024-03-10", "--english-medium-school"),
    *("--target-match", "2028"),
)
Run = Callable[..., Result]


@pytest.fixture
def usce(invoke: Invoke, write_catalog: WriteFile) -> Run:
    """Run usce on the tiny catalog only, always with --today."""
    catalog = write_catalog(CATALOG)

    def go(*args: str, today: str = TODAY) -> Result:
        return invoke([*args, "--today", today, "--only-catalog", "--catalog", str(catalog)])

    return go


@pytest.fixture
def token(usce: Run, isolated_home: Path) -> str:
    """A profile and a plan of two rotations at one program, by the CLI; return its token."""
    for args in (
        ("profile", "init", *PROFILE_FLAGS),
        ("plan", "add", "mon", "--start", "2027-03-01"),
        ("plan", "add", "mon", "--start", "2027-10-04"),
    ):
        result = usce(*args)
        assert result.exit_code == 0, result.output
    plan = load_plan(isolated_home / "plan.toml")
    assert plan is not None
    return plan.uid_token
