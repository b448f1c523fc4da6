"""The boxed text table of the eligibility listing: widths, wrapping, colour."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from usce_planner.cli.render.text_table import Column, cells, draw_table, wrap

COLUMNS = (Column("program", ratio=3, min_width=10), Column("verdict"), Column("why", ratio=2))
words = st.text(st.sampled_from("abcdefghij東京é-"), min_size=1, max_size=30)
texts = st.lists(words, min_size=1, max_size=8).map(" ".join)


@given(text=texts, width=st.integers(min_value=2, max_value=40))
def test_wrapped_lines_fit_and_keep_every_character_when_any_text_is_wrapped(
    text: str, width: int
) -> None:
    lines = wrap(text, width)
    assert all(cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(
    names=st.lists(texts, min_size=1, max_size=4),
    width=st.integers(min_value=40, max_value=160),
)
def test_every_line_is_the_terminal_width_when_the_columns_fit(
    names: list[str], width: int
) -> None:
    rows = [[[(name, "bold")], [("eligible", "green")], [(name, "")]] for name in names]
    lines = draw_table(COLUMNS, rows, width, colour=False).splitlines()
    assert {cells(line) for line in lines} == {width}


def test_table_looks_like_rich_and_folds_a_long_word_when_drawn_without_colour() -> None:
    rows = [
        [[("Clinic", "bold"), ("clinic-observer", "cyan")], [("eligible", "green")], [("ok", "")]]
    ]
    assert draw_table(COLUMNS, rows, 40, colour=False) == (
        "┏━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━┓\n"
        "┃ program        ┃ verdict  ┃ why      ┃\n"
        "┡━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━┩\n"
        "│ Clinic         │ eligible │ ok       │\n"
        "│ clinic-observe │          │          │\n"
        "│ r              │          │          │\n"
        "└────────────────┴──────────┴──────────┘\n"
    )


def test_colour_codes_wrap_only_the_text_when_colour_is_on() -> None:
    rows = [[[("Clinic", "bold")], [("ineligible", "red")], [("closed", "")]]]
    drawn = draw_table(COLUMNS, rows, 50, colour=True)
    assert "\x1b[31mineligible\x1b[0m" in drawn
    assert "\x1b[1mClinic\x1b[0m " in drawn
    assert "closed\x1b" not in drawn
    assert "\x1b" not in draw_table(COLUMNS, rows, 50, colour=False)


def test_wide_characters_take_two_columns_when_measured() -> None:
    assert cells("東京") == 4
    assert cells("Tokyo") == 5
    assert wrap("東京東京東京", 5) == ["東京", "東京", "東京"]
