"""The thirteen eligibility rules, each a function from the facts to one check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from usce_planner.dates import add_months, calendar_years_before
from usce_planner.english import english_status
from usce_planner.models import STEP1_PASS_FAIL_FROM, ExamRecord, Profile, Program
from usce_planner.rules import Rules
from usce_planner.visas import visa_route

NOT_STATED = "not stated by the source — verify"
NOT_REQUIRED = "not required, per source"
EXAM_NAMES = {"step1": "Step 1", "step2ck": "Step 2 CK"}


class Check(NamedTuple):
    """One rule's outcome: met, pending, unknown, unmet or not-stated, with the values used."""

    rule: str
    status: str
    detail: str


class Target(NamedTuple):
    """The rotation the checks look at: its start, last day and apply-by date."""

    start: date
    last: date
    apply_by: date
    window_opens: date | None = None


class Facts(NamedTuple):
    """What the checks read: profile, program, rules, today and the target rotation."""

    profile: Profile
    program: Program
    rules: Rules
    today: date
    target: Target | None
    earliest: date | None
    asked: bool = False


def stage_at(profile: Profile, last: date) -> str:
    """Return the stage during a rotation (a student graduating before its last day: graduate)."""
    if profile.stage == "student" and profile.graduation < last:
        return "graduate"
    return profile.stage


def _no_target(rule: str) -> Check:
    return Check(rule, "unknown", "no known start to check against")


def _dates(f: Facts) -> Check:
    if f.target is None:
        on_time = (
            f"earliest start with every step on time: {f.earliest.isoformat()}"
            if f.earliest
            else "no start with every step on time in the next 5 years"
        )
        asked = "no allowed start in the period asked for; " if f.asked else ""
        return Check("dates", "unknown", asked + on_time)
    when = f"apply by {f.target.apply_by.isoformat()} for the start {f.target.start.isoformat()}"
    if f.target.window_opens is not None:
        when += f" (the window opens {f.target.window_opens.isoformat()})"
    if f.target.apply_by >= f.today:
        return Check("dates", "met", when)
    later = (
        f"earliest start with every step on time: {f.earliest.isoformat()}"
        if f.earliest
        else "no start with every step on time in the next 5 years"
    )
    minimum = f.program.lead_time.minimum if f.program.lead_time else None
    if minimum is not None and f.target.window_opens is None:
        last_chance = minimum.before(f.target.start)
        if last_chance >= f.today:
            # The contract judges by the recommended lead; the program's own minimum is news.
            later += f"; the program's minimum lead allows applying until {last_chance.isoformat()}"
    return Check("dates", "unmet", f"apply-by {f.target.apply_by.isoformat()} passed; {later}")


def _status(f: Facts) -> Check:
    status = f.program.status
    if status == "open":
        return Check("status", "met", "open, per source")
    if status in ("closed", "paused"):
        return Check("status", "unmet", f"{status}, per source")
    if status == "partner-only":
        return Check("status", "unknown", "only partner schools; check yours")
    return Check("status", "unknown", "the source does not say whether it is open")


def _audience(f: Facts) -> Check:
    # A graduate or physician stays one whatever the date; only a student's stage needs a start.
    if f.target is None and f.profile.stage == "student":
        return _no_target("audience")
    stage = stage_at(f.profile, f.target.last) if f.target else f.profile.stage
    audience = f.program.audience
    when = _stage_words(f, stage)
    if audience is None:
        return Check("audience", "unknown", f"the source does not say whom it takes; {when}")
    fits = stage in audience or (stage == "physician" and "graduate" in audience)
    return Check("audience", "met" if fits else "unmet", f"takes {', '.join(audience)}; {when}")


def _stage_words(f: Facts, stage: str) -> str:
    graduation = f.profile.graduation.isoformat()
    if f.profile.stage != "student":
        return f"you are a {stage} (graduated {graduation})"
    assert f.target is not None
    if stage == "student":
        return (
            f"you will still be a student on {f.target.last.isoformat()} (graduation {graduation})"
        )
    return f"you will have graduated ({graduation}) by the last day, {f.target.last.isoformat()}"


def _student_year(f: Facts) -> Check:
    wanted = f.program.requires.student_year
    if wanted is None:
        return Check("student_year", "not-stated", NOT_STATED)
    if f.target is None and f.profile.stage != "student":
        return Check("student_year", "met", "not a student")
    if f.target is None:
        return _no_target("student_year")
    if stage_at(f.profile, f.target.last) != "student":
        return Check("student_year", "met", "not a student during the rotation")
    graduation, start, last = f.profile.graduation, f.target.start, f.target.last
    final_from = f.profile.final_year_from or add_months(graduation, -12)
    before_graduation = last <= graduation
    fits = {
        "final": final_from <= start,
        "final-or-penultimate": add_months(final_from, -12) <= start,
        "not-final": f.target.apply_by < final_from,
        "any": True,
    }[wanted] and before_graduation
    year = "in your final year" if final_from <= start else "not yet in your final year"
    detail = (
        f"wants {wanted.replace('-', ' ')} students; on {start.isoformat()} you will be {year} "
        f"(final year from {final_from.isoformat()}, graduation {graduation.isoformat()})"
    )
    return Check("student_year", "met" if fits else "unmet", detail)


def _years_since_graduation(f: Facts) -> Check:
    limit = f.program.requires.max_years_since_graduation
    if limit is None:
        return Check("years_since_graduation", "not-stated", NOT_STATED)
    if f.target is None:
        return _no_target("years_since_graduation")
    if stage_at(f.profile, f.target.last) == "student":
        return Check("years_since_graduation", "met", "still a student during the rotation")
    cutoff = calendar_years_before(f.target.start, limit)
    fits = f.profile.graduation >= cutoff
    detail = (
        f"graduated {f.profile.graduation.isoformat()}; needs graduation on or after "
        f"{cutoff.isoformat()} ({limit} years before the start)"
    )
    return Check("years_since_graduation", "met" if fits else "unmet", detail)


def _exam(f: Facts, exam: str) -> Check:
    required = getattr(f.program.requires, exam)
    if required is None:
        return Check(exam, "not-stated", NOT_STATED)
    if required is False:
        return Check(exam, "met", NOT_REQUIRED)
    if f.target is None:
        return _no_target(exam)
    record: ExamRecord = getattr(f.profile, exam) or ExamRecord()
    status, name, deadline = _exam_status(record, f), EXAM_NAMES[exam], f.target.apply_by
    taken = record.date.isoformat() if record.date else ""
    if status == "met":
        return Check(exam, "met", f"passed {taken}")
    if status == "unknown":
        return Check(exam, "unknown", f"{name} was booked for {taken}; record the result")
    if status == "pending":
        result = f.rules.usmle_result_delay.after(record.date or deadline).isoformat()
        detail = f"if your {name} on {taken} passes; result expected {result}, apply by "
        return Check(exam, "pending", detail + deadline.isoformat())
    said = {
        "not-taken": "not taken",
        "failed": f"failed on {taken}",
        "scheduled": f"booked for {taken}: the result comes too late",
        "passed": f"passed on {taken}, after the apply-by date",
    }[record.status]
    latest = f.rules.usmle_result_delay.before(deadline).isoformat()
    detail = f"{name} {said}; must be passed by {deadline.isoformat()} (latest test date {latest})"
    return Check(exam, "unmet", detail)


def _exam_status(record: ExamRecord, f: Facts) -> str:
    assert f.target is not None
    deadline = f.target.apply_by
    if record.status == "passed" and record.date and record.date <= deadline:
        return "met"
    if record.status == "scheduled" and record.date is not None:
        if record.date < f.today:
            return "unknown"
        if f.rules.usmle_result_delay.after(record.date) <= deadline:
            return "pending"
    return "unmet"


def _step1(f: Facts) -> Check:
    return _exam(f, "step1")


def _step2ck(f: Facts) -> Check:
    return _exam(f, "step2ck")


def _min_step_score(f: Facts) -> Check:
    minimum = f.program.requires.min_step_score
    if minimum is None:
        return Check("min_step_score", "not-stated", NOT_STATED)
    records = [
        (exam, record)
        for exam in EXAM_NAMES
        if (record := getattr(f.profile, exam)) is not None
        and record.status in ("passed", "scheduled")
    ]
    if not records:
        return Check(
            "min_step_score",
            "unmet",
            f"needs {minimum} on every Step taken; no Step passed or booked",
        )
    low = [
        f"{EXAM_NAMES[e]} {r.score}"
        for e, r in records
        if r.score is not None and r.score < minimum
    ]
    if low:
        return Check("min_step_score", "unmet", f"needs {minimum}; {', '.join(low)}")
    unscored = [
        EXAM_NAMES[e]
        for e, r in records
        if r.status == "passed"
        and r.score is None
        and (e == "step2ck" or r.date < STEP1_PASS_FAIL_FROM)
    ]
    if unscored:
        return Check(
            "min_step_score", "unknown", f"needs {minimum}; record your {', '.join(unscored)} score"
        )
    booked = [(EXAM_NAMES[e], r.date) for e, r in records if r.status == "scheduled" and r.date]
    if booked:
        return _booked_score(f, minimum, booked)
    return Check(
        "min_step_score", "met", f"needs {minimum}; your scores meet it (pass/fail Step 1 counts)"
    )


def _booked_score(f: Facts, minimum: int, booked: list[tuple[str, date]]) -> Check:
    # Pending means "met in time": a score that arrives after the apply-by date is not.
    delay = f.rules.usmle_result_delay
    if f.target is None:
        names = ", ".join(name for name, _ in booked)
        return Check(
            "min_step_score", "pending", f"needs {minimum}; if your {names} scores at least that"
        )
    deadline = f.target.apply_by
    parts = [
        f"{name} on {day.isoformat()} (result {delay.after(day).isoformat()})"
        for name, day in booked
    ]
    if any(delay.after(day) > deadline for _, day in booked):
        detail = (
            f"needs {minimum}; the score of your {', '.join(parts)} comes after "
            f"apply-by {deadline.isoformat()}"
        )
        return Check("min_step_score", "unmet", detail)
    detail = (
        f"needs {minimum}; if your {', '.join(parts)} scores at least that; "
        f"apply by {deadline.isoformat()}"
    )
    return Check("min_step_score", "pending", detail)


def _ecfmg_certified(f: Facts) -> Check:
    required = f.program.requires.ecfmg_certified
    if required is None:
        return Check("ecfmg_certified", "not-stated", NOT_STATED)
    if required is False:
        return Check("ecfmg_certified", "met", NOT_REQUIRED)
    held = f.profile.ecfmg_certified
    if held is None:
        return Check(
            "ecfmg_certified",
            "unknown",
            "required; the profile does not say whether you are certified",
        )
    return Check(
        "ecfmg_certified",
        "met" if held else "unmet",
        "required; " + ("you are certified" if held else "you are not certified"),
    )


def _english(f: Facts) -> Check:
    status, detail = english_status(f.profile, f.program)
    return Check("english", status, detail)


def _residency_seekers(f: Facts) -> Check:
    excludes = f.program.requires.excludes_residency_seekers
    if excludes is None:
        return Check("residency_seekers", "not-stated", NOT_STATED)
    if excludes is False:
        return Check("residency_seekers", "met", "open to residency seekers, per source")
    seeking = f.profile.seeking_residency
    if seeking is None:
        return Check(
            "residency_seekers",
            "unknown",
            "not for residency seekers; the profile does not say whether you are one",
        )
    return Check(
        "residency_seekers",
        "unmet" if seeking else "met",
        "not for people seeking a US residency" + ("; you are" if seeking else "; you are not"),
    )


def _visa(f: Facts) -> Check:
    # Without a start, only the answers that need no date can be given.
    route = visa_route(f.profile, f.program, f.target.start if f.target else f.today, f.rules)
    if route.route == "impossible":
        return Check("visa", "unmet", route.detail)
    if route.act_by is None:
        return Check("visa", "met", route.detail)
    if f.target is None:
        return _no_target("visa")
    if route.act_by < f.today:
        late = "ESTA" if route.route == "esta" else "a visa interview"
        detail = f"{late} was needed by {route.act_by.isoformat()} for the start "
        return Check(
            "visa", "unmet", detail + f"{f.target.start.isoformat()}; the wait is too long"
        )
    return Check("visa", "met", route.detail)


def _citizenship(f: Facts) -> Check:
    excluded = f.program.requires.excluded_citizenships
    if excluded is None:
        return Check("citizenship", "not-stated", NOT_STATED)
    barred = sorted(set(f.profile.citizenships) & set(excluded))
    if barred:
        return Check("citizenship", "unmet", f"citizens of {', '.join(barred)} are not accepted")
    return Check(
        "citizenship",
        "met",
        f"not accepted: {', '.join(excluded)}; you hold {', '.join(f.profile.citizenships)}",
    )


CHECKS: tuple[Callable[[Facts], Check], ...] = (
    _dates,
    _status,
    _audience,
    _student_year,
    _years_since_graduation,
    _step1,
    _step2ck,
    _min_step_score,
    _ecfmg_certified,
    _english,
    _residency_seekers,
    _visa,
    _citizenship,
)
