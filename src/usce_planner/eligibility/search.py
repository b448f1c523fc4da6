"""The first dates from which every step before a rotation can still be done on time.

``preparation.is_feasible_start`` lists a start's steps and asks whether any is already late.
Every step's date moves forward with the start or the apply-by date, so "this step is not late"
is the same as "the start (or apply-by) is on or after a first day", and those first days
depend only on the profile, the rules, today and a few values of the program. Worked out once
per run, they make the feasibility of a start a few comparisons, and let the search for the
earliest start begin where it can end; tests hold the answers equal to listing the steps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from usce_planner.dates import Duration
from usce_planner.eligibility.checks import Context
from usce_planner.timing.preparation import EXAMS, booked_exam_date, exam_passed
from usce_planner.timing.visas import traveller


def first_day_on_time(step_date: Callable[[date], date], not_before: date) -> date:
    """Return the first day ``x`` from ``not_before`` whose ``step_date(x)`` is not before it.

    ``not_before`` is today for a step that must not be in the past, or a first on-time apply-by
    date for a lead counted back from the start. ``step_date`` must never move backwards as ``x``
    moves forwards, which holds for every duration counted back (months clamp to the month's
    end, yet keep the order).
    """
    if step_date(not_before) >= not_before:
        return not_before
    late, on_time = 0, 1
    while step_date(not_before + timedelta(days=on_time)) < not_before:
        late, on_time = on_time, on_time * 2
    while on_time - late > 1:
        middle = (late + on_time) // 2
        if step_date(not_before + timedelta(days=middle)) >= not_before:
            on_time = middle
        else:
            late = middle
    return not_before + timedelta(days=on_time)


class Floors:
    """The first apply-by dates and starts whose steps are all on time, for one run.

    They depend on the profile, the rules and today, and on a few of a program's values: which
    exams and English it requires, its visa route, its leads.
    """

    def __init__(self, context: Context) -> None:
        profile, rules, today = context
        need = rules.duration
        documents = need("documents_before_apply")
        letters = need("letters_before_documents")
        english = need("english_before_documents")
        delay = rules.usmle_result_delay
        self._apply = max(
            today,
            first_day_on_time(documents.before, today),
            first_day_on_time(lambda day: letters.before(documents.before(day)), today),
        )
        self._apply_with_exam = first_day_on_time(delay.before, today)
        self._apply_with_english = first_day_on_time(
            lambda day: english.before(documents.before(day)), today
        )
        self._start = max(
            first_day_on_time(need("insurance_before_start").before, today),
            first_day_on_time(need("tb_test_before_start").before, today),
        )
        self._esta = first_day_on_time(need("esta_lead").before, today)
        consulate = today + timedelta(days=traveller(profile, rules).consulate_days)
        self._start_by_route = {
            "esta": max(self._start, self._esta),
            "consulate": max(self._start, consulate),
        }
        self._exam_missing = {exam: not exam_passed(profile, exam) for exam in EXAMS}
        self._results = {exam: _result_day(context, exam) for exam in EXAMS}
        self._apply_floors: dict[tuple[bool, ...], date] = {}

    def apply_floor(
        self, step1: bool | None, step2ck: bool | None, min_score: bool, english_status: str
    ) -> date:
        """Return the first apply-by date with the documents, letters, exams and English on time.

        ``english_status`` is the status of the program's English check: an English test still
        to take must be taken in time.
        """
        key = (bool(step1), bool(step2ck), min_score, english_status in ("unmet", "unknown"))
        found = self._apply_floors.get(key)
        if found is None:
            found = self._apply_floors[key] = self._apply_floor(*key)
        return found

    def start_floor_on(self, visa_route: str) -> date:
        """Return the first start with insurance, the TB test and this visa route on time."""
        return self._start_by_route.get(visa_route, self._start)

    def lead_floor(self, lead: Duration, apply_floor: date) -> date:
        """Return the first start whose apply-by date, ``lead`` before it, is ``apply_floor``+."""
        if lead.unit != "months":
            return lead.after(apply_floor)  # an exact number of days
        return first_day_on_time(lead.before, apply_floor)

    def _apply_floor(self, step1: bool, step2ck: bool, min_score: bool, test_to_take: bool) -> date:
        floor = self._apply
        required = {"step1": step1, "step2ck": step2ck}
        if any(required[exam] and self._exam_missing[exam] for exam in EXAMS):
            floor = max(floor, self._apply_with_exam)
        if test_to_take:
            floor = max(floor, self._apply_with_english)
        # A minimum score counts every booked Step, so their results must arrive in time too.
        for exam in EXAMS:
            result = self._results[exam]
            if result is not None and (required[exam] or min_score):
                floor = max(floor, result)
        return floor


def _result_day(context: Context, exam: str) -> date | None:
    booked = booked_exam_date(context.profile, exam)
    return None if booked is None else context.rules.usmle_result_delay.after(booked)
