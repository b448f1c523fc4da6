"""A catalog checked partly in a forked copy gives what one process gives, whatever happens."""

from __future__ import annotations

import math
import os
import pickle
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.test_eligibility_properties import with_fields
from usce_planner import parallel_check
from usce_planner.catalog import load_catalog_file, shipped_catalog_path
from usce_planner.checker import Checker, Result
from usce_planner.example import example_profile
from usce_planner.models import Program
from usce_planner.rules import shipped_rules

TODAY = date(2026, 11, 25)
RULES = shipped_rules()


@pytest.fixture(scope="module")
def programs() -> list[Program]:
    """The shipped catalog, three times over: enough for each process to have many."""
    shipped = load_catalog_file(shipped_catalog_path())
    return shipped * 3


def forked(programs: list[Program], profile: Any, **asked: Any) -> list[Result]:
    """Check in two processes, however few the programs and processors."""
    checker = Checker(profile, RULES, TODAY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel_check, "_two_processors", lambda: True)
        return parallel_check.check_all(checker, programs, worth_forking=1, **asked)


def alone(programs: list[Program], profile: Any, **asked: Any) -> list[Result]:
    """Check in this process alone."""
    return Checker(profile, RULES, TODAY).check_all(programs, **asked)


linux = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


@linux
@pytest.mark.parametrize(
    "asked",
    [{}, {"wanted": date(2027, 9, 6)}, {"wanted": date(2027, 10, 1), "whole_month": True}],
)
@pytest.mark.parametrize("stage", ["graduate", "student"])
def test_forked_check_gives_the_same_results_in_the_same_order(
    programs: list[Program], asked: dict[str, Any], stage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[int] = []
    decode = parallel_check._decoded

    def counted(payload: bytes, sent: list[Program]) -> list[Result]:
        results = decode(payload, sent)
        decoded.append(len(results))
        return results

    monkeypatch.setattr(parallel_check, "_decoded", counted)
    profile = example_profile(TODAY)
    if stage == "student":
        profile = with_fields(profile, stage="student", graduation=date(2027, 12, 1))
    assert forked(programs, profile, **asked) == alone(programs, profile, **asked)
    assert decoded == [len(programs) - len(programs) * 11 // 20]  # the copy's own results


def failing(error: BaseException) -> Any:
    """Return a stand-in that raises ``error``."""

    def fail(*args: Any) -> Any:
        raise error

    return fail


REAP = os.waitpid


def reaped_elsewhere(pid: int, options: int) -> tuple[int, int]:
    """Reap the copy, then say there is no child, as with SIGCHLD ignored."""
    REAP(pid, options)
    raise ChildProcessError("no child processes")


@linux
@pytest.mark.parametrize(
    ("owner", "name", "stand_in"),
    [
        pytest.param(parallel_check, "_encoded", failing(RuntimeError("fails")), id="copy fails"),
        pytest.param(
            parallel_check, "_decoded", failing(pickle.UnpicklingError("cut")), id="unreadable"
        ),
        pytest.param(os, "waitpid", reaped_elsewhere, id="copy reaped elsewhere"),
        pytest.param(os, "pipe", failing(OSError("too many open files")), id="no pipe"),
        pytest.param(os, "fork", failing(OSError("no more processes")), id="no fork"),
    ],
)
def test_the_parent_checks_everything_when_the_copy_cannot_help(
    programs: list[Program], monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, stand_in: Any
) -> None:
    monkeypatch.setattr(owner, name, stand_in)
    profile = example_profile(TODAY)
    assert forked(programs, profile) == alone(programs, profile)


@linux
def test_the_copy_is_ended_at_once_when_the_parent_fails(
    programs: list[Program], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    class FailsInTheParent(Checker):
        def check_all(self, *args: Any, **kwargs: Any) -> list[Result]:
            if os.getpid() == parent:
                raise RuntimeError("the parent fails")
            return super().check_all(*args, **kwargs)

    def slow(results: list[Result]) -> bytes:
        time.sleep(60)
        return b""

    monkeypatch.setattr(parallel_check, "_encoded", slow)
    monkeypatch.setattr(parallel_check, "_two_processors", lambda: True)
    started = time.monotonic()
    checker = FailsInTheParent(example_profile(TODAY), RULES, TODAY)
    with pytest.raises(RuntimeError, match="the parent fails"):
        parallel_check.check_all(checker, programs, worth_forking=1)
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the copy was reaped, not left behind


def test_a_small_catalog_is_checked_without_forking(
    programs: list[Program], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise AssertionError("forked for a small catalog")

    monkeypatch.setattr("os.fork", no_fork)
    checker = Checker(example_profile(TODAY), RULES, TODAY)
    assert len(parallel_check.check_all(checker, programs)) == len(programs)


@pytest.mark.parametrize(
    ("written", "quota"),
    [("max 100000\n", math.inf), ("50000 100000\n", 0.5), ("200000 100000\n", 2.0), ("", math.inf)],
)
def test_cpu_quota_reads_what_a_container_allows(
    tmp_path: Path, written: str, quota: float
) -> None:
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text(written, encoding="ascii")
    assert parallel_check.cpu_quota(cpu_max) == quota
    assert parallel_check.cpu_quota(tmp_path / "absent") == math.inf
