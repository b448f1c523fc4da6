"""The profile and the rules read through the cache folder: same values, never trusted blindly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from usce_planner.errors import ProfileError, RulesError
from usce_planner.storage import cache
from usce_planner.storage import profile_file as profile
from usce_planner.storage import rules_file as rules
from usce_planner.storage.profile_file import _PROFILE, load_profile
from usce_planner.storage.rules_file import _RULES, load_rules_file, shipped_rules_path

PROFILE = (
    'schema = 1\nstage = "graduate"\ngraduation = 2025-06-30\ncitizenship = "IN"\n'
    'seeking_residency = true\n\n[step2ck]\nstatus = "passed"\ndate = 2025-01-10\nscore = 231\n'
)


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.toml"
    shutil.copyfile(shipped_rules_path(), path)
    return path


def never_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> object:
        raise AssertionError("parsed instead of read from the copy")

    monkeypatch.setattr(profile, "validate_profile", fail)
    monkeypatch.setattr(rules, "_check_rules", fail)


def test_profile_from_the_copy_equals_the_parsed_one_when_unchanged(
    profile_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached = load_profile(profile_file)
    parsed = load_profile(profile_file, tmp_path / "cache")
    never_parse(monkeypatch)
    copied = load_profile(profile_file, tmp_path / "cache")
    assert copied == parsed == uncached
    assert copied.__pydantic_fields_set__ == parsed.__pydantic_fields_set__
    assert copied.model_dump(exclude_unset=True) == parsed.model_dump(exclude_unset=True)


def test_changed_profile_is_read_again_when_its_bytes_differ(
    profile_file: Path, tmp_path: Path
) -> None:
    load_profile(profile_file, tmp_path / "cache")
    profile_file.write_text(PROFILE.replace("score = 231", "score = 245"), encoding="utf-8")
    again = load_profile(profile_file, tmp_path / "cache")
    assert again.step2ck is not None
    assert again.step2ck.score == 245


def test_invalid_profile_fails_every_time_and_leaves_no_copy_when_read(
    profile_file: Path, tmp_path: Path
) -> None:
    profile_file.write_text(PROFILE.replace('"IN"', '"India"'), encoding="utf-8")
    folder = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(ProfileError) as raised:
            load_profile(profile_file, folder)
        assert "citizenship" in "\n".join(raised.value.lines())
    assert not cache.cache_file(folder, profile_file, "profile").exists()


def test_copy_of_another_shape_is_ignored_when_a_profile_is_read(
    profile_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    raw = profile_file.read_bytes()
    # The rules' shape under the profile's name: sound JSON, with the right key, wrong structure.
    rules = load_rules_file(shipped_rules_path())
    cache.write_cached(folder, profile_file, raw, _RULES, rules.entries)
    copy = cache.cache_file(folder, profile_file, "profile")
    rules_copy = cache.cache_file(folder, profile_file, "rules")
    rules_copy.rename(copy)
    assert cache.read_cached(folder, profile_file, raw, _PROFILE) is None
    loaded = load_profile(profile_file, folder)
    assert loaded.citizenship == "IN"
    assert cache.read_cached(folder, profile_file, raw, _PROFILE) == loaded


def test_damaged_profile_copy_is_rebuilt_when_read(profile_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    expected = load_profile(profile_file, folder)
    copy = cache.cache_file(folder, profile_file, "profile")
    copy.write_bytes(copy.read_bytes()[:-5])
    assert cache.read_cached(folder, profile_file, profile_file.read_bytes(), _PROFILE) is None
    assert load_profile(profile_file, folder) == expected
    assert cache.read_cached(folder, profile_file, profile_file.read_bytes(), _PROFILE) == expected


def test_rules_from_the_copy_equal_the_parsed_ones_when_unchanged(
    rules_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = load_rules_file(rules_file, tmp_path / "cache")
    never_parse(monkeypatch)
    copied = load_rules_file(rules_file, tmp_path / "cache")
    assert copied == parsed
    assert copied.durations == parsed.durations
    assert copied.country_sets == parsed.country_sets


def test_changed_rules_are_read_again_when_their_bytes_differ(
    rules_file: Path, tmp_path: Path
) -> None:
    load_rules_file(rules_file, tmp_path / "cache")
    text = rules_file.read_text(encoding="utf-8")
    rules_file.write_text(text.replace("value = 28\n", "value = 35\n", 1), encoding="utf-8")
    again = load_rules_file(rules_file, tmp_path / "cache")
    assert again == load_rules_file(rules_file)
    assert again != load_rules_file(shipped_rules_path())


def test_invalid_rules_fail_every_time_when_read_through_the_cache(
    rules_file: Path, tmp_path: Path
) -> None:
    load_rules_file(rules_file, tmp_path / "cache")
    rules_file.write_text("schema = 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RulesError) as raised:
            load_rules_file(rules_file, tmp_path / "cache")
        assert "missing from the rules file" in "\n".join(raised.value.lines())


PLAN = (
    'schema = 1\nuid_token = "3f9c2a71"\n\n[done]\n"me:visa" = 2027-04-02\n\n'
    '[[rotation]]\nprogram = "cc-florida-observer"\nstart = 2027-10-04\nweeks = 4\n'
    'status = "applied"\nnotes = "ask Dr Rao"\n\n[rotation.history]\nplanned = 2026-12-01\n'
    "applied = 2027-03-02\n"
)


def test_plan_from_the_copy_equals_the_parsed_one_and_a_change_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from usce_planner.storage import plan_file

    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    uncached = plan_file.load_plan(path)
    parsed = plan_file.load_plan(path, tmp_path / "cache")

    def fail(*args: object) -> object:
        raise AssertionError("parsed instead of read from the copy")

    with monkeypatch.context() as patched:
        patched.setattr("usce_planner.storage.plan_file.parse_toml_document", fail)
        copied = plan_file.load_plan(path, tmp_path / "cache")
    assert copied == parsed == uncached
    assert copied is not None
    assert parsed is not None
    assert copied.rotation[0].model_fields_set == parsed.rotation[0].model_fields_set
    path.write_text(PLAN.replace("ask Dr Rao", "ask Dr Shah"), encoding="utf-8")
    again = plan_file.load_plan(path, tmp_path / "cache")
    assert again is not None
    assert again.rotation[0].notes == "ask Dr Shah"
