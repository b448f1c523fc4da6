"""The suggest use case: the best rotations for the profile, its budget and its Match year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from usce_planner.app.plan import read_inputs
from usce_planner.app.plan_changes import Change, add_rotation, change_plan
from usce_planner.app.session import Session
from usce_planner.dates import add_months
from usce_planner.eligibility.listing import ProgramFilter, filter_programs
from usce_planner.errors import PlannerError
from usce_planner.plan.report import PlanInputs, PlanReport, build_report
from usce_planner.suggest import Busy, Problem, Settings, Suggestion, suggest
from usce_planner.suggest.candidates import Found, Search, find_candidates
from usce_planner.timing.starts import StartWanted
from usce_planner.timing.visas import may_use_esta

SHORTEST_PERIOD_DAYS = 7


@dataclass(frozen=True)
class SuggestRequest:
    """What the user asked of ``usce suggest``."""

    first: date | None = None
    until: date | None = None
    budget_usd: int | None = None
    max_rotations: int | None = None
    gap_days: int = 0
    strict: bool = False
    include_unknown_cost: bool = False
    backups: int = 2
    time_limit_seconds: float = 10.0
    match: int | bool = True
    where: ProgramFilter = field(default_factory=ProgramFilter)


@dataclass(frozen=True)
class SuggestReport:
    """The suggestion with the facts the listing shows beside each rotation."""

    today: date
    first: date
    last: date
    budget_usd: int | None
    suggestion: Suggestion
    found: dict[tuple[date, str, int], Found]
    candidate_count: int
    visa_fee_usd: int
    visa_fee_name: str
    unknown_cost_left_out: int = 0  # with a budget, candidates left out for unknown fees


def suggest_rotations(
    session: Session, request: SuggestRequest, example: bool = False
) -> SuggestReport:
    """Find the candidates and solve for the best selection with backups."""
    inputs = read_inputs(session, example)
    saved = build_report(inputs, inputs.plan, session.today, None)
    first = request.first or session.today
    last = _period_end(inputs, request, first)
    visa_paid = any(m.id == "me:visa" for m in saved.schedule.milestones)
    keep_unknown = _keeps_unknown_cost(request, inputs, saved)
    search = Search(first, last, request.strict, keep_unknown, visa_paid)
    programs = filter_programs(inputs.catalog.programs, request.where)
    found = find_candidates(
        programs, inputs.profile, inputs.rules, session.today, inputs.plan.rotation, search
    )
    unknown_cost_left_out = 0
    if not found and not keep_unknown:
        # Nothing with known fees: say how many were left out for fees their source omits.
        every = Search(first, last, request.strict, True, visa_paid)
        unknown_cost_left_out = len(
            find_candidates(
                programs, inputs.profile, inputs.rules, session.today, inputs.plan.rotation, every
            )
        )
    fee_name = "ESTA fee" if may_use_esta(inputs.profile, inputs.rules) else "visa fee"
    fee = inputs.rules.usd("esta_fee" if fee_name == "ESTA fee" else "visa_fee")
    settings = Settings(
        gap_days=request.gap_days,
        max_rotations=request.max_rotations,
        budget_usd=_budget(request, inputs, saved),
        visa_fee_usd=0 if visa_paid else fee,
        time_limit_seconds=request.time_limit_seconds,
        backups_per_rotation=request.backups,
    )
    problem = Problem(
        candidates=[item.candidate for item in found],
        busy=_busy(inputs),
        weeks_left={},
        settings=settings,
    )
    answer = suggest(problem)
    by_key = {item.candidate.key: item for item in found}
    return SuggestReport(
        session.today,
        first,
        last,
        settings.budget_usd,
        answer,
        by_key,
        len(found),
        fee,
        fee_name,
        unknown_cost_left_out,
    )


def save_suggestion(session: Session, report: SuggestReport) -> tuple[PlanReport, tuple[str, ...]]:
    """Add the chosen rotations (not the backups) to the saved plan as planned, under its lock."""
    changes = [
        add_rotation(
            chosen.program,
            StartWanted(chosen.start),
            chosen.weeks,
            "planned",
            session.today,
            session.today,
        )
        for chosen in report.suggestion.selection.chosen
    ]
    return change_plan(session, _all_of(changes))


def _all_of(changes: list[Change]) -> Change:
    def change(inputs: PlanInputs) -> tuple[object, tuple[str, ...]]:
        plan, notices = inputs.plan, tuple[str, ...]()
        for one in changes:
            plan, said = one(PlanInputs(plan, inputs.profile, inputs.catalog, inputs.rules))
            notices = (*notices, *said)
        return plan, notices

    return change  # type: ignore[return-value]  # the same shape as every Change


def _period_end(inputs: PlanInputs, request: SuggestRequest, first: date) -> date:
    if request.until is not None:
        last = request.until
    else:
        year = _match_year(request.match, inputs)
        if year is None:
            last = add_months(first, 18)
        else:
            submit, _ = inputs.rules.eras_dates(year)
            last = inputs.rules.duration("usce_end_before_eras").before(submit)
            if (last - first).days < SHORTEST_PERIOD_DAYS:
                raise PlannerError(
                    f"suggest: USCE for Match {year} had to end by {last.isoformat()}; "
                    "give --until or a later --match"
                )
    if (last - first).days < SHORTEST_PERIOD_DAYS:
        raise PlannerError(
            f"suggest: the period {first.isoformat()} to {last.isoformat()} is shorter than "
            f"{SHORTEST_PERIOD_DAYS} days; give a later --until"
        )
    return last


def _match_year(match: int | bool, inputs: PlanInputs) -> int | None:
    if match is True:
        return inputs.profile.target_match
    return None if match is False else match


def _budget(request: SuggestRequest, inputs: PlanInputs, saved: PlanReport) -> int | None:
    if request.budget_usd is not None:
        return request.budget_usd
    if inputs.profile.budget_usd is None:
        return None
    return max(inputs.profile.budget_usd - saved.totals.cost_usd, 0)


def _keeps_unknown_cost(request: SuggestRequest, inputs: PlanInputs, saved: PlanReport) -> bool:
    # Without a budget an unknown fee cannot break one; with one, only when asked (section 11).
    return _budget(request, inputs, saved) is None or request.include_unknown_cost


def _busy(inputs: PlanInputs) -> list[Busy]:
    from usce_planner.timing.starts import last_day

    return [
        Busy(rotation.start, last_day(rotation.start, rotation.weeks))
        for rotation in inputs.plan.rotation
        if rotation.is_live
    ]
