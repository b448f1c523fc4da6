"""The conventions every command follows: common options anywhere, exit codes, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner import __version__
from usce_planner.cli.options import hoist_common_options


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_package_version(invoke: Invoke, flag: str) -> None:
    result = invoke([flag])
    assert result.exit_code == 0
    assert result.output == f"usce {__version__}\n"


def test_module_entry_point_runs_help_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "usce_planner", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "programs" in done.stdout
    assert "Example:" in done.stdout


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_answers_without_importing_typer(flag: str) -> None:
    code = (
        f"import sys; sys.argv = ['usce', '{flag}']; "
        "from usce_planner.__main__ import main; main(); "
        "print('typer' in sys.modules, 'pydantic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [f"usce {__version__}", "False False"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["programs", "--json"], ["--json", "programs"]),
        (
            ["programs", "show", "x", "--today", "2027-01-01"],
            ["--today", "2027-01-01", "programs", "show", "x"],
        ),
        (["--today=2027-01-01", "programs"], ["--today=2027-01-01", "programs"]),
        (
            ["--catalog", "a.toml", "programs", "--catalog", "b.toml"],
            ["--catalog", "a.toml", "--catalog", "b.toml", "programs"],
        ),
        (
            ["profile", "set", "name", "x", "--", "--json"],
            ["profile", "set", "name", "x", "--", "--json"],
        ),
        (["programs", "--json", "--today"], ["--json", "--today"]),
    ],
)
def test_common_options_move_to_the_front_when_given_after_the_command(
    argv: list[str], expected: list[str]
) -> None:
    assert hoist_common_options(argv) == expected


@pytest.mark.parametrize("argv", [["eligible", "--all", "--today"], ["--today"]])
def test_common_option_without_its_value_is_named_when_given_last(
    invoke: Invoke, argv: list[str]
) -> None:
    result = invoke(argv)
    assert result.exit_code == 2
    assert "Error: Option '--today' requires an argument." in result.stderr
    assert "No such option" not in result.stderr


def test_later_today_wins_when_given_before_and_after(
    invoke: Invoke, write_catalog: WriteFile
) -> None:
    path = write_catalog("schema = 1\n" + program_toml())
    args = ["--today", "2020-01-01", "programs", "show", "example-observer", "--only-catalog"]
    result = invoke([*args, "--catalog", str(path), "--today", "2029-01-01"])
    assert result.exit_code == 0
    # verified 2026-11-25 is over 12 months before 2029-01-01, not before 2020-01-01
    assert "over 12 months ago" in result.output


@pytest.mark.parametrize("value", ["someday", "2027-02-30", "2027-1-1x"])
def test_malformed_today_is_a_usage_error(invoke: Invoke, value: str) -> None:
    result = invoke(["programs", "--today", value])
    assert result.exit_code == 2
    assert (
        f"Error: Invalid value for '--today': '{value}' is not a date; write YYYY-MM-DD"
        in result.output
    )
    assert "Usage:" in result.output
    assert "╭" not in result.output


def test_malformed_usce_today_is_a_usage_error(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USCE_TODAY", "tomorrow")
    result = invoke(["programs"])
    assert result.exit_code == 2
    assert "Error: Invalid value for USCE_TODAY: 'tomorrow' is not a date" in result.output


def test_today_option_wins_over_usce_today(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, write_catalog: WriteFile
) -> None:
    monkeypatch.setenv("USCE_TODAY", "2020-01-01")
    path = write_catalog("schema = 1\n" + program_toml())
    result = invoke(
        [
            "programs",
            "show",
            "example-observer",
            "--only-catalog",
            "--catalog",
            str(path),
            "--today",
            "2029-01-01",
        ]
    )
    assert "over 12 months ago" in result.output


def test_only_catalog_without_a_catalog_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke(["programs", "--only-catalog"])
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for '--only-catalog': needs at least one --catalog" in result.output
    )


def test_unknown_option_is_a_usage_error_without_a_box(invoke: Invoke) -> None:
    result = invoke(["programs", "--colour"])
    assert result.exit_code == 2
    assert "Error: No such option: --colour" in result.output
    assert "╭" not in result.output


def test_bad_catalog_is_an_error_line_and_exit_1_without_traceback(
    invoke: Invoke, write_catalog: WriteFile
) -> None:
    path = write_catalog("schema = 1\n[[program]]\nid = \n")
    result = invoke(["programs", "--only-catalog", "--catalog", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {path}: line 3, column 6: TOML syntax error: Invalid value"
    )
    assert "Traceback" not in result.output
