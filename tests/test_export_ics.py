"""``usce export`` to .ics: golden files and what calendars need (product 9, anchors 4)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, Component
from typer.testing import Result

from tests.calendar_plan import INSTITUTION, PROFILE_FLAGS, TODAY, Run
from tests.conftest import Invoke
from usce_planner.storage.plan_file import load_plan

GOLDEN = Path(__file__).parent / "golden"
PINNED_TOKEN = "0a1b2c3d"
UID_PATTERNS = (  # TOKEN stands for the plan's token
    r"[a-z0-9-]+\.[0-9]+-[0-9]+-[0-9]+\.[a-z0-9-]+\.TOKEN@usce-planner",
    r"me\.[a-z0-9-]+\.TOKEN@usce-planner",
    r"match-[0-9]+\.[a-z0-9-]+\.TOKEN@usce-planner",
)


@pytest.fixture
def saved_plan(usce: Run, isolated_home: Path) -> str:
    """Make a profile and a one-rotation plan (with late steps) by the CLI; return its token."""
    for args in (("profile", "init", *PROFILE_FLAGS), ("plan", "add", "mon", "--start", "2027-03")):
        result = usce(*args)
        assert result.exit_code == 0, result.output
    plan = load_plan(isolated_home / "plan.toml")
    assert plan is not None
    return plan.uid_token


def export(run: Run, tmp_path: Path, *args: str, today: str = TODAY) -> bytes:
    out = tmp_path / f"export-{len(list(tmp_path.glob('export-*')))}.ics"
    result = run("export", "-o", str(out), *args, today=today)
    assert result.exit_code in (0, 3), result.output
    return out.read_bytes()


def plan_json(run: Run, *args: str, today: str = TODAY) -> dict[str, Any]:
    result = run("plan", "--json", *args, today=today)
    assert result.exit_code in (0, 3), result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def events(data: bytes) -> dict[str, Component]:
    """Return the VEVENTs by UID, checking that no UID is used twice in one file."""
    found = Calendar.from_ical(data).walk("VEVENT")
    by_uid = {str(event["UID"]): event for event in found}
    assert len(by_uid) == len(found), "a UID is used twice in one file"
    return by_uid


def uid_of(milestone_id: str, token: str) -> str:
    owner, _, suffix = milestone_id.rpartition(":")
    return f"{owner.replace('@', '.')}.{suffix}.{token}@usce-planner"


def check_golden(name: str, data: bytes, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.exists():
        pytest.fail(f"{path} is missing; run `pytest --update-golden` to write it")
    expected = path.read_bytes()
    hint = f"differs from {path}; if the change is intended, run `pytest --update-golden`"
    assert data.decode().splitlines() == expected.decode().splitlines(), hint
    assert data == expected, hint + " (line ends differ)"


@pytest.fixture
def example_ics(invoke: Invoke, tmp_path: Path) -> bytes:
    out = tmp_path / "example.ics"
    result = invoke(["export", "--example", "--today", TODAY, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.fixture
def saved_plan_ics(usce: Run, saved_plan: str, isolated_home: Path, tmp_path: Path) -> bytes:
    plan = isolated_home / "plan.toml"
    plan.write_text(plan.read_text().replace(saved_plan, PINNED_TOKEN), encoding="utf-8")
    return export(usce, tmp_path)


@pytest.mark.parametrize("which", ["example_ics", "saved_plan_ics"])
def test_golden(which: str, request: pytest.FixtureRequest, update_golden: bool) -> None:
    check_golden(f"export_{which[:-4]}.ics", request.getfixturevalue(which), update_golden)


@pytest.mark.parametrize("which", ["example_ics", "saved_plan_ics"])
def test_calendar_header_and_serialisation(which: str, request: pytest.FixtureRequest) -> None:
    data: bytes = request.getfixturevalue(which)
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).strip()
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]).strip()
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n"):
        assert b"\n" not in line
        assert b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a UTF-8 sequence


@pytest.mark.parametrize("which", ["example", "saved"])
def test_every_milestone_is_one_all_day_event(
    which: str, invoke: Invoke, usce: Run, saved_plan: str, tmp_path: Path
) -> None:
    def example(*args: str, today: str = TODAY) -> Result:
        return invoke([*args, "--example", "--today", today])

    run, token = (example, "example") if which == "example" else (usce, saved_plan)
    document, data = plan_json(run), export(run, tmp_path)
    found = events(data)
    ends = {r["key"]: date.fromisoformat(r["end"]) for r in document["rotations"]}
    assert set(found) == {uid_of(m["id"], token) for m in document["milestones"]}
    for milestone in document["milestones"]:
        event = found[uid_of(milestone["id"], token)]
        day = date.fromisoformat(milestone["date"])
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event["DTEND"].params["VALUE"] == "DATE"
        assert event.decoded("DTSTART") == day
        last = ends[milestone["rotation"]] if milestone["kind"] == "rotation" else day
        assert event.decoded("DTEND") == last + timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT"
        alarms = event.walk("VALARM")
        if milestone["kind"] == "rotation" or milestone["done"]:
            assert alarms == []
            continue
        assert sorted(a.decoded("TRIGGER") for a in alarms) == [-timedelta(7), -timedelta(1)]
        assert [str(a["ACTION"]) for a in alarms] == ["DISPLAY", "DISPLAY"]
        assert all(str(a["DESCRIPTION"]).strip() for a in alarms)
    assert b"TRIGGER:-P7D\r\n" in data
    assert b"TRIGGER:-P1D\r\n" in data


def test_uids_follow_the_pattern_with_the_plan_token(
    saved_plan_ics: bytes, example_ics: bytes
) -> None:
    for data, token in ((saved_plan_ics, PINNED_TOKEN), (example_ics, "example")):
        uids = set(events(data))
        for pattern in UID_PATTERNS:
            matching = {u for u in uids if re.fullmatch(pattern.replace("TOKEN", token), u)}
            assert matching, pattern
            uids -= matching
        assert uids == set()
    assert "mon.2027-03-01.apply.0a1b2c3d@usce-planner" in events(saved_plan_ics)
    assert "match-2028.eras-submit.0a1b2c3d@usce-planner" in events(saved_plan_ics)


def test_uids_stay_the_same_and_sequence_grows_on_a_later_day(
    usce: Run, saved_plan: str, tmp_path: Path
) -> None:
    first, later = export(usce, tmp_path), export(usce, tmp_path, today="2026-12-10")
    assert set(events(first)) == set(events(later))
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    for data, stamp in (
        (first, datetime(2026, 11, 25, tzinfo=UTC)),
        (later, datetime(2026, 12, 10, tzinfo=UTC)),
    ):
        for event in events(data).values():
            assert event.decoded("DTSTAMP") == stamp
            assert int(str(event["SEQUENCE"])) == (stamp - epoch) // timedelta(minutes=1)
    assert int(str(next(iter(events(first).values()))["SEQUENCE"])) == 14148000
    assert b"DTSTAMP:20261125T000000Z\r\n" in first


def test_what_if_tokens(usce: Run, invoke: Invoke, isolated_home: Path, tmp_path: Path) -> None:
    assert usce("profile", "init", *PROFILE_FLAGS).exit_code == 0
    what_if = ("--program", "mon", "--start", "2027-10-04", "--no-match")
    adhoc = set(events(export(usce, tmp_path, *what_if)))
    assert adhoc
    assert all(uid.endswith(".adhoc@usce-planner") for uid in adhoc)
    assert adhoc == set(events(export(usce, tmp_path, *what_if, today="2026-12-01")))
    assert usce("plan", "add", "mon", "--start", "2027-03-01").exit_code == 0
    plan = load_plan(isolated_home / "plan.toml")
    assert plan is not None
    with_plan = set(events(export(usce, tmp_path, *what_if)))
    assert "mon.2027-10-04.apply.adhoc@usce-planner" not in with_plan
    assert f"mon.2027-10-04.apply.{plan.uid_token}@usce-planner" in with_plan
    out = tmp_path / "example-what-if.ics"
    program = ("--program", "cc-florida-observer", "--start", "2028-02", "--alone")
    result = invoke(["export", "--example", *program, "--today", TODAY, "-o", str(out)])
    assert result.exit_code in (0, 3), result.output
    assert all(uid.endswith(".example@usce-planner") for uid in events(out.read_bytes()))


def test_uids_are_stable_without_a_saved_plan(usce: Run, tmp_path: Path) -> None:
    assert usce("profile", "init", *PROFILE_FLAGS).exit_code == 0
    first, second = events(export(usce, tmp_path)), events(export(usce, tmp_path))
    assert first
    assert set(first) == set(second)


def test_reminders_are_plain_events_a_week_before(
    usce: Run, saved_plan: str, tmp_path: Path
) -> None:
    document = plan_json(usce)
    assert not any(uid.endswith(".reminder@usce-planner") for uid in events(export(usce, tmp_path)))
    found = events(export(usce, tmp_path, "--reminders"))
    reminders = {uid: e for uid, e in found.items() if uid.endswith(".reminder@usce-planner")}
    steps = [m for m in document["milestones"] if m["kind"] != "rotation"]
    assert len(reminders) == len(steps)
    assert len(found) == len(document["milestones"]) + len(steps)
    for milestone in steps:
        uid = uid_of(milestone["id"], saved_plan).replace("@", ".reminder@")
        day = date.fromisoformat(milestone["date"]) - timedelta(days=7)
        event = reminders[uid]
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (day, day + timedelta(1))
        assert event.walk("VALARM") == []
        assert str(event["TRANSP"]) == "TRANSPARENT"


def test_summaries_and_descriptions(usce: Run, saved_plan: str, tmp_path: Path) -> None:
    document, found = plan_json(usce), events(export(usce, tmp_path))
    late = [m for m in document["milestones"] if m["late_by_days"] > 0]
    assert {m["kind"] for m in late} >= {"letters-request", "documents"}
    for milestone in document["milestones"]:
        event = found[uid_of(milestone["id"], saved_plan)]
        summary, description = str(event["SUMMARY"]), str(event["DESCRIPTION"])
        # Commas, semicolons and backslashes survive the round trip exactly; the newline, a
        # control character, is shown as the escape \x0a and keeps the summary on one line.
        title = milestone["title"].replace("\n", "\\x0a")
        assert summary == ("LATE: " if milestone["late_by_days"] > 0 else "") + title
        assert re.search(r"https?://\S+", description), description
        if milestone["window_start"]:
            assert f"not before {milestone['window_start']}" in description.lower()
    assert any(INSTITUTION in m["title"] for m in document["milestones"])
    assert "Clínica São Paulo, Inc.; R&D \\ Dept\\x0aof Medicine 東京" in str(
        found[uid_of("mon@2027-03-01:apply", saved_plan)]["SUMMARY"]
    )
    assert any(m["kind"] == "tb-test" and m["window_start"] for m in document["milestones"])


def test_done_steps_are_quiet_when_marked_done(usce: Run, saved_plan: str, tmp_path: Path) -> None:
    found = events(export(usce, tmp_path, "--reminders"))
    uid = uid_of("mon@2027-03-01:apply", saved_plan)
    assert len(found[uid].walk("VALARM")) == 2
    assert uid.replace("@", ".reminder@") in found
    assert usce("plan", "done", "mon@2027-03-01:apply").exit_code == 0
    found = events(export(usce, tmp_path, "--reminders"))
    assert str(found[uid]["SUMMARY"]).startswith("Done: ")
    assert found[uid].walk("VALARM") == []
    # The reminder the earlier export wrote is cancelled, not left to ring.
    reminder = found[uid.replace("@", ".reminder@")]
    assert str(reminder["STATUS"]) == "CANCELLED"
    assert reminder.walk("VALARM") == []


def test_late_match_milestones_are_not_labelled_late(invoke: Invoke, tmp_path: Path) -> None:
    def example(*args: str, today: str = TODAY) -> Result:
        return invoke([*args, "--example", "--match", "2027", "--today", today])

    late = [m for m in plan_json(example)["milestones"] if m["late_by_days"] > 0]
    assert late
    assert all(m["id"].startswith("match-2027:") for m in late)
    out = tmp_path / "match.ics"
    assert example("export", "-o", str(out)).exit_code == 0  # Match dates never make exit 3
    found = events(out.read_bytes())
    for milestone in late:
        event = found[uid_of(milestone["id"], "example")]
        assert str(event["SUMMARY"]) == milestone["title"]
        assert "LATE" not in str(event["DESCRIPTION"])
