"""A catalog program and its parts, validated as the TOML gives them."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Self

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
    MonthCode,
    Slug,
    Starts,
    Status,
    StudentYear,
    Text,
    ToeflSection,
    Usd,
    VisaCode,
    WeekLengths,
    WindowDay,
    _check_source_date,
    _check_state,
    _non_empty,
    check_url,
)
from usce_planner.names import did_you_mean


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


# The keys a schema 1 catalog may not use, as dotted fields of a program.
SCHEMA_2_FIELDS = (
    "no_starts",
    "weeks_usual",
    "excluded_specialties",
    "notes",
    "fees.deposit_usd",
    "fees.deposit_credited",
    "requires.toefl_sections_min",
    "requires.ielts_sections_min",
)


class Fees(Frozen):
    """What a program charges, in US dollars."""

    application_usd: Usd | None = None
    program_usd: Usd | None = None
    per: FeeUnit | None = None
    # Schema 2: paid to hold a place; credited: the source says it goes towards the program fee.
    deposit_usd: Usd | None = None
    deposit_credited: StrictBool | None = None

    @model_validator(mode="after")
    def _unit_with_fee(self) -> Self:
        if self.program_usd is not None and self.per is None:
            raise ValueError("per: say what program_usd is charged per (rotation, week, ...)")
        if self.deposit_credited is not None and self.deposit_usd is None:
            raise ValueError("deposit_credited: needs deposit_usd")
        return self


class _Sections(Frozen):
    """Minimums per section of an English test; a section left out is not stated."""

    @model_validator(mode="after")
    def _one_stated(self) -> Self:
        if not self.stated():
            raise ValueError("name at least one of reading, listening, speaking, writing")
        return self

    def stated(self) -> tuple[tuple[str, float], ...]:
        """Return the stated minimums as (section, minimum), in the test's order."""
        return tuple((k, v) for k, v in self.model_dump().items() if v is not None)


class ToeflSections(_Sections):
    """TOEFL iBT section minimums, 0 to 30 each."""

    reading: ToeflSection | None = None
    listening: ToeflSection | None = None
    speaking: ToeflSection | None = None
    writing: ToeflSection | None = None


class IeltsSections(_Sections):
    """IELTS band minimums per section (whole or half bands)."""

    reading: IeltsBand | None = None
    listening: IeltsBand | None = None
    speaking: IeltsBand | None = None
    writing: IeltsBand | None = None


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
    # Schema 2: section minimums on top of (or instead of) the total.
    toefl_sections_min: ToeflSections | None = None
    ielts_sections_min: IeltsSections | None = None

    @model_validator(mode="after")
    def _sections_for_accepted_tests(self) -> Self:
        for test, sections in (
            ("toefl", self.toefl_sections_min),
            ("ielts", self.ielts_sections_min),
        ):
            if sections is None:
                continue
            if self.english is False:
                raise ValueError(f"{test}_sections_min: english = false says no test is needed")
            if self.english_tests is not None and test not in self.english_tests:
                raise ValueError(f"{test}_sections_min: {test} is not among english_tests")
        return self


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
    excluded_specialties: Annotated[tuple[Slug, ...], BeforeValidator(_non_empty)] | None = None
    audience: tuple[Audience, ...] | None = None
    hands_on: StrictBool | None = None
    channel: Channel | None = None
    weeks: WeekLengths | None = None
    weeks_usual: StrictBool | None = None
    max_weeks: Annotated[StrictInt, Field(ge=1, le=520)] | None = None
    starts: Starts | None = None
    no_starts: Annotated[tuple[MonthCode, ...], BeforeValidator(_non_empty)] | None = None
    lead_time: LeadTime | None = None
    windows: Annotated[tuple[Window, ...], BeforeValidator(_non_empty)] | None = None
    decision_weeks: Annotated[StrictInt, Field(ge=1, le=104)] | None = None
    letters: Letters | None = None
    fees: Fees | None = None
    notes: Annotated[tuple[Text, ...], BeforeValidator(_non_empty)] | None = None
    source: Annotated[StrictStr, AfterValidator(check_url)]
    source_date: Annotated[StrictStr, AfterValidator(_check_source_date)]
    verified: Day
    confidence: Confidence
    # Built without validation: validating here would build the schema at import time.
    requires: Requirements = Requirements.model_construct()

    @model_validator(mode="before")
    @classmethod
    def _range_in_order(cls, data: Any) -> Any:
        # Lengths with no usual one are kept shortest first: weeks[0] is then the length
        # planned without --weeks, and nothing downstream reads an order the source never gave.
        if isinstance(data, dict) and data.get("weeks_usual") is False:
            weeks = data.get("weeks")
            if isinstance(weeks, list | tuple) and all(type(w) is int for w in weeks):
                return {**data, "weeks": sorted(weeks)}
        return data

    @model_validator(mode="after")
    def _lengths_fit(self) -> Self:
        if self.weeks and len(set(self.weeks)) != len(self.weeks):
            raise ValueError("weeks: each length once")
        if self.weeks and self.max_weeks is not None and max(self.weeks) > self.max_weeks:
            raise ValueError(
                f"max_weeks: {self.max_weeks} is shorter than the longest length offered"
            )
        if self.weeks_usual is not None and (self.weeks is None or len(self.weeks) < 2):
            raise ValueError("weeks_usual: needs weeks with two or more lengths")
        return self

    @model_validator(mode="after")
    def _months_and_specialties_fit(self) -> Self:
        if self.no_starts is not None:
            if len(set(self.no_starts)) != len(self.no_starts):
                raise ValueError("no_starts: each month once")
            if len(self.no_starts) == 12:
                raise ValueError(
                    "no_starts: lists every month; a program that takes no one is "
                    "status = 'closed' or 'paused'"
                )
            if isinstance(self.starts, tuple):
                banned = self.no_start_months
                clash = next((d for d in self.starts if d.month in banned), None)
                if clash is not None:
                    raise ValueError(
                        f"no_starts: the listed start {clash.isoformat()} is in a month "
                        "without starts"
                    )
        clash_specialty = set(self.excluded_specialties or ()) & set(self.specialties or ())
        if clash_specialty:
            raise ValueError(
                f"excluded_specialties: {sorted(clash_specialty)[0]!r} is also in specialties"
            )
        return self

    @property
    def no_start_months(self) -> frozenset[int]:
        """Return the months (1-12) in which the source says no rotation starts."""
        return frozenset(int(month) for month in self.no_starts or ())

    @property
    def has_usual_length(self) -> bool:
        """Return False where the source gives lengths (a range) but no usual one."""
        return self.weeks_usual is not False


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
        hint = did_you_mean(program_id, (program.id for program in self.programs))
        raise NotFoundError(f"no program with id '{program_id}' in the catalog{hint}")
