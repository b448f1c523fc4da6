"""``usce eligible`` and ``usce rules`` through the command line."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner.app.eligible import result_document
from usce_planner.eligibility import RULE_ORDER, check_program
from usce_planner.plan.example import example_profile
from usce_planner.storage.catalog_files import load_catalog_file, shipped_catalog_path
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.text_safety import json_bytes

TODAY = "2026-11-25"
PROFILE = """
schema = 1
stage = "graduate"
graduation = 2025-06-30
citizenship = "IN"
seeking_residency = true
specialties = ["cardiology"]
english_medium_school = true

[step1]
status = "passed"
date = 2024-03-10

[step2ck]
status = "scheduled"
date = 2027-01-20
"""


@pytest.fixture
def catalog(write_catalog: WriteFile) -> Path:
    return write_catalog(
        "schema = 1\n"
        + program_toml(
            "open-observer",
            audience='["graduate"]',
            starts='"any-monday"',
            lead_time='{ recommended = "3 months" }',
            specialties='["cardiology"]',
        )
        + program_toml(
            "needs-ck",
            audience='["graduate"]',
            starts='"first-monday"',
            requires__step2ck="true",
        )
        + program_toml("students-only", audience='["student"]')
        + program_toml("no-audience", institution='"Zed Clinic"')
        + program_toml("closed-one", status='"closed"', audience='["graduate"]')
    )


@pytest.fixture
def run(invoke: Invoke, catalog: Path, isolated_home: Path):
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")

    def go(*args: str):
        return invoke(
            ["eligible", "--today", TODAY, "--only-catalog", "--catalog", str(catalog), *args]
        )

    return go


def results(run, *args: str) -> dict[str, dict[str, Any]]:
    result = run("--json", *args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["today"] == TODAY
    return {entry["program"]: entry for entry in document["results"]}


def test_json_has_every_program_with_thirteen_checks_in_order(run) -> None:
    found = results(run)
    assert set(found) == {"open-observer", "needs-ck", "students-only", "no-audience", "closed-one"}
    for entry in found.values():
        assert [check["rule"] for check in entry["checks"]] == list(RULE_ORDER)
        assert set(entry) == {
            "program", "verdict", "start", "apply_by", "earliest_start", "stale", "checks"
        }  # fmt: skip


def test_verdicts_follow_the_rules(run) -> None:
    found = results(run)
    assert found["open-observer"]["verdict"] == "eligible"
    # Letters are asked 42 days before applying (2027-01-06 at the earliest), and the lead is
    # 3 months: the first Monday from 2027-04-06.
    assert found["open-observer"]["start"] == "2027-04-12"
    assert found["open-observer"]["apply_by"] == "2027-01-12"
    assert found["needs-ck"]["verdict"] == "conditional"
    assert found["students-only"]["verdict"] == "ineligible"
    assert found["no-audience"]["verdict"] == "unknown"
    assert found["closed-one"]["verdict"] == "ineligible"


def test_conditional_says_what_it_depends_on(run) -> None:
    step2ck = next(c for c in results(run)["needs-ck"]["checks"] if c["rule"] == "step2ck")
    assert step2ck == {
        "rule": "step2ck",
        "status": "pending",
        "detail": "if your Step 2 CK on 2027-01-20 passes; result expected 2027-02-17, apply by 2027-03-06",
    }


def test_table_shows_eligible_and_conditional_first_and_hides_the_rest(run) -> None:
    result = run("--no-color")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "open-observer" in out
    assert "needs-ck" in out
    assert "students-only" not in out
    assert out.index("open-observer") < out.index("needs-ck")
    assert "your specialty" in out
    assert (
        "1 eligible, 1 conditional, 1 unknown, 2 ineligible; --all lists the rest" in result.stderr
    )


def test_all_adds_the_rest_with_their_first_reason(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    out = run("--all", "--no-color").stdout
    assert "students-only" in out
    assert "audience: takes students; you are a graduate (graduated 2025-06-30)" in out
    assert "status: closed, per source" in out


def test_start_month_checks_the_first_allowed_start_in_that_month(run) -> None:
    found = results(run, "--start", "2027-09")
    assert found["open-observer"]["start"] == "2027-09-06"
    assert found["needs-ck"]["start"] == "2027-09-06"
    assert found["no-audience"]["start"] == "2027-09-01"


def test_start_in_the_past_is_unmet_with_the_earliest_start(run) -> None:
    dates = results(run, "--start", "2027-01-04")["open-observer"]["checks"][0]
    assert dates["status"] == "unmet"
    assert (
        dates["detail"]
        == "apply-by 2026-10-04 passed; earliest start with every step on time: 2027-04-12"
    )


def test_explain_shows_every_check_and_the_earliest_start(run) -> None:
    result = run("--explain", "needs-ck", "--no-color")
    assert result.exit_code == 0, result.output
    for rule in RULE_ORDER:
        assert rule in result.stdout
    # 2027-08-02 is the first start with the letters on time, but the Step 2 CK result
    # (2027-02-17) would come after its apply-by date (2027-02-02).
    assert "Earliest start with every step on time: 2027-09-06." in result.stdout
    # An earliest start exists: the listing must not also say that none does.
    assert "No start in the next 5 years" not in result.stdout


def test_explain_json_is_one_result(run) -> None:
    document = json.loads(run("--explain", "needs-ck", "--json").stdout)
    assert document["program"] == "needs-ck"
    assert document["verdict"] == "conditional"


def test_explain_unknown_program_is_an_error(run) -> None:
    result = run("--explain", "nope")
    assert result.exit_code == 1
    assert result.output == "Error: no program with id 'nope' in the catalog\n"


@pytest.mark.parametrize("value", ["soon", "2027-13", "2027-02-30"])
def test_malformed_start_is_a_usage_error(run, value: str) -> None:
    result = run("--start", value)
    assert result.exit_code == 2
    assert (
        f"Error: Invalid value for '--start': '{value}' is not a date; write YYYY-MM-DD or YYYY-MM"
        in result.output
    )


def test_without_a_profile_the_error_says_how_to_make_one(
    invoke: Invoke, isolated_home: Path
) -> None:
    result = invoke(["eligible"])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {isolated_home / 'profile.toml'}: no profile yet; create one with `usce profile init`\n"
    )


def test_example_runs_without_a_profile_on_the_shipped_catalog(invoke: Invoke) -> None:
    result = invoke(["eligible", "--example", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert "eligible" in result.stdout


def test_example_gives_results_on_every_day_of_a_year() -> None:
    programs = load_catalog_file(shipped_catalog_path())
    rules = shipped_rules()
    first = date(2026, 1, 1)
    for offset in range(366):
        today = first + timedelta(days=offset)
        profile = example_profile(today)
        verdicts = [check_program(p, profile, rules, today) for p in programs]
        assert any(
            v.verdict == "eligible" and v.program.kind == "observership" for v in verdicts
        ), today
        json_bytes([result_document(v, stale=False) for v in verdicts])


def test_rules_json_lists_every_rule_with_source(invoke: Invoke) -> None:
    result = invoke(["rules", "--json"])
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    by_key = {rule["key"]: rule for rule in rules}
    assert by_key["usmle_result_delay"] == {
        "key": "usmle_result_delay",
        "value": 28,
        "unit": "days",
        "source": "https://usmle.org/announcements/?ContentId=241",
        "confidence": "high",
    }
    assert "IR" in by_key["vwp_barred_citizenships"]["value"]
    assert all(rule["source"].startswith("https://") for rule in rules)


def test_rules_table_names_each_rule(invoke: Invoke) -> None:
    result = invoke(["rules", "--no-color"])
    assert result.exit_code == 0
    assert "esta_lead" in result.stdout


def test_an_empty_listing_says_so_instead_of_drawing_an_empty_table(run) -> None:
    result = run("--search", "no such program anywhere")
    assert result.exit_code == 0, result.output
    assert result.stdout == "No eligible or conditional program among those that passed the filters.\n"
    everything = run("--search", "no such program anywhere", "--all")
    assert everything.stdout == "No program passed the filters.\n"
