"""``usce rules``: the timing defaults and lists behind every date, with their sources."""

from __future__ import annotations

import typer

from usce_planner.cli.options import COMMON_HELP, CommonOptions
from usce_planner.cli.output import print_json, print_renderable
from usce_planner.cli.render.tables import rules_table
from usce_planner.storage.rules_file import shipped_rules

EPILOG = f"Example: usce rules --json\n\n{COMMON_HELP}"


def rules(ctx: typer.Context) -> None:
    """List the rules the checks and the planner use, each with its source and confidence."""
    options: CommonOptions = ctx.obj
    entries = shipped_rules().entries
    if options.json:
        keys = {"key", "value", "unit", "source", "confidence"}
        print_json([rule.model_dump(mode="json", include=keys) for rule in entries])
        return
    print_renderable(rules_table(entries), options.no_color)
