"""``usce plan`` and its changes through the command line (sections 1, 6 and 8)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from typer.testing import Result

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner.app.plan import show_plan
from usce_planner.app.session import Session
from usce_planner.models.plan import RotationStatus, SavedPlan
from usce_planner.plan.report import plan_json
from usce_planner.storage.locations import Locations
from usce_planner.storage.plan_file import load_plan

TODAY = "2026-11-25"
PROFILE = """
schema = 1
stage = "graduate"
graduation = 2025-06-30
citizenship = "IN"
target_match = 2028
english_medium_school = true
step1 = { status = "passed", date = 2024-03-10 }
"""
Run = Callable[..., Result]


@pytest.fixture
def run(invoke: Invoke, isolated_home: Path, write_catalog: WriteFile) -> Run:
    first_monday = {"starts": '"first-monday"', "weeks": "[4, 8]", "max_weeks": "8"}
    catalog = write_catalog(
        "schema = 1\n"
        + program_toml("first-mon", lead_time='{ recommended = "3 months" }', **first_monday)
        + program_toml(
            "mon", starts='"any-monday"', weeks="[4]", hands_on="true", audience='["graduate"]'
        )
        + program_toml("free")
    )
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")

    def go(*args: str, today: str = TODAY) -> Result:
        return invoke([*args, "--today", today, "--only-catalog", "--catalog", str(catalog)])

    return go


@pytest.fixture
def plan_path(isolated_home: Path) -> Path:
    return isolated_home / "plan.toml"


def saved(path: Path) -> SavedPlan:
    plan = load_plan(path)
    assert plan is not None
    return plan


def document(run: Run, *args: str, code: int = 0) -> dict[str, Any]:
    result = run("plan", *args, "--json")
    assert result.exit_code == code, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@pytest.mark.parametrize(
    ("program", "start", "line"),
    [
        ("first-mon", "2027-06-02", "Error: plan: first-mon: start 2027-06-02 is not allowed (first Monday of the month); nearest allowed: 2027-05-03, 2027-06-07"),
        # The latest allowed start before it would be 2026-11-02, before today: left out.
        ("first-mon", "2026-12-02", "Error: plan: first-mon: start 2026-12-02 is not allowed (first Monday of the month); nearest allowed: 2026-12-07"),
        ("mon", "2027-10-06", "Error: plan: mon: start 2027-10-06 is not allowed (a Monday); nearest allowed: 2027-10-04, 2027-10-11"),
    ],
)  # fmt: skip
def test_add_refuses_a_start_the_program_does_not_allow(
    run: Run, plan_path: Path, program: str, start: str, line: str
) -> None:
    result = run("plan", "add", program, "--start", start)
    assert result.exit_code == 1
    assert result.output == line + "\n"
    assert not plan_path.exists()


ADDED = "Added {} ({}, {})"


@pytest.mark.parametrize(
    ("args", "key", "weeks", "status", "messages"),
    [
        (["first-mon", "--start", "2027-06"], "first-mon@2027-06-07", 4, "planned", ["Notice: first-mon: 4 weeks; also offered: 8 (--weeks)"]),
        (["first-mon", "--start", "2027-06-07", "--weeks", "8"], "first-mon@2027-06-07", 8, "planned", []),
        (["free", "--start", "2027-10-06"], "free@2027-10-06", 4, "planned", ["Warning: free: length not stated by the source; 4 weeks used"]),
        (["free", "--start", "2027-10-06", "--weeks", "13"], "free@2027-10-06", 13, "planned", ["Warning: free: length not stated by the source; 13 weeks used"]),
        (["free", "--start", "2027-10-06", "--weeks", "1"], "free@2027-10-06", 1, "planned", ["Warning: free: length not stated by the source; 1 week used"]),
        (["mon", "--start", "2027-10", "--status", "applied", "--on", "2026-11-20"], "mon@2027-10-04", 4, "applied", []),
        # A past start only as completed; its letter-ask (2026-11-22) is late.
        (["mon", "--start", "2026-11-02", "--status", "completed", "--on", "2026-11-20"], "mon@2026-11-02", 4, "completed", []),
    ],
)  # fmt: skip
def test_add_saves_the_rotation_it_names(
    run: Run, plan_path: Path, args: list[str], key: str, weeks: int, status: RotationStatus, messages: list[str]
) -> None:  # fmt: skip
    result = run("plan", "add", *args)
    assert result.exit_code == 0, result.output
    late = int(status == "completed")
    added = ADDED.format(key, f"{weeks} week" + ("s" if weeks != 1 else ""), status)
    assert result.stderr.splitlines() == [*messages, added, f"{late} late item(s) in the plan"]
    (rotation,) = saved(plan_path).rotation
    on = date(2026, 11, 20) if "--on" in args else date(2026, 11, 25)
    assert (rotation.key, rotation.weeks, rotation.status) == (key, weeks, status)
    assert rotation.history == {"planned": on, status: on}


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["first-mon", "--start", "2027-06-07", "--weeks", "6"], "Error: plan: first-mon: --weeks 6 is not offered (offered: 4, 8)"),
        (["mon", "--start", "2026-11-02"], "Error: plan: mon: start 2026-11-02 is in the past; add it with --status completed"),
        (["mon", "--start", "2026-12-07", "--status", "completed"], "Error: plan: mon: a rotation starting 2026-12-07 cannot be completed yet"),
        (["mon", "--start", "2027-10-04", "--on", "2026-11-26"], "Error: plan: --on 2026-11-26 is after today (2026-11-25)"),
        (["nope", "--start", "2027-10-04"], "Error: no program with id 'nope' in the catalog"),
        (["free", "--start", "2027-10-04", "--weeks", "53"], "Error: plan: free: --weeks must be from 1 to 52"),
        (["free", "--start", "2027-10-04", "--weeks", "-3"], "Error: plan: free: --weeks must be from 1 to 52"),
        (["free", "--start", "2027-10-04", "--weeks", "0"], "Error: plan: free: --weeks must be from 1 to 52"),
    ],
)  # fmt: skip
def test_add_refuses_a_wrong_request(run: Run, plan_path: Path, args: list[str], line: str) -> None:
    result = run("plan", "add", *args)
    assert result.exit_code == 1
    assert result.output == line + "\n"
    assert not plan_path.exists()


def test_the_program_cap_counts_live_rotations(run: Run) -> None:
    assert run("plan", "add", "first-mon", "--start", "2027-06-07", "--weeks", "8").exit_code == 0
    result = run("plan", "add", "first-mon", "--start", "2027-09-06")
    assert result.exit_code == 1
    assert result.output == (
        "Error: plan: first-mon: 8 weeks planned there already; 4 more would pass its cap of 8 weeks\n"
    )
    assert run("plan", "status", "first-mon", "withdrawn").exit_code == 0
    assert run("plan", "add", "first-mon", "--start", "2027-09-06").exit_code == 0
    doc = document(run)
    assert [(r["key"], r["status"]) for r in doc["rotations"]] == [
        ("first-mon@2027-06-07", "withdrawn"),
        ("first-mon@2027-09-06", "planned"),
    ]
    assert not [m for m in doc["milestones"] if m["rotation"] == "first-mon@2027-06-07"]


@pytest.mark.parametrize(
    ("moves", "final", "error"),
    [
        (["applied", "waitlisted", "accepted"], "accepted", None),
        (["accepted"], "accepted", None),
        (["applied", "rejected"], "rejected", None),
        (["accepted", "withdrawn"], "withdrawn", None),
        (["accepted", "applied"], "accepted", "mon@2027-10-04 is accepted; status moves forward only (planned, applied, waitlisted, accepted, completed)"),
        (["applied", "applied"], "applied", "mon@2027-10-04 is applied; status moves forward only (planned, applied, waitlisted, accepted, completed)"),
        (["planned"], "planned", "mon@2027-10-04 is planned; status moves forward only (planned, applied, waitlisted, accepted, completed)"),
        (["rejected", "applied"], "rejected", "mon@2027-10-04 is rejected; its status can no longer change"),
        (["withdrawn", "rejected"], "withdrawn", "mon@2027-10-04 is withdrawn; its status can no longer change"),
        (["completed"], "planned", "mon@2027-10-04 starts 2027-10-04; it cannot be completed yet"),
    ],
)  # fmt: skip
def test_status_moves_forward_only(
    run: Run, plan_path: Path, moves: list[str], final: RotationStatus, error: str | None
) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04", "--on", "2026-11-01").exit_code == 0
    results = [run("plan", "status", "mon", move, "--on", "2026-11-20") for move in moves]
    assert [r.exit_code for r in results[:-1]] == [0] * (len(moves) - 1)
    if error is None:
        assert results[-1].exit_code == 0, results[-1].output
        assert results[-1].stderr.endswith(" on 2026-11-20\n0 late item(s) in the plan\n")
    else:
        assert (results[-1].exit_code, results[-1].output) == (1, f"Error: plan: {error}\n")
    reached = date(2026, 11, 1 if final == "planned" else 20)
    rotation = saved(plan_path).rotation[0]
    assert (rotation.status, rotation.history[final]) == (final, reached)


@pytest.mark.parametrize(
    ("today", "code"), [("2026-12-06", 1), ("2026-12-07", 0), ("2027-01-10", 0)]
)
def test_completed_needs_a_start_on_or_before_today(run: Run, today: str, code: int) -> None:
    assert run("plan", "add", "mon", "--start", "2026-12-07").exit_code == 0
    result = run("plan", "status", "mon@2026-12-07", "completed", today=today)
    assert result.exit_code == code, result.output
    if code:
        assert result.output == (
            "Error: plan: mon@2026-12-07 starts 2026-12-07; it cannot be completed yet\n"
        )


def test_done_marks_rotation_and_person_milestones(run: Run, plan_path: Path) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    result = run("plan", "done", "mon@2027-10-04:letters-request", "--on", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Marked mon@2027-10-04:letters-request done on 2026-11-20",
        "0 late item(s) in the plan",
    ]
    assert run("plan", "done", "me:visa").exit_code == 0
    plan = saved(plan_path)
    assert plan.rotation[0].done == {"letters-request": date(2026, 11, 20)}
    assert plan.done == {"me:visa": date(2026, 11, 25)}
    found = {m["id"]: m["done"] for m in document(run)["milestones"]}
    assert found["mon@2027-10-04:letters-request"] == "2026-11-20"
    assert found["me:visa"] == "2026-11-25"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["done", "mon@2027-10-04:nope"], "Error: plan: no milestone 'mon@2027-10-04:nope'; `usce plan` shows the ids"),
        (["done", "me:english"], "Error: plan: no milestone 'me:english'; `usce plan` shows the ids"),
        (["done", "me:visa", "--on", "2026-11-26"], "Error: plan: --on 2026-11-26 is after today (2026-11-25)"),
        (["status", "mon", "applied", "--on", "2026-11-26"], "Error: plan: --on 2026-11-26 is after today (2026-11-25)"),
        (["status", "nope", "applied"], "Error: plan: no rotation 'nope'; keys: mon@2027-10-04"),
        (["remove", "mon@2027-10-11"], "Error: plan: no rotation 'mon@2027-10-11'; keys: mon@2027-10-04"),
    ],
)  # fmt: skip
def test_changes_refuse_unknown_ids_and_future_days(
    run: Run, plan_path: Path, args: list[str], line: str
) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    before = plan_path.read_bytes()
    result = run("plan", *args)
    assert (result.exit_code, result.output) == (1, line + "\n")
    assert plan_path.read_bytes() == before


def test_changes_report_the_late_count_and_plan_exits_3_when_late(run: Run) -> None:
    # Applying 6 months before 2027-01-04 is long past; the insurance (2026-12-05) is not.
    added = run("plan", "add", "mon", "--start", "2027-01-04")
    assert added.exit_code == 0
    late = ["mon@2027-01-04:letters-request", "mon@2027-01-04:documents", "mon@2027-01-04:apply", "mon@2027-01-04:follow-up", "me:visa"]  # fmt: skip
    assert added.stderr.endswith(f"\n{len(late)} late item(s) in the plan\n")
    shown = run("plan", "--no-color")
    assert shown.exit_code == 3
    assert shown.stderr == f"{len(late)} open step(s) LATE; not feasible: mon@2027-01-04\n"
    assert "LATE by" in shown.stdout
    doc = document(run, code=3)
    assert [m["id"] for m in doc["milestones"] if m["late_by_days"] > 0] == late
    assert doc["feasible"] is False
    assert doc["rotations"][0]["earliest_start"] == "2027-07-12"
    removed = run("plan", "remove", "mon@2027-01-04")
    assert removed.exit_code == 0
    assert removed.stderr == "Removed mon@2027-01-04\n0 late item(s) in the plan\n"
    assert run("plan").exit_code == 0


def test_match_milestones_never_cause_exit_3(run: Run) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    doc = document(run, "--match", "2026")
    assert [w["id"] for w in doc["warnings"] if w["kind"] == "match-late"] == [
        "match-2026:usce-end-by",
        "match-2026:step2ck-by",
        "match-2026:eras-submit",
    ]
    assert all(m["late_by_days"] > 0 for m in doc["milestones"] if m["id"].startswith("match-"))


def test_json_has_exactly_the_keys_of_the_contract(run: Run) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    assert run("plan", "add", "free", "--start", "2027-10-18").exit_code == 0
    doc = document(run)
    top = {"today", "feasible", "rotations", "milestones", "conflicts", "warnings", "totals"}
    assert set(doc) == top
    assert (doc["today"], doc["feasible"]) == (TODAY, True)
    assert doc["rotations"][0] == {
        "key": "mon@2027-10-04", "program": "mon", "start": "2027-10-04", "end": "2027-10-31",
        "weeks": 4, "status": "planned", "feasible": True, "earliest_start": None, "notes": "",
        "verdict": "eligible",
    }  # fmt: skip
    visa = next(m for m in doc["milestones"] if m["id"] == "me:visa")
    assert visa == {
        "id": "me:visa", "kind": "visa", "rotation": None, "program": None,
        "title": "Book the US visa interview (B-1/B-2) at your consulate", "date": "2027-06-28",
        "window_start": None, "late_by_days": 0, "done": None,
    }  # fmt: skip
    for milestone in doc["milestones"]:
        assert set(milestone) == set(visa)
    assert doc["conflicts"][0] == {
        "kind": "overlap",
        "ids": ["mon@2027-10-04", "free@2027-10-18"],
        "detail": "mon@2027-10-04 and free@2027-10-18 share days",
    }
    assert all(set(w) == {"kind", "id", "detail"} for w in doc["warnings"])
    assert set(doc["totals"]) == {
        "weeks", "hands_on_weeks", "observation_weeks", "unknown_hands_on_weeks",
        "letters_possible", "letters_discretionary", "letters_unknown", "cost_usd", "cost_parts",
        "not_included",
    }  # fmt: skip
    assert doc["totals"]["cost_parts"] == [{"what": "visa fee", "rotation": None, "usd": 185}]
    assert doc["totals"]["cost_usd"] == 185
    ids = [(m["date"], m["id"]) for m in doc["milestones"]]
    assert ids == sorted(ids)


def test_what_if_is_never_saved(run: Run, plan_path: Path) -> None:
    doc = document(run, "--program", "first-mon", "--start", "2027-06", "--weeks", "8")
    assert [(r["key"], r["weeks"]) for r in doc["rotations"]] == [("first-mon@2027-06-07", 8)]
    assert not plan_path.exists()
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    before = plan_path.read_bytes()
    both = document(run, "--program", "first-mon", "--start", "2027-06-07")
    assert [r["key"] for r in both["rotations"]] == ["first-mon@2027-06-07", "mon@2027-10-04"]
    alone = document(run, "--program", "free", "--start", "2027-12-01", "--alone")
    assert [r["key"] for r in alone["rotations"]] == ["free@2027-12-01"]
    assert plan_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--program", "mon"], 2), (["--alone"], 2), (["--program", "mon", "--start", "2027-10-05"], 1)],
)  # fmt: skip
def test_what_if_options_go_together(run: Run, args: list[str], code: int) -> None:
    assert run("plan", *args).exit_code == code


@pytest.mark.parametrize(
    ("args", "years"),
    [([], {"match-2028"}), (["--no-match"], set()), (["--match", "2030"], {"match-2030"})],
)
def test_match_year_comes_from_the_profile_or_the_options(
    run: Run, args: list[str], years: set[str]
) -> None:
    doc = document(run, *args)
    assert {m["id"].split(":")[0] for m in doc["milestones"]} == years


def check_example(doc: dict[str, Any], today: date) -> None:
    rotations = doc["rotations"]
    assert len(rotations) == 2, today
    starts = [date.fromisoformat(r["start"]) for r in rotations]
    assert starts[0] >= today + relativedelta(months=8), today
    assert starts[1] >= today + relativedelta(months=11), today
    assert all(r["status"] == "planned" and r["feasible"] for r in rotations), today
    assert not [m["id"] for m in doc["milestones"] if m["late_by_days"] and "match-" not in m["id"]]
    eras = next(m["date"] for m in doc["milestones"] if m["kind"] == "eras-submit")
    assert date.fromisoformat(eras) >= today + relativedelta(months=15), today


@pytest.mark.parametrize("today", ["2026-11-25", "2027-02-28", "2028-02-29", "2028-12-31"])
def test_example_exits_0_with_two_observerships(invoke: Invoke, today: str) -> None:
    result = invoke(["plan", "--example", "--today", today, "--json"])
    assert result.exit_code == 0, result.output
    check_example(json.loads(result.stdout), date.fromisoformat(today))


def test_example_is_on_time_on_every_day_of_a_year(tmp_path: Path) -> None:
    locations = Locations(tmp_path / "p.toml", tmp_path / "plan.toml", tmp_path / "c", tmp_path)
    first = date(2028, 1, 1)  # a leap year
    for offset in range(366):
        today = first + timedelta(days=offset)
        report = show_plan(Session(today, locations), example=True)
        assert report.late_count == 0, today
        doc = json.loads(json.dumps(plan_json(report)))
        check_example(doc, today)
        for view in report.schedule.rotations:
            program = view.program
            assert program is not None
            assert (program.kind, program.status) == ("observership", "open"), today
            assert "graduate" in (program.audience or ()), today


def test_undone_takes_a_done_mark_back(run: Run, plan_path: Path) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    assert run("plan", "done", "mon:letters-request", "--on", "2026-11-20").exit_code == 0
    assert run("plan", "done", "me:visa").exit_code == 0
    result = run("plan", "undone", "mon@2027-10-04:letters-request")
    assert (result.exit_code, result.stderr) == (
        0,
        "mon@2027-10-04:letters-request is open again\n0 late item(s) in the plan\n",
    )
    assert run("plan", "undone", "me:visa").exit_code == 0
    plan = saved(plan_path)
    assert (plan.rotation[0].done, plan.done) == ({}, {})


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["undone", "mon:apply"], "Error: plan: mon@2027-10-04:apply is not marked done"),
        (["undone", "me:visa"], "Error: plan: me:visa is not marked done"),
        (["undone", "me:vsa"], "Error: plan: no milestone 'me:vsa'; did you mean me:visa?"),
        (["done", "mon:tb-tst"], "Error: plan: no milestone 'mon:tb-tst'; did you mean mon@2027-10-04:tb-test?"),
        (["status", "mon", "aplied"], "Error: plan: 'aplied' is not a status; did you mean applied, waitlisted or planned?"),
        (["status", "mon", "booked"], "Error: plan: 'booked' is not a status; statuses: planned, applied, waitlisted, accepted, rejected, withdrawn, completed"),
        (["note", "mun", "x"], "Error: plan: no rotation 'mun'; keys: mon@2027-10-04"),
    ],
)  # fmt: skip
def test_undone_and_misspelt_words_say_which_and_suggest(
    run: Run, plan_path: Path, args: list[str], line: str
) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    before = plan_path.read_bytes()
    result = run("plan", *args)
    assert (result.exit_code, result.output) == (1, line + "\n")
    assert plan_path.read_bytes() == before


def test_undone_refuses_a_mark_that_comes_from_the_status(run: Run, plan_path: Path) -> None:
    added = run("plan", "add", "mon", "--start", "2027-10-04", "--status", "applied", "--on", "2026-11-20")
    assert added.exit_code == 0, added.output
    result = run("plan", "undone", "mon:documents")
    assert (result.exit_code, result.output) == (
        1,
        "Error: plan: mon@2027-10-04:documents: done because the rotation is applied; "
        "the status moves forward only (withdrawn or rejected end it)\n",
    )


def test_a_bare_program_id_names_the_rotation_in_a_milestone_id(run: Run, plan_path: Path) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    result = run("plan", "done", "mon:tb-test", "--on", "2026-11-20", today="2027-09-01")
    assert result.exit_code == 1
    assert result.output == (
        "Error: plan: mon@2027-10-04:tb-test: done on 2026-11-20 is before 2027-07-06, "
        "the earliest day it counts\n"
    )
    done = run("plan", "done", "mon:tb-test", "--on", "2027-08-02", today="2027-09-01")
    assert done.stderr.startswith("Marked mon@2027-10-04:tb-test done on 2027-08-02\n")
    assert saved(plan_path).rotation[0].done == {"tb-test": date(2027, 8, 2)}
    assert run("plan", "add", "mon", "--start", "2027-12-06").exit_code == 0
    both = run("plan", "done", "mon:tb-test")
    assert both.output == (
        "Error: plan: 'mon' has several rotations; use one of: mon@2027-10-04, mon@2027-12-06\n"
    )


@pytest.mark.parametrize(
    ("moves", "line"),
    [
        ([("applied", "2026-11-20"), ("accepted", "2026-11-19")], "Error: plan: mon@2027-10-04: accepted on 2026-11-19 is before 2026-11-20, when it became applied"),
        ([("applied", "2026-11-20"), ("withdrawn", "2026-11-10")], "Error: plan: mon@2027-10-04: withdrawn on 2026-11-10 is before 2026-11-20, when it became applied"),
        ([("applied", "2026-10-31")], "Error: plan: mon@2027-10-04: applied on 2026-10-31 is before 2026-11-01, when it became planned"),
    ],
)  # fmt: skip
def test_a_status_date_before_the_last_one_is_refused(
    run: Run, moves: list[tuple[str, str]], line: str
) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04", "--on", "2026-11-01").exit_code == 0
    results = [run("plan", "status", "mon", status, "--on", on) for status, on in moves]
    assert all(r.exit_code == 0 for r in results[:-1])
    assert (results[-1].exit_code, results[-1].output) == (1, line + "\n")


def test_applied_before_the_window_opens_is_refused(
    invoke: Invoke, isolated_home: Path, write_catalog: WriteFile
) -> None:
    window = '[{ opens = "06-01", closes = "06-30", starts_from = "10-01", starts_to = "12-31" }]'
    catalog = write_catalog("schema = 1\n" + program_toml("win", windows=window, weeks="[4]"))
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    common = ["--today", TODAY, "--only-catalog", "--catalog", str(catalog)]
    added = invoke(["plan", "add", "win", "--start", "2027-10-04", "--status", "applied", "--on", "2026-11-20", *common])
    assert (added.exit_code, added.output) == (
        1,
        "Error: plan: win@2027-10-04: applied on 2026-11-20 is before the application window opens on 2027-06-01\n",
    )
    assert invoke(["plan", "add", "win", "--start", "2027-10-04", *common]).exit_code == 0
    moved = invoke(["plan", "status", "win", "applied", *common])
    assert moved.output.startswith(
        "Error: plan: win@2027-10-04: applied on 2026-11-25 is before the application window opens on 2027-06-01"
    )


def test_note_is_saved_shown_under_the_rotation_and_cleared(run: Run, plan_path: Path) -> None:
    assert run("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    result = run("plan", "note", "mon", "ask about housing [early]")
    assert result.stderr == "Noted on mon@2027-10-04\n0 late item(s) in the plan\n"
    assert saved(plan_path).rotation[0].notes == "ask about housing [early]"
    assert document(run)["rotations"][0]["notes"] == "ask about housing [early]"
    shown = run("plan", "--no-color").stdout.splitlines()
    at = shown.index("2027-10-04  Rotation at Example Hospital")
    assert shown[at + 1 : at + 3] == [
        "            until 2027-10-31 · eligible · mon@2027-10-04:rotation",
        "            note: ask about housing [early]",
    ]
    cleared = run("plan", "note", "mon@2027-10-04", "")
    assert cleared.stderr.startswith("Cleared the note of mon@2027-10-04\n")
    assert saved(plan_path).rotation[0].notes == ""


@pytest.mark.parametrize("width", [60, 80, 120])
def test_long_lines_wrap_under_their_text_at_any_width(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = invoke(["plan", "--example", "--today", "2026-12-06", "--no-color"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    timeline = lines[lines.index("Timeline") + 1 : lines.index("Warnings")]
    for line in timeline:
        assert len(line) <= width, line
        assert re.match(r"^(\d{4}-\d{2}-\d{2}  |            )\S", line), line
    totals = next(i for i, line in enumerate(lines) if line.startswith("Totals:"))
    for line in lines[lines.index("Warnings") + 1 : totals] + lines[totals + 3 :]:
        assert re.match(r"^(- |  )\S", line), line
    if width == 80:
        at = timeline.index("2027-01-23  Documents ready for AMOpportunities (AMO) (transcript,")
        assert timeline[at + 1] == "            immunizations, background check)"
        assert timeline[at + 2] == "            amo-graduate-observership@2027-08-06:documents"
        assert "2027-04-30  Book the US visa interview (B-1/B-2) at your consulate" in timeline
        assert "            me:visa (you, for every rotation)" in timeline


def test_cost_lines_name_each_fee_and_what_is_left_out(
    invoke: Invoke, isolated_home: Path, write_catalog: WriteFile
) -> None:
    catalog = write_catalog(
        "schema = 1\n"
        + program_toml("paid", starts='"any-monday"', weeks="[4]", channel='"vslo"', fees='{ application_usd = 100, program_usd = 250, per = "week" }')
        + program_toml("free", fees='{ application_usd = 0 }')
    )  # fmt: skip
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE.replace('"IN"', '"GB"'), encoding="utf-8")
    common = ["--today", TODAY, "--only-catalog", "--catalog", str(catalog)]
    assert invoke(["plan", "add", "paid", "--start", "2027-10-04", *common]).exit_code == 0
    assert invoke(["plan", "add", "free", "--start", "2027-11-08", *common]).exit_code == 0
    shown = invoke(["plan", "--no-color", *common]).stdout.splitlines()
    at = shown.index("Cost: at least $1,155")
    assert shown[at + 1 : at + 4] == [
        "  paid@2027-10-04: application fee $100, program fee $1,000, VSLO fee $15",
        "  free@2027-11-08: application fee $0",
        "  once for the plan: ESTA fee $40",
    ]
    assert shown[at + 4].startswith("  not included: the program fee of free@2027-11-08 (not stated")
    parts = json.loads(invoke(["plan", "--json", *common]).stdout)["totals"]["cost_parts"]
    assert parts[-1] == {"what": "ESTA fee", "rotation": None, "usd": 40}
    assert sum(part["usd"] for part in parts) == 1155


def test_a_month_without_an_allowed_start_names_the_nearest_ones(run: Run) -> None:
    # Seen from 2026-11-25, November's first Monday (the 2nd) has passed: none is left in it.
    result = run("plan", "add", "first-mon", "--start", "2026-11")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: plan: first-mon: no allowed start in 2026-11 (first Monday of the month); "
        "nearest allowed: 2026-12-07"
    )
