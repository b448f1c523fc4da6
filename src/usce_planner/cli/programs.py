"""``usce programs``: browse and filter the catalog; ``usce programs show ID``."""

from __future__ import annotations

from typing import Annotated

import typer

from usce_planner.app.catalog_stats import catalog_stats
from usce_planner.app.programs import (
    list_programs,
    list_specialties,
    program_document,
    show_program,
)
from usce_planner.cli.completion import complete_program_ids
from usce_planner.cli.filters import (
    AudienceOption,
    ChannelOption,
    HandsOnOption,
    KindOption,
    MaxCostOption,
    SearchOption,
    SpecialtyOption,
    StateOption,
    StatusOption,
    UnknownCostOption,
    UnknownOption,
    build_filter,
)
from usce_planner.cli.options import COMMON_HELP, CommonOptions
from usce_planner.cli.output import (
    print_json,
    print_messages,
    print_renderable,
    print_text,
)
from usce_planner.cli.render.tables import program_view, programs_table, stats_view, visible

programs_app = typer.Typer(
    name="programs",
    help="Browse the catalog of programs, with filters.",
    epilog=(
        "Examples: usce programs --kind observership --audience graduate --state TX\n\n"
        "usce programs --specialties   (the names --specialty takes)\n\n" + COMMON_HELP
    ),
)


@programs_app.callback(invoke_without_command=True)
def programs(
    ctx: typer.Context,
    kind: KindOption = None,
    specialty: SpecialtyOption = None,
    state: StateOption = None,
    hands_on: HandsOnOption = False,
    audience: AudienceOption = None,
    status: StatusOption = None,
    channel: ChannelOption = None,
    max_cost: MaxCostOption = None,
    include_unknown_cost: UnknownCostOption = False,
    search: SearchOption = None,
    include_unknown: UnknownOption = False,
    stats: Annotated[
        bool,
        typer.Option(
            "--stats",
            help="Count the programs by kind, status, audience, confidence, state and data age.",
        ),
    ] = False,
    specialties: Annotated[
        bool,
        typer.Option(
            "--specialties",
            help="List the specialty names in use (for --specialty), with how many programs "
            "list each.",
        ),
    ] = False,
) -> None:
    """List the programs in the catalog; filters combine with AND, repeated values with OR."""
    if ctx.invoked_subcommand is not None:
        return
    options: CommonOptions = ctx.obj
    if specialties:
        _print_specialties(options)
        return
    where = build_filter(
        kind,
        specialty,
        state,
        hands_on,
        audience,
        status,
        channel,
        max_cost,
        include_unknown_cost,
        search,
        include_unknown,
    )
    if stats:
        counts, catalog = catalog_stats(options.session(), where)
        print_messages(catalog.notices)
        if options.json:
            print_json({"stats": counts})
        else:
            print_renderable(stats_view(counts), options.no_color)
        return
    details, catalog = list_programs(options.session(), where)
    print_messages(catalog.notices)
    if options.json:
        print_json({"programs": [program_document(d.program) for d in details]})
        return
    print_renderable(programs_table(details), options.no_color)
    shown = f"{len(details)} of {len(catalog.programs)} programs"
    print_messages([f"{shown}; `usce programs show ID` for every field and the source."])


def _print_specialties(options: CommonOptions) -> None:
    counts, catalog = list_specialties(options.session())
    print_messages(catalog.notices)
    if options.json:
        print_json({"specialties": [{"name": name, "count": n} for name, n in counts]})
        return
    width = max((len(name) for name, _ in counts), default=0)
    print_text("".join(f"{visible(name).ljust(width)}  {n}\n" for name, n in counts))
    unlisted = sum(1 for program in catalog.programs if not program.specialties)
    programs = "1 program lists" if unlisted == 1 else f"{unlisted} programs list"
    print_messages(
        [
            f"{len(counts)} specialties; {programs} none (many, see the source) "
            "and match any --specialty."
        ]
    )


@programs_app.command(
    "show", epilog=f"Example: usce programs show mayo-visiting-clerkship\n\n{COMMON_HELP}"
)
def show(
    ctx: typer.Context,
    program_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The program's id.", autocompletion=complete_program_ids
        ),
    ],
) -> None:
    """Show every field of one program, its source, confidence and age."""
    options: CommonOptions = ctx.obj
    detail, catalog = show_program(options.session(), program_id)
    print_messages(catalog.notices)
    if options.json:
        print_json(program_document(detail.program))
        return
    print_renderable(program_view(detail), options.no_color)
