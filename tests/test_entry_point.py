"""The entry point ends the process itself: every byte written, the exit code kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import weakref

import pytest

WRITE_THEN_EXIT = (
    "import sys; from usce_planner.__main__ import exit_now; "
    "sys.stdout.write('x' * 200000); sys.stderr.write('note'); exit_now({code})"
)


@pytest.mark.parametrize(("code", "status"), [("None", 0), ("0", 0), ("3", 3), ("2", 2)])
def test_exit_now_flushes_what_was_written_and_keeps_the_code(code: str, status: int) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WRITE_THEN_EXIT.format(code=code)], capture_output=True, text=True
    )
    assert (done.returncode, len(done.stdout), done.stderr) == (status, 200000, "note")


def test_exit_now_prints_a_message_code_and_exits_one_as_sys_exit_does() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WRITE_THEN_EXIT.format(code="'Error: gone'")],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (1, "noteError: gone\n")


def test_a_whole_json_document_reaches_a_pipe_before_the_process_ends() -> None:
    env = {**os.environ, "USCE_TODAY": "2026-11-25"}
    done = subprocess.run(
        [sys.executable, "-m", "usce_planner", "eligible", "--example", "--all", "--json"],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0
    assert len(json.loads(done.stdout)["results"]) > 50


def test_a_reader_that_stops_early_ends_the_run_quietly() -> None:
    env = {**os.environ, "USCE_TODAY": "2026-11-25"}
    with subprocess.Popen(
        [sys.executable, "-m", "usce_planner", "eligible", "--example", "--all", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        errors = process.stderr.read()
        status = process.wait(timeout=60)
    assert status in (0, 1)
    assert b"Traceback" not in errors


NO_PLUGINS = """
import sys, pydantic
from usce_planner.__main__ import _without_pydantic_plugins
_without_pydantic_plugins()
from pydantic.plugin._schema_validator import create_schema_validator
assert pydantic.TypeAdapter(int).validate_python("7") == 7
print("importlib.metadata" in sys.modules, sys.modules["pydantic.plugin._loader"].get_plugins())
"""


def test_pydantic_looks_for_no_plugins_when_usce_runs() -> None:
    # A plugin would see the profile; looking for one reads every installed package's metadata.
    done = subprocess.run([sys.executable, "-c", NO_PLUGINS], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "False ()")


def test_held_values_outlive_the_command_only_when_the_entry_point_ends_the_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from usce_planner.cli import output

    class Made:
        """Something a command made."""

    monkeypatch.setattr(output, "_held", None)
    made = Made()
    gone = weakref.ref(made)
    output.hold_until_exit(made)
    del made
    assert gone() is None  # tests and library use keep nothing
    output.start_holding_until_exit()
    made = Made()
    kept = weakref.ref(made)
    output.hold_until_exit(made)
    del made
    assert kept() is not None
