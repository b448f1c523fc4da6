"""``usce catalog validate``: check catalog files for maintainers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from usce_planner.app.programs import validate_catalog_files
from usce_planner.cli.options import COMMON_HELP, CommonOptions
from usce_planner.cli.output import print_json, print_messages

catalog_app = typer.Typer(
    name="catalog",
    help="Tools for catalog maintainers.",
    epilog="Example: usce catalog validate my-programs.toml",
    no_args_is_help=True,
)


@catalog_app.command(
    "validate",
    epilog=f"Example: usce catalog validate data/programs.toml my-programs.toml\n\n{COMMON_HELP}",
)
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", readable=False, help="Catalog files to check."),
    ],
) -> None:
    """Check catalog files: syntax (line:column) and every entry's fields; exit 1 on a problem."""
    options: CommonOptions = ctx.obj
    report = validate_catalog_files(paths)
    if options.json:
        print_json(
            {
                "files": [
                    {
                        "path": str(item.path),
                        "problems": [
                            {
                                "line": p.line,
                                "program": p.entry,
                                "field": p.field,
                                "message": p.message,
                            }
                            for p in item.problems
                        ],
                    }
                    for item in report
                ]
            }
        )
    failed = False
    for item in report:
        path, problems = item.path, item.problems
        if not problems:
            if not options.json:
                typer.echo(f"{path}: ok, {item.program_count} programs")
            continue
        failed = True
        if len(problems) == 1:
            print_messages([f"Error: {path}: {problems[0]}"])
        else:
            print_messages([f"Error: {path}: {len(problems)} problems"])
            print_messages(f"  {problem}" for problem in problems)
    if failed:
        raise typer.Exit(1)
