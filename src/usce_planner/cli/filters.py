"""The catalog filters shared by ``usce programs`` and ``usce eligible``."""

from __future__ import annotations

from typing import Annotated, Any, get_args

import typer

from usce_planner.cli.options import check_choices
from usce_planner.eligibility.listing import ProgramFilter
from usce_planner.models.base import US_STATES, Audience, Channel, Kind, Status

Many = list[str] | None


def _many(metavar: str, help_text: str) -> Any:
    # typer.Option is typed as returning Any so that it can stand as a default value.
    return typer.Option(metavar=metavar, help=f"{help_text}; repeatable.")


KindOption = Annotated[
    Many, _many("KIND", "elective, observership, externship, research or pre-residency")
]
SpecialtyOption = Annotated[
    Many, _many("SLUG", "Specialty such as internal-medicine; programs listing none stay in")
]
StateOption = Annotated[Many, _many("STATE", "US state code such as NY")]
AudienceOption = Annotated[Many, _many("AUDIENCE", "student, graduate or physician")]
StatusOption = Annotated[Many, _many("STATUS", "open, partner-only, paused, closed or unknown")]
ChannelOption = Annotated[
    Many, _many("CHANNEL", "vslo, own-portal, email, broker or faculty-sponsor")
]
HandsOnOption = Annotated[bool, typer.Option("--hands-on", help="Only hands-on programs.")]
MaxCostOption = Annotated[
    int | None,
    typer.Option(
        metavar="USD", min=0, help="Most USD for one rotation (application + program fee)."
    ),
]
UnknownCostOption = Annotated[
    bool,
    typer.Option(
        "--include-unknown-cost", help="With --max-cost, keep programs whose fees are unknown."
    ),
]
SearchOption = Annotated[
    str | None, typer.Option(metavar="TEXT", help="Text in the name, institution or city.")
]
UnknownOption = Annotated[
    bool,
    typer.Option("--include-unknown", help="Keep programs that do not state a filtered key."),
]


def build_filter(
    kind: Many,
    specialty: Many,
    state: Many,
    hands_on: bool,
    audience: Many,
    status: Many,
    channel: Many,
    max_cost: int | None,
    include_unknown_cost: bool,
    search: str | None,
    include_unknown: bool,
) -> ProgramFilter:
    """Return the filter the options describe; an unknown choice is a usage error."""
    return ProgramFilter(
        kinds=check_choices(kind or [], get_args(Kind), "--kind"),
        specialties=tuple(specialty or ()),
        states=check_choices([s.upper() for s in state or ()], sorted(US_STATES), "--state"),
        hands_on=hands_on,
        audiences=check_choices(audience or [], get_args(Audience), "--audience"),
        statuses=check_choices(status or [], get_args(Status), "--status"),
        channels=check_choices(channel or [], get_args(Channel), "--channel"),
        max_cost=max_cost,
        include_unknown_cost=include_unknown_cost,
        search=search,
        include_unknown=include_unknown,
    )
