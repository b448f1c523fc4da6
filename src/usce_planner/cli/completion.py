"""Shell completion of program ids, rotation keys, milestone ids and status words.

Typer calls these while the shell asks for completions (``usce --install-completion``); each
reads the user's files only then, and a file that cannot be read completes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import typer

from usce_planner.cli.options import CommonOptions
from usce_planner.errors import PlannerError


def complete_program_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Return the catalog's program ids that start with what was typed."""
    from usce_planner.app.session import open_catalog

    try:
        catalog = open_catalog(_options(ctx).session())
    except PlannerError:
        return []
    return _starting(incomplete, (program.id for program in catalog.programs))


def complete_rotation_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    """Return the plan's rotation keys, and the program ids that name one rotation alone."""
    from usce_planner.storage.plan_file import load_plan

    try:
        plan = load_plan(_options(ctx).session().locations.plan)
    except PlannerError:
        return []
    if plan is None:
        return []
    programs = [rotation.program for rotation in plan.rotation]
    alone = [program for program in programs if programs.count(program) == 1]
    return _starting(incomplete, [*(rotation.key for rotation in plan.rotation), *alone])


def complete_milestone_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Return the ids of the saved plan's milestones (those of the profile's Match year too)."""
    from usce_planner.app.plan import show_plan

    try:
        report = show_plan(_options(ctx).session())
    except PlannerError:
        return []
    return _starting(incomplete, (milestone.id for milestone in report.schedule.milestones))


def complete_statuses(incomplete: str) -> list[str]:
    """Return the rotation statuses that start with what was typed."""
    from usce_planner.models.plan import STATUSES

    return _starting(incomplete, STATUSES)


def _starting(incomplete: str, names: Iterable[str]) -> list[str]:
    return sorted({name for name in names if name.startswith(incomplete)})


def _options(ctx: typer.Context) -> CommonOptions:
    # The common options typed so far (--plan, --profile, --catalog…) are in the root's params.
    params = ctx.find_root().params
    today = _day(os.environ.get("USCE_TODAY")) or date.today()
    return CommonOptions(
        today=today,
        profile=_path(params.get("profile")),
        plan=_path(params.get("plan")),
        catalogs=tuple(Path(p) for p in params.get("catalog") or ()),
        only_catalog=bool(params.get("only_catalog")) and bool(params.get("catalog")),
    )


def _path(value: object) -> Path | None:
    return Path(str(value)) if value else None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
