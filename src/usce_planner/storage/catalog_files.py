"""Catalog files: TOML to programs, every problem listed with its place, merged in order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from usce_planner.errors import CatalogError, Problem
from usce_planner.models.catalog import SCHEMA_2_FIELDS, Catalog, Program
from usce_planner.storage.cache import CopyKind, through_copy
from usce_planner.storage.copy_shapes import Shape
from usce_planner.storage.toml_files import (
    parse_toml_document,
    read_document_bytes,
    schema_problem,
    validation_problems,
)

_PROGRAM_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*program[ \t]*\]\]", re.MULTILINE)
_TOP_LEVEL_KEYS = frozenset({"schema", "program"})
# Catalogs read schema 1 and 2; schema 2 adds the keys in SCHEMA_2_FIELDS.
CATALOG_SCHEMA = 2
_NOT_IN_SCHEMA_1 = "unknown key (not in schema 1)"
_PROGRAMS = CopyKind("catalog", Shape[list[Program]](list[Program]))


def shipped_catalog_path() -> Path:
    """Return the catalog that ships with usce (in the wheel, or in the source checkout)."""
    packaged = Path(__file__).parents[1] / "_data" / "programs.toml"
    if packaged.is_file():
        return packaged
    # An editable install runs from src/, where the repository's data/ folder is two levels up.
    return Path(__file__).resolve().parents[3] / "data" / "programs.toml"


def user_catalog_paths(folder: Path) -> list[Path]:
    """Return the user's own catalog files, sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.toml") if path.is_file())


def check_catalog_file(path: Path) -> tuple[list[Program], list[Problem]]:
    """Return the programs of one file and every problem found in it."""
    try:
        raw = read_document_bytes(path, CatalogError)
    except CatalogError as exc:
        return [], exc.problems
    return _check_catalog_bytes(path, raw)


def load_catalog_file(path: Path, cache: Path | None = None) -> list[Program]:
    """Return the programs of one catalog file; raise CatalogError listing every problem.

    With a ``cache`` folder, a copy parsed from the same bytes is used when there is one, and
    kept for next time when there is not.
    """
    raw = read_document_bytes(path, CatalogError)

    def parse() -> list[Program]:
        programs, problems = _check_catalog_bytes(path, raw)
        if problems:
            raise CatalogError(path, problems)
        return programs

    return through_copy(cache, path, raw, _PROGRAMS, parse)


def load_catalogs(paths: Sequence[Path], cache: Path | None = None) -> Catalog:
    """Merge catalog files in order: a later entry with the same id replaces the earlier one."""
    merged: dict[str, Program] = {}
    origin: dict[str, Path] = {}
    replaced: dict[str, list[Path]] = {}
    for path in paths:
        # A file at a time: ids a file shares with earlier files replace theirs, with a notice.
        by_id = {program.id: program for program in load_catalog_file(path, cache)}
        for program_id in by_id:
            if program_id in merged:
                replaced.setdefault(program_id, []).append(origin[program_id])
        merged.update(by_id)
        origin.update(dict.fromkeys(by_id, path))
    notices = tuple(
        f"Notice: program '{program_id}' from {origin[program_id]} replaces the one from "
        + ", ".join(str(path) for path in earlier_paths)
        for program_id, earlier_paths in replaced.items()
    )
    return Catalog(tuple(merged.values()), notices)


def _check_catalog_bytes(path: Path, raw: bytes) -> tuple[list[Program], list[Problem]]:
    try:
        document = parse_toml_document(raw, path, CatalogError)
    except CatalogError as exc:
        return [], exc.problems
    problems: list[Problem] = []
    schema = schema_problem(document, CATALOG_SCHEMA)
    if schema is not None:
        return [], [schema]
    problems += [
        Problem("unknown key (a catalog holds schema and [[program]] entries)", field=key)
        for key in document
        if key not in _TOP_LEVEL_KEYS
    ]
    entries = document.get("program", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return [], [*problems, Problem("must be [[program]] tables", field="program")]
    lines = _header_lines(raw.decode("utf-8-sig"), len(entries))
    programs, more = _validate_entries(entries, lines, document["schema"])
    return programs, problems + more


def _validate_entries(
    entries: list[dict[str, Any]], lines: list[int | None], schema: int
) -> tuple[list[Program], list[Problem]]:
    programs: list[Program] = []
    problems: list[Problem] = []
    first_line: dict[str, int | None] = {}
    for raw, line in zip(entries, lines, strict=True):
        program_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        duplicate = program_id is not None and program_id in first_line
        if duplicate:
            where = first_line[program_id]  # type: ignore[index]  # not None when duplicate
            seen = f" (first at line {where})" if where is not None else ""
            problems.append(
                Problem(f"used twice in this file{seen}", line, None, program_id, "program", "id")
            )
        elif program_id is not None:
            first_line[program_id] = line
        newer = _schema_2_fields(raw) if schema == 1 else []
        problems += [
            Problem(
                "needs schema = 2 (this file says schema = 1)",
                line,
                None,
                program_id,
                "program",
                field,
            )
            for field in newer
        ]
        try:
            program = Program.model_validate(_without(raw, newer))
        except ValidationError as exc:
            problems += _in_schema(validation_problems(exc, program_id, "program", line), schema)
            continue
        if not duplicate and not newer:
            programs.append(program)
    return programs, problems


def _schema_2_fields(raw: dict[str, Any]) -> list[str]:
    """Return the dotted fields of one entry that only schema 2 has."""
    found = []
    for field in SCHEMA_2_FIELDS:
        table, _, key = field.rpartition(".")
        holder = raw.get(table) if table else raw
        if isinstance(holder, dict) and key in holder:
            found.append(field)
    return found


def _without(raw: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    # The entry's other keys are still checked, so that one run lists every problem.
    entry = dict(raw)
    for field in fields:
        table, _, key = field.rpartition(".")
        if table:
            entry[table] = {k: v for k, v in entry[table].items() if k != key}
        else:
            del entry[key]
    return entry


def _in_schema(problems: list[Problem], schema: int) -> list[Problem]:
    if schema == 1:
        return problems
    wording = f"unknown key (not in schema {schema})"
    return [
        replace(problem, message=wording) if problem.message == _NOT_IN_SCHEMA_1 else problem
        for problem in problems
    ]


def _header_lines(text: str, count: int) -> list[int | None]:
    # Counted from the previous header on: counting from the top each time is quadratic.
    lines: list[int | None] = []
    line, position = 1, 0
    for match in _PROGRAM_HEADER.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.append(line)
    # Inline arrays of tables (program = [{...}]) have no headers; their lines stay unknown.
    if len(lines) != count:
        return [None] * count
    return lines
