"""Whether a user needs a visa for a program, and the route planned: held, ESTA or consulate."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, NamedTuple

from usce_planner.models.base import VISITOR_VISAS
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.models.rules import Rules
from usce_planner.timing.starts import rotation_weeks

Route = Literal["exempt", "held", "esta", "consulate", "impossible"]
CONSULATE_VISAS = frozenset({"b1", "b2", "b1-b2"})


class VisaRoute(NamedTuple):
    """How the user will be allowed in for a rotation, and by when to act."""

    route: Route
    detail: str
    act_by: date | None = None

    @property
    def needs_action(self) -> bool:
        """Return True when the user must still apply for ESTA or book an interview."""
        return self.route in ("esta", "consulate")


class Traveller(NamedTuple):
    """What the visa route needs from the profile, worked out once per profile."""

    exemption: str
    held: str
    may_use_esta: bool
    consulate_days: int
    citizenships: tuple[str, ...]


def held_visa(profile: Profile) -> str:
    """Return the visa the user holds, or ``none``."""
    return profile.visa.holds if profile.visa else "none"


def may_use_esta(profile: Profile, rules: Rules) -> bool:
    """Return True for a citizen of a Visa Waiver country who holds no barred citizenship."""
    return traveller(profile, rules).may_use_esta


def consulate_lead_days(profile: Profile, rules: Rules) -> int:
    """Return the days from booking an interview to holding the visa: the wait plus processing."""
    return traveller(profile, rules).consulate_days


def traveller(profile: Profile, rules: Rules) -> Traveller:
    """Return the profile's visa facts under these rules."""
    citizenships = set(profile.citizenships)
    esta = bool(citizenships & rules.countries("vwp_countries")) and not (
        citizenships & rules.countries("vwp_barred_citizenships")
    )
    wait_weeks = profile.visa.consulate_wait_weeks if profile.visa else None
    wait = rules.duration("consulate_wait").count if wait_weeks is None else wait_weeks
    consulate_days = 7 * wait + 7 * rules.duration("visa_processing").count
    return Traveller(
        _exemption(profile, rules), held_visa(profile), esta, consulate_days, profile.citizenships
    )


def visa_route(
    profile: Profile, program: Program, start: date, rules: Rules, weeks: int | None = None
) -> VisaRoute:
    """Return how the user can be allowed in for a rotation at ``program`` starting ``start``.

    ``weeks`` is the rotation's length (default: the program's usual one); ESTA admits for
    90 days at most, so a longer rotation takes the consulate route.
    """
    person = traveller(profile, rules)
    return route_for(person, program.requires.visas, rotation_weeks(program, weeks), start, rules)


def route_for(
    person: Traveller, accepted: tuple[str, ...] | None, weeks: int, start: date, rules: Rules
) -> VisaRoute:
    """Return the route for a rotation of ``weeks`` at a program accepting ``accepted`` visas."""
    if person.exemption:
        return VisaRoute("exempt", f"no visa needed ({person.exemption})")
    held = person.held
    if _accepts(accepted, held):
        listed = "states no list" if accepted is None else f"accepts {', '.join(accepted)}"
        return VisaRoute("held", f"you hold {held}; the program {listed}")
    wants_esta = accepted is None or "esta" in accepted
    stay_days = 7 * weeks
    short_enough = stay_days <= rules.duration("esta_max_stay").count
    if wants_esta and short_enough and person.may_use_esta:
        act_by = rules.duration("esta_lead").before(start)
        return VisaRoute("esta", f"apply for ESTA by {act_by.isoformat()}", act_by)
    if accepted is None or not CONSULATE_VISAS.isdisjoint(accepted):
        act_by = start - timedelta(days=person.consulate_days)
        return VisaRoute("consulate", f"book the visa interview by {act_by.isoformat()}", act_by)
    if wants_esta and not short_enough and person.may_use_esta:
        reason = f"the program accepts {', '.join(accepted)}; ESTA admits for 90 days at most"
        return VisaRoute("impossible", f"{reason}, and the rotation lasts {stay_days} days")
    return VisaRoute("impossible", _impossible_reason(person.citizenships, accepted, held))


def _exemption(profile: Profile, rules: Rules) -> str:
    if profile.us_status != "none":
        return f"US {profile.us_status.replace('-', ' ')}"
    free = sorted(set(profile.citizenships) & rules.countries("visa_free_citizenships"))
    return f"citizen of {free[0]}" if free else ""


def _accepts(accepted: tuple[str, ...] | None, held: str) -> bool:
    if held == "none":
        return False
    if accepted is None:
        return held in VISITOR_VISAS
    if held in accepted:
        return True
    # A B-1/B-2 visa is both; a program listing "b1-b2" takes either half.
    if held == "b1-b2":
        return bool({"b1", "b2"} & set(accepted))
    return held in ("b1", "b2") and "b1-b2" in accepted


def _impossible_reason(citizenships: tuple[str, ...], accepted: tuple[str, ...], held: str) -> str:
    listed = ", ".join(accepted)
    if set(accepted) & VISITOR_VISAS == {"esta"}:
        countries = ", ".join(citizenships)
        return f"the program accepts {listed}; ESTA is not open to citizens of {countries}"
    holding = "no visa" if held == "none" else held
    return f"the program accepts {listed}; you hold {holding}"
