"""The rules file's values: timing defaults and lists, each with its source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictInt, StrictStr

from usce_planner.dates import Duration, on_month_day, parse_month_day
from usce_planner.models.base import Confidence, CountryCode, Day, Frozen, check_url


def _check_month_day(value: str) -> str:
    parse_month_day(value)
    return value


MonthDayText = Annotated[StrictStr, AfterValidator(_check_month_day)]

Unit = Literal["days", "weeks", "months", "usd", "countries", "month-day", "date"]

# Each rule the code reads, with the unit it must have.
KNOWN_RULES: dict[str, Unit] = {
    "default_lead": "months",
    "usmle_result_delay": "days",
    "visa_processing": "weeks",
    "consulate_wait": "weeks",
    "esta_lead": "days",
    "vwp_countries": "countries",
    "vwp_barred_citizenships": "countries",
    "visa_free_citizenships": "countries",
    "documents_before_apply": "days",
    "letters_before_documents": "days",
    "english_before_documents": "days",
    "insurance_before_start": "days",
    "tb_test_before_start": "days",
    "tb_test_window": "days",
    "follow_up_after_apply": "days",
    "letter_ask_before_end": "days",
    "decision_weeks": "weeks",
    "eras_submit_day": "month-day",
    "eras_review_day": "month-day",
    "usce_end_before_eras": "weeks",
    "step2ck_before_review": "weeks",
    "vslo_fee": "usd",
    "visa_fee": "usd",
    "esta_fee": "usd",
    "esta_max_stay": "days",
}


class Rule(Frozen):
    """One rule: its value, unit, source and confidence."""

    key: Annotated[StrictStr, Field(min_length=1)]
    value: Annotated[StrictInt, Field(ge=0)] | tuple[CountryCode, ...] | Day | MonthDayText
    unit: Unit
    source: Annotated[StrictStr, AfterValidator(check_url)]
    confidence: Confidence
    note: StrictStr | None = None


@dataclass(frozen=True)
class Rules:
    """Every rule, by key, with typed accessors for the ones the code uses."""

    entries: tuple[Rule, ...]
    by_key: dict[str, object] = field(init=False, repr=False, compare=False)
    durations: dict[str, Duration] = field(init=False, repr=False, compare=False)
    country_sets: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen, so the typed indexes are set once here; the checks read rules thousands of times.
        durations, countries = {}, {}
        for rule in self.entries:
            unit = KNOWN_RULES.get(rule.key)
            if isinstance(rule.value, tuple):
                countries[rule.key] = frozenset(rule.value)
            elif unit in ("days", "weeks", "months") and isinstance(rule.value, int):
                durations[rule.key] = Duration(rule.value, unit)
        object.__setattr__(self, "by_key", {rule.key: rule.value for rule in self.entries})
        object.__setattr__(self, "durations", durations)
        object.__setattr__(self, "country_sets", countries)

    def duration(self, key: str) -> Duration:
        """Return a duration rule such as ``usmle_result_delay``."""
        return self.durations[key]

    def countries(self, key: str) -> frozenset[str]:
        """Return a list-of-countries rule such as ``vwp_countries``."""
        return self.country_sets[key]

    def usd(self, key: str) -> int:
        """Return a fee rule such as ``visa_fee``."""
        value = self.by_key[key]
        assert isinstance(value, int)
        return value

    def eras_dates(self, match_year: int) -> tuple[date, date]:
        """Return the ERAS submission and review days for a Match year (known, else default)."""
        days = []
        for part in ("submit", "review"):
            known = self.by_key.get(f"eras_{match_year}_{part}")
            if isinstance(known, date):
                days.append(known)
                continue
            default = self.by_key[f"eras_{part}_day"]
            assert isinstance(default, str)
            month, day = parse_month_day(default)
            days.append(on_month_day(match_year - 1, month, day))
        return days[0], days[1]

    @property
    def default_lead(self) -> Duration:
        """How long before the start to apply when a program states no lead time."""
        return self.duration("default_lead")

    @property
    def usmle_result_delay(self) -> Duration:
        """How long a USMLE result takes after the test."""
        return self.duration("usmle_result_delay")
