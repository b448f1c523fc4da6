"""Fuzzing the core: any valid profile, program, plan and day, and nothing crashes.

Programs use every catalog key with values anywhere the schema allows (leads up to 9999 units,
windows on 02-29, fixed start lists, fees per week or month); profiles and days span a century.
The scheduler keeps its invariants: unique milestone ids, sorted by date then id.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from typing import Any, get_args

from hypothesis import given, settings
from hypothesis import strategies as st

from usce_planner.eligibility import RULE_ORDER, check_program
from usce_planner.export.html import to_html
from usce_planner.export.ics import CalendarOptions, calendar_items, to_ics
from usce_planner.export.tables import to_csv, to_markdown
from usce_planner.models.base import STEP1_PASS_FAIL_FROM, VisaCode
from usce_planner.models.catalog import Catalog, Program
from usce_planner.models.plan import RotationStatus, SavedPlan, SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.plan.report import PlanInputs, build_report, plan_json
from usce_planner.plan.schedule import back_schedule
from usce_planner.storage.rules_file import shipped_rules

RULES = shipped_rules()
# USCE_FUZZ_SCALE=20 runs twenty times the examples, for a deeper search by hand.
SCALE = int(os.environ.get("USCE_FUZZ_SCALE", "1"))
EARLY, LATE = date(1990, 1, 1), date(2100, 12, 31)
days = st.dates(EARLY, LATE)
todays = st.dates(date(2000, 1, 1), date(2095, 12, 31))
countries = st.sampled_from(
    ["IN", "GB", "CA", "BM", "IR", "SY", "NG", "PK", "JP", "US", "DE", "AU"]
)
month_days = st.sampled_from(
    ["01-01", "02-28", "02-29", "03-31", "06-30", "09-15", "12-01", "12-31"]
)
durations = st.builds(
    "{} {}".format,
    st.integers(1, 9999),
    st.sampled_from(["d", "days", "w", "weeks", "m", "months"]),
)
STATUSES: tuple[RotationStatus, ...] = get_args(RotationStatus)


def some(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def subsets(*choices: str) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(choices), min_size=1, max_size=len(choices), unique=True)


@st.composite
def windows(draw: st.DrawFn) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            found.append(
                {k: draw(month_days) for k in ("opens", "closes", "starts_from", "starts_to")}
            )
        else:
            opens = draw(days)
            closes = opens + timedelta(days=draw(st.integers(0, 400)))
            first = closes + timedelta(days=draw(st.integers(1, 400)))
            last = first + timedelta(days=draw(st.integers(0, 400)))
            found.append(
                {"opens": opens, "closes": closes, "starts_from": first, "starts_to": last}
            )
    return found


@st.composite
def programs(draw: st.DrawFn, program_id: str = "fuzzed") -> Program:
    weeks = draw(some(st.lists(st.integers(1, 52), min_size=1, max_size=4, unique=True)))
    fee_unit = draw(st.sampled_from(["rotation", "week", "month", "flat"]))
    fields = {
        "id": program_id, "institution": "Hospital", "name": "Observership",
        "kind": draw(st.sampled_from(["elective", "observership", "externship", "research", "pre-residency"])),
        "status": draw(st.sampled_from(["open", "partner-only", "paused", "closed", "unknown"])),
        "state": "NY", "source": "https://example.org/x",
        "source_date": draw(st.sampled_from(["2025", "2024-02", "2023-02-28", "2022/23", "undated", "1999"])),
        "verified": draw(days), "confidence": "low",
        "audience": draw(some(subsets("student", "graduate", "physician"))),
        "hands_on": draw(some(st.booleans())),
        "channel": draw(some(st.sampled_from(["vslo", "own-portal", "email", "broker", "faculty-sponsor"]))),
        "weeks": weeks,
        "max_weeks": draw(some(st.integers(max(weeks or [1]), 520))),
        "starts": draw(some(st.sampled_from(["any-day", "any-monday", "first-monday"]) | st.lists(days, min_size=1, max_size=5))),
        "lead_time": draw(some(st.fixed_dictionaries({}, optional={"recommended": durations, "minimum": durations}))),
        "windows": draw(some(windows())),
        "decision_weeks": draw(some(st.integers(1, 104))),
        "letters": draw(some(st.sampled_from(["yes", "no", "discretionary", "unknown"]))),
        "fees": draw(some(st.fixed_dictionaries({"per": st.just(fee_unit)}, optional={"application_usd": st.integers(0, 10**6), "program_usd": st.integers(0, 10**6)}))),
        "requires": draw(st.fixed_dictionaries({}, optional={
            "student_year": st.sampled_from(["final", "final-or-penultimate", "not-final", "any"]),
            "max_years_since_graduation": st.integers(0, 60), "step1": st.booleans(),
            "step2ck": st.booleans(), "min_step_score": st.integers(1, 300),
            "ecfmg_certified": st.booleans(), "english": st.booleans(),
            "toefl_ibt_min": st.integers(0, 120), "ielts_min": st.sampled_from([0.0, 5.5, 7.0, 9.0]),
            "english_tests": subsets("toefl", "ielts", "oet"),
            "english_waiver_if_english_medium": st.booleans(),
            "excludes_residency_seekers": st.booleans(),
            "visas": subsets(*get_args(VisaCode)),
            "excluded_citizenships": st.lists(countries.filter(lambda c: c != "US"), min_size=1, max_size=3, unique=True),
        })),
    }  # fmt: skip
    return Program.model_validate({k: v for k, v in fields.items() if v is not None})


@st.composite
def exams(draw: st.DrawFn, name: str, today: date) -> dict[str, Any] | None:
    status = draw(st.sampled_from([None, "not-taken", "scheduled", "passed", "failed"]))
    if status is None:
        return None
    day = draw(st.dates(EARLY, today if status == "passed" else LATE))
    record: dict[str, Any] = {"status": status, "date": day}
    if name == "step2ck" or day < STEP1_PASS_FAIL_FROM:
        record["score"] = draw(some(st.integers(1, 300)))
    return {k: v for k, v in record.items() if v is not None}


@st.composite
def profiles(draw: st.DrawFn, today: date) -> Profile:
    graduation = draw(days)
    fields = {
        "schema": 1, "stage": draw(st.sampled_from(["student", "graduate", "physician"])),
        "graduation": graduation,
        "final_year_from": draw(some(st.integers(1, 3000).map(lambda n: graduation - timedelta(days=n)))),
        "citizenship": draw(countries | st.lists(countries, min_size=2, max_size=3, unique=True)),
        "us_status": draw(st.sampled_from(["none", "citizen", "permanent-resident"])),
        "seeking_residency": draw(some(st.booleans())), "target_match": draw(some(st.integers(2000, 2100))),
        "english_medium_school": draw(some(st.booleans())), "ecfmg_certified": draw(some(st.booleans())),
        "budget_usd": draw(some(st.integers(0, 10**7))),
        "step1": draw(exams("step1", today)), "step2ck": draw(exams("step2ck", today)),
        "english": draw(some(st.fixed_dictionaries({}, optional={"toefl_ibt": st.integers(0, 120), "ielts": st.sampled_from([0.0, 6.5, 9.0]), "oet": st.booleans(), "tested": days}))),
        "visa": draw(some(st.fixed_dictionaries({}, optional={"holds": st.sampled_from(["none", *get_args(VisaCode)]), "consulate_wait_weeks": st.integers(0, 104)}))),
    }  # fmt: skip
    return Profile.model_validate({k: v for k, v in fields.items() if v is not None})


@settings(max_examples=100 * SCALE, deadline=None)
@given(data=st.data(), today=todays, offset=st.integers(-800, 3000), whole_month=st.booleans())
def test_eligibility_never_crashes(
    data: st.DataObject, today: date, offset: int, whole_month: bool
) -> None:
    program, person = data.draw(programs()), data.draw(profiles(today))
    wanted = data.draw(st.none() | st.just(today + timedelta(days=offset)))
    result = check_program(program, person, RULES, today, wanted, whole_month)
    assert tuple(check.rule for check in result.checks) == RULE_ORDER
    assert result.verdict in ("eligible", "conditional", "unknown", "ineligible")
    assert all(check.detail for check in result.checks)


@st.composite
def plans(draw: st.DrawFn) -> tuple[PlanInputs, SavedPlan, date, int | None]:
    today = draw(todays)
    catalog = tuple(draw(programs(f"p{n}")) for n in range(draw(st.integers(1, 3))))
    ids = [p.id for p in catalog] + ["left-the-catalog"]
    rotations: dict[str, SavedRotation] = {}
    for _ in range(draw(st.integers(0, 6))):
        status = draw(st.sampled_from(STATUSES))
        history = {
            s: draw(st.dates(EARLY, today)) for s in draw(st.sets(st.sampled_from(STATUSES)))
        }
        done = {
            s: draw(st.dates(EARLY, today))
            for s in draw(
                st.sets(
                    st.sampled_from(["apply", "documents", "letter-ask", "tb-test", "nonsense"])
                )
            )
        }
        rotation = SavedRotation(
            program=draw(st.sampled_from(ids)), start=today + timedelta(days=draw(st.integers(-2000, 2000))),
            weeks=draw(st.integers(1, 52)), status=status, history=history, done=done, notes="n",
        )  # fmt: skip
        rotations[rotation.key] = rotation
    person_done = draw(st.dictionaries(st.sampled_from(["me:visa", "me:step1", "me:english", "match-2030:eras-submit"]), st.dates(EARLY, today)))  # fmt: skip
    plan = SavedPlan(uid_token="3f9c2a71", done=person_done, rotation=tuple(rotations.values()))
    inputs = PlanInputs(plan, draw(profiles(today)), Catalog(catalog), RULES)
    return inputs, plan, today, draw(some(st.integers(2000, 2100)))


@settings(max_examples=80 * SCALE, deadline=None)
@given(plans())
def test_scheduler_and_report_never_crash_and_keep_their_invariants(
    case: tuple[PlanInputs, SavedPlan, date, int | None],
) -> None:
    inputs, plan, today, match = case
    programs_by_id = {p.id: p for p in inputs.catalog.programs}
    schedule = back_schedule(
        plan.rotation, programs_by_id, inputs.profile, RULES, today, plan.done, match
    )
    ids = [m.id for m in schedule.milestones]
    assert len(ids) == len(set(ids))
    assert [(m.day, m.id) for m in schedule.milestones] == sorted((m.day, m.id) for m in schedule.milestones)  # fmt: skip
    report = build_report(inputs, plan, today, match)
    document = plan_json(report)
    assert [m["id"] for m in document["milestones"]] == ids
    assert [(r["start"], r["key"]) for r in document["rotations"]] == sorted((r["start"], r["key"]) for r in document["rotations"])  # fmt: skip
    assert all(m["late_by_days"] >= 0 for m in document["milestones"])
    json.dumps(document)


@settings(max_examples=15 * SCALE, deadline=None)
@given(plans())
def test_every_export_of_an_arbitrary_plan_renders(
    case: tuple[PlanInputs, SavedPlan, date, int | None],
) -> None:
    inputs, plan, today, match = case
    report = build_report(inputs, plan, today, match)
    programs_by_id = {p.id: p for p in inputs.catalog.programs}
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    for todos in (False, True):
        options = CalendarOptions("3f9c2a71", stamp, reminders=True, todos=todos)
        to_ics(calendar_items(report.schedule.milestones, programs_by_id, RULES, options))
    to_csv(plan_json(report))
    to_markdown(report)
    to_html(report)
