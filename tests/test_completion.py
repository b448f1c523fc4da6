"""Shell completion through Typer's own mechanism: program ids, rotation keys, milestone ids."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Invoke

PROFILE = """
schema = 1
stage = "graduate"
graduation = 2025-06-30
citizenship = "IN"
english_medium_school = true
step1 = { status = "passed", date = 2024-03-10 }
"""


def complete(home: Path, line: str) -> list[str]:
    """Return what bash completion offers for the last word of ``line``."""
    words = line.split(" ")
    env = {
        **os.environ,
        "USCE_HOME": str(home),
        "USCE_TODAY": "2026-12-06",
        "_USCE_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    done = subprocess.run(
        [sys.executable, "-m", "usce_planner"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.fixture
def planned(invoke: Invoke, isolated_home: Path) -> Path:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    added = invoke(["plan", "add", "cc-florida-observer", "--start", "2027-10", "--today", "2026-12-06"])
    assert added.exit_code == 0, added.output
    return isolated_home


def test_help_offers_completion_options(invoke: Invoke) -> None:
    text = invoke(["--help"]).output
    assert "--install-completion" in text
    assert "--show-completion" in text


def test_show_completion_prints_the_bash_script(invoke: Invoke) -> None:
    result = invoke(["--show-completion", "bash"])
    assert result.exit_code == 0, result.output
    assert "complete -o default -F _usce_completion usce" in result.output


def test_completes_program_ids_rotation_keys_milestones_and_statuses(planned: Path) -> None:
    assert complete(planned, "usce programs show cc-florida-ob") == ["cc-florida-observer"]
    assert complete(planned, "usce plan add mayo-visiting-clerkship-") == [
        "mayo-visiting-clerkship-arizona",
        "mayo-visiting-clerkship-florida",
    ]
    assert complete(planned, "usce plan status cc-fl") == [
        "cc-florida-observer",
        "cc-florida-observer@2027-10-04",
    ]
    assert complete(planned, "usce plan status cc-florida-observer wa") == ["waitlisted"]
    assert "cc-florida-observer@2027-10-04:tb-test" in complete(planned, "usce plan done cc-")
    assert complete(planned, "usce plan undone me:") == ["me:visa"]


def test_completion_without_a_plan_or_profile_offers_nothing(isolated_home: Path) -> None:
    assert complete(isolated_home, "usce plan remove ") == []
    assert complete(isolated_home, "usce plan done ") == []
