"""The thirteen eligibility rules, each a function of the run's context and its own inputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from usce_planner.dates import Duration, add_months, calendar_years_before
from usce_planner.models.base import STEP1_PASS_FAIL_FROM
from usce_planner.models.catalog import Program
from usce_planner.models.profile import ExamRecord, Profile
from usce_planner.models.rules import Rules
from usce_planner.timing.english import EnglishNeeds, english_needs, english_status_for
from usce_planner.timing.starts import DEFAULT_WEEKS
from usce_planner.timing.visas import VisaRoute, route_for, traveller

NOT_STATED = "not stated by the source — verify"
NOT_REQUIRED = "not required, per source"
EXAM_NAMES = {"step1": "Step 1", "step2ck": "Step 2 CK"}


@dataclass(frozen=True, init=False)
class Check:
    """One rule's outcome: met, pending, unknown, unmet or not-stated, with the values used.

    A dataclass, which orjson writes as an object by itself: ``eligible --json`` writes a
    dozen of these for every program.
    """

    rule: str
    status: str
    detail: str

    def __init__(self, rule: str, status: str, detail: str) -> None:
        # Filled in directly: a frozen dataclass's own __init__ calls object.__setattr__ for
        # each field, at nearly twice the cost, and a catalog check makes thousands. (Slots
        # would be cheaper still, but orjson writes a dataclass with slots three times slower.)
        fields = self.__dict__
        fields["rule"] = rule
        fields["status"] = status
        fields["detail"] = detail


class Target(NamedTuple):
    """The rotation the checks look at: its start, last day and apply-by date."""

    start: date
    last: date
    apply_by: date
    window_opens: date | None = None


class Context(NamedTuple):
    """What stays the same for every program of one run: the profile, the rules and today."""

    profile: Profile
    rules: Rules
    today: date


def stage_at(profile: Profile, start: date, last: date) -> str:
    """Return the stage during a rotation from ``start`` to ``last`` (section 7).

    A student who graduates on or before the start is a graduate for it, one who graduates on
    or after the last day a student, and one who graduates in between is ``graduating``: the
    rotation begins at school and ends after it, which fits no audience but "both".
    """
    if profile.stage != "student":
        return profile.stage
    graduation = profile.graduation
    if graduation <= start:
        return "graduate"
    return "student" if graduation >= last else "graduating"


def graduating_words(profile: Profile, start: date, last: date) -> str:
    """Return what a student graduating during a rotation is told, with the dates."""
    return (
        f"you graduate on {profile.graduation.isoformat()}, during this rotation "
        f"{start.isoformat()}–{last.isoformat()}"  # noqa: RUF001  # the en dash of section 7
    )


def _no_target(rule: str) -> Check:
    return Check(rule, "unknown", "no known start to check against")


def _dates(
    c: Context, target: Target | None, earliest: date | None, asked: bool, minimum: Duration | None
) -> Check:
    if target is None:
        on_time = (
            f"earliest start with every step on time: {earliest.isoformat()}"
            if earliest
            else "no start with every step on time in the next 5 years"
        )
        prefix = "no allowed start in the period asked for; " if asked else ""
        return Check("dates", "unknown", prefix + on_time)
    when = f"apply by {target.apply_by.isoformat()} for the start {target.start.isoformat()}"
    if target.window_opens is not None:
        when += f" (the window opens {target.window_opens.isoformat()})"
    if target.apply_by >= c.today:
        return Check("dates", "met", when)
    later = (
        f"earliest start with every step on time: {earliest.isoformat()}"
        if earliest
        else "no start with every step on time in the next 5 years"
    )
    if minimum is not None and target.window_opens is None:
        last_chance = minimum.before(target.start)
        if last_chance >= c.today:
            # The contract judges by the recommended lead; the program's own minimum is news.
            later += f"; the program's minimum lead allows applying until {last_chance.isoformat()}"
    return Check("dates", "unmet", f"apply-by {target.apply_by.isoformat()} passed; {later}")


def _status(c: Context, status: str) -> Check:
    if status == "open":
        return Check("status", "met", "open, per source")
    if status in ("closed", "paused"):
        return Check("status", "unmet", f"{status}, per source")
    if status == "partner-only":
        return Check("status", "unknown", "only partner schools; check yours")
    return Check("status", "unknown", "the source does not say whether it is open")


def _audience(
    c: Context, audience: tuple[str, ...] | None, span: tuple[date, date] | None
) -> Check:
    # A graduate or physician stays one whatever the date; only a student's stage needs the
    # rotation's first and last days.
    profile = c.profile
    if span is None and profile.stage == "student":
        return _no_target("audience")
    stage = stage_at(profile, *span) if span else profile.stage
    when = _stage_words(profile, stage, span)
    if audience is None:
        return Check("audience", "unknown", f"the source does not say whom it takes; {when}")
    if stage == "graduating":
        fits = "student" in audience and "graduate" in audience
    else:
        fits = stage in audience or (stage == "physician" and "graduate" in audience)
    return Check("audience", "met" if fits else "unmet", f"takes {_people(audience)}; {when}")


def _people(audience: tuple[str, ...]) -> str:
    """Return the audience in words: ``students and graduates``."""
    words = [f"{stage}s" for stage in audience]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _stage_words(profile: Profile, stage: str, span: tuple[date, date] | None) -> str:
    graduation = profile.graduation.isoformat()
    if profile.stage != "student":
        return f"you are a {stage} (graduated {graduation})"
    assert span is not None
    start, last = span
    if stage == "student":
        return f"you will still be a student on {last.isoformat()} (graduation {graduation})"
    if stage == "graduating":
        return graduating_words(profile, start, last)
    return f"you will have graduated ({graduation}) by the start, {start.isoformat()}"


def _student_year(c: Context, wanted: str | None, target: Target | None) -> Check:
    if wanted is None:
        return Check("student_year", "not-stated", NOT_STATED)
    if target is None and c.profile.stage != "student":
        return Check("student_year", "met", "not a student")
    if target is None:
        return _no_target("student_year")
    graduation, start, last = c.profile.graduation, target.start, target.last
    stage = stage_at(c.profile, start, last)
    if stage not in ("student", "graduating"):
        words = _stage_words(c.profile, stage, (start, last))
        return Check("student_year", "met", f"not a student; {words}")
    final_from = c.profile.final_year_from or add_months(graduation, -12)
    before_graduation = last <= graduation
    fits = {
        "final": final_from <= start,
        "final-or-penultimate": add_months(final_from, -12) <= start,
        "not-final": target.apply_by < final_from,
        "any": True,
    }[wanted] and before_graduation
    if not before_graduation:
        detail = f"wants {wanted.replace('-', ' ')} students; " + graduating_words(
            c.profile, start, last
        )
        return Check("student_year", "unmet", detail)
    year = "in your final year" if final_from <= start else "not yet in your final year"
    detail = (
        f"wants {wanted.replace('-', ' ')} students; on {start.isoformat()} you will be {year} "
        f"(final year from {final_from.isoformat()}, graduation {graduation.isoformat()})"
    )
    return Check("student_year", "met" if fits else "unmet", detail)


def _years_since_graduation(c: Context, limit: int | None, target: Target | None) -> Check:
    if limit is None:
        return Check("years_since_graduation", "not-stated", NOT_STATED)
    if target is None:
        return _no_target("years_since_graduation")
    if stage_at(c.profile, target.start, target.last) in ("student", "graduating"):
        detail = f"still a student on {target.start.isoformat()}, the start"
        return Check("years_since_graduation", "met", detail)
    cutoff = calendar_years_before(target.start, limit)
    fits = c.profile.graduation >= cutoff
    detail = (
        f"graduated {c.profile.graduation.isoformat()}; needs graduation on or after "
        f"{cutoff.isoformat()} ({limit} years before the start)"
    )
    return Check("years_since_graduation", "met" if fits else "unmet", detail)


def _exam(c: Context, exam: str, required: bool | None, deadline: date | None) -> Check:
    if required is None:
        return Check(exam, "not-stated", NOT_STATED)
    if required is False:
        return Check(exam, "met", NOT_REQUIRED)
    if deadline is None:
        return _no_target(exam)
    record: ExamRecord = getattr(c.profile, exam) or ExamRecord()
    status, name = _exam_status(c, record, deadline), EXAM_NAMES[exam]
    taken = record.date.isoformat() if record.date else ""
    if status == "met":
        return Check(exam, "met", f"passed {taken}")
    if status == "unknown":
        return Check(exam, "unknown", f"{name} was booked for {taken}; record the result")
    if status == "pending":
        result = c.rules.usmle_result_delay.after(record.date or deadline).isoformat()
        detail = f"if your {name} on {taken} passes; result expected {result}, apply by "
        return Check(exam, "pending", detail + deadline.isoformat())
    said = {
        "not-taken": "not taken",
        "failed": f"failed on {taken}",
        "scheduled": f"booked for {taken}: the result comes too late",
        "passed": f"passed on {taken}, after the apply-by date",
    }[record.status]
    latest = c.rules.usmle_result_delay.before(deadline).isoformat()
    detail = f"{name} {said}; must be passed by {deadline.isoformat()} (latest test date {latest})"
    return Check(exam, "unmet", detail)


def _exam_status(c: Context, record: ExamRecord, deadline: date) -> str:
    if record.status == "passed" and record.date and record.date <= deadline:
        return "met"
    if record.status == "scheduled" and record.date is not None:
        if record.date < c.today:
            return "unknown"
        if c.rules.usmle_result_delay.after(record.date) <= deadline:
            return "pending"
    return "unmet"


def _step1(c: Context, required: bool | None, deadline: date | None) -> Check:
    return _exam(c, "step1", required, deadline)


def _step2ck(c: Context, required: bool | None, deadline: date | None) -> Check:
    return _exam(c, "step2ck", required, deadline)


def _min_step_score(c: Context, minimum: int | None, deadline: date | None) -> Check:
    if minimum is None:
        return Check("min_step_score", "not-stated", NOT_STATED)
    records = [
        (exam, record)
        for exam in EXAM_NAMES
        if (record := getattr(c.profile, exam)) is not None
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
        return _booked_score(c, minimum, booked, deadline)
    return Check(
        "min_step_score", "met", f"needs {minimum}; your scores meet it (pass/fail Step 1 counts)"
    )


def _booked_score(
    c: Context, minimum: int, booked: list[tuple[str, date]], deadline: date | None
) -> Check:
    # Pending means "met in time": a score that arrives after the apply-by date is not.
    delay = c.rules.usmle_result_delay
    if deadline is None:
        names = ", ".join(name for name, _ in booked)
        return Check(
            "min_step_score", "pending", f"needs {minimum}; if your {names} scores at least that"
        )
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


def _ecfmg_certified(c: Context, required: bool | None) -> Check:
    if required is None:
        return Check("ecfmg_certified", "not-stated", NOT_STATED)
    if required is False:
        return Check("ecfmg_certified", "met", NOT_REQUIRED)
    held = c.profile.ecfmg_certified
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


def _english(c: Context, needs: EnglishNeeds) -> Check:
    status, detail = english_status_for(c.profile, needs)
    return Check("english", status, detail)


def _residency_seekers(c: Context, excludes: bool | None) -> Check:
    if excludes is None:
        return Check("residency_seekers", "not-stated", NOT_STATED)
    if excludes is False:
        return Check("residency_seekers", "met", "open to residency seekers, per source")
    seeking = c.profile.seeking_residency
    if seeking is None:
        return Check(
            "residency_seekers",
            "unknown",
            "not for residency seekers; the profile does not say whether you are one",
        )
    return Check(
        "residency_seekers",
        "unmet" if seeking else "met",
        "not for people seeking a US residency"
        + ("; you are seeking one" if seeking else "; you are not seeking one"),
    )


def _visa(c: Context, accepted: tuple[str, ...] | None, weeks: int, start: date | None) -> Check:
    person = traveller(c.profile, c.rules)
    return visa_check(c, route_for(person, accepted, weeks, start or c.today, c.rules), start)


def visa_check(c: Context, route: VisaRoute, start: date | None) -> Check:
    """Return the visa check on ``route``, worked out for ``start`` (without one, for today).

    Without a start, only the answers that need no date can be given.
    """
    if route.route == "impossible":
        return Check("visa", "unmet", route.detail)
    if route.act_by is None:
        return Check("visa", "met", route.detail)
    if start is None:
        return _no_target("visa")
    if route.act_by < c.today:
        late = "ESTA" if route.route == "esta" else "a visa interview"
        detail = f"{late} was needed by {route.act_by.isoformat()} for the start "
        return Check("visa", "unmet", detail + f"{start.isoformat()}; the wait is too long")
    return Check("visa", "met", route.detail)


def _citizenship(c: Context, excluded: tuple[str, ...] | None) -> Check:
    if excluded is None:
        return Check("citizenship", "not-stated", NOT_STATED)
    barred = sorted(set(c.profile.citizenships) & set(excluded))
    if barred:
        return Check("citizenship", "unmet", f"citizens of {', '.join(barred)} are not accepted")
    return Check(
        "citizenship",
        "met",
        f"not accepted: {', '.join(excluded)}; you hold {', '.join(c.profile.citizenships)}",
    )


def rule_inputs(
    program: Program, target: Target | None, earliest: date | None, asked: bool
) -> tuple[tuple[Any, ...], ...]:
    """Return, rule by rule, the only values of the program and the target each rule reads.

    A rule sees nothing else but the run's context, so two programs with the same inputs to a
    rule get the same check: a catalog's checks can be looked up instead of worked out again.
    """
    needs = program.requires
    deadline = target.apply_by if target else None
    start = target.start if target else None
    lead = program.lead_time
    weeks = program.weeks[0] if program.weeks else DEFAULT_WEEKS
    return (
        (target, earliest, asked, lead.minimum if lead else None),
        (program.status,),
        (program.audience, (target.start, target.last) if target else None),
        (needs.student_year, target),
        (needs.max_years_since_graduation, target),
        (needs.step1, deadline),
        (needs.step2ck, deadline),
        (needs.min_step_score, deadline),
        (needs.ecfmg_certified,),
        (english_needs(needs),),
        (needs.excludes_residency_seekers,),
        (needs.visas, weeks, start),
        (needs.excluded_citizenships,),
    )


# Each rule's place in CHECKS, in rule_inputs and in a result's checks.
(
    DATES,
    STATUS,
    AUDIENCE,
    STUDENT_YEAR,
    YEARS_SINCE_GRADUATION,
    STEP1,
    STEP2CK,
    MIN_STEP_SCORE,
    ECFMG_CERTIFIED,
    ENGLISH,
    RESIDENCY_SEEKERS,
    VISA,
    CITIZENSHIP,
) = range(13)

CHECKS: tuple[Callable[..., Check], ...] = (
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
