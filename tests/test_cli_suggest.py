"""``usce suggest``: the selection on a small catalog, its JSON, saving it, and bad requests."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import Invoke, WriteFile, program_toml

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
LEAD = {"lead_time": '{ recommended = "3 months" }', "audience": '["graduate"]'}
ROTATION_KEYS = {
    "program", "start", "end", "weeks", "hands_on", "letters", "cost_usd", "cost_unknown",
    "apply_by", "verdict",
}  # fmt: skip
Run = Callable[..., Result]


@pytest.fixture
def run(invoke: Invoke, isolated_home: Path, write_catalog: WriteFile) -> Run:
    catalog = write_catalog(
        "schema = 1\n"
        + program_toml(
            "hands", starts='"any-monday"', weeks="[4]", hands_on="true", letters='"yes"',
            fees='{ application_usd = 100, program_usd = 1000, per = "rotation" }', **LEAD,
        )
        + program_toml(
            "watch", starts='"first-monday"', weeks="[4]", hands_on="false",
            fees='{ application_usd = 50, program_usd = 500, per = "rotation" }', **LEAD,
        )
        + program_toml(
            "anyday", starts='"any-day"', weeks="[2]", hands_on="false",
            fees='{ application_usd = 10, program_usd = 0, per = "rotation" }', **LEAD,
        )
        + program_toml("shut", status='"closed"', weeks="[4]", **LEAD)
    )  # fmt: skip
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")

    def go(*args: str, today: str = TODAY) -> Result:
        return invoke([*args, "--today", today, "--only-catalog", "--catalog", str(catalog)])

    return go


def suggestion(run: Run, *args: str) -> dict[str, Any]:
    result = run("suggest", *args, "--json")
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def spans(rotations: list[dict[str, Any]]) -> list[tuple[date, date]]:
    return sorted((date.fromisoformat(r["start"]), date.fromisoformat(r["end"])) for r in rotations)


def test_json_has_the_keys_of_the_contract_and_a_proved_answer(run: Run) -> None:
    doc = suggestion(run)
    assert set(doc) == {"today", "optimal", "bound", "objective", "rotations"}
    assert (doc["today"], doc["optimal"], doc["bound"]) == (TODAY, True, None)
    assert set(doc["objective"]) == {
        "specialty_hands_on_weeks", "hands_on_weeks", "letters", "weeks",
        "unknown_cost_rotations", "cost_usd", "last_day",
    }  # fmt: skip
    for rotation in doc["rotations"]:
        assert set(rotation) == ROTATION_KEYS | {"backups"}
        assert all(set(backup) == ROTATION_KEYS for backup in rotation["backups"])


def test_selection_is_eligible_on_time_apart_and_ends_before_the_match_deadline(run: Run) -> None:
    doc = suggestion(run)
    rotations = doc["rotations"]
    assert rotations
    assert {r["program"] for r in rotations} <= {"hands", "watch", "anyday"}  # never "shut"
    assert len({r["program"] for r in rotations}) == len(rotations)  # one per program
    days = spans(rotations)
    assert all(first[1] < second[0] for first, second in itertools.pairwise(days))
    # Match 2028: ERAS opens 2027-09-01; USCE ends 10 weeks before it.
    assert max(end for _, end in days) <= date(2027, 6, 23)
    assert all(r["apply_by"] >= TODAY and r["verdict"] == "eligible" for r in rotations)
    hands = next(r for r in rotations if r["program"] == "hands")
    assert (hands["hands_on"], hands["letters"], hands["cost_usd"]) == (True, "yes", 1100)


def test_figures_count_the_chosen_rotations_and_the_visa_fee_once(run: Run) -> None:
    doc = suggestion(run)
    rotations, figures = doc["rotations"], doc["objective"]
    assert figures["hands_on_weeks"] == sum(r["weeks"] for r in rotations if r["hands_on"])
    assert figures["weeks"] == sum(r["weeks"] for r in rotations)
    assert figures["letters"] == sum(r["letters"] == "yes" for r in rotations)
    # The profile's citizen of India takes the consulate route: the visa fee ($185) once.
    assert figures["cost_usd"] == sum(r["cost_usd"] for r in rotations) + 185
    assert figures["last_day"] == max(r["end"] for r in rotations)


def test_any_day_programs_are_offered_on_mondays(run: Run) -> None:
    doc = suggestion(run, "--backups", "5")
    offered = [r for r in doc["rotations"] for r in (r, *r["backups"]) if r["program"] == "anyday"]
    assert offered
    assert all(date.fromisoformat(r["start"]).weekday() == 0 for r in offered)


def test_a_binding_budget_drops_the_dearest_rotation(run: Run) -> None:
    full = suggestion(run)
    tight = suggestion(run, "--budget", str(full["objective"]["cost_usd"] - 1))
    assert tight["objective"]["cost_usd"] < full["objective"]["cost_usd"]
    assert tight["objective"]["cost_usd"] <= full["objective"]["cost_usd"] - 1


def test_max_and_gap_days_hold(run: Run) -> None:
    one = suggestion(run, "--max", "1")
    assert len(one["rotations"]) == 1
    assert one["rotations"][0]["program"] == "hands"  # hands-on weeks come first
    apart = suggestion(run, "--gap-days", "14")
    days = spans(apart["rotations"])
    assert all((b[0] - a[1]).days > 14 for a, b in itertools.pairwise(days))


def test_same_input_gives_the_same_answer(run: Run) -> None:
    assert suggestion(run) == suggestion(run)


def test_nothing_found_says_why_and_exits_0(run: Run) -> None:
    result = run("suggest", "--budget", "0")
    assert result.exit_code == 0, result.output
    assert "No suggestion: none of the" in result.stdout
    assert "fits the budget of $0" in result.stdout
    early = run("suggest", "--until", "2027-01-31")
    assert early.exit_code == 0, early.output
    assert "No suggestion: no program has a start you can make from 2026-11-25 to 2027-01-31" in early.stdout


def test_a_match_whose_usce_deadline_has_passed_is_refused(run: Run) -> None:
    result = run("suggest", "--match", "2027")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: suggest: USCE for Match 2027 had to end by 2026-06-23; give --until or a later --match"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--budget", "-1"],
        ["--max", "0"],
        ["--from", "2027-02-01", "--until", "2027-01-01"],
        ["--kind", "nope"],
        ["--time-limit", "0"],
        ["--until", "someday"],
    ],
)
def test_bad_requests_are_usage_errors(run: Run, args: list[str]) -> None:
    result = run("suggest", *args)
    assert result.exit_code == 2
    assert sum(line.startswith("Error:") for line in result.output.splitlines()) == 1


def test_save_adds_the_chosen_rotations_and_the_plan_shows_no_conflict(
    run: Run, isolated_home: Path
) -> None:
    doc = suggestion(run)
    saved = run("suggest", "--save")
    assert saved.exit_code == 0, saved.output
    plan = run("plan", "--json")
    assert plan.exit_code in (0, 3), plan.output
    shown = json.loads(plan.stdout)
    keys = {f"{r['program']}@{r['start']}" for r in doc["rotations"]}
    assert {r["key"] for r in shown["rotations"]} == keys
    assert all(r["status"] == "planned" for r in shown["rotations"])
    assert not [c for c in shown["conflicts"] if c["kind"] in ("overlap", "ineligible")]


def test_save_never_rewrites_a_plan_that_fails_to_parse(run: Run, isolated_home: Path) -> None:
    path = isolated_home / "plan.toml"
    path.write_bytes(b"schema = 1\nuid_token = [\n")
    before = path.read_bytes()
    result = run("suggest", "--save")
    assert result.exit_code == 1
    assert path.read_bytes() == before


def test_saved_rotations_are_kept_clear_of(run: Run) -> None:
    first = suggestion(run)["rotations"][0]
    added = run("plan", "add", first["program"], "--start", first["start"])
    assert added.exit_code == 0, added.output
    again = suggestion(run)
    taken = (date.fromisoformat(first["start"]), date.fromisoformat(first["end"]))
    for start, end in spans(again["rotations"]):
        assert end < taken[0] or start > taken[1]


def test_example_gives_a_dated_optimal_plan_with_backups(invoke: Invoke) -> None:
    result = invoke(["suggest", "--example", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert "Suggested rotations, in start order" in result.stdout
    assert "Optimal: proved best among" in result.stdout
    assert "backup: " in result.stdout
    today = date.fromisoformat(TODAY)
    doc = json.loads(invoke(["suggest", "--example", "--today", TODAY, "--json"]).stdout)
    assert all(date.fromisoformat(r["start"]) > today + timedelta(days=30) for r in doc["rotations"])


def test_a_budget_that_leaves_out_every_unknown_fee_says_so(
    invoke: Invoke, isolated_home: Path, write_catalog: WriteFile
) -> None:
    catalog = write_catalog(
        "schema = 1\n"
        + program_toml("nofees", starts='"any-monday"', weeks="[4]", hands_on="true", **LEAD),
        name="nofees.toml",
    )
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    common = ["--today", TODAY, "--only-catalog", "--catalog", str(catalog)]
    result = invoke(["suggest", "--budget", "5000", *common])
    assert result.exit_code == 0, result.output
    assert "No suggestion within the budget of $5,000: the " in result.stdout
    assert "Add --include-unknown-cost to weigh them" in result.stdout
    kept = json.loads(invoke(["suggest", "--budget", "5000", "--include-unknown-cost", "--json", *common]).stdout)
    assert [r["program"] for r in kept["rotations"]] == ["nofees"]
    assert kept["rotations"][0]["cost_unknown"] is True


def test_json_from_a_real_process_holds_no_solver_banner(isolated_home: Path) -> None:
    # HiGHS prints a banner on the process's own stdout when its first solver is made.
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "usce_planner", "suggest", "--example", "--json", "--today", TODAY],
        capture_output=True,
        env={**os.environ, "USCE_HOME": str(isolated_home)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"HiGHS" not in done.stdout
    assert json.loads(done.stdout)["optimal"] is True
