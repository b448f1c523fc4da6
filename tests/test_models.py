"""Programs and profiles: every field rule, with the message a user sees."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from usce_planner.dates import Duration
from usce_planner.models.catalog import Program, Requirements
from usce_planner.models.profile import Profile
from usce_planner.storage.toml_files import validation_problems

PROGRAM: dict[str, Any] = {
    "id": "mayo-visiting-clerkship",
    "institution": "Mayo Clinic Alix School of Medicine",
    "name": "Visiting Medical Student Clerkship",
    "kind": "elective",
    "status": "open",
    "state": "MN",
    "source": "https://college.mayo.edu/academics/visiting/",
    "source_date": "2022/23",
    "verified": date(2026, 11, 25),
    "confidence": "medium",
}
PROFILE: dict[str, Any] = {
    "schema": 1,
    "stage": "graduate",
    "graduation": date(2023, 6, 30),
    "citizenship": "IN",
}
MONTH_DAY_WINDOW = {
    "opens": "06-01",
    "closes": "06-30",
    "starts_from": "10-01",
    "starts_to": "12-31",
}


def program_problems(**changes: Any) -> list[str]:
    """Return the problems a program with these changes has, as the catalog prints them."""
    with pytest.raises(ValidationError) as caught:
        Program.model_validate({**PROGRAM, **changes})
    return [str(problem) for problem in validation_problems(caught.value)]


def profile_problems(**changes: Any) -> list[str]:
    """Return the problems a profile with these changes has."""
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate({**PROFILE, **changes})
    return [str(problem) for problem in validation_problems(caught.value)]


def test_program_loads_every_field_when_given_as_tomllib_gives_them() -> None:
    program = Program.model_validate(
        {
            **PROGRAM,
            "city": "Rochester",
            "specialties": ["internal-medicine", "general-surgery"],
            "audience": ["student"],
            "hands_on": True,
            "channel": "vslo",
            "weeks": [4, 2],
            "max_weeks": 8,
            "starts": [date(2027, 3, 1), date(2027, 1, 4)],
            "lead_time": {"recommended": "6 months", "minimum": "6w"},
            "windows": [MONTH_DAY_WINDOW],
            "decision_weeks": 8,
            "letters": "discretionary",
            "fees": {"application_usd": 500, "program_usd": 4200, "per": "rotation"},
            "requires": {"step1": True, "ielts_min": 7.0, "visas": ["b1", "esta"]},
        }
    )
    assert program.weeks == (4, 2)
    assert program.starts == (date(2027, 1, 4), date(2027, 3, 1))
    assert program.lead_time is not None
    assert program.lead_time.recommended == Duration(6, "months")
    assert program.lead_time.minimum == Duration(6, "weeks")
    assert program.windows is not None
    assert program.windows[0].is_recurring
    assert program.requires.visas == ("b1", "esta")
    assert program.requires.english is None


def test_program_defaults_are_unknown_when_optional_keys_are_omitted() -> None:
    program = Program.model_validate(PROGRAM)
    unknown = [program.hands_on, program.audience, program.fees, program.starts, program.letters]
    assert unknown == [None] * 5
    assert program.requires == Requirements()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"id": "Mayo X"}, "id: 'Mayo X' must be lowercase letters, digits and single hyphens"),
        ({"id": "mayo--x"}, "id: 'mayo--x' must be lowercase letters, digits and single hyphens"),
        ({"colour": "red"}, "colour: unknown key (not in schema 1)"),
        (
            {"kind": "course"},
            "kind: Input should be 'elective', 'observership', 'externship', 'research' "
            "or 'pre-residency'",
        ),
        (
            {"status": "gone"},
            "status: Input should be 'open', 'partner-only', 'paused', 'closed' or 'unknown'",
        ),
        (
            {"channel": "fax"},
            "channel: Input should be 'vslo', 'own-portal', 'email', 'broker' or 'faculty-sponsor'",
        ),
        (
            {"letters": "maybe"},
            "letters: Input should be 'yes', 'no', 'discretionary' or 'unknown'",
        ),
        (
            {"fees": {"program_usd": 1, "per": "day"}},
            "fees.per: Input should be 'rotation', 'week', 'month' or 'flat'",
        ),
        ({"state": "XX"}, "state: 'XX' is not a US state code (two capital letters, or DC)"),
        ({"state": "mn"}, "state: 'mn' is not a US state code (two capital letters, or DC)"),
        ({"weeks": [0]}, "weeks.0: Input should be greater than or equal to 1"),
        ({"weeks": [53]}, "weeks.0: Input should be less than or equal to 52"),
        ({"weeks": []}, "weeks: must list at least one"),
        ({"weeks": [4.0]}, "weeks.0: Input should be a valid integer"),
        ({"source": "ftp://x"}, "source: 'ftp://x' must be an http:// or https:// address"),
        ({"source": "example.org"}, "source: 'example.org' must be an http:// or https:// address"),
        (
            {"source_date": "2022-23"},
            "source_date: '2022-23' is not a source date; use YYYY, YYYY-MM, YYYY-MM-DD, "
            "an academic year such as 2022/23, or 'undated'",
        ),
        (
            {"source_date": "22/23"},
            "source_date: '22/23' is not a source date; use YYYY, "
            "YYYY-MM, YYYY-MM-DD, an academic year such as 2022/23, or 'undated'",
        ),
        ({"verified": "2026-11-25"}, "verified: Input should be a valid date"),
        ({"hands_on": "yes"}, "hands_on: Input should be a valid boolean"),
        (
            {"starts": "monday"},
            "starts: must be 'any-day', 'any-monday', 'first-monday' or a list of dates",
        ),
        (
            {"starts": []},
            "starts: must be 'any-day', 'any-monday', 'first-monday' or a list of dates",
        ),
        (
            {"windows": [{**MONTH_DAY_WINDOW, "opens": date(2027, 6, 1)}]},
            "windows.0: write all four as dates (one-off) or all four as 'MM-DD' (yearly)",
        ),
        (
            {
                "windows": [
                    {
                        "opens": date(2027, 6, 1),
                        "closes": date(2027, 10, 2),
                        "starts_from": date(2027, 10, 1),
                        "starts_to": date(2027, 12, 31),
                    }
                ]
            },
            "windows.0: needs opens <= closes < starts_from <= starts_to",
        ),
        (
            {"windows": [{**MONTH_DAY_WINDOW, "opens": "02-30"}]},
            "windows.0.opens: '02-30' is not a day of the year",
        ),
        (
            {"fees": {"program_usd": 100}},
            "fees.per: say what program_usd is charged per (rotation, week, ...)",
        ),
        (
            {"fees": {"application_usd": -1}},
            "fees.application_usd: Input should be greater than or equal to 0",
        ),
        (
            {"requires": {"visas": ["b3"]}},
            "requires.visas.0: Input should be 'b1', 'b2', 'b1-b2', 'esta', 'f1', 'f2', 'j1', "
            "'j2', 'h1b', 'h4', 'l2', 'o1', 'o3' or 'other'",
        ),
        (
            {"requires": {"english_tests": ["duolingo"]}},
            "requires.english_tests.0: Input should be 'toefl', 'ielts' or 'oet'",
        ),
        (
            {"requires": {"excluded_citizenships": ["ir"]}},
            "requires.excluded_citizenships.0: 'ir' is not an ISO 3166 country code "
            "(two capital letters, e.g. IN)",
        ),
        (
            {"requires": {"ielts_min": 9.5}},
            "requires.ielts_min: Input should be less than or equal to 9",
        ),
        ({"requires": {"step1": "yes"}}, "requires.step1: Input should be a valid boolean"),
        (
            {"lead_time": {"recommended": "0 days"}},
            "lead_time.recommended: '0 days' is not a duration; write a number from 1 and a "
            "unit, such as '6 months', '4 weeks' or '10 days'",
        ),
        (
            {"lead_time": {"minimum": 6}},
            "lead_time.minimum: must be a text such as '6 months', '4 weeks' or '10 days'",
        ),
    ],
)
def test_program_is_rejected_with_its_message_when_a_field_breaks_a_rule(
    changes: dict[str, Any], problem: str
) -> None:
    assert program_problems(**changes)[0] == problem


@pytest.mark.parametrize(
    "changes",
    [{"weeks": [0]}, {"weeks": [4.0]}, {"windows": [{**MONTH_DAY_WINDOW, "opens": "02-30"}]}],
)
def test_program_reports_one_problem_when_one_list_item_is_wrong(changes: dict[str, Any]) -> None:
    assert len(program_problems(**changes)) == 1


def test_program_accepts_whole_number_ielts_when_toml_gives_an_int() -> None:
    program = Program.model_validate({**PROGRAM, "requires": {"ielts_min": 7}})
    assert program.requires.ielts_min == 7


def test_durations_serialise_to_normalised_text_when_dumped_as_json() -> None:
    program = Program.model_validate(
        {
            **PROGRAM,
            "lead_time": {"recommended": "6m", "minimum": "1 W"},
            "starts": [date(2027, 3, 1), date(2027, 1, 4)],
            "windows": [MONTH_DAY_WINDOW],
        }
    )
    dumped = program.model_dump(mode="json")
    assert dumped["lead_time"] == {"recommended": "6 months", "minimum": "1 week"}
    assert dumped["starts"] == ["2027-01-04", "2027-03-01"]
    assert dumped["windows"] == [MONTH_DAY_WINDOW]
    assert dumped["verified"] == "2026-11-25"


def test_profile_loads_with_defaults_when_minimal() -> None:
    profile = Profile.model_validate(PROFILE)
    assert profile.schema_ == 1
    assert profile.citizenships == ("IN",)
    assert [profile.us_status, profile.specialties, profile.step1, profile.visa] == [
        "none",
        (),
        None,
        None,
    ]


def test_profile_keeps_every_citizenship_when_given_a_list() -> None:
    profile = Profile.model_validate({**PROFILE, "citizenship": ["IN", "GB"]})
    assert profile.citizenships == ("IN", "GB")


def test_visa_holds_none_when_table_is_empty() -> None:
    profile = Profile.model_validate({**PROFILE, "visa": {}})
    assert profile.visa is not None
    assert profile.visa.holds == "none"


def test_step1_score_is_accepted_when_taken_before_pass_fail() -> None:
    step1 = {"status": "passed", "date": date(2022, 1, 25), "score": 240}
    profile = Profile.model_validate({**PROFILE, "step1": step1})
    assert profile.step1 is not None
    assert profile.step1.score == 240


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"step1": {"status": "passed"}}, "step1.date: a passed exam needs its test date"),
        (
            {"step2ck": {"status": "scheduled"}},
            "step2ck.date: a scheduled exam needs its test date",
        ),
        (
            {"step1": {"status": "passed", "date": date(2022, 1, 26), "score": 240}},
            "step1.score: Step 1 taken on or after 2022-01-26 is pass/fail; remove the score",
        ),
        (
            {"step1": {"status": "passed", "date": date(2024, 3, 10), "score": 240}},
            "step1.score: Step 1 taken on or after 2022-01-26 is pass/fail; remove the score",
        ),
        ({"final_year_from": date(2023, 7, 1)}, "final_year_from: must be before graduation"),
        ({"final_year_from": date(2023, 6, 30)}, "final_year_from: must be before graduation"),
        ({"schema": 2}, "schema: Input should be less than or equal to 1"),
        (
            {"citizenship": "in"},
            "citizenship: 'in' is not an ISO 3166 country code (two capital letters, e.g. IN)",
        ),
        ({"graduation": "2023-06-30"}, "graduation: Input should be a valid date"),
        ({"stage": "resident"}, "stage: Input should be 'student', 'graduate' or 'physician'"),
    ],
)
def test_profile_is_rejected_with_its_message_when_a_rule_is_broken(
    changes: dict[str, Any], problem: str
) -> None:
    assert profile_problems(**changes) == [problem]


def test_profile_refuses_assignment_when_frozen() -> None:
    profile = Profile.model_validate(PROFILE)
    with pytest.raises(ValidationError, match="Instance is frozen"):
        profile.stage = "student"  # type: ignore[misc]  # the point: frozen models refuse it
    assert profile.stage == "graduate"
