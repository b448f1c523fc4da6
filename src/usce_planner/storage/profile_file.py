"""The profile file: load, change field by field, validate as a whole, save atomically."""

from __future__ import annotations

import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, get_args

import tomli_w
from pydantic import TypeAdapter, ValidationError

from usce_planner.dates import DateOutOfRangeError, parse_iso_day
from usce_planner.errors import FieldError, PlannerError, Problem, ProfileError
from usce_planner.models.profile import Profile
from usce_planner.names import did_you_mean
from usce_planner.storage.cache import CopyKind, through_copy
from usce_planner.storage.copy_shapes import Shape
from usce_planner.storage.toml_files import (
    is_symlink_loop,
    parse_toml_document,
    read_document_bytes,
    schema_problem,
    validation_problems,
    write_atomically,
)

FIX_HINT = (
    "Fix it by hand, or start again with `usce profile init --force` "
    "(the old file is kept as profile.toml.bak)."
)
DATE_KEYS = frozenset(
    {"graduation", "final_year_from", "step1.date", "step2ck.date", "english.tested"}
)
INT_KEYS = frozenset(
    {
        "target_match",
        "budget_usd",
        "step1.score",
        "step2ck.score",
        "english.toefl_ibt",
        "visa.consulate_wait_weeks",
    }
)
FLOAT_KEYS = frozenset({"english.ielts"})
BOOL_KEYS = frozenset(
    {"seeking_residency", "english_medium_school", "ecfmg_certified", "english.oet"}
)
LIST_KEYS = frozenset({"specialties"})
TEXT_KEYS = frozenset(
    {
        "name",
        "stage",
        "citizenship",
        "us_status",
        "step1.status",
        "step2ck.status",
        "visa.holds",
    }
)
SETTABLE_KEYS = DATE_KEYS | INT_KEYS | FLOAT_KEYS | BOOL_KEYS | LIST_KEYS | TEXT_KEYS
_WHOLE_NUMBER = re.compile(r"^-?[0-9]+$")
_DECIMAL_NUMBER = re.compile(r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_TRUE = {"true", "yes", "y"}
_FALSE = {"false", "no", "n"}


def _profile_error(path: Path, problems: list[Problem]) -> ProfileError:
    return ProfileError(path, problems, hint=FIX_HINT)


def read_profile_document(path: Path) -> dict[str, Any]:
    """Return the profile's TOML document, or raise ProfileError (a missing file says so)."""
    return _profile_document(_read_profile_bytes(path), path)


def _read_profile_bytes(path: Path) -> bytes:
    if is_symlink_loop(path):
        raise _profile_error(path, [Problem("cannot be read (Too many levels of symbolic links)")])
    if not path.exists():
        raise PlannerError(f"{path}: no profile yet; create one with `usce profile init`")
    return read_document_bytes(path, _profile_error)


def _profile_document(raw: bytes, path: Path) -> dict[str, Any]:
    document = parse_toml_document(raw, path, _profile_error)
    problem = schema_problem(document)
    if problem is not None:
        raise _profile_error(path, [problem])
    return document


def validate_profile(document: dict[str, Any], path: Path, hint: str = "") -> Profile:
    """Return the profile the document describes, or raise ProfileError naming every field."""
    try:
        return Profile.model_validate(document)
    except ValidationError as exc:
        raise ProfileError(path, validation_problems(exc), hint=hint) from None


def load_profile(path: Path, cache: Path | None = None) -> Profile:
    """Read and validate the profile at ``path``.

    With a ``cache`` folder, a copy made from the same bytes is used when there is one.
    """
    raw = _read_profile_bytes(path)

    def parse() -> Profile:
        return validate_profile(_profile_document(raw, path), path, FIX_HINT)

    return through_copy(cache, path, raw, _PROFILE, parse)


_PROFILE = CopyKind("profile", Shape[Profile](Profile))


def profile_document(profile: Profile) -> dict[str, Any]:
    """Return the profile as the TOML document that stores it (only the keys it holds)."""
    return profile.model_dump(by_alias=True, exclude_unset=True, mode="python")


def save_profile(path: Path, profile: Profile, keep_backup: bool = False) -> None:
    """Write the profile atomically; with ``keep_backup``, keep the old file as ``.bak``."""
    if keep_backup and path.is_file():
        backup = path.with_name(path.name + ".bak")
        try:
            old = path.read_bytes()
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError as exc:
            raise PlannerError(f"{backup}: cannot keep the old profile ({exc.strerror})") from None
        # Written as any file usce writes: never through another user's link, never wider.
        write_atomically(backup, old, new_mode=mode)
    document = _toml_ready(profile_document(profile))
    write_atomically(path, tomli_w.dumps(document).encode("utf-8"))


def apply_changes(
    document: dict[str, Any], assignments: Sequence[tuple[str, str]], unset: Sequence[str]
) -> dict[str, Any]:
    """Return a copy of the document with ``KEY VALUE`` assignments and unset keys applied."""
    changed = {
        key: dict(value) if isinstance(value, dict) else value for key, value in document.items()
    }
    for key in unset:
        _check_key(key)
        table, _, leaf = key.rpartition(".")
        target = changed.get(table, {}) if table else changed
        if isinstance(target, dict):
            target.pop(leaf, None)
        if table and not target:
            changed.pop(table, None)
    for key, text in assignments:
        _check_key(key)
        table, _, leaf = key.rpartition(".")
        target = changed.setdefault(table, {}) if table else changed
        if not isinstance(target, dict):
            raise FieldError(table, "is not a table; fix the file by hand")
        target[leaf] = parse_value(key, text)
    return changed


def parse_value(key: str, text: str) -> object:
    """Return the typed value of a profile key written as text on the command line."""
    text = text.strip()
    if key in DATE_KEYS:
        try:
            return parse_iso_day(text)
        except DateOutOfRangeError as exc:
            raise FieldError(key, str(exc)) from None
        except ValueError:
            raise FieldError(key, f"'{text}' is not a date (YYYY-MM-DD)") from None
    if key in INT_KEYS:
        if not _WHOLE_NUMBER.match(text):
            raise FieldError(key, f"'{text}' is not a whole number")
        return int(text)
    if key in FLOAT_KEYS:
        # float() would also read full-width and other scripts' digits, which dates refuse.
        if not _DECIMAL_NUMBER.match(text):
            raise FieldError(key, f"'{text}' is not a number")
        return float(text)
    if key in BOOL_KEYS:
        if text.lower() not in _TRUE | _FALSE:
            raise FieldError(key, f"'{text}' is not true or false (or yes or no)")
        return text.lower() in _TRUE
    if key in LIST_KEYS:
        return [item.strip() for item in text.split(",") if item.strip()]
    if key == "citizenship":
        codes = [item.strip().upper() for item in text.split(",") if item.strip()]
        return codes[0] if len(codes) == 1 else codes
    return text if key == "name" else text.lower()


def check_field(key: str, value: object) -> None:
    """Raise FieldError when one value cannot be that profile field."""
    table, _, leaf = key.rpartition(".")
    model = Profile.model_fields[table].annotation if table else Profile
    owner = next(arg for arg in get_args(model) or (model,) if arg is not type(None))
    field = owner.model_fields[leaf]
    annotation: Any = (
        Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
    )
    try:
        TypeAdapter[Any](annotation).validate_python(value)
    except ValidationError as exc:
        problem = validation_problems(exc)[0]
        raise FieldError(key, problem.message) from None


def _check_key(key: str) -> None:
    if key not in SETTABLE_KEYS:
        hint = did_you_mean(key, SETTABLE_KEYS) or f"; keys: {', '.join(sorted(SETTABLE_KEYS))}"
        raise FieldError(key, f"unknown key{hint}")


def _toml_ready(value: Any) -> Any:
    # tomli-w writes lists, not tuples, and a None must not reach the file.
    if isinstance(value, dict):
        return {k: _toml_ready(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_toml_ready(v) for v in value]
    return value
