"""Checking a large catalog on two processors: part of it in a forked copy of the process.

Checking is pure and the copy already holds the catalog, so a fork costs a few milliseconds
and needs nothing sent to it. The copy sends back its results without the programs, which
the parent already has. Anything unusual (no fork on this system, one processor, no pipe, a
copy that fails or sends something unreadable) means the parent checks those programs
itself: the results are the same either way. If the parent fails or is interrupted first,
the copy is ended at once.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from usce_planner.checker import Checker, Result
from usce_planner.checks import Check, Target
from usce_planner.models import Program

# Below this, forking costs more than it saves.
WORTH_FORKING = 2000
CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def check_all(
    checker: Checker,
    programs: Sequence[Program],
    wanted: date | None = None,
    whole_month: bool = False,
    worth_forking: int = WORTH_FORKING,
) -> list[Result]:
    """Return ``checker.check_all(programs, wanted, whole_month)``, on two processors if it pays."""
    if len(programs) < worth_forking or not _two_processors():
        return checker.check_all(programs, wanted, whole_month)
    # The copy also encodes its results and the parent decodes them, each about a fifth of the
    # checking: with a little over half to itself, the parent is done when the copy is.
    cut = len(programs) * 11 // 20
    mine, theirs = programs[:cut], programs[cut:]
    copy = _start_copy(checker, theirs, wanted, whole_month)
    try:
        results = checker.check_all(mine, wanted, whole_month)
    except BaseException:
        _stop(copy)  # an error or an interrupt here: the copy's work is no longer wanted
        raise
    found = _results_of(copy, theirs)
    if found is None:
        found = checker.check_all(theirs, wanted, whole_month)
    return results + found


def _two_processors() -> bool:
    # Linux only: elsewhere a fork without exec is not safe (macOS) or does not exist (Windows).
    if sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2:
        return False
    return cpu_quota() >= 2


def cpu_quota(cpu_max: Path = CPU_MAX) -> float:
    """Return how many processors' time a container allows this process (cgroup v2 cpu.max).

    A container may offer every processor yet allow the time of one; without a limit, or
    without the file, there is none.
    """
    try:
        quota, period = cpu_max.read_text(encoding="ascii").split()
        return math.inf if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return math.inf


def _start_copy(
    checker: Checker, programs: Sequence[Program], wanted: date | None, whole_month: bool
) -> tuple[int, int] | None:
    """Fork a copy that checks ``programs`` and writes the results to a pipe; None if none."""
    try:
        read_end, write_end = os.pipe()
    except OSError:  # no file descriptors left
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the copy: never returns, never flushes the parent's buffered output
        status = 1
        try:
            os.close(read_end)
            payload = _encoded(checker.check_all(programs, wanted, whole_month))
            with open(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _results_of(copy: tuple[int, int] | None, programs: Sequence[Program]) -> list[Result] | None:
    """Return what the copy found for ``programs``, or None when it found nothing usable."""
    if copy is None:
        return None
    pid, read_end = copy
    try:
        with open(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
    except OSError:  # a failed read, or a copy already reaped (SIGCHLD ignored)
        return None
    if status != 0:
        return None
    try:
        results = _decoded(payload, programs)  # from this process's own copy, by a private pipe
    except Exception:
        return None
    return results if len(results) == len(programs) else None


def _stop(copy: tuple[int, int] | None) -> None:
    """End the copy without waiting for its results, and reap it."""
    if copy is None:
        return
    pid, read_end = copy
    with contextlib.suppress(OSError):
        os.close(read_end)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)  # it holds nothing to save: its only output is the pipe
        os.waitpid(pid, 0)


# Results travel as plain values: a check as its place in a table of the distinct ones, a date
# as its ordinal. Pickling dates and dataclasses one by one took longer than the checking.
_Row = tuple[str, tuple[int, ...] | None, tuple[int, ...], int]


def _encoded(results: list[Result]) -> bytes:
    places: dict[int, int] = {}  # by the id of a check: equal checks are mostly one object
    table: list[tuple[str, str, str]] = []
    rows: list[_Row] = []
    for _, verdict, target, checks, earliest in results:
        found = []
        for check in checks:
            place = places.get(id(check))
            if place is None:
                place = places[id(check)] = len(table)
                table.append((check.rule, check.status, check.detail))
            found.append(place)
        days = None if target is None else tuple(_ordinal(day) for day in target)
        rows.append((verdict, days, tuple(found), _ordinal(earliest)))
    return pickle.dumps((table, rows), pickle.HIGHEST_PROTOCOL)


def _decoded(payload: bytes, programs: Sequence[Program]) -> list[Result]:
    table, rows = pickle.loads(payload)
    checks = [Check(*triple) for triple in table]
    place = checks.__getitem__
    return [
        Result(
            program,
            verdict,
            _target(days),
            tuple(map(place, found)),
            _day(earliest),
        )
        for program, (verdict, days, found, earliest) in zip(programs, rows, strict=True)
    ]


def _target(days: tuple[int, ...] | None) -> Target | None:
    if days is None:
        return None
    start, last, apply_by, window_opens = days
    return Target(_date(start), _date(last), _date(apply_by), _day(window_opens))


def _date(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def _ordinal(day: date | None) -> int:
    return 0 if day is None else day.toordinal()


def _day(ordinal: int) -> date | None:
    return None if ordinal == 0 else date.fromordinal(ordinal)
