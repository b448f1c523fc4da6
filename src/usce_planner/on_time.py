"""The first dates from which every step before a rotation can still be done on time.

``preparation.is_feasible_start`` lists a start's steps and asks whether any is already late.
Every step's date moves forward with the start or the apply-by date, so "this step is not late"
is the same as "the start (or apply-by) is on or after a first day", and those first days
depend only on the profile, the rules and today. Worked out once per run, they make the
feasibility of a start a few comparisons; tests hold the two answers equal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from usce_planner.checks import Context
from usce_planner.dates import Duration
from usce_planner.english import EnglishNeeds, english_needs, english_status_for
from usce_planner.listing import DEFAULT_WEEKS
from usce_planner.models import Program, Requirements
from usce_planner.preparation import EXAMS, booked_exam_date, exam_passed
from usce_planner.starts import ApplyBy
from usce_planner.visas import route_for, traveller


def first_day_on_time(step_date: Callable[[date], date], today: date) -> date:
    """Return the first day ``x`` whose step, ``step_date(x)``, is not before ``today``.

    ``step_date`` must never move backwards as ``x`` moves forwards, which holds for every
    duration counted back (months clamp to the month's end, yet keep the order).
    """
    if step_date(today) >= today:
        return today
    late, on_time = 0, 1
    while step_date(today + timedelta(days=on_time)) < today:
        late, on_time = on_time, on_time * 2
    while on_time - late > 1:
        middle = (late + on_time) // 2
        if step_date(today + timedelta(days=middle)) >= today:
            on_time = middle
        else:
            late = middle
    return today + timedelta(days=on_time)


class Floors:
    """The first apply-by date and the first start whose steps are all on time, per program."""

    def __init__(self, context: Context) -> None:
        self._context = context
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
        self._person = traveller(profile, rules)
        self._consulate = today + timedelta(days=self._person.consulate_days)
        self._exam_missing = {exam: not exam_passed(profile, exam) for exam in EXAMS}
        self._results = {exam: _result_day(context, exam) for exam in EXAMS}
        self._apply_floors: dict[tuple[object, ...], date] = {}
        self._start_floors: dict[tuple[object, ...], date] = {}
        self._lead_floors: dict[tuple[Duration, date], date] = {}

    def allows(self, program: Program, start: date, applying: ApplyBy) -> bool:
        """Return True when no step before ``start`` is late: ``is_feasible_start`` by floors."""
        weeks = program.weeks[0] if program.weeks else DEFAULT_WEEKS
        minimum = program.lead_time.minimum if program.lead_time else None
        return self.allows_with(
            start,
            applying,
            self.start_floor(program.requires.visas, weeks),
            self.apply_floor(program.requires),
            None if minimum is None else self.lead_floor(minimum, self._context.today),
        )

    @staticmethod
    def allows_with(
        start: date,
        applying: ApplyBy,
        start_floor: date,
        apply_floor: date,
        minimum_floor: date | None,
    ) -> bool:
        """Return ``allows`` for a program whose floors are already known."""
        if start < start_floor or applying.day < apply_floor:
            return False
        return minimum_floor is None or applying.from_window or start >= minimum_floor

    def apply_floor(self, needs: Requirements, english: EnglishNeeds | None = None) -> date:
        """Return the first apply-by date with the documents, letters, exams and English on time."""
        key = (bool(needs.step1), bool(needs.step2ck), bool(needs.min_step_score))
        english = english or english_needs(needs)
        found = self._apply_floors.get((key, english))
        if found is None:
            found = self._apply_floors[key, english] = self._apply_floor(*key, english)
        return found

    def start_floor(self, accepted: tuple[str, ...] | None, weeks: int) -> date:
        """Return the first start with insurance, the TB test and the visa step on time."""
        found = self._start_floors.get((accepted, weeks))
        if found is None:
            found = self._start_floors[accepted, weeks] = self._start_floor(accepted, weeks)
        return found

    def lead_floor(self, lead: Duration, apply_floor: date) -> date:
        """Return the first start whose apply-by date, ``lead`` before it, is ``apply_floor``+."""
        found = self._lead_floors.get((lead, apply_floor))
        if found is None:
            found = self._lead_floors[lead, apply_floor] = first_day_on_time(
                lead.before, apply_floor
            )
        return found

    def _apply_floor(
        self, step1: bool, step2ck: bool, min_score: bool, english: EnglishNeeds
    ) -> date:
        floor = self._apply
        required = {"step1": step1, "step2ck": step2ck}
        if any(required[exam] and self._exam_missing[exam] for exam in EXAMS):
            floor = max(floor, self._apply_with_exam)
        status = english_status_for(self._context.profile, english)[0]
        if status in ("unmet", "unknown"):
            floor = max(floor, self._apply_with_english)
        # A minimum score counts every booked Step, so their results must arrive in time too.
        for exam in EXAMS:
            result = self._results[exam]
            if result is not None and (required[exam] or min_score):
                floor = max(floor, result)
        return floor

    def _start_floor(self, accepted: tuple[str, ...] | None, weeks: int) -> date:
        route = route_for(self._person, accepted, weeks, self._context.today, self._context.rules)
        visa = {"esta": self._esta, "consulate": self._consulate}.get(route.route, self._start)
        return max(self._start, visa)


def _result_day(context: Context, exam: str) -> date | None:
    booked = booked_exam_date(context.profile, exam)
    return None if booked is None else context.rules.usmle_result_delay.after(booked)
