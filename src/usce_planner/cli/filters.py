"""The catalog filters shared by ``usce programs`` and ``usce eligible``."""

from __future__ import annotations

from typing import Annotated, get_args

import typer

from usce_planner.cli.options import check_choices
from usce_planner.listing import ProgramFilter
from usce_planner.models import Audience, Channel, Kind, Status

Many = list[str] | None
KindOption = Annotated[
    Many,
    typer.Option(help="elective, observership, externship, research, pre-residency; repeatable."),
]
SpecialtyOption = Annotated[
    Many,
    typer.Option(
        help="Specialty slug (internal-medicine); programs listing none stay in; repeatable."
    ),
]
StateOption = Annotated[Many, typer.Option(help="US state code such as NY; repeatable.")]
HandsOnOption = Annotated[bool, typer.Option("--hands-on", help="Only hands-on programs.")]
AudienceOption = Annotated[Many, typer.Option(help="student, graduate or physician; repeatable.")]
StatusOption = Annotated[
    Many, typer.Option(help="open, partner-only, paused, closed, unknown; repeatable.")
]
ChannelOption = Annotated[
    Many, typer.Option(help="vslo, own-portal, email, broker, faculty-sponsor; repeatable.")
]
MaxCostOption = Annotated[
    int | None, typer.Option(min=0, help="Most USD for one rotation (application + program fee).")
]
UnknownCostOption = Annotated[
    bool, typer.Option(help="With --max-cost, keep programs whose fees are unknown.")
]
SearchOption = Annotated[str | None, typer.Option(help="Text in the name, institution or city.")]
UnknownOption = Annotated[
    bool, typer.Option(help="Keep programs that do not state a filtered key.")
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
