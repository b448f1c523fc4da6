"""Use case of ``usce export``: the plan in a format, written to a file, a vdir, or for stdout."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from usce_planner.app.plan import WhatIf, show_plan
from usce_planner.app.session import Session
from usce_planner.errors import PlannerError
from usce_planner.export.html import to_html
from usce_planner.export.ics import CalendarOptions, Exported, Item, calendar_items, to_ics
from usce_planner.export.tables import to_csv, to_markdown
from usce_planner.export.vdir import VdirChanges, is_plan_file, vdir_changes
from usce_planner.models.plan import ExportedUid
from usce_planner.models.rules import Rules
from usce_planner.plan.report import PlanReport, plan_json
from usce_planner.storage.plan_file import load_plan, record_exported
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.storage.toml_files import write_atomically
from usce_planner.storage.vdir_folder import apply_vdir, check_vdir_folder, read_vdir_files
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
    """What to export and where: a format, a file (None: stdout) or a vdir, and its options."""

    format: str
    path: Path | None
    force: bool = False
    reminders: bool = False
    todos: bool = False
    vdir: Path | None = None


@dataclass(frozen=True)
class ExportResult:
    """The export's bytes (for stdout), what it did to a vdir, and what is left to record."""

    report: PlanReport
    data: bytes
    vdir: VdirChanges | None = None
    # The UIDs an .ics export of the saved plan wrote; recorded once the output is written.
    to_record: dict[str, Exported] | None = None


def format_for(path: Path | None, given: str | None) -> str | None:
    """Return the format: the one given, else the file's extension's; None when unknown."""
    if given is not None:
        return given
    if path is None:
        return None
    return EXTENSIONS.get(path.suffix.lower())


def calendar_of(
    report: PlanReport,
    request: ExportRequest,
    dtstamp: datetime,
    rules: Rules,
    exported: dict[str, Exported] | None = None,
) -> list[Item]:
    """Return the calendar's items: the plan's, then cancellations of what it no longer has."""
    programs = {p.id: p for p in report.catalog.programs}
    options = CalendarOptions(
        report.uid_token, dtstamp, request.reminders, request.todos, exported or {}
    )
    return calendar_items(report.schedule.milestones, programs, rules, options)


def render_export(
    report: PlanReport, request: ExportRequest, dtstamp: datetime, rules: Rules
) -> bytes:
    """Return the export's bytes (an .ics without the record of earlier exports)."""
    if request.format == "ics":
        return to_ics(calendar_of(report, request, dtstamp, rules))
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
) -> ExportResult:
    """Build the plan, render it, and write it unless it goes to stdout."""
    path = request.path
    # A link counts as a file there, even one that leads nowhere.
    if path is not None and os.path.lexists(path) and not request.force:
        raise PlannerError(f"{path}: the file exists; use --force to replace it")
    if path is not None and path.is_dir():
        raise PlannerError(f"{path}: is a folder, not a file")
    if request.vdir is not None:
        check_vdir_folder(request.vdir)
    report = show_plan(session, what_if, match, example)
    rules = shipped_rules(session.locations.cache)
    if request.vdir is not None:
        return ExportResult(
            report, b"", vdir=_export_vdir(report, request, request.vdir, dtstamp, rules)
        )
    if request.format != "ics":
        data = render_export(report, request, dtstamp, rules)
        if path is not None:
            write_atomically(path, data, create_folders=False)
        return ExportResult(report, data)
    # Only the saved plan follows its earlier exports; the example and a what-if record nothing.
    saved = load_plan(session.locations.plan) if what_if is None and not example else None
    recorded = saved.calendar.exported if saved is not None and saved.calendar else {}
    earlier = {uid: Exported(e.sequence, e.date, e.summary) for uid, e in recorded.items()}
    items = calendar_of(report, request, dtstamp, rules, earlier)
    data = to_ics(items)
    to_record = {item.uid: item.record for item in items} if saved is not None else None
    result = ExportResult(report, data, to_record=to_record)
    if path is not None:
        write_atomically(path, data, create_folders=False)
        record_export(session, result)
    return result


def record_export(session: Session, result: ExportResult) -> None:
    """Record in plan.toml the UIDs an .ics export of the saved plan wrote (after writing it)."""
    if not result.to_record:
        return
    record_exported(
        session.locations.plan,
        {
            uid: ExportedUid(sequence=entry.sequence, date=entry.day, summary=entry.summary)
            for uid, entry in result.to_record.items()
        },
    )


def _export_vdir(
    report: PlanReport, request: ExportRequest, folder: Path, dtstamp: datetime, rules: Rules
) -> VdirChanges:
    # The vdir is its own record: what it holds of this plan and this export leaves out goes.
    token = report.uid_token
    items = calendar_of(report, request, dtstamp, rules)
    existing = read_vdir_files(folder, lambda name: is_plan_file(name, token))
    changes = vdir_changes(folder, existing, items, token)
    apply_vdir(folder, changes.writes, changes.deleted)
    return changes
