"""Properties of eligibility over generated profiles, programs and dates (section 7)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from usce_planner.eligibility import (
    RULE_ORDER,
    VERDICT_ORDER,
    Result,
    check_program,
    earliest_start,
)
from usce_planner.models.base import STEP1_PASS_FAIL_FROM
from usce_planner.models.catalog import Program, Requirements
from usce_planner.models.profile import Profile
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.preparation import is_feasible_start
from usce_planner.timing.starts import allowed_starts, is_allowed_start, last_day, rotation_weeks

RULES = shipped_rules()
STATUS_RANK = {"met": 0, "pending": 1, "unknown": 2, "unmet": 3}
BASE_PROGRAM: dict[str, Any] = {
    "id": "generated", "institution": "Example Hospital", "name": "Observership",
    "kind": "observership", "state": "NY", "source": "https://example.org/observe",
    "source_date": "2025", "verified": date(2026, 11, 25), "confidence": "high",
}  # fmt: skip
# The requirement keys behind each check that an omission turns into "not-stated".
OMITTABLE = {
    "student_year": ("student_year",),
    "years_since_graduation": ("max_years_since_graduation",),
    "step1": ("step1",),
    "step2ck": ("step2ck",),
    "min_step_score": ("min_step_score",),
    "ecfmg_certified": ("ecfmg_certified",),
    "english": (
        "english", "toefl_ibt_min", "ielts_min", "english_tests", "english_waiver_if_english_medium",
    ),
    "residency_seekers": ("excludes_residency_seekers",),
    "citizenship": ("excluded_citizenships",),
}  # fmt: skip

todays = st.dates(date(2026, 1, 1), date(2030, 12, 31))
month_days = st.dates(date(2024, 1, 1), date(2024, 12, 31)).map(lambda d: d.strftime("%m-%d"))
countries = st.sampled_from(["IN", "GB", "DE", "CA", "BM", "IR", "SY", "NG", "PK", "JP"])
durations = st.sampled_from(["6 months", "3 months", "1 month", "8 weeks", "2 weeks", "10 days"])
maybe = st.none() | st.booleans()


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Return None or a value of ``strategy``."""
    return st.none() | strategy


@st.composite
def windows(draw: st.DrawFn, count: int = 3) -> list[dict[str, Any]]:
    """Return one to ``count`` windows, recurring (MM-DD) or one-off (dates)."""
    found: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, count))):
        if draw(st.booleans()):
            keys = ("opens", "closes", "starts_from", "starts_to")
            found.append({key: draw(month_days) for key in keys})
        else:
            opens = draw(st.dates(date(2025, 1, 1), date(2031, 12, 31)))
            closes = opens + timedelta(days=draw(st.integers(0, 200)))
            first = closes + timedelta(days=draw(st.integers(1, 200)))
            last = first + timedelta(days=draw(st.integers(0, 120)))
            found.append(
                {"opens": opens, "closes": closes, "starts_from": first, "starts_to": last}
            )
    return found


@st.composite
def requirements(draw: st.DrawFn) -> dict[str, Any]:
    """Return a [program.requires] table, each key present or omitted."""
    drawn = {
        "student_year": draw(optional(st.sampled_from(["final", "final-or-penultimate", "not-final", "any"]))),
        "max_years_since_graduation": draw(optional(st.integers(0, 10))),
        "step1": draw(maybe),
        "step2ck": draw(maybe),
        "min_step_score": draw(optional(st.integers(180, 260))),
        "ecfmg_certified": draw(maybe),
        "english": draw(maybe),
        "toefl_ibt_min": draw(optional(st.integers(60, 110))),
        "ielts_min": draw(optional(st.sampled_from([5.5, 6.0, 6.5, 7.0, 7.5]))),
        "english_tests": draw(optional(st.lists(st.sampled_from(["toefl", "ielts", "oet"]), min_size=1, max_size=3, unique=True))),
        "english_waiver_if_english_medium": draw(maybe),
        "excludes_residency_seekers": draw(maybe),
        "visas": draw(optional(st.lists(st.sampled_from(["b1", "b2", "b1-b2", "esta", "j1", "h1b"]), min_size=1, max_size=3, unique=True))),
        "excluded_citizenships": draw(optional(st.lists(countries, min_size=1, max_size=2, unique=True))),
    }  # fmt: skip
    return {key: value for key, value in drawn.items() if value is not None}


@st.composite
def programs(draw: st.DrawFn, window_count: int = 3, fixed_lists: bool = True) -> Program:
    """Return a valid program: any start rule, lead time, windows and requirements."""
    rules: list[Any] = [None, "any-day", "any-monday", "first-monday"]
    fields: dict[str, Any] = {
        "status": draw(st.sampled_from(["open", "partner-only", "paused", "closed", "unknown"])),
        "audience": draw(optional(st.lists(st.sampled_from(["student", "graduate", "physician"]), min_size=1, max_size=3, unique=True))),
        "weeks": draw(optional(st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True))),
        "starts": draw(st.sampled_from(rules) | (st.lists(todays, min_size=1, max_size=4) if fixed_lists else st.nothing())),
        "lead_time": draw(optional(st.fixed_dictionaries({}, optional={"recommended": durations, "minimum": durations}))),
        "windows": draw(optional(windows(window_count))) if window_count else None,
        "requires": draw(requirements()),
    }  # fmt: skip
    return Program.model_validate(
        {**BASE_PROGRAM, **{key: value for key, value in fields.items() if value is not None}}
    )


@st.composite
def exams(draw: st.DrawFn, name: str, today: date) -> dict[str, Any] | None:
    """Return a [step1]/[step2ck] table in any state, or None (not taken)."""
    status = draw(st.sampled_from([None, "not-taken", "scheduled", "passed", "failed"]))
    if status is None:
        return None
    # Passes and failures lie in the past (the profile file refuses a later pass).
    latest = today + timedelta(days=400) if status == "scheduled" else today
    day = draw(st.dates(date(2018, 1, 1), latest))
    record: dict[str, Any] = {"status": status, "date": day}
    if status != "scheduled" and (name == "step2ck" or day < STEP1_PASS_FAIL_FROM):
        record["score"] = draw(optional(st.integers(150, 280)))
    return {key: value for key, value in record.items() if value is not None}


@st.composite
def profiles(draw: st.DrawFn, today: date) -> Profile:
    """Return a valid profile around ``today``."""
    graduation = draw(st.dates(today - timedelta(days=3000), today + timedelta(days=1500)))
    fields: dict[str, Any] = {
        "schema": 1,
        "stage": draw(st.sampled_from(["student", "graduate", "physician"])),
        "graduation": graduation,
        "final_year_from": draw(optional(st.integers(1, 730).map(lambda n: graduation - timedelta(days=n)))),
        "citizenship": draw(countries | st.lists(countries, min_size=2, max_size=2, unique=True)),
        "us_status": draw(st.sampled_from(["none", "none", "citizen", "permanent-resident"])),
        "seeking_residency": draw(maybe),
        "english_medium_school": draw(maybe),
        "ecfmg_certified": draw(maybe),
        "step1": draw(exams("step1", today)),
        "step2ck": draw(exams("step2ck", today)),
        "english": draw(optional(st.fixed_dictionaries({}, optional={"toefl_ibt": st.integers(40, 120), "ielts": st.sampled_from([5.0, 6.5, 7.0, 8.0]), "oet": st.booleans()}))),
        "visa": draw(optional(st.fixed_dictionaries({"holds": st.sampled_from(["none", "b1-b2", "b1", "j1", "f1"])}, optional={"consulate_wait_weeks": st.integers(0, 60)}))),
    }  # fmt: skip
    return Profile.model_validate({k: v for k, v in fields.items() if v is not None})


def rank(result: Result) -> int:
    """Return the verdict's place: eligible < conditional < unknown < ineligible."""
    return VERDICT_ORDER.index(result.verdict)


def status_of(result: Result, rule: str) -> str:
    """Return one rule's status in a result."""
    return next(check.status for check in result.checks if check.rule == rule)


def with_fields(person: Profile, **fields: Any) -> Profile:
    """Return the profile with these fields replaced, validated again."""
    data = person.model_dump(by_alias=True, exclude_none=True)
    data.update(fields)
    return Profile.model_validate({k: v for k, v in data.items() if v is not None})


@settings(max_examples=60, deadline=None)
@given(data=st.data(), today=todays, offset=st.integers(-60, 1100), whole_month=st.booleans())
def test_check_program_returns_thirteen_ordered_checks_when_inputs_are_arbitrary(
    data: st.DataObject, today: date, offset: int, whole_month: bool
) -> None:
    program, person = data.draw(programs()), data.draw(profiles(today))
    wanted = data.draw(st.none() | st.just(today + timedelta(days=offset)))
    result = check_program(program, person, RULES, today, wanted, whole_month)
    assert tuple(check.rule for check in result.checks) == RULE_ORDER
    statuses = {check.status for check in result.checks}
    assert statuses <= {"met", "pending", "unknown", "unmet", "not-stated"}
    expected = next(
        (v for s, v in (("unmet", "ineligible"), ("unknown", "unknown"), ("pending", "conditional")) if s in statuses),
        "eligible",
    )  # fmt: skip
    assert result.verdict == expected
    if wanted is None:
        # The chosen start: the earliest, or a later one that says why (section 6).
        start = result.target.start if result.target else None
        if result.note.startswith("from "):
            assert start is not None
            assert result.earliest_start is not None
            assert start > result.earliest_start
        else:
            assert start == result.earliest_start
    if result.target is not None:
        target = result.target
        assert is_allowed_start(program, target.start)
        assert target.last == last_day(target.start, rotation_weeks(program))
        assert status_of(result, "dates") == ("met" if target.apply_by >= today else "unmet")
    else:
        assert status_of(result, "dates") == "unknown"


@settings(max_examples=50, deadline=None)
@given(
    data=st.data(),
    today=todays,
    offset=st.integers(0, 900),
    name=st.sampled_from(["step1", "step2ck"]),
)
def test_passing_an_exam_never_worsens_the_verdict_when_it_was_not_taken_or_booked(
    data: st.DataObject, today: date, offset: int, name: str
) -> None:
    program, wanted = data.draw(programs()), today + timedelta(days=offset)
    booked = {"status": "scheduled", "date": data.draw(st.dates(today - timedelta(days=60), today + timedelta(days=400)))}  # fmt: skip
    before_record = data.draw(st.sampled_from([None, {"status": "not-taken"}, booked]))
    before = with_fields(data.draw(profiles(today)), **{name: before_record})
    first = check_program(program, before, RULES, today, wanted)
    assume(first.target is not None)
    assert first.target is not None
    passed_on = data.draw(st.dates(date(2018, 1, 1), min(today, first.target.apply_by - timedelta(days=1))))  # fmt: skip
    passed: dict[str, Any] = {"status": "passed", "date": passed_on}
    # A numeric-era pass carries its score, at or above any minimum: a pass with no score or a
    # low one rightly turns min_step_score from pending to unknown or unmet (section 7).
    if name == "step2ck" or passed_on < STEP1_PASS_FAIL_FROM:
        passed["score"] = data.draw(st.integers(program.requires.min_step_score or 1, 300))
    second = check_program(program, with_fields(before, **{name: passed}), RULES, today, wanted)
    assert second.target == first.target
    assert rank(second) <= rank(first)
    if program.requires.model_dump()[name]:
        assert status_of(second, name) == "met"


@settings(max_examples=50, deadline=None)
@given(
    data=st.data(),
    today=todays,
    offsets=st.lists(st.integers(0, 1100), min_size=2, max_size=2),
    name=st.sampled_from(["step1", "step2ck"]),
)
def test_a_later_start_never_worsens_a_booked_exam_when_apply_by_moves_forward(
    data: st.DataObject, today: date, offsets: list[int], name: str
) -> None:
    # Several overlapping windows can give a later start an earlier apply-by (the latest closes
    # wins per start), so generated programs carry at most one window; see the example at the end.
    program = data.draw(programs(window_count=1, fixed_lists=False))
    program = program.model_copy(
        update={"requires": program.requires.model_copy(update={name: True})}
    )
    exam_day = data.draw(st.dates(today - timedelta(days=30), today + timedelta(days=500)))
    person = with_fields(
        data.draw(profiles(today)), **{name: {"status": "scheduled", "date": exam_day}}
    )
    early, late = (today + timedelta(days=n) for n in sorted(offsets))
    first = check_program(program, person, RULES, today, early)
    second = check_program(program, person, RULES, today, late)
    assume(first.target is not None and second.target is not None)
    assert STATUS_RANK[status_of(second, name)] <= STATUS_RANK[status_of(first, name)]


@settings(max_examples=50, deadline=None)
@given(data=st.data(), today=todays, offset=st.integers(-60, 1100))
def test_omitting_a_requirement_makes_it_not_stated_when_the_verdict_cannot_worsen(
    data: st.DataObject, today: date, offset: int
) -> None:
    program, person = data.draw(programs()), data.draw(profiles(today))
    stated = [rule for rule, keys in OMITTABLE.items() if set(keys) & program.requires.model_fields_set]  # fmt: skip
    assume(stated)
    rule = data.draw(st.sampled_from(stated))
    kept = program.requires.model_dump(exclude=set(OMITTABLE[rule]), exclude_none=True)
    omitted = program.model_copy(update={"requires": Requirements.model_validate(kept)})
    wanted = today + timedelta(days=offset)
    before = check_program(program, person, RULES, today, wanted)
    after = check_program(omitted, person, RULES, today, wanted)
    assert status_of(after, rule) == "not-stated"
    assert rank(after) <= rank(before)
    others = [(c.rule, c.status) for c in after.checks if c.rule != rule]
    assert others == [(c.rule, c.status) for c in before.checks if c.rule != rule]


@settings(max_examples=40, deadline=None)
@given(data=st.data(), today=todays)
def test_earliest_start_is_feasible_when_the_allowed_start_before_it_is_not(
    data: st.DataObject, today: date
) -> None:
    program, person = data.draw(programs()), data.draw(profiles(today))
    found = earliest_start(program, person, RULES, today)
    assume(found is not None)
    assert found is not None
    assert is_feasible_start(program, found, person, RULES, today)
    earlier = list(allowed_starts(program, max(today, found - timedelta(days=400)), found - timedelta(days=1)))  # fmt: skip
    assert not any(is_feasible_start(program, day, person, RULES, today) for day in earlier)


def test_a_later_start_can_worsen_a_booked_exam_when_an_earlier_closing_window_serves_it() -> None:
    # Contract-consistent, and why the property above keeps to one window: 2027-06-15 falls in
    # both windows (the latest closes, 28 February, wins); 2027-07-01 only in the broad one.
    broad = {"opens": "01-01", "closes": "01-31", "starts_from": "03-01", "starts_to": "08-31"}
    narrow = {"opens": "02-01", "closes": "02-28", "starts_from": "06-01", "starts_to": "06-30"}
    program = Program.model_validate(
        {**BASE_PROGRAM, "status": "open", "windows": [broad, narrow], "requires": {"step1": True}}
    )
    person = Profile.model_validate(
        {"schema": 1, "stage": "graduate", "graduation": date(2025, 6, 30), "citizenship": "GB",
         "step1": {"status": "scheduled", "date": date(2027, 1, 20)}}
    )  # fmt: skip
    today = date(2026, 10, 1)
    june = check_program(program, person, RULES, today, date(2027, 6, 15))
    july = check_program(program, person, RULES, today, date(2027, 7, 1))
    assert june.target is not None
    assert july.target is not None
    assert (june.target.apply_by, july.target.apply_by) == (date(2027, 2, 28), date(2027, 1, 31))
    assert (status_of(june, "step1"), status_of(july, "step1")) == ("pending", "unmet")
