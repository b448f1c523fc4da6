"""Checking programs against one profile: each rule over a whole catalog, a rule at a time.

A check reads few values (``checks.rule_inputs``), and many take only a few forms: a status, a
yes-or-no requirement, an English or visa requirement, an apply-by date. A checker keeps each
such check by its rule's inputs for the run, and works out the rest for each program: the
earliest start, the rotation it gives, and the checks that name their dates. Going through the
catalog a rule at a time keeps that work to a few steps per program. Tests hold the answers
equal to each rule applied to ``rule_inputs`` afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from operator import attrgetter
from typing import Any, NamedTuple

from usce_planner.dates import Duration, last_of_month
from usce_planner.eligibility.checks import (
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
    visa_check,
)
from usce_planner.eligibility.chosen import can_improve, chosen_result, days_to_try, stage_days
from usce_planner.eligibility.search import Floors
from usce_planner.models.catalog import Program, Requirements
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules
from usce_planner.timing.english import EnglishNeeds
from usce_planner.timing.starts import (
    DEFAULT_WEEKS,
    allowed_starts,
    apply_by,
    first_on_rule,
    first_served_start,
    last_day,
    search_limit,
)
from usce_planner.timing.visas import route_for, traveller


class Result(NamedTuple):
    """Every check of one program, the verdict, and the dates they used.

    ``note`` says, at a chosen start, why it is later than ``earliest_start`` ("from
    2027-12-15: you graduate then"), or why no start works; it is empty otherwise.
    """

    program: Program
    verdict: str
    target: Target | None
    checks: tuple[Check, ...]
    earliest_start: date | None
    note: str = ""

    def first_reason(self) -> Check | None:
        """Return the check behind the verdict (the first unmet, unknown or pending one)."""
        wanted = {"ineligible": "unmet", "unknown": "unknown", "conditional": "pending"}
        status = wanted.get(self.verdict)
        return next((check for check in self.checks if check.status == status), None)


def verdict_of(checks: tuple[Check, ...]) -> str:
    """Return the verdict: any unmet, else any unknown, else any pending, else eligible."""
    statuses = set(map(_STATUS, checks))
    if "unmet" in statuses:
        return "ineligible"
    if "unknown" in statuses:
        return "unknown"
    return "conditional" if "pending" in statuses else "eligible"


def first_start_from(program: Program, wanted: date, today: date, whole_month: bool) -> date | None:
    """Return the first allowed start on or after ``wanted`` (or within its month)."""
    limit = search_limit(today)
    last = min(last_of_month(wanted), limit) if whole_month else limit
    return next(allowed_starts(program, wanted, last), None)


class Checker:
    """Checks programs against one profile, under one set of rules, on one day."""

    def __init__(self, profile: Profile, rules: Rules, today: date) -> None:
        self.context = Context(profile, rules, today)
        self._floors = Floors(self.context)
        self._limit = search_limit(today)
        self._default_lead = rules.default_lead
        self._student = profile.stage == "student"
        self._known: tuple[dict[Any, Check], ...] = tuple({} for _ in CHECKS)
        self._english: dict[tuple[Any, ...], tuple[Check, date]] = {}
        self._visas: dict[tuple[Any, ...], _Visa] = {}
        self._traveller = traveller(profile, rules)
        self._lead_floors: dict[tuple[Duration, date], date] = {}
        self._stage_days = stage_days(profile)

    def check(
        self,
        program: Program,
        wanted: date | None = None,
        whole_month: bool = False,
        weeks: int | None = None,
    ) -> Result:
        """Check every rule for one program at the wanted start, else at its chosen start.

        ``weeks`` is the rotation's length (default: the program's usual one).
        """
        return self.check_all((program,), wanted, whole_month, weeks)[0]

    def earliest(self, program: Program, weeks: int | None = None) -> date | None:
        """Return the first allowed start with every preparation step on time, or None."""
        weeks = weeks or (program.weeks[0] if program.weeks else DEFAULT_WEEKS)
        english = self._english_of(program.requires)
        visa = self._visa_of(program.requires, weeks)
        return self._first_on_time(program, english, visa, weeks)[0]

    def check_all(
        self,
        programs: Sequence[Program],
        wanted: date | None = None,
        whole_month: bool = False,
        weeks: int | None = None,
    ) -> list[Result]:
        """Return ``check(program, wanted, whole_month, weeks)`` for each program, in order."""
        requires = [program.requires for program in programs]
        weeks_of = (
            [program.weeks[0] if program.weeks else DEFAULT_WEEKS for program in programs]
            if weeks is None
            else [weeks] * len(programs)
        )
        results = self._check_all(programs, requires, weeks_of, wanted, whole_month)
        if wanted is not None or not self._stage_days:
            return results  # only a student's verdict can be better at a later start
        # The starts the search looks at, for every program it may help, checked in one go.
        searched = [index for index, result in enumerate(results) if can_improve(result)]
        tries = [
            (index, start)
            for index in searched
            for start in self._starts_to_try(results[index], weeks_of[index])
        ]
        later = self._check_all(
            [programs[index] for index, _ in tries],
            [requires[index] for index, _ in tries],
            [weeks_of[index] for index, _ in tries],
            [start for _, start in tries],
            False,
        )
        by_program: dict[int, list[Result]] = {index: [] for index in searched}
        for (index, _), result in zip(tries, later, strict=True):
            by_program[index].append(result)
        profile = self.context.profile
        for index, tried in by_program.items():
            results[index] = chosen_result(results[index], tried, profile)
        return results

    def check_rotations(self, rotations: Sequence[tuple[Program, date, int]]) -> list[Result]:
        """Check rotations in a plan (program, start, weeks) at their own dates, less ``dates``.

        The plan shows a passed apply-by date as a LATE step already (section 8), so the
        checks and verdict leave it out; each start is taken as it is, allowed or not.
        """
        programs = [program for program, _, _ in rotations]
        requires = [program.requires for program in programs]
        weeks = [length for _, _, length in rotations]
        targets: list[Target | None] = []
        for program, start, length in rotations:
            applying = apply_by(program, start, self._default_lead)
            targets.append(
                Target(start, last_day(start, length), applying.day, applying.window_start)
            )
        visas = list(map(self._visa_of, requires, weeks))
        columns = self._columns(
            programs,
            requires,
            weeks,
            list(map(self._english_of, requires)),
            visas,
            [None] * len(programs),
            targets,
            True,
        )
        results = []
        for program, checks, target, visa in zip(
            programs, zip(*columns[DATES + 1 :], strict=True), targets, visas, strict=True
        ):
            found = checks[VISA - 1]
            if found.status == "unmet" and visa.route in _DATED_ROUTES:
                # Booked too late for the wait: the plan's own visa step (me:visa) is LATE
                # already, and once it is marked done the visa is on its way, as with dates.
                detail = found.detail.replace(
                    "the wait is too long", "the plan's visa step tracks it"
                )
                checks = (*checks[: VISA - 1], Check("visa", "met", detail), *checks[VISA:])
            results.append(Result(program, verdict_of(checks), target, checks, None))
        return results

    def check_starts(self, rotations: Sequence[tuple[Program, date, int]]) -> list[Result]:
        """Check each (program, start, weeks), every start one the program allows, in one go.

        The same verdicts as ``check(program, start, weeks=weeks)`` one at a time; for the
        many starts ``usce suggest`` weighs, the batch does the shared work once, and takes
        the starts as they are instead of looking for each again.
        """
        programs = [program for program, _, _ in rotations]
        requires = [program.requires for program in programs]
        weeks = [length for _, _, length in rotations]
        targets = [self._target_at(program, start, length) for program, start, length in rotations]
        return self._check_all(programs, requires, weeks, targets, False)

    def check_rotation(self, program: Program, start: date, weeks: int) -> Result:
        """Check one rotation in a plan at its own start and length, less ``dates``."""
        return self.check_rotations([(program, start, weeks)])[0]

    def _starts_to_try(self, found: Result, weeks: int) -> set[date]:
        """Return the starts after the earliest at which the verdict may be better."""
        program, earliest = found.program, found.earliest_start
        assert earliest is not None
        today, limit = self.context.today, self._limit
        starts: set[date | None] = set()
        for day in days_to_try(found, self._stage_days):
            if not earliest < day <= limit:
                continue
            starts.add(first_start_from(program, day, today, False))
            if program.windows is not None:
                # A window that serves a later start may close sooner: look also at the first
                # start from that day whose window is still open, and the first on time.
                served = first_served_start(program, day, limit, today)
                starts.add(served[0] if served else None)
                english = self._english_of(program.requires)
                visa = self._visa_of(program.requires, weeks)
                raised = visa._replace(start_floor=max(visa.start_floor, day))
                starts.add(self._first_on_time(program, english, raised, weeks)[0])
        return {start for start in starts if start is not None}

    def _check_all(
        self,
        programs: Sequence[Program],
        requires: list[Requirements],
        weeks: list[int],
        wanted: date | list[date] | list[Target] | None,
        whole_month: bool,
    ) -> list[Result]:
        english = list(map(self._english_of, requires))
        visas = list(map(self._visa_of, requires, weeks))
        found = list(map(self._first_on_time, programs, english, visas, weeks))
        earliest = [start for start, _ in found]
        if wanted is None:
            targets = [target for _, target in found]
        else:
            # One start for every program, or (for the search of chosen starts) one each, or
            # (for suggest) the targets themselves.
            starts: Sequence[date | Target] = (
                wanted if isinstance(wanted, list) else [wanted] * len(programs)
            )
            targets = [
                start
                if isinstance(start, Target)
                else self._target_from(program, length, start, whole_month)
                for program, length, start in zip(programs, weeks, starts, strict=True)
            ]
        columns = self._columns(
            programs, requires, weeks, english, visas, earliest, targets, wanted is not None
        )
        made = zip(programs, zip(*columns, strict=True), targets, earliest, strict=True)
        # Made as plain tuples: a named tuple's own constructor is a Python call.
        new = tuple.__new__
        return [new(Result, (p, verdict_of(c), t, c, e, "")) for p, c, t, e in made]

    def _columns(
        self,
        programs: Sequence[Program],
        requires: list[Requirements],
        weeks: list[int],
        english: list[tuple[Check, date]],
        visas: list[_Visa],
        earliest: list[date | None],
        targets: list[Target | None],
        asked: bool,
    ) -> tuple[list[Check], ...]:
        # rule_inputs, rule by rule, for every program. A rule whose requirement is not stated,
        # or not required, reads nothing else: its check is looked up without the dates. So is
        # the visa on a route that names no date.
        context, by_value, by_inputs = self.context, self._by_value, self._by_inputs
        starts = [target and target.start for target in targets]
        with_deadlines = [
            (needs, target and target.apply_by)
            for needs, target in zip(requires, targets, strict=True)
        ]
        # Only a student's stage during the rotation depends on its dates (its first and last
        # days): for anyone else the audience rule reads no date, the student-year rule only
        # whether there is a rotation, and the rule on years since graduation only its start.
        student = self._student
        spans = (
            [target and (target.start, target.last) for target in targets]
            if student
            else [None] * len(targets)
        )
        dates, leads = CHECKS[DATES], [program.lead_time for program in programs]
        minimums = [lead and lead.minimum for lead in leads]
        audiences = [program.audience for program in programs]
        step1 = [
            (needs.step1, deadline if needs.step1 else None) for needs, deadline in with_deadlines
        ]
        step2ck = [
            (needs.step2ck, deadline if needs.step2ck else None)
            for needs, deadline in with_deadlines
        ]
        scores = [
            (needs.min_step_score, None if needs.min_step_score is None else deadline)
            for needs, deadline in with_deadlines
        ]
        return (
            [
                dates(context, target, start, asked, minimum)
                for target, start, minimum in zip(targets, earliest, minimums, strict=True)
            ],
            by_value(STATUS, [program.status for program in programs]),
            by_inputs(AUDIENCE, zip(audiences, spans, strict=True)),
            self._if_stated(
                STUDENT_YEAR,
                [needs.student_year for needs in requires],
                targets,
                targets if student else [target is not None for target in targets],
            ),
            self._if_stated(
                YEARS_SINCE_GRADUATION,
                [needs.max_years_since_graduation for needs in requires],
                targets,
                targets if student else starts,
            ),
            by_inputs(STEP1, step1),
            by_inputs(STEP2CK, step2ck),
            by_inputs(MIN_STEP_SCORE, scores),
            by_value(ECFMG_CERTIFIED, [needs.ecfmg_certified for needs in requires]),
            [check for check, _ in english],
            by_value(RESIDENCY_SEEKERS, [needs.excludes_residency_seekers for needs in requires]),
            self._visa_checks(requires, weeks, visas, starts),
            by_value(CITIZENSHIP, [needs.excluded_citizenships for needs in requires]),
        )

    def _if_stated(
        self, number: int, stated: list[Any], targets: list[Target | None], reads: list[Any]
    ) -> list[Check]:
        # The rule reads the target only when the source states its requirement, and then only
        # what ``reads`` holds of it: the checks are kept by that.
        known, rule, context = self._known[number], CHECKS[number], self.context
        unstated = self._by_inputs(number, [(None, None)])[0]
        checks = []
        for value, target, read in zip(stated, targets, reads, strict=True):
            if value is None:
                checks.append(unstated)
                continue
            check = known.get((value, read))
            if check is None:
                check = known[value, read] = rule(context, value, target)
            checks.append(check)
        return checks

    def _visa_checks(
        self,
        requires: list[Requirements],
        weeks: list[int],
        visas: list[_Visa],
        starts: list[date | None],
    ) -> list[Check]:
        # On the ESTA or consulate route the check names the day to act by, and reads only the
        # route and the start: it is kept by those two.
        known, rule, context = self._known[VISA], CHECKS[VISA], self.context
        checks = []
        for visa, start, needs, length in zip(visas, starts, requires, weeks, strict=True):
            check = visa.check or known.get((visa.route, start))
            if check is None:
                check = known[visa.route, start] = rule(context, needs.visas, length, start)
            checks.append(check)
        return checks

    def _english_of(self, requires: Requirements) -> tuple[Check, date]:
        """Return the English check, and the first apply-by date with every step on time."""
        key = (
            requires.english,
            requires.toefl_ibt_min,
            requires.ielts_min,
            requires.english_tests,
            requires.english_waiver_if_english_medium,
            requires.toefl_sections_min,
            requires.ielts_sections_min,  # so far english_needs(requires)
            requires.step1,
            requires.step2ck,
            requires.min_step_score is not None,
        )
        found = self._english.get(key)
        if found is None:
            check = self._by_value(ENGLISH, [EnglishNeeds(*key[:7])])[0]
            found = self._english[key] = (check, self._floors.apply_floor(*key[7:], check.status))
        return found

    def _visa_of(self, requires: Requirements, weeks: int) -> _Visa:
        """Return the visa route to a program, its first start on time, and its check if fixed."""
        accepted = requires.visas
        found = self._visas.get((accepted, weeks))
        if found is None:
            context = self.context
            route = route_for(self._traveller, accepted, weeks, context.today, context.rules)
            fixed = None if route.route in _DATED_ROUTES else visa_check(context, route, None)
            floor = self._floors.start_floor_on(route.route)
            found = self._visas[accepted, weeks] = _Visa(route.route, floor, fixed)
        return found

    def _first_on_time(
        self, program: Program, english: tuple[Check, date], visa: _Visa, weeks: int
    ) -> tuple[date | None, Target | None]:
        """Return the earliest start with every step on time, and the rotation starting then."""
        # No earlier start can be on time, so the search begins at the floors. Every step's date
        # moves forward with the start, so the first allowed start from there is on time.
        apply_floor, start_floor = english[1], visa.start_floor
        if program.windows is not None:
            first = max(start_floor, apply_floor + _ONE_DAY)  # windows close before
            served = first_served_start(program, first, self._limit, apply_floor)
            if served is None:
                return _NOT_FOUND
            start, (day, opens, _) = served
        else:
            lead = program.lead_time
            if lead is None:
                recommended, minimum = self._default_lead, None
            else:
                recommended, minimum = lead.recommended or self._default_lead, lead.minimum
            lead_floors = self._lead_floors
            first = lead_floors.get((recommended, apply_floor)) or self._lead_floor(
                recommended, apply_floor
            )
            if minimum is not None:
                today = self.context.today
                first = max(
                    first, lead_floors.get((minimum, today)) or self._lead_floor(minimum, today)
                )
            on_rule = first_on_rule(program, max(first, start_floor), self._limit)
            if on_rule is None:
                return _NOT_FOUND
            start, day, opens = on_rule, recommended.before(on_rule), None
        last = start + _LAST_DAY_AFTER[weeks]  # last_day, without making a timedelta
        # Made as a plain tuple: a named tuple's own constructor is a Python call.
        return start, tuple.__new__(Target, (start, last, day, opens))

    def _lead_floor(self, lead: Duration, floor: date) -> date:
        found = self._lead_floors[lead, floor] = self._floors.lead_floor(lead, floor)
        return found

    def _target_from(
        self, program: Program, weeks: int, wanted: date, whole_month: bool
    ) -> Target | None:
        start = first_start_from(program, wanted, self.context.today, whole_month)
        return None if start is None else self._target_at(program, start, weeks)

    def _target_at(self, program: Program, start: date, weeks: int) -> Target:
        applying = apply_by(program, start, self._default_lead)
        return Target(start, last_day(start, weeks), applying.day, applying.window_start)

    def _by_value(self, number: int, values: Iterable[Any]) -> list[Check]:
        # The checks of a rule that reads one value, kept by that value.
        get = self._known[number].get
        return [get(value) or self._work_out(number, value, (value,)) for value in values]

    def _by_inputs(self, number: int, inputs: Iterable[tuple[Any, ...]]) -> list[Check]:
        # The checks of a rule that reads several values, kept by all of them.
        get = self._known[number].get
        return [get(values) or self._work_out(number, values, values) for values in inputs]

    def _work_out(self, number: int, key: Any, inputs: tuple[Any, ...]) -> Check:
        check = self._known[number][key] = CHECKS[number](self.context, *inputs)
        return check


class _Visa(NamedTuple):
    """The visa route to programs accepting some visas, for rotations of some length."""

    route: str
    start_floor: date
    check: Check | None  # on a route that names no date, the check whatever the start


_STATUS = attrgetter("status")
_NOT_FOUND = (None, None)
_ONE_DAY = timedelta(days=1)
# From a rotation's start to its last day, by its length in weeks (the models allow 1 to 52).
_LAST_DAY_AFTER = [timedelta(days=7 * weeks - 1) for weeks in range(53)]
_DATED_ROUTES = ("esta", "consulate")
