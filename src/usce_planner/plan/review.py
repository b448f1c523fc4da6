"""What the plan as a whole says: conflicts, warnings and totals over the live rotations."""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from usce_planner.dates import Duration
from usce_planner.eligibility.listing import age_notices
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules
from usce_planner.plan.schedule import Milestone, RotationView, Schedule
from usce_planner.timing.starts import (
    apply_by,
    first_of_next_month,
    is_allowed_start,
    no_starts_reason,
)
from usce_planner.timing.visas import route_for, traveller

# The fee paid once for the plan on each visa route: what it is called, and its rule.
ROUTE_FEES = {"consulate": ("visa fee", "visa_fee"), "esta": ("ESTA fee", "esta_fee")}
NEVER_COUNTED = ("travel", "housing", "health and liability insurance", "exam fees")


@dataclass(frozen=True)
class Finding:
    """A conflict (``ids``) or a warning (one ``id``) with its detail."""

    kind: str
    ids: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class CostPart:
    """One fee in the plan's cost: what it is, for which rotation (None: once for the plan)."""

    what: str  # application fee | program fee | VSLO fee | visa fee | ESTA fee
    rotation: str | None
    usd: int


@dataclass(frozen=True)
class Totals:
    """Weeks, letters and cost over the live rotations."""

    weeks: int
    hands_on_weeks: int
    observation_weeks: int
    unknown_hands_on_weeks: int
    letters_possible: int
    letters_discretionary: int
    letters_unknown: int
    cost_usd: int
    not_included: tuple[str, ...]
    cost_parts: tuple[CostPart, ...] = ()


def letters_text(totals: Totals) -> str:
    """Return the letters line of the totals; it never reads "0 letters" when some are unknown."""
    text = f"Letters possible: {totals.letters_possible} yes"
    if totals.letters_discretionary:
        text += f", {totals.letters_discretionary} at the program's discretion"
    if totals.letters_unknown:
        text += f", {totals.letters_unknown} unknown"
    return text


def conflicts(schedule: Schedule, profile: Profile, rules: Rules) -> list[Finding]:
    """Return overlaps, exams inside rotations or after their latest day, early visa bookings."""
    live = [view for view in schedule.rotations if view.saved.is_live]
    found = [
        Finding(
            "overlap",
            (first.saved.key, second.saved.key),
            f"{first.saved.key} and {second.saved.key} share days",
        )
        for first, second in _overlapping_pairs(live)
    ]
    by_id = {m.id: m for m in schedule.milestones}
    for exam, name in (("step1", "Step 1"), ("step2ck", "Step 2 CK")):
        record = getattr(profile, exam)
        if record is None or record.status != "scheduled" or record.date is None:
            continue
        for view in live:
            if view.saved.start <= record.date <= view.end:
                detail = f"your {name} on {record.date.isoformat()} falls inside {view.saved.key}"
                found.append(Finding("exam-in-rotation", (f"me:{exam}", view.saved.key), detail))
        latest = by_id.get(f"me:{exam}")
        if latest is not None and record.date > latest.day:
            detail = (
                f"{name} booked for {record.date.isoformat()}, "
                f"after its latest day {latest.day.isoformat()}"
            )
            found.append(Finding("exam-after-latest", (latest.id,), detail))
    found += _visa_before_decision(live, by_id.get("me:visa"), profile, rules)
    for view in live:
        result = view.eligibility
        reason = result.first_reason() if result is not None else None
        if result is not None and result.verdict == "ineligible" and reason is not None:
            detail = f"{reason.rule}: {reason.detail}"
            found.append(Finding("ineligible", (view.saved.key,), detail))
    return found


def _overlapping_pairs(live: Sequence[RotationView]) -> list[tuple[RotationView, RotationView]]:
    # A sweep in order of start: each rotation is compared only with those still running when
    # it starts, so a long plan costs its length plus its overlaps, not its length squared.
    order = sorted(range(len(live)), key=lambda i: live[i].saved.start)
    running: list[tuple[date, int]] = []  # a heap of (last day, index)
    pairs = []
    for index in order:
        start = live[index].saved.start
        while running and running[0][0] < start:
            heapq.heappop(running)
        pairs += [(min(index, other), max(index, other)) for _, other in running]
        heapq.heappush(running, (live[index].end, index))
    # In the order of the plan, as the pairwise loop this replaces gave them.
    return [(live[first], live[second]) for first, second in sorted(pairs)]


def warnings(schedule: Schedule, profile: Profile, rules: Rules, totals: Totals) -> list[Finding]:
    """Return what the user should know that is not a conflict."""
    found = []
    for milestone in schedule.milestones:
        if milestone.is_match and milestone.late_by_days > 0:
            detail = f"{milestone.title}: {milestone.day.isoformat()} has passed"
            found.append(Finding("match-late", (milestone.id,), detail))
    end_by = next((m for m in schedule.milestones if m.kind == "usce-end-by"), None)
    for view in schedule.rotations:
        found += _rotation_warnings(view, end_by, schedule.today)
    if profile.budget_usd is not None and totals.cost_usd > profile.budget_usd:
        detail = (
            f"the plan costs at least ${totals.cost_usd:,}, "
            f"above your budget of ${profile.budget_usd:,}"
        )
        found.append(Finding("over-budget", ("budget_usd",), detail))
    return found


def totals(schedule: Schedule, profile: Profile, rules: Rules) -> Totals:
    """Return weeks by kind of contact, letters possible and the cost of the live rotations."""
    live = [view for view in schedule.rotations if view.saved.is_live]
    hands = {True: 0, False: 0, None: 0}
    letters = {"yes": 0, "discretionary": 0, "unknown": 0, "no": 0}
    parts: list[CostPart] = []
    unknown_fees: list[str] = []
    flat_paid: set[str] = set()
    for view in live:
        program, weeks = view.program, view.saved.weeks
        hands[program.hands_on if program else None] += weeks
        # A program that left the catalog, or does not say, counts as unknown.
        letters[(program.letters or "unknown") if program is not None else "unknown"] += 1
        fees, missing = _rotation_cost(view, flat_paid, rules)
        parts += fees
        unknown_fees += (
            [f"{missing} of {view.saved.key} (not stated by the source)"] if missing else []
        )
        unknown_fees += _deposit_left_out(view)
    visa = next((m for m in schedule.milestones if m.id == "me:visa"), None)
    route = _visa_route_planned(live, profile, rules, schedule.today) if visa else None
    if route in ROUTE_FEES:
        what, rule = ROUTE_FEES[route]
        parts.append(CostPart(what, None, rules.usd(rule)))
    return Totals(
        weeks=sum(view.saved.weeks for view in live),
        hands_on_weeks=hands[True],
        observation_weeks=hands[False],
        unknown_hands_on_weeks=hands[None],
        letters_possible=letters["yes"],
        letters_discretionary=letters["discretionary"],
        letters_unknown=letters["unknown"],
        cost_usd=sum(part.usd for part in parts),
        not_included=(*unknown_fees, *NEVER_COUNTED),
        cost_parts=tuple(parts),
    )


def _rotation_cost(
    view: RotationView, flat_paid: set[str], rules: Rules
) -> tuple[list[CostPart], str]:
    if view.program is None:
        return [], "fees"
    return rotation_cost(view.program, view.saved.key, view.saved.weeks, rules, flat_paid)


def rotation_cost(
    program: Program, key: str | None, weeks: int, rules: Rules, flat_paid: set[str]
) -> tuple[list[CostPart], str]:
    """Return the known fees of one rotation, and the fees its source leaves unknown.

    A flat fee is paid once per program: ``flat_paid`` holds the programs already charged.
    """
    fees, parts, missing = program.fees, [], []
    if fees is None or fees.application_usd is None:
        missing.append("the application fee")
    else:
        parts.append(CostPart("application fee", key, fees.application_usd))
    if fees is None or fees.program_usd is None:
        missing.append("the program fee")
    elif fees.per == "flat":
        if program.id not in flat_paid:
            parts.append(CostPart("program fee", key, fees.program_usd))
            flat_paid.add(program.id)
    else:
        units = {"rotation": 1, "week": weeks, "month": math.ceil(weeks / 4)}[
            fees.per or "rotation"
        ]
        parts.append(CostPart("program fee", key, fees.program_usd * units))
    if fees is not None and fees.deposit_credited and fees.program_usd is None:
        # The known part of a program fee not stated.
        parts.append(CostPart("program fee", key, fees.deposit_usd or 0))
    if program.channel == "vslo":
        parts.append(CostPart("VSLO fee", key, rules.usd("vslo_fee")))
    return parts, " and ".join(missing)


def _runs_into_no_starts(key: str, program: Program, start: date, end: date) -> list[Finding]:
    # Only the start is checked against no_starts; most sources mean no placements at all in
    # those months, so a rotation that runs into one is worth a warning.
    banned = program.no_start_months
    month = first_of_next_month(start)
    while month <= end:
        if month.month in banned:
            detail = (
                f"runs into {month.strftime('%Y-%m')}, ends {end.isoformat()} "
                f"({no_starts_reason(program)})"
            )
            return [Finding("runs-into-no-starts", (key,), detail)]
        month = first_of_next_month(month)
    return []


def _deposit_left_out(view: RotationView) -> list[str]:
    # A deposit not credited to the fee may come back after the rotation, and sources seldom
    # say: it is named, not added, so that the cost stays a lower bound.
    fees = view.program.fees if view.program else None
    if fees is None or fees.deposit_usd is None or fees.deposit_credited:
        return []
    return [f"the ${fees.deposit_usd:,} deposit of {view.saved.key} (may be refunded)"]


def _visa_route_planned(
    live: Sequence[RotationView], profile: Profile, rules: Rules, today: date
) -> str | None:
    # me:visa comes from the rotation with the earliest booking date: its route is the plan's.
    visitor = traveller(profile, rules)
    routes = [
        route_for(visitor, view.program.requires.visas, view.saved.weeks, view.saved.start, rules)
        for view in live
        if view.program is not None and view.saved.start > today
    ]
    booked = [route for route in routes if route.act_by is not None]
    return min(booked, key=lambda route: route.act_by or today).route if booked else None


def _visa_before_decision(
    live: Sequence[RotationView], visa: Milestone | None, profile: Profile, rules: Rules
) -> list[Finding]:
    if visa is None:
        return []
    found = []
    visitor = traveller(profile, rules)
    for view in live:
        program = view.program
        if program is None or view.saved.status in ("accepted", "completed"):
            continue
        # Each rotation's own booking date: an earlier rotation may set me:visa sooner.
        route = route_for(
            visitor, program.requires.visas, view.saved.weeks, view.saved.start, rules
        )
        own_booking = route.act_by
        if own_booking is None:
            continue
        applied = (
            view.saved.history.get("applied")
            or apply_by(program, view.saved.start, rules.default_lead).day
        )
        weeks = program.decision_weeks or rules.duration("decision_weeks").count
        decision = date.fromordinal(applied.toordinal() + 7 * weeks)
        if own_booking < decision:
            detail = (
                f"the visa must be booked by {own_booking.isoformat()}, before {program.name} is "
                f"likely to decide ({decision.isoformat()}, "
                f"{Duration(weeks, 'weeks')} after applying)"
            )
            found.append(Finding("visa-before-decision", (visa.id, view.saved.key), detail))
    return found


def _eligibility_warnings(view: RotationView) -> list[Finding]:
    key, result = view.saved.key, view.eligibility
    if view.started and view.saved.status in ("planned", "applied", "waitlisted"):
        detail = (
            f"its start, {view.saved.start.isoformat()}, has passed: "
            "mark it completed, withdrawn or rejected"
        )
        return [Finding("start-passed", (key,), detail)]
    if result is None:
        return []
    if result.verdict == "conditional":
        pending = "; ".join(c.detail for c in result.checks if c.status == "pending")
        return [Finding("conditional", (key,), pending)]
    reason = result.first_reason()
    if result.verdict == "unknown" and reason is not None:
        return [Finding("eligibility-unknown", (key,), f"{reason.rule}: {reason.detail}")]
    return []


def _rotation_warnings(view: RotationView, end_by: Milestone | None, today: date) -> list[Finding]:
    key, program = view.saved.key, view.program
    if not view.saved.is_live:
        return []
    if program is None:
        detail = (
            f"program '{view.saved.program}' is no longer in the catalog; "
            "kept with its own dates only"
        )
        return [Finding("program-missing", (key,), detail)]
    found = _eligibility_warnings(view)
    if not is_allowed_start(program, view.saved.start):
        detail = f"the program no longer allows a start on {view.saved.start.isoformat()}"
        if view.saved.start.month in program.no_start_months:
            detail += f" ({no_starts_reason(program)})"
        found.append(Finding("start-not-allowed", (key,), detail))
    elif program.no_starts is not None:
        found += _runs_into_no_starts(key, program, view.saved.start, view.end)
    if end_by is not None and view.end > end_by.day:
        detail = (
            f"ends {view.end.isoformat()}, after {end_by.day.isoformat()}: "
            "its letter will not be ready for ERAS"
        )
        found.append(Finding("ends-after-usce-end-by", (key,), detail))
    notices = age_notices(program, today)
    if notices:
        found.append(Finding("stale-source", (key,), "check source: " + "; ".join(notices)))
    if not program.weeks:
        found.append(
            Finding("length-not-stated", (key,), "rotation length not stated by the source")
        )
    if program.starts is None:
        found.append(Finding("starts-not-stated", (key,), "start days not stated by the source"))
    return found
