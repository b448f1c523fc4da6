"""A compact copy of each valid catalog file in the cache folder, keyed by the file's content.

Parsing TOML and validating ten thousand programs takes seconds; reading this copy takes a
tenth of a second. The profile and the rules are kept the same way, for a quicker start. A copy
is used only when it was made from exactly these bytes, by this version of usce and of pydantic,
and its own bytes are intact. Anything else (a changed file, a copy that is missing, truncated,
corrupt or from another version) means the file is parsed again and the copy rewritten: the copy
is never trusted over the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import stat
import time
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

from usce_planner import __version__, dates, models
from usce_planner.documents import MAX_FILE_BYTES, write_atomically
from usce_planner.errors import PlannerError
from usce_planner.models import Program

_MAGIC = b"usce catalog cache 1\n"
_DIGEST_BYTES = 32
# The modules whose code decides what a catalog file parses into, or whether it is accepted.
_SHAPING_MODULES = (
    "catalog",
    "catalog_cache",
    "countries",
    "dates",
    "documents",
    "models",
    "profile",
    "rules",
)
# A copy not used for this long belongs to a catalog that is gone, such as a one-off --catalog.
_UNUSED_SECONDS = 30 * 24 * 3600


def cache_file(folder: Path, source: Path, kind: str = "catalog") -> Path:
    """Return where the copy of ``source`` is kept: one file per kind and path."""
    try:
        where = str(source.resolve())
    except (OSError, RuntimeError):
        where = str(source.absolute())
    name = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return folder / f"{kind}-{name}.pickle"


def read_cached_programs(folder: Path, catalog: Path, raw: bytes) -> list[Program] | None:
    """Return the programs kept for these bytes of ``catalog``; None when no copy is usable."""
    value = read_cached(folder, catalog, raw, "catalog")
    if not isinstance(value, list) or not all(type(p) is Program for p in value):
        return None
    return value


def write_cached_programs(
    folder: Path, catalog: Path, raw: bytes, programs: Sequence[Program]
) -> None:
    """Keep a copy of the programs parsed from these bytes; a folder that refuses it is skipped."""
    write_cached(folder, catalog, raw, "catalog", list(programs))


def read_cached(folder: Path, source: Path, raw: bytes, kind: str) -> object | None:
    """Return what was kept for these bytes of ``source``; None when no copy is usable.

    The caller checks the type of what comes back: the copy names only allowed classes, but
    which of them it holds is the copy's own word.
    """
    where = cache_file(folder, source, kind)
    blob = _read_regular_file(where)
    if blob is None:
        return None
    header = len(_MAGIC) + 2 * _DIGEST_BYTES
    if len(blob) < header or not blob.startswith(_MAGIC):
        return None
    key = blob[len(_MAGIC) : len(_MAGIC) + _DIGEST_BYTES]
    payload_digest = blob[len(_MAGIC) + _DIGEST_BYTES : header]
    payload = memoryview(blob)[header:]
    if key != _key(raw) or hashlib.sha256(payload).digest() != payload_digest:
        return None
    try:
        value: object = _RestrictedUnpickler(io.BytesIO(payload)).load()
    except Exception:  # any damage means: parse the file again
        return None
    with contextlib.suppress(OSError):
        os.utime(where)  # marks the copy as in use, so that pruning keeps it
    return value


def write_cached(folder: Path, source: Path, raw: bytes, kind: str, value: object) -> None:
    """Keep a copy of what was parsed from these bytes; a folder that refuses it is skipped."""
    buffer = io.BytesIO()
    _CompactPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    payload = buffer.getvalue()
    blob = b"".join((_MAGIC, _key(raw), hashlib.sha256(payload).digest(), payload))
    try:
        # A link where the copy belongs is replaced, never followed: it may point anywhere.
        write_atomically(cache_file(folder, source, kind), blob, follow_link=False)
    except PlannerError:
        return  # a read-only or full disk only costs the next run its speed
    _prune(folder, time.time() - _UNUSED_SECONDS)


def _prune(folder: Path, unused_since: float) -> None:
    for copy in folder.glob("*-*.pickle"):
        with contextlib.suppress(OSError):
            if copy.stat().st_mtime < unused_since:
                copy.unlink()


def _read_regular_file(path: Path) -> bytes | None:
    # Opened without blocking and checked before reading: a FIFO or a device put where the
    # copy belongs must not hang the run or fill the memory.
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read()
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _key(raw: bytes) -> bytes:
    digest = hashlib.sha256(_versions())
    digest.update(raw)
    return digest.digest()


@cache
def _versions() -> bytes:
    # In a source checkout the version stays the same while the models change: their code is
    # part of the key.
    package = Path(__file__).parent
    code = b"".join((package / f"{name}.py").read_bytes() for name in _SHAPING_MODULES)
    parts = (_MAGIC, __version__.encode(), pydantic.VERSION.encode(), hashlib.sha256(code).digest())
    return b"\0".join(parts)


def _rebuild(
    cls: type[BaseModel],
    values: dict[str, Any],
    fields_set: set[str],
) -> BaseModel:
    # What pydantic's model_construct does for validated values, without its per-field work.
    instance = cls.__new__(cls)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", fields_set)
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


class _CompactPickler(pickle.Pickler):
    """Pickles models as their field values only; loading them skips pydantic's setstate."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return _rebuild, (type(obj), obj.__dict__, obj.__pydantic_fields_set__)
        return NotImplemented


def _allowed_globals() -> dict[tuple[str, str], Any]:
    allowed: dict[tuple[str, str], Any] = {
        (__name__, "_rebuild"): _rebuild,
        ("datetime", "date"): date,
        ("datetime", "timedelta"): timedelta,
        ("usce_planner.dates", "Duration"): dates.Duration,
    }
    for name, value in vars(models).items():
        if isinstance(value, type) and issubclass(value, BaseModel):
            allowed[(models.__name__, name)] = value
    return allowed


class _RestrictedUnpickler(pickle.Unpickler):
    """Loads models, dates and durations only: a tampered copy cannot run code."""

    allowed = _allowed_globals()

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("usce_planner.rules", "Rule"):
            # Looked up late: the rules module imports this one.
            from usce_planner.rules import Rule

            return Rule
        try:
            return self.allowed[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed here") from None
