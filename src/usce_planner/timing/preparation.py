"""The steps before a rotation starts, each with its date, worked back from the start."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules
from usce_planner.timing.english import english_status
from usce_planner.timing.starts import ApplyBy, apply_by
from usce_planner.timing.visas import visa_route

EXAMS = ("step1", "step2ck")


class Step(NamedTuple):
    """One dated step before a rotation: ``kind`` as the plan names it."""

    kind: str
    day: date
    window_start: date | None = None
    # For the visa step: "esta" or "consulate", the route its date was worked out for.
    route: str = ""


def exam_required(program: Program, exam: str) -> bool:
    """Return True when the program states that the exam must be passed."""
    return bool(getattr(program.requires, exam))


def exam_passed(profile: Profile, exam: str) -> bool:
    """Return True when the profile records the exam as passed."""
    record = getattr(profile, exam)
    return record is not None and record.status == "passed"


def booked_exam_date(profile: Profile, exam: str) -> date | None:
    """Return the test date of a scheduled exam, or None."""
    record = getattr(profile, exam)
    return record.date if record is not None and record.status == "scheduled" else None


def needs_english_step(profile: Profile, program: Program) -> bool:
    """Return True when the program requires English the profile meets neither way."""
    return english_status(profile, program)[0] in ("unmet", "unknown")


def pre_start_steps(
    program: Program, start: date, profile: Profile, rules: Rules, applying: ApplyBy | None = None
) -> list[Step]:
    """Return the steps of a planned rotation that fall before its start, in the plan's terms."""
    applying = applying or apply_by(program, start, rules.default_lead)
    return [Step(*step) for step in _steps(program, start, profile, rules, applying)]


def _steps(
    program: Program, start: date, profile: Profile, rules: Rules, applying: ApplyBy
) -> Iterator[tuple[str, date, date | None, str]]:
    # Plain tuples, made one at a time: the feasibility test stops at the first late step.
    apply_date = applying.day
    documents = rules.duration("documents_before_apply").before(apply_date)
    yield "apply", apply_date, applying.window_start, ""
    yield "documents", documents, None, ""
    yield "letters-request", rules.duration("letters_before_documents").before(documents), None, ""
    yield "insurance", rules.duration("insurance_before_start").before(start), None, ""
    tb_test = rules.duration("tb_test_before_start").before(start)
    yield "tb-test", tb_test, rules.duration("tb_test_window").before(start), ""
    minimum = program.lead_time.minimum if program.lead_time else None
    if minimum is not None and not applying.from_window:
        yield "apply-deadline", minimum.before(start), None, ""
    latest_test = rules.usmle_result_delay.before(apply_date)
    for exam in EXAMS:
        if exam_required(program, exam) and not exam_passed(profile, exam):
            yield exam, latest_test, None, ""
    if needs_english_step(profile, program):
        yield "english", rules.duration("english_before_documents").before(documents), None, ""
    route = visa_route(profile, program, start, rules)
    if route.act_by is not None:
        yield "visa", route.act_by, None, route.route


def results_in_time(program: Program, start: date, profile: Profile, rules: Rules) -> bool:
    """Return True when every booked exam the program requires has its result by apply-by."""
    return _results_by(program, apply_by(program, start, rules.default_lead).day, profile, rules)


def is_feasible_start(
    program: Program, start: date, profile: Profile, rules: Rules, today: date
) -> bool:
    """Return True when no step before ``start`` is already late and booked results come in time."""
    applying = apply_by(program, start, rules.default_lead)
    steps = _steps(program, start, profile, rules, applying)
    return all(day >= today for _, day, _, _ in steps) and _results_by(
        program, applying.day, profile, rules
    )


def _results_by(program: Program, deadline: date, profile: Profile, rules: Rules) -> bool:
    # A minimum score counts every booked Step, so their results must arrive in time too.
    wanted = [e for e in EXAMS if exam_required(program, e) or program.requires.min_step_score]
    booked = [booked_exam_date(profile, exam) for exam in wanted]
    delay = rules.usmle_result_delay
    return all(delay.after(day) <= deadline for day in booked if day is not None)
