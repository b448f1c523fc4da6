"""Output failures (section 1): a reader that goes away ends the command quietly with its own exit
code; any other failure to write stdout is ``Error: cannot write the output: REASON`` and exit 1;
stderr that cannot be written never fails a command; no traceback, ``--version`` included.

These run the real entry point in a child process, whose descriptors are what is under test.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_bad_input_corpus import PLAN, PROFILE

TODAY = "2026-12-01"
COMMANDS = (
    "--version",
    "--help",
    "plan --help",
    "programs",
    "programs --json",
    "programs show cc-florida-observer",
    "eligible",
    "eligible --all --json",
    "eligible --example",
    "plan",
    "plan --json",
    "plan --gantt",
    "plan --example",
    "rules",
    "profile show",
    "export --format ics",
    "export --format json --example",
    "plan --frobnicate",
    "programs show no-such-program",
)
FAILURES = ("full", "closed", "reader-gone")
FULL_DISK = "Error: cannot write the output: No space left on device"
CLOSED = "Error: cannot write the output: Bad file descriptor"


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: bytes
    stderr: str


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("home")
    (folder / "profile.toml").write_text(PROFILE, encoding="utf-8")
    (folder / "plan.toml").write_text(PLAN, encoding="utf-8")
    return folder


def usce(home: Path, command: str, stdout: str = "pipe", stderr: str = "pipe") -> Outcome:
    """Run usce with stdout and stderr each a pipe, /dev/full, closed, or a pipe no one reads."""
    env = {**os.environ, "USCE_HOME": str(home), "USCE_TODAY": TODAY, "COLUMNS": "100"}
    argv = [sys.executable, "-m", "usce_planner", *command.split()]
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first byte: every write finds EPIPE
    redirect = {"full": "{n}>/dev/full", "closed": "{n}>&-", "reader-gone": f"{{n}}>&{writer}"}
    shell = " ".join(
        ["exec", '"$@"']
        + [redirect[how].format(n=n) for n, how in ((1, stdout), (2, stderr)) if how != "pipe"]
    )
    try:
        done = subprocess.run(
            ["bash", "-c", shell, "bash", *argv],
            capture_output=True,
            env=env,
            pass_fds=(writer,),
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
    finally:
        os.close(writer)
    return Outcome(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


@functools.cache
def _baseline(home: Path, command: str) -> Outcome:
    return usce(home, command)


def check(home: Path, command: str, stream: str, failure: str) -> None:
    normal = _baseline(home, command)
    assert "Traceback" not in normal.stderr
    if stream == "stdout":
        got = usce(home, command, stdout=failure)
        assert "Traceback" not in got.stderr, got.stderr
        if failure == "reader-gone" or not normal.stdout:
            assert (got.code, got.stderr) == (normal.code, normal.stderr)
        else:
            assert got.code == 1, got.stderr
            lines = got.stderr.splitlines()
            assert lines[-1] == (FULL_DISK if failure == "full" else CLOSED), got.stderr
            assert [line for line in lines if line.startswith("Error:")] == [lines[-1]] or (
                normal.code == 1
            )
    else:
        got = usce(home, command, stderr=failure)
        assert (got.code, got.stdout) == (normal.code, normal.stdout)


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("command", ["--version", "programs", "plan --json", "export --format ics"])
def test_stdout_failures_end_every_command_cleanly(home: Path, command: str, failure: str) -> None:
    check(home, command, "stdout", failure)


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(COMMANDS),
    stream=st.sampled_from(("stdout", "stderr")),
    failure=st.sampled_from(FAILURES),
)
def test_any_output_failure_gives_its_exit_code_or_an_error_line_never_a_traceback(
    home: Path, command: str, stream: str, failure: str
) -> None:
    check(home, command, stream, failure)


def test_version_into_a_pipe_no_one_reads_ends_quietly(home: Path) -> None:
    got = usce(home, "--version", stdout="reader-gone")
    assert (got.code, got.stderr) == (0, "")


def test_a_late_plan_into_a_closed_pipe_still_exits_3(tmp_path: Path) -> None:
    late = PLAN.replace("2027-10-04", "2027-01-04").replace("2026-11-20", "2026-11-01")
    (tmp_path / "profile.toml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(late, encoding="utf-8")
    normal = usce(tmp_path, "plan")
    assert normal.code == 3, normal.stderr
    assert usce(tmp_path, "plan", stdout="reader-gone").code == 3


@pytest.mark.parametrize("failure", FAILURES)
def test_a_change_saved_while_stderr_fails_exits_0(tmp_path: Path, failure: str) -> None:
    (tmp_path / "profile.toml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    got = usce(tmp_path, "plan add cc-florida-observer --start 2028-01", stderr=failure)
    assert got.code == 0
    assert "cc-florida-observer" in (tmp_path / "plan.toml").read_text(encoding="utf-8")
    assert "start = 2028-01-03" in (tmp_path / "plan.toml").read_text(encoding="utf-8")


def test_an_unreadable_stdin_is_an_error_line(tmp_path: Path) -> None:
    # stdin opened for writing only: reading it fails with EBADF.
    env = {**os.environ, "USCE_HOME": str(tmp_path), "USCE_TODAY": TODAY}
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" 0>/dev/null', "sh", sys.executable, "-m", "usce_planner",
         "profile", "init"],
        capture_output=True, env=env, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    # The question is asked on stderr; the error ends its line.
    assert done.stderr.endswith("Error: cannot read the input: Bad file descriptor\n")
    assert not (tmp_path / "profile.toml").exists()


def test_a_closed_stdin_reads_as_ended(tmp_path: Path) -> None:
    env = {**os.environ, "USCE_HOME": str(tmp_path), "USCE_TODAY": TODAY}
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-m", "usce_planner",
         "profile", "init"],
        capture_output=True, env=env, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Error: profile init: no answer for name (input ended)" in done.stderr
