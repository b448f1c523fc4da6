"""The plan file: rotations and done marks, read and written under a lock, atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from usce_planner.documents import (
    is_symlink_loop,
    read_toml_document,
    schema_problem,
    validation_problems,
    write_atomically,
)
from usce_planner.errors import FileProblemsError, PlannerError, Problem
from usce_planner.models import Day, Frozen, Slug

RotationStatus = Literal[
    "planned", "applied", "waitlisted", "accepted", "rejected", "withdrawn", "completed"
]
LIVE = ("planned", "applied", "waitlisted", "accepted", "completed")
LOCK_WAIT_SECONDS = 10.0
FIX_HINT = "Fix it by hand; usce never rewrites a plan file that fails to parse."
_PERSON_OR_MATCH = r"^(me|match-[0-9]{4}):[a-z0-9-]+$"


class PlanError(FileProblemsError):
    """A plan file that cannot be read or fails validation."""


def _check_suffix(value: str) -> str:
    if not value.replace("-", "").isalnum() or value != value.lower():
        raise ValueError(f"'{value}' is not a milestone name such as letter-ask")
    return value


Suffix = Annotated[StrictStr, AfterValidator(_check_suffix)]


class SavedRotation(Frozen):
    """One rotation as the plan file keeps it."""

    program: Slug
    start: Day
    weeks: Annotated[StrictInt, Field(ge=1, le=52)]
    status: RotationStatus = "planned"
    notes: StrictStr = ""
    history: dict[RotationStatus, Day] = Field(default_factory=dict)
    done: dict[Suffix, Day] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        """Return the rotation's key, ``PROGRAM@START``."""
        return f"{self.program}@{self.start.isoformat()}"

    @property
    def is_live(self) -> bool:
        """Return True unless the rotation was rejected or withdrawn."""
        return self.status in LIVE


class PlanFile(Frozen):
    """The whole plan file."""

    schema_: Annotated[StrictInt, Field(alias="schema", ge=1, le=1)] = 1
    # Eight hex digits in a file; "example" and "adhoc" only for plans that are never saved.
    uid_token: Annotated[StrictStr, Field(pattern=r"^([0-9a-f]{8}|example|adhoc)$")]
    done: dict[Annotated[StrictStr, Field(pattern=_PERSON_OR_MATCH)], Day] = Field(
        default_factory=dict
    )
    rotation: tuple[SavedRotation, ...] = ()

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _unique_keys(self) -> PlanFile:
        keys = [rotation.key for rotation in self.rotation]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise ValueError(f"rotation: {', '.join(twice)} is in the file twice")
        return self

    def key_of(self, wanted: str) -> SavedRotation:
        """Return the rotation with this key, or with this program id when that is unambiguous."""
        exact = [r for r in self.rotation if r.key == wanted]
        if exact:
            return exact[0]
        same_program = [r for r in self.rotation if r.program == wanted]
        if len(same_program) == 1:
            return same_program[0]
        if not same_program:
            known = ", ".join(r.key for r in self.rotation) or "none yet"
            raise PlannerError(f"plan: no rotation '{wanted}'; keys: {known}")
        keys = ", ".join(r.key for r in same_program)
        raise PlannerError(f"plan: '{wanted}' has several rotations; use one of: {keys}")


def new_plan() -> PlanFile:
    """Return an empty plan with a fresh token for calendar UIDs."""
    return PlanFile(uid_token=secrets.token_hex(4))


def _plan_error(path: Path, problems: list[Problem]) -> PlanError:
    return PlanError(path, problems, hint=FIX_HINT)


def load_plan(path: Path) -> PlanFile | None:
    """Read the plan file, or return None when there is none yet."""
    if is_symlink_loop(path):
        raise _plan_error(path, [Problem("cannot be read (Too many levels of symbolic links)")])
    if not path.exists():
        return None
    document = read_toml_document(path, _plan_error)
    problem = schema_problem(document)
    if problem is not None:
        raise _plan_error(path, [problem])
    try:
        return PlanFile.model_validate(document)
    except ValidationError as exc:
        raise _plan_error(path, _rotation_named(validation_problems(exc), document)) from None


def plan_document(plan: PlanFile) -> dict[str, Any]:
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


def save_plan(path: Path, plan: PlanFile) -> None:
    """Write the plan atomically."""
    # Saved under the plan's lock, so no other writer can own a temporary file now.
    write_atomically(path, tomli_w.dumps(plan_document(plan)).encode("utf-8"), sweep_all=True)


@contextlib.contextmanager
def plan_lock(path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the OS advisory lock on ``plan.toml.lock`` for a read-modify-write of the plan."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
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
