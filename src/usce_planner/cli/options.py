"""The common options, accepted before the command and after its last word."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import typer

from usce_planner.app.session import Session
from usce_planner.cli.output import print_messages
from usce_planner.dates import DateOutOfRangeError, parse_iso_day
from usce_planner.storage.cache import untrusted_reason
from usce_planner.storage.locations import Locations, resolve_locations

VALUE_OPTIONS = ("--today", "--profile", "--plan", "--catalog")
FLAG_OPTIONS = ("--only-catalog", "--no-color", "--json")
COMMON_HELP = (
    "Common options (--today, --profile, --plan, --catalog, --only-catalog, --no-color, --json) "
    "may be given before the command or after its last word; see `usce --help`."
)


@dataclass(frozen=True)
class CommonOptions:
    """The values of the common options after parsing."""

    today: date
    today_given: bool = False
    profile: Path | None = None
    plan: Path | None = None
    catalogs: tuple[Path, ...] = ()
    only_catalog: bool = False
    no_color: bool = False
    json: bool = False

    def session(self) -> Session:
        """Return the session these options describe; an untrusted cache folder is left out."""
        locations = resolve_locations(os.environ, self.profile, self.plan)
        return Session(self.today, trusted_cache(locations), self.catalogs, self.only_catalog)


def trusted_cache(locations: Locations) -> Locations:
    """Return the locations without their cache folder when others could plant copies there.

    Checked here, once per run, so that the user hears of it once; the loaders check again on
    every file they open.
    """
    reason = untrusted_reason(locations.cache) if locations.cache is not None else None
    if reason is None:
        return locations
    print_messages([f"Notice: not using the cache folder {locations.cache}: {reason}"])
    return replace(locations, cache=None)


def hoist_common_options(argv: Sequence[str]) -> list[str]:
    """Move the common options to the front so the root command parses them wherever given.

    Their order is kept, so where an option is given twice the later one still wins.
    """
    hoisted: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            rest += argv[index:]
            break
        name = token.split("=", 1)[0]
        if name in VALUE_OPTIONS and "=" not in token and index + 1 < len(argv):
            hoisted += [token, argv[index + 1]]
            index += 2
            continue
        if token in VALUE_OPTIONS:
            # Its value is missing: alone, it lets the root command say so by name.
            return [*hoisted, token]
        if (name in VALUE_OPTIONS and "=" in token) or token in FLAG_OPTIONS:
            hoisted.append(token)
        else:
            rest.append(token)
        index += 1
    return hoisted + rest


def command_word(args: Sequence[str]) -> str | None:
    """Return the command named in hoisted arguments, or None when an option comes first."""
    index = 0
    while index < len(args):
        token = args[index]
        if token in VALUE_OPTIONS:
            index += 2
        elif token in FLAG_OPTIONS or token.split("=", 1)[0] in VALUE_OPTIONS:
            index += 1
        else:
            return None if token.startswith("-") else token
    return None


def parse_today(option: str | None, environment: str | None, clock_today: date) -> date:
    """Return the day to plan from: ``--today``, else ``USCE_TODAY``, else the local date."""
    for value, hint in ((option, "'--today'"), (environment, "USCE_TODAY")):
        if value is None:
            continue
        try:
            return parse_iso_day(value)
        except DateOutOfRangeError as exc:
            raise typer.BadParameter(str(exc), param_hint=hint) from None
        except ValueError:
            raise typer.BadParameter(
                f"'{value}' is not a date; write YYYY-MM-DD", param_hint=hint
            ) from None
    return clock_today


def check_choices(values: Sequence[str], allowed: Sequence[str], option: str) -> tuple[str, ...]:
    """Return the values when each is allowed; otherwise a usage error naming the choices."""
    for value in values:
        if value not in allowed:
            raise typer.BadParameter(
                f"'{value}' is not one of: {', '.join(allowed)}", param_hint=f"'{option}'"
            )
    return tuple(values)
