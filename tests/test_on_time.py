"""First on-time dates: the same feasibility as listing a start's steps (section 7)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_checker_properties import timing_rules
from tests.test_eligibility_properties import BASE_PROGRAM, profiles, programs, todays
from usce_planner.dates import Duration
from usce_planner.eligibility.checks import Context
from usce_planner.eligibility.search import Floors, first_day_on_time
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.timing.english import english_needs, english_status_for
from usce_planner.timing.preparation import is_feasible_start
from usce_planner.timing.starts import apply_by
from usce_planner.timing.visas import route_for, traveller

durations = st.builds(Duration, st.integers(0, 40), st.sampled_from(["days", "weeks", "months"]))


def apply_floor(floors: Floors, profile: Profile, program: Program) -> date:
    """Return the program's first on-time apply-by date, as the checker asks for it."""
    requires = program.requires
    english = english_status_for(profile, english_needs(requires))[0]
    score = requires.min_step_score is not None
    return floors.apply_floor(requires.step1, requires.step2ck, score, english)


def start_floor(floors: Floors, context: Context, program: Program) -> date:
    """Return the program's first on-time start, as the checker asks for it."""
    profile, rules, today = context
    weeks = program.weeks[0] if program.weeks else 4
    route = route_for(traveller(profile, rules), program.requires.visas, weeks, today, rules)
    return floors.start_floor_on(route.route)


def past_every_floor(floors: Floors, context: Context, program: Program, start: date) -> bool:
    """Return whether ``start`` and its apply-by date are on or past every floor.

    The checker's search starts at the floors, and takes the first allowed start from there
    as on time: this is the equivalence it relies on.
    """
    profile, rules, today = context
    applying = apply_by(program, start, rules.default_lead)
    if start < start_floor(floors, context, program):
        return False
    if applying.day < apply_floor(floors, profile, program):
        return False
    minimum = program.lead_time.minimum if program.lead_time else None
    # A program's own minimum lead binds a start applied for by lead, not by a window.
    return minimum is None or applying.from_window or start >= floors.lead_floor(minimum, today)


def first_by_counting(step_date: object, today: date) -> date:
    """Return the first day from today whose step is not before today, trying each day."""
    day = today
    while step_date(day) < today:  # type: ignore[operator]
        day += timedelta(days=1)
    return day


@given(duration=durations, today=st.dates(date(2024, 1, 1), date(2030, 12, 31)))
def test_first_day_is_the_first_whose_step_is_on_time_when_counted_day_by_day(
    duration: Duration, today: date
) -> None:
    assert first_day_on_time(duration.before, today) == first_by_counting(duration.before, today)


@given(first=durations, second=durations, today=st.dates(date(2024, 1, 1), date(2030, 12, 31)))
def test_first_day_holds_for_one_duration_counted_back_from_another(
    first: Duration, second: Duration, today: date
) -> None:
    def step(day: date) -> date:
        return second.before(first.before(day))

    assert first_day_on_time(step, today) == first_by_counting(step, today)


def test_first_day_is_past_the_month_end_when_clamping_keeps_the_step_short() -> None:
    # A month after 31 January is 28 February, yet 28 February less a month is 28 January,
    # which is late; 1 March less a month is 1 February, the first day on time.
    month = Duration(1, "months")
    assert month.after(date(2027, 1, 31)) == date(2027, 2, 28)
    assert month.before(date(2027, 2, 28)) == date(2027, 1, 28)
    assert first_day_on_time(month.before, date(2027, 1, 31)) == date(2027, 3, 1)
    assert first_day_on_time(month.before, date(2027, 1, 28)) == date(2027, 2, 28)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), today=todays, offset=st.integers(-30, 1500), near=st.integers(-5, 150))
def test_floors_allow_a_start_when_no_step_before_it_is_late(
    data: st.DataObject, today: date, offset: int, near: int
) -> None:
    program, profile = data.draw(programs()), data.draw(profiles(today))
    rules = data.draw(timing_rules())
    context = Context(profile, rules, today)
    floors = Floors(context)
    # Any start, one that applies near today, and each side of the first start past the floors
    # (with and without the program's minimum lead): a floor off by a day turns one around.
    lead = (program.lead_time.recommended if program.lead_time else None) or rules.default_lead
    first = max(
        start_floor(floors, context, program), lead.after(apply_floor(floors, profile, program))
    )
    minimum = program.lead_time.minimum if program.lead_time else None
    first_by_minimum = max(first, minimum.after(today)) if minimum else first
    one_day = timedelta(days=1)
    start = data.draw(
        st.sampled_from(
            [
                today + timedelta(days=offset),
                lead.after(today + timedelta(days=near)),
                first - one_day,
                first,
                first_by_minimum - one_day,
                first_by_minimum,
            ]
        )
    )
    expected = is_feasible_start(program, start, profile, rules, today)
    assert past_every_floor(floors, context, program, start) == expected


def test_floors_refuse_a_start_inside_the_programs_minimum_lead_when_its_usual_lead_is_short() -> (
    None
):
    today = date(2026, 11, 25)
    program = Program.model_validate(
        {
            **BASE_PROGRAM,
            "status": "open",
            "lead_time": {"recommended": "10 days", "minimum": "8 weeks"},
        }
    )
    profile = Profile.model_validate(
        {"schema": 1, "stage": "graduate", "graduation": date(2025, 6, 30), "citizenship": "IN", "us_status": "citizen"}
    )  # fmt: skip
    rules = shipped_rules()
    context = Context(profile, rules, today)
    floors = Floors(context)
    for start in (today + timedelta(days=55), today + timedelta(days=56)):
        expected = is_feasible_start(program, start, profile, rules, today)
        assert (
            past_every_floor(floors, context, program, start)
            == expected
            == (start == today + timedelta(days=56))
        )
