"""The programs and catalog use cases: list, show, validate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from usce_planner.app.session import Session, open_catalog
from usce_planner.eligibility.listing import (
    ProgramFilter,
    age_notices,
    select_programs,
    specialty_counts,
)
from usce_planner.errors import Problem
from usce_planner.models.catalog import Catalog, Program
from usce_planner.storage.catalog_files import (
    check_catalog_file,
)


@dataclass(frozen=True)
class ProgramDetail:
    """One program with the notices about its age."""

    program: Program
    notices: tuple[str, ...]


def list_programs(session: Session, where: ProgramFilter) -> tuple[list[ProgramDetail], Catalog]:
    """Return the programs that pass the filters, each with its age notices."""
    catalog = open_catalog(session)
    chosen = select_programs(catalog.programs, where)
    details = [ProgramDetail(p, tuple(age_notices(p, session.today))) for p in chosen]
    return details, catalog


def list_specialties(session: Session) -> tuple[list[tuple[str, int]], Catalog]:
    """Return each specialty name in use with how many programs list it."""
    catalog = open_catalog(session)
    return specialty_counts(catalog.programs), catalog


def show_program(session: Session, program_id: str) -> tuple[ProgramDetail, Catalog]:
    """Return one program with its age notices."""
    catalog = open_catalog(session)
    program = catalog.get(program_id)
    return ProgramDetail(program, tuple(age_notices(program, session.today))), catalog


@dataclass(frozen=True)
class FileReport:
    """What checking one catalog file found."""

    path: Path
    program_count: int
    problems: list[Problem]


def validate_catalog_files(paths: Sequence[Path]) -> list[FileReport]:
    """Return every problem of every named catalog file."""
    reports = []
    for path in paths:
        programs, problems = check_catalog_file(path)
        reports.append(FileReport(path, len(programs), problems))
    return reports


def program_document(program: Program) -> dict[str, Any]:
    """Return the program with the file's own keys; durations as 'N days|weeks|months'."""
    return program.model_dump(mode="json", exclude_unset=True)
