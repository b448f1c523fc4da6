"""The files of a vdir folder: checked, read, written atomically and deleted by name.

Which names belong to a plan, and what goes in them, is the export's business (export/vdir.py);
this module touches only the files it is given the names of.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from usce_planner.errors import PlannerError
from usce_planner.storage.toml_files import write_atomically

MAX_ITEM_BYTES = 16 * 1024 * 1024


def check_vdir_folder(folder: Path) -> None:
    """Refuse a folder that is missing, a file, or cannot be written."""
    if not folder.exists():
        raise PlannerError(f"{folder}: no such folder; create it first (mkdir)")
    if not folder.is_dir():
        raise PlannerError(f"{folder}: is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PlannerError(f"{folder}: cannot write in this folder (permission denied)")


def read_vdir_files(folder: Path, wanted: Callable[[str], bool]) -> dict[str, bytes]:
    """Return the bytes of each file in the folder whose name is wanted."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if wanted(entry.name))
    except OSError as exc:
        raise PlannerError(f"{folder}: cannot list the folder ({exc.strerror or exc})") from None
    return {name: _read(folder / name) for name in names}


def apply_vdir(folder: Path, writes: Iterable[tuple[str, bytes]], deletes: Iterable[str]) -> None:
    """Write each named file atomically, then delete the others named."""
    for name, data in writes:
        write_atomically(folder / name, data, create_folders=False)
    for name in deletes:
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise PlannerError(
                f"{folder / name}: cannot delete the file ({exc.strerror or exc})"
            ) from None


def _read(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise PlannerError(f"{path}: is not a regular file; usce leaves it alone, move it away")
        if path.stat().st_size > MAX_ITEM_BYTES:
            raise PlannerError(f"{path}: is larger than 16 MB; not a file usce wrote")
        return path.read_bytes()
    except OSError as exc:
        raise PlannerError(f"{path}: cannot be read ({exc.strerror or exc})") from None
