"""Catalog schema 2: its keys, how they are checked, and what schema 1 files may not use."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner.storage.catalog_files import check_catalog_file

# Every schema 2 key at once, as a maintainer would write it.
FULL = program_toml(
    weeks="[8, 2, 4]",
    weeks_usual="false",
    no_starts='["06", "07", "08"]',
    specialties='["pediatrics"]',
    excluded_specialties='["internal-medicine"]',
    fees="{ application_usd = 25, deposit_usd = 100, deposit_credited = true }",
    notes='["Step 1 or IFOM accepted."]',
    requires__toefl_ibt_min="100",
    requires__toefl_sections_min="{ speaking = 25, writing = 22 }",
    requires__ielts_sections_min="{ speaking = 7.5 }",
)


def problems_of(write_catalog: WriteFile, text: str) -> list[str]:
    return [str(problem) for problem in check_catalog_file(write_catalog(text))[1]]


def test_every_schema_2_key_loads_when_the_file_says_schema_2(write_catalog: WriteFile) -> None:
    programs, problems = check_catalog_file(write_catalog("schema = 2\n" + FULL))
    assert problems == []
    (program,) = programs
    assert program.weeks == (2, 4, 8)  # no usual length: kept shortest first
    assert program.has_usual_length is False
    assert program.no_start_months == frozenset({6, 7, 8})
    assert program.excluded_specialties == ("internal-medicine",)
    assert program.notes == ("Step 1 or IFOM accepted.",)
    assert program.fees is not None
    assert (program.fees.deposit_usd, program.fees.deposit_credited) == (100, True)
    sections = program.requires.toefl_sections_min
    assert sections is not None
    assert sections.stated() == (("speaking", 25), ("writing", 22))
    ielts = program.requires.ielts_sections_min
    assert ielts is not None
    assert ielts.stated() == (("speaking", 7.5),)


def test_a_schema_1_file_is_refused_each_schema_2_key(write_catalog: WriteFile) -> None:
    programs, problems = check_catalog_file(write_catalog("schema = 1\n" + FULL))
    assert programs == []
    assert [str(problem) for problem in problems] == [
        f"program 'example-observer' (line 3): {field}: needs schema = 2 (this file says schema = 1)"
        for field in (
            "no_starts",
            "weeks_usual",
            "excluded_specialties",
            "notes",
            "fees.deposit_usd",
            "fees.deposit_credited",
            "requires.toefl_sections_min",
            "requires.ielts_sections_min",
        )
    ]


def test_a_schema_1_file_still_reports_its_other_problems(write_catalog: WriteFile) -> None:
    text = "schema = 1\n" + program_toml(no_starts='["07"]', kind='"tour"')
    assert problems_of(write_catalog, text) == [
        "program 'example-observer' (line 3): no_starts: needs schema = 2 (this file says schema = 1)",
        "program 'example-observer' (line 3): kind: Input should be 'elective', 'observership', "
        "'externship', 'research' or 'pre-residency'",
    ]


def test_an_unknown_key_in_a_schema_2_file_names_schema_2(write_catalog: WriteFile) -> None:
    text = "schema = 2\n" + program_toml(blackout='["07"]')
    assert problems_of(write_catalog, text) == [
        "program 'example-observer' (line 3): blackout: unknown key (not in schema 2)"
    ]


def test_a_newer_schema_is_refused(write_catalog: WriteFile) -> None:
    assert problems_of(write_catalog, "schema = 3\n" + FULL) == [
        "schema: written by a newer usce (schema 3); this version reads schema 1 or 2"
    ]


BAD = [
    ({"no_starts": '["7"]'}, "no_starts.0: '7' is not a month written 'MM' ('01' to '12')"),
    ({"no_starts": '["13"]'}, "no_starts.0: '13' is not a month written 'MM' ('01' to '12')"),
    ({"no_starts": "[7]"}, "no_starts.0: Input should be a valid string"),
    ({"no_starts": "[]"}, "no_starts: must list at least one"),
    ({"no_starts": '["07", "07"]'}, "no_starts: each month once"),
    (
        {"no_starts": "[" + ", ".join(f'"{m:02}"' for m in range(1, 13)) + "]"},
        "no_starts: lists every month; a program that takes no one is status = 'closed' or "
        "'paused'",
    ),
    (
        {"no_starts": '["07"]', "starts": "[2027-06-07, 2027-07-05]"},
        "no_starts: the listed start 2027-07-05 is in a month without starts",
    ),
    ({"weeks_usual": "false"}, "weeks_usual: needs weeks with two or more lengths"),
    ({"weeks_usual": "false", "weeks": "[4]"}, "weeks_usual: needs weeks with two or more lengths"),
    ({"weeks_usual": '"no"', "weeks": "[2, 4]"}, "weeks_usual: Input should be a valid boolean"),
    ({"excluded_specialties": "[]"}, "excluded_specialties: must list at least one"),
    (
        {"excluded_specialties": '["Internal Medicine"]'},
        "excluded_specialties.0: 'Internal Medicine' must be lowercase letters, digits and single hyphens",
    ),
    (
        {"excluded_specialties": '["surgery"]', "specialties": '["surgery"]'},
        "excluded_specialties: 'surgery' is also in specialties",
    ),
    ({"notes": "[]"}, "notes: must list at least one"),
    ({"notes": '[""]'}, "notes.0: String should have at least 1 character"),
    ({"notes": '"one note"'}, "notes: must be a list"),
    (
        {"fees": "{ deposit_usd = -1 }"},
        "fees.deposit_usd: Input should be greater than or equal to 0",
    ),
    ({"fees": "{ deposit_credited = true }"}, "fees.deposit_credited: needs deposit_usd"),
    (
        {"fees": '{ deposit_usd = 100, deposit_credited = "yes" }'},
        "fees.deposit_credited: Input should be a valid boolean",
    ),
    (
        {"requires__toefl_sections_min": "{}"},
        "requires.toefl_sections_min: name at least one of reading, listening, speaking, writing",
    ),
    (
        {"requires__toefl_sections_min": "{ speaking = 31 }"},
        "requires.toefl_sections_min.speaking: Input should be less than or equal to 30",
    ),
    (
        {"requires__toefl_sections_min": "{ talking = 20 }"},
        "requires.toefl_sections_min.talking: unknown key (not in schema 2)",
    ),
    (
        {"requires__ielts_sections_min": "{ speaking = 7.3 }"},
        "requires.ielts_sections_min.speaking: 7.3 is not an IELTS band (whole or half, such "
        "as 7 or 7.5)",
    ),
    (
        {
            "requires__english_tests": '["ielts"]',
            "requires__toefl_sections_min": "{ reading = 20 }",
        },
        "requires.toefl_sections_min: toefl is not among english_tests",
    ),
    (
        {"requires__english": "false", "requires__ielts_sections_min": "{ reading = 6.5 }"},
        "requires.ielts_sections_min: english = false says no test is needed",
    ),
]


@pytest.mark.parametrize(("keys", "problem"), BAD)
def test_a_bad_schema_2_value_names_its_program_field_and_line(
    write_catalog: WriteFile, keys: dict[str, str], problem: str
) -> None:
    text = "schema = 2\n" + program_toml("ok") + program_toml("bad", **keys)
    assert problems_of(write_catalog, text) == [f"program 'bad' (line 15): {problem}"]


def test_validate_json_names_line_program_and_dotted_field(
    invoke: Invoke, write_catalog: WriteFile
) -> None:
    path = write_catalog(
        "schema = 2\n" + program_toml("x", requires__toefl_sections_min="{ speaking = 40 }")
    )
    result = invoke(["catalog", "validate", str(path), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["files"][0]["problems"] == [
        {
            "line": 3,
            "program": "x",
            "field": "requires.toefl_sections_min.speaking",
            "message": "Input should be less than or equal to 30",
        }
    ]
