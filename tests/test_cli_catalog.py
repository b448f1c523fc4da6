"""``usce catalog validate`` for catalog maintainers."""

from __future__ import annotations

import json

from tests.conftest import Invoke, WriteFile, program_toml


def test_validate_reports_a_good_file(invoke: Invoke, write_catalog: WriteFile) -> None:
    path = write_catalog("schema = 1\n" + program_toml("a") + program_toml("b"))
    result = invoke(["catalog", "validate", str(path)])
    assert result.exit_code == 0
    assert result.output == f"{path}: ok, 2 programs\n"


def test_validate_lists_every_problem_with_line_program_and_field(
    invoke: Invoke, write_catalog: WriteFile
) -> None:
    path = write_catalog(
        "schema = 1\n"
        + program_toml("a", hands_on='"yes"')
        + program_toml("a")
        + program_toml("c", colour='"red"')
    )
    result = invoke(["catalog", "validate", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {path}: 3 problems",
        "  program 'a' (line 3): hands_on: Input should be a valid boolean",
        "  program 'a' (line 16): id: used twice in this file (first at line 3)",
        "  program 'c' (line 28): colour: unknown key (not in schema 1)",
    ]


def test_validate_json_gives_line_program_field_and_message(
    invoke: Invoke, write_catalog: WriteFile
) -> None:
    good = write_catalog("schema = 1\n" + program_toml("a"), "good.toml")
    bad = write_catalog("schema = 1\n[[program]\n", "bad.toml")
    result = invoke(["catalog", "validate", "--json", str(good), str(bad)])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "files": [
            {"path": str(good), "problems": []},
            {
                "path": str(bad),
                "problems": [
                    {
                        "line": 2,
                        "program": None,
                        "field": None,
                        "message": "TOML syntax error: "
                        "Expected ']]' at the end of an array declaration",
                    }
                ],
            },
        ]
    }


def test_validate_a_missing_file(invoke: Invoke, tmp_path) -> None:
    path = tmp_path / "nope.toml"
    result = invoke(["catalog", "validate", str(path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: no such file\n"


def test_validate_the_shipped_catalog(invoke: Invoke) -> None:
    from usce_planner.storage.catalog_files import shipped_catalog_path

    result = invoke(["catalog", "validate", str(shipped_catalog_path())])
    assert result.exit_code == 0, result.output
