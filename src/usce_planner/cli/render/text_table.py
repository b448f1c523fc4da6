"""A boxed text table with colour, for the listing `usce eligible` prints on every run.

rich draws every other table; this one is drawn here because importing and laying out rich
costs the most common command a tenth of its time. It looks the same: a heavy head, a rule
between rows, columns that wrap (or fold a long word) to fit the terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# One styled line of a cell: its text, and an SGR style ("" for none).
Line = tuple[str, str]
Cell = Sequence[Line]

STYLES = {"bold": "1", "green": "32", "cyan": "36", "yellow": "33", "red": "31", "": ""}


@dataclass(frozen=True)
class Column:
    """A column: its header (lines split at newlines), and its share of the width left over.

    A ratio of 0 makes the column as wide as its widest line; it never wraps.
    """

    header: str
    ratio: int = 0
    min_width: int = 1


def draw_table(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int, colour: bool
) -> str:
    """Return the table for a terminal ``width`` columns wide, with ANSI colour or without."""
    widths = _widths(columns, rows, width)
    head = [[(line, "bold") for line in column.header.split("\n")] for column in columns]
    out = [_rule("┏", "━", "┳", "┓", widths)]
    out += _row(head, widths, colour, "┃")
    out.append(_rule("┡", "━", "╇", "┩", widths))
    for index, row in enumerate(rows):
        if index:
            out.append(_rule("├", "─", "┼", "┤", widths))
        out += _row(row, widths, colour, "│")
    out.append(_rule("└", "─", "┴", "┘", widths))
    return "\n".join(out) + "\n"


def cells(text: str) -> int:
    """Return how many terminal columns ``text`` takes (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` at spaces into lines of at most ``width`` columns, folding long words."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if cells(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if cells(current + char) > width:
                lines.append(current)
                current = ""
            current += char
    lines.append(current)
    return lines


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int) -> list[int]:
    natural = [
        max(
            [cells(line) for line in column.header.split("\n")]
            + [cells(text) for row in rows for text, _ in row[i]]
        )
        for i, column in enumerate(columns)
    ]
    fixed = sum(natural[i] for i, column in enumerate(columns) if not column.ratio)
    # Each column has a space either side and a border after it; the table one before it.
    free = max(width - fixed - 3 * len(columns) - 1, 0)
    ratios = sum(column.ratio for column in columns)
    widths = []
    for i, column in enumerate(columns):
        share = free * column.ratio // ratios if column.ratio else natural[i]
        widths.append(max(share, column.min_width))
    # What rounding leaves over goes to the first flexible column: the table fills the width.
    spare = width - sum(widths) - 3 * len(columns) - 1
    flexible = [i for i, column in enumerate(columns) if column.ratio]
    if spare > 0 and flexible:
        widths[flexible[0]] += spare
    return widths


def _row(row: Sequence[Cell], widths: list[int], colour: bool, border: str) -> list[str]:
    wrapped = [
        [(part, style) for text, style in cell for part in wrap(text, width)]
        for cell, width in zip(row, widths, strict=True)
    ]
    height = max(len(cell) for cell in wrapped)
    lines = []
    for index in range(height):
        parts = []
        for cell, width in zip(wrapped, widths, strict=True):
            text, style = cell[index] if index < len(cell) else ("", "")
            padded = text + " " * (width - cells(text))
            parts.append(f" {_paint(padded, style, colour)} ")
        lines.append(border + border.join(parts) + border)
    return lines


def _paint(text: str, style: str, colour: bool) -> str:
    code = STYLES[style]
    if not colour or not code or not text.strip():
        return text
    bare = text.rstrip(" ")
    return f"\x1b[{code}m{bare}\x1b[0m" + text[len(bare) :]


def _rule(left: str, line: str, cross: str, right: str, widths: list[int]) -> str:
    return left + cross.join(line * (width + 2) for width in widths) + right
