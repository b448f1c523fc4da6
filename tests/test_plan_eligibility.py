"""The plan re-checks every rotation, counts letters as they are, shows exams (section 8)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner.models.catalog import Catalog, Program
from usce_planner.models.plan import SavedPlan, SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.plan.report import PlanInputs, PlanReport, build_report, plan_json
from usce_planner.plan.review import Finding
from usce_planner.storage.rules_file import shipped_rules

RULES = shipped_rules()
TODAY = date(2026, 12, 6)
START = date(2027, 10, 4)  # a Monday; 4 weeks end on 2027-10-31; apply by 2027-04-04
KEY = "obs@2027-10-04"
BASE_PROGRAM: dict[str, Any] = {
    "institution": "Example Hospital", "name": "Observership", "kind": "observership",
    "status": "open", "state": "NY", "source": "https://example.org/observe",
    "source_date": "2025", "verified": date(2026, 11, 25), "confidence": "high",
    "weeks": [4], "starts": "any-monday", "audience": ["graduate"],
}  # fmt: skip


def program(program_id: str = "obs", **fields: Any) -> Program:
    return Program.model_validate({**BASE_PROGRAM, "id": program_id, **fields})


def profile(**fields: Any) -> Profile:
    # A Canadian needs no visa: only the visa tests bring a visa step.
    base = {"schema": 1, "stage": "graduate", "graduation": date(2025, 6, 30), "citizenship": "CA"}
    return Profile.model_validate({**base, **fields})


def rotation(program_id: str = "obs", start: date = START, **fields: Any) -> SavedRotation:
    return SavedRotation(program=program_id, start=start, weeks=4, **fields)


def report(
    rotations: list[SavedRotation],
    programs: list[Program],
    person: Profile | None = None,
    today: date = TODAY,
    done: Mapping[str, date] | None = None,
) -> PlanReport:
    catalog = Catalog(programs=tuple(programs))
    plan = SavedPlan(uid_token="adhoc", rotation=tuple(rotations), done=dict(done or {}))
    inputs = PlanInputs(plan, person or profile(), catalog, RULES)
    return build_report(inputs, plan, today, None)


def rotations_of(found: PlanReport) -> list[dict[str, Any]]:
    keys = ("key", "status", "feasible", "earliest_start", "verdict")
    return [{k: r[k] for k in keys} for r in plan_json(found)["rotations"]]


def findings(items: list[Finding], *kinds: str) -> list[tuple[str, tuple[str, ...], str]]:
    return [(f.kind, f.ids, f.detail) for f in items if f.kind in kinds]


def test_a_closed_program_is_an_ineligible_conflict_and_not_feasible() -> None:
    found = report([rotation()], [program(status="closed")])
    assert findings(found.conflicts, "ineligible") == [
        ("ineligible", (KEY,), "status: closed, per source")
    ]
    # Closed at every start: no start to offer.
    assert rotations_of(found) == [
        {"key": KEY, "status": "planned", "feasible": False, "earliest_start": None, "verdict": "ineligible"}
    ]  # fmt: skip
    assert found.exit_reason() == f"not feasible: {KEY}"


def test_an_open_program_is_eligible_and_on_time() -> None:
    found = report([rotation()], [program()])
    assert rotations_of(found) == [
        {"key": KEY, "status": "planned", "feasible": True, "earliest_start": None, "verdict": "eligible"}
    ]  # fmt: skip
    assert (found.conflicts, found.warnings, found.exit_reason()) == ([], [], "")


def test_an_audience_the_user_is_not_in_is_a_conflict_with_the_reason() -> None:
    found = report([rotation()], [program(audience=["physician"])])
    assert findings(found.conflicts, "ineligible") == [
        ("ineligible", (KEY,), "audience: takes physicians; you are a graduate (graduated 2025-06-30)")
    ]  # fmt: skip
    assert not found.feasible


def test_a_student_graduating_during_the_rotation_fits_no_single_audience() -> None:
    person = profile(stage="student", graduation=date(2027, 10, 15))
    found = report([rotation()], [program()], person)
    assert findings(found.conflicts, "ineligible") == [
        ("ineligible", (KEY,), "audience: takes graduates; you graduate on 2027-10-15, during this rotation 2027-10-04\u20132027-10-31")
    ]  # fmt: skip
    # The chosen start at this length: the first Monday from graduation.
    assert rotations_of(found)[0]["earliest_start"] == "2027-10-18"


@pytest.mark.parametrize("status", ["applied", "waitlisted", "accepted"])
def test_an_ineligible_rotation_is_not_feasible_whatever_its_status(status: str) -> None:
    saved = rotation(status=status, history={"planned": TODAY, status: TODAY})
    found = report([saved], [program(status="paused")])
    assert rotations_of(found) == [
        {"key": KEY, "status": status, "feasible": False, "earliest_start": None, "verdict": "ineligible"}
    ]  # fmt: skip


# An Indian citizen books a visa interview 12 + 2 weeks before the start. The rotation of
# 2027-02-15 needs it by 2026-11-23, past on 2026-12-06; its insurance (2027-01-16) is ahead.
VISA_START = date(2027, 2, 15)
VISA_KEY = "obs@2027-02-15"


def test_an_accepted_rotation_with_a_late_visa_is_not_on_time() -> None:
    saved = rotation(
        start=VISA_START, status="accepted", history={"planned": TODAY, "accepted": TODAY}
    )
    found = report([saved], [program()], profile(citizenship="IN"))
    assert rotations_of(found) == [
        {"key": VISA_KEY, "status": "accepted", "feasible": False, "earliest_start": None, "verdict": "eligible"}
    ]  # fmt: skip
    assert [m.id for m in found.schedule.milestones if m.is_late] == ["me:visa"]
    assert found.exit_reason() == f"1 open step(s) LATE; not feasible: {VISA_KEY}"
    # Booked after all: the visa step is done, and the rotation is on time again.
    booked = report([saved], [program()], profile(citizenship="IN"), done={"me:visa": TODAY})
    assert (booked.feasible, booked.exit_reason()) == (True, "")


def test_an_accepted_rotation_with_a_late_insurance_step_is_not_on_time() -> None:
    saved = rotation(start=date(2026, 12, 28), status="accepted", history={"accepted": TODAY})
    found = report([saved], [program()])
    late = [m.kind for m in found.schedule.milestones if m.is_late]
    assert late == ["insurance", "tb-test"]
    assert not found.feasible


def test_a_planned_rotation_whose_start_passed_is_warned_and_not_feasible() -> None:
    start = date(2026, 11, 30)
    found = report([rotation(start=start), rotation(start=date(2026, 12, 7), status="applied", history={"applied": date(2026, 6, 1)})], [program()], today=date(2026, 12, 7))  # fmt: skip
    assert findings(found.warnings, "start-passed") == [
        ("start-passed", ("obs@2026-11-30",), "its start, 2026-11-30, has passed: mark it completed, withdrawn or rejected"),
        ("start-passed", ("obs@2026-12-07",), "its start, 2026-12-07, has passed: mark it completed, withdrawn or rejected"),
    ]  # fmt: skip
    assert [(r["key"], r["feasible"], r["verdict"]) for r in rotations_of(found)] == [
        ("obs@2026-11-30", False, None),
        ("obs@2026-12-07", True, None),
    ]


def test_unknown_and_conditional_rotations_are_warnings() -> None:
    person = profile(step2ck={"status": "scheduled", "date": date(2027, 1, 20)})
    programs = [program("who", audience=None), program("ck", requires={"step2ck": True})]
    found = report([rotation("who"), rotation("ck", date(2027, 11, 1))], programs, person)
    assert findings(found.warnings, "eligibility-unknown", "conditional") == [
        ("eligibility-unknown", ("who@2027-10-04",), "audience: the source does not say whom it takes; you are a graduate (graduated 2025-06-30)"),
        ("conditional", ("ck@2027-11-01",), "if your Step 2 CK on 2027-01-20 passes; result expected 2027-02-17, apply by 2027-05-01"),
    ]  # fmt: skip
    assert found.feasible
    assert [r["verdict"] for r in rotations_of(found)] == ["unknown", "conditional"]


def test_programs_without_letters_get_no_letter_ask_and_letters_are_counted_as_they_are() -> None:
    kinds = {"yes": "a", "no": "b", "discretionary": "c", "unknown": "d", None: "e"}
    programs = [program(pid, letters=letters) for letters, pid in kinds.items()]
    rotations = [rotation(pid, START + timedelta(weeks=4 * n)) for n, pid in enumerate("abcde")]
    found = report(rotations, programs)
    asks = [m.rotation for m in found.schedule.milestones if m.kind == "letter-ask"]
    assert asks == ["a@2027-10-04", "c@2027-11-29", "d@2027-12-27", "e@2028-01-24"]
    totals = plan_json(found)["totals"]
    assert (
        totals["letters_possible"],
        totals["letters_discretionary"],
        totals["letters_unknown"],
    ) == (1, 1, 2)


BOOKED = {"status": "scheduled", "date": date(2027, 1, 20)}


@pytest.mark.parametrize(
    ("step2ck", "today", "expected"),
    [
        # Booked: the exam and its result (28 days later), open, never late.
        (BOOKED, TODAY, [("me:step2ck-exam", "exam", "2027-01-20", 0, None), ("me:step2ck-result", "exam-result", "2027-02-17", 0, None)]),
        (BOOKED, date(2027, 3, 1), [("me:step2ck-exam", "exam", "2027-01-20", 0, None), ("me:step2ck-result", "exam-result", "2027-02-17", 0, None)]),
        # Taken in the last 90 days: done on the test date, the result with it.
        ({"status": "passed", "date": date(2026, 9, 7)}, TODAY, [("me:step2ck-exam", "exam", "2026-09-07", 0, "2026-09-07"), ("me:step2ck-result", "exam-result", "2026-10-05", 0, "2026-10-05")]),
        ({"status": "failed", "date": date(2026, 11, 20)}, TODAY, [("me:step2ck-exam", "exam", "2026-11-20", 0, "2026-11-20"), ("me:step2ck-result", "exam-result", "2026-12-18", 0, "2026-12-06")]),
        # Taken 91 days ago: no longer shown.
        ({"status": "passed", "date": date(2026, 9, 6)}, TODAY, []),
    ],
)  # fmt: skip
def test_booked_and_recent_exams_are_information_never_late(
    step2ck: dict[str, Any], today: date, expected: list[tuple[str, str, str, int, str | None]]
) -> None:
    found = report([], [], profile(step2ck=step2ck), today=today)
    document = plan_json(found)
    got = [
        (m["id"], m["kind"], m["date"], m["late_by_days"], m["done"])
        for m in document["milestones"]
        if m["kind"] in ("exam", "exam-result")
    ]
    assert got == expected
    assert found.exit_reason() == ""


def test_plan_exits_3_and_says_why_for_a_rotation_at_a_closed_program(
    invoke: Invoke, write_catalog: WriteFile, isolated_home: Path
) -> None:
    catalog = write_catalog(
        "schema = 1\n" + program_toml("shut", status='"closed"', audience='["graduate"]', starts='"any-monday"')
    )  # fmt: skip
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(
        'schema = 1\nstage = "graduate"\ngraduation = 2025-06-30\ncitizenship = "CA"\n',
        encoding="utf-8",
    )
    common = ["--today", "2026-12-06", "--only-catalog", "--catalog", str(catalog), "--no-color"]
    added = invoke(["plan", "add", "shut", "--start", "2027-10-04", *common])
    assert added.exit_code == 0, added.output
    assert (
        "Notice: shut: ineligible at this start (status: closed, per source); added anyway, "
        "and `usce plan` shows it as a conflict; see `usce eligible --explain shut --start 2027-10-04`"
    ) in added.stderr
    shown = invoke(["plan", *common])
    assert shown.exit_code == 3
    assert shown.stderr == "not feasible: shut@2027-10-04\n"
    assert "- ineligible (shut@2027-10-04): status: closed, per source" in shown.stdout
    assert "until 2027-10-31 · ineligible · shut@2027-10-04" in shown.stdout
    assert "on time? yes" not in shown.stdout


@pytest.mark.parametrize(
    ("letters", "line"),
    [
        ([None, "unknown"], "Letters possible: 0 yes, 2 unknown"),
        (["yes", "discretionary"], "Letters possible: 1 yes, 1 at the program's discretion"),
        (["no", "yes"], "Letters possible: 1 yes"),
    ],
)
def test_totals_never_say_0_letters_when_the_rest_are_unknown(
    letters: list[str | None], line: str
) -> None:
    from rich.console import Console

    from usce_planner.cli.render.plan import totals_text

    programs = [program(f"p{n}", letters=value) for n, value in enumerate(letters)]
    rotations = [rotation(f"p{n}", START + timedelta(weeks=4 * n)) for n in range(len(letters))]
    console = Console(width=200, no_color=True, record=True, file=io.StringIO())
    console.print(totals_text(report(rotations, programs)))
    assert console.export_text().splitlines()[1] == line
