"""Frozen domain models: catalog programs and the user's profile."""

import re
from datetime import date, datetime
from typing import Annotated, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)

from usce_planner.countries import ISO_ALPHA2
from usce_planner.dates import Duration, parse_duration, parse_month_day, source_date_reference

Kind = Literal["elective", "observership", "externship", "research", "pre-residency"]
Status = Literal["open", "partner-only", "paused", "closed", "unknown"]
Audience = Literal["student", "graduate", "physician"]
Channel = Literal["vslo", "own-portal", "email", "broker", "faculty-sponsor"]
StartRule = Literal["any-day", "any-monday", "first-monday"]
Letters = Literal["yes", "no", "discretionary", "unknown"]
FeeUnit = Literal["rotation", "week", "month", "flat"]
Confidence = Literal["high", "medium", "low"]
StudentYear = Literal["final", "final-or-penultimate", "not-final", "any"]
EnglishTest = Literal["toefl", "ielts", "oet"]
VisaCode = Literal[
    "b1", "b2", "b1-b2", "esta", "f1", "f2", "j1", "j2", "h1b", "h4", "l2", "o1", "o3", "other"
]
# fmt: off
VisaHeld = Literal[
    "none", "b1", "b2", "b1-b2", "esta", "f1", "f2", "j1", "j2", "h1b", "h4", "l2", "o1", "o3",
    "other"
]
# fmt: on
Stage = Literal["student", "graduate", "physician"]
UsStatus = Literal["none", "citizen", "permanent-resident"]
ExamStatus = Literal["not-taken", "scheduled", "passed", "failed"]

VISITOR_VISAS: frozenset[str] = frozenset({"b1", "b2", "b1-b2", "esta"})
US_STATES: frozenset[str] = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
)
# Step 1 became pass/fail for exams taken on or after this day (usmle.org).
STEP1_PASS_FAIL_FROM = date(2022, 1, 26)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_URL = re.compile(r"^https?://[^\s/]+\S*\Z")


def _to_duration(value: object) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a text such as '6 months', '4 weeks' or '10 days'")
    return parse_duration(value)


def _non_empty(value: object) -> object:
    # Checked before the items: pydantic's min_length counts only the items that validated.
    if isinstance(value, list | tuple) and not value:
        raise ValueError("must list at least one")
    return value


def _check_slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} must be lowercase letters, digits and single hyphens")
    return value


def _check_country(value: str) -> str:
    if not _COUNTRY.match(value):
        raise ValueError(
            f"{value!r} is not an ISO 3166 country code (two capital letters, e.g. IN)"
        )
    if value not in ISO_ALPHA2:
        hint = " (the United Kingdom is GB)" if value == "UK" else ""
        raise ValueError(f"{value!r} is not an assigned ISO 3166 country code{hint}")
    return value


def _check_band(value: float) -> float:
    # IELTS reports whole and half bands only.
    if value * 2 != int(value * 2):
        raise ValueError(f"{value:g} is not an IELTS band (whole or half, such as 7 or 7.5)")
    return value


def check_url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError(f"{value!r} must be an http:// or https:// address")
    return value


def _is_day(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _to_starts(value: object) -> str | tuple[date, ...]:
    if isinstance(value, str) and value in get_args(StartRule):
        return value
    if isinstance(value, list | tuple) and value and all(_is_day(v) for v in value):
        return tuple(sorted(value))
    raise ValueError("must be 'any-day', 'any-monday', 'first-monday' or a list of dates")


def _to_window_day(value: object) -> date | str:
    if _is_day(value):
        return value  # type: ignore[return-value]  # checked by _is_day
    if isinstance(value, str):
        parse_month_day(value)
        return value
    raise ValueError("must be a date (2027-06-01) or a yearly day as 'MM-DD'")


def _to_citizenship(value: object) -> str | tuple[str, ...]:
    if isinstance(value, str):
        return _check_country(value)
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return tuple(_check_country(v) for v in value)
    raise ValueError("must be a country code such as 'IN' or a list such as ['IN', 'GB']")


def _starts_out(value: str | tuple[date, ...]) -> str | list[str]:
    return value if isinstance(value, str) else [d.isoformat() for d in value]


def _day_out(value: date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _check_state(value: str) -> str:
    if value not in US_STATES:
        raise ValueError(f"{value!r} is not a US state code (two capital letters, or DC)")
    return value


def _check_source_date(value: str) -> str:
    source_date_reference(value)
    return value


DurationField = Annotated[
    Duration, PlainValidator(_to_duration), PlainSerializer(str, return_type=str)
]
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _check_day_range(value: date) -> date:
    # Far from these, date arithmetic (a start plus five years of search) leaves Python's range.
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"{value.isoformat()} is outside the years 1900 to 2999")
    return value


Day = Annotated[date, Strict(), AfterValidator(_check_day_range)]
Text = Annotated[StrictStr, Field(min_length=1)]
CountryCode = Annotated[StrictStr, AfterValidator(_check_country)]
Slug = Annotated[StrictStr, AfterValidator(_check_slug)]
WindowDay = Annotated[
    date | str, PlainValidator(_to_window_day), PlainSerializer(_day_out, return_type=str)
]
Starts = Annotated[
    str | tuple[date, ...],
    PlainValidator(_to_starts),
    PlainSerializer(_starts_out, return_type=str | list[str]),
]
Citizenship = Annotated[
    str | tuple[str, ...],
    PlainValidator(_to_citizenship),
    PlainSerializer(lambda v: v if isinstance(v, str) else list(v), return_type=str | list[str]),
]
Usd = Annotated[StrictInt, Field(ge=0)]


IeltsBand = Annotated[StrictFloat, Field(ge=0, le=9), AfterValidator(_check_band)]
WeekLengths = Annotated[
    tuple[Annotated[StrictInt, Field(ge=1, le=52)], ...], BeforeValidator(_non_empty)
]


class Frozen(BaseModel):
    """Base of every model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


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


class ExamRecord(Frozen):
    """One USMLE Step as the profile records it."""

    status: ExamStatus = "not-taken"
    date: Day | None = None
    score: Annotated[StrictInt, Field(ge=1, le=300)] | None = None

    @model_validator(mode="after")
    def _date_when_needed(self) -> Self:
        if self.status in ("passed", "scheduled") and self.date is None:
            raise ValueError(f"date: a {self.status} exam needs its test date")
        return self


class EnglishScores(Frozen):
    """English tests the user holds."""

    toefl_ibt: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    ielts: IeltsBand | None = None
    oet: StrictBool | None = None
    tested: Day | None = None


class VisaStatus(Frozen):
    """The visa the user holds and their consulate's interview wait."""

    holds: VisaHeld = "none"
    consulate_wait_weeks: Annotated[StrictInt, Field(ge=0, le=104)] | None = None


class Profile(Frozen):
    """The user: training stage, exams, English, citizenship and visa."""

    schema_: Annotated[StrictInt, Field(alias="schema", ge=1, le=1)]
    name: StrictStr | None = None
    stage: Stage
    graduation: Day
    final_year_from: Day | None = None
    citizenship: Citizenship
    us_status: UsStatus = "none"
    seeking_residency: StrictBool | None = None
    target_match: Annotated[StrictInt, Field(ge=2000, le=2100)] | None = None
    specialties: tuple[Slug, ...] = ()
    english_medium_school: StrictBool | None = None
    ecfmg_certified: StrictBool | None = None
    budget_usd: Usd | None = None
    step1: ExamRecord | None = None
    step2ck: ExamRecord | None = None
    english: EnglishScores | None = None
    visa: VisaStatus | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    @property
    def citizenships(self) -> tuple[str, ...]:
        """Return every citizenship the user holds."""
        return (self.citizenship,) if isinstance(self.citizenship, str) else self.citizenship

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        step1 = self.step1
        if step1 and step1.score is not None and step1.date and step1.date >= STEP1_PASS_FAIL_FROM:
            raise ValueError(
                "step1.score: Step 1 taken on or after 2022-01-26 is pass/fail; remove the score"
            )
        if self.final_year_from is not None and self.final_year_from >= self.graduation:
            raise ValueError("final_year_from: must be before graduation")
        return self
