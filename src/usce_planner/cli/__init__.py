"""The ``usce`` command: parse, call one service, print. The only layer that reads the clock."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from typer import _click as click  # typer's own click: the Context the group is given
from typer.core import TyperGroup

from usce_planner import __version__
from usce_planner.cli.options import (
    CommonOptions,
    command_word,
    hoist_common_options,
    parse_today,
)
from usce_planner.errors import PlannerError


class UsceGroup(TyperGroup):
    """The root command: the one place where a user's error becomes ``Error:`` lines, exit 1."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _visible_usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _visible_usage_errors():
                return super().invoke(ctx)
        except PlannerError as exc:
            from usce_planner.cli.output import print_messages

            print_messages(exc.lines())
            raise typer.Exit(1) from None


@contextlib.contextmanager
def _visible_usage_errors() -> Iterator[None]:
    # A usage error quotes the command line back; escape sequences in it are shown, not obeyed.
    try:
        yield
    except click.ClickException as exc:
        from usce_planner.text_safety import visible

        exc.message = visible(exc.message)
        raise


def _add_programs(app: typer.Typer) -> None:
    from usce_planner.cli.programs import programs_app

    app.add_typer(programs_app)


def _add_eligible(app: typer.Typer) -> None:
    from usce_planner.cli import eligible

    app.command("eligible", epilog=eligible.EPILOG)(eligible.eligible)


def _add_plan(app: typer.Typer) -> None:
    from usce_planner.cli.plan import plan_app

    app.add_typer(plan_app)


def _add_export(app: typer.Typer) -> None:
    from usce_planner.cli import export

    app.command("export", epilog=export.EPILOG)(export.export)


def _add_suggest(app: typer.Typer) -> None:
    from usce_planner.cli import suggest

    app.command("suggest", epilog=suggest.EPILOG)(suggest.suggest)


def _add_rules(app: typer.Typer) -> None:
    from usce_planner.cli import rules

    app.command("rules", epilog=rules.EPILOG)(rules.rules)


def _add_catalog(app: typer.Typer) -> None:
    from usce_planner.cli.catalog import catalog_app

    app.add_typer(catalog_app)


def _add_profile(app: typer.Typer) -> None:
    from usce_planner.cli.profile import profile_app

    app.add_typer(profile_app)


# Each command's module is imported only when that command runs (all of them for help): the
# others' imports would cost every run a tenth of a second. Help lists the single commands
# first, then the groups, each in this order.
COMMANDS = {
    "programs": _add_programs,
    "eligible": _add_eligible,
    "plan": _add_plan,
    "export": _add_export,
    "suggest": _add_suggest,
    "rules": _add_rules,
    "catalog": _add_catalog,
    "profile": _add_profile,
}


def make_app(only: str | None = None) -> typer.Typer:
    """Return the ``usce`` app with every command, or with the one command ``only``."""
    app = typer.Typer(
        name="usce",
        cls=UsceGroup,
        help=(
            "Plan US Clinical Experience: which programs you can do, what to do by when, "
            "and your calendar.\n\nExample: usce programs --kind observership --audience graduate"
        ),
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=True,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    for name, add in COMMANDS.items():
        if only is None or name == only:
            add(app)
    return app


def __getattr__(name: str) -> typer.Typer:
    # ``usce_planner.cli.app``, the whole app, for tests and tools that drive it in-process.
    if name == "app":
        return make_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"usce {__version__}")
        raise typer.Exit()


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
        typer.Option(
            "--version", "-V", callback=_show_version, is_eager=True, help="Show the version."
        ),
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
    args = hoist_common_options(sys.argv[1:])
    word = command_word(args)
    make_app(word if word in COMMANDS else None)(args=args, prog_name="usce")
