"""``usce profile init|show|set``: questions, flags, validation and safe writes."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Invoke

FLAGS = ["--stage", "graduate", "--graduation", "2025-06-30", "--citizenship", "in"]


@pytest.fixture
def profile_path(isolated_home: Path) -> Path:
    return isolated_home / "profile.toml"


def test_init_from_flags_writes_the_profile(invoke: Invoke, profile_path: Path) -> None:
    result = invoke(["profile", "init", *FLAGS, "--step1", "passed", "--step1-date", "2024-03-10"])
    assert result.exit_code == 0, result.output
    stored = tomllib.loads(profile_path.read_text(encoding="utf-8"))
    assert stored == {
        "schema": 1,
        "stage": "graduate",
        "graduation": __import__("datetime").date(2025, 6, 30),
        "citizenship": "IN",
        "step1": {"status": "passed", "date": __import__("datetime").date(2024, 3, 10)},
    }


def test_init_by_questions_validates_each_answer_at_once(
    invoke: Invoke, profile_path: Path
) -> None:
    answers = [
        "A. Example",  # name
        "",  # stage: default graduate
        "2025-13-01",  # graduation: refused
        "2025-06-30",
        "india",  # citizenship: refused
        "IN",
        "",  # US status: none
        "",  # seeking residency: yes
        "2028",  # target match
        "internal-medicine",
        "",  # english-medium school: no default, asked again
        "y",
        "",  # ECFMG certified: blank stays unset
        "passed",
        "",  # step 1 date: needed for a passed exam; says what to enter instead
        "2024-03-10",  # step 1 date (pass/fail era: no score question)
        "",  # step 2 CK: not taken
        "",  # TOEFL
        "",  # IELTS
        "",  # OET: blank stays unset
        "",  # visa: none
        "",  # consulate wait
        "",  # budget
    ]
    result = invoke(["profile", "init"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "graduation: '2025-13-01' is not a date (YYYY-MM-DD)" in result.output
    assert "citizenship: 'INDIA' is not an ISO 3166 country code" in result.output
    assert "step1.date: a passed or booked Step 1 needs its test date; if you do not know the day, enter the first of the month (YYYY-MM-01) from your USMLE transcript or score report, and correct it later with `usce profile set step1.date`" in " ".join(result.output.split())
    stored = tomllib.loads(profile_path.read_text(encoding="utf-8"))
    assert stored["name"] == "A. Example"
    assert stored["seeking_residency"] is True
    assert stored["specialties"] == ["internal-medicine"]
    assert stored["step1"]["status"] == "passed"
    assert "step2ck" not in stored
    assert "ecfmg_certified" not in stored
    assert "english" not in stored


def test_init_asks_only_missing_required_fields_when_flags_are_given(
    invoke: Invoke, profile_path: Path
) -> None:
    result = invoke(["profile", "init", "--stage", "student"], input="2027-06-30\nPK\n")
    assert result.exit_code == 0, result.output
    stored = tomllib.loads(profile_path.read_text(encoding="utf-8"))
    assert stored["citizenship"] == "PK"
    assert stored["stage"] == "student"


def test_init_without_answers_fails_cleanly(invoke: Invoke, profile_path: Path) -> None:
    result = invoke(["profile", "init", "--stage", "student"], input="")
    assert result.exit_code == 1
    assert "Error: profile init: no answer for graduation (input ended)" in result.output
    assert not profile_path.exists()


def test_init_refuses_to_replace_a_profile_without_force(
    invoke: Invoke, profile_path: Path
) -> None:
    assert invoke(["profile", "init", *FLAGS]).exit_code == 0
    before = profile_path.read_bytes()
    result = invoke(["profile", "init", *FLAGS])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {profile_path}: a profile exists already; use --force to replace it\n"
    )
    assert profile_path.read_bytes() == before


def test_init_force_over_a_broken_profile_keeps_a_backup(
    invoke: Invoke, profile_path: Path
) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text("schema = 1\nstage = \n", encoding="utf-8")
    result = invoke(["profile", "init", *FLAGS, "--force"])
    assert result.exit_code == 0, result.output
    assert (profile_path.parent / "profile.toml.bak").read_text(
        encoding="utf-8"
    ) == "schema = 1\nstage = \n"


def test_init_rejects_a_bad_flag_value_with_the_field_named(
    invoke: Invoke, profile_path: Path
) -> None:
    result = invoke(["profile", "init", *FLAGS, "--step1", "passd"])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {profile_path}: step1.status: Input should be 'not-taken', 'scheduled'"
    )
    assert not profile_path.exists()


def test_show_prints_the_profile_and_json_as_stored(invoke: Invoke) -> None:
    invoke(["profile", "init", *FLAGS, "--toefl-ibt", "105"])
    table = invoke(["profile", "show"])
    assert table.exit_code == 0
    assert "english.toefl_ibt" in table.stdout
    document = json.loads(invoke(["profile", "show", "--json"]).stdout)
    assert document == {
        "schema": 1,
        "stage": "graduate",
        "graduation": "2025-06-30",
        "citizenship": "IN",
        "english": {"toefl_ibt": 105},
    }


def test_show_without_a_profile_says_how_to_create_one(invoke: Invoke, profile_path: Path) -> None:
    result = invoke(["profile", "show"])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {profile_path}: no profile yet; create one with `usce profile init`\n"
    )


def test_set_several_fields_in_one_step(invoke: Invoke, profile_path: Path) -> None:
    invoke(["profile", "init", *FLAGS])
    result = invoke(
        [
            "profile",
            "set",
            "step2ck.status",
            "passed",
            "step2ck.date",
            "2026-05-10",
            "step2ck.score",
            "250",
        ]
    )
    assert result.exit_code == 0, result.output
    stored = tomllib.loads(profile_path.read_text(encoding="utf-8"))
    assert stored["step2ck"]["score"] == 250


def test_set_refuses_an_invalid_result_and_keeps_the_file(
    invoke: Invoke, profile_path: Path
) -> None:
    invoke(["profile", "init", *FLAGS])
    before = profile_path.read_bytes()
    result = invoke(["profile", "set", "step2ck.status", "scheduled"])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {profile_path}: step2ck.date: a scheduled exam needs its test date\n"
    )
    assert profile_path.read_bytes() == before


def test_set_unset_removes_a_key(invoke: Invoke, profile_path: Path) -> None:
    invoke(["profile", "init", *FLAGS, "--target-match", "2028"])
    assert invoke(["profile", "set", "--unset", "target_match"]).exit_code == 0
    assert "target_match" not in tomllib.loads(profile_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["favourite", "x"], "favourite: unknown key; keys: "),
        (["graduation", "June"], "graduation: 'June' is not a date (YYYY-MM-DD)"),
        (["budget_usd", "lots"], "budget_usd: 'lots' is not a whole number"),
        (["budget_usd", "-1"], "budget_usd: Input should be greater than or equal to 0"),
        (["graduation", "20250630"], "graduation: '20250630' is not a date (YYYY-MM-DD)"),
        (
            ["citizenship", "UK"],
            "citizenship: 'UK' is not an assigned ISO 3166 country code (the United Kingdom is GB)",
        ),
        (
            ["english.ielts", "7.25"],
            "english.ielts: 7.25 is not an IELTS band (whole or half, such as 7 or 7.5)",
        ),
        (["step1.date", "2030-01-01"], "step1.date: a passed exam cannot be dated after today"),
        (
            ["english_medium_school", "maybe"],
            "english_medium_school: 'maybe' is not true or false",
        ),
    ],
)
def test_set_bad_key_or_value_is_an_error(
    invoke: Invoke, profile_path: Path, args: list[str], message: str
) -> None:
    invoke(["profile", "init", *FLAGS, "--step1", "passed", "--step1-date", "2024-03-10"])
    before = profile_path.read_bytes()
    result = invoke(["profile", "set", *args, "--today", "2026-11-25"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {profile_path}: {message}")
    assert profile_path.read_bytes() == before


def test_set_with_odd_words_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke(["profile", "set", "name"])
    assert result.exit_code == 2
    assert "'name' has no value; give KEY VALUE pairs" in result.output


def test_set_never_rewrites_a_profile_that_fails_to_parse(
    invoke: Invoke, profile_path: Path
) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text("schema = 1\nstage = 'graduate\n", encoding="utf-8")
    result = invoke(["profile", "set", "name", "X"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {profile_path}: line 2: TOML syntax error")
    assert "profile init --force" in result.output
    assert profile_path.read_text(encoding="utf-8") == "schema = 1\nstage = 'graduate\n"


def test_profile_from_a_newer_usce_is_refused(invoke: Invoke, profile_path: Path) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text("schema = 2\n", encoding="utf-8")
    result = invoke(["profile", "show"])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {profile_path}: schema: written by a newer usce (schema 2)"
    )


def test_profile_option_and_environment_choose_the_file(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_env = tmp_path / "env.toml"
    by_option = tmp_path / "option.toml"
    monkeypatch.setenv("USCE_PROFILE", str(by_env))
    assert invoke(["profile", "init", *FLAGS]).exit_code == 0
    assert invoke(["profile", "init", *FLAGS, "--profile", str(by_option)]).exit_code == 0
    assert by_env.is_file()
    assert by_option.is_file()


def test_init_from_flags_takes_every_field_with_positive_and_negative_flags(
    invoke: Invoke, profile_path: Path
) -> None:
    result = invoke(
        [
            "profile", "init", "--stage", "student", "--graduation", "2027-06-30",
            "--final-year-from", "2026-07-01", "--citizenship", "GB", "--target-match", "2029",
            "--budget-usd", "8000", "--oet", "--english-tested", "2026-10-01",
            "--no-ecfmg-certified", "--not-seeking-residency", "--english-medium-school",
            "--today", "2026-12-06",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = tomllib.loads(profile_path.read_text(encoding="utf-8"))
    assert {k: stored[k] for k in ("final_year_from", "target_match", "budget_usd")} == {
        "final_year_from": __import__("datetime").date(2026, 7, 1),
        "target_match": 2029,
        "budget_usd": 8000,
    }
    assert (stored["ecfmg_certified"], stored["seeking_residency"]) == (False, False)
    assert stored["english"] == {"oet": True, "tested": __import__("datetime").date(2026, 10, 1)}
    again = invoke(["profile", "init", *FLAGS, "--no-oet", "--ecfmg-certified", "--force"])
    stored = tomllib.loads(profile_path.read_text(encoding="utf-8"))
    assert again.exit_code == 0, again.output
    assert (stored["english"], stored["ecfmg_certified"]) == ({"oet": False}, True)


def test_init_help_explains_the_stages(invoke: Invoke) -> None:
    text = " ".join(invoke(["profile", "init", "--help"]).output.split())
    assert (
        "graduate: holds the medical degree and is not a licensed, practising physician "
        "(an intern or house officer still in training counts here unless fully licensed)."
    ) in text
    assert "physician: holds a full (not provisional) licence to practise medicine" in text
    assert "student: enrolled in medical school (graduation is expected)." in text
