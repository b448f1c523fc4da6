"""``usce export --vdir DIR`` and ``--as todos`` (product 9): one file per UID, kept in step."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Component
from typer.testing import Result

from tests.calendar_plan import TODAY
from tests.test_export_ics import events, export, plan_json, uid_of

Run = Callable[..., Result]
LATER = "2026-11-26"


@pytest.fixture
def vdir(tmp_path: Path) -> Path:
    folder = tmp_path / "calendars" / "usce"
    folder.mkdir(parents=True)
    return folder


def to_vdir(usce: Run, folder: Path, *args: str, today: str = TODAY) -> Result:
    result = usce("export", "--vdir", str(folder), *args, today=today)
    assert result.exit_code in (0, 3), result.output
    assert result.stdout == ""
    return result


def components(folder: Path) -> dict[str, Component]:
    """Return each file's one component by UID, checking the file name and the calendar."""
    found = {}
    for path in sorted(folder.glob("*.ics")):
        calendar = Calendar.from_ical(path.read_bytes())
        assert "METHOD" not in calendar  # CalDAV resources carry no METHOD (RFC 4791)
        assert str(calendar["VERSION"]) == "2.0"
        (component,) = calendar.subcomponents
        uid = str(component["UID"])
        assert path.name == uid.replace("@", "_") + ".ics"
        found[uid] = component
    return found


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_one_file_per_uid_holding_exactly_what_the_ics_holds(
    usce: Run, token: str, vdir: Path, tmp_path: Path
) -> None:
    result = to_vdir(usce, vdir, "--reminders")
    found = components(vdir)
    in_file = events(export(usce, tmp_path, "--reminders"))
    assert set(found) == set(in_file)
    assert result.stderr.splitlines()[-2].startswith(f"Wrote {len(found)} file(s) in {vdir}")
    for uid, component in found.items():
        assert component.name == "VEVENT"
        for key in ("SUMMARY", "DTSTART", "DTEND", "DESCRIPTION", "TRANSP"):
            assert component[key].to_ical() == in_file[uid][key].to_ical()
    assert not [p for p in vdir.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_unchanged_files_keep_their_bytes_and_time_and_changed_ones_supersede(
    usce: Run, token: str, vdir: Path
) -> None:
    to_vdir(usce, vdir)
    for path in vdir.iterdir():
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = snapshot(vdir)
    # A day later only the clock moved: the late steps say "LATE by" one day more, and no
    # other file is touched.
    result = to_vdir(usce, vdir, today=LATER)
    moved = {name for name, value in snapshot(vdir).items() if before[name] != value}
    late = {name for name in before if b"LATE" in before[name][0]}
    assert late
    assert moved == late
    assert f"left {len(before) - len(late)} unchanged, deleted 0" in result.stderr
    before = snapshot(vdir)
    # An export dated earlier than the files still raises SEQUENCE on what it changes.
    assert usce("plan", "done", "mon@2027-03-01:documents", today=LATER).exit_code == 0
    to_vdir(usce, vdir, today=TODAY)
    after = snapshot(vdir)
    assert after.keys() == before.keys()
    documents = uid_of("mon@2027-03-01:documents", token).replace("@", "_") + ".ics"
    changed = {name for name in before if before[name] != after[name]}
    assert documents in changed
    assert changed < set(before)
    for name in changed:
        (old,) = Calendar.from_ical(before[name][0]).subcomponents
        (new,) = Calendar.from_ical(after[name][0]).subcomponents
        assert int(str(new["SEQUENCE"])) == int(str(old["SEQUENCE"])) + 1
    assert str(components(vdir)[uid_of("mon@2027-03-01:documents", token)]["SUMMARY"]).startswith(
        "Done: "
    )


def test_files_of_a_removed_rotation_are_deleted_and_no_other_file_is_touched(
    usce: Run, token: str, vdir: Path
) -> None:
    to_vdir(usce, vdir, "--reminders")
    others = {
        "someone-else.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "mon.2027-03-01.apply.0a1b2c3d_usce-planner.ics": b"another plan's file\r\n",
        "notes.txt": b"mine\n",
        ".hidden": b"x",
    }
    for name, data in others.items():
        (vdir / name).write_bytes(data)
        os.utime(vdir / name, ns=(2_000_000_000, 2_000_000_000))
    kept = {name: value for name, value in snapshot(vdir).items() if name in others}
    assert usce("plan", "remove", "mon@2027-10-04").exit_code == 0
    result = to_vdir(usce, vdir)  # reminders no longer asked for either
    found = components_of_plan(vdir, token)
    expected = {uid_of(m["id"], token) for m in plan_json(usce)["milestones"]}
    assert set(found) == expected
    assert not any(".2027-10-04." in uid or ".reminder@" in uid for uid in found)
    assert {name: value for name, value in snapshot(vdir).items() if name in others} == kept
    assert "deleted 0" not in result.stderr


def components_of_plan(folder: Path, token: str) -> set[str]:
    names = [p.name for p in folder.glob(f"*{token}*_usce-planner.ics")]
    return {name.removesuffix(".ics").replace("_usce-planner", "@usce-planner") for name in names}


def test_a_hand_edited_file_is_overwritten_only_when_its_uid_is_this_plans(
    usce: Run, token: str, vdir: Path
) -> None:
    to_vdir(usce, vdir)
    apply = vdir / (uid_of("mon@2027-03-01:apply", token).replace("@", "_") + ".ics")
    edited = apply.read_bytes().replace(b"SUMMARY:", b"SUMMARY:My note - ")
    apply.write_bytes(edited)
    to_vdir(usce, vdir)
    assert b"My note" not in apply.read_bytes()
    stranger = apply.read_bytes().replace(f".{token}@".encode(), b".ffffffff@")
    apply.write_bytes(stranger)
    before = snapshot(vdir)
    assert usce("plan", "remove", "mon@2027-10-04").exit_code == 0
    result = usce("export", "--vdir", str(vdir))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {apply}: holds UID 'mon.2027-03-01.apply.ffffffff@usce-planner', not one of "
        "this plan's; usce leaves it alone: move it out of the folder and export again\n"
    )
    assert snapshot(vdir) == before  # nothing written, nothing deleted


@pytest.mark.parametrize("case", ["missing", "file", "read-only"])
def test_a_folder_that_cannot_be_a_vdir_is_refused(
    usce: Run, token: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    target = tmp_path / "cal"
    if case == "file":
        target.write_bytes(b"a file\n")
    elif case == "read-only":
        target.mkdir()
        target.chmod(0o500)
        if os.geteuid() == 0:  # root writes anywhere: stand in for the kernel's answer
            real = os.access
            monkeypatch.setattr(
                os, "access", lambda p, m: False if Path(p) == target else real(p, m)
            )
    result = usce("export", "--vdir", str(target))
    messages = {
        "missing": f"Error: {target}: no such folder; create it first (mkdir)\n",
        "file": f"Error: {target}: is a file, not a folder\n",
        "read-only": f"Error: {target}: cannot write in this folder (permission denied)\n",
    }
    assert result.exit_code == 1
    assert result.stderr == messages[case]
    assert result.stdout == ""
    if case == "read-only":
        assert list(target.iterdir()) == []
        target.chmod(0o700)
    assert not (tmp_path / "home" / "plan.toml").read_text(encoding="utf-8").count("[calendar")


def test_todos_carry_due_dates_done_states_and_alarms_from_the_due_date(
    usce: Run, token: str, vdir: Path, tmp_path: Path
) -> None:
    assert usce("plan", "done", "mon@2027-03-01:documents", "--on", "2026-11-20").exit_code == 0
    document = plan_json(usce)
    ics = Calendar.from_ical(export(usce, tmp_path, "--as", "todos"))
    to_vdir(usce, vdir, "--as", "todos")
    for found in ({str(c["UID"]): c for c in ics.subcomponents}, components(vdir)):
        assert len(found) == len(document["milestones"])
        for milestone in document["milestones"]:
            if milestone["kind"] == "rotation":
                event = found[uid_of(milestone["id"], token)]
                assert event.name == "VEVENT"
                continue
            todo = found[uid_of(milestone["id"], token).replace("@", ".todo@")]
            assert todo.name == "VTODO"
            assert todo["DUE"].params["VALUE"] == "DATE"
            assert todo.decoded("DUE") == date.fromisoformat(milestone["date"])
            alarms = todo.walk("VALARM")
            if milestone["done"]:
                assert str(todo["STATUS"]) == "COMPLETED"
                assert todo.decoded("COMPLETED").date() == date.fromisoformat(milestone["done"])
                assert alarms == []
            else:
                assert str(todo["STATUS"]) == "NEEDS-ACTION"
                assert "COMPLETED" not in todo
                assert sorted(a.decoded("TRIGGER") for a in alarms) == [
                    -timedelta(7),
                    -timedelta(1),
                ]
                assert all(a["TRIGGER"].params["RELATED"] == "END" for a in alarms)
    assert b"TRIGGER;RELATED=END:-P7D\r\n" in (tmp_path / "export-0.ics").read_bytes()
    # Back to events: the todo files go, the event files come back.
    to_vdir(usce, vdir)
    assert all(c.name == "VEVENT" for c in components(vdir).values())


def test_a_todo_no_longer_written_is_cancelled_as_a_todo(
    usce: Run, token: str, tmp_path: Path
) -> None:
    export(usce, tmp_path, "--as", "todos")
    calendar = Calendar.from_ical(export(usce, tmp_path))
    cancelled = [c for c in calendar.subcomponents if str(c.get("STATUS")) == "CANCELLED"]
    assert cancelled
    assert all(
        c.name == "VTODO" and str(c["UID"]).endswith(".todo@usce-planner") for c in cancelled
    )
    assert all(str(c["SUMMARY"]).startswith("Cancelled: ") for c in cancelled)
