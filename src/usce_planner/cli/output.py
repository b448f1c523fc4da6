"""Writing to the terminal: data to stdout, messages and errors to stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from usce_planner.text_safety import json_bytes, visible

if TYPE_CHECKING:
    from rich.console import RenderableType

P = ParamSpec("P")
R = TypeVar("R")


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
