"""The entry point ends the process itself: every byte written, the exit code kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
