"""The profile file: typed changes from the command line, atomic saves, and load errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from usce_planner.errors import PlannerError, ProfileError
from usce_planner.models.profile import Profile
from usce_planner.storage.profile_file import (
    FIX_HINT,
    SETTABLE_KEYS,
    apply_changes,
    load_profile,
    parse_value,
    save_profile,
)

DOCUMENT: dict[str, Any] = {
    "schema": 1,
    "stage": "graduate",
    "graduation": date(2023, 6, 30),
    "citizenship": "IN",
    "step1": {"status": "passed", "date": date(2024, 3, 10)},
}


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("graduation", "2023-06-30", date(2023, 6, 30)),
        ("step1.date", " 2026-05-10 ", date(2026, 5, 10)),
        ("english.tested", "2025-10-01", date(2025, 10, 1)),
        ("target_match", "2028", 2028),
        ("budget_usd", "0", 0),
        ("step2ck.score", "-3", -3),
        ("english.ielts", "7.5", 7.5),
        ("english.ielts", "7", 7.0),
        ("seeking_residency", "yes", True),
        ("seeking_residency", "Y", True),
        ("english_medium_school", "true", True),
        ("ecfmg_certified", "no", False),
        ("english.oet", "FALSE", False),
        ("english.oet", "n", False),
        ("specialties", "internal-medicine, pediatrics,", ["internal-medicine", "pediatrics"]),
        ("specialties", "", []),
        ("citizenship", "in", "IN"),
        ("citizenship", "in, gb", ["IN", "GB"]),
        ("step1.status", "passed", "passed"),
        ("name", "  A. Example ", "A. Example"),
    ],
)
def test_parse_value_types_the_text_when_key_is_known(key: str, text: str, value: object) -> None:
    parsed = parse_value(key, text)
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("graduation", "June 2023", "graduation: 'June 2023' is not a date (YYYY-MM-DD)"),
        (
            "step1.date",
            "2026-02-30",
            "step1.date: '2026-02-30' is not a date (YYYY-MM-DD)",
        ),
        ("budget_usd", "10k", "budget_usd: '10k' is not a whole number"),
        ("target_match", "2028.0", "target_match: '2028.0' is not a whole number"),
        ("target_match", "-", "target_match: '-' is not a whole number"),
        ("english.ielts", "seven", "english.ielts: 'seven' is not a number"),
        ("english.oet", "maybe", "english.oet: 'maybe' is not true or false (or yes or no)"),
        ("seeking_residency", "1", "seeking_residency: '1' is not true or false (or yes or no)"),
    ],
)
def test_parse_value_raises_planner_error_when_text_does_not_fit(
    key: str, text: str, message: str
) -> None:
    with pytest.raises(PlannerError) as caught:
        parse_value(key, text)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", ["--5", "²"])
def test_parse_value_raises_planner_error_when_int_text_only_looks_numeric(text: str) -> None:
    with pytest.raises(PlannerError, match="is not a whole number"):
        parse_value("budget_usd", text)


def test_apply_changes_sets_dotted_keys_and_keeps_the_input_when_assigning() -> None:
    changed = apply_changes(
        DOCUMENT,
        [("step1.status", "failed"), ("visa.holds", "b1-b2"), ("citizenship", "in,us")],
        [],
    )
    assert changed["step1"] == {"status": "failed", "date": date(2024, 3, 10)}
    assert changed["visa"] == {"holds": "b1-b2"}
    assert changed["citizenship"] == ["IN", "US"]
    assert DOCUMENT["step1"] == {"status": "passed", "date": date(2024, 3, 10)}
    assert "visa" not in DOCUMENT


STEP1_DATE = date(2024, 3, 10)
BASE = {"schema": 1, "stage": "graduate", "graduation": date(2023, 6, 30), "citizenship": "IN"}


@pytest.mark.parametrize(
    ("unset", "expected"),
    [
        (["step1.date"], {**BASE, "name": "A", "step1": {"status": "passed"}}),
        (["step1.date", "step1.status"], {**BASE, "name": "A"}),
        (["name"], {**BASE, "step1": {"status": "passed", "date": STEP1_DATE}}),
        (["visa.holds"], {**BASE, "name": "A", "step1": {"status": "passed", "date": STEP1_DATE}}),
    ],
)
def test_unset_removes_key_and_drops_empty_table_when_asked(
    unset: list[str], expected: dict[str, Any]
) -> None:
    assert apply_changes({**DOCUMENT, "name": "A"}, [], unset) == expected


def test_unset_then_set_applies_both_when_given_together() -> None:
    changed = apply_changes(DOCUMENT, [("step1.date", "2025-01-02")], ["step1.date"])
    assert changed["step1"] == {"status": "passed", "date": date(2025, 1, 2)}


@pytest.mark.parametrize(
    ("assignments", "unset"), [([("colour", "red")], []), ([], ["zzz"])]
)
def test_apply_changes_lists_the_keys_when_key_is_unknown(
    assignments: list[tuple[str, str]], unset: list[str]
) -> None:
    with pytest.raises(PlannerError) as caught:
        apply_changes(DOCUMENT, assignments, unset)
    bad = assignments[0][0] if assignments else unset[0]
    assert str(caught.value) == (f"{bad}: unknown key; keys: {', '.join(sorted(SETTABLE_KEYS))}")
    assert "step1.status, step2ck.date" in str(caught.value)


def test_apply_changes_suggests_the_closest_keys_when_key_is_misspelt() -> None:
    with pytest.raises(PlannerError) as caught:
        apply_changes(DOCUMENT, [], ["step3.date"])
    assert str(caught.value) == (
        "step3.date: unknown key; did you mean step1.date, step2ck.date or step1.status?"
    )


def test_apply_changes_refuses_dotted_key_when_table_is_a_value() -> None:
    with pytest.raises(PlannerError) as caught:
        apply_changes({**DOCUMENT, "visa": "b1"}, [("visa.holds", "b2")], [])
    assert str(caught.value) == "visa: is not a table; fix the file by hand"


SAVED = """\
schema = 1
name = "A. Example"
stage = "graduate"
graduation = 2023-06-30
citizenship = [
    "IN",
    "GB",
]
seeking_residency = true
specialties = [
    "internal-medicine",
]

[step1]
status = "passed"
date = 2024-03-10

[english]
ielts = 7.5
tested = 2025-10-01

[visa]
consulate_wait_weeks = 12
"""


def full_profile() -> Profile:
    return Profile.model_validate(
        {
            **DOCUMENT,
            "name": "A. Example",
            "citizenship": ["IN", "GB"],
            "specialties": ["internal-medicine"],
            "seeking_residency": True,
            "english": {"ielts": 7.5, "tested": date(2025, 10, 1)},
            "visa": {"consulate_wait_weeks": 12},
        }
    )


def test_save_profile_round_trips_and_leaves_no_temporary_file_when_written(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "config"
    path = folder / "profile.toml"
    profile = full_profile()
    save_profile(path, profile)
    assert sorted(item.name for item in folder.iterdir()) == ["profile.toml"]
    assert load_profile(path) == profile
    assert path.read_text(encoding="utf-8") == SAVED


def test_save_profile_replaces_the_file_without_backup_when_not_asked(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text("old", encoding="utf-8")
    save_profile(path, full_profile())
    assert sorted(item.name for item in tmp_path.iterdir()) == ["profile.toml"]
    assert load_profile(path) == full_profile()


def test_save_profile_keeps_the_old_file_as_bak_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text("schema = 1\nname = \n", encoding="utf-8")
    save_profile(path, full_profile(), keep_backup=True)
    assert sorted(item.name for item in tmp_path.iterdir()) == ["profile.toml", "profile.toml.bak"]
    assert (tmp_path / "profile.toml.bak").read_text(encoding="utf-8") == "schema = 1\nname = \n"
    assert load_profile(path) == full_profile()


def test_load_profile_gives_line_and_fix_hint_when_syntax_is_broken(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text("schema = 1\nname = \n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.lines() == [
        f"Error: {path}: line 2, column 8: TOML syntax error: Invalid value",
        FIX_HINT,
    ]
    assert FIX_HINT == (
        "Fix it by hand, or start again with `usce profile init --force` "
        "(the old file is kept as profile.toml.bak)."
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("schema = 2\n", "schema: written by a newer usce (schema 2); this version reads schema 1"),
        ("name = 'x'\n", "schema: required key is missing (write schema = 1 at the top)"),
        (
            "schema = 1\nstage = 'graduate'\ngraduation = 2023-06-30\ncitizenship = 'in'\n",
            "citizenship: 'in' is not an ISO 3166 country code (two capital letters, e.g. IN)",
        ),
    ],
)
def test_load_profile_names_the_field_when_document_is_invalid(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.lines() == [f"Error: {path}: {problem}", FIX_HINT]


def test_load_profile_says_how_to_create_one_when_missing(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    with pytest.raises(PlannerError) as caught:
        load_profile(path)
    assert not isinstance(caught.value, ProfileError)
    assert str(caught.value) == f"{path}: no profile yet; create one with `usce profile init`"
