"""Field types and validators shared by every model."""

import re
from datetime import date, datetime
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    StrictFloat,
    StrictInt,
    StrictStr,
)

from usce_planner.countries import ISO_ALPHA2
from usce_planner.dates import (
    OUT_OF_RANGE,
    Duration,
    is_in_range,
    parse_duration,
    parse_month_day,
    source_date_reference,
)

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
_MONTH = re.compile(r"^(0[1-9]|1[0-2])\Z")
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
        return tuple(sorted(_check_day_range(day) for day in value))
    raise ValueError("must be 'any-day', 'any-monday', 'first-monday' or a list of dates")


def _to_window_day(value: object) -> date | str:
    if _is_day(value):
        return _check_day_range(value)  # type: ignore[arg-type]  # checked by _is_day
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
def _check_day_range(value: date) -> date:
    if not is_in_range(value):
        raise ValueError(f"{value.isoformat()} {OUT_OF_RANGE}")
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


def _check_month(value: str) -> str:
    if not _MONTH.match(value):
        raise ValueError(f"{value!r} is not a month written 'MM' ('01' to '12')")
    return value


MonthCode = Annotated[StrictStr, AfterValidator(_check_month)]
ToeflSection = Annotated[StrictInt, Field(ge=0, le=30)]


class Frozen(BaseModel):
    """Base of every model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
