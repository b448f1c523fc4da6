"""The plan file: read and written under a lock, atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import (
    ValidationError,
)

from usce_planner.errors import PlanError, PlannerError, Problem
from usce_planner.models.plan import CalendarRecord, ExportedUid, SavedPlan
from usce_planner.storage.cache import CopyKind, through_copy
from usce_planner.storage.copy_shapes import Shape
from usce_planner.storage.toml_files import (
    is_symlink_loop,
    parse_toml_document,
    read_document_bytes,
    schema_problem,
    validation_problems,
    write_atomically,
)

_PLAN = CopyKind("plan", Shape[SavedPlan](SavedPlan))
LOCK_WAIT_SECONDS = 10.0
FIX_HINT = "Fix it by hand; usce never rewrites a plan file that fails to parse."
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # absent on Windows


def new_plan() -> SavedPlan:
    """Return an empty plan with a fresh token for calendar UIDs."""
    return SavedPlan(uid_token=secrets.token_hex(4))


def _plan_error(path: Path, problems: list[Problem]) -> PlanError:
    return PlanError(path, problems, hint=FIX_HINT)


def load_plan(path: Path, cache: Path | None = None) -> SavedPlan | None:
    """Read the plan file, or return None when there is none yet.

    With a ``cache`` folder, a copy made from the same bytes is used when there is one: a
    plan of thousands of rotations spends most of its reading time in the TOML parser.
    """
    if is_symlink_loop(path):
        raise _plan_error(path, [Problem("cannot be read (Too many levels of symbolic links)")])
    if not path.exists():
        return None
    raw = read_document_bytes(path, _plan_error)

    def parse() -> SavedPlan:
        document = parse_toml_document(raw, path, _plan_error)
        problem = schema_problem(document)
        if problem is not None:
            raise _plan_error(path, [problem])
        try:
            return SavedPlan.model_validate(document)
        except ValidationError as exc:
            problems = _rotation_named(validation_problems(exc), document)
            raise _plan_error(path, problems) from None

    return through_copy(cache, path, raw, _PLAN, parse)


def plan_toml(plan: SavedPlan) -> dict[str, Any]:
    """Return the TOML document of a plan: rotations sorted by start, then key."""
    rotations = sorted(plan.rotation, key=lambda r: (r.start, r.key))
    document: dict[str, Any] = {"schema": 1, "uid_token": plan.uid_token}
    if plan.done:
        document["done"] = dict(sorted(plan.done.items()))
    document["rotation"] = [
        rotation.model_dump(mode="python", exclude_defaults=False) for rotation in rotations
    ]
    for entry in document["rotation"]:
        for table in ("history", "done"):
            if not entry[table]:
                del entry[table]
    return document


def save_plan(path: Path, plan: SavedPlan) -> None:
    """Write the plan atomically."""
    # Saved under the plan's lock, so no other writer can own a temporary file now.
    text = tomli_w.dumps(plan_toml(plan)) + _calendar_table(plan.calendar)
    write_atomically(path, text.encode("utf-8"), sweep_all=True)


def record_exported(path: Path, exported: dict[str, ExportedUid]) -> None:
    """Add what an .ics export wrote to the plan's ``[calendar.exported]``, under the lock."""
    with plan_lock(path):
        plan = load_plan(path)
        if plan is None:
            return
        known = dict(plan.calendar.exported) if plan.calendar else {}
        for uid, entry in exported.items():
            # Two exports at once: the higher SEQUENCE is the one a calendar has seen last.
            if uid not in known or known[uid].sequence <= entry.sequence:
                known[uid] = entry
        record = CalendarRecord(exported=dict(sorted(known.items())))
        save_plan(path, plan.model_copy(update={"calendar": record}))


def _calendar_table(record: CalendarRecord | None) -> str:
    # tomli-w writes every table as a section; the contract keeps one inline table per UID.
    if record is None or not record.exported:
        return ""
    lines = ["", "[calendar.exported]"]
    for uid, entry in record.exported.items():
        values = ", ".join(
            f"{name} = {_toml_value(value)}"
            for name, value in (
                ("sequence", entry.sequence),
                ("date", entry.date),
                ("summary", entry.summary),
            )
        )
        lines.append(f"{_toml_value(uid)} = {{ {values} }}")
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    return tomli_w.dumps({"v": value}).removeprefix("v = ").removesuffix("\n")


@contextlib.contextmanager
def plan_lock(path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the OS advisory lock on ``plan.toml.lock`` for a read-modify-write of the plan."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        # Never through a link: the lock file is usce's own, and a planted link would have it
        # create a file wherever the link points.
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | _NO_FOLLOW, 0o600)
    except OSError as exc:
        raise PlannerError(f"{lock_path}: cannot open the lock file ({exc.strerror})") from None
    try:
        _acquire(handle, lock_path, wait_seconds)
        yield
    finally:
        _release(handle)
        os.close(handle)


def _acquire(handle: int, lock_path: Path, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            _try_lock(handle)
            return
        except OSError:
            if time.monotonic() >= deadline:
                raise PlannerError(
                    f"{lock_path}: another usce is changing the plan; waited "
                    f"{wait_seconds:g} s, try again"
                ) from None
            time.sleep(0.05)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: int) -> None:
        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)

    def _release(handle: int) -> None:
        with contextlib.suppress(OSError):
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _release(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def _rotation_named(problems: list[Problem], document: dict[str, Any]) -> list[Problem]:
    # "rotation.2.weeks" says less to a user than "rotation 'cc-florida-observer@2027-10-04'".
    rotations = document.get("rotation")
    named = []
    for problem in problems:
        parts = (problem.field or "").split(".")
        if (
            len(parts) >= 2
            and parts[0] == "rotation"
            and parts[1].isdigit()
            and isinstance(rotations, list)
        ):
            raw = rotations[int(parts[1])] if int(parts[1]) < len(rotations) else {}
            key = f"{raw.get('program')}@{raw.get('start')}" if isinstance(raw, dict) else parts[1]
            field = ".".join(parts[2:]) or None
            named.append(Problem(problem.message, entry=key, entry_kind="rotation", field=field))
        else:
            named.append(problem)
    return named
