"""The ``usce`` command: parse, call one service, print. The only layer that reads the clock."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from usce_planner import __version__
from usce_planner.cli import eligible as eligible_command
from usce_planner.cli import export as export_command
from usce_planner.cli import rules as rules_command
from usce_planner.cli.catalog import catalog_app
from usce_planner.cli.options import CommonOptions, hoist_common_options, parse_today
from usce_planner.cli.plan import plan_app
from usce_planner.cli.profile import profile_app
from usce_planner.cli.programs import programs_app

app = typer.Typer(
    name="usce",
    help=(
        "Plan US Clinical Experience: which programs you can do, what to do by when, "
        "and your calendar.\n\nExample: usce programs --kind observership --audience graduate"
    ),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(programs_app)
app.command("eligible", epilog=eligible_command.EPILOG)(eligible_command.eligible)
app.add_typer(plan_app)
app.command("export", epilog=export_command.EPILOG)(export_command.export)
app.command("rules", epilog=rules_command.EPILOG)(rules_command.rules)
app.add_typer(catalog_app)
app.add_typer(profile_app)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"usce {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    today: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="Plan as if today were this day (YYYY-MM-DD); also USCE_TODAY."
        ),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH",
            readable=False,
            help="Profile file (else USCE_PROFILE, else the config folder).",
        ),
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH",
            readable=False,
            help="Plan file (else USCE_PLAN, else the data folder).",
        ),
    ] = None,
    catalog: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="PATH",
            readable=False,
            help="Another catalog file, merged after the others; repeatable.",
        ),
    ] = None,
    only_catalog: Annotated[
        bool,
        typer.Option("--only-catalog", help="Use only the --catalog files (not the shipped one)."),
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour (NO_COLOR works too).")
    ] = False,
    json: Annotated[
        bool, typer.Option("--json", help="Print JSON on stdout instead of tables.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Plan US Clinical Experience."""
    if only_catalog and not catalog:
        raise typer.BadParameter("needs at least one --catalog", param_hint="'--only-catalog'")
    ctx.obj = CommonOptions(
        today=parse_today(today, os.environ.get("USCE_TODAY") or None, date.today()),
        today_given=bool(today or os.environ.get("USCE_TODAY")),
        profile=profile,
        plan=plan,
        catalogs=tuple(catalog or ()),
        only_catalog=only_catalog,
        no_color=no_color,
        json=json,
    )


def run() -> None:
    """Run ``usce`` with the process's arguments."""
    app(args=hoist_common_options(sys.argv[1:]), prog_name="usce")
