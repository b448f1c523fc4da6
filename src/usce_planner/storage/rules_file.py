"""The rules file: read, validated and cached."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from usce_planner.errors import Problem, RulesError
from usce_planner.models.rules import KNOWN_RULES, Rule, Rules
from usce_planner.storage.cache import CopyKind, through_copy
from usce_planner.storage.catalog_files import shipped_catalog_path
from usce_planner.storage.copy_shapes import Shape
from usce_planner.storage.toml_files import (
    parse_toml_document,
    read_document_bytes,
    schema_problem,
    validation_problems,
)

# Known cycle dates, one pair per Match year: eras_2026_submit, eras_2026_review, ...
_CYCLE_KEY = re.compile(r"^eras_[0-9]{4}_(submit|review)$")


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

    return Rules(through_copy(cache_folder, path, raw, _RULES, parse))


_RULES = CopyKind("rules", Shape[tuple[Rule, ...]](tuple[Rule, ...]))


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
