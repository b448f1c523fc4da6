"""``usce plan``: the timeline (saved plan, what-if or example), and changes to the plan."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from usce_planner.app.plan import show_plan
from usce_planner.app.plan_changes import (
    add_rotation,
    change_plan,
    mark_done,
    remove_rotation,
    set_note,
    set_status,
    unmark_done,
)
from usce_planner.cli.completion import (
    complete_milestone_ids,
    complete_program_ids,
    complete_rotation_keys,
    complete_statuses,
)
from usce_planner.cli.eligible import parse_start
from usce_planner.cli.options import COMMON_HELP, CommonOptions
from usce_planner.cli.output import (
    print_json,
    print_messages,
    print_renderable,
    terminal_width,
)
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
from usce_planner.cli.render.gantt import gantt
from usce_planner.cli.render.plan import plan_view
from usce_planner.dates import DateOutOfRangeError, parse_iso_day
from usce_planner.plan.report import PlanReport, plan_json
from usce_planner.plan.rotation_checks import check_status_word

EXIT_LATE = 3

plan_app = typer.Typer(
    name="plan",
    help="Work back from your rotations to every date before them, and keep track as you apply.",
    epilog=(
        "Examples: usce plan --example\n\n"
        "usce plan add cc-florida-observer --start 2027-10\n\n"
        "usce plan --program msmc-miami-beach-observership --start 2027-09 --alone\n\n"
        "usce plan status cc-florida-observer applied --on 2027-03-02\n\n" + COMMON_HELP
    ),
)


def _day_option(text: str | None, option: str, default: date) -> date:
    if text is None:
        return default
    try:
        return parse_iso_day(text)
    except DateOutOfRangeError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{option}'") from None
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' is not a date; write YYYY-MM-DD", param_hint=f"'{option}'"
        ) from None


@plan_app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    program: ProgramOption = None,
    start: StartOption = None,
    weeks: WeeksOption = None,
    alone: AloneOption = False,
    match: MatchOption = None,
    no_match: NoMatchOption = False,
    example: ExampleOption = False,
    gantt_chart: Annotated[
        bool, typer.Option("--gantt", help="Draw the rotations and steps on a month axis.")
    ] = False,
) -> None:
    """Show the timeline: every dated step, what is late, conflicts, warnings and totals."""
    if ctx.invoked_subcommand is not None:
        return
    options: CommonOptions = ctx.obj
    what_if = what_if_from(program, start, weeks, alone)
    report = show_plan(options.session(), what_if, match_choice(match, no_match), example)
    print_messages(report.catalog.notices)
    print_messages(report.notices)
    if options.json:
        print_json(plan_json(report))
    elif gantt_chart:
        print_renderable(gantt(report, terminal_width()), options.no_color)
    else:
        print_renderable(plan_view(report), options.no_color)
    _exit_when_late(report)


def _exit_when_late(report: PlanReport) -> None:
    reason = report.exit_reason()
    if reason:
        print_messages([reason])
        raise typer.Exit(EXIT_LATE)


def _print_change(report: PlanReport, notices: tuple[str, ...]) -> None:
    print_messages(report.catalog.notices)
    print_messages(notices)
    print_messages([f"{report.late_count} late item(s) in the plan"])


@plan_app.command(
    "add",
    epilog=f"Example: usce plan add cc-florida-observer --start 2027-10 --weeks 8\n\n{COMMON_HELP}",
)
def add(
    ctx: typer.Context,
    program_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The program's id.", autocompletion=complete_program_ids
        ),
    ],
    start: Annotated[
        str,
        typer.Option(
            metavar="DATE", help="YYYY-MM-DD, or YYYY-MM for the month's first allowed start."
        ),
    ],
    weeks: Annotated[
        int | None,
        typer.Option(metavar="N", help="Length in weeks (default: the program's usual one)."),
    ] = None,
    status: Annotated[
        str,
        typer.Option(metavar="STATUS", help="Status to record (a past start only as completed)."),
    ] = "planned",
    on: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="The day that status was reached (default today)."),
    ] = None,
) -> None:
    """Add a rotation to the plan; its start is checked against the program's rule."""
    options: CommonOptions = ctx.obj
    check_status_word(status)
    wanted = parse_start(start)
    assert wanted is not None
    session = options.session()
    day = _day_option(on, "--on", session.today)
    change = add_rotation(program_id, wanted, weeks, status, day, session.today)
    _print_change(*change_plan(session, change))


@plan_app.command(
    "remove", epilog=f"Example: usce plan remove cc-florida-observer@2027-10-04\n\n{COMMON_HELP}"
)
def remove(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY",
            help="PROGRAM@START, or the program id when it has one rotation.",
            autocompletion=complete_rotation_keys,
        ),
    ],
) -> None:
    """Remove a rotation from the plan."""
    options: CommonOptions = ctx.obj
    _print_change(*change_plan(options.session(), remove_rotation(key)))


@plan_app.command(
    "status",
    epilog=f"Example: usce plan status cc-florida-observer accepted --on 2027-05-10\n\n{COMMON_HELP}",  # noqa: E501
)
def status(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY",
            help="PROGRAM@START, or the program id when it has one rotation.",
            autocompletion=complete_rotation_keys,
        ),
    ],
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS",
            help="applied, waitlisted, accepted, completed, rejected or withdrawn.",
            autocompletion=complete_statuses,
        ),
    ],
    on: Annotated[
        str | None, typer.Option(metavar="DATE", help="The day it happened (default today).")
    ] = None,
) -> None:
    """Record a rotation's new status: applied, waitlisted, accepted, completed, rejected..."""
    options: CommonOptions = ctx.obj
    check_status_word(new_status)
    session = options.session()
    day = _day_option(on, "--on", session.today)
    change = set_status(key, new_status, day, session.today)
    _print_change(*change_plan(session, change))


@plan_app.command(
    "done", epilog=f"Example: usce plan done me:visa --on 2027-04-02\n\n{COMMON_HELP}"
)
def done(
    ctx: typer.Context,
    milestone_id: Annotated[
        str,
        typer.Argument(
            metavar="MILESTONE-ID",
            autocompletion=complete_milestone_ids,
            help=(
                "As the timeline shows it, e.g. me:visa or KEY:letters-request; "
                "the program id may stand for KEY."
            ),
        ),
    ],
    on: Annotated[
        str | None, typer.Option(metavar="DATE", help="The day it was done (default today).")
    ] = None,
) -> None:
    """Mark a milestone done; a done milestone is never late."""
    options: CommonOptions = ctx.obj
    session = options.session()
    day = _day_option(on, "--on", session.today)
    change = mark_done(milestone_id, day, session.today)
    _print_change(*change_plan(session, change))


@plan_app.command(
    "undone",
    epilog=(
        "Example: usce plan undone cc-florida-observer:tb-test\n\n"
        "Only marks made with `usce plan done` can be taken back; steps done because of a "
        f"rotation's status or your profile follow those.\n\n{COMMON_HELP}"
    ),
)
def undone(
    ctx: typer.Context,
    milestone_id: Annotated[
        str,
        typer.Argument(
            metavar="MILESTONE-ID",
            help="As the timeline shows it; the program id may stand for KEY.",
            autocompletion=complete_milestone_ids,
        ),
    ],
) -> None:
    """Take back a done mark: the milestone is open again (and late if its date has passed)."""
    options: CommonOptions = ctx.obj
    session = options.session()
    _print_change(*change_plan(session, unmark_done(milestone_id, session.today)))


@plan_app.command(
    "note",
    epilog=(
        'Example: usce plan note cc-florida-observer "asked Dr Lee for a letter"\n\n'
        'An empty TEXT ("") clears the note.\n\n' + COMMON_HELP
    ),
)
def note(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY",
            help="PROGRAM@START, or the program id when it has one rotation.",
            autocompletion=complete_rotation_keys,
        ),
    ],
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="The note, shown under the rotation.")
    ],
) -> None:
    """Set a rotation's note; it is shown under the rotation in the timeline."""
    options: CommonOptions = ctx.obj
    _print_change(*change_plan(options.session(), set_note(key, text)))
