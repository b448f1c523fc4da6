"""The .ics export and the vdir in a real calendar client, khal (product 9).

khal imports the .ics and re-imports update in place, cancelled events included; with the
vdir of ``usce export --vdir`` as its calendar it shows exactly the plan.

khal keeps one .ics file per UID in its calendar folder (a vdir), so counting the files after a
second import shows at once whether a changed plan duplicated its events (anchors 3.2, 4.3).
Without khal these tests are skipped, unless USCE_REQUIRE_KHAL=1 makes that a failure (CI).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from typer.testing import Result

from tests.conftest import Invoke, WriteFile, program_toml

TODAY, LATER = "2026-11-25", "2026-11-26"
CATALOG = (
    "schema = 1\n"
    + program_toml(
        "mon",
        institution='"Hospital A, Inc."',
        starts='"any-monday"',
        weeks="[4]",
        lead_time='{ recommended = "3 months" }',
    )
    + program_toml("later", institution='"Hospital B"', starts='"any-monday"', weeks="[4]")
)
PROFILE_FLAGS = (
    *("--stage", "graduate", "--graduation", "2025-06-30", "--citizenship", "IN"),
    *("--step1", "passed", "--step1-date", "2024-03-10", "--english-medium-school"),
    *("--target-match", "2028"),
)
CONFIG = """\
[calendars]
[[usce]]
path = {calendar}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC

[sqlite]
path = {database}
"""
FORMAT = "{start-date}|{end-date}|{title}"
DOCUMENTS_A = "Documents ready for Hospital A, Inc. (transcript, immunizations, background check)"
Khal = Callable[..., str]
Listed = tuple[str, str, str]  # start day, last day, title


@pytest.fixture
def calendar(tmp_path: Path) -> Path:
    return tmp_path / "khal" / "usce"


@pytest.fixture
def khal(tmp_path: Path, calendar: Path) -> Khal:
    """Run khal with a throwaway config, home and database; return its stdout."""
    program = shutil.which("khal")
    if program is None:
        if os.environ.get("USCE_REQUIRE_KHAL") == "1":
            pytest.fail(
                "USCE_REQUIRE_KHAL=1 but khal is not on PATH: install it (apt-get install khal)"
            )
        pytest.skip("khal is not installed (USCE_REQUIRE_KHAL=1 turns this into a failure)")
    calendar.mkdir(parents=True)
    config = tmp_path / "khal" / "config"
    config.write_text(
        CONFIG.format(calendar=calendar, database=tmp_path / "khal" / "khal.db"), encoding="utf-8"
    )
    home = tmp_path / "khal" / "home"
    env = {**os.environ, "HOME": str(home), "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env.update({f"XDG_{k}_HOME": str(home / k.lower()) for k in ("CONFIG", "DATA", "CACHE")})

    def run(*args: str) -> str:
        done = subprocess.run(
            [program, "-c", str(config), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"khal {' '.join(args)}: {done.stderr}"
        return done.stdout

    return run


def listed(khal: Khal, first: str = "2026-01-01", last: str = "2029-12-31") -> list[Listed]:
    out = khal("list", "--once", "--day-format", "", "--format", FORMAT, first, last)
    rows = [tuple(line.split("|", 2)) for line in out.splitlines() if line.strip()]
    return sorted((r[0], r[1], r[2]) for r in rows)


def stored_uids(calendar: Path) -> list[str]:
    """Return the UID of every item file in the calendar folder (one file per item)."""
    found = []
    for path in sorted(calendar.glob("*.ics")):
        (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        found.append(str(event["UID"]))
    return found


def days(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Return each milestone's first and last day as the plan gives them."""
    ends = {r["key"]: r["end"] for r in document["rotations"]}
    return sorted(
        (m["date"], ends[m["rotation"]] if m["kind"] == "rotation" else m["date"])
        for m in document["milestones"]
    )


def expected(data: bytes) -> list[Listed]:
    """Return what khal should list for an export: first day, last day (DTEND - 1), summary."""
    rows = []
    for event in Calendar.from_ical(data).walk("VEVENT"):
        last = event.decoded("DTEND") - timedelta(days=1)
        rows.append((event.decoded("DTSTART").isoformat(), last.isoformat(), str(event["SUMMARY"])))
    return sorted(rows)


def test_the_example_lands_on_the_right_days(
    khal: Khal, calendar: Path, invoke: Invoke, tmp_path: Path
) -> None:
    out = tmp_path / "example.ics"
    assert invoke(["export", "--example", "--today", TODAY, "-o", str(out)]).exit_code == 0
    khal("import", "--batch", "-a", "usce", str(out))
    document = json.loads(invoke(["plan", "--example", "--json", "--today", TODAY]).stdout)
    assert listed(khal) == expected(out.read_bytes())
    assert [row[:2] for row in listed(khal)] == days(document)
    rotation = next(m for m in document["milestones"] if m["kind"] == "rotation")
    middle = date.fromordinal(date.fromisoformat(rotation["date"]).toordinal() + 10).isoformat()
    assert any(row[2] == rotation["title"] for row in listed(khal, middle, middle))
    assert len(stored_uids(calendar)) == len(document["milestones"])


@pytest.fixture
def usce(invoke: Invoke, write_catalog: WriteFile) -> Callable[..., Result]:
    catalog = write_catalog(CATALOG)

    def go(*args: str, today: str = TODAY, codes: tuple[int, ...] = (0,)) -> Result:
        result = invoke([*args, "--today", today, "--only-catalog", "--catalog", str(catalog)])
        assert result.exit_code in codes, result.output
        return result

    return go


def test_a_changed_plan_updates_in_place(
    khal: Khal, calendar: Path, usce: Callable[..., Result], tmp_path: Path
) -> None:
    usce("profile", "init", *PROFILE_FLAGS)
    usce("plan", "add", "mon", "--start", "2027-03-01")
    usce("plan", "add", "later", "--start", "2027-10-04")
    first = tmp_path / "first.ics"
    usce("export", "-o", str(first), codes=(3,))
    khal("import", "--batch", "-a", "usce", str(first))
    before = json.loads(usce("plan", "--json", codes=(3,)).stdout)
    assert listed(khal) == expected(first.read_bytes())
    assert [row[:2] for row in listed(khal)] == days(before)
    assert ("2026-11-17", "2026-11-17", f"LATE: {DOCUMENTS_A}") in listed(khal)

    # A day later: one step done, one rotation moved (removed and added at another start).
    usce("plan", "done", "mon@2027-03-01:documents", today=LATER)
    usce("plan", "remove", "later@2027-10-04", today=LATER)
    usce("plan", "add", "later", "--start", "2027-11-01", today=LATER)
    second = tmp_path / "second.ics"
    usce("export", "-o", str(second), today=LATER, codes=(3,))
    khal("import", "--batch", "-a", "usce", str(second))
    khal("import", "--batch", "-a", "usce", str(second))  # importing twice changes nothing

    uids = stored_uids(calendar)
    assert len(uids) == len(set(uids)), "an event was duplicated"
    old = {str(e["UID"]) for e in Calendar.from_ical(first.read_bytes()).walk("VEVENT")}
    new = {str(e["UID"]) for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT")}
    cancelled = {
        str(e["UID"])
        for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT")
        if str(e.get("STATUS")) == "CANCELLED"
    }
    # The moved rotation's old events come again, cancelled; nothing is added twice.
    assert cancelled
    assert cancelled == {uid for uid in old if uid.startswith("later.2027-10-04.")}
    assert old <= new
    assert set(uids) == new
    rows = listed(khal)
    assert rows == expected(second.read_bytes())
    assert sum(r[2].startswith("Cancelled: ") for r in rows) == len(cancelled)
    # The done step replaced its LATE version: same UID, higher SEQUENCE.
    (documents,) = [r for r in rows if r[2].endswith(DOCUMENTS_A)]
    assert documents[:2] == ("2026-11-17", "2026-11-17")
    assert "LATE" not in documents[2]
    live = [r for r in rows if r[2].startswith("Rotation at Hospital B")]
    assert [r[:2] for r in live] == [("2027-11-01", "2027-11-28")]


def test_a_vdir_shows_exactly_the_plan_and_follows_a_withdrawal(
    khal: Khal, calendar: Path, usce: Callable[..., Result]
) -> None:
    usce("profile", "init", *PROFILE_FLAGS)
    usce("plan", "add", "mon", "--start", "2027-03-01")
    usce("plan", "add", "later", "--start", "2027-10-04")
    usce("export", "--vdir", str(calendar), "--reminders", codes=(3,))
    document = json.loads(usce("plan", "--json", codes=(3,)).stdout)
    rows = listed(khal)
    steps = [m for m in document["milestones"] if m["kind"] != "rotation" and not m["done"]]
    assert len(rows) == len(document["milestones"]) + len(steps)
    assert [r[:2] for r in rows if not r[2].startswith("In 7 days: ")] == days(document)
    assert any(r[2].startswith("Rotation at Hospital B") for r in rows)

    usce("plan", "status", "later@2027-10-04", "withdrawn", today=LATER)
    usce("export", "--vdir", str(calendar), today=LATER, codes=(3,))
    after = json.loads(usce("plan", "--json", today=LATER, codes=(3,)).stdout)
    rows = listed(khal)
    assert [r[:2] for r in rows] == days(after)
    assert not any("Hospital B" in r[2] for r in rows)
    assert not any(r[2].startswith("In 7 days: ") for r in rows)
    assert len(stored_uids(calendar)) == len(after["milestones"])
