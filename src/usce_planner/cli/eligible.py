"""``usce eligible``: which programs you can do, at which start, and why."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from usce_planner.app.eligible import (
    check_catalog,
    explain,
    result_document,
    result_documents,
    verdicts_head,
)
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
    print_json_pieces,
    print_messages,
    print_renderable,
    print_text,
    terminal_width,
    use_colour,
)
from usce_planner.dates import DateOutOfRangeError, parse_iso_day, parse_iso_month
from usce_planner.text_safety import json_pieces
from usce_planner.timing.starts import StartWanted

_MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")
START_HELP = (
    "Check each program at its first allowed start on or after this day (YYYY-MM-DD), or in "
    "this month (YYYY-MM). Default: its chosen start, the earliest start with every step on "
    "time, or a later one at which you qualify (a student who graduates first)."
)


def parse_start(text: str | None) -> StartWanted | None:
    """Return the start asked for: ``YYYY-MM-DD``, or ``YYYY-MM`` for a whole month."""
    if text is None:
        return None
    text = text.strip()
    try:
        if _MONTH.match(text):
            return StartWanted(parse_iso_month(text), whole_month=True)
        return StartWanted(parse_iso_day(text))
    except DateOutOfRangeError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--start'") from None
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' is not a date; write YYYY-MM-DD or YYYY-MM", param_hint="'--start'"
        ) from None


def eligible(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option(metavar="DATE", help=START_HELP)] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all", help="Also list the programs you cannot do (yet), with the first reason."
        ),
    ] = False,
    explain_id: Annotated[
        str | None, typer.Option("--explain", metavar="ID", help="Show every check of one program.")
    ] = None,
    example: Annotated[
        bool, typer.Option("--example", help="Use the example profile instead of yours.")
    ] = False,
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
) -> None:
    """Check every program in the catalog against your profile, with the reason for each verdict.

    Without --start, each program is checked at its chosen start: the earliest start with every
    step on time, or, where you do not qualify then, the first later start at which you do. So
    a final-year student sees, dated, the graduate programs they can do after graduating, with
    the reason ("from 2027-07-05: you graduate on 2027-06-30"); --json gives both "start" and
    "earliest_start".

    Graduation inside a rotation: a student is a graduate for a rotation that starts on or after
    the graduation day, and a student for one whose last day is on or before it. One who
    graduates during a rotation fits only programs that take both students and graduates.
    """
    options: CommonOptions = ctx.obj
    wanted = parse_start(start)
    session = options.session()
    if explain_id is not None:
        one = explain(session, explain_id, wanted, example)
        print_messages(one.catalog.notices)
        result = one.results[0]
        if options.json:
            print_json(result_document(result, one.is_stale(result.program)))
        else:
            from usce_planner.cli.render.explain import explanation

            print_renderable(explanation(one), options.no_color)
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
    verdicts = check_catalog(session, where, wanted, example)
    print_messages(verdicts.catalog.notices)
    if options.json:
        print_json_pieces(
            json_pieces(verdicts_head(verdicts), "results", result_documents(verdicts))
        )
        return
    shown = [r for r in verdicts.results if show_all or r.verdict in ("eligible", "conditional")]
    if shown:
        from usce_planner.cli.render.verdicts import verdicts_text

        print_text(verdicts_text(verdicts, shown, terminal_width(), use_colour(options.no_color)))
    else:
        nothing = "No program passed the filters." if show_all else (
            "No eligible or conditional program among those that passed the filters."
        )
        print_text(nothing + "\n")
    counts = {
        v: sum(r.verdict == v for r in verdicts.results)
        for v in ("eligible", "conditional", "unknown", "ineligible")
    }
    summary = ", ".join(f"{n} {v}" for v, n in counts.items())
    hint = "" if show_all else "; --all lists the rest with their first reason"
    print_messages([f"{summary}{hint}; --explain ID shows every check of one program."])


EPILOG = (
    "Examples: usce eligible --example\n\n"
    "usce eligible --start 2027-09 --kind observership --all\n\n"
    "usce eligible --explain cc-florida-observer\n\n" + COMMON_HELP
)
