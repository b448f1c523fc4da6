"""The steps before a rotation starts, each with its date, worked back from the start."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from usce_planner.english import english_status
from usce_planner.models import Profile, Program
from usce_planner.rules import Rules
from usce_planner.starts import ApplyBy, apply_by
from usce_planner.visas import visa_route

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
    apply_date = applying.day
    documents = rules.duration("documents_before_apply").before(apply_date)
    steps = [
        Step("apply", apply_date, applying.window_start),
        Step("documents", documents),
        Step("letters-request", rules.duration("letters_before_documents").before(documents)),
        Step("insurance", rules.duration("insurance_before_start").before(start)),
        Step(
            "tb-test",
            rules.duration("tb_test_before_start").before(start),
            rules.duration("tb_test_window").before(start),
        ),
    ]
    minimum = program.lead_time.minimum if program.lead_time else None
    if minimum is not None and not applying.from_window:
        steps.append(Step("apply-deadline", minimum.before(start)))
    latest_test = rules.usmle_result_delay.before(apply_date)
    steps += [
        Step(exam, latest_test)
        for exam in EXAMS
        if exam_required(program, exam) and not exam_passed(profile, exam)
    ]
    if needs_english_step(profile, program):
        steps.append(Step("english", rules.duration("english_before_documents").before(documents)))
    route = visa_route(profile, program, start, rules)
    if route.act_by is not None:
        steps.append(Step("visa", route.act_by, route=route.route))
    return steps


def results_in_time(program: Program, start: date, profile: Profile, rules: Rules) -> bool:
    """Return True when every booked exam the program requires has its result by apply-by."""
    return _results_by(program, apply_by(program, start, rules.default_lead).day, profile, rules)


def is_feasible_start(
    program: Program, start: date, profile: Profile, rules: Rules, today: date
) -> bool:
    """Return True when no step before ``start`` is already late and booked results come in time."""
    applying = apply_by(program, start, rules.default_lead)
    steps = pre_start_steps(program, start, profile, rules, applying)
    return all(step.day >= today for step in steps) and _results_by(
        program, applying.day, profile, rules
    )


def _results_by(program: Program, deadline: date, profile: Profile, rules: Rules) -> bool:
    # A minimum score counts every booked Step, so their results must arrive in time too.
    wanted = [e for e in EXAMS if exam_required(program, e) or program.requires.min_step_score]
    booked = [booked_exam_date(profile, exam) for exam in wanted]
    delay = rules.usmle_result_delay
    return all(delay.after(day) <= deadline for day in booked if day is not None)
