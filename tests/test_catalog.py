"""Catalog files: every problem with its place, merging in order, and the shipped catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import WriteFile, program_toml
from usce_planner.dates import source_date_reference
from usce_planner.errors import CatalogError, NotFoundError, Problem
from usce_planner.models.catalog import Catalog
from usce_planner.storage.catalog_files import (
    check_catalog_file,
    load_catalog_file,
    load_catalogs,
    shipped_catalog_path,
)
from usce_planner.storage.toml_files import MAX_STRING_CHARS


def problem_texts(path: Path) -> list[str]:
    """Return the problems of a catalog file as the CLI prints them."""
    return [str(problem) for problem in check_catalog_file(path)[1]]


def test_syntax_error_names_line_and_column_when_toml_is_broken(write_catalog: WriteFile) -> None:
    path = write_catalog("schema = 1\nfoo bar\n")
    programs, problems = check_catalog_file(path)
    assert programs == []
    assert problems == [
        Problem("TOML syntax error: Expected '=' after a key in a key/value pair", line=2, column=5)
    ]
    with pytest.raises(CatalogError) as caught:
        load_catalog_file(path)
    assert str(caught.value) == (
        f"{path}: line 2, column 5: TOML syntax error: Expected '=' after a key in a key/value pair"
    )


def test_syntax_error_names_last_line_when_document_ends_early(write_catalog: WriteFile) -> None:
    path = write_catalog('schema = 1\nname = "x')
    assert problem_texts(path) == ["line 2: TOML syntax error: Unterminated string"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["schema: required key is missing (write schema = 1 at the top)"]),
        (
            "schema = 3\n",
            ["schema: written by a newer usce (schema 3); this version reads schema 1 or 2"],
        ),
        ('schema = "1"\n', ["schema: must be the number 1 or 2"]),
        ("schema = true\n", ["schema: must be the number 1 or 2"]),
        ("schema = 0\n", ["schema: must be the number 1 or 2"]),
        (
            "schema = 1\nprograms = []\n",
            ["programs: unknown key (a catalog holds schema and [[program]] entries)"],
        ),
        ("schema = 1\nprogram = 3\n", ["program: must be [[program]] tables"]),
        ("schema = 1\nprogram = [1, 2]\n", ["program: must be [[program]] tables"]),
    ],
)
def test_file_level_problem_is_reported_when_top_level_is_wrong(
    write_catalog: WriteFile, text: str, expected: list[str]
) -> None:
    path = write_catalog(text)
    assert problem_texts(path) == expected
    with pytest.raises(CatalogError) as caught:
        load_catalog_file(path)
    assert str(caught.value) == f"{path}: {expected[0]}"


def test_file_is_refused_when_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(CatalogError) as caught:
        load_catalog_file(path)
    assert str(caught.value) == f"{path}: is not UTF-8 text (byte 0); save it as UTF-8"


@pytest.mark.parametrize(
    ("name", "make_folder", "message"),
    [("nope.toml", False, "no such file"), ("folder.toml", True, "is a folder, not a file")],
)
def test_file_is_refused_when_it_cannot_be_read(
    tmp_path: Path, name: str, make_folder: bool, message: str
) -> None:
    path = tmp_path / name
    if make_folder:
        path.mkdir()
    assert check_catalog_file(path) == ([], [Problem(message)])
    with pytest.raises(CatalogError) as caught:
        load_catalog_file(path)
    assert caught.value.lines() == [f"Error: {path}: {message}"]


def test_every_program_loads_when_file_is_valid(write_catalog: WriteFile) -> None:
    path = write_catalog("schema = 1\n" + program_toml("a") + program_toml("b"))
    assert [program.id for program in load_catalog_file(path)] == ["a", "b"]


def test_duplicate_id_names_both_lines_when_used_twice(write_catalog: WriteFile) -> None:
    path = write_catalog("schema = 1\n" + program_toml("a") + program_toml("b") + program_toml("a"))
    assert problem_texts(path) == [
        "program 'a' (line 27): id: used twice in this file (first at line 3)"
    ]


def test_every_problem_is_listed_when_file_has_several(write_catalog: WriteFile) -> None:
    path = write_catalog(
        "schema = 1\n"
        + program_toml("a", hands_on='"yes"')
        + program_toml("a")
        + program_toml("c", colour='"red"')
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog_file(path)
    assert str(caught.value) == f"{path}: 3 problems"
    assert caught.value.lines() == [
        f"Error: {path}: 3 problems",
        "  program 'a' (line 3): hands_on: Input should be a valid boolean",
        "  program 'a' (line 16): id: used twice in this file (first at line 3)",
        "  program 'c' (line 28): colour: unknown key (not in schema 1)",
    ]


def test_unknown_top_level_key_is_listed_with_program_problems_when_both(
    write_catalog: WriteFile,
) -> None:
    path = write_catalog("schema = 1\nauthor = 'me'\n" + program_toml("a", state='"XX"'))
    assert problem_texts(path) == [
        "author: unknown key (a catalog holds schema and [[program]] entries)",
        "program 'a' (line 4): state: 'XX' is not a US state code (two capital letters, or DC)",
    ]


def test_program_is_named_by_line_when_its_id_is_missing(write_catalog: WriteFile) -> None:
    path = write_catalog(
        """\
        schema = 1

        [[program]]
        institution = "Example Hospital"
        name = "Observership"
        kind = "observership"
        status = "open"
        state = "NY"
        source = "https://example.org/observe"
        source_date = "2025"
        verified = 2026-11-25
        confidence = "high"
        """
    )
    assert problem_texts(path) == ["program at line 3: id: required key is missing"]


def test_problem_names_program_line_and_field_when_a_field_is_wrong(
    write_catalog: WriteFile,
) -> None:
    path = write_catalog(
        "schema = 1\n" + program_toml("a") + program_toml("mayo-x") + "requires = { step1 = 1 }\n"
    )
    assert problem_texts(path) == [
        "program 'mayo-x' (line 15): requires.step1: Input should be a valid boolean"
    ]


def test_lines_are_unknown_when_programs_are_an_inline_array(write_catalog: WriteFile) -> None:
    path = write_catalog(
        "schema = 1\nprogram = [{ id = 'a', institution = 'I', name = 'N', kind = 'research', "
        "status = 'open', state = 'CA', source = 'https://x.org', source_date = 'undated', "
        "verified = 2026-11-25, confidence = 'low', hands_on = 'yes' }]\n"
    )
    assert problem_texts(path) == ["program 'a': hands_on: Input should be a valid boolean"]


def test_string_is_refused_when_longer_than_1_mb(write_catalog: WriteFile) -> None:
    too_long = "x" * (MAX_STRING_CHARS + 1)
    path = write_catalog(
        "schema = 1\n" + program_toml("a") + program_toml("b", city=f'"{too_long}"')
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog_file(path)
    assert str(caught.value) == f"{path}: program.1.city: text longer than 1 MB; refusing it"


def test_string_is_accepted_when_exactly_1_mb(write_catalog: WriteFile) -> None:
    longest = "x" * MAX_STRING_CHARS
    path = write_catalog("schema = 1\n" + program_toml("a", city=f'"{longest}"'))
    assert load_catalog_file(path)[0].city == longest


def test_later_file_replaces_program_whole_when_ids_match(write_catalog: WriteFile) -> None:
    first = write_catalog(
        "schema = 1\n" + program_toml("a", city='"Boston"', hands_on="true") + program_toml("b"),
        "first.toml",
    )
    second = write_catalog("schema = 1\n" + program_toml("a", state='"MN"'), "second.toml")
    catalog = load_catalogs([first, second])
    assert [program.id for program in catalog.programs] == ["a", "b"]
    replaced = catalog.get("a")
    assert (replaced.state, replaced.city, replaced.hands_on) == ("MN", None, None)
    assert catalog.notices == (f"Notice: program 'a' from {second} replaces the one from {first}",)


def test_no_notice_when_files_share_no_id(write_catalog: WriteFile) -> None:
    first = write_catalog("schema = 1\n" + program_toml("a"), "first.toml")
    second = write_catalog("schema = 1\n" + program_toml("b"), "second.toml")
    catalog = load_catalogs([first, second])
    assert ([p.id for p in catalog.programs], catalog.notices) == (["a", "b"], ())


def test_merge_stops_with_the_file_error_when_a_later_file_is_bad(
    write_catalog: WriteFile,
) -> None:
    first = write_catalog("schema = 1\n" + program_toml("a"), "first.toml")
    second = write_catalog("schema = 3\n", "second.toml")
    with pytest.raises(CatalogError, match="newer usce") as caught:
        load_catalogs([first, second])
    assert caught.value.path == str(second)


def test_get_raises_not_found_when_id_is_unknown() -> None:
    with pytest.raises(NotFoundError) as caught:
        Catalog(()).get("x")
    assert str(caught.value) == "no program with id 'x' in the catalog"
    assert caught.value.lines() == ["Error: no program with id 'x' in the catalog"]


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    programs, problems = check_catalog_file(shipped_catalog_path())
    assert problems == []
    return Catalog(tuple(programs))


def test_shipped_catalog_loads_without_problems_when_installed(shipped: Catalog) -> None:
    path = shipped_catalog_path()
    assert path.is_file()
    assert load_catalog_file(path) == list(shipped.programs)


def test_shipped_catalog_holds_enough_unique_programs(shipped: Catalog) -> None:
    ids = [program.id for program in shipped.programs]
    assert len(ids) >= 45
    assert len(set(ids)) == len(ids)


def test_shipped_catalog_sources_every_program(shipped: Catalog) -> None:
    for program in shipped.programs:
        assert program.source.startswith(("https://", "http://")), program.id
        assert program.source_date, program.id
        source_date_reference(program.source_date)
        assert program.verified.year >= 2020, program.id


@pytest.mark.parametrize(
    "institution",
    [
        "Johns Hopkins",
        "Mayo",
        "Cleveland Clinic",
        "Massachusetts General",
        "Brigham",
        "Mount Sinai",
        "NYU",
        "Cedars-Sinai",
        "Yale",
    ],
)
def test_shipped_catalog_includes_institution_when_well_known(
    shipped: Catalog, institution: str
) -> None:
    needle = institution.casefold()
    assert any(
        needle in program.institution.casefold() or needle in program.name.casefold()
        for program in shipped.programs
    )
