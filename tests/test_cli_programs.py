"""``usce programs`` and ``usce programs show`` on small catalogs and on the shipped one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Invoke, WriteFile, program_toml


@pytest.fixture
def three_programs(write_catalog: WriteFile) -> Path:
    return write_catalog(
        "schema = 1\n"
        + program_toml(
            "a-observer",
            hands_on="false",
            audience='["graduate"]',
            city='"Houston"',
            specialties='["internal-medicine"]',
            channel='"email"',
        )
        + program_toml(
            "b-elective",
            kind='"elective"',
            state='"MN"',
            hands_on="true",
            audience='["student"]',
            weeks="[4]",
            lead_time='{ recommended = "6m" }',
            fees='{ application_usd = 100, program_usd = 500, per = "week" }',
        )
        + program_toml("c-closed", status='"closed"', institution='"Zeta [b]Clinic[/b]"')
    )


def listing(invoke: Invoke, catalog: Path, *args: str) -> list[str]:
    result = invoke(["programs", "--json", "--only-catalog", "--catalog", str(catalog), *args])
    assert result.exit_code == 0, result.output
    return [entry["id"] for entry in json.loads(result.stdout)["programs"]]


def test_lists_every_program_sorted_by_institution(invoke: Invoke, three_programs: Path) -> None:
    assert listing(invoke, three_programs) == ["a-observer", "b-elective", "c-closed"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--kind", "elective"], ["b-elective"]),
        (
            ["--kind", "elective", "--kind", "observership"],
            ["a-observer", "b-elective", "c-closed"],
        ),
        (["--state", "mn"], ["b-elective"]),
        (["--status", "closed"], ["c-closed"]),
        (["--hands-on"], ["b-elective"]),
        (["--hands-on", "--include-unknown"], ["b-elective", "c-closed"]),
        (["--audience", "graduate"], ["a-observer"]),
        (["--audience", "graduate", "--include-unknown"], ["a-observer", "c-closed"]),
        # Programs that list no specialties take many: they stay in.
        (["--specialty", "internal-medicine"], ["a-observer", "b-elective", "c-closed"]),
        (["--channel", "email"], ["a-observer"]),
        (["--max-cost", "2100"], ["b-elective"]),
        (["--max-cost", "2099"], []),
        (
            ["--max-cost", "2100", "--include-unknown-cost"],
            ["a-observer", "b-elective", "c-closed"],
        ),
        (["--search", "HOUSTON"], ["a-observer"]),
        (["--search", "zeta"], ["c-closed"]),
        (["--kind", "observership", "--status", "open"], ["a-observer"]),
    ],
)
def test_filters_combine_with_and_and_repeat_with_or(
    invoke: Invoke, three_programs: Path, args: list[str], expected: list[str]
) -> None:
    assert listing(invoke, three_programs, *args) == expected


def test_json_keeps_the_files_own_keys_and_normalises_durations(
    invoke: Invoke, three_programs: Path
) -> None:
    result = invoke(["programs", "--json", "--only-catalog", "--catalog", str(three_programs)])
    entry = json.loads(result.stdout)["programs"][1]
    assert entry["lead_time"] == {"recommended": "6 months"}
    assert entry["weeks"] == [4]
    assert "city" not in entry
    assert "requires" not in entry
    assert entry["verified"] == "2026-11-25"


def test_unknown_filter_value_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke(["programs", "--kind", "shadowing"])
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for '--kind': 'shadowing' is not one of: elective," in result.output
    )


def test_table_prints_markup_and_escapes_literally(
    invoke: Invoke, write_catalog: WriteFile
) -> None:
    path = write_catalog(
        "schema = 1\n" + program_toml("x", institution='"[bold]Red[/] \\u001b[31mHospital"')
    )
    result = invoke(["programs", "--only-catalog", "--catalog", str(path), "--no-color"])
    assert result.exit_code == 0
    assert "[bold]Red[/]" in result.stdout
    assert "\\x1b[31mHospital" in result.stdout
    assert "\x1b" not in result.stdout


def test_show_prints_every_field_and_the_source(invoke: Invoke, three_programs: Path) -> None:
    result = invoke(
        [
            "programs",
            "show",
            "b-elective",
            "--only-catalog",
            "--catalog",
            str(three_programs),
            "--today",
            "2026-12-01",
        ]
    )
    assert result.exit_code == 0
    for text in (
        "lead_time.recommended",
        "6 months",
        "https://example.org/observe",
        "confidence",
        "high",
    ):
        assert text in result.stdout
    assert "check source" not in result.stdout


def test_show_marks_an_entry_verified_over_a_year_ago(invoke: Invoke, three_programs: Path) -> None:
    result = invoke(
        [
            "programs",
            "show",
            "b-elective",
            "--only-catalog",
            "--catalog",
            str(three_programs),
            "--today",
            "2027-11-26",
        ]
    )
    assert "check source: last verified 2026-11-25, over 12 months ago" in result.stdout


def test_show_json_is_the_entry_object(invoke: Invoke, three_programs: Path) -> None:
    result = invoke(
        [
            "programs",
            "show",
            "a-observer",
            "--json",
            "--only-catalog",
            "--catalog",
            str(three_programs),
        ]
    )
    assert json.loads(result.stdout)["id"] == "a-observer"


def test_show_unknown_id_is_an_error(invoke: Invoke, three_programs: Path) -> None:
    result = invoke(
        ["programs", "show", "nope", "--only-catalog", "--catalog", str(three_programs)]
    )
    assert result.exit_code == 1
    assert result.output == "Error: no program with id 'nope' in the catalog\n"


def test_show_a_misspelt_id_suggests_the_closest(invoke: Invoke, three_programs: Path) -> None:
    result = invoke(
        ["programs", "show", "a-observr", "--only-catalog", "--catalog", str(three_programs)]
    )
    assert (result.exit_code, result.output) == (
        1,
        "Error: no program with id 'a-observr' in the catalog; did you mean a-observer?\n",
    )


@pytest.mark.parametrize(
    ("command", "word", "line"),
    [
        ("programs", "internal medicine", "Error: no program lists the specialty 'internal medicine'; did you mean internal-medicine? (`usce programs --specialties` lists the names in use)"),
        ("eligible", "pediatrics", "Error: no program lists the specialty 'pediatrics' (`usce programs --specialties` lists the names in use)"),
    ],
)  # fmt: skip
def test_a_specialty_no_program_lists_is_an_error_with_suggestions(
    invoke: Invoke, three_programs: Path, command: str, word: str, line: str
) -> None:
    extra = ["--example"] if command == "eligible" else []
    result = invoke(
        [command, *extra, "--specialty", word, "--only-catalog", "--catalog", str(three_programs)]
    )
    assert (result.exit_code, result.output) == (1, line + "\n")


def test_specialties_lists_the_names_in_use_with_counts(
    invoke: Invoke, write_catalog: WriteFile
) -> None:
    catalog = write_catalog(
        "schema = 1\n"
        + program_toml("one", specialties='["neurology", "internal-medicine"]')
        + program_toml("two", specialties='["internal-medicine"]')
        + program_toml("three")
    )
    result = invoke(["programs", "--specialties", "--only-catalog", "--catalog", str(catalog)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "internal-medicine  2\nneurology          1\n"
    assert result.stderr == (
        "2 specialties; 1 program lists none (many, see the source) and match any --specialty.\n"
    )
    as_json = invoke(
        ["programs", "--specialties", "--json", "--only-catalog", "--catalog", str(catalog)]
    )
    assert json.loads(as_json.stdout) == {
        "specialties": [
            {"name": "internal-medicine", "count": 2},
            {"name": "neurology", "count": 1},
        ]
    }


def test_later_catalog_replaces_an_entry_with_a_notice(
    invoke: Invoke, write_catalog: WriteFile
) -> None:
    first = write_catalog("schema = 1\n" + program_toml("x", city='"Boston"'), "first.toml")
    second = write_catalog("schema = 1\n" + program_toml("x", city='"Denver"'), "second.toml")
    result = invoke(
        ["programs", "--json", "--only-catalog", "--catalog", str(first), "--catalog", str(second)]
    )
    assert result.exit_code == 0
    assert [p["city"] for p in json.loads(result.stdout)["programs"]] == ["Denver"]
    assert f"Notice: program 'x' from {second} replaces the one from {first}" in result.stderr


def test_user_catalog_folder_is_merged_after_the_shipped_catalog(
    invoke: Invoke, isolated_home: Path
) -> None:
    folder = isolated_home / "catalogs"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(
        "schema = 1\n" + program_toml("my-own-observer"), encoding="utf-8"
    )
    result = invoke(["programs", "--json", "--search", "Example Hospital"])
    assert result.exit_code == 0
    assert [p["id"] for p in json.loads(result.stdout)["programs"]] == ["my-own-observer"]


def test_shipped_catalog_lists_real_programs(invoke: Invoke) -> None:
    result = invoke(["programs", "--json"])
    assert result.exit_code == 0
    programs = json.loads(result.stdout)["programs"]
    assert len(programs) >= 45
    assert all(p["source"].startswith(("http://", "https://")) for p in programs)
