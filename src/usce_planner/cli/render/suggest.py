"""The suggestion as the terminal shows it, and as ``usce suggest --json`` gives it."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from usce_planner.app.suggest import SuggestReport
from usce_planner.cli.render.plan import Hanging
from usce_planner.cli.render.tables import literal
from usce_planner.suggest import Candidate, bound_as_date
from usce_planner.suggest.candidates import Found

_HANDS_ON = {True: "hands-on", False: "observation", None: "unknown"}


def suggestion_json(report: SuggestReport) -> dict[str, Any]:
    """Return the document of section 11: the figures, the rotations and their backups."""
    selection = report.suggestion.selection
    figures = selection.figures
    return {
        "today": report.today.isoformat(),
        "optimal": selection.optimal,
        "bound": _bound(report),
        "objective": {
            "specialty_hands_on_weeks": figures.specialty_hands_on_weeks,
            "hands_on_weeks": figures.hands_on_weeks,
            "letters": figures.letters,
            "weeks": figures.weeks,
            "unknown_cost_rotations": figures.unknown_cost_rotations,
            "cost_usd": figures.cost_usd,
            "last_day": figures.last_day.isoformat() if figures.last_day else None,
        },
        "rotations": [
            {
                **_rotation_json(report, slot.rotation),
                "backups": [_rotation_json(report, backup) for backup in slot.backups],
            }
            for slot in report.suggestion.slots
        ],
    }


def _rotation_json(report: SuggestReport, candidate: Candidate) -> dict[str, Any]:
    found = report.found[candidate.key]
    return {
        "program": candidate.program,
        "start": candidate.start.isoformat(),
        "end": candidate.last_day.isoformat(),
        "weeks": candidate.weeks,
        "hands_on": candidate.hands_on,
        "letters": found.letters,
        "cost_usd": candidate.cost_usd,
        "cost_unknown": candidate.cost_unknown,
        "apply_by": found.apply_by.isoformat(),
        "verdict": found.verdict,
    }


def _bound(report: SuggestReport) -> Any:
    selection = report.suggestion.selection
    if selection.optimal or selection.bound is None:
        return None
    if selection.unproved_stage == "last_day":
        return bound_as_date(selection.bound).isoformat()
    return selection.bound


def suggestion_view(report: SuggestReport) -> RenderableType:
    """Return the chosen rotations with their backups, then the figures, or why none."""
    selection = report.suggestion.selection
    if not selection.chosen:
        return Text(_why_nothing(report))
    lines: list[tuple[Text, Text]] = []
    for number, slot in enumerate(report.suggestion.slots, start=1):
        lines += _rotation_lines(report.found[slot.rotation.key], f"{number}. ")
        for backup in slot.backups:
            lines += _rotation_lines(report.found[backup.key], "   backup: ", style="dim")
    figures = [(Text(""), line) for line in _figures(report)]
    title = Text("Suggested rotations, in start order", style="bold")
    return Group(title, Hanging(lines), Hanging(figures))


def _rotation_lines(found: Found, lead: str, style: str = "") -> list[tuple[Text, Text]]:
    candidate = found.candidate
    length = f"{candidate.weeks} weeks" + ("" if found.length_stated else ", length not stated")
    head = f"{candidate.program}  {candidate.start.isoformat()} to "
    head += f"{candidate.last_day.isoformat()} ({length})"
    facts = [
        _HANDS_ON[candidate.hands_on],
        f"letters {found.letters}",
        _cost_text(candidate),
        f"apply by {found.apply_by.isoformat()}",
        found.verdict + (": " + "; ".join(found.depends_on) if found.depends_on else ""),
    ]
    return [
        (Text(lead, style=style), literal(head, style=style or "bold")),
        (Text(" " * len(lead)), literal(" · ".join(facts), style=style)),
    ]


def _cost_text(candidate: Candidate) -> str:
    if not candidate.cost_unknown:
        return f"${candidate.cost_usd:,}"
    if candidate.cost_usd:
        return f"${candidate.cost_usd:,} + fees not stated"
    return "fees not stated"


def _figures(report: SuggestReport) -> list[Text]:
    suggestion = report.suggestion
    figures = suggestion.selection.figures
    visa = report.visa_fee_name if any(c.needs_visa for c in suggestion.selection.chosen) else ""
    lines = [
        f"Hands-on weeks: {figures.specialty_hands_on_weeks} in your specialties, "
        f"{figures.hands_on_weeks} in all; weeks in all: {figures.weeks}; "
        f"rotations at programs that give letters: {figures.letters}.",
        f"Known cost: ${figures.cost_usd:,}"
        + (f" (with the {visa}, ${report.visa_fee_usd:,})" if visa else "")
        + (
            f"; {figures.unknown_cost_rotations} rotation(s) with fees the source does not state"
            if figures.unknown_cost_rotations
            else ""
        )
        + (f"; budget ${report.budget_usd:,}." if report.budget_usd is not None else "."),
        "Not included: travel, housing, insurance and exams.",
    ]
    if suggestion.backup_application_usd:
        lines.append(
            "Applying to the backups too adds "
            f"${suggestion.backup_application_usd:,} in application and VSLO fees."
        )
    lines.append(_proof(report))
    return [literal(line) for line in lines]


def _proof(report: SuggestReport) -> str:
    selection = report.suggestion.selection
    if selection.optimal:
        return f"Optimal: proved best among {report.candidate_count} possible rotations."
    bound = _bound(report)
    return (
        f"Best found within the time limit, not proved optimal: {selection.unproved_stage} "
        f"could reach {bound if bound is not None else 'an unknown bound'}; "
        "give a longer --time-limit."
    )


def _why_nothing(report: SuggestReport) -> str:
    period = f"{report.first.isoformat()} to {report.last.isoformat()}"
    if report.unknown_cost_left_out:
        return (
            f"No suggestion within the budget of ${report.budget_usd or 0:,}: the "
            f"{report.unknown_cost_left_out} rotations you could make from {period} are all at "
            "programs whose fees the source does not state, which a budget leaves out. Add "
            "--include-unknown-cost to weigh them (their unknown fees count as $0)."
        )
    if not report.candidate_count:
        return (
            f"No suggestion: no program has a start you can make from {period} "
            "(eligible, on time, and ending by then). `usce eligible --all` says why for each."
        )
    if report.budget_usd is not None:
        return (
            f"No suggestion: none of the {report.candidate_count} possible rotations from "
            f"{period} fits the budget of ${report.budget_usd:,} (with the "
            f"{report.visa_fee_name} where one is needed)."
        )
    return (
        f"No suggestion: none of the {report.candidate_count} possible rotations from {period} "
        "fits beside your saved rotations and the gap asked for."
    )
