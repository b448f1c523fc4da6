"""Parsed copies of the catalogs, the profile and the rules in the cache folder, by content.

Parsing TOML and validating ten thousand programs takes seconds; reading a copy takes a tenth
of a second, and a copy of the profile and the rules spares every run its parser and schemas.
A copy is used only when it was made from exactly these bytes, by this version of usce, of
pydantic and of Python, and its own bytes are intact. Anything else (a changed file, a copy that
is missing, truncated, corrupt or from another version) means the file is parsed again and the
copy rewritten: a copy is never trusted over the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import re
import stat
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeGuard, TypeVar

import pydantic
from pydantic import BaseModel

from usce_planner import __version__, dates, models, shared_parts
from usce_planner.documents import MAX_FILE_BYTES, write_atomically
from usce_planner.errors import PlannerError
from usce_planner.shared_parts import rebuilt_model, share_equal_parts

T = TypeVar("T")

_MAGIC = b"usce catalog cache 1\n"
_DIGEST_BYTES = 32
# The modules whose code decides what a catalog file parses into, or whether it is accepted.
_SHAPING_MODULES = (
    "catalog",
    "parsed_copies",
    "countries",
    "dates",
    "documents",
    "models",
    "profile",
    "rules",
    "shared_parts",
)
# A copy not used for this long belongs to a catalog that is gone, such as a one-off --catalog.
_UNUSED_SECONDS = 30 * 24 * 3600
_COPY_NAME = re.compile(r"^(catalog|profile|rules)-[0-9a-f]{24}\.pickle$")


def cache_file(folder: Path, source: Path, kind: str = "catalog") -> Path:
    """Return where the copy of ``source`` is kept: one file per kind and path."""
    try:
        where = str(source.resolve())
    except (OSError, RuntimeError):
        where = str(source.absolute())
    name = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return folder / f"{kind}-{name}.pickle"


def through_copy(
    folder: Path | None,
    source: Path,
    raw: bytes,
    kind: str,
    parse: Callable[[], T],
    accept: Callable[[object], TypeGuard[T]],
) -> T:
    """Return the copy kept for these bytes of ``source``, else ``parse()``, kept for next time.

    ``accept`` checks what a copy holds: the copy names only allowed classes, but which of them
    it holds is its own word. Without a ``folder``, the file is simply parsed.
    """
    if folder is not None:
        cached = read_cached(folder, source, raw, kind)
        if accept(cached):
            return cached
    value = parse()
    if folder is not None:
        write_cached(folder, source, raw, kind, value)
    return value


def read_cached(folder: Path, source: Path, raw: bytes, kind: str) -> object | None:
    """Return what was kept for these bytes of ``source``; None when no copy is usable."""
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
    expected = _key(raw)
    if expected is None or key != expected or hashlib.sha256(payload).digest() != payload_digest:
        return None
    try:
        value: object = _RestrictedUnpickler(io.BytesIO(payload)).load()
    except Exception:  # any damage means: parse the file again
        return None
    _mark_used(where)
    return value


def write_cached(folder: Path, source: Path, raw: bytes, kind: str, value: object) -> None:
    """Keep a copy of what was parsed from these bytes; a folder that refuses it is skipped."""
    key = _key(raw)
    if key is None:
        return
    buffer = io.BytesIO()
    _CompactPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(share_equal_parts(value))
    payload = buffer.getvalue()
    blob = b"".join((_MAGIC, key, hashlib.sha256(payload).digest(), payload))
    try:
        # A link where the copy belongs is replaced, never followed: it may point anywhere.
        write_atomically(cache_file(folder, source, kind), blob, follow_link=False)
    except PlannerError:
        return  # a read-only or full disk only costs the next run its speed
    _prune(folder, time.time() - _UNUSED_SECONDS)


def _prune(folder: Path, unused_since: float) -> None:
    # Only copies this module wrote: with USCE_HOME set, the folder may hold other files.
    for copy in folder.glob("*-*.pickle"):
        with contextlib.suppress(OSError):
            if not _COPY_NAME.match(copy.name) or copy.lstat().st_mtime >= unused_since:
                continue
            start = _read_regular_file(copy, len(_MAGIC))
            if start == _MAGIC:
                copy.unlink()


def _read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    # Opened without following a link or blocking, and checked before reading: a link, a FIFO
    # or a device put where a copy belongs must not be read, hang the run or fill the memory.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read(limit)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _mark_used(path: Path) -> None:
    # The time of last use, which pruning reads; never that of a file a link points to.
    can_stay_on_link = os.utime in os.supports_follow_symlinks
    with contextlib.suppress(OSError):
        os.utime(path, follow_symlinks=not can_stay_on_link)


def _key(raw: bytes) -> bytes | None:
    versions = _versions()
    if versions is None:
        return None
    digest = hashlib.sha256(versions)
    digest.update(raw)
    return digest.digest()


@cache
def _versions() -> bytes | None:
    # In a source checkout the version stays the same while the models change: their code is
    # part of the key. So is the interpreter, whose tomllib decides what parses; the cache
    # folder is shared by every Python that runs this usce.
    package = Path(__file__).parent
    try:
        code = b"".join((package / f"{name}.py").read_bytes() for name in _SHAPING_MODULES)
    except OSError:
        return None  # installed without its sources: no copies, every file is parsed
    parts = (
        _MAGIC,
        __version__.encode(),
        pydantic.VERSION.encode(),
        sys.version.encode(),
        hashlib.sha256(code).digest(),
    )
    return b"\0".join(parts)


class _CompactPickler(pickle.Pickler):
    """Pickles models as their field values only; loading them skips pydantic's setstate."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return rebuilt_model, (type(obj), obj.__dict__, obj.__pydantic_fields_set__)
        return NotImplemented


def _allowed_globals() -> dict[tuple[str, str], Any]:
    allowed: dict[tuple[str, str], Any] = {
        (shared_parts.__name__, "rebuilt_model"): rebuilt_model,
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
