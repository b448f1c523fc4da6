"""English section minimums: the profile holds totals only, so a met total leaves them unknown."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import BASE_PROFILE, BASE_PROGRAM
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.timing.english import english_status


def program(**requires: Any) -> Program:
    return Program.model_validate({**BASE_PROGRAM, "requires": requires})


def profile(school: bool | None = False, **scores: Any) -> Profile:
    fields: dict[str, Any] = {**BASE_PROFILE, "english_medium_school": school}
    if scores:
        fields["english"] = scores
    return Profile.model_validate(fields)


UNC = program(
    english=True,
    toefl_ibt_min=100,
    ielts_min=7.0,
    english_tests=["toefl", "ielts"],
    toefl_sections_min={"speaking": 25},
    ielts_sections_min={"speaking": 7.5},
)


def test_a_met_total_with_section_minimums_is_unknown_and_says_why() -> None:
    assert english_status(profile(toefl_ibt=105), UNC) == (
        "unknown",
        "TOEFL iBT 105 meets the total; the source also asks for section minimums "
        "(speaking ≥ 25), which the profile does not hold — check your score report",
    )


def test_section_minimums_without_a_total_still_require_a_test() -> None:
    sinai = program(toefl_sections_min={"reading": 22, "listening": 22, "speaking": 22})
    assert english_status(profile(), sinai) == (
        "unmet",
        "needs TOEFL iBT (reading ≥ 22, listening ≥ 22, speaking ≥ 22) or IELTS or OET; "
        "your profile holds no accepted test at that level",
    )
    assert english_status(profile(toefl_ibt=90), sinai)[0] == "unknown"
    assert english_status(profile(oet=True), sinai) == ("met", "OET passed")


@pytest.mark.parametrize(
    ("prof", "expected"),
    [
        (profile(toefl_ibt=99), "unmet"),  # below the total: the sections cannot help
        (profile(toefl_ibt=99, ielts=7.5), "unknown"),
        (profile(toefl_ibt=99, ielts=6.5), "unmet"),
        (profile(True, toefl_ibt=99), "unknown"),  # a waiver not stated: unknown, as before
    ],
)
def test_a_total_below_the_minimum_is_unmet_whatever_the_sections(
    prof: Profile, expected: str
) -> None:
    assert english_status(prof, UNC)[0] == expected


def test_a_test_without_section_minimums_or_the_waiver_still_meets_it() -> None:
    uab = program(
        english=True,
        toefl_ibt_min=100,
        ielts_min=7.0,
        toefl_sections_min={"speaking": 22},
        english_waiver_if_english_medium=True,
    )
    assert english_status(profile(ielts=7.5), uab) == ("met", "IELTS 7.5 (at least 7 needed)")
    assert english_status(profile(True, toefl_ibt=101), uab) == (
        "met",
        "waived: your school teaches in English",
    )
