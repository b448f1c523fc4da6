"""The plan as a vdir: one .ics file per UID in a folder that khal, todoman and vdirsyncer read.

The folder is its own record: a file named for this plan's token that this export does not
write is gone from the plan, so it is deleted, and a sync tool deletes it on the server too.
Files left unchanged keep their bytes and modification time, so a sync sees only real changes.
This module decides; storage/vdir_folder.py reads and writes the files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from usce_planner.errors import PlannerError
from usce_planner.export.ics import DOMAIN, Item, is_plan_uid, item_ics

# Properties every export renews; a file that differs only in these is left as it is.
_RENEWED = (b"DTSTAMP", b"SEQUENCE")
_COMPONENT = re.compile(rb"^BEGIN:(VEVENT|VTODO)$")
_FOLD = re.compile(rb"\r?\n[ \t]")


@dataclass(frozen=True)
class VdirChanges:
    """What an export does to the folder: files to write, to leave alone, and to delete."""

    writes: tuple[tuple[str, bytes], ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]


def file_name(uid: str) -> str:
    """Return the file that holds a UID: ``<UID>.ics`` with ``@`` and ``/`` replaced by ``_``."""
    return uid.replace("@", "_").replace("/", "_") + ".ics"


def is_plan_file(name: str, token: str) -> bool:
    """Return True for a file name an export of the plan with this token writes."""
    return any(name.endswith(f".{token}{tag}_{DOMAIN}.ics") for tag in ("", ".reminder", ".todo"))


def vdir_changes(
    folder: Path, existing: Mapping[str, bytes], items: Sequence[Item], token: str
) -> VdirChanges:
    """Return what makes the folder hold exactly these items among this plan's files.

    ``existing`` holds the bytes of every file named for this plan's token. A file of this
    plan whose UID was edited into another plan's or none stops the export (PlannerError):
    it is neither overwritten nor deleted.
    """
    for name, data in existing.items():
        _check_own(folder / name, data, token)
    wanted = {file_name(item.uid): item for item in items}
    writes: list[tuple[str, bytes]] = []
    unchanged: list[str] = []
    for name, item in wanted.items():
        data = item_ics(item)
        old = existing.get(name)
        if old is not None and _content(old) == _content(data):
            unchanged.append(name)
            continue
        if old is not None:
            data = _superseding(item, old, data)
        writes.append((name, data))
    deleted = sorted(existing.keys() - wanted.keys())
    return VdirChanges(tuple(writes), tuple(unchanged), tuple(deleted))


def _check_own(path: Path, data: bytes, token: str) -> None:
    lines = _lines(data)
    uids = [line[4:].decode("utf-8", "replace") for line in lines if line.startswith(b"UID:")]
    strangers = [uid for uid in uids if not is_plan_uid(uid, token)]
    if not uids or strangers:
        held = f"holds UID '{strangers[0]}'" if strangers else "holds no UID"
        raise PlannerError(
            f"{path}: {held}, not one of this plan's; usce leaves it alone: "
            "move it out of the folder and export again"
        )


def _lines(data: bytes) -> list[bytes]:
    return _FOLD.sub(b"", data).replace(b"\r\n", b"\n").split(b"\n")


def _content(data: bytes) -> list[bytes]:
    """Return the component's lines, unfolded, without the properties every export renews."""
    lines = _lines(data)
    start = next((i for i, line in enumerate(lines) if _COMPONENT.match(line)), len(lines))
    kept = []
    for line in lines[start:]:
        name = re.split(rb"[;:]", line, maxsplit=1)[0].upper()
        if name not in _RENEWED:
            kept.append(line)
        if line.startswith((b"END:VEVENT", b"END:VTODO")):
            break
    return kept


def _superseding(item: Item, old: bytes, data: bytes) -> bytes:
    # A changed file's SEQUENCE stays above the one it replaces, whatever day the export says.
    numbers = [line[9:] for line in _lines(old) if line.startswith(b"SEQUENCE:")]
    before = max((int(n) for n in numbers if n.strip().isdigit()), default=-1)
    if before < item.record.sequence:
        return data
    item.component.pop("SEQUENCE")
    item.component.add("SEQUENCE", before + 1)
    return item_ics(item)
