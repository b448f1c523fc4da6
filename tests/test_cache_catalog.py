"""Parsed copies of catalogs: a copy gives exactly the parsed programs, never outranks the file."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import pickle
import random
import textwrap
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.conftest import Invoke, WriteFile, program_toml
from tests.factories import BASE_PROFILE
from usce_planner.eligibility import RULE_ORDER, check_program
from usce_planner.errors import CatalogError
from usce_planner.models import catalog as catalog_models
from usce_planner.models.catalog import Program
from usce_planner.models.profile import Profile
from usce_planner.plan.example import example_profile
from usce_planner.storage import cache
from usce_planner.storage import catalog_files as catalog
from usce_planner.storage.catalog_files import (
    _PROGRAMS,
    load_catalog_file,
    load_catalogs,
    shipped_catalog_path,
)
from usce_planner.storage.rules_file import shipped_rules

TODAY = date(2026, 11, 25)
MAGIC = cache._MAGIC
PROFILE = 'schema = 1\nstage = "graduate"\ngraduation = 2025-06-30\ncitizenship = "IN"\n'
YEARLY = '{ opens = "06-01", closes = "06-30", starts_from = "10-01", starts_to = "12-31" }'
ONE_OFF = (
    "{ opens = 2027-01-04, closes = 2027-02-01, starts_from = 2027-06-01, starts_to = 2027-08-31 }"
)
# Appended to a minimal [[program]] entry each: every kind of value a catalog can hold.
EXTRAS = {
    "yearly": f'audience = ["graduate"]\nweeks = [2, 4]\nwindows = [{YEARLY}]\n',
    "one-off": f"max_weeks = 12\nwindows = [\n  {ONE_OFF},\n  {YEARLY},\n]\n",
    "date-list": """
        starts = [2027-09-06, 2027-03-01, 2027-06-07]
        lead_time = { recommended = "4 months", minimum = "6 weeks" }
        fees = { application_usd = 100, program_usd = 2500, per = "week" }
    """,
    "many-fields": """
        city = "Rochester"
        specialties = ["cardiology", "internal-medicine"]
        audience = ["student", "graduate"]
        hands_on = true
        channel = "vslo"
        starts = "any-monday"
        lead_time = { recommended = "90 days" }
        decision_weeks = 6
        letters = "yes"
        fees = { application_usd = 0 }
        [program.requires]
        student_year = "final-or-penultimate"
        max_years_since_graduation = 5
        step1 = true
        step2ck = false
        min_step_score = 220
        ecfmg_certified = false
        english = true
        toefl_ibt_min = 100
        ielts_min = 7.5
        english_tests = ["toefl", "ielts"]
        english_waiver_if_english_medium = true
        excludes_residency_seekers = false
        visas = ["b1", "b1-b2", "esta"]
        excluded_citizenships = ["IR", "SY"]
    """,
    "bare": "",
}
SYNTHETIC = "schema = 1\n" + "".join(
    program_toml(key) + textwrap.dedent(extra).lstrip() for key, extra in EXTRAS.items()
)


def _flip(blob: bytes, at: int) -> bytes:
    return blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1 :]


def header_length(blob: bytes) -> int:
    """Return where the data of a copy starts: after the magic line, the key and the digest."""
    return blob.index(b"\n", blob.index(b"\n", len(MAGIC)) + 1) + 1


def reseal(blob: bytes, payload: bytes) -> bytes:
    """Return the copy with other data, its digest made the way the cache makes it."""
    key_line = blob[: blob.index(b"\n", len(MAGIC)) + 1]
    return key_line + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def restructured(change: Callable[[Any], Any]) -> Callable[[bytes], bytes]:
    """Return a damage that changes the copy's JSON data and reseals it: a forged copy."""

    def damage(blob: bytes) -> bytes:
        data = json.loads(blob[header_length(blob) :])
        return reseal(blob, json.dumps(change(data)).encode())

    return damage


def _drop_field(data: Any) -> Any:
    del data[0]["name"]
    return data


def _add_field(data: Any) -> Any:
    data[0]["__class__"] = "os.system"
    return data


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda blob: blob[:-7],
    "truncated-in-header": lambda blob: blob[: header_length(blob) - 1],
    "header-only": lambda blob: blob[: header_length(blob)],
    "payload-bit": lambda blob: _flip(blob, len(blob) - 100),
    "payload-value": lambda blob: blob.replace(b'"verified":', b'"verified":1', 1),
    "key-bit": lambda blob: _flip(blob, len(MAGIC)),
    "digest-bit": lambda blob: _flip(blob, header_length(blob) - 2),
    "magic": lambda blob: b"usce catalog cache 0\n" + blob[len(MAGIC) :],
    "empty": lambda blob: b"",
    "garbage": lambda blob: random.Random(7).randbytes(len(blob)),
    "garbage-after-magic": lambda blob: MAGIC + random.Random(7).randbytes(4096),
    "sealed-not-json": lambda blob: reseal(blob, b"not json"),
    "sealed-a-pickle": lambda blob: reseal(blob, pickle.dumps([date(2027, 1, 4)])),
    "sealed-not-a-list": restructured(lambda data: {"a": 1}),
    "sealed-list-of-text": restructured(lambda data: ["text"]),
    "sealed-program-as-text": restructured(lambda data: [*data, "text"]),
    "sealed-program-without-a-field": restructured(_drop_field),
    "sealed-program-with-an-unknown-field": restructured(_add_field),
    "sealed-nested-too-deep": lambda blob: reseal(blob, b"[" * 100_000 + b"]" * 100_000),
}


@pytest.fixture(autouse=True)
def fresh_versions() -> Iterator[None]:
    """Forget the version key before and after: some tests change what it is made of."""
    cache._versions.cache_clear()
    yield
    cache._versions.cache_clear()


@pytest.fixture
def synthetic(write_catalog: WriteFile) -> Path:
    return write_catalog(SYNTHETIC, "synthetic.toml")


@pytest.fixture(params=["shipped", "synthetic", "benchmark"])
def any_catalog(request: pytest.FixtureRequest, tmp_path: Path, synthetic: Path) -> Path:
    if request.param == "shipped":
        return shipped_catalog_path()
    if request.param == "synthetic":
        return synthetic
    # benchmarks/ is not a package: load its generator from the file.
    source = Path(__file__).resolve().parents[1] / "benchmarks" / "make_data.py"
    spec = importlib.util.spec_from_file_location("make_data", source)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.write_catalog(tmp_path / "benchmark.toml", 300))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every catalog file that is parsed rather than read from a copy."""
    calls: list[Path] = []
    real = catalog._check_catalog_bytes

    def spy(path: Path, raw: bytes) -> Any:
        calls.append(path)
        return real(path, raw)

    monkeypatch.setattr(catalog, "_check_catalog_bytes", spy)
    return calls


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path, raw: bytes) -> Any:
        raise AssertionError(f"{path} was parsed, not read from its copy")

    monkeypatch.setattr(catalog, "_check_catalog_bytes", fail)


def shapes(programs: list[Program]) -> list[tuple[Any, ...]]:
    """Return each program with what equality alone does not compare."""
    return [
        (p, p.__pydantic_fields_set__, hash(p), p.model_dump(exclude_unset=True)) for p in programs
    ]


def test_copy_gives_the_parsed_programs_when_the_file_is_unchanged(
    any_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = shapes(load_catalog_file(any_catalog))
    assert shapes(load_catalog_file(any_catalog, tmp_path / "cache")) == parsed
    copy = cache.cache_file(tmp_path / "cache", any_catalog, "catalog")
    assert list((tmp_path / "cache").iterdir()) == [copy]
    forbid_parsing(monkeypatch)
    assert shapes(load_catalog_file(any_catalog, tmp_path / "cache")) == parsed


@pytest.mark.parametrize(
    "profile_of", [example_profile, lambda _: Profile.model_validate(BASE_PROFILE)]
)
def test_verdicts_are_the_same_when_programs_come_from_the_copy(
    any_catalog: Path, tmp_path: Path, profile_of: Callable[[date], Profile]
) -> None:
    load_catalog_file(any_catalog, tmp_path / "cache")
    cached = load_catalog_file(any_catalog, tmp_path / "cache")
    profile, rules = profile_of(TODAY), shipped_rules()
    for program, fresh in zip(cached, load_catalog_file(any_catalog), strict=True):
        got = check_program(program, profile, rules, TODAY)
        want = check_program(fresh, profile, rules, TODAY)
        assert (got.verdict, got.target, got.checks) == (want.verdict, want.target, want.checks)
        assert got.earliest_start == want.earliest_start
        assert len(got.checks) == len(RULE_ORDER)


def test_new_content_is_seen_when_the_file_changes_but_not_its_size_or_time(
    write_catalog: WriteFile, tmp_path: Path, parses: list[Path]
) -> None:
    path = write_catalog("schema = 1\n" + program_toml("a", name='"Before"'))
    load_catalog_file(path, tmp_path / "cache")
    stamp = path.stat()
    write_catalog("schema = 1\n" + program_toml("a", name='"Aftera"'))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert [p.name for p in load_catalog_file(path, tmp_path / "cache")] == ["Aftera"]
    assert [p.name for p in load_catalog_file(path, tmp_path / "cache")] == ["Aftera"]
    assert parses == [path, path]  # parsed again once, then the rewritten copy was read


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_damaged_copy_is_ignored_and_rebuilt_when_read(
    synthetic: Path, tmp_path: Path, parses: list[Path], damage: Callable[[bytes], bytes]
) -> None:
    parsed = shapes(load_catalog_file(synthetic, tmp_path / "cache"))
    copy = cache.cache_file(tmp_path / "cache", synthetic, "catalog")
    copy.write_bytes(damage(copy.read_bytes()))
    assert shapes(load_catalog_file(synthetic, tmp_path / "cache")) == parsed
    assert shapes(load_catalog_file(synthetic, tmp_path / "cache")) == parsed
    assert parses == [synthetic, synthetic]  # the damage cost one parse, no more


def test_copy_is_plain_json_naming_no_class_when_written(synthetic: Path, tmp_path: Path) -> None:
    load_catalog_file(synthetic, tmp_path / "cache")
    blob = cache.cache_file(tmp_path / "cache", synthetic, "catalog").read_bytes()
    data = json.loads(blob[header_length(blob) :])
    for name in (b"usce_planner", b"Program", b"pydantic", b"datetime", b"builtins", b"__"):
        assert name not in blob
    source = synthetic.read_text(encoding="utf-8")
    assert {text for text in texts(data, keys=False) if text not in source} == set()
    assert texts(data, keys=True) <= model_field_names()


def texts(value: Any, keys: bool) -> set[str]:
    """Return the texts in JSON-like data: its keys, or every other text it holds."""
    if isinstance(value, dict):
        found = set(value) if keys else set()
        return found.union(*(texts(part, keys) for part in value.values()))
    if isinstance(value, list):
        return set().union(*(texts(part, keys) for part in value))
    return {value} if isinstance(value, str) and not keys else set()


def model_field_names() -> set[str]:
    """Return the field names of every model a catalog is made of."""
    names: set[str] = set()
    for model in vars(catalog_models).values():
        if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
            names |= set(model.model_fields)
    return names


@pytest.mark.parametrize(
    "payload",
    [
        b'[[{"name": "x"}, []]]',
        b'{"__reduce__": ["os.system", ["touch ran"]]}',
        b'[[[0, "Program"], []]]',
        b"[null]",
    ],
    ids=["model-missing-fields", "object", "list-for-a-model", "null-program"],
)
def test_forged_copy_of_the_wrong_structure_is_ignored_when_read(
    synthetic: Path, tmp_path: Path, parses: list[Path], payload: bytes
) -> None:
    parsed = shapes(load_catalog_file(synthetic, tmp_path / "cache"))
    copy = cache.cache_file(tmp_path / "cache", synthetic, "catalog")
    copy.write_bytes(reseal(copy.read_bytes(), payload))
    assert (
        cache.read_cached(tmp_path / "cache", synthetic, synthetic.read_bytes(), _PROGRAMS) is None
    )
    assert shapes(load_catalog_file(synthetic, tmp_path / "cache")) == parsed
    assert parses == [synthetic, synthetic]


@pytest.mark.parametrize(
    ("owner", "name", "value"),
    [
        (cache, "__version__", "999.0.0"),
        (pydantic, "VERSION", "1.0.0"),
        (cache, "_SHAPING_CODE", ("models",)),
    ],
    ids=["usce", "pydantic", "models-code"],
)
def test_copy_is_not_used_when_made_by_another_version(
    synthetic: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parses: list[Path],
    owner: object,
    name: str,
    value: object,
) -> None:
    parsed = shapes(load_catalog_file(synthetic, tmp_path / "cache"))
    monkeypatch.setattr(owner, name, value)
    cache._versions.cache_clear()
    assert shapes(load_catalog_file(synthetic, tmp_path / "cache")) == parsed
    assert shapes(load_catalog_file(synthetic, tmp_path / "cache")) == parsed
    assert parses == [synthetic, synthetic]  # parsed again, then the new copy was read


@pytest.mark.parametrize("blocker", ["file", "file-above", "symlink-loop", "folder-as-copy"])
def test_programs_load_when_the_copy_cannot_be_written(
    synthetic: Path, tmp_path: Path, parses: list[Path], blocker: str
) -> None:
    folder = tmp_path / "cache"
    if blocker == "symlink-loop":
        folder.symlink_to(folder)
    elif blocker == "folder-as-copy":
        cache.cache_file(folder, synthetic, "catalog").mkdir(parents=True)
    else:
        folder.write_text("not a folder\n", encoding="utf-8")
    parsed = shapes(load_catalog_file(synthetic))
    folder = folder / "inner" if blocker == "file-above" else folder
    assert shapes(load_catalog_file(synthetic, folder)) == parsed
    assert shapes(list(load_catalogs([synthetic], folder).programs)) == parsed
    assert len(parses) == 3  # nothing could be kept, so every load parsed
    assert (tmp_path / "cache").is_symlink() or (tmp_path / "cache").stat().st_size > 0


@pytest.mark.parametrize("text", ["foo bar\n", program_toml("a", state='"XX"')])
def test_catalog_error_is_raised_every_time_when_the_file_has_problems(
    write_catalog: WriteFile, tmp_path: Path, text: str
) -> None:
    path = write_catalog("schema = 1\n" + program_toml("a"))
    load_catalog_file(path, tmp_path / "cache")  # a copy of the file before it went wrong
    copies = {copy: copy.read_bytes() for copy in (tmp_path / "cache").iterdir()}
    write_catalog("schema = 1\n" + text)
    with pytest.raises(CatalogError) as first:
        load_catalog_file(path, tmp_path / "cache")
    with pytest.raises(CatalogError) as second:
        load_catalog_file(path, tmp_path / "cache")
    assert second.value.lines() == first.value.lines()
    assert {copy: copy.read_bytes() for copy in (tmp_path / "cache").iterdir()} == copies


def test_eligible_json_is_the_same_when_the_second_run_reads_the_copy(
    invoke: Invoke, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    args = ["eligible", "--today", TODAY.isoformat(), "--json"]
    first = invoke(args)
    assert first.exit_code == 0, first.output
    assert len(list((isolated_home / "cache").glob("catalog-*.json"))) == 1
    forbid_parsing(monkeypatch)
    second = invoke(args)
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)
    assert '"results"' in second.stdout
    assert len(list((isolated_home / "cache").glob("catalog-*.json"))) == 1


def test_validate_reports_problems_without_the_cache_when_a_copy_exists(
    invoke: Invoke, isolated_home: Path, write_catalog: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_catalog("schema = 1\n" + program_toml("a"), "good.toml")
    load_catalog_file(good, isolated_home / "cache")

    def refuse(*args: object) -> None:
        raise AssertionError("catalog validate used the cache")

    monkeypatch.setattr(cache, "read_cached", refuse)
    monkeypatch.setattr(cache, "write_cached", refuse)
    assert invoke(["catalog", "validate", str(good)]).exit_code == 0
    bad = write_catalog("schema = 1\n" + program_toml("a", state='"XX"'), "bad.toml")
    result = invoke(["catalog", "validate", str(bad)])
    assert result.exit_code == 1
    assert "state: 'XX' is not a US state code" in result.output
