"""Reading and writing the TOML documents the tool keeps: size limits, syntax, atomic saves."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from usce_planner.errors import FileProblemsError, PlannerError, Problem
from usce_planner.storage.write_targets import writable_target

if TYPE_CHECKING:
    import tomllib

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_STRING_CHARS = 1024 * 1024
SCHEMA_VERSION = 1
# A write takes milliseconds: a temporary file older than this was left by a killed writer.
STALE_TEMPORARY_SECONDS = 2.0
_TOML_PLACE = re.compile(r"^(.*?) \(at line (\d+), column (\d+)\)$")
_AT_END = " (at end of document)"
_INNER_FIELD = re.compile(r"^([a-z0-9_.]+): (.+)$", re.DOTALL)
_FRIENDLY = {
    "extra_forbidden": "unknown key (not in schema 1)",
    "missing": "required key is missing",
    "model_type": "must be a table",
    "dict_type": "must be a table",
    "model_attributes_type": "must be a table",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
}

ErrorFactory = Callable[[Path, list[Problem]], FileProblemsError]


def read_toml_document(path: Path, error: ErrorFactory) -> dict[str, Any]:
    """Read a TOML file; every way it can fail becomes ``error(path, problems)``."""
    return parse_toml_document(read_document_bytes(path, error), path, error)


def read_document_bytes(path: Path, error: ErrorFactory) -> bytes:
    """Read a regular file of at most 512 MB; every way it can fail becomes ``error``."""
    try:
        if path.is_dir():
            raise error(path, [Problem("is a folder, not a file")])
        if path.exists() and not path.is_file():
            # A FIFO would block and /dev/zero never ends: only regular files are read.
            raise error(path, [Problem("is not a regular file")])
        if path.stat().st_size > MAX_FILE_BYTES:
            raise error(path, [Problem("is larger than 512 MB; refusing to read it")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(path, [Problem("no such file")]) from None
    except PermissionError:
        raise error(path, [Problem("cannot be read (permission denied)")]) from None
    except OSError as exc:
        raise error(path, [Problem(f"cannot be read ({exc.strerror or exc})")]) from None
    return raw


def parse_toml_document(raw: bytes, path: Path, error: ErrorFactory) -> dict[str, Any]:
    """Parse the bytes of a TOML file; every way it can fail becomes ``error(path, problems)``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        raise error(path, [Problem(message)]) from None
    import tomllib  # a run whose files all come from the cache never needs it

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(path, [syntax_problem(exc, text)]) from None
    except RecursionError:
        raise error(
            path, [Problem("TOML syntax error: arrays or tables nested too deeply")]
        ) from None
    long_field = next(_over_long_strings(document, ""), None)
    if long_field is not None:
        raise error(path, [Problem("text longer than 1 MB; refusing it", field=long_field)])
    return document


def syntax_problem(exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    """Return the TOML syntax error with its line and column."""
    message = str(exc)
    if message.endswith(_AT_END):
        line = text.count("\n") + (0 if text.endswith("\n") else 1)
        return Problem(f"TOML syntax error: {message.removesuffix(_AT_END)}", line=max(line, 1))
    match = _TOML_PLACE.match(message)
    if match is None:
        return Problem(f"TOML syntax error: {exc}")
    return Problem(
        f"TOML syntax error: {match.group(1)}",
        line=int(match.group(2)),
        column=int(match.group(3)),
    )


def schema_problem(document: dict[str, Any], highest: int = SCHEMA_VERSION) -> Problem | None:
    """Return the problem with the document's ``schema`` key, or None when it is 1..highest."""
    readable = " or ".join(str(number) for number in range(1, highest + 1))
    schema = document.get("schema")
    if schema is None:
        return Problem("required key is missing (write schema = 1 at the top)", field="schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        return Problem(f"must be the number {readable}", field="schema")
    if schema > highest:
        return Problem(
            f"written by a newer usce (schema {schema}); this version reads schema {readable}",
            field="schema",
        )
    return None


def validation_problems(
    exc: ValidationError,
    entry: str | None = None,
    entry_kind: str | None = None,
    line: int | None = None,
    prefix: str = "",
) -> list[Problem]:
    """Turn a pydantic error into problems naming the entry and the dotted field."""
    problems = []
    for item in exc.errors(include_url=False):
        field = prefix + ".".join(str(part) for part in item["loc"])
        message = _FRIENDLY.get(item["type"], item["msg"]).removeprefix("Value error, ")
        inner = _INNER_FIELD.match(message) if item["type"] == "value_error" else None
        if inner is not None:
            # A cross-field rule names the field it is about at the start of its message.
            field = f"{field}.{inner.group(1)}" if field else inner.group(1)
            message = inner.group(2)
        problems.append(
            Problem(message, line=line, entry=entry, entry_kind=entry_kind, field=field or None)
        )
    return problems


def _over_long_strings(value: object, where: str) -> Iterator[str]:
    if isinstance(value, str):
        if len(value) > MAX_STRING_CHARS:
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _over_long_strings(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _over_long_strings(item, f"{where}.{index}")


def write_atomically(
    path: Path,
    data: bytes,
    create_folders: bool = True,
    sweep_all: bool = False,
    follow_link: bool = True,
    new_mode: int | None = None,
) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file.

    Only a regular file is replaced, and a symbolic link is written through (the link kept) only
    where ``writable_target`` allows it; with ``follow_link`` off (files only usce writes and
    reads back, such as the cache) a link at ``path`` is replaced instead, and the file written
    is private (0600), as the cache's own trust check wants. A replaced file keeps its permission
    bits; a new one gets ``new_mode``, else 0666 less the umask. Temporary files an earlier,
    killed write left behind are removed: all of them where the caller holds the file's lock
    (``sweep_all``), else those older than a live write could be. Any failure becomes a
    PlannerError naming the file.
    """
    target = writable_target(path, follow_link)
    if not create_folders and not target.parent.is_dir():
        raise PlannerError(f"{path}: the folder {target.parent} does not exist")
    try:
        if create_folders:
            target.parent.mkdir(parents=True, exist_ok=True)
        _sweep_stale_temporaries(target, 0 if sweep_all else STALE_TEMPORARY_SECONDS)
        # usce's own files are private whatever mode a file they replace had.
        _write(target, data, new_mode if follow_link else 0o600, keep_mode=follow_link)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PlannerError(f"{path}: cannot write the file ({reason})") from None


def is_symlink_loop(path: Path) -> bool:
    """Return True when ``path`` is a symbolic link that leads back to itself."""
    if not path.is_symlink():
        return False
    try:
        path.resolve(strict=False)
    except RuntimeError:
        return True
    return False


def _sweep_stale_temporaries(path: Path, older_than_seconds: float) -> None:
    # A process killed between writing its temporary file and the rename leaves the file behind.
    now = time.time()
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - leftover.stat().st_mtime >= older_than_seconds:
                leftover.unlink()
        except OSError:
            continue


def _write(path: Path, data: bytes, new_mode: int | None, keep_mode: bool = True) -> None:
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    if keep_mode and existing is not None and stat.S_ISREG(existing.st_mode):
        mode = stat.S_IMODE(existing.st_mode)
    else:
        mode = new_mode if new_mode is not None else 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private; it takes the mode it is to have before it is named.
        _set_mode(handle, temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _umask() -> int:
    # The only portable way to read the umask is to set it; set straight back.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _set_mode(handle: int, name: str, mode: int) -> None:
    fchmod = getattr(os, "fchmod", None)  # not on Windows before Python 3.13
    if fchmod is not None:
        fchmod(handle, mode)
    else:
        os.chmod(name, mode)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk; not possible on Windows.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
