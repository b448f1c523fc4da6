"""The profile use cases: show, set, create."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from usce_planner.app.session import Session
from usce_planner.errors import FieldError, PlannerError, Problem, ProfileError
from usce_planner.models.profile import Profile
from usce_planner.storage.profile_file import (
    apply_changes,
    check_field,
    load_profile,
    parse_value,
    read_profile_document,
    save_profile,
    validate_profile,
)
from usce_planner.storage.toml_files import is_symlink_loop


def show_profile(session: Session) -> Profile:
    """Return the user's profile."""
    return load_profile(session.locations.profile)


def set_profile_fields(
    session: Session, assignments: Sequence[tuple[str, str]], unset: Sequence[str]
) -> Profile:
    """Change profile fields, validate the whole profile, then save it."""
    path = session.locations.profile
    document = read_profile_document(path)
    try:
        changed = apply_changes(document, assignments, unset)
    except FieldError as exc:
        raise exc.in_file(path) from None
    profile = validate_profile(changed, path)
    _refuse_impossible_dates(profile, path, session.today)
    save_profile(path, profile)
    return profile


def create_profile(session: Session, document: dict[str, Any], force: bool) -> Profile:
    """Validate a new profile and save it; an existing one is replaced only with ``force``."""
    path = session.locations.profile
    if is_symlink_loop(path):
        raise PlannerError(f"{path}: cannot be read (Too many levels of symbolic links)")
    if path.exists() and not force:
        raise PlannerError(f"{path}: a profile exists already; use --force to replace it")
    if path.is_dir():
        raise PlannerError(f"{path}: is a folder, not a file")
    profile = validate_profile({"schema": 1, **document}, path)
    _refuse_impossible_dates(profile, path, session.today)
    save_profile(path, profile, keep_backup=force)
    return profile


def check_profile_answers(session: Session, answers: dict[str, str]) -> None:
    """Check each given ``KEY VALUE`` on its own; the first bad one names the profile file."""
    for key, text in answers.items():
        try:
            check_field(key, parse_value(key, text))
        except FieldError as exc:
            raise exc.in_file(session.locations.profile) from None


def profile_notices(profile: Profile, today: date) -> list[str]:
    """Return what looks out of date in a valid profile (the stage against graduation)."""
    graduation = profile.graduation.isoformat()
    if profile.stage == "student" and profile.graduation < today:
        return [f"Notice: graduation {graduation} has passed; if you graduated, set stage graduate"]
    if profile.stage != "student" and profile.graduation > today:
        return [f"Notice: graduation {graduation} is ahead; if still a student, set stage student"]
    return []


def _refuse_impossible_dates(profile: Profile, path: Path, today: date) -> None:
    problems = [
        Problem(
            f"a {record.status} exam cannot be dated after today ({today.isoformat()})",
            field=f"{exam}.date",
        )
        for exam in ("step1", "step2ck")
        if (record := getattr(profile, exam)) is not None
        and record.status in ("passed", "failed")
        and record.date is not None
        and record.date > today
    ]
    if problems:
        raise ProfileError(path, problems)


def profile_json(profile: Profile) -> dict[str, Any]:
    """Return the profile as stored, ready for JSON."""
    return profile.model_dump(mode="json", by_alias=True, exclude_unset=True)
