"""What every use case starts from: the day, the files, the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from usce_planner.models.catalog import Catalog
from usce_planner.storage.catalog_files import (
    load_catalogs,
    shipped_catalog_path,
    user_catalog_paths,
)
from usce_planner.storage.locations import Locations


@dataclass(frozen=True)
class Session:
    """What every command knows: today, the user's file locations and the catalog options."""

    today: date
    locations: Locations
    extra_catalogs: tuple[Path, ...] = ()
    only_catalog: bool = False


def catalog_paths(session: Session) -> list[Path]:
    """Return the catalog files in merge order."""
    if session.only_catalog:
        return list(session.extra_catalogs)
    return [
        shipped_catalog_path(),
        *user_catalog_paths(session.locations.catalogs),
        *session.extra_catalogs,
    ]


def open_catalog(session: Session) -> Catalog:
    """Load and merge every catalog the session names."""
    return load_catalogs(catalog_paths(session), session.locations.cache)
