"""A catalog checked by one Checker gives what each rule, applied afresh, gives (section 7).

The checker looks most checks up by the inputs of their rule, and finds the earliest start
from first on-time dates rather than by listing each start's steps. These tests take the slow,
plain way as the reference: every allowed start from today tested step by step, and every
rule applied to its inputs, for programs drawn to share many inputs and differ in others.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_eligibility_properties import BASE_PROGRAM, profiles, requirements, todays
from usce_planner.eligibility import Checker, Result, first_start_from, verdict_of
from usce_planner.eligibility.checks import CHECKS, Context, Target, rule_inputs
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.preparation import is_feasible_start
from usce_planner.timing.starts import (
    allowed_starts,
    apply_by,
    last_day,
    rotation_weeks,
    search_limit,
)

RULES = shipped_rules()
# The rules whose inputs hold no date (rule_inputs), so no start changes their check.
DATELESS = ("status", "ecfmg_certified", "english", "residency_seekers", "citizenship")
# The timing rules the earliest start depends on. With the shipped values some never decide it
# (the letters come before any exam or English step); drawn values let each one decide.
TIMING_RULES = {
    "default_lead": (1, 12),
    "usmle_result_delay": (0, 120),
    "visa_processing": (0, 8),
    "consulate_wait": (0, 30),
    "esta_lead": (0, 60),
    "documents_before_apply": (0, 60),
    "letters_before_documents": (0, 90),
    "english_before_documents": (0, 150),
    "insurance_before_start": (0, 90),
    "tb_test_before_start": (0, 90),
    "esta_max_stay": (14, 120),
}
# Few values for each field, so that programs share some inputs and differ in others.
FEW_WINDOWS = [
    None,
    [{"opens": "06-01", "closes": "06-30", "starts_from": "10-01", "starts_to": "12-31"}],
    [
        {"opens": "01-01", "closes": "01-31", "starts_from": "03-01", "starts_to": "08-31"},
        {"opens": "02-01", "closes": "02-28", "starts_from": "06-01", "starts_to": "06-30"},
    ],
]
FEW_LEADS = [None, {"recommended": "3 months"}, {"recommended": "8 weeks", "minimum": "6 weeks"}]


@st.composite
def similar_programs(draw: st.DrawFn, number: int) -> Program:
    """Return a program whose every field the rules read comes from a few values."""
    fields: dict[str, Any] = {
        "id": f"program-{number}",
        "status": draw(st.sampled_from(["open", "closed", "partner-only", "unknown"])),
        "audience": draw(st.sampled_from([None, ["student"], ["graduate", "physician"]])),
        "weeks": draw(st.sampled_from([None, [4], [2, 4], [16]])),
        "starts": draw(st.sampled_from([None, "any-monday", "first-monday", [date(2027, 3, 1)]])),
        "lead_time": draw(st.sampled_from(FEW_LEADS)),
        "windows": draw(st.sampled_from(FEW_WINDOWS)),
        "requires": draw(requirements()),
    }
    return Program.model_validate(
        {**BASE_PROGRAM, **{key: value for key, value in fields.items() if value is not None}}
    )


@st.composite
def catalogs(draw: st.DrawFn) -> list[Program]:
    """Return up to eight programs."""
    count = draw(st.integers(1, 8))
    drawn = [draw(similar_programs(number)) for number in range(count)]
    return drawn


@st.composite
def timing_rules(draw: st.DrawFn) -> Rules:
    """Return the shipped rules, or the shipped rules with other timings."""
    if draw(st.booleans()):
        return RULES
    values = {key: draw(st.integers(*bounds)) for key, bounds in TIMING_RULES.items()}
    return Rules(
        tuple(
            rule.model_copy(update={"value": values[rule.key]}) if rule.key in values else rule
            for rule in RULES.entries
        )
    )


def earliest_by_steps(program: Program, profile: Profile, rules: Rules, today: date) -> date | None:
    """Return the first allowed start from today whose every step is on time."""
    for start in allowed_starts(program, today, search_limit(today)):
        if is_feasible_start(program, start, profile, rules, today):
            return start
    return None


def checked_afresh(
    program: Program,
    profile: Profile,
    rules: Rules,
    today: date,
    wanted: date | None = None,
    whole_month: bool = False,
) -> Result:
    """Return the result of applying each rule to its inputs, with nothing kept or looked up.

    Without ``wanted``, at the chosen start: every allowed start from the earliest one is
    checked in turn, until one is eligible or conditional (section 6).
    """
    earliest = earliest_by_steps(program, profile, rules, today)
    if wanted is not None:
        start = first_start_from(program, wanted, today, whole_month)
        return checked_at(program, profile, rules, today, start, earliest, True)
    found = checked_at(program, profile, rules, today, earliest, earliest, False)
    if earliest is None or found.verdict in ("eligible", "conditional"):
        return found
    if any(c.status == "unmet" and c.rule in DATELESS for c in found.checks):
        return found  # these rules read no date: every start is ineligible alike
    best = found
    for start in allowed_starts(program, earliest, search_limit(today)):
        result = checked_at(program, profile, rules, today, start, earliest, False)
        if result.verdict in ("eligible", "conditional"):
            return result
        if result.verdict == "unknown" and best.verdict == "ineligible":
            best = result
    return best


def checked_at(
    program: Program,
    profile: Profile,
    rules: Rules,
    today: date,
    start: date | None,
    earliest: date | None,
    asked: bool,
) -> Result:
    """Return every rule applied afresh to the rotation from ``start``."""
    target = None
    if start is not None:
        applying = apply_by(program, start, rules.default_lead)
        end = last_day(start, rotation_weeks(program))
        target = Target(start, end, applying.day, applying.window_start)
    context = Context(profile, rules, today)
    inputs = rule_inputs(program, target, earliest, asked)
    checks = tuple(rule(context, *values) for rule, values in zip(CHECKS, inputs, strict=True))
    return Result(program, verdict_of(checks), target, checks, earliest)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), today=todays)
def test_checker_gives_each_rule_afresh_when_programs_share_some_inputs(
    data: st.DataObject, today: date
) -> None:
    programs, profile, rules = (
        data.draw(catalogs()),
        data.draw(profiles(today)),
        data.draw(timing_rules()),
    )
    checker = Checker(profile, rules, today)
    for program in programs + programs:  # the second time round, everything is looked up
        expected = checked_afresh(program, profile, rules, today)
        assert checker.check(program)._replace(note="") == expected


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    today=todays,
    offset=st.integers(-30, 900),
    whole_month=st.booleans(),
)
def test_checker_gives_each_rule_afresh_at_a_wanted_start(
    data: st.DataObject, today: date, offset: int, whole_month: bool
) -> None:
    programs, profile, rules = (
        data.draw(catalogs()),
        data.draw(profiles(today)),
        data.draw(timing_rules()),
    )
    wanted = today + timedelta(days=offset)
    checker = Checker(profile, rules, today)
    for program in programs:
        checker.check(program)  # what the earliest starts left behind must not leak in
        expected = checked_afresh(program, profile, rules, today, wanted, whole_month)
        assert checker.check(program, wanted, whole_month) == expected  # no note: start asked


def test_checker_tells_requirement_tables_apart_when_programs_come_and_go() -> None:
    # The checker knows requirement tables by identity; a table that is let go must not lend
    # its identity, and so its answers, to the next one made in its place.
    profile = Profile.model_validate(
        {"schema": 1, "stage": "graduate", "graduation": date(2025, 6, 30), "citizenship": "IN"}
    )
    today = date(2026, 11, 25)
    checker = Checker(profile, RULES, today)
    for number in range(200):
        required = (number * 7) % 5 < 2  # no period the reuse of addresses could follow
        program = Program.model_validate(
            {**BASE_PROGRAM, "status": "open", "requires": {"ecfmg_certified": required}}
        )
        found = {check.rule: check.status for check in checker.check(program).checks}
        assert found["ecfmg_certified"] == ("unknown" if required else "met")
