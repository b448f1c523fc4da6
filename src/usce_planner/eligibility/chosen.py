"""The start ``usce eligible`` looks at without ``--start``: the chosen start (section 6).

It is the earliest allowed start from ``earliest_start`` with the best verdict: eligible or
conditional, else unknown, else ``earliest_start`` itself. At ``earliest_start`` every step is
on time, and from there on only a student's stage moves the verdict: the final year begins, or
graduation makes a graduate of them (a window that serves a later start may also close sooner).
So the search looks only at the first starts from those days, never day by day; a check that
cannot change with the start (status, citizenship, a Step not taken) ends it at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from usce_planner.dates import add_months
from usce_planner.eligibility.checks import Check, stage_at
from usce_planner.models.profile import Profile

if TYPE_CHECKING:
    from usce_planner.eligibility.engine import Result

# Eligible and conditional rank alike: the chosen start is the first at which either holds.
RANK = {"eligible": 0, "conditional": 0, "unknown": 1, "ineligible": 2}
# From the earliest start on, every step is on time: the dates, the exams, the scores and the
# visa are as good as they will be, and the rules that read no date never change. Only a
# student's stage can make a check better at a later start: the audience from graduation day,
# the year of study from the first day of the penultimate or final year, or graduation.
IMPROVABLE_RULES = frozenset(("audience", "student_year"))
_STAGE_RULES = ("audience", "student_year", "years_since_graduation")


def stage_days(profile: Profile) -> tuple[date, ...]:
    """Return the days a student's stage changes: penultimate year, final year, graduation."""
    if profile.stage != "student":
        return ()
    final_from = profile.final_year_from or add_months(profile.graduation, -12)
    return (add_months(final_from, -12), final_from, profile.graduation)


def can_improve(result: Result) -> bool:
    """Return True when a later start might give ``result``'s program a better verdict."""
    if RANK[result.verdict] == 0 or result.earliest_start is None:
        return False
    blocking = "unmet" if result.verdict == "ineligible" else "unknown"
    return all(
        check.rule in IMPROVABLE_RULES for check in result.checks if check.status == blocking
    )


def days_to_try(result: Result, days: tuple[date, ...]) -> tuple[date, ...]:
    """Return the stage days that can make ``result``'s blocking checks better.

    ``days`` are ``stage_days``: the audience can only change at graduation (the last of them);
    the year of study at any of them.
    """
    blocking = "unmet" if result.verdict == "ineligible" else "unknown"
    rules = {check.rule for check in result.checks if check.status == blocking}
    return days if "student_year" in rules else days[-1:]


def chosen_result(found: Result, later: Iterable[Result], profile: Profile) -> Result:
    """Return the result at the chosen start, from the earliest one and those at later starts.

    ``found`` is the result at ``earliest_start``; ``later`` the results at the starts the
    search looked at. The result carries a note: why its start is later than the earliest,
    or why no start works.
    """
    best = found
    for result in sorted(later, key=_start):
        if RANK[result.verdict] < RANK[best.verdict]:
            best = result
    if best is found:
        return found._replace(note=never_words(found, profile))
    return best._replace(note=later_words(found, best, profile))


def later_words(found: Result, chosen: Result, profile: Profile) -> str:
    """Return why the chosen start is later than the earliest: "from D: you graduate then"."""
    assert chosen.target is not None
    start = chosen.target.start
    for before, after in zip(found.checks, chosen.checks, strict=True):
        if before.status in ("unmet", "unknown") and after.status not in ("unmet", "unknown"):
            return f"from {start.isoformat()}: {_reason_words(after, chosen, profile)}"
    return ""


def never_words(found: Result, profile: Profile) -> str:
    """Return why no start works for a student, where graduation is the reason, or ""."""
    reason = found.first_reason()
    target = found.target
    # Graduation is the reason when the rule would take the student they were before it.
    for_students = "student" in (found.program.audience or ())
    if (
        found.verdict != "ineligible"
        or reason is None
        or not (reason.rule == "student_year" or (reason.rule == "audience" and for_students))
        or target is None
        or stage_at(profile, target.start, target.last) == "student"
    ):
        return ""
    return (
        f"no start before you graduate on {profile.graduation.isoformat()} leaves time to "
        f"apply; the earliest on-time start is {target.start.isoformat()}"
    )


def _reason_words(check: Check, chosen: Result, profile: Profile) -> str:
    target = chosen.target
    assert target is not None
    if check.rule in _STAGE_RULES:
        stage = stage_at(profile, target.start, target.last)
        graduation = profile.graduation
        if stage == "graduate":
            if graduation == target.start:
                return "you graduate then"
            return f"you graduate on {graduation.isoformat()}"
        final_from = profile.final_year_from or add_months(graduation, -12)
        if final_from <= target.start:
            return f"your final year begins on {final_from.isoformat()}"
        return f"your penultimate year begins on {add_months(final_from, -12).isoformat()}"
    if check.rule == "dates":
        return f"its apply-by date, {target.apply_by.isoformat()}, is still ahead"
    return f"{check.rule}: {check.detail}"


def _start(result: Result) -> date:
    return result.target.start if result.target else date.max
