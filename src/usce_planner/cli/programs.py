"""``usce programs``: browse and filter the catalog; ``usce programs show ID``."""

from __future__ import annotations

from typing import Annotated, get_args

import typer

from usce_planner.cli.options import COMMON_HELP, CommonOptions, check_choices
from usce_planner.cli.output import (
    handles_user_errors,
    print_json,
    print_messages,
    print_renderable,
)
from usce_planner.listing import ProgramFilter
from usce_planner.models import Audience, Channel, Kind, Status
from usce_planner.render import program_view, programs_table
from usce_planner.services import list_programs, program_document, show_program

programs_app = typer.Typer(
    name="programs",
    help="Browse the catalog of programs, with filters.",
    epilog=(
        "Example: usce programs --kind observership --audience graduate --state TX\n\n"
        + COMMON_HELP
    ),
)


@programs_app.callback(invoke_without_command=True)
@handles_user_errors
def programs(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            help="elective, observership, externship, research, pre-residency; repeatable."
        ),
    ] = None,
    specialty: Annotated[
        list[str] | None,
        typer.Option(
            help="Specialty slug (internal-medicine); programs listing none stay in; repeatable."
        ),
    ] = None,
    state: Annotated[
        list[str] | None, typer.Option(help="US state code such as NY; repeatable.")
    ] = None,
    hands_on: Annotated[bool, typer.Option("--hands-on", help="Only hands-on programs.")] = False,
    audience: Annotated[
        list[str] | None, typer.Option(help="student, graduate or physician; repeatable.")
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(help="open, partner-only, paused, closed, unknown; repeatable."),
    ] = None,
    channel: Annotated[
        list[str] | None,
        typer.Option(help="vslo, own-portal, email, broker, faculty-sponsor; repeatable."),
    ] = None,
    max_cost: Annotated[
        int | None,
        typer.Option(min=0, help="Most USD for one rotation (application + program fee)."),
    ] = None,
    include_unknown_cost: Annotated[
        bool, typer.Option(help="With --max-cost, keep programs whose fees are unknown.")
    ] = False,
    search: Annotated[
        str | None, typer.Option(help="Text in the name, institution or city.")
    ] = None,
    include_unknown: Annotated[
        bool, typer.Option(help="Keep programs that do not state a filtered key.")
    ] = False,
) -> None:
    """List the programs in the catalog; filters combine with AND, repeated values with OR."""
    if ctx.invoked_subcommand is not None:
        return
    options: CommonOptions = ctx.obj
    where = ProgramFilter(
        kinds=check_choices(kind or [], get_args(Kind), "--kind"),
        specialties=tuple(specialty or ()),
        states=tuple(s.upper() for s in state or ()),
        hands_on=hands_on,
        audiences=check_choices(audience or [], get_args(Audience), "--audience"),
        statuses=check_choices(status or [], get_args(Status), "--status"),
        channels=check_choices(channel or [], get_args(Channel), "--channel"),
        max_cost=max_cost,
        include_unknown_cost=include_unknown_cost,
        search=search,
        include_unknown=include_unknown,
    )
    details, catalog = list_programs(options.session(), where)
    print_messages(catalog.notices)
    if options.json:
        print_json({"programs": [program_document(d.program) for d in details]})
        return
    print_renderable(programs_table(details), options.no_color)
    shown = f"{len(details)} of {len(catalog.programs)} programs"
    print_messages([f"{shown}; `usce programs show ID` for every field and the source."])


@programs_app.command(
    "show", epilog=f"Example: usce programs show mayo-visiting-clerkship\n\n{COMMON_HELP}"
)
@handles_user_errors
def show(
    ctx: typer.Context,
    program_id: Annotated[str, typer.Argument(metavar="ID", help="The program's id.")],
) -> None:
    """Show every field of one program, its source, confidence and age."""
    options: CommonOptions = ctx.obj
    detail, catalog = show_program(options.session(), program_id)
    print_messages(catalog.notices)
    if options.json:
        print_json(program_document(detail.program))
        return
    print_renderable(program_view(detail), options.no_color)
