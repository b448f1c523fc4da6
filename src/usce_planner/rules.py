"""The rules file: timing defaults and lists with their sources, loaded into typed values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard

from pydantic import AfterValidator, Field, StrictInt, StrictStr, ValidationError

from usce_planner.catalog import shipped_catalog_path
from usce_planner.dates import Duration, on_month_day, parse_month_day
from usce_planner.documents import (
    parse_toml_document,
    read_document_bytes,
    schema_problem,
    validation_problems,
)
from usce_planner.errors import FileProblemsError, Problem
from usce_planner.models import Confidence, CountryCode, Day, Frozen, check_url
from usce_planner.parsed_copies import through_copy


def _check_month_day(value: str) -> str:
    parse_month_day(value)
    return value


MonthDayText = Annotated[StrictStr, AfterValidator(_check_month_day)]

Unit = Literal["days", "weeks", "months", "usd", "countries", "month-day", "date"]
# Known cycle dates, one pair per Match year: eras_2026_submit, eras_2026_review, ...
_CYCLE_KEY = re.compile(r"^eras_[0-9]{4}_(submit|review)$")

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
    "esta_max_stay": "days",
}


class RulesError(FileProblemsError):
    """The rules file cannot be read or fails validation."""


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


def shipped_rules_path() -> Path:
    """Return the rules file that ships with usce (beside the shipped catalog)."""
    return shipped_catalog_path().with_name("rules.toml")


def load_rules_file(path: Path, cache_folder: Path | None = None) -> Rules:
    """Read and check a rules file; raise RulesError listing every problem.

    With a ``cache_folder``, a copy made from the same bytes is used when there is one.
    """
    raw = read_document_bytes(path, RulesError)

    def parse() -> tuple[Rule, ...]:
        return _check_rules(parse_toml_document(raw, path, RulesError), path).entries

    return Rules(through_copy(cache_folder, path, raw, "rules", parse, _are_rules))


def _are_rules(value: object) -> TypeGuard[tuple[Rule, ...]]:
    return isinstance(value, tuple) and all(type(rule) is Rule for rule in value)


def _check_rules(document: dict[str, Any], path: Path) -> Rules:
    problem = schema_problem(document)
    if problem is not None:
        raise RulesError(path, [problem])
    problems: list[Problem] = []
    entries: list[Rule] = []
    raw_rules = document.get("rule", [])
    if not isinstance(raw_rules, list):
        raise RulesError(path, [Problem("must be [[rule]] tables", field="rule")])
    for raw in raw_rules:
        key = raw.get("key") if isinstance(raw, dict) else None
        try:
            entries.append(Rule.model_validate(raw))
        except ValidationError as exc:
            problems += validation_problems(exc, key if isinstance(key, str) else None, "rule")
    problems += _coverage_problems(entries)
    if problems:
        raise RulesError(path, problems)
    return Rules(tuple(entries))


@cache
def shipped_rules(cache_folder: Path | None = None) -> Rules:
    """Return the shipped rules (read once per process, through the cache folder if given)."""
    return load_rules_file(shipped_rules_path(), cache_folder)


def _coverage_problems(entries: list[Rule]) -> list[Problem]:
    problems = []
    keys = [rule.key for rule in entries]
    for rule in entries:
        expected = "date" if _CYCLE_KEY.match(rule.key) else KNOWN_RULES.get(rule.key)
        if expected is None:
            problems.append(Problem("unknown rule", entry=rule.key, entry_kind="rule"))
        elif rule.unit != expected:
            message = f"must be in {expected}"
            problems.append(Problem(message, entry=rule.key, entry_kind="rule", field="unit"))
        elif not _fits(rule.value, expected):
            message = _UNIT_VALUES.get(expected, "must be a whole number")
            problems.append(Problem(message, entry=rule.key, entry_kind="rule", field="value"))
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        problems.append(Problem("defined twice", entry=key, entry_kind="rule"))
    problems += [
        Problem("missing from the rules file", entry=key, entry_kind="rule")
        for key in KNOWN_RULES
        if key not in keys
    ]
    return problems


_UNIT_VALUES = {
    "countries": "must be a list of country codes",
    "month-day": "must be a day of the year as 'MM-DD'",
    "date": "must be a date",
}


def _fits(value: object, unit: str) -> bool:
    if unit == "countries":
        return isinstance(value, tuple)
    if unit == "month-day":
        return isinstance(value, str)
    if unit == "date":
        return isinstance(value, date)
    return isinstance(value, int)
