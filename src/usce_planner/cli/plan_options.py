"""The options ``usce plan`` and ``usce export`` share: the what-if, the Match year, the example."""

from __future__ import annotations

from typing import Annotated

import typer

from usce_planner.app.plan import WhatIf
from usce_planner.cli.completion import complete_program_ids
from usce_planner.cli.eligible import parse_start

ProgramOption = Annotated[
    str | None,
    typer.Option(
        metavar="ID",
        help="What-if: add this program's rotation (not saved).",
        autocompletion=complete_program_ids,
    ),
]
StartOption = Annotated[
    str | None,
    typer.Option(
        metavar="DATE",
        help="What-if start: YYYY-MM-DD, or YYYY-MM for the month's first allowed start.",
    ),
]
WeeksOption = Annotated[
    int | None, typer.Option(metavar="N", min=1, max=52, help="What-if length in weeks.")
]
AloneOption = Annotated[
    bool, typer.Option("--alone", help="What-if: just this rotation, without the saved plan.")
]
MatchOption = Annotated[
    int | None,
    typer.Option(
        metavar="YEAR",
        min=2000,
        max=2100,
        help="Add the Match-cycle dates of this March Match (default: target_match).",
    ),
]
NoMatchOption = Annotated[bool, typer.Option("--no-match", help="Leave out the Match-cycle dates.")]
ExampleOption = Annotated[
    bool, typer.Option("--example", help="The example profile and plan, made from today.")
]


def what_if_from(
    program: str | None, start: str | None, weeks: int | None, alone: bool
) -> WhatIf | None:
    """Return the what-if the options describe; usage errors where they do not fit together."""
    if (program is None) != (start is None):
        raise typer.BadParameter("--program and --start go together", param_hint="'--program'")
    if (weeks is not None or alone) and program is None:
        raise typer.BadParameter("--weeks and --alone need --program and --start")
    wanted = parse_start(start)
    return WhatIf(program, wanted, weeks, alone) if program and wanted else None


def match_choice(match: int | None, no_match: bool) -> int | bool:
    """Return the Match year to show: a year, True for the profile's, or False for none."""
    if no_match:
        return False
    return match if match is not None else True
