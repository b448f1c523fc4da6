"""The rules file: timing defaults and lists with their sources, loaded into typed values."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictInt, StrictStr, ValidationError

from usce_planner.catalog import shipped_catalog_path
from usce_planner.dates import Duration
from usce_planner.documents import read_toml_document, schema_problem, validation_problems
from usce_planner.errors import FileProblemsError, Problem
from usce_planner.models import Confidence, CountryCode, Frozen, check_url

Unit = Literal["days", "weeks", "months", "usd", "countries"]

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
}


class RulesError(FileProblemsError):
    """The rules file cannot be read or fails validation."""


class Rule(Frozen):
    """One rule: its value, unit, source and confidence."""

    key: Annotated[StrictStr, Field(min_length=1)]
    value: Annotated[StrictInt, Field(ge=0)] | tuple[CountryCode, ...]
    unit: Unit
    source: Annotated[StrictStr, AfterValidator(check_url)]
    confidence: Confidence
    note: StrictStr | None = None


@dataclass(frozen=True)
class Rules:
    """Every rule, by key, with typed accessors for the ones the code uses."""

    entries: tuple[Rule, ...]
    durations: dict[str, Duration] = field(init=False, repr=False, compare=False)
    country_sets: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen, so the typed indexes are set once here; the checks read rules thousands of times.
        durations, countries = {}, {}
        for rule in self.entries:
            unit = KNOWN_RULES.get(rule.key)
            if isinstance(rule.value, tuple):
                countries[rule.key] = frozenset(rule.value)
            elif unit in ("days", "weeks", "months"):
                durations[rule.key] = Duration(rule.value, unit)
        object.__setattr__(self, "durations", durations)
        object.__setattr__(self, "country_sets", countries)

    def duration(self, key: str) -> Duration:
        """Return a duration rule such as ``usmle_result_delay``."""
        return self.durations[key]

    def countries(self, key: str) -> frozenset[str]:
        """Return a list-of-countries rule such as ``vwp_countries``."""
        return self.country_sets[key]

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


def load_rules_file(path: Path) -> Rules:
    """Read and check a rules file; raise RulesError listing every problem."""
    document = read_toml_document(path, RulesError)
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
def shipped_rules() -> Rules:
    """Return the shipped rules (read once per process)."""
    return load_rules_file(shipped_rules_path())


def _coverage_problems(entries: list[Rule]) -> list[Problem]:
    problems = []
    keys = [rule.key for rule in entries]
    for rule in entries:
        expected = KNOWN_RULES.get(rule.key)
        if expected is None:
            problems.append(Problem("unknown rule", entry=rule.key, entry_kind="rule"))
        elif rule.unit != expected:
            message = f"must be in {expected}"
            problems.append(Problem(message, entry=rule.key, entry_kind="rule", field="unit"))
        elif (expected == "countries") != isinstance(rule.value, tuple):
            message = (
                "must be a list of country codes" if expected == "countries" else "must be a number"
            )
            problems.append(Problem(message, entry=rule.key, entry_kind="rule", field="value"))
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        problems.append(Problem("defined twice", entry=key, entry_kind="rule"))
    problems += [
        Problem("missing from the rules file", entry=key, entry_kind="rule")
        for key in KNOWN_RULES
        if key not in keys
    ]
    return problems
