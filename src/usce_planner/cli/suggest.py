"""``usce suggest``: the best set of rotations for the profile, its budget and its Match year."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

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
    UnknownOption,
    build_filter,
)
from usce_planner.cli.options import COMMON_HELP, CommonOptions
from usce_planner.cli.output import print_json, print_messages, print_renderable
from usce_planner.cli.plan_options import ExampleOption, MatchOption, NoMatchOption, match_choice
from usce_planner.dates import DateOutOfRangeError, parse_iso_day


@contextlib.contextmanager
def solver_banner_silenced() -> Iterator[None]:
    """Keep HiGHS's banner off stdout: it prints one when its first solver is made.

    Every solver the model makes turns its output off at once, but the banner comes from the
    constructor itself (ERGO-Code/HiGHS#2749), and would spoil ``--json``. Only the first
    solver of a process prints it, so one is made here with stdout pointed at the null device.
    """
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        highspy.Highs()  # type: ignore[no-untyped-call]  # highspy's constructor is untyped
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    yield


def _day(text: str | None, option: str) -> Any:
    if text is None:
        return None
    try:
        return parse_iso_day(text)
    except DateOutOfRangeError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{option}'") from None
    except ValueError:
        raise typer.BadParameter(
            f"'{text.strip()}' is not a date; write YYYY-MM-DD", param_hint=f"'{option}'"
        ) from None


def suggest(
    ctx: typer.Context,
    from_: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="First day of the period (default: today)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Last day of the period (default: the Match year's end of USCE, else 18 months).",
        ),
    ] = None,
    budget: Annotated[
        int | None,
        typer.Option(
            metavar="USD",
            min=0,
            help="Most to spend (default: the profile's budget_usd less the saved plan's cost).",
        ),
    ] = None,
    max_rotations: Annotated[
        int | None, typer.Option("--max", metavar="N", min=1, help="At most N rotations.")
    ] = None,
    gap_days: Annotated[
        int, typer.Option(metavar="N", min=0, help="At least N free days between rotations.")
    ] = 0,
    strict: Annotated[
        bool, typer.Option("--strict", help="Only eligible starts, not conditional ones.")
    ] = False,
    include_unknown_cost: Annotated[
        bool,
        typer.Option(
            "--include-unknown-cost", help="With a budget, keep programs whose fees are unknown."
        ),
    ] = False,
    backups: Annotated[
        int, typer.Option(metavar="N", min=0, help="Backups to list for each rotation.")
    ] = 2,
    time_limit: Annotated[
        float,
        typer.Option(metavar="SECONDS", min=0.1, help="Time the solver may take in all."),
    ] = 10.0,
    save: Annotated[
        bool, typer.Option("--save", help="Add the chosen rotations to your plan as planned.")
    ] = False,
    match: MatchOption = None,
    no_match: NoMatchOption = False,
    example: ExampleOption = False,
    kind: KindOption = None,
    specialty: SpecialtyOption = None,
    state: StateOption = None,
    hands_on: HandsOnOption = False,
    audience: AudienceOption = None,
    status: StatusOption = None,
    channel: ChannelOption = None,
    max_cost: MaxCostOption = None,
    search: SearchOption = None,
    include_unknown: UnknownOption = False,
) -> None:
    """Suggest the rotations to go for: the most hands-on weeks in your specialty first.

    The selection is proved best by the HiGHS solver, comparing in this order: hands-on weeks
    in your specialties, hands-on weeks in all, rotations at programs that give letters, weeks
    in all, the fewest unknown costs, the lowest known cost, and the earliest finish. Every
    rotation is one you can make: an allowed start, on time for every step before it, eligible
    (or conditional, unless --strict), ending before the Match's end of USCE. Each comes with
    backups to apply to as well, since one application per slot is a gamble.
    """
    from usce_planner.app.suggest import SuggestRequest, save_suggestion, suggest_rotations

    options: CommonOptions = ctx.obj
    first, last = _day(from_, "--from"), _day(until, "--until")
    if first is not None and last is not None and last < first:
        raise typer.BadParameter("must not be before --from", param_hint="'--until'")
    where = build_filter(
        kind, specialty, state, hands_on, audience, status, channel, max_cost,
        include_unknown_cost, search, include_unknown,
    )  # fmt: skip
    request = SuggestRequest(
        first, last, budget, max_rotations, gap_days, strict, include_unknown_cost, backups,
        time_limit, match_choice(match, no_match), where,
    )  # fmt: skip
    if save and example:
        raise typer.BadParameter("the example is never saved", param_hint="'--save'")
    session = options.session()
    with solver_banner_silenced():
        report = suggest_rotations(session, request, example)
    from usce_planner.cli.render.suggest import suggestion_json, suggestion_view

    if options.json:
        print_json(suggestion_json(report))
    else:
        print_renderable(suggestion_view(report), options.no_color)
    if save and report.suggestion.selection.chosen:
        saved, notices = save_suggestion(session, report)
        print_messages(notices)
        print_messages([f"{saved.late_count} late item(s) in the plan; `usce plan` shows them."])


EPILOG = (
    "Examples: usce suggest --example\n\n"
    "usce suggest --budget 6000 --max 3 --gap-days 7\n\n"
    "usce suggest --specialty internal-medicine --strict --save\n\n" + COMMON_HELP
)
