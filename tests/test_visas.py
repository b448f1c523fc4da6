"""The visa route: exempt, a held visa, ESTA or a consulate interview (contract sections 4, 7)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import BASE_PROFILE, BASE_PROGRAM
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.visas import consulate_lead_days, held_visa, may_use_esta, visa_route

RULES = shipped_rules()
START = date(2027, 10, 4)


def program(visas: list[str] | None = None) -> Program:
    """Return a program that accepts these visas (None: the source states no list)."""
    requires = {} if visas is None else {"visas": visas}
    return Program.model_validate({**BASE_PROGRAM, "requires": requires})


def profile(**fields: Any) -> Profile:
    """Return a valid profile with these fields added or replaced."""
    return Profile.model_validate({**BASE_PROFILE, **fields})


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"us_status": "citizen"}, "no visa needed (US citizen)"),
        ({"us_status": "permanent-resident"}, "no visa needed (US permanent resident)"),
        ({"citizenship": "CA"}, "no visa needed (citizen of CA)"),
        ({"citizenship": "BM"}, "no visa needed (citizen of BM)"),
        ({"citizenship": ["IN", "CA"]}, "no visa needed (citizen of CA)"),
        ({"citizenship": "CA", "visa": {"holds": "f1"}}, "no visa needed (citizen of CA)"),
    ],
)
@pytest.mark.parametrize("visas", [None, ["j1"], ["esta"]])
def test_visa_route_is_exempt_when_user_needs_no_visa_to_visit(
    fields: dict[str, Any], detail: str, visas: list[str] | None
) -> None:
    route = visa_route(profile(**fields), program(visas), START, RULES)
    assert (route.route, route.detail, route.act_by) == ("exempt", detail, None)
    assert route.needs_action is False


@pytest.mark.parametrize(
    ("held", "visas", "detail"),
    [
        ("b1-b2", ["b1"], "you hold b1-b2; the program accepts b1"),
        ("b1-b2", ["b2"], "you hold b1-b2; the program accepts b2"),
        ("b1", ["b1-b2"], "you hold b1; the program accepts b1-b2"),
        ("b2", ["b1-b2", "j1"], "you hold b2; the program accepts b1-b2, j1"),
        ("b1", ["b1"], "you hold b1; the program accepts b1"),
        ("j1", ["j1", "h1b"], "you hold j1; the program accepts j1, h1b"),
        ("b1-b2", None, "you hold b1-b2; the program states no list"),
        ("b2", None, "you hold b2; the program states no list"),
    ],
)
def test_visa_route_uses_the_held_visa_when_program_accepts_it(
    held: str, visas: list[str] | None, detail: str
) -> None:
    route = visa_route(profile(visa={"holds": held}), program(visas), START, RULES)
    assert (route.route, route.detail, route.act_by) == ("held", detail, None)
    assert route.needs_action is False


@pytest.mark.parametrize(
    ("citizenship", "visas"),
    [
        ("GB", ["esta"]),
        ("GB", ["b1", "esta"]),
        ("GB", None),
        ("DE", ["esta", "j1"]),
        (["IN", "JP"], ["esta"]),
    ],
)
def test_visa_route_plans_esta_when_waiver_citizen_and_program_takes_esta(
    citizenship: Any, visas: list[str] | None
) -> None:
    route = visa_route(profile(citizenship=citizenship), program(visas), START, RULES)
    assert route.route == "esta"
    assert route.act_by == date(2027, 9, 20)
    assert route.detail == "apply for ESTA by 2027-09-20"
    assert route.needs_action is True


@pytest.mark.parametrize(
    ("citizenship", "expected"),
    [
        ("GB", True),
        (["GB", "IN"], True),
        ("IN", False),
        (["GB", "IR"], False),
        (["FR", "IQ"], False),
        (["DE", "SD"], False),
        (["JP", "SY"], False),
        ("CA", False),
    ],
)
def test_may_use_esta_bars_dual_citizens_when_they_hold_a_barred_citizenship(
    citizenship: Any, expected: bool
) -> None:
    assert may_use_esta(profile(citizenship=citizenship), RULES) is expected


@pytest.mark.parametrize(
    ("fields", "visas", "act_by"),
    [
        # Default wait 12 weeks plus 2 weeks' processing: 14 weeks before the start.
        ({}, None, date(2027, 6, 28)),
        ({}, ["b1", "esta"], date(2027, 6, 28)),
        ({"visa": {"holds": "none"}}, ["b1-b2"], date(2027, 6, 28)),
        # The profile's own wait overrides the default.
        ({"visa": {"holds": "none", "consulate_wait_weeks": 20}}, ["b2"], date(2027, 5, 3)),
        ({"visa": {"consulate_wait_weeks": 0}}, None, date(2027, 9, 20)),
        # Barred dual citizen: ESTA is closed, the interview route is not.
        ({"citizenship": ["GB", "IR"]}, ["esta", "b1"], date(2027, 6, 28)),
        # A waiver citizen at a program that does not take ESTA.
        ({"citizenship": "GB"}, ["b1"], date(2027, 6, 28)),
        # A held visa the program does not take, where a visitor visa can still be had.
        ({"visa": {"holds": "f1"}}, None, date(2027, 6, 28)),
        ({"visa": {"holds": "b1"}}, ["b2"], date(2027, 6, 28)),
    ],
)
def test_visa_route_books_an_interview_when_esta_is_not_the_route(
    fields: dict[str, Any], visas: list[str] | None, act_by: date
) -> None:
    route = visa_route(profile(**fields), program(visas), START, RULES)
    assert route.route == "consulate"
    assert route.act_by == act_by
    assert route.detail == f"book the visa interview by {act_by.isoformat()}"
    assert route.needs_action is True


@pytest.mark.parametrize(
    ("fields", "visas", "detail"),
    [
        ({}, ["esta"], "the program accepts esta; ESTA is not open to citizens of IN"),
        (
            {"citizenship": ["GB", "IR"]},
            ["esta"],
            "the program accepts esta; ESTA is not open to citizens of GB, IR",
        ),
        ({}, ["j1"], "the program accepts j1; you hold no visa"),
        ({"visa": {"holds": "b1-b2"}}, ["j1"], "the program accepts j1; you hold b1-b2"),
        ({"visa": {"holds": "f1"}}, ["j1", "h1b"], "the program accepts j1, h1b; you hold f1"),
    ],
)
def test_visa_route_is_impossible_when_no_accepted_visa_can_be_had(
    fields: dict[str, Any], visas: list[str], detail: str
) -> None:
    route = visa_route(profile(**fields), program(visas), START, RULES)
    assert (route.route, route.detail, route.act_by) == ("impossible", detail, None)
    assert route.needs_action is False


@pytest.mark.parametrize(
    ("visa", "expected"),
    [
        (None, 98),
        ({"holds": "none"}, 98),
        ({"consulate_wait_weeks": 20}, 154),
        ({"consulate_wait_weeks": 0}, 14),
    ],
)
def test_consulate_lead_days_adds_processing_to_the_wait_when_profile_sets_it_or_not(
    visa: dict[str, Any] | None, expected: int
) -> None:
    fields = {} if visa is None else {"visa": visa}
    assert consulate_lead_days(profile(**fields), RULES) == expected


@pytest.mark.parametrize(
    ("visa", "expected"), [(None, "none"), ({"holds": "j1"}, "j1"), ({}, "none")]
)
def test_held_visa_defaults_to_none_when_profile_has_no_visa_table(
    visa: dict[str, Any] | None, expected: str
) -> None:
    fields = {} if visa is None else {"visa": visa}
    assert held_visa(profile(**fields)) == expected
