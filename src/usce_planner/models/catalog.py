"""A catalog program and its parts, validated as the TOML gives them."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)

from usce_planner.errors import NotFoundError
from usce_planner.models.base import (
    Audience,
    Channel,
    Confidence,
    CountryCode,
    Day,
    DurationField,
    EnglishTest,
    FeeUnit,
    Frozen,
    IeltsBand,
    Kind,
    Letters,
    Slug,
    Starts,
    Status,
    StudentYear,
    Text,
    Usd,
    VisaCode,
    WeekLengths,
    WindowDay,
    _check_source_date,
    _check_state,
    _non_empty,
    check_url,
)


class LeadTime(Frozen):
    """How long before the start a program wants the application."""

    recommended: DurationField | None = None
    minimum: DurationField | None = None


class Window(Frozen):
    """An application window and the range of starts it serves."""

    opens: WindowDay
    closes: WindowDay
    starts_from: WindowDay
    starts_to: WindowDay

    @property
    def is_recurring(self) -> bool:
        """Return True for an ``MM-DD`` window that repeats every year."""
        return isinstance(self.opens, str)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        values = (self.opens, self.closes, self.starts_from, self.starts_to)
        if all(isinstance(v, str) for v in values):
            return self
        if not all(isinstance(v, date) for v in values):
            raise ValueError("write all four as dates (one-off) or all four as 'MM-DD' (yearly)")
        opens, closes, first, last = values
        if not opens <= closes < first <= last:  # type: ignore[operator]  # all dates here
            raise ValueError("needs opens <= closes < starts_from <= starts_to")
        return self


class Fees(Frozen):
    """What a program charges, in US dollars."""

    application_usd: Usd | None = None
    program_usd: Usd | None = None
    per: FeeUnit | None = None

    @model_validator(mode="after")
    def _unit_with_fee(self) -> Self:
        if self.program_usd is not None and self.per is None:
            raise ValueError("per: say what program_usd is charged per (rotation, week, ...)")
        return self


class Requirements(Frozen):
    """What a program requires; None means the source does not say."""

    student_year: StudentYear | None = None
    max_years_since_graduation: Annotated[StrictInt, Field(ge=0, le=60)] | None = None
    step1: StrictBool | None = None
    step2ck: StrictBool | None = None
    min_step_score: Annotated[StrictInt, Field(ge=1, le=300)] | None = None
    ecfmg_certified: StrictBool | None = None
    english: StrictBool | None = None
    toefl_ibt_min: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    ielts_min: IeltsBand | None = None
    english_tests: tuple[EnglishTest, ...] | None = None
    english_waiver_if_english_medium: StrictBool | None = None
    excludes_residency_seekers: StrictBool | None = None
    visas: tuple[VisaCode, ...] | None = None
    excluded_citizenships: tuple[CountryCode, ...] | None = None


class Program(Frozen):
    """One USCE program as its source describes it."""

    id: Slug
    institution: Text
    name: Text
    kind: Kind
    status: Status
    state: Annotated[StrictStr, AfterValidator(_check_state)]
    city: Text | None = None
    specialties: tuple[Slug, ...] | None = None
    audience: tuple[Audience, ...] | None = None
    hands_on: StrictBool | None = None
    channel: Channel | None = None
    weeks: WeekLengths | None = None
    max_weeks: Annotated[StrictInt, Field(ge=1, le=520)] | None = None
    starts: Starts | None = None
    lead_time: LeadTime | None = None
    windows: Annotated[tuple[Window, ...], BeforeValidator(_non_empty)] | None = None
    decision_weeks: Annotated[StrictInt, Field(ge=1, le=104)] | None = None
    letters: Letters | None = None
    fees: Fees | None = None
    source: Annotated[StrictStr, AfterValidator(check_url)]
    source_date: Annotated[StrictStr, AfterValidator(_check_source_date)]
    verified: Day
    confidence: Confidence
    # Built without validation: validating here would build the schema at import time.
    requires: Requirements = Requirements.model_construct()

    @model_validator(mode="after")
    def _lengths_fit(self) -> Self:
        if self.weeks and len(set(self.weeks)) != len(self.weeks):
            raise ValueError("weeks: each length once")
        if self.weeks and self.max_weeks is not None and max(self.weeks) > self.max_weeks:
            raise ValueError(
                f"max_weeks: {self.max_weeks} is shorter than the longest length offered"
            )
        return self


@dataclass(frozen=True)
class Catalog:
    """The merged programs of every catalog file, and the notices merging produced."""

    programs: tuple[Program, ...]
    notices: tuple[str, ...] = ()

    def get(self, program_id: str) -> Program:
        """Return the program with this id, or raise NotFoundError."""
        for program in self.programs:
            if program.id == program_id:
                return program
        raise NotFoundError(f"no program with id '{program_id}' in the catalog")
