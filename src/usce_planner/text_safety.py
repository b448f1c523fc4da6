"""Text from catalogs and profiles made safe to show: control characters become visible escapes."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import orjson

# C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides: any of these
# could move the cursor, recolour the terminal or reorder what the user reads.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# The same characters but DEL, as their UTF-8 bytes.
_UNSAFE_UTF8 = re.compile(
    rb"\xc2[\x80-\x9f]|\xd8\x9c|\xe2(?:\x80[\x8e\x8f\xa8-\xae]|\x81[\xa6-\xa9])"
)
_ASCII = bytes(range(128))


def visible(text: str) -> str:
    """Return text with control characters shown as escapes such as ``\\x1b``."""
    return _UNSAFE.sub(_escape, text)


def json_safe(text: str) -> str:
    """Return JSON text with the same characters written as \\u escapes (still valid JSON)."""
    # json.dumps escapes C0 controls itself; the layout's own newlines must stay.
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_bytes(document: Any) -> bytes:
    """Return a document as UTF-8 JSON with a two-space indent, unsafe characters escaped."""
    try:
        data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        # orjson takes neither integers past 64 bits (a catalog may hold one) nor lone
        # surrogates (a file name that is not UTF-8); JSON writes the latter as \udcXX.
        text = json.dumps(document, ensure_ascii=False, indent=2, default=_as_orjson_writes)
        return json_safe(text).encode("utf-8", "backslashreplace")
    # Every unsafe character but DEL is a multi-byte sequence: look for them among the non-ASCII
    # bytes alone, a hundredth of a large document, and rewrite only when one is there.
    if b"\x7f" in data or _UNSAFE_UTF8.search(data.translate(None, _ASCII)):
        return json_safe(data.decode("utf-8")).encode("utf-8")
    return data


def json_pieces(
    head: dict[str, Any], key: str, items: Iterable[Any], batch: int = 512
) -> Iterator[bytes | memoryview]:
    """Yield ``json_bytes({**head, key: list(items)})`` a few hundred items at a time.

    The same bytes, without holding the whole document: a catalog of 100,000 programs makes
    one of 200 MB. ``key`` comes last, and each item sits four spaces in.
    """
    empty = json_bytes({**head, key: []})
    cut = empty.rindex(b"[]")
    started = False
    for chunk in _batches(items, batch):
        # Written as {key: [...]}, the items sit four spaces in already: keep what is inside,
        # as a view rather than a copy of its megabytes.
        wrapped = json_bytes({key: chunk})
        yield b",\n" if started else empty[:cut] + b"[\n"
        yield memoryview(wrapped)[wrapped.index(b"[\n") + 2 : -len(b"\n  ]\n}")]
        started = True
    if not started:
        yield empty
        return
    yield b"\n  ]" + empty[cut + 2 :]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _as_orjson_writes(value: Any) -> Any:
    # A dataclass as its fields in order, a date as YYYY-MM-DD: what orjson writes for them.
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
