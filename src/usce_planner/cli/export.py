"""``usce export``: the plan as a calendar file, JSON, CSV, Markdown or an HTML page."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated

import typer

from usce_planner.cli.options import COMMON_HELP, CommonOptions, check_choices
from usce_planner.cli.output import print_messages
from usce_planner.cli.plan_options import (
    AloneOption,
    ExampleOption,
    MatchOption,
    NoMatchOption,
    ProgramOption,
    StartOption,
    WeeksOption,
    match_choice,
    what_if_from,
)

EXIT_LATE = 3
FORMATS = ("ics", "json", "csv", "md", "html")
SHAPES = ("events", "todos")
EPILOG = (
    "Examples: usce export -o plan.ics\n\n"
    "usce export -o plan.ics --reminders --force\n\n"
    "usce export --vdir ~/.calendars/usce\n\n"
    "usce export --vdir ~/.tasks/usce --as todos\n\n"
    "usce export --format md > plan.md\n\n"
    "usce export --example -o example.html\n\n" + COMMON_HELP
)


def dtstamp_for(options: CommonOptions) -> datetime:
    """Return DTSTAMP: --today (or USCE_TODAY) at 00:00:00Z, else the real UTC clock."""
    if options.today_given:
        return datetime.combine(options.today, time(0, 0), tzinfo=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _check_vdir_options(output: Path | None, file_format: str | None) -> None:
    if output is not None:
        raise typer.BadParameter(
            "give either -o FILE or --vdir DIR, not both", param_hint="'--vdir'"
        )
    if file_format not in (None, "ics"):
        raise typer.BadParameter(
            f"a vdir holds .ics files; --format {file_format} does not go with it",
            param_hint="'--vdir'",
        )


def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            readable=False,
            help="File to write (format from its extension); stdout without it or with -.",
        ),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format", metavar="FORMAT", help="ics, json, csv, md or html (needed for stdout)."
        ),
    ] = None,
    vdir: Annotated[
        Path | None,
        typer.Option(
            "--vdir",
            metavar="DIR",
            readable=False,
            help="Keep an existing folder as a vdir (one .ics per event) for khal or vdirsyncer.",
        ),
    ] = None,
    shape: Annotated[
        str,
        typer.Option(
            "--as",
            metavar="events|todos",
            help="ICS and vdir: steps as all-day events (default) or as tasks (VTODO).",
        ),
    ] = "events",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    reminders: Annotated[
        bool,
        typer.Option(
            "--reminders", help="ICS: add an all-day reminder event 7 days before each step."
        ),
    ] = False,
    program: ProgramOption = None,
    start: StartOption = None,
    weeks: WeeksOption = None,
    alone: AloneOption = False,
    match: MatchOption = None,
    no_match: NoMatchOption = False,
    example: ExampleOption = False,
) -> None:
    """Export the plan: a calendar (.ics) that re-imports cleanly, or JSON, CSV, Markdown, HTML."""
    # Imported here: the exporters cost time no other command should pay.
    from usce_planner.app.export import (
        ExportRequest,
        export_plan,
        format_for,
        record_export,
    )

    options: CommonOptions = ctx.obj
    if output is not None and str(output) == "-":
        output = None  # as for most tools, "-" is stdout (a file of that name: ./-)
    if file_format is not None:
        check_choices([file_format], FORMATS, "--format")
    check_choices([shape], SHAPES, "--as")
    if vdir is not None:
        _check_vdir_options(output, file_format)
    chosen = "ics" if vdir is not None else format_for(output, file_format)
    if chosen is None and output is None:
        raise typer.BadParameter(
            "writing to stdout needs --format (ics, json, csv, md or html)", param_hint="'--format'"
        )
    if chosen is None:
        raise typer.BadParameter(
            f"'{output}' has no known extension (.ics, .json, .csv, .md, .html); or give --format",
            param_hint="'-o'",
        )
    if shape == "todos" and chosen != "ics":
        raise typer.BadParameter(
            f"todos go to a calendar: use it with .ics or --vdir, not {chosen}",
            param_hint="'--as'",
        )
    what_if = what_if_from(program, start, weeks, alone)
    request = ExportRequest(chosen, output, force, reminders, shape == "todos", vdir)
    result = export_plan(
        options.session(),
        request,
        dtstamp_for(options),
        what_if,
        match_choice(match, no_match),
        example,
    )
    report = result.report
    print_messages(report.catalog.notices)
    print_messages(report.notices)
    if result.vdir is not None:
        changes = result.vdir
        print_messages(
            [
                f"Wrote {len(changes.writes)} file(s) in {vdir}, left {len(changes.unchanged)} "
                f"unchanged, deleted {len(changes.deleted)}"
            ]
        )
    elif output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
        record_export(options.session(), result)
    else:
        milestones = report.schedule.milestones
        rotations = sum(m.kind == "rotation" for m in milestones)
        steps = len(milestones) - rotations
        print_messages([f"Wrote {output} ({chosen}: {rotations} rotations, {steps} steps)"])
    reason = report.exit_reason()
    if reason:
        print_messages([reason])
        raise typer.Exit(EXIT_LATE)
