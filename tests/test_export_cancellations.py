"""The calendar follows the plan: [calendar.exported] and cancelled events (product 9)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from tests.calendar_plan import TODAY
from tests.conftest import Invoke
from tests.test_export_ics import events, export, uid_of

Run = Callable[..., Result]
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def minutes(day: str) -> int:
    return (datetime.fromisoformat(day).replace(tzinfo=UTC) - EPOCH) // timedelta(minutes=1)


def recorded(home: Path) -> dict[str, dict[str, object]]:
    document = tomllib.loads((home / "plan.toml").read_text(encoding="utf-8"))
    assert document["schema"] == 1
    exported: dict[str, dict[str, object]] = document.get("calendar", {}).get("exported", {})
    return exported


def test_an_export_of_the_saved_plan_records_every_uid_it_wrote(
    usce: Run, token: str, isolated_home: Path, tmp_path: Path
) -> None:
    found = events(export(usce, tmp_path))
    record = recorded(isolated_home)
    assert set(record) == set(found)
    for uid, event in found.items():
        entry = record[uid]
        assert entry["sequence"] == int(str(event["SEQUENCE"])) == minutes(TODAY)
        assert entry["date"] == event.decoded("DTSTART")
        assert str(event["SUMMARY"]).endswith(str(entry["summary"]))
    text = (isolated_home / "plan.toml").read_text(encoding="utf-8")
    apply = uid_of("mon@2027-03-01:apply", token)
    line = next(line for line in text.splitlines() if line.startswith(f'"{apply}"'))
    assert re.fullmatch(
        rf'"{re.escape(apply)}" = \{{ sequence = {minutes(TODAY)}, date = 2026-12-01, summary = ".+" \}}',
        line,
    ), line
    # Plan changes keep the record.
    assert usce("plan", "status", "mon@2027-03-01", "applied").exit_code == 0
    assert recorded(isolated_home) == record


def test_removed_and_withdrawn_rotations_are_cancelled_in_the_next_export(
    usce: Run, token: str, isolated_home: Path, tmp_path: Path
) -> None:
    first = events(export(usce, tmp_path))
    assert usce("plan", "status", "mon@2027-10-04", "withdrawn").exit_code == 0
    second = events(export(usce, tmp_path))
    assert set(second) == set(first)
    gone = {uid for uid in first if ".2027-10-04." in uid}
    assert gone
    for uid in gone:
        event, before = second[uid], first[uid]
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["SUMMARY"]) == "Cancelled: " + str(before["SUMMARY"]).removeprefix(
            "LATE: "
        )
        assert event.decoded("DTSTART") == before.decoded("DTSTART")
        assert int(str(event["SEQUENCE"])) == int(str(before["SEQUENCE"])) + 1
        assert event.walk("VALARM") == []
    for uid in set(first) - gone:
        assert "STATUS" not in second[uid]
        assert int(str(second[uid]["SEQUENCE"])) == minutes(TODAY) + 1
    # Removing the rotation too changes nothing: its events stay cancelled, at a newer SEQUENCE.
    assert usce("plan", "remove", "mon@2027-10-04").exit_code == 0
    third = events(export(usce, tmp_path))
    assert {u for u, e in third.items() if str(e.get("STATUS")) == "CANCELLED"} == gone
    assert all(int(str(third[u]["SEQUENCE"])) == int(str(second[u]["SEQUENCE"])) + 1 for u in gone)
    assert set(recorded(isolated_home)) == set(first)  # never pruned


def test_sequence_never_goes_backwards_when_today_is_earlier(
    usce: Run, token: str, tmp_path: Path
) -> None:
    later = events(export(usce, tmp_path, today="2026-12-10"))
    earlier = events(export(usce, tmp_path, today=TODAY))
    for uid, event in earlier.items():
        assert int(str(event["SEQUENCE"])) == int(str(later[uid]["SEQUENCE"])) + 1
        assert event.decoded("DTSTAMP") == datetime(2026, 11, 25, tzinfo=UTC)


def test_a_rotation_added_back_supersedes_its_cancellation(
    usce: Run, token: str, tmp_path: Path
) -> None:
    export(usce, tmp_path)
    assert usce("plan", "remove", "mon@2027-10-04").exit_code == 0
    cancelled = events(export(usce, tmp_path))
    assert usce("plan", "add", "mon", "--start", "2027-10-04").exit_code == 0
    back = events(export(usce, tmp_path))
    uid = uid_of("mon@2027-10-04:rotation", token)
    assert str(cancelled[uid]["STATUS"]) == "CANCELLED"
    assert "STATUS" not in back[uid]
    assert int(str(back[uid]["SEQUENCE"])) > int(str(cancelled[uid]["SEQUENCE"]))


def test_a_reminder_no_longer_asked_for_is_cancelled(usce: Run, token: str, tmp_path: Path) -> None:
    with_reminders = events(export(usce, tmp_path, "--reminders"))
    reminders = {uid for uid in with_reminders if uid.endswith(".reminder@usce-planner")}
    assert reminders
    without = events(export(usce, tmp_path))
    assert {u for u, e in without.items() if str(e.get("STATUS")) == "CANCELLED"} == reminders


def test_a_stdout_export_records_too(usce: Run, token: str, isolated_home: Path) -> None:
    result = usce("export", "--format", "ics")
    assert result.exit_code in (0, 3), result.output
    assert set(recorded(isolated_home)) == set(events(result.stdout_bytes))


def test_the_example_and_a_what_if_record_nothing(
    usce: Run, invoke: Invoke, token: str, isolated_home: Path, tmp_path: Path
) -> None:
    before = (isolated_home / "plan.toml").read_bytes()
    export(usce, tmp_path, "--program", "mon", "--start", "2028-03-06")
    out = tmp_path / "example.ics"
    assert invoke(["export", "--example", "--today", TODAY, "-o", str(out)]).exit_code == 0
    assert usce("export", "--format", "md").exit_code in (0, 3)
    assert (isolated_home / "plan.toml").read_bytes() == before


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('{ sequence = -1, date = 2027-03-01, summary = "x" }', "sequence"),
        ('{ sequence = 1, date = "soon", summary = "x" }', "date"),
        ("{ sequence = 1, date = 2027-03-01 }", "summary"),
        ('{ sequence = 1, date = 2027-03-01, summary = "x", extra = 1 }', "extra"),
    ],
)
def test_a_bad_record_is_an_error_naming_it(
    usce: Run, token: str, isolated_home: Path, entry: str, problem: str
) -> None:
    plan = isolated_home / "plan.toml"
    uid = uid_of("mon@2027-03-01:apply", token)
    plan.write_text(
        plan.read_text(encoding="utf-8") + f'\n[calendar.exported]\n"{uid}" = {entry}\n',
        encoding="utf-8",
    )
    before = plan.read_bytes()
    result = usce("export", "--format", "ics")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {plan}")
    assert f"calendar.exported.{uid}.{problem}" in result.stderr
    assert "Traceback" not in result.stderr
    assert plan.read_bytes() == before


def test_a_foreign_uid_in_the_record_is_refused(usce: Run, token: str, isolated_home: Path) -> None:
    plan = isolated_home / "plan.toml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        + '\n[calendar.exported]\n"x@elsewhere" = { sequence = 1, date = 2027-03-01, summary = "x" }\n',
        encoding="utf-8",
    )
    result = usce("export", "--format", "ics")
    assert result.exit_code == 1
    assert "calendar.exported" in result.stderr
