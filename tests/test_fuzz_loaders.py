"""Fuzzing every loader: whatever the file holds, only the project's own errors come out.

Documents are built by hypothesis and written with tomli-w: arbitrary TOML documents, valid
documents with keys replaced, dropped or added, raw text, cut or spliced TOML, and raw bytes.
A plan or profile that loads also saves and loads back to the same value (nothing is lost).
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usce_planner.errors import PlannerError
from usce_planner.storage.catalog_files import load_catalog_file
from usce_planner.storage.plan_file import load_plan, save_plan
from usce_planner.storage.profile_file import load_profile, save_profile
from usce_planner.storage.rules_file import load_rules_file, shipped_rules_path

# USCE_FUZZ_SCALE=20 runs twenty times the examples, for a deeper search by hand.
SCALE = int(os.environ.get("USCE_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


PROGRAM: dict[str, Any] = {
    "id": "mayo-visiting-clerkship", "institution": "Mayo Clinic", "name": "Visiting Clerkship",
    "kind": "elective", "status": "open", "state": "MN", "city": "Rochester",
    "specialties": ["internal-medicine"], "audience": ["student"], "hands_on": True,
    "channel": "vslo", "weeks": [4, 2], "max_weeks": 8, "starts": "any-monday",
    "lead_time": {"recommended": "6 months", "minimum": "6 weeks"},
    "windows": [{"opens": "06-01", "closes": "06-30", "starts_from": "10-01", "starts_to": "12-31"}],
    "decision_weeks": 8, "letters": "discretionary",
    "fees": {"application_usd": 500, "program_usd": 4200, "per": "rotation"},
    "source": "https://college.mayo.edu/x", "source_date": "2022/23",
    "verified": date(2026, 11, 25), "confidence": "medium",
    "requires": {
        "student_year": "final", "max_years_since_graduation": 5, "step1": True, "step2ck": False,
        "min_step_score": 220, "ecfmg_certified": False, "english": True, "toefl_ibt_min": 104,
        "ielts_min": 7.0, "english_tests": ["toefl", "ielts", "oet"],
        "english_waiver_if_english_medium": True, "excludes_residency_seekers": False,
        "visas": ["b1", "esta"], "excluded_citizenships": ["IR"],
    },
}  # fmt: skip
CATALOG = {
    "schema": 1,
    "program": [PROGRAM, {**PROGRAM, "id": "other", "starts": [date(2027, 1, 4)]}],
}
PROFILE: dict[str, Any] = {
    "schema": 1, "name": "A. Example", "stage": "student", "graduation": date(2027, 6, 30),
    "final_year_from": date(2026, 7, 1), "citizenship": ["IN", "GB"], "us_status": "none",
    "seeking_residency": True, "target_match": 2028, "specialties": ["internal-medicine"],
    "english_medium_school": True, "ecfmg_certified": False, "budget_usd": 10000,
    "step1": {"status": "passed", "date": date(2021, 3, 10), "score": 245},
    "step2ck": {"status": "scheduled", "date": date(2027, 3, 1)},
    "english": {"toefl_ibt": 105, "ielts": 7.5, "oet": True, "tested": date(2025, 10, 1)},
    "visa": {"holds": "b1-b2", "consulate_wait_weeks": 12},
}  # fmt: skip
PLAN: dict[str, Any] = {
    "schema": 1, "uid_token": "3f9c2a71", "done": {"me:visa": date(2027, 4, 2)},
    "rotation": [{
        "program": "cc-florida-observer", "start": date(2027, 10, 4), "weeks": 4,
        "status": "applied", "notes": "call Dr. X",
        "history": {"planned": date(2026, 12, 1), "applied": date(2027, 3, 2)},
        "done": {"letter-ask": date(2027, 10, 25)},
    }],
}  # fmt: skip
RULES = tomllib.loads(shipped_rules_path().read_text(encoding="utf-8"))
Loader = Callable[[Path], object]
LOADERS: dict[str, Loader] = {
    "catalog": load_catalog_file,
    "profile": load_profile,
    "plan": load_plan,
    "rules": load_rules_file,
}
BASES = {"catalog": CATALOG, "profile": PROFILE, "plan": PLAN, "rules": RULES}

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
keys = text | st.sampled_from(
    ["schema", "id", "program", "rule", "rotation", "weeks", "start", "date", "status", "key"]
)
scalars = st.one_of(
    text,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.sampled_from(
        ["6 months", "0 weeks", "02-29", "02-30", "2022/23", "undated", "any-monday", "b1-b2",
         "passed", "IN", "UK", "http://x", "javascript:x", "", "\x1b[31m", "9999-12-31"]
    ),
    st.sampled_from([0, -1, 1, 52, 53, 2**63, date(1, 1, 1), date(9999, 12, 31), 7.3, float("nan")]),
)  # fmt: skip
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
documents = st.dictionaries(keys, values, max_size=6)


def places(value: Any) -> Iterator[tuple[Any, Any]]:
    """Yield (container, key or index) for every value inside a document."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in list(items):
        yield value, key
        if isinstance(item, dict | list):
            yield from places(item)


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """Return a valid document with one to four values replaced, dropped or added."""
    document = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        spots = list(places(document))
        if not spots:  # every value dropped already
            break
        container, key = draw(st.sampled_from(spots))
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "replace":
            container[key] = draw(values)
        elif action == "drop" and isinstance(container, dict):
            del container[key]
        elif isinstance(container, dict):
            container[draw(keys)] = draw(values)
        else:
            container.append(draw(values))
    return document


def write_document(path: Path, document: dict[str, Any]) -> None:
    path.write_bytes(tomli_w.dumps(document).encode("utf-8"))


def only_planner_errors(loader: Loader, path: Path) -> object:
    """Load; return the value, or None after a PlannerError whose lines can be printed."""
    try:
        return loader(path)
    except PlannerError as exc:
        lines = exc.lines()
    assert lines
    assert all(isinstance(line, str) for line in lines)
    return None


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("kind", LOADERS)
@fuzz(40)
@given(document=documents, schema=st.booleans())
def test_arbitrary_documents(
    kind: str, document: dict[str, Any], schema: bool, folder: Path
) -> None:
    path = folder / f"{kind}-any.toml"
    write_document(path, {"schema": 1, **document} if schema else document)
    only_planner_errors(LOADERS[kind], path)


@pytest.mark.parametrize("kind", LOADERS)
@fuzz(60)
@given(data=st.data())
def test_valid_documents_with_values_changed(kind: str, data: st.DataObject, folder: Path) -> None:
    path = folder / f"{kind}-mutated.toml"
    write_document(path, data.draw(mutated(BASES[kind])))
    only_planner_errors(LOADERS[kind], path)


@pytest.mark.parametrize("kind", LOADERS)
@fuzz(50)
@given(data=st.data())
def test_raw_text_and_bytes(kind: str, data: st.DataObject, folder: Path) -> None:
    valid = tomli_w.dumps(BASES[kind]).encode("utf-8")
    cut = data.draw(st.integers(0, len(valid)))
    raw = data.draw(
        st.binary(max_size=200)
        | text.map(lambda t: t.encode("utf-8"))
        | st.just(valid[:cut])
        | st.binary(max_size=8).map(lambda b: valid[:cut] + b + valid[cut:])
        | st.sampled_from(
            [b"\xef\xbb\xbf", b"\xef\xbb\xbfschema = 1\n", b"[" * 5000, b"a=[" * 2000]
        )
    )
    path = folder / f"{kind}-raw.toml"
    path.write_bytes(raw)
    only_planner_errors(LOADERS[kind], path)


@fuzz(40)
@given(data=st.data())
def test_a_loaded_plan_saves_and_loads_back_the_same(data: st.DataObject, folder: Path) -> None:
    path, again = folder / "plan-in.toml", folder / "plan-out.toml"
    write_document(path, data.draw(mutated(PLAN)))
    plan = only_planner_errors(load_plan, path)
    if plan is not None:
        save_plan(again, plan)  # type: ignore[arg-type]  # a SavedPlan when it loaded
        assert load_plan(again) == plan


@fuzz(40)
@given(data=st.data())
def test_a_loaded_profile_saves_and_loads_back_the_same(data: st.DataObject, folder: Path) -> None:
    path, again = folder / "profile-in.toml", folder / "profile-out.toml"
    write_document(path, data.draw(mutated(PROFILE)))
    profile = only_planner_errors(load_profile, path)
    if profile is not None:
        save_profile(again, profile)  # type: ignore[arg-type]  # a Profile when it loaded
        assert load_profile(again) == profile


def test_values_of_every_toml_type_reach_the_loaders(folder: Path) -> None:
    # The strategies above can write each TOML type; a time and a datetime are refused cleanly.
    wrong: tuple[object, ...] = (time(12), datetime(2027, 1, 4, 9), float("inf"), 2**70, [[], {}])
    for value in wrong:
        path = folder / "types.toml"
        write_document(path, {**PROFILE, "graduation": value})
        with pytest.raises(PlannerError):
            load_profile(path)
