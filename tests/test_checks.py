"""The thirteen eligibility rules, one table each, at the day before, of and after each limit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from usce_planner.eligibility import RULE_ORDER, check_program
from usce_planner.eligibility.checks import Check
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.storage.rules_file import shipped_rules

D = date.fromisoformat
RULES = shipped_rules()
TODAY = D("2027-01-04")
# A 4-week rotation from 2027-09-01 ends 2027-09-28; 6 months before: apply by 2027-03-01.
START = D("2027-09-01")
NOT_STATED = "not stated by the source — verify"
BASE_PROGRAM: dict[str, Any] = {
    "id": "example-observer", "institution": "Example Hospital", "name": "Observership",
    "kind": "observership", "status": "open", "state": "NY", "starts": "any-day", "weeks": [4],
    "source": "https://example.org/observe", "source_date": "2025", "verified": D("2026-11-25"),
    "confidence": "high",
}  # fmt: skip
BASE_PROFILE: dict[str, Any] = {
    "schema": 1, "stage": "graduate", "graduation": D("2025-06-30"), "citizenship": "GB"
}  # fmt: skip
WRAPPING = {"opens": "09-01", "closes": "10-01", "starts_from": "12-01", "starts_to": "04-30"}


def check(
    rule: str,
    program: dict[str, Any] | None = None,
    profile: dict[str, Any] | None = None,
    today: date = TODAY,
    wanted: date | None = START,
    whole_month: bool = False,
) -> Check:
    """Return one rule's check for a program and profile with these fields replaced."""
    prog = Program.model_validate({**BASE_PROGRAM, **(program or {})})
    prof = Profile.model_validate({**BASE_PROFILE, **(profile or {})})
    result = check_program(prog, prof, RULES, today, wanted, whole_month)
    assert tuple(c.rule for c in result.checks) == RULE_ORDER
    return next(c for c in result.checks if c.rule == rule)


def req(**requires: Any) -> dict[str, Any]:
    """Return program fields holding these requirements."""
    return {"requires": requires}


def exam(status: str, day: str | None = None, score: int | None = None) -> dict[str, Any]:
    """Return a [step1]/[step2ck] table (date and score only where given)."""
    record = {"status": status, "date": D(day) if day else None, "score": score}
    return {key: value for key, value in record.items() if value is not None}


def student(graduation: str, **fields: Any) -> dict[str, Any]:
    """Return profile fields of a student graduating on that day."""
    return {"stage": "student", "graduation": D(graduation), **fields}


APPLY_BY = "apply by 2027-03-01 for the start 2027-09-01"
PASSED = "apply-by 2027-03-01 passed; "


@pytest.mark.parametrize(
    ("program", "today", "wanted", "whole_month", "status", "detail"),
    [
        ({}, D("2027-02-28"), START, False, "met", APPLY_BY),
        ({}, D("2027-03-01"), START, False, "met", APPLY_BY),
        ({}, D("2027-03-02"), START, False, "unmet", PASSED + "earliest start with every step on time: 2027-10-13"),
        ({"starts": [START]}, D("2027-03-02"), START, False, "unmet", PASSED + "no start with every step on time in the next 5 years"),
        ({"windows": [WRAPPING]}, TODAY, D("2028-01-10"), False, "met", "apply by 2027-10-01 for the start 2028-01-10 (the window opens 2027-09-01)"),
        ({"starts": [D("2027-07-05")]}, TODAY, D("2027-06-01"), True, "unknown", "no allowed start in the period asked for; no start with every step on time in the next 5 years"),
    ],
)  # fmt: skip
def test_dates_looks_at_apply_by_when_today_is_around_it(
    program: dict[str, Any], today: date, wanted: date, whole_month: bool, status: str, detail: str
) -> None:
    found = check("dates", program, today=today, wanted=wanted, whole_month=whole_month)
    assert found == Check("dates", status, detail)


@pytest.mark.parametrize(
    ("status", "expected", "detail"),
    [
        ("open", "met", "open, per source"),
        ("closed", "unmet", "closed, per source"),
        ("paused", "unmet", "paused, per source"),
        ("partner-only", "unknown", "only partner schools; check yours"),
        ("unknown", "unknown", "the source does not say whether it is open"),
    ],
)
def test_status_follows_the_catalog_when_program_states_it(
    status: str, expected: str, detail: str
) -> None:
    assert check("status", {"status": status}) == Check("status", expected, detail)


# The rotation runs from 2027-09-01 (S) to 2027-09-28 (L). A student graduating on or before S
# is a graduate for it, on or after L a student, and in between fits no single audience.
GRADUATED = "you will have graduated ({}) by the start, 2027-09-01"
STILL = "you will still be a student on 2027-09-28 (graduation {})"
DURING = "you graduate on {}, during this rotation 2027-09-01\u20132027-09-28"


@pytest.mark.parametrize(
    ("graduation", "words"),
    [
        ("2027-08-31", GRADUATED),  # the day before the start
        ("2027-09-01", GRADUATED),  # on the start
        ("2027-09-02", DURING),  # the day after the start
        ("2027-09-27", DURING),  # the day before the last day
        ("2027-09-28", STILL),  # on the last day
        ("2027-09-29", STILL),  # after the last day
    ],
)
@pytest.mark.parametrize(
    "audience", [["student"], ["graduate"], ["graduate", "physician"], ["student", "graduate"]]
)
def test_audience_takes_the_stage_over_the_whole_rotation_when_a_student_graduates_near_it(
    graduation: str, words: str, audience: list[str]
) -> None:
    found = check("audience", {"audience": audience}, student(graduation))
    stage = {GRADUATED: "graduate", DURING: "graduating", STILL: "student"}[words]
    fits = (
        "student" in audience and "graduate" in audience
        if stage == "graduating"
        else stage in audience
    )
    people = {
        ("student",): "students",
        ("graduate",): "graduates",
        ("graduate", "physician"): "graduates and physicians",
        ("student", "graduate"): "students and graduates",
    }[tuple(audience)]
    detail = f"takes {people}; " + words.format(graduation)
    assert found == Check("audience", "met" if fits else "unmet", detail)


@pytest.mark.parametrize(
    ("audience", "profile", "status", "detail"),
    [
        (["graduate"], {"stage": "physician"}, "met", "takes graduates; you are a physician (graduated 2025-06-30)"),
        (["physician"], {"stage": "physician"}, "met", "takes physicians; you are a physician (graduated 2025-06-30)"),
        (["student"], {"stage": "physician"}, "unmet", "takes students; you are a physician (graduated 2025-06-30)"),
        (["physician"], {}, "unmet", "takes physicians; you are a graduate (graduated 2025-06-30)"),
        (["student", "graduate"], {}, "met", "takes students and graduates; you are a graduate (graduated 2025-06-30)"),
        (None, {}, "unknown", "the source does not say whom it takes; you are a graduate (graduated 2025-06-30)"),
        # A student whose graduation has passed is a graduate for every start ahead.
        (["graduate"], student("2026-06-30"), "met", "takes graduates; you will have graduated (2026-06-30) by the start, 2027-09-01"),
    ],
)  # fmt: skip
def test_audience_keeps_the_stage_when_user_is_not_a_student(
    audience: list[str] | None, profile: dict[str, Any], status: str, detail: str
) -> None:
    found = check("audience", {} if audience is None else {"audience": audience}, profile)
    assert found == Check("audience", status, detail)


@pytest.mark.parametrize(
    ("wants", "profile", "wanted", "status", "fragment"),
    [
        ("final", student("2028-06-30"), START, "met", "final year from 2027-06-30"),
        ("final", student("2028-09-01"), START, "met", "final year from 2027-09-01"),
        ("final", student("2028-09-02"), START, "unmet", "final year from 2027-09-02"),
        ("final", student("2028-12-31", final_year_from=D("2027-09-01")), START, "met", "from 2027-09-01"),
        ("final", student("2028-12-31", final_year_from=D("2027-09-02")), START, "unmet", "from 2027-09-02"),
        ("final", student("2027-09-28"), START, "met", "graduation 2027-09-28"),  # L = G
        ("final-or-penultimate", student("2029-09-01"), START, "met", "final year from 2028-09-01"),
        ("final-or-penultimate", student("2029-09-02"), START, "unmet", "final year from 2028-09-02"),
        ("final-or-penultimate", student("2029-12-31", final_year_from=D("2028-09-01")), START, "met", "from 2028-09-01"),
        ("final-or-penultimate", student("2029-12-31", final_year_from=D("2028-09-02")), START, "unmet", "from 2028-09-02"),
        # not-final compares the apply-by date (2027-03-01) with the final year's first day.
        ("not-final", student("2028-03-02"), START, "met", "final year from 2027-03-02"),
        ("not-final", student("2028-03-01"), START, "unmet", "final year from 2027-03-01"),
        ("not-final", student("2027-12-31", final_year_from=D("2027-03-02")), START, "met", "from 2027-03-02"),
        ("not-final", student("2027-12-31", final_year_from=D("2027-03-01")), START, "unmet", "from 2027-03-01"),
        ("not-final", student("2027-09-28"), START, "unmet", "final year from 2026-09-28"),  # L = G
        ("not-final", student("2027-09-27"), START, "unmet", "you graduate on 2027-09-27, during this rotation 2027-09-01\u20132027-09-28"),
        ("any", student("2027-09-28"), START, "met", "final year from 2026-09-28"),
        ("any", student("2031-06-30"), START, "met", "final year from 2030-06-30"),
        ("final", {}, START, "met", "not a student; you are a graduate (graduated 2025-06-30)"),
        ("final", {"stage": "physician"}, START, "met", "not a student; you are a physician (graduated 2025-06-30)"),
        # Leap years and month ends: G - 12 months clamps to the month's end.
        ("final", student("2028-02-29"), D("2027-02-28"), "met", "final year from 2027-02-28"),
        ("final", student("2028-02-29"), D("2027-02-27"), "unmet", "final year from 2027-02-28"),
        ("final-or-penultimate", student("2028-02-29"), D("2026-02-28"), "met", "on 2026-02-28"),
        ("final-or-penultimate", student("2028-02-29"), D("2026-02-27"), "unmet", "on 2026-02-27"),
        ("final", student("2027-08-31"), D("2026-08-31"), "met", "final year from 2026-08-31"),
        ("final", student("2027-08-31"), D("2026-08-30"), "unmet", "final year from 2026-08-31"),
        (None, student("2030-06-30"), START, "not-stated", NOT_STATED),
    ],
)  # fmt: skip
def test_student_year_compares_start_with_the_final_year_when_user_is_a_student(
    wants: str | None, profile: dict[str, Any], wanted: date, status: str, fragment: str
) -> None:
    program = req() if wants is None else req(student_year=wants)
    found = check("student_year", program, profile, wanted=wanted)
    assert (found.status, fragment in found.detail) == (status, True)


@pytest.mark.parametrize(
    ("limit", "profile", "wanted", "status", "fragment"),
    [
        (3, {"graduation": D("2024-09-01")}, START, "met", "on or after 2024-09-01 (3 years"),
        (3, {"graduation": D("2024-08-31")}, START, "unmet", "on or after 2024-09-01 (3 years"),
        (3, {"graduation": D("2024-09-02")}, START, "met", "on or after 2024-09-01 (3 years"),
        (4, {"graduation": D("2024-02-29")}, D("2028-02-29"), "met", "on or after 2024-02-29"),
        (4, {"graduation": D("2024-02-28")}, D("2028-02-29"), "unmet", "on or after 2024-02-29"),
        (1, {"graduation": D("2027-02-28")}, D("2028-02-29"), "met", "on or after 2027-02-28"),
        (1, {"graduation": D("2027-02-27")}, D("2028-02-29"), "unmet", "on or after 2027-02-28"),
        (2, {"stage": "physician", "graduation": D("2020-01-01")}, START, "unmet", "2025-09-01"),
        (1, student("2027-09-27"), START, "met", "still a student on 2027-09-01, the start"),
        (1, student("2027-09-28"), START, "met", "still a student on 2027-09-01, the start"),
        (1, {"stage": "physician", "graduation": D("2026-09-01")}, START, "met", "graduated 2026-09-01; needs graduation on or after 2026-09-01 (1 years before the start)"),
        (None, {}, START, "not-stated", NOT_STATED),
    ],
)  # fmt: skip
def test_years_since_graduation_counts_calendar_years_when_user_has_graduated(
    limit: int | None, profile: dict[str, Any], wanted: date, status: str, fragment: str
) -> None:
    program = req() if limit is None else req(max_years_since_graduation=limit)
    found = check("years_since_graduation", program, profile, wanted=wanted)
    assert (found.status, fragment in found.detail) == (status, True)


MUST = "must be passed by 2027-03-01 (latest test date 2027-02-01)"
LATER = D("2027-03-05")  # a today after the passes below: a pass is never dated after today


@pytest.mark.parametrize("name", ["step1", "step2ck"])
@pytest.mark.parametrize(
    ("required", "record", "today", "status", "detail"),
    [
        (True, exam("passed", "2027-02-28"), LATER, "met", "passed 2027-02-28"),
        (True, exam("passed", "2027-03-01"), LATER, "met", "passed 2027-03-01"),
        (True, exam("passed", "2027-03-02"), LATER, "unmet", "{} passed on 2027-03-02, after the apply-by date; " + MUST),
        (True, exam("scheduled", "2027-01-04"), TODAY, "pending", "if your {} on 2027-01-04 passes; result expected 2027-02-01, apply by 2027-03-01"),
        (True, exam("scheduled", "2027-02-01"), TODAY, "pending", "if your {} on 2027-02-01 passes; result expected 2027-03-01, apply by 2027-03-01"),
        (True, exam("scheduled", "2027-02-02"), TODAY, "unmet", "{} booked for 2027-02-02: the result comes too late; " + MUST),
        (True, exam("scheduled", "2027-01-03"), TODAY, "unknown", "{} was booked for 2027-01-03; record the result"),
        (True, exam("failed", "2026-11-01"), TODAY, "unmet", "{} failed on 2026-11-01; " + MUST),
        (True, exam("not-taken"), TODAY, "unmet", "{} not taken; " + MUST),
        (True, None, TODAY, "unmet", "{} not taken; " + MUST),
        (False, None, TODAY, "met", "not required, per source"),
        (None, exam("passed", "2026-02-28"), TODAY, "not-stated", NOT_STATED),
    ],
)  # fmt: skip
def test_exam_is_judged_at_apply_by_when_program_states_it(
    name: str,
    required: bool | None,
    record: dict[str, Any] | None,
    today: date,
    status: str,
    detail: str,
) -> None:
    profile = {} if record is None else {name: record}
    program = req() if required is None else req(**{name: required})
    title = {"step1": "Step 1", "step2ck": "Step 2 CK"}[name]
    assert check(name, program, profile, today) == Check(name, status, detail.format(title))


@pytest.mark.parametrize(
    ("profile", "status", "detail"),
    [
        (None, "not-stated", NOT_STATED),
        ({}, "unmet", "needs 230 on every Step taken; no Step passed or booked"),
        ({"step1": exam("failed", "2026-05-01")}, "unmet", "needs 230 on every Step taken; no Step passed or booked"),
        ({"step2ck": exam("passed", "2026-05-01", 229)}, "unmet", "needs 230; Step 2 CK 229"),
        ({"step2ck": exam("passed", "2026-05-01", 230)}, "met", "needs 230; your scores meet it (pass/fail Step 1 counts)"),
        ({"step2ck": exam("passed", "2026-05-01")}, "unknown", "needs 230; record your Step 2 CK score"),
        ({"step1": exam("passed", "2022-01-25")}, "unknown", "needs 230; record your Step 1 score"),
        ({"step1": exam("passed", "2022-01-26")}, "met", "needs 230; your scores meet it (pass/fail Step 1 counts)"),
        ({"step1": exam("passed", "2021-06-01", 240)}, "met", "needs 230; your scores meet it (pass/fail Step 1 counts)"),
        ({"step1": exam("passed", "2021-06-01", 229), "step2ck": exam("passed", "2026-05-01", 250)}, "unmet", "needs 230; Step 1 229"),
        ({"step1": exam("failed", "2021-05-01", 190), "step2ck": exam("passed", "2026-05-01", 250)}, "met", "needs 230; your scores meet it (pass/fail Step 1 counts)"),
        ({"step1": exam("passed", "2023-05-01"), "step2ck": exam("scheduled", "2027-02-01")}, "pending", "needs 230; if your Step 2 CK on 2027-02-01 (result 2027-03-01) scores at least that; apply by 2027-03-01"),
        ({"step1": exam("scheduled", "2027-02-01"), "step2ck": exam("passed", "2026-05-01")}, "unknown", "needs 230; record your Step 2 CK score"),
        ({"step1": exam("scheduled", "2027-02-01"), "step2ck": exam("passed", "2026-05-01", 200)}, "unmet", "needs 230; Step 2 CK 200"),
    ],
)  # fmt: skip
def test_min_step_score_looks_at_every_passed_or_booked_step_when_program_sets_a_minimum(
    profile: dict[str, Any] | None, status: str, detail: str
) -> None:
    requires = {} if profile is None else {"min_step_score": 230}
    expect("min_step_score", requires, profile or {}, status, detail)


# Rows for the rules that read one profile fact: (requires, profile, status, detail).
ROW = ("requires", "profile", "status", "detail")
ECFMG = [
    ({"ecfmg_certified": True}, {"ecfmg_certified": True}, "met", "required; you are certified"),
    ({"ecfmg_certified": True}, {"ecfmg_certified": False}, "unmet", "required; you are not certified"),
    ({"ecfmg_certified": True}, {}, "unknown", "required; the profile does not say whether you are certified"),
    ({"ecfmg_certified": False}, {"ecfmg_certified": False}, "met", "not required, per source"),
    ({}, {"ecfmg_certified": False}, "not-stated", NOT_STATED),
]  # fmt: skip
ENGLISH = [
    ({"english": True}, {"english_medium_school": True}, "unknown", "needs TOEFL iBT or IELTS or OET; the source does not say whether English-medium schools are waived"),
    ({"toefl_ibt_min": 100}, {"english": {"toefl_ibt": 100}}, "met", "TOEFL iBT 100 (at least 100 needed)"),
    ({"toefl_ibt_min": 100}, {"english": {"toefl_ibt": 99}}, "unmet", "needs TOEFL iBT ≥ 100 or IELTS or OET; your profile holds no accepted test at that level"),
    ({"english": False}, {}, "met", "not required, per source"),
    ({}, {}, "not-stated", NOT_STATED),
]  # fmt: skip
SEEKERS = [
    ({"excludes_residency_seekers": True}, {"seeking_residency": True}, "unmet", "not for people seeking a US residency; you are seeking one"),
    ({"excludes_residency_seekers": True}, {"seeking_residency": False}, "met", "not for people seeking a US residency; you are not seeking one"),
    ({"excludes_residency_seekers": True}, {}, "unknown", "not for residency seekers; the profile does not say whether you are one"),
    ({"excludes_residency_seekers": False}, {"seeking_residency": True}, "met", "open to residency seekers, per source"),
    ({}, {"seeking_residency": True}, "not-stated", NOT_STATED),
]  # fmt: skip
CITIZENSHIP = [
    ({"excluded_citizenships": ["IR"]}, {"citizenship": "IN"}, "met", "not accepted: IR; you hold IN"),
    ({"excluded_citizenships": ["IR", "SY"]}, {"citizenship": ["GB", "IR"]}, "unmet", "citizens of IR are not accepted"),
    ({"excluded_citizenships": ["IR"]}, {"citizenship": ["SY", "IR", "IQ"]}, "unmet", "citizens of IR are not accepted"),
    ({}, {"citizenship": "IR"}, "not-stated", NOT_STATED),
]  # fmt: skip


def expect(
    rule: str, requires: dict[str, Any], profile: dict[str, Any], status: str, detail: str
) -> None:
    """Assert one rule's exact check for a program with these requirements."""
    assert check(rule, req(**requires), profile) == Check(rule, status, detail)


@pytest.mark.parametrize(ROW, ECFMG)
def test_ecfmg_certified_follows_the_profile_when_program_requires_it(
    requires: dict[str, Any], profile: dict[str, Any], status: str, detail: str
) -> None:
    expect("ecfmg_certified", requires, profile, status, detail)


@pytest.mark.parametrize(ROW, ENGLISH)
def test_english_reaches_the_result_when_checked_with_the_other_rules(
    requires: dict[str, Any], profile: dict[str, Any], status: str, detail: str
) -> None:
    expect("english", requires, profile, status, detail)


@pytest.mark.parametrize(ROW, SEEKERS)
def test_residency_seekers_follows_the_profile_when_program_excludes_them(
    requires: dict[str, Any], profile: dict[str, Any], status: str, detail: str
) -> None:
    expect("residency_seekers", requires, profile, status, detail)


@pytest.mark.parametrize(ROW, CITIZENSHIP)
def test_citizenship_is_unmet_when_any_citizenship_is_excluded(
    requires: dict[str, Any], profile: dict[str, Any], status: str, detail: str
) -> None:
    expect("citizenship", requires, profile, status, detail)


@pytest.mark.parametrize(
    ("visas", "profile", "today", "status", "detail"),
    [
        # ESTA 14 days before the 2027-09-01 start; an interview (12 + 2 weeks) by 2027-05-26.
        (["esta"], {}, D("2027-08-18"), "met", "apply for ESTA by 2027-08-18"),
        (["esta"], {}, D("2027-08-19"), "unmet", "ESTA was needed by 2027-08-18 for the start 2027-09-01; the wait is too long"),
        (None, {"citizenship": "IN"}, D("2027-05-26"), "met", "book the visa interview by 2027-05-26"),
        (None, {"citizenship": "IN"}, D("2027-05-27"), "unmet", "a visa interview was needed by 2027-05-26 for the start 2027-09-01; the wait is too long"),
        (["b1"], {"citizenship": "IN", "visa": {"consulate_wait_weeks": 30}}, D("2027-01-20"), "met", "book the visa interview by 2027-01-20"),
        (["b1"], {"citizenship": "IN", "visa": {"consulate_wait_weeks": 30}}, D("2027-01-21"), "unmet", "a visa interview was needed by 2027-01-20"),
        (["esta"], {"citizenship": "IN"}, TODAY, "unmet", "the program accepts esta; ESTA is not open to citizens of IN"),
        (["j1"], {}, TODAY, "unmet", "the program accepts j1; you hold no visa"),
        (["j1"], {"citizenship": "CA"}, D("2027-08-31"), "met", "no visa needed (citizen of CA)"),
        (["b1"], {"citizenship": "IN", "visa": {"holds": "b1-b2"}}, D("2027-08-31"), "met", "you hold b1-b2; the program accepts b1"),
    ],
)  # fmt: skip
def test_visa_is_met_with_the_act_by_date_when_it_is_today_or_later(
    visas: list[str] | None, profile: dict[str, Any], today: date, status: str, detail: str
) -> None:
    found = check("visa", req() if visas is None else req(visas=visas), profile, today=today)
    assert (found.status, found.detail.startswith(detail)) == (status, True)


# Graduation around the rotation 2027-09-01 to 2027-09-28, for the rules that read the stage.
@pytest.mark.parametrize(
    ("wants", "graduation", "status", "detail"),
    [
        ("final", "2027-08-31", "met", "not a student; you will have graduated (2027-08-31) by the start, 2027-09-01"),
        ("final", "2027-09-01", "met", "not a student; you will have graduated (2027-09-01) by the start, 2027-09-01"),
        ("final", "2027-09-02", "unmet", "wants final students; you graduate on 2027-09-02, during this rotation 2027-09-01\u20132027-09-28"),
        ("final", "2027-09-27", "unmet", "wants final students; you graduate on 2027-09-27, during this rotation 2027-09-01\u20132027-09-28"),
        ("final", "2027-09-28", "met", "wants final students; on 2027-09-01 you will be in your final year (final year from 2026-09-28, graduation 2027-09-28)"),
        ("final", "2027-09-29", "met", "wants final students; on 2027-09-01 you will be in your final year (final year from 2026-09-29, graduation 2027-09-29)"),
        ("any", "2027-09-02", "unmet", "wants any students; you graduate on 2027-09-02, during this rotation 2027-09-01\u20132027-09-28"),
    ],
)  # fmt: skip
def test_student_year_counts_a_student_graduating_during_the_rotation_as_a_student_who_does_not_fit(
    wants: str, graduation: str, status: str, detail: str
) -> None:
    found = check("student_year", req(student_year=wants), student(graduation))
    assert found == Check("student_year", status, detail)


@pytest.mark.parametrize(
    ("graduation", "status", "detail"),
    [
        ("2027-08-31", "met", "graduated 2027-08-31; needs graduation on or after 2025-09-01 (2 years before the start)"),
        ("2027-09-01", "met", "graduated 2027-09-01; needs graduation on or after 2025-09-01 (2 years before the start)"),
        ("2027-09-02", "met", "still a student on 2027-09-01, the start"),
        ("2027-09-27", "met", "still a student on 2027-09-01, the start"),
        ("2027-09-28", "met", "still a student on 2027-09-01, the start"),
        ("2027-09-29", "met", "still a student on 2027-09-01, the start"),
    ],
)  # fmt: skip
def test_years_since_graduation_counts_from_the_start_when_a_student_graduates_near_it(
    graduation: str, status: str, detail: str
) -> None:
    found = check("years_since_graduation", req(max_years_since_graduation=2), student(graduation))
    assert found == Check("years_since_graduation", status, detail)
