"""The start ``usce eligible`` looks at without ``--start`` (section 6), and why it is later."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Invoke, WriteFile, program_toml
from tests.test_checker_properties import catalogs, timing_rules
from tests.test_eligibility_properties import profiles
from usce_planner.eligibility import Checker, Result
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.starts import allowed_starts

D = date.fromisoformat
RULES = shipped_rules()
TODAY = D("2026-12-06")
# From today, letters are asked 42 days before applying and the lead is 6 months: any-day
# programs have their earliest on-time start on 2027-07-17.
EARLIEST = D("2027-07-17")
BASE_PROGRAM: dict[str, Any] = {
    "id": "example-observer", "institution": "Example Hospital", "name": "Observership",
    "kind": "observership", "status": "open", "state": "NY", "starts": "any-day", "weeks": [4],
    "source": "https://example.org/observe", "source_date": "2025", "verified": D("2026-11-25"),
    "confidence": "high",
}  # fmt: skip


def chosen(program: dict[str, Any], **profile: Any) -> Result:
    """Return the result at the chosen start for a student with these profile fields."""
    person = Profile.model_validate(
        {"schema": 1, "stage": "student", "citizenship": "GB", **profile}
    )
    return Checker(person, RULES, TODAY).check(Program.model_validate({**BASE_PROGRAM, **program}))


def dated(result: Result) -> tuple[str, date | None, date | None, str]:
    """Return the verdict, the chosen start, the earliest start and the note."""
    start = result.target.start if result.target else None
    return result.verdict, start, result.earliest_start, result.note


@pytest.mark.parametrize(
    ("program", "profile", "expected"),
    [
        # A graduate observership: from graduation day, a Friday any day may start.
        (
            {"audience": ["graduate"]},
            {"graduation": D("2028-06-30")},
            ("eligible", D("2028-06-30"), EARLIEST, "from 2028-06-30: you graduate then"),
        ),
        # Graduation on a Sunday; Monday starts: the first Monday after it.
        (
            {"audience": ["graduate"], "starts": "any-monday"},
            {"graduation": D("2028-07-02")},
            ("eligible", D("2028-07-03"), D("2027-07-19"), "from 2028-07-03: you graduate on 2028-07-02"),
        ),
        # An elective for final-year students: from the first day of the final year.
        (
            {"audience": ["student"], "requires": {"student_year": "final"}},
            {"graduation": D("2029-06-30"), "final_year_from": D("2028-06-05")},
            ("eligible", D("2028-06-05"), EARLIEST, "from 2028-06-05: your final year begins on 2028-06-05"),
        ),
        (
            {"audience": ["student"], "requires": {"student_year": "final-or-penultimate"}},
            {"graduation": D("2029-06-30"), "final_year_from": D("2028-07-01")},
            ("eligible", D("2027-07-17"), EARLIEST, ""),
        ),
        (
            {"audience": ["student"], "requires": {"student_year": "final-or-penultimate"}},
            {"graduation": D("2030-06-30")},
            ("eligible", D("2028-06-30"), EARLIEST, "from 2028-06-30: your penultimate year begins on 2028-06-30"),
        ),
        # No start before graduation leaves time to apply: ineligible, in words.
        (
            {"audience": ["student"]},
            {"graduation": D("2027-06-30")},
            ("ineligible", EARLIEST, EARLIEST, "no start before you graduate on 2027-06-30 leaves time to apply; the earliest on-time start is 2027-07-17"),
        ),
        # Graduating during the earliest rotation: for both audiences, a student only until
        # the rotation ends by graduation, a graduate from graduation day.
        (
            {"audience": ["student", "graduate"], "requires": {"student_year": "any"}},
            {"graduation": D("2027-07-20")},
            ("eligible", D("2027-07-20"), EARLIEST, "from 2027-07-20: you graduate then"),
        ),
        # A closed program stays closed: the search ends at once, at the earliest start.
        (
            {"audience": ["graduate"], "status": "closed"},
            {"graduation": D("2028-06-30")},
            ("ineligible", EARLIEST, EARLIEST, ""),
        ),
        # For physicians only: graduation is not the reason, so nothing is said of it.
        (
            {"audience": ["physician"]},
            {"graduation": D("2027-06-30")},
            ("ineligible", EARLIEST, EARLIEST, ""),
        ),
        # Unknown beats ineligible: a program that does not say whom it takes.
        (
            {"audience": ["graduate"], "requires": {"ecfmg_certified": True}},
            {"graduation": D("2028-06-30")},
            ("unknown", D("2028-06-30"), EARLIEST, "from 2028-06-30: you graduate then"),
        ),
    ],
)  # fmt: skip
def test_chosen_start_is_the_first_with_the_best_verdict_when_user_is_a_student(
    program: dict[str, Any], profile: dict[str, Any], expected: tuple[str, date, date, str]
) -> None:
    assert dated(chosen(program, **profile)) == expected


def test_chosen_start_is_the_earliest_when_user_is_a_graduate() -> None:
    person = Profile.model_validate(
        {"schema": 1, "stage": "graduate", "graduation": D("2020-06-30"), "citizenship": "GB"}
    )
    program = Program.model_validate(
        {**BASE_PROGRAM, "requires": {"max_years_since_graduation": 5}}
    )
    found = Checker(person, RULES, TODAY).check(program)
    assert dated(found) == ("ineligible", EARLIEST, EARLIEST, "")


def best_rank(result: Result) -> int:
    """Return the verdict's rank for the chosen start: eligible and conditional alike."""
    return {"eligible": 0, "conditional": 0, "unknown": 1, "ineligible": 2}[result.verdict]


@st.composite
def students_near_today(draw: st.DrawFn, today: date) -> Profile:
    """Return a profile, most often of a student graduating in the next few years."""
    person = draw(profiles(today))
    if draw(st.booleans()):
        graduation = today + timedelta(days=draw(st.integers(0, 1400)))
        data = person.model_dump(by_alias=True, exclude_none=True)
        data.update(stage="student", graduation=graduation)
        data.pop("final_year_from", None)
        person = Profile.model_validate(data)
    return person


@settings(max_examples=40, deadline=None)
@given(data=st.data(), today=st.dates(date(2026, 1, 1), date(2028, 12, 31)))
def test_chosen_start_has_the_best_verdict_from_the_earliest_start(
    data: st.DataObject, today: date
) -> None:
    programs = data.draw(catalogs())
    person, rules = data.draw(students_near_today(today)), data.draw(timing_rules())
    checker = Checker(person, rules, today)
    for program in programs:
        found = checker.check(program)
        if found.earliest_start is None:
            assert found.target is None
            continue
        assert found.target is not None
        start = found.target.start
        assert start >= found.earliest_start  # never before the earliest start
        # --start at the chosen start gives the same checks and verdict.
        assert checker.check(program, start) == found._replace(note="")
        # No allowed start between them has a better verdict.
        for between in allowed_starts(program, found.earliest_start, start - timedelta(days=1)):
            assert best_rank(checker.check(program, between)) >= best_rank(found)


def test_eligible_lists_dated_graduate_programs_when_user_is_a_final_year_student(
    invoke: Invoke, write_catalog: WriteFile, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = write_catalog(
        "schema = 1\n"
        + program_toml("grad-observer", audience='["graduate"]', starts='"any-day"')
        + program_toml("final-elective", audience='["student"]', starts='"any-day"', requires__student_year='"final"')
    )  # fmt: skip
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(
        'schema = 1\nstage = "student"\ngraduation = 2028-06-30\ncitizenship = "GB"\n',
        encoding="utf-8",
    )
    args = ["eligible", "--today", "2026-12-06", "--only-catalog", "--catalog", str(catalog)]
    result = invoke([*args, "--json"])
    assert result.exit_code == 0, result.output
    found = {entry["program"]: entry for entry in json.loads(result.stdout)["results"]}
    dates = {key: (e["verdict"], e["start"], e["earliest_start"]) for key, e in found.items()}
    assert dates == {
        "final-elective": ("eligible", "2027-07-17", "2027-07-17"),
        "grad-observer": ("eligible", "2028-06-30", "2027-07-17"),
    }
    monkeypatch.setenv("COLUMNS", "250")
    text = invoke([*args, "--no-color"])
    assert text.exit_code == 0, text.output
    assert "from 2028-06-30: you graduate then; every stated requirement met" in text.stdout
