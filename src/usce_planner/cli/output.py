"""Writing to the terminal: data to stdout, messages and errors to stderr."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from usce_planner.errors import PlannerError
from usce_planner.text_safety import json_bytes, visible

if TYPE_CHECKING:
    from rich.console import RenderableType

P = ParamSpec("P")
R = TypeVar("R")


# What a command made, kept until the process ends: set by the entry point, which ends it with
# os._exit. Anywhere else (tests, use as a library) it stays None and nothing is kept.
_held: list[object] | None = None


def hold_until_exit(value: object) -> None:
    """Keep ``value`` until the process ends, when the entry point ends it at once.

    Freeing what a 10,000-program check made, object by object, takes about a twentieth of a
    second, and the process ends right after; os._exit frees it all at once instead.
    """
    if _held is not None:
        _held.append(value)


def start_holding_until_exit() -> None:
    """Make ``hold_until_exit`` keep what it is given (the entry point calls this)."""
    global _held
    _held = []


def handles_user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a PlannerError into its ``Error:`` lines on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PlannerError as exc:
            print_messages(exc.lines())
            raise typer.Exit(1) from None

    return wrapper


def print_messages(lines: Iterable[str]) -> None:
    """Write messages to stderr, control characters made visible."""
    for line in lines:
        sys.stderr.write(visible(line) + "\n")
    sys.stderr.flush()


def print_json(document: Any) -> None:
    """Write a JSON document to stdout (UTF-8, two-space indent)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(json_bytes(document) + b"\n")
    sys.stdout.buffer.flush()


def print_json_pieces(pieces: Iterable[bytes | memoryview]) -> None:
    """Write a JSON document that comes in pieces to stdout, then a newline."""
    sys.stdout.flush()
    for piece in pieces:
        sys.stdout.buffer.write(piece)
    sys.stdout.buffer.write(b"\n")
    sys.stdout.buffer.flush()


def print_renderable(renderable: RenderableType, no_color: bool) -> None:
    """Print a rich renderable to stdout; NO_COLOR and --no-color turn colour off."""
    from rich.console import Console  # only human output pays for rich

    # Plain strings in tables are shown as written: no markup, no :emoji: codes.
    console = Console(
        no_color=True if no_color else None,
        highlight=False,
        soft_wrap=False,
        markup=False,
        emoji=False,
    )
    console.print(renderable)


def print_text(text: str) -> None:
    """Write text drawn for the terminal to stdout."""
    sys.stdout.write(text)
    sys.stdout.flush()


def terminal_width() -> int:
    """Return the width to draw for: COLUMNS, else the terminal's, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    # Like rich: a listing piped to a pager is still drawn for the terminal it came from.
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns
        except (OSError, ValueError):
            continue
    return 80


def use_colour(no_color: bool) -> bool:
    """Return True when stdout is a terminal that should get colour (as rich decides)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())
