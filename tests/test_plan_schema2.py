"""A plan over schema 2 programs: deposits in the totals, rotations running into no-start months."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from usce_planner.models.catalog import Program
from usce_planner.models.plan import SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.plan.review import Totals, totals, warnings
from usce_planner.plan.schedule import back_schedule
from usce_planner.storage.rules_file import shipped_rules

RULES = shipped_rules()
TODAY = date(2026, 12, 6)
NEVER_COUNTED = ("travel", "housing", "health and liability insurance", "exam fees")
BASE: dict[str, Any] = {
    "institution": "Example Hospital", "name": "Elective", "kind": "elective",
    "status": "open", "state": "NY", "source": "https://example.org/elective",
    "source_date": "2026", "verified": date(2026, 12, 1), "confidence": "high",
    "weeks": [2, 4], "starts": "any-day",
}  # fmt: skip
PERSON = Profile.model_validate(
    {"schema": 1, "stage": "graduate", "graduation": date(2025, 6, 30), "citizenship": "CA"}
)


def plan(start: date, weeks: int, **fields: Any) -> tuple[list[str], Totals]:
    program = Program.model_validate({**BASE, "id": "p", **fields})
    saved = SavedRotation(program="p", start=start, weeks=weeks)
    schedule = back_schedule([saved], {"p": program}, PERSON, RULES, TODAY, {}, None)
    summed = totals(schedule, PERSON, RULES)
    found = warnings(schedule, PERSON, RULES, summed)
    return [f"{f.kind}: {f.detail}" for f in found], summed


FEES = {"application_usd": 100, "program_usd": 1000, "per": "rotation"}


@pytest.mark.parametrize(
    ("fees", "cost", "left_out"),
    [
        ({**FEES, "deposit_usd": 500}, 1100, ("the $500 deposit of p@2027-10-04 (may be refunded)",)),
        ({**FEES, "deposit_usd": 500, "deposit_credited": False}, 1100, ("the $500 deposit of p@2027-10-04 (may be refunded)",)),
        ({**FEES, "deposit_usd": 500, "deposit_credited": True}, 1100, ()),
        (
            {"application_usd": 100, "deposit_usd": 500, "deposit_credited": True},
            600,  # the deposit is the known part of a program fee not stated
            ("the program fee of p@2027-10-04 (not stated by the source)",),
        ),
    ],
)  # fmt: skip
def test_a_deposit_is_named_not_added_unless_it_is_part_of_the_fee(
    fees: dict[str, Any], cost: int, left_out: tuple[str, ...]
) -> None:
    _, summed = plan(date(2027, 10, 4), 4, fees=fees)
    assert (summed.cost_usd, summed.not_included) == (cost, (*left_out, *NEVER_COUNTED))


@pytest.mark.parametrize(
    ("start", "weeks", "expected"),
    [
        (date(2027, 5, 3), 4, []),  # ends 2027-05-30
        (
            date(2027, 5, 24),
            4,
            [
                "runs-into-no-starts: runs into 2027-06, ends 2027-06-20 "
                "(no placements June\N{EN DASH}August, per source)"
            ],
        ),
        (
            date(2027, 7, 5),
            2,
            ["start-not-allowed: the program no longer allows a start on 2027-07-05 "
             "(no placements June\N{EN DASH}August, per source)"],
        ),
    ],
)  # fmt: skip
def test_a_rotation_in_or_into_a_month_without_starts_is_a_warning(
    start: date, weeks: int, expected: list[str]
) -> None:
    # Open to graduates: the plan's own eligibility check adds no warning of its own.
    found, _ = plan(start, weeks, no_starts=["06", "07", "08"], audience=["graduate"])
    assert found == expected
