"""``usce plan --gantt``: the timeline on a month axis, legible at 80 columns without colour."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import Invoke, WriteFile, program_toml

TODAY = "2026-11-25"
LEGEND = " " * 22 + "  # rotation   o step   x done   ! LATE   | today"
LABEL = 22
CATALOG = (
    "schema = 1\n"
    + program_toml(
        "mon", starts='"any-monday"', weeks="[4]", lead_time='{ recommended = "3 months" }'
    )
    + program_toml("a-program-with-a-long-id", starts='"any-monday"', weeks="[4]")
    + program_toml(
        "tight",
        starts='"any-monday"',
        weeks="[4]",
        lead_time='{ recommended = "6 months", minimum = "25 weeks" }',
    )
)
PROFILE_FLAGS = (
    *("--stage", "graduate", "--graduation", "2025-06-30", "--citizenship", "IN"),
    *("--step1", "passed", "--step1-date", "2024-03-10", "--english-medium-school"),
)
Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def usce(invoke: Invoke, write_catalog: WriteFile) -> Run:
    catalog = write_catalog(CATALOG)

    def go(*args: str, today: str = TODAY, codes: tuple[int, ...] = (0,)) -> Result:
        result = invoke([*args, "--today", today, "--only-catalog", "--catalog", str(catalog)])
        assert result.exit_code in codes, result.output
        return result

    return go


def chart(result: Result) -> list[str]:
    lines = result.stdout.splitlines()
    assert "\x1b" not in result.stdout
    for line in lines:
        assert len(line) <= 80, line
    assert lines[-1] == LEGEND
    return lines


def rows(lines: list[str]) -> dict[str, str]:
    """Return each row's marks by its label (the axis and the legend left out)."""
    return {line[:LABEL].rstrip(): line[LABEL + 2 :] for line in lines[1:-1]}


def label(rotation: dict[str, Any]) -> str:
    text = f"{rotation['start']} {rotation['program']}"
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


def test_the_example_fits_80_columns(invoke: Invoke) -> None:
    args = ["plan", "--example", "--no-color", "--today", TODAY]
    result = invoke([*args, "--gantt"])
    assert result.exit_code == 0, result.output
    lines = chart(result)
    document = json.loads(invoke([*args, "--json"]).stdout)
    live = [r for r in document["rotations"] if r["status"] not in ("rejected", "withdrawn")]
    marks = rows(lines)
    assert len(live) == 2
    assert list(marks) == [*map(label, live), "you", "Match"]
    for rotation in live:
        assert re.search(r"#+o?#+", marks[label(rotation)])
    assert all("|" in row for row in marks.values())
    assert re.fullmatch(r" {24}[A-Z][a-z]{2}( +([A-Z][a-z]{2}|\d{4}))+", lines[0])
    assert "!" not in "".join(marks.values())
    assert "x" not in "".join(marks.values())


def test_late_steps_show_an_exclamation_mark(usce: Run) -> None:
    usce("profile", "init", *PROFILE_FLAGS)
    usce("plan", "add", "mon", "--start", "2027-03-01")
    usce("plan", "add", "a-program-with-a-long-id", "--start", "2027-10-04")
    result = usce("plan", "--gantt", "--no-color", codes=(3,))
    document = json.loads(usce("plan", "--json", codes=(3,)).stdout)
    late = [m for m in document["milestones"] if m["late_by_days"] > 0]
    marks = rows(chart(result))
    assert list(marks) == ["2027-03-01 mon", "2027-10-04 a-program-…", "you"]
    assert marks["2027-03-01 mon"].count("!") == sum(m["rotation"] is not None for m in late) == 2
    assert marks["you"].count("!") == 1  # the visa
    assert "!" not in marks["2027-10-04 a-program-…"]


def test_done_steps_show_an_x(usce: Run) -> None:
    usce("profile", "init", *PROFILE_FLAGS)
    usce("plan", "add", "mon", "--start", "2027-03-01")
    usce("plan", "done", "mon@2027-03-01:letters-request")
    usce("plan", "done", "mon@2027-03-01:documents")
    usce("plan", "done", "me:visa")
    result = usce("plan", "--gantt", "--no-color")
    marks = rows(chart(result))
    assert marks["2027-03-01 mon"].count("x") == 2
    assert marks["you"].count("x") == 1
    assert "!" not in "".join(marks.values())


def test_late_match_dates_are_not_marked_late(invoke: Invoke) -> None:
    args = ["plan", "--example", "--match", "2027", "--gantt", "--no-color", "--today", TODAY]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    match = rows(chart(result))["Match"]
    assert "!" not in match
    assert match.count("o") >= 2


def test_a_late_step_is_never_hidden_by_a_later_mark(usce: Run) -> None:
    day = "2026-09-05"
    usce("profile", "init", *PROFILE_FLAGS, "--target-match", "2031", today=day)
    usce("plan", "add", "tight", "--start", "2027-03-01", today=day)
    for step in ("letters-request", "documents"):
        usce("plan", "done", f"tight@2027-03-01:{step}", today=day)
    document = json.loads(usce("plan", "--json", today=day, codes=(3,)).stdout)
    late = [m["id"] for m in document["milestones"] if m["late_by_days"] > 0]
    assert late == ["tight@2027-03-01:apply"]  # 4 days late; apply-deadline is on 2026-09-07
    result = usce("plan", "--gantt", "--no-color", today=day, codes=(3,))
    assert "!" in rows(chart(result))["2027-03-01 tight"]


@pytest.mark.parametrize("columns", ["60", "80", "200"])
@pytest.mark.parametrize("today", ["2026-11-25", "2027-02-06"])
def test_the_axis_names_every_year_it_spans(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, columns: str, today: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    args = ["plan", "--example", "--no-color", "--today", today]
    result = invoke([*args, "--gantt"])
    assert result.exit_code == 0, result.output
    axis = result.stdout.splitlines()[0][LABEL + 2 :]
    document = json.loads(invoke([*args, "--json"]).stdout)
    dates = [m["date"] for m in document["milestones"]] + [r["end"] for r in document["rotations"]]
    first, last = min([*dates, today]), max(dates)
    # Every January on the axis is named by its year; a year without a January, by the first month.
    januaries = [str(y) for y in range(int(first[:4]) + 1, int(last[:4]) + 1)]
    names = axis.split()
    assert all(re.fullmatch(r"[A-Z][a-z]{2}|[0-9]{4}", n) for n in names)
    years = [n for n in names if re.fullmatch(r"[0-9]{4}", n)]
    # The first month may carry its own year ("Nov 2026") where there is room before January.
    if names[1:2] == [first[:4]]:
        years = years[1:]
    assert years == januaries
