"""The back-scheduler: from saved rotations to every dated milestone, each late or on time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from usce_planner.eligibility import Checker, Result
from usce_planner.models.catalog import Program
from usce_planner.models.plan import SavedRotation
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules
from usce_planner.timing.preparation import (
    EXAMS,
    Step,
    exam_passed,
    pre_start_steps,
    results_in_time,
)
from usce_planner.timing.starts import last_day
from usce_planner.timing.visas import Traveller, route_for, traveller

# The milestones that must happen before a rotation starts (its own and the person's).
PRE_START = ("apply", "apply-deadline", "documents", "letters-request", "insurance", "tb-test")
PERSON_KINDS = ("step1", "step2ck", "english", "visa")
# Information only: a booked or recent exam and its result, never late (section 8).
EXAM_INFO_KINDS = ("exam", "exam-result")
EXAM_INFO_DAYS = 90
EXAM_NAMES = {"step1": "Step 1", "step2ck": "Step 2 CK"}
DONE_WHEN_APPLIED = ("apply", "apply-deadline", "documents", "letters-request")
TITLES = {
    "rotation": "Rotation at {name}",
    "apply": "Apply to {name}",
    "apply-deadline": "Last day the program takes applications: {name}",
    "documents": "Documents ready for {name} (transcript, immunizations, background check)",
    "letters-request": "Ask for the letters {name} needs",
    "follow-up": "Follow up on the application to {name}",
    "insurance": "Proof of health and liability insurance for {name}",
    "tb-test": "TB test for {name} (within 90 days of the start)",
    "letter-ask": "Ask your supervisor at {name} for a letter",
    "step1": "Latest day to take USMLE Step 1",
    "step2ck": "Latest day to take USMLE Step 2 CK",
    "english": "Latest day to take the English test",
    "visa": "Apply for ESTA or book the visa interview",
    "visa-esta": "Apply for ESTA (Visa Waiver Program) online",
    "visa-consulate": "Book the US visa interview (B-1/B-2) at your consulate",
    "eras-submit": "ERAS opens for submissions (Match {year})",
    "usce-end-by": "Finish USCE so US letters are ready for ERAS (Match {year})",
    "step2ck-by": "Take Step 2 CK so the score is on the application (Match {year})",
    "exam": "USMLE {exam} exam",
    "exam-result": "USMLE {exam} result expected",
}


@dataclass(frozen=True)
class Milestone:
    """One dated step: open, done, or late."""

    id: str
    kind: str
    rotation: str | None
    program: str | None
    title: str
    day: date
    window_start: date | None
    late_by_days: int
    done: date | None
    end: date | None = None

    @property
    def is_match(self) -> bool:
        """Return True for the informational Match-cycle milestones."""
        return self.id.startswith("match-")

    @property
    def is_late(self) -> bool:
        """Return True when the milestone counts as late (Match-cycle ones never do)."""
        return self.late_by_days > 0 and not self.is_match


@dataclass(frozen=True)
class RotationView:
    """A rotation with its end, its eligibility, and whether it can still be done on time.

    ``eligibility`` holds the checks at its own start and length, less ``dates``, for a live
    rotation that has not started (None otherwise); ``late`` is True when an open step before
    it is late; ``started`` when its start is today or before.
    """

    saved: SavedRotation
    program: Program | None
    end: date
    feasible: bool
    earliest_start: date | None
    eligibility: Result | None = None
    late: bool = False
    started: bool = False

    @property
    def verdict(self) -> str | None:
        """Return the verdict at the rotation's own start, or None when it is not checked."""
        return self.eligibility.verdict if self.eligibility is not None else None


@dataclass
class Schedule:
    """Everything the back-scheduler found, before conflicts, warnings and totals."""

    today: date
    rotations: list[RotationView]
    milestones: list[Milestone] = field(default_factory=list)


def back_schedule(
    saved: Sequence[SavedRotation],
    programs: Mapping[str, Program],
    profile: Profile,
    rules: Rules,
    today: date,
    person_done: Mapping[str, date],
    match_year: int | None,
) -> Schedule:
    """Return the rotations and their milestones, sorted as the plan shows them."""
    milestones: list[Milestone] = []
    person_steps: dict[str, Step] = {}
    views = []
    checker = Checker(profile, rules, today)
    visitor = traveller(profile, rules)
    ordered = sorted(saved, key=lambda r: (r.start, r.key))
    checked = _eligibility(ordered, programs, checker)
    for rotation in ordered:
        program = programs.get(rotation.program)
        end = last_day(rotation.start, rotation.weeks)
        if not rotation.is_live:
            views.append(RotationView(rotation, program, end, True, None))
            continue
        # The steps before the start, worked out once for the rotation's and the person's own.
        before = [] if program is None else pre_start_steps(program, rotation.start, profile, rules)
        own = _rotation_steps(rotation, program, before, rules)
        mine = [_rotation_milestone(rotation, program, step, today) for step in own]
        milestones += mine
        person = _person_steps(rotation, program, before, visitor, rules, today)
        for step in person:
            if step.kind not in person_steps or step.day < person_steps[step.kind].day:
                person_steps[step.kind] = step
        eligibility = checked.get(rotation.key)
        views.append(_view(rotation, program, end, mine, person, person_done, checker, eligibility))
    milestones += exam_milestones(profile, rules, today)
    milestones += [
        _milestone(
            f"me:{kind}",
            kind,
            None,
            None,
            TITLES.get(f"{kind}-{step.route}", TITLES[kind]),
            step.day,
            None,
            today,
            person_done,
        )
        for kind, step in person_steps.items()
    ]
    if match_year is not None:
        milestones += match_milestones(match_year, profile, rules, today, person_done)
    milestones.sort(key=lambda m: (m.day, m.id))
    return Schedule(today, views, milestones)


def _view(
    rotation: SavedRotation,
    program: Program | None,
    end: date,
    mine: list[Milestone],
    person: list[Step],
    person_done: Mapping[str, date],
    checker: Checker,
    eligibility: Result | None,
) -> RotationView:
    """Return a live rotation checked at its own start: eligible, on time, or neither."""
    context = checker.context
    today = context.today
    started = rotation.start <= today
    ahead = not started and rotation.status != "completed"
    late = ahead and _has_late_step(mine, person, person_done, today)
    if started:
        feasible = rotation.status != "planned"  # a planned start that passed is not done
    else:
        feasible = not late and (eligibility is None or eligibility.verdict != "ineligible")
    if feasible and rotation.status == "planned" and program is not None:
        feasible = results_in_time(program, rotation.start, context.profile, context.rules)
    earliest = None
    if not feasible and rotation.status == "planned" and program is not None:
        # The chosen start at this length: every step on time, and a verdict one can act on.
        chosen = checker.check(program, weeks=rotation.weeks)
        if chosen.target is not None and chosen.verdict in ("eligible", "conditional"):
            earliest = chosen.target.start
    return RotationView(rotation, program, end, feasible, earliest, eligibility, late, started)


def _eligibility(
    ordered: Sequence[SavedRotation], programs: Mapping[str, Program], checker: Checker
) -> dict[str, Result]:
    """Return, by key, every live rotation ahead checked at its own dates, all in one go."""
    today = checker.context.today
    ahead = [
        (rotation.key, (program, rotation.start, rotation.weeks))
        for rotation in ordered
        if rotation.is_live
        and rotation.status != "completed"
        and rotation.start > today
        and (program := programs.get(rotation.program)) is not None
    ]
    results = checker.check_rotations([item for _, item in ahead])
    return {key: result for (key, _), result in zip(ahead, results, strict=True)}


def exam_milestones(profile: Profile, rules: Rules, today: date) -> list[Milestone]:
    """Return a booked or recent exam and its result date, as information (never late)."""
    found = []
    delay = rules.usmle_result_delay
    for exam in EXAMS:
        record = getattr(profile, exam)
        if record is None or record.date is None:
            continue
        taken = record.status in ("passed", "failed")
        recent = taken and (today - record.date).days <= EXAM_INFO_DAYS
        if record.status != "scheduled" and not recent:
            continue
        result = delay.after(record.date)
        name = EXAM_NAMES[exam]
        days = {"exam": (record.date, record.date), "exam-result": (result, min(result, today))}
        for kind, (day, done_on) in days.items():
            suffix = "exam" if kind == "exam" else "result"
            found.append(
                Milestone(
                    f"me:{exam}-{suffix}",
                    kind,
                    None,
                    None,
                    TITLES[kind].format(exam=name),
                    day,
                    None,
                    0,
                    done_on if taken else None,
                )
            )
    return found


def match_milestones(
    year: int, profile: Profile, rules: Rules, today: date, person_done: Mapping[str, date]
) -> list[Milestone]:
    """Return the Match-cycle milestones of one Match year."""
    submit, review = rules.eras_dates(year)
    days = {
        "eras-submit": submit,
        "usce-end-by": rules.duration("usce_end_before_eras").before(submit),
    }
    if not exam_passed(profile, "step2ck"):
        days["step2ck-by"] = rules.duration("step2ck_before_review").before(review)
    return [
        _milestone(
            f"match-{year}:{kind}",
            kind,
            None,
            None,
            TITLES[kind].format(year=year),
            day,
            None,
            today,
            person_done,
        )
        for kind, day in days.items()
    ]


def _rotation_steps(
    rotation: SavedRotation, program: Program | None, before: list[Step], rules: Rules
) -> list[Step]:
    start, end = rotation.start, last_day(rotation.start, rotation.weeks)
    steps = [Step("rotation", start)]
    if program is not None:
        own = [s for s in before if s.kind in PRE_START]
        steps += own
        apply_day = next(s.day for s in own if s.kind == "apply")
        applied_on = rotation.history.get("applied")
        follow_from = applied_on if applied_on is not None else apply_day
        steps.append(Step("follow-up", rules.duration("follow_up_after_apply").after(follow_from)))
    else:
        # Without the program, only the steps that do not depend on its facts remain.
        steps += [
            Step("insurance", rules.duration("insurance_before_start").before(start)),
            Step(
                "tb-test",
                rules.duration("tb_test_before_start").before(start),
                rules.duration("tb_test_window").before(start),
            ),
        ]
    if program is None or program.letters != "no":
        steps.append(Step("letter-ask", rules.duration("letter_ask_before_end").before(end)))
    return steps


def _person_steps(
    rotation: SavedRotation,
    program: Program | None,
    before: list[Step],
    visitor: Traveller,
    rules: Rules,
    today: date,
) -> list[Step]:
    if program is None:
        return []
    steps = []
    if rotation.status == "planned":
        kinds = (*EXAMS, "english")
        steps += [s for s in before if s.kind in kinds]
    if rotation.start > today:
        route = route_for(visitor, program.requires.visas, rotation.weeks, rotation.start, rules)
        if route.act_by is not None:
            steps.append(Step("visa", route.act_by, route=route.route))
    return steps


def _has_late_step(
    mine: list[Milestone], person: list[Step], person_done: Mapping[str, date], today: date
) -> bool:
    # The rotation's own steps before its start (done ones, by hand or by its status, are
    # not late), and the person's steps with this rotation's own dates.
    late_own = any(m.kind in PRE_START and m.late_by_days > 0 for m in mine)
    late_person = any(s.day < today and f"me:{s.kind}" not in person_done for s in person)
    return late_own or late_person


def _rotation_milestone(
    rotation: SavedRotation, program: Program | None, step: Step, today: date
) -> Milestone:
    name = program.institution if program is not None else rotation.program
    done = rotation.done.get(step.kind) or _automatic_done(rotation, step.kind, today)
    milestone = _milestone(
        f"{rotation.key}:{step.kind}",
        step.kind,
        rotation.key,
        rotation.program,
        TITLES[step.kind].format(name=name),
        step.day,
        step.window_start,
        today,
        {},
        done=done,
    )
    if step.kind == "rotation":
        end = last_day(rotation.start, rotation.weeks)
        return Milestone(**{**milestone.__dict__, "late_by_days": 0, "end": end})
    return milestone


def _automatic_done(rotation: SavedRotation, kind: str, today: date) -> date | None:
    status = rotation.status
    if status == "completed" and kind != "letter-ask":
        return rotation.start
    if status in ("applied", "waitlisted", "accepted") and kind in DONE_WHEN_APPLIED:
        return _reached(rotation, ("applied", "waitlisted", "accepted"), today)
    if status == "accepted" and kind == "follow-up":
        return _reached(rotation, ("accepted",), today)
    return None


def _reached(rotation: SavedRotation, statuses: tuple[str, ...], today: date) -> date:
    # The day the first of these statuses was recorded; a hand-edited file may lack it.
    days = [day for status, day in rotation.history.items() if status in statuses]
    return min(days) if days else today


def _milestone(
    milestone_id: str,
    kind: str,
    rotation: str | None,
    program: str | None,
    title: str,
    day: date,
    window_start: date | None,
    today: date,
    done_marks: Mapping[str, date],
    done: date | None = None,
) -> Milestone:
    done = done or done_marks.get(milestone_id)
    late = 0 if done is not None or day >= today else (today - day).days
    return Milestone(milestone_id, kind, rotation, program, title, day, window_start, late, done)
