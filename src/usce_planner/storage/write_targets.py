"""Where a write may land: only regular files, through links only their owners may lay.

The kernel's ``protected_symlinks`` rule, kept in every folder: a link is followed only when it
belongs to the user running usce or to the owner of the folder that holds it. So a link that
another user planted in a shared folder cannot turn a write into one on the victim's own files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from usce_planner.errors import PlannerError

# As the kernel: more links than this on one path is a loop.
MAX_LINKS = 40
LOOP = "cannot be read (Too many levels of symbolic links)"
_KINDS = (
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def writable_target(path: Path, follow_link: bool = True) -> Path:
    """Return the path a write to ``path`` replaces, links resolved; PlannerError if unsafe.

    The answer is a regular file or absent. With ``follow_link`` off, a link at ``path``
    itself is not followed (the write replaces the link), though links above it still are.
    """
    target = _resolve(path, path, follow_link)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise PlannerError(f"{path}: cannot write the file ({exc.strerror or exc})") from None
    refusal = not_regular(mode)
    if refusal is not None and not (stat.S_ISLNK(mode) and not follow_link):
        raise PlannerError(f"{path}: {refusal}")
    return target


def not_regular(mode: int) -> str | None:
    """Return why a file of this mode is not replaced, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return f"is {kind}, not a regular file; usce replaces only regular files"


def _resolve(given: Path, path: Path, follow_last: bool) -> Path:
    # Like realpath, one component at a time, so that every link met is checked before use.
    absolute = path.absolute()
    current = Path(absolute.anchor)
    pending = list(reversed(absolute.parts[1:]))
    links = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            current = current.parent
            continue
        candidate = current / part
        try:
            info = os.lstat(candidate)
        except FileNotFoundError:
            # Nothing below a missing folder can be a link yet: the rest is created as named.
            return candidate.joinpath(*reversed(pending))
        except OSError as exc:
            raise PlannerError(f"{given}: cannot write the file ({exc.strerror or exc})") from None
        if stat.S_ISLNK(info.st_mode) and (pending or follow_last):
            links += 1
            if links > MAX_LINKS:
                raise PlannerError(f"{given}: {LOOP}")
            _check_link_owner(given, candidate, info.st_uid, current)
            link = Path(os.readlink(candidate))
            if link.is_absolute():
                current = Path(link.anchor)
            pending.extend(reversed(link.parts[1:] if link.is_absolute() else link.parts))
            continue
        current = candidate
    return current


def _check_link_owner(given: Path, link: Path, owner: int, folder: Path) -> None:
    if owner == _user():
        return
    try:
        folder_owner = os.stat(folder).st_uid
    except OSError as exc:
        raise PlannerError(f"{given}: cannot write the file ({exc.strerror or exc})") from None
    if owner != folder_owner:
        raise PlannerError(
            f"{given}: the symbolic link {link} belongs to another user (uid {owner}); usce "
            "writes through a link only when it is yours or the owner's of its folder"
        )


def _user() -> int:
    geteuid = getattr(os, "geteuid", None)  # absent on Windows, where links need privilege
    return geteuid() if geteuid is not None else -1
