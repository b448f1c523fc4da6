"""Eligibility: every rule of one program checked against the profile at the dates that matter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from usce_planner.checks import (
    AUDIENCE,
    CHECKS,
    CITIZENSHIP,
    DATES,
    ECFMG_CERTIFIED,
    ENGLISH,
    MIN_STEP_SCORE,
    RESIDENCY_SEEKERS,
    STATUS,
    STEP1,
    STEP2CK,
    STUDENT_YEAR,
    VISA,
    YEARS_SINCE_GRADUATION,
    Check,
    Context,
    Target,
)
from usce_planner.dates import last_of_month
from usce_planner.english import EnglishNeeds
from usce_planner.listing import DEFAULT_WEEKS
from usce_planner.models import Profile, Program, Requirements
from usce_planner.on_time import Floors
from usce_planner.rules import Rules
from usce_planner.starts import (
    ApplyBy,
    allowed_starts,
    apply_by,
    first_served_start,
    last_day,
    rotation_weeks,
    search_limit,
)

RULE_ORDER = tuple(check.__name__.lstrip("_") for check in CHECKS)
VERDICT_ORDER = ("eligible", "conditional", "unknown", "ineligible")
_NO_LEAD = (None, None)  # recommended and minimum lead of a program that states none


class Result(NamedTuple):
    """Every check of one program, the verdict, and the dates they used."""

    program: Program
    verdict: str
    target: Target | None
    checks: tuple[Check, ...]
    earliest_start: date | None

    def first_reason(self) -> Check | None:
        """Return the check behind the verdict (the first unmet, unknown or pending one)."""
        wanted = {"ineligible": "unmet", "unknown": "unknown", "conditional": "pending"}
        status = wanted.get(self.verdict)
        return next((check for check in self.checks if check.status == status), None)


def earliest_start(program: Program, profile: Profile, rules: Rules, today: date) -> date | None:
    """Return the first allowed start with every preparation step on time, or None."""
    return Checker(profile, rules, today).earliest(program)[0]


def first_start_from(program: Program, wanted: date, today: date, whole_month: bool) -> date | None:
    """Return the first allowed start on or after ``wanted`` (or within its month)."""
    limit = search_limit(today)
    last = min(last_of_month(wanted), limit) if whole_month else limit
    return next(allowed_starts(program, wanted, last), None)


def check_program(
    program: Program,
    profile: Profile,
    rules: Rules,
    today: date,
    wanted: date | None = None,
    whole_month: bool = False,
) -> Result:
    """Check every rule for one program at the wanted start (else its earliest start)."""
    return Checker(profile, rules, today).check(program, wanted, whole_month)


class Checker:
    """Checks programs against one profile, under one set of rules, on one day.

    What depends on the run alone is worked out once: the first on-time dates (``Floors``),
    and each check whose rule reads only values that take few forms (a status, a yes-or-no
    requirement, an English or visa requirement) by those values. The earliest start, the
    rotation it gives and the checks that name its dates are worked out for each program.
    Tests hold the answers equal to each rule applied to ``rule_inputs`` afresh.
    """

    def __init__(self, profile: Profile, rules: Rules, today: date) -> None:
        self.context = Context(profile, rules, today)
        self._floors = Floors(self.context)
        self._limit = search_limit(today)
        self._default_lead = rules.default_lead
        # Only a student's stage depends on the rotation's dates: see _audience.
        self._audience_reads_dates = profile.stage == "student"
        self._known: tuple[dict[tuple[Any, ...], Check], ...] = tuple({} for _ in CHECKS)

    def check(
        self, program: Program, wanted: date | None = None, whole_month: bool = False
    ) -> Result:
        """Check every rule for one program at the wanted start (else its earliest start)."""
        if wanted is None:
            return self.check_at_earliest(program)
        english = self._english(program.requires)
        earliest = self._first_on_time(program, english.status)[0]
        start = first_start_from(program, wanted, self.context.today, whole_month)
        target = None
        if start is not None:
            applying = apply_by(program, start, self._default_lead)
            target = Target(start, last_day(start, rotation_weeks(program)), *applying[:2])
        return self._result(program, target, earliest, True, english)

    def check_at_earliest(self, program: Program) -> Result:
        """Check every rule for one program at its earliest start: ``check(program)``."""
        english = self._english(program.requires)
        earliest, applying = self._first_on_time(program, english.status)
        target = None
        if earliest is not None and applying is not None:
            weeks = program.weeks[0] if program.weeks else DEFAULT_WEEKS
            last = earliest + timedelta(days=7 * weeks - 1)  # last_day, inlined
            target = tuple.__new__(Target, (earliest, last, applying.day, applying.window_start))
        return self._result(program, target, earliest, False, english)

    def earliest(self, program: Program) -> tuple[date | None, ApplyBy | None]:
        """Return the first allowed start with every preparation step on time, and its apply-by."""
        return self._first_on_time(program, self._english(program.requires).status)

    def _result(
        self,
        program: Program,
        target: Target | None,
        earliest: date | None,
        asked: bool,
        english: Check,
    ) -> Result:
        # rule_inputs(program, target, earliest, asked), rule by rule, each check looked up by
        # its rule's inputs where they take few forms. A rule whose requirement is not stated,
        # or not required, reads nothing else: its check is looked up without the dates.
        context, requires, known, work_out = (
            self.context,
            program.requires,
            self._known,
            self._work_out,
        )
        lead = program.lead_time
        minimum = lead.minimum if lead else None
        if target is None:
            start = last = deadline = None
        else:
            start, last, deadline = target.start, target.last, target.apply_by
        audience = (program.audience, last if self._audience_reads_dates else None)
        student_year, years = requires.student_year, requires.max_years_since_graduation
        step1 = (requires.step1, deadline if requires.step1 else None)
        step2ck = (requires.step2ck, deadline if requires.step2ck else None)
        minimum_score = requires.min_step_score
        score = (minimum_score, None if minimum_score is None else deadline)
        weeks = program.weeks[0] if program.weeks else DEFAULT_WEEKS
        checks = (
            CHECKS[DATES](context, target, earliest, asked, minimum),
            known[STATUS].get((program.status,)) or work_out(STATUS, program.status),
            known[AUDIENCE].get(audience) or work_out(AUDIENCE, *audience),
            CHECKS[STUDENT_YEAR](context, student_year, target)
            if student_year is not None
            else known[STUDENT_YEAR].get(_UNSTATED) or work_out(STUDENT_YEAR, None, None),
            CHECKS[YEARS_SINCE_GRADUATION](context, years, target)
            if years is not None
            else known[YEARS_SINCE_GRADUATION].get(_UNSTATED)
            or work_out(YEARS_SINCE_GRADUATION, None, None),
            known[STEP1].get(step1) or work_out(STEP1, *step1),
            known[STEP2CK].get(step2ck) or work_out(STEP2CK, *step2ck),
            known[MIN_STEP_SCORE].get(score) or work_out(MIN_STEP_SCORE, *score),
            known[ECFMG_CERTIFIED].get((requires.ecfmg_certified,))
            or work_out(ECFMG_CERTIFIED, requires.ecfmg_certified),
            english,
            known[RESIDENCY_SEEKERS].get((requires.excludes_residency_seekers,))
            or work_out(RESIDENCY_SEEKERS, requires.excludes_residency_seekers),
            CHECKS[VISA](context, requires.visas, weeks, start),
            known[CITIZENSHIP].get((requires.excluded_citizenships,))
            or work_out(CITIZENSHIP, requires.excluded_citizenships),
        )
        # Made as a plain tuple: a named tuple's own constructor is a Python call.
        return tuple.__new__(Result, (program, verdict_of(checks), target, checks, earliest))

    def _english(self, requires: Requirements) -> Check:
        needs = (
            requires.english,
            requires.toefl_ibt_min,
            requires.ielts_min,
            requires.english_tests,
            requires.english_waiver_if_english_medium,
        )  # english_needs(requires), whose named tuple equals this plain one
        return self._known[ENGLISH].get((needs,)) or self._work_out(ENGLISH, EnglishNeeds(*needs))

    def _first_on_time(
        self, program: Program, english_status: str
    ) -> tuple[date | None, ApplyBy | None]:
        # No earlier start can be on time, so the search begins at the floors; the first
        # allowed start from there is on time, unless a window serves it too early.
        floors, requires, today = self._floors, program.requires, self.context.today
        apply_floor = floors.apply_floor(
            requires.step1, requires.step2ck, requires.min_step_score is not None, english_status
        )
        weeks = program.weeks[0] if program.weeks else DEFAULT_WEEKS
        start_floor = floors.start_floor(requires.visas, weeks)
        if program.windows is not None:
            first = max(start_floor, apply_floor + timedelta(days=1))  # windows close before
            start = first_served_start(program, first, self._limit, apply_floor)
            return (
                (None, None)
                if start is None
                else (start, apply_by(program, start, self._default_lead))
            )
        lead = program.lead_time
        recommended, minimum = (lead.recommended, lead.minimum) if lead else _NO_LEAD
        first = max(start_floor, floors.lead_floor(recommended or self._default_lead, apply_floor))
        minimum_floor = None if minimum is None else floors.lead_floor(minimum, today)
        first = max(first, minimum_floor or first)
        for start in allowed_starts(program, first, self._limit):
            applying = apply_by(program, start, self._default_lead)
            if floors.allows(start, applying, start_floor, apply_floor, minimum_floor):
                return start, applying
        return None, None

    def _work_out(self, number: int, *inputs: Any) -> Check:
        known = self._known[number]
        check = known.get(inputs)
        if check is None:
            check = known[inputs] = CHECKS[number](self.context, *inputs)
        return check


_UNSTATED = (None, None)  # the inputs of a rule whose requirement the source does not state


def verdict_of(checks: tuple[Check, ...]) -> str:
    """Return the verdict: any unmet, else any unknown, else any pending, else eligible."""
    statuses = {check.status for check in checks}
    if "unmet" in statuses:
        return "ineligible"
    if "unknown" in statuses:
        return "unknown"
    return "conditional" if "pending" in statuses else "eligible"
