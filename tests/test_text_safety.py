"""json_bytes: the bytes json.dumps and json_safe gave, unsafe characters written as escapes."""

from __future__ import annotations

import json
import os
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usce_planner.eligibility.checks import Check
from usce_planner.text_safety import json_bytes, json_pieces, json_safe

# What a terminal could act on: DEL, C1 controls, the Arabic letter mark, bidirectional marks,
# overrides and isolates, and the line and paragraph separators.
UNSAFE = (
    "\x7f"
    + "".join(map(chr, range(0x80, 0xA0)))
    + "\u061c\u200e\u200f\u2028\u2029"
    + "".join(map(chr, range(0x202A, 0x202F)))
    + "".join(map(chr, range(0x2066, 0x206A)))
)
# Their neighbours, and other text that must pass through untouched (or as json.dumps writes it).
SAFE_NEIGHBOURS = "\xa0\u061b\u061d\u200d\u2010\u2027\u202f\u2065\u206a"
OTHER = '—\u2013é≤€😀 \u4e2d\x00\x1b\x1f\t\n\r"\\/'
# orjson writes integers of 64 bits only; larger ones take the json.dumps path (tested below).
INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)

texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(UNSAFE + SAFE_NEIGHBOURS + OTHER), st.characters(codec="utf-8")
    ),
    max_size=12,
)
documents = st.recursive(
    st.none() | st.booleans() | INT64 | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=25,
)


def expected(document: Any) -> bytes:
    """Return what print_json wrote before orjson: the contract json_bytes keeps."""
    return json_safe(json.dumps(document, ensure_ascii=False, indent=2)).encode("utf-8")


@settings(max_examples=400)
@given(document=documents)
def test_bytes_are_those_of_json_dumps_when_document_is_nested(document: Any) -> None:
    assert json_bytes(document) == expected(document)


@settings(max_examples=300)
@given(document=documents)
def test_document_reads_back_equal_when_written(document: Any) -> None:
    data = json_bytes(document)
    assert json.loads(data) == document
    assert not set(data.decode("utf-8")) & set(UNSAFE)


@given(
    document=st.dictionaries(
        st.text(alphabet=st.sampled_from(UNSAFE + OTHER), max_size=3),
        st.text(alphabet=st.sampled_from(UNSAFE + SAFE_NEIGHBOURS), min_size=1, max_size=6),
        min_size=1,
        max_size=3,
    )
)
def test_bytes_are_those_of_json_dumps_when_keys_and_values_are_all_unusual(
    document: dict[str, str],
) -> None:
    assert json_bytes(document) == expected(document)


@pytest.mark.parametrize("character", list(UNSAFE), ids=[f"U+{ord(c):04X}" for c in UNSAFE])
def test_unsafe_character_is_an_escape_when_alone_in_a_value(character: str) -> None:
    escape = f"\\u{ord(character):04x}".encode("ascii")
    assert json_bytes({"note": character}) == b'{\n  "note": "' + escape + b'"\n}'
    assert json_bytes([character]) == b'[\n  "' + escape + b'"\n]'
    assert json_bytes(character) == b'"' + escape + b'"'


@pytest.mark.parametrize("character", list(UNSAFE), ids=[f"U+{ord(c):04X}" for c in UNSAFE])
def test_unsafe_character_is_an_escape_when_in_a_key_among_other_text(character: str) -> None:
    escape = f"\\u{ord(character):04x}"
    data = json_bytes({f"é{character}—": [1, None, True, f"≤{character}😀"]})
    assert (
        data
        == (
            f'{{\n  "é{escape}—": [\n    1,\n    null,\n    true,\n    "≤{escape}😀"\n  ]\n}}'
        ).encode()
    )


@pytest.mark.parametrize("character", list(SAFE_NEIGHBOURS + "—é≤😀"))
def test_character_is_written_as_utf8_when_it_is_safe(character: str) -> None:
    assert json_bytes({"note": character}) == ('{\n  "note": "' + character + '"\n}').encode()


@pytest.mark.parametrize(
    ("document", "written"),
    [
        ({"a": "\x1b[31m"}, b'{\n  "a": "\\u001b[31m"\n}'),
        ({"a": "line\nnext\ttab"}, b'{\n  "a": "line\\nnext\\ttab"\n}'),
        ({"a": {}, "b": [], "c": [{}]}, b'{\n  "a": {},\n  "b": [],\n  "c": [\n    {}\n  ]\n}'),
        ([-(2**63), 2**63 - 1, 0], b"[\n  -9223372036854775808,\n  9223372036854775807,\n  0\n]"),
        ({"a": None, "b": False}, b'{\n  "a": null,\n  "b": false\n}'),
    ],
)
def test_bytes_are_those_of_json_dumps_when_document_is_plain(
    document: Any, written: bytes
) -> None:
    assert json_bytes(document) == written
    assert expected(document) == written


@pytest.mark.parametrize("number", [2**64, -(2**63) - 1, 10**20])
def test_bytes_are_those_of_json_dumps_when_an_integer_exceeds_64_bits(number: int) -> None:
    assert json_bytes({"application_usd": number}) == expected({"application_usd": number})


@given(
    head=st.dictionaries(texts.filter(lambda key: key != "items"), documents, max_size=3),
    items=st.lists(documents, max_size=12),
    batch=st.integers(min_value=1, max_value=5),
)
def test_pieces_join_to_the_whole_document_when_written_in_batches(
    head: dict[str, Any], items: list[Any], batch: int
) -> None:
    pieces = list(json_pieces(head, "items", iter(items), batch))
    assert b"".join(pieces) == json_bytes({**head, "items": items})
    assert len(pieces) >= 1 + len(items) // batch


def test_pieces_are_the_empty_document_when_there_are_no_items() -> None:
    assert b"".join(json_pieces({"today": "2026-11-25"}, "results", [])) == json_bytes(
        {"today": "2026-11-25", "results": []}
    )


def test_lone_surrogate_is_a_json_escape_when_a_file_name_is_not_utf8() -> None:
    name = os.fsdecode(b"inv\xff.toml")
    written = json_bytes({"path": name})
    assert b'"inv\\udcff.toml"' in written
    assert json.loads(written) == {"path": name}


def test_dates_and_checks_are_written_alike_when_orjson_cannot_write_the_document() -> None:
    # An integer past 64 bits sends the document to json.dumps, which must write what orjson
    # writes for a date and for a dataclass.
    document = {"day": date(2027, 1, 2), "check": Check("dates", "met", "on time"), "n": 2**70}
    written = json_bytes(document)
    assert json.loads(written) == {
        "day": "2027-01-02",
        "check": {"rule": "dates", "status": "met", "detail": "on time"},
        "n": 2**70,
    }
    assert written.replace(str(2**70).encode(), b"1") == json_bytes({**document, "n": 1})
