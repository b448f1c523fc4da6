"""The English requirement: a waiver, an accepted test at its minimum, or neither."""

from __future__ import annotations

from typing import NamedTuple

from usce_planner.models.catalog import IeltsSections, Program, Requirements, ToeflSections
from usce_planner.models.profile import Profile

ALL_TESTS = ("toefl", "ielts", "oet")


class EnglishNeeds(NamedTuple):
    """The part of a program's requirements that the English check reads."""

    english: bool | None
    toefl_ibt_min: int | None
    ielts_min: float | None
    english_tests: tuple[str, ...] | None
    english_waiver_if_english_medium: bool | None
    toefl_sections_min: ToeflSections | None = None
    ielts_sections_min: IeltsSections | None = None


def english_needs(requires: Requirements) -> EnglishNeeds:
    """Return what the English check reads of a program's requirements."""
    return EnglishNeeds(
        requires.english,
        requires.toefl_ibt_min,
        requires.ielts_min,
        requires.english_tests,
        requires.english_waiver_if_english_medium,
        requires.toefl_sections_min,
        requires.ielts_sections_min,
    )


def english_status(profile: Profile, program: Program) -> tuple[str, str]:
    """Return the English check's status and detail for this profile and program."""
    return english_status_for(profile, english_needs(program.requires))


def english_status_for(profile: Profile, needs: EnglishNeeds) -> tuple[str, str]:
    """Return the English check's status and detail for what a program asks."""
    stated = (
        needs.english is not None
        or needs.toefl_ibt_min is not None
        or needs.ielts_min is not None
        or needs.english_tests is not None
        or needs.toefl_sections_min is not None
        or needs.ielts_sections_min is not None
    )
    if not stated:
        return "not-stated", "not stated by the source — verify"
    if needs.english is False:
        return "met", "not required, per source"
    school = profile.english_medium_school
    if needs.english_waiver_if_english_medium and school:
        return "met", "waived: your school teaches in English"
    held = _accepted_test_held(profile, needs)
    if held:
        return "met", held
    total_only = _total_met_sections_unknown(profile, needs)
    if total_only:
        return "unknown", total_only
    wanted = _wanted(needs)
    if needs.english_waiver_if_english_medium is None and school:
        return (
            "unknown",
            f"needs {wanted}; the source does not say whether English-medium schools are waived",
        )
    if needs.english_waiver_if_english_medium and school is None:
        return (
            "unknown",
            f"needs {wanted} unless your school teaches in English; the profile does not say",
        )
    return "unmet", f"needs {wanted}; your profile holds no accepted test at that level"


def _accepted_test_held(profile: Profile, needs: EnglishNeeds) -> str:
    accepted = needs.english_tests or ALL_TESTS
    scores = profile.english
    if scores is None:
        return ""
    toefl, ielts = scores.toefl_ibt, scores.ielts
    if (
        "toefl" in accepted
        and toefl is not None
        and toefl >= (needs.toefl_ibt_min or 0)
        and needs.toefl_sections_min is None
    ):
        return f"TOEFL iBT {toefl}" + _at_least(needs.toefl_ibt_min)
    if (
        "ielts" in accepted
        and ielts is not None
        and ielts >= (needs.ielts_min or 0)
        and needs.ielts_sections_min is None
    ):
        return f"IELTS {ielts:g}" + _at_least(needs.ielts_min)
    if "oet" in accepted and scores.oet:
        return "OET passed"
    return ""


def _total_met_sections_unknown(profile: Profile, needs: EnglishNeeds) -> str:
    """Return why a test held at its total still leaves the check unknown, or ""."""
    # The profile holds totals only: section minimums can be neither met nor failed.
    accepted = needs.english_tests or ALL_TESTS
    scores = profile.english
    if scores is None:
        return ""
    held = (
        ("toefl", "TOEFL iBT", scores.toefl_ibt, needs.toefl_ibt_min, needs.toefl_sections_min),
        ("ielts", "IELTS", scores.ielts, needs.ielts_min, needs.ielts_sections_min),
    )
    for test, label, score, total, sections in held:
        if test in accepted and score is not None and score >= (total or 0) and sections:
            met = f"{label} {score:g}" + (" meets the total" if total is not None else "")
            return (
                f"{met}; the source also asks for section minimums ({_sections(sections)}), "
                "which the profile does not hold — check your score report"
            )
    return ""


def _sections(sections: ToeflSections | IeltsSections) -> str:
    return ", ".join(f"{name} ≥ {minimum:g}" for name, minimum in sections.stated())


def _at_least(minimum: float | None) -> str:
    return "" if minimum is None else f" (at least {minimum:g} needed)"


def _wanted(needs: EnglishNeeds) -> str:
    parts = []
    for test in needs.english_tests or ALL_TESTS:
        if test == "toefl":
            parts.append(
                "TOEFL iBT"
                + (f" ≥ {needs.toefl_ibt_min}" if needs.toefl_ibt_min else "")
                + (f" ({_sections(needs.toefl_sections_min)})" if needs.toefl_sections_min else "")
            )
        elif test == "ielts":
            parts.append(
                "IELTS"
                + (f" ≥ {needs.ielts_min:g}" if needs.ielts_min else "")
                + (f" ({_sections(needs.ielts_sections_min)})" if needs.ielts_sections_min else "")
            )
        else:
            parts.append("OET")
    return " or ".join(parts)
