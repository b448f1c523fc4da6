"""Eligibility: every rule of one program checked against the profile at the dates that matter."""

from __future__ import annotations

from datetime import date

from usce_planner.eligibility.checks import CHECKS
from usce_planner.eligibility.engine import Checker, Result, first_start_from, verdict_of
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules

__all__ = [
    "RULE_ORDER",
    "VERDICT_ORDER",
    "Checker",
    "Result",
    "check_program",
    "earliest_start",
    "first_start_from",
    "verdict_of",
]

RULE_ORDER = tuple(check.__name__.lstrip("_") for check in CHECKS)
VERDICT_ORDER = ("eligible", "conditional", "unknown", "ineligible")


def earliest_start(program: Program, profile: Profile, rules: Rules, today: date) -> date | None:
    """Return the first allowed start with every preparation step on time, or None."""
    return Checker(profile, rules, today).earliest(program)


def check_program(
    program: Program,
    profile: Profile,
    rules: Rules,
    today: date,
    wanted: date | None = None,
    whole_month: bool = False,
) -> Result:
    """Check every rule for one program at the wanted start (else its chosen start)."""
    return Checker(profile, rules, today).check(program, wanted, whole_month)
