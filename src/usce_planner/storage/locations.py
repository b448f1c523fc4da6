"""Where the user's files live: options, then environment, then the platform's folders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "usce"


@dataclass(frozen=True)
class Locations:
    """The paths of the user's profile, plan, own catalogs and cache (None: no cache)."""

    profile: Path
    plan: Path
    catalogs: Path
    cache: Path | None


def resolve_locations(
    environ: Mapping[str, str], profile: Path | None = None, plan: Path | None = None
) -> Locations:
    """Return the file locations for these options and this environment."""
    home = environ.get("USCE_HOME")
    if home:
        config = data = Path(home).expanduser()
        cache = config / "cache"
    else:
        import platformdirs  # not needed when USCE_HOME names the folders

        config = platformdirs.user_config_path(APP_NAME)
        data = platformdirs.user_data_path(APP_NAME)
        cache = platformdirs.user_cache_path(APP_NAME)
    env_profile = environ.get("USCE_PROFILE")
    env_plan = environ.get("USCE_PLAN")
    return Locations(
        profile=profile or (Path(env_profile) if env_profile else config / "profile.toml"),
        plan=plan or (Path(env_plan) if env_plan else data / "plan.toml"),
        catalogs=config / "catalogs",
        cache=cache,
    )
