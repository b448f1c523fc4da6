"""Use case of ``usce export``: the plan in a format, written to a file or returned for stdout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from usce_planner.app.plan import WhatIf, show_plan
from usce_planner.app.session import Session
from usce_planner.errors import PlannerError
from usce_planner.export.html import to_html
from usce_planner.export.ics import to_ics
from usce_planner.export.tables import to_csv, to_markdown
from usce_planner.models.rules import Rules
from usce_planner.plan.report import PlanReport, plan_json
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.storage.toml_files import write_atomically
from usce_planner.text_safety import json_bytes

EXTENSIONS = {
    ".ics": "ics",
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class ExportRequest:
    """What to export and where: a format, a file (or None for stdout), and its options."""

    format: str
    path: Path | None
    force: bool = False
    reminders: bool = False


def format_for(path: Path | None, given: str | None) -> str | None:
    """Return the format: the one given, else the file's extension's; None when unknown."""
    if given is not None:
        return given
    if path is None:
        return None
    return EXTENSIONS.get(path.suffix.lower())


def render_export(
    report: PlanReport, request: ExportRequest, dtstamp: datetime, rules: Rules
) -> bytes:
    """Return the export's bytes."""
    if request.format == "ics":
        programs = {p.id: p for p in report.catalog.programs}
        milestones = report.schedule.milestones
        return to_ics(milestones, programs, rules, report.uid_token, dtstamp, request.reminders)
    if request.format == "json":
        return json_bytes(plan_json(report)) + b"\n"
    if request.format == "csv":
        text = to_csv(plan_json(report))
    elif request.format == "md":
        text = to_markdown(report)
    else:
        text = to_html(report)
    return text.encode("utf-8")


def export_plan(
    session: Session,
    request: ExportRequest,
    dtstamp: datetime,
    what_if: WhatIf | None,
    match: int | bool,
    example: bool,
) -> tuple[PlanReport, bytes]:
    """Build the plan, render it, and write it unless it goes to stdout."""
    path = request.path
    if path is not None and path.exists() and not request.force:
        raise PlannerError(f"{path}: the file exists; use --force to replace it")
    if path is not None and path.is_dir():
        raise PlannerError(f"{path}: is a folder, not a file")
    report = show_plan(session, what_if, match, example)
    data = render_export(report, request, dtstamp, shipped_rules(session.locations.cache))
    if path is not None:
        write_atomically(path, data, create_folders=False, shared=True)
    return report, data
