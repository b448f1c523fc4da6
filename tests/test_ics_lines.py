"""Content lines of the .ics export: TEXT escaping and folding, as icalendar reads and writes them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, vText
from icalendar.parser.string import _foldline

from usce_planner.export.ics import _text, fold

# Escapes, the fold's own edge characters, and text of one to four UTF-8 octets.
SPECIAL = '\\^;,:"é—東😀 '
texts = st.text(st.sampled_from(SPECIAL) | st.characters(codec="utf-8", exclude_characters="\r\n"))
lines = st.text(
    st.sampled_from(SPECIAL) | st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=400
)


@given(line=lines)
def test_fold_matches_icalendar_when_any_line_is_folded(line: str) -> None:
    assert fold(line) == _foldline(line)


@given(line=st.text(st.sampled_from("ab\\^"), min_size=60, max_size=300))
def test_fold_matches_icalendar_when_escapes_sit_at_the_boundary(line: str) -> None:
    assert fold(line) == _foldline(line)


@given(line=lines)
def test_every_folded_piece_fits_in_75_octets_when_written(line: str) -> None:
    pieces = fold(line).split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert (
        "".join(piece.removeprefix(" ") if i else piece for i, piece in enumerate(pieces)) == line
    )


@given(value=texts.filter(lambda value: "\\N" not in value))
def test_text_escaping_matches_icalendar_when_no_backslash_n_is_written(value: str) -> None:
    assert _text(value) == vText(value).to_ical().decode("utf-8")


@given(
    value=st.text(
        st.sampled_from(SPECIAL + "\nN") | st.characters(codec="utf-8", exclude_characters="\r")
    )
)
def test_text_reads_back_as_written_when_icalendar_parses_it(value: str) -> None:
    document = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:one@test\r\nDTSTAMP:20261125T000000Z\r\nDTSTART;VALUE=DATE:20270101\r\n"
        f"{fold('SUMMARY:' + _text(value))}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    event = Calendar.from_ical(document.encode("utf-8")).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == value


def test_backslash_n_stays_literal_when_written_where_icalendar_would_break_the_line() -> None:
    assert _text("São Paulo \\N; R&D") == "São Paulo \\\\N\\; R&D"
    assert vText("São Paulo \\N; R&D").to_ical().decode() == "São Paulo \\n\\; R&D"
