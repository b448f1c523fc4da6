"""The saved plan: rotations, their status history and done marks."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    model_validator,
)

from usce_planner.errors import PlannerError
from usce_planner.models.base import Day, Frozen, Slug

RotationStatus = Literal[
    "planned", "applied", "waitlisted", "accepted", "rejected", "withdrawn", "completed"
]
STATUSES: tuple[str, ...] = get_args(RotationStatus)
LIVE = ("planned", "applied", "waitlisted", "accepted", "completed")
_PERSON_OR_MATCH = r"^(me|match-[0-9]{4}):[a-z0-9-]+$"
_UID = r"^[A-Za-z0-9.-]+@usce-planner$"


def _check_suffix(value: str) -> str:
    if not value.replace("-", "").isalnum() or value != value.lower():
        raise ValueError(f"'{value}' is not a milestone name such as letter-ask")
    return value


Suffix = Annotated[StrictStr, AfterValidator(_check_suffix)]


class SavedRotation(Frozen):
    """One rotation as the plan file keeps it."""

    program: Slug
    start: Day
    weeks: Annotated[StrictInt, Field(ge=1, le=52)]
    status: RotationStatus = "planned"
    notes: StrictStr = ""
    history: dict[RotationStatus, Day] = Field(default_factory=dict)
    done: dict[Suffix, Day] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        """Return the rotation's key, ``PROGRAM@START``."""
        return f"{self.program}@{self.start.isoformat()}"

    @property
    def is_live(self) -> bool:
        """Return True unless the rotation was rejected or withdrawn."""
        return self.status in LIVE


class ExportedUid(Frozen):
    """What an .ics export wrote under one UID, so a later one can cancel or supersede it."""

    sequence: Annotated[StrictInt, Field(ge=0)]
    date: Day
    summary: StrictStr


class CalendarRecord(Frozen):
    """The ``[calendar]`` table: every UID an .ics export of this plan wrote (never pruned)."""

    exported: dict[Annotated[StrictStr, Field(pattern=_UID)], ExportedUid] = Field(
        default_factory=dict
    )


class SavedPlan(Frozen):
    """The whole plan file."""

    schema_: Annotated[StrictInt, Field(alias="schema", ge=1, le=1)] = 1
    # Eight hex digits in a file; "example" and "adhoc" only for plans that are never saved.
    uid_token: Annotated[StrictStr, Field(pattern=r"^([0-9a-f]{8}|example|adhoc)$")]
    done: dict[Annotated[StrictStr, Field(pattern=_PERSON_OR_MATCH)], Day] = Field(
        default_factory=dict
    )
    rotation: tuple[SavedRotation, ...] = ()
    calendar: CalendarRecord | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _unique_keys(self) -> SavedPlan:
        counts = Counter(rotation.key for rotation in self.rotation)
        twice = sorted(key for key, count in counts.items() if count > 1)
        if twice:
            raise ValueError(f"rotation: {', '.join(twice)} is in the file twice")
        return self

    def key_of(self, wanted: str) -> SavedRotation:
        """Return the rotation with this key, or with this program id when that is unambiguous."""
        exact = [r for r in self.rotation if r.key == wanted]
        if exact:
            return exact[0]
        same_program = [r for r in self.rotation if r.program == wanted]
        if len(same_program) == 1:
            return same_program[0]
        if not same_program:
            known = ", ".join(r.key for r in self.rotation) or "none yet"
            raise PlannerError(f"plan: no rotation '{wanted}'; keys: {known}")
        keys = ", ".join(r.key for r in same_program)
        raise PlannerError(f"plan: '{wanted}' has several rotations; use one of: {keys}")
