"""Earliest starts, the target start, verdicts and the example profile (sections 5, 6, 7)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from usce_planner.eligibility import (
    RULE_ORDER,
    VERDICT_ORDER,
    check_program,
    earliest_start,
    first_start_from,
    verdict_of,
)
from usce_planner.eligibility.checks import Check
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.plan.example import example_profile
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.preparation import Step, is_feasible_start, pre_start_steps
from usce_planner.timing.starts import allowed_starts

D = date.fromisoformat
RULES = shipped_rules()
TODAY = D("2027-01-04")
BASE_PROGRAM: dict[str, Any] = {
    "id": "example-observer", "institution": "Example Hospital", "name": "Observership",
    "kind": "observership", "status": "open", "state": "NY", "starts": "any-day",
    "source": "https://example.org/observe", "source_date": "2025", "verified": D("2026-11-25"),
    "confidence": "high",
}  # fmt: skip
BASE_PROFILE: dict[str, Any] = {
    "schema": 1, "stage": "graduate", "graduation": D("2025-06-30"), "citizenship": "GB"
}  # fmt: skip
WRAPPING = {"opens": "09-01", "closes": "10-01", "starts_from": "12-01", "starts_to": "04-30"}
BOOKED_STEP1 = {"status": "scheduled", "date": D("2027-06-01")}


def program(**fields: Any) -> Program:
    """Return a valid program with these fields added or replaced."""
    return Program.model_validate({**BASE_PROGRAM, **fields})


def profile(**fields: Any) -> Profile:
    """Return a valid profile with these fields added or replaced."""
    return Profile.model_validate({**BASE_PROFILE, **fields})


def test_rule_order_is_the_contracts_when_checks_are_listed() -> None:
    assert RULE_ORDER == (
        "dates", "status", "audience", "student_year", "years_since_graduation", "step1",
        "step2ck", "min_step_score", "ecfmg_certified", "english", "residency_seekers", "visa",
        "citizenship",
    )  # fmt: skip
    assert VERDICT_ORDER == ("eligible", "conditional", "unknown", "ineligible")


@pytest.mark.parametrize(
    ("statuses", "verdict"),
    [
        (["met", "pending", "unknown", "unmet", "not-stated"], "ineligible"),
        (["unmet", "met"], "ineligible"),
        (["met", "pending", "unknown", "not-stated"], "unknown"),
        (["unknown"], "unknown"),
        (["met", "pending", "not-stated"], "conditional"),
        (["met", "not-stated"], "eligible"),
        (["not-stated"] * 13, "eligible"),
        (["met"] * 13, "eligible"),
    ],
)
def test_verdict_follows_the_precedence_when_checks_mix_statuses(
    statuses: list[str], verdict: str
) -> None:
    assert verdict_of(tuple(Check(f"rule{i}", s, "") for i, s in enumerate(statuses))) == verdict


@pytest.mark.parametrize(
    ("fields", "requires", "prof", "verdict", "reason"),
    [
        ({"audience": ["graduate"]}, {}, {}, "eligible", None),
        (
            {"audience": ["graduate"]},
            {"step1": True},
            {"step1": BOOKED_STEP1},
            "conditional",
            "step1",
        ),
        ({}, {}, {}, "unknown", "audience"),
        ({"status": "closed"}, {"step1": True}, {"step1": BOOKED_STEP1}, "ineligible", "status"),
    ],
)
def test_check_program_gives_the_verdict_when_checks_mix_with_not_stated(
    fields: dict[str, Any],
    requires: dict[str, Any],
    prof: dict[str, Any],
    verdict: str,
    reason: str | None,
) -> None:
    result = check_program(program(requires=requires, **fields), profile(**prof), RULES, TODAY)
    assert result.verdict == verdict
    assert len(result.checks) == 13
    assert sum(c.status == "not-stated" for c in result.checks) >= 8
    found = result.first_reason()
    assert (found.rule if found else None) == reason


def test_pre_start_steps_work_back_from_apply_by_when_every_step_applies() -> None:
    prog = program(requires={"step1": True, "english": True}, lead_time={"minimum": "6 weeks"})
    prof = profile(citizenship="IN", step1={"status": "scheduled", "date": D("2027-05-01")})
    assert pre_start_steps(prog, D("2027-12-29"), prof, RULES) == [
        Step("apply", D("2027-06-29")),
        Step("documents", D("2027-06-15")),
        Step("letters-request", D("2027-05-18")),
        Step("insurance", D("2027-11-29")),
        Step("tb-test", D("2027-11-29"), D("2027-09-30")),
        Step("apply-deadline", D("2027-11-17")),
        Step("step1", D("2027-06-01")),
        Step("english", D("2027-05-18")),
        Step("visa", D("2027-09-22"), route="consulate"),
    ]


@pytest.mark.parametrize(
    ("fields", "prof", "expected"),
    [
        # Letters are asked for 42 days before apply-by (6 months before the start).
        ({}, {}, D("2027-08-15")),
        ({"starts": "any-monday"}, {}, D("2027-08-16")),
        ({"starts": "first-monday"}, {}, D("2027-09-06")),
        ({"requires": {"step1": True}}, {}, D("2027-08-15")),
        ({"requires": {"step2ck": True}}, {"step1": BOOKED_STEP1}, D("2027-08-15")),
        ({"requires": {"step1": True}}, {"step1": {"status": "scheduled", "date": D("2026-12-01")}}, D("2027-08-15")),
        # A booked Step's result (test + 28 days) must be in by apply-by.
        ({"requires": {"step1": True}}, {"step1": BOOKED_STEP1}, D("2027-12-29")),
        # The visa interview: the profile's 52 weeks + 2 weeks' processing.
        ({}, {"citizenship": "IN", "visa": {"consulate_wait_weeks": 52}}, D("2028-01-17")),
        ({"lead_time": {"recommended": "2 weeks"}}, {}, D("2027-03-01")),
        ({"lead_time": {"recommended": "2 weeks"}}, {"citizenship": "IN"}, D("2027-04-12")),
        ({"lead_time": {"recommended": "2 weeks"}}, {"citizenship": "CA"}, D("2027-03-01")),
        # Windows: the 2026-10-01 deadline has passed, the 2027-10-01 one serves December.
        ({"windows": [WRAPPING]}, {}, D("2027-12-01")),
        ({"windows": [WRAPPING], "starts": "any-monday"}, {}, D("2027-12-06")),
        ({"starts": [D("2027-05-03"), D("2027-09-06"), D("2028-01-03")]}, {}, D("2027-09-06")),
        ({"starts": [D("2032-01-04")]}, {}, D("2032-01-04")),
    ],
)  # fmt: skip
def test_earliest_start_is_the_first_feasible_allowed_start_when_searching_from_today(
    fields: dict[str, Any], prof: dict[str, Any], expected: date
) -> None:
    prog, person = program(**fields), profile(**prof)
    assert earliest_start(prog, person, RULES, TODAY) == expected
    assert is_feasible_start(prog, expected, person, RULES, TODAY)
    earlier = list(allowed_starts(prog, TODAY, expected - timedelta(days=1)))
    assert all(not is_feasible_start(prog, s, person, RULES, TODAY) for s in earlier)
    if earlier:
        assert not is_feasible_start(prog, earlier[-1], person, RULES, TODAY)
    result = check_program(prog, person, RULES, TODAY)
    assert result.earliest_start == expected
    assert result.target is not None
    assert result.target.start == expected
    assert result.checks[0].status == "met"


@pytest.mark.parametrize(
    ("fields", "prof"),
    [
        ({"starts": [D("2026-06-01"), D("2027-01-03")]}, {}),
        ({"starts": [D("2032-01-05")]}, {}),
        ({"starts": [D("2027-03-01"), D("2027-06-07")]}, {}),
        ({"windows": [{"opens": D("2026-06-01"), "closes": D("2026-06-30"), "starts_from": D("2027-10-01"), "starts_to": D("2027-12-31")}]}, {}),
        ({"starts": [D("2028-01-03")]}, {"citizenship": "IN", "visa": {"consulate_wait_weeks": 104}}),
    ],
)  # fmt: skip
def test_earliest_start_is_none_when_no_allowed_start_within_five_years_is_feasible(
    fields: dict[str, Any], prof: dict[str, Any]
) -> None:
    prog, person = program(**fields), profile(**prof)
    assert earliest_start(prog, person, RULES, TODAY) is None
    result = check_program(prog, person, RULES, TODAY)
    assert (result.earliest_start, result.target, result.verdict) == (None, None, "unknown")
    assert result.checks[0] == Check(
        "dates", "unknown", "no start with every step on time in the next 5 years"
    )


@pytest.mark.parametrize(
    ("fields", "wanted", "whole_month", "expected"),
    [
        ({"starts": "first-monday"}, D("2027-06-08"), False, (D("2027-07-05"), D("2027-08-01"), D("2027-01-05"), None)),
        ({"starts": "first-monday"}, D("2027-06-07"), False, (D("2027-06-07"), D("2027-07-04"), D("2026-12-07"), None)),
        ({"starts": "first-monday"}, D("2027-06-01"), True, (D("2027-06-07"), D("2027-07-04"), D("2026-12-07"), None)),
        ({"starts": [D("2027-06-21"), D("2027-07-05")]}, D("2027-06-01"), True, (D("2027-06-21"), D("2027-07-18"), D("2026-12-21"), None)),
        ({"starts": [D("2027-06-21"), D("2027-07-05")]}, D("2027-07-01"), True, (D("2027-07-05"), D("2027-08-01"), D("2027-01-05"), None)),
        ({"weeks": [2, 4]}, D("2028-02-01"), True, (D("2028-02-01"), D("2028-02-14"), D("2027-08-01"), None)),
        ({"weeks": [2, 4]}, D("2028-08-31"), False, (D("2028-08-31"), D("2028-09-13"), D("2028-02-29"), None)),
        ({"windows": [WRAPPING]}, D("2027-06-01"), False, (D("2027-12-01"), D("2027-12-28"), D("2027-10-01"), D("2027-09-01"))),
        ({"windows": [WRAPPING]}, D("2028-02-01"), True, (D("2028-02-01"), D("2028-02-28"), D("2027-10-01"), D("2027-09-01"))),
    ],
)  # fmt: skip
def test_check_program_targets_the_first_allowed_start_when_a_start_is_wanted(
    fields: dict[str, Any], wanted: date, whole_month: bool, expected: tuple[date, ...]
) -> None:
    prog, person = program(**fields), profile()
    result = check_program(prog, person, RULES, TODAY, wanted, whole_month)
    assert result.target is not None
    target = result.target
    assert (target.start, target.last, target.apply_by, target.window_opens) == expected
    assert result.earliest_start == earliest_start(prog, person, RULES, TODAY)
    assert first_start_from(prog, wanted, TODAY, whole_month) == expected[0]


@pytest.mark.parametrize(
    ("fields", "wanted", "whole_month"),
    [
        ({"starts": [D("2027-07-05")]}, D("2027-06-01"), True),
        ({"starts": [D("2027-07-05")]}, D("2027-07-06"), False),
        ({"windows": [WRAPPING]}, D("2027-06-01"), True),
        ({}, D("2032-01-05"), False),
    ],
)
def test_check_program_has_no_target_when_the_wanted_period_has_no_allowed_start(
    fields: dict[str, Any], wanted: date, whole_month: bool
) -> None:
    prog = program(audience=["graduate"], requires={"step1": True}, **fields)
    result = check_program(prog, profile(), RULES, TODAY, wanted, whole_month)
    assert result.target is None
    assert first_start_from(prog, wanted, TODAY, whole_month) is None
    assert result.verdict == "unknown"
    by_rule = {c.rule: c for c in result.checks}
    assert by_rule["dates"].status == "unknown"
    assert by_rule["step1"] == Check("step1", "unknown", "no known start to check against")
    # A graduate stays one whatever the date, and the visa route needs no date to say "met".
    assert by_rule["audience"].status == "met"
    assert by_rule["visa"].status in ("met", "unknown")


def test_example_profile_stays_valid_when_generated_on_every_day_of_a_year() -> None:
    days = [D("2026-01-01") + timedelta(days=n) for n in range(365)]
    days += [D("2028-02-28"), D("2028-02-29"), D("2028-03-01")]
    for today in days:
        person = example_profile(today)
        assert person.stage == "graduate", today
        assert person.graduation == today - relativedelta(years=1), today
        assert person.graduation < today - timedelta(days=364), today
        assert person.step1 is not None
        assert person.step1.status == "passed", today
        assert person.step1.date == today - relativedelta(years=2), today
        assert person.target_match is not None
        submission = date(person.target_match - 1, 9, 1)
        assert submission >= today + relativedelta(months=15), today
        # The first such Match: a year earlier would be under 15 months away.
        assert date(person.target_match - 2, 9, 1) < today + relativedelta(months=15), today


@pytest.mark.parametrize(
    ("starts", "month", "day"),
    [
        ("first-monday", D("2032-01-01"), D("2032-01-05")),
        ("any-day", D("2034-06-01"), D("2034-06-01")),
    ],
)
def test_check_program_has_no_target_when_the_wanted_month_is_past_the_search_limit(
    starts: str, month: date, day: date
) -> None:
    # The search limit is 2032-01-04: the day form (--start DAY) already answers None past it,
    # the month form (--start YYYY-MM) still finds the same day.
    prog = program(starts=starts)
    assert first_start_from(prog, day, TODAY, False) is None
    assert first_start_from(prog, month, TODAY, True) is None
    assert check_program(prog, profile(), RULES, TODAY, month, True).target is None
