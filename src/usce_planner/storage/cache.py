"""Parsed copies of the catalogs, the profile and the rules in the cache folder, by content.

Parsing TOML and validating ten thousand programs takes seconds; rebuilding them from a copy a
fraction of that. A copy is plain JSON data written after validation, and read back by the
shape of the models (never by names it carries itself), so a copy cannot run code or make any
object but the values it was made from. It is used only when it was made from exactly these
bytes by this version of usce, pydantic and Python, and only from a folder that belongs to the
user and that no one else can write, checked on what was opened, without following links.
Anything else means the file is parsed again: a copy is never trusted over the file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

import orjson
import pydantic

from usce_planner import __version__
from usce_planner.errors import PlannerError
from usce_planner.storage.copy_shapes import Shape
from usce_planner.storage.toml_files import MAX_FILE_BYTES, write_atomically

T = TypeVar("T")

_MAGIC = b"usce parsed copy 4\n"
# The code that decides what a file parses into: a change to it makes every copy stale.
_SHAPING_CODE = ("models", "storage", "dates.py", "countries.py")
# A copy not used for this long belongs to a catalog that is gone, such as a one-off --catalog.
_UNUSED_SECONDS = 30 * 24 * 3600
_COPY_NAME = re.compile(r"^(catalog|profile|rules|plan)-[0-9a-f]{24}\.json$")
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FOLDER_FLAGS = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_DIRECTORY", 0)
_DIGEST_CHARS = 64  # a SHA-256 in hex


class CopyKind(Generic[T]):
    """What a copy holds: its name in the folder and the shape to rebuild it by."""

    def __init__(self, name: str, shape: Shape[T]) -> None:
        self.name = name
        self.shape = shape


def untrusted_reason(folder: Path) -> str | None:
    """Return why ``folder`` may not hold copies, or None when it may (a missing one may)."""
    try:
        descriptor = os.open(folder, _FOLDER_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _unopened_reason(folder, exc)
    try:
        return _folder_problem(os.fstat(descriptor))
    finally:
        os.close(descriptor)


def _unopened_reason(folder: Path, exc: OSError) -> str:
    # The folder is refused already; looking again only finds the words for the notice.
    if folder.is_symlink():
        return "is a symbolic link"
    if exc.errno == errno.ENOTDIR:
        return "is not a folder"
    return f"cannot be opened ({exc.strerror or exc})"


def _folder_problem(status: os.stat_result) -> str | None:
    if not stat.S_ISDIR(status.st_mode):
        return "is not a folder"
    return _owner_problem(status)


def _owner_problem(status: os.stat_result) -> str | None:
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        return "belongs to another user"
    if status.st_mode & 0o022:
        return "can be written by other users"
    return None


def cache_file(folder: Path, source: Path, kind: str) -> Path:
    """Return where the copy of ``source`` is kept: one file per kind and path."""
    try:
        where = str(source.resolve())
    except (OSError, RuntimeError):
        where = str(source.absolute())
    name = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return folder / f"{kind}-{name}.json"


def through_copy(
    folder: Path | None, source: Path, raw: bytes, kind: CopyKind[T], parse: Callable[[], T]
) -> T:
    """Return the copy kept for these bytes of ``source``, else ``parse()``, kept for next time.

    Without a ``folder`` (none, or one the session found untrusted) the file is simply parsed.
    """
    if folder is not None:
        cached = read_cached(folder, source, raw, kind)
        if cached is not None:
            return cached
    value = parse()
    if folder is not None:
        write_cached(folder, source, raw, kind, value)
    return value


def read_cached(folder: Path, source: Path, raw: bytes, kind: CopyKind[T]) -> T | None:
    """Return what was kept for these bytes of ``source``; None when no copy is usable."""
    where = cache_file(folder, source, kind.name)
    blob = _read_trusted_copy(where)
    key = _key(raw)
    if blob is None or key is None or not blob.startswith(_MAGIC + key + b"\n"):
        return None
    data = memoryview(blob)[len(_MAGIC) + len(key) + 1 :]
    # JSON has no check of its own: a flipped digit would still load, as another date.
    digest, data = data[:_DIGEST_CHARS], data[_DIGEST_CHARS + 1 :]
    if digest != hashlib.sha256(data).hexdigest().encode():
        return None
    try:
        value = kind.shape.rebuild(orjson.loads(data))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None  # any damage means: parse the file again
    _mark_used(where)
    return value


def write_cached(folder: Path, source: Path, raw: bytes, kind: CopyKind[T], value: T) -> None:
    """Keep a copy of what was parsed from these bytes; a folder that refuses it is skipped."""
    key = _key(raw)
    if key is None:
        return
    try:
        # Checked after it is made, so that a folder someone else made first is refused too.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    if untrusted_reason(folder) is not None:
        return
    data = orjson.dumps(kind.shape.plain(value))
    digest = hashlib.sha256(data).hexdigest().encode()
    blob = b"".join((_MAGIC, key, b"\n", digest, b"\n", data))
    try:
        # A link where the copy belongs is replaced, never followed: it may point anywhere.
        write_atomically(cache_file(folder, source, kind.name), blob, follow_link=False)
    except (PlannerError, OSError):
        return  # a read-only or full disk only costs the next run its speed
    _prune(folder, time.time() - _UNUSED_SECONDS)


def _prune(folder: Path, unused_since: float) -> None:
    # Only copies this module wrote: with USCE_HOME set, the folder may hold other files.
    for copy in folder.glob("*-*.json"):
        with contextlib.suppress(OSError):
            if not _COPY_NAME.match(copy.name) or copy.lstat().st_mtime >= unused_since:
                continue
            start = _read_trusted_copy(copy, len(_MAGIC))
            if start == _MAGIC:
                copy.unlink()


def _read_trusted_copy(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    # The folder and the file are checked on what was opened, without following a link: a
    # link, FIFO or device where a copy belongs, or a copy someone else could have written,
    # is never read.
    try:
        folder = os.open(path.parent, _FOLDER_FLAGS)
    except OSError:
        return None
    try:
        if _folder_problem(os.fstat(folder)) is not None:
            return None
        return _read_in(folder, path.name, limit)
    finally:
        os.close(folder)


def _read_in(folder: int, name: str, limit: int) -> bytes | None:
    # Non-blocking, so a FIFO cannot hang the run; no controlling terminal from a tty device.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | _NO_FOLLOW
    try:
        descriptor = os.open(name, flags, dir_fd=folder)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if (
            not stat.S_ISREG(status.st_mode)
            or status.st_size > MAX_FILE_BYTES
            or _owner_problem(status) is not None
        ):
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
    return digest.hexdigest().encode()


@cache
def _versions() -> bytes | None:
    # In a source checkout the version stays the same while the models change: their code is
    # part of the key. So is the interpreter, whose tomllib decides what parses.
    package = Path(__file__).parents[1]
    code = hashlib.sha256()
    try:
        for part in _SHAPING_CODE:
            where = package / part
            for path in sorted(where.rglob("*.py")) if where.is_dir() else [where]:
                code.update(path.read_bytes())
    except OSError:
        return None  # installed without its sources: no copies, every file is parsed
    parts = (_MAGIC, __version__.encode(), pydantic.VERSION.encode(), sys.version.encode())
    return b"\0".join((*parts, code.hexdigest().encode()))
