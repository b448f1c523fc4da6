"""The cache folder itself: odd files where a copy belongs, and copies no longer used."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import WriteFile, program_toml
from usce_planner.storage import cache
from usce_planner.storage.catalog_files import _PROGRAMS, load_catalog_file

DAY = 24 * 3600


@pytest.fixture
def small(write_catalog: WriteFile) -> Path:
    return write_catalog("schema = 1\n" + program_toml("one-program"), "small.toml")


def test_load_does_not_hang_when_a_fifo_sits_where_the_copy_belongs(
    small: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    os.mkfifo(cache.cache_file(folder, small, "catalog"))
    # In a child process, so that a hang fails the test instead of stopping the run.
    code = (
        "import sys; from pathlib import Path; from usce_planner.storage.catalog_files import load_catalog_file;"
        "print(len(load_catalog_file(Path(sys.argv[1]), Path(sys.argv[2]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(small), str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "1"


def test_load_ignores_the_copy_when_it_is_a_link_to_an_endless_device(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    cache.cache_file(folder, small, "catalog").symlink_to("/dev/zero")
    # Only the reading is under test: writing must never get a chance to reach the device.
    monkeypatch.setattr(cache, "write_cached", lambda *args: None)
    assert [p.id for p in load_catalog_file(small, folder)] == ["one-program"]


def test_link_is_replaced_and_its_target_untouched_when_a_copy_is_written(
    small: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    where = cache.cache_file(folder, small, "catalog")
    where.symlink_to(elsewhere)
    load_catalog_file(small, folder)
    assert elsewhere.read_text(encoding="utf-8") == "keep me"
    assert not where.is_symlink()
    assert [p.id for p in load_catalog_file(small, folder)] == ["one-program"]


def test_copy_unused_for_a_month_is_removed_when_another_copy_is_written(
    small: Path, write_catalog: WriteFile, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    load_catalog_file(small, folder)
    old = cache.cache_file(folder, small, "catalog")
    month_ago = time.time() - 31 * DAY
    os.utime(old, (month_ago, month_ago))
    other = write_catalog("schema = 1\n" + program_toml("other-program"), "other.toml")
    load_catalog_file(other, folder)
    assert not old.exists()
    assert cache.cache_file(folder, other, "catalog").exists()


def test_copy_in_use_is_kept_when_another_copy_is_written(
    small: Path, write_catalog: WriteFile, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    load_catalog_file(small, folder)
    kept = cache.cache_file(folder, small, "catalog")
    month_ago = time.time() - 31 * DAY
    os.utime(kept, (month_ago, month_ago))
    load_catalog_file(small, folder)  # reading the copy marks it as in use
    load_catalog_file(
        write_catalog("schema = 1\n" + program_toml("other-program"), "other.toml"), folder
    )
    assert kept.exists()
    assert kept.stat().st_mtime > month_ago + DAY


def test_other_files_in_the_folder_are_kept_when_copies_are_pruned(
    small: Path, write_catalog: WriteFile, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    month_ago = time.time() - 31 * DAY
    theirs = folder / "my-results.json"
    theirs.write_bytes(b"precious")
    lookalike = cache.cache_file(folder, tmp_path / "elsewhere.toml", "catalog")
    lookalike.write_bytes(b"not a copy usce wrote")
    for path in (theirs, lookalike):
        os.utime(path, (month_ago, month_ago))
    load_catalog_file(small, folder)
    assert theirs.read_bytes() == b"precious"
    assert lookalike.read_bytes() == b"not a copy usce wrote"


def test_copy_behind_a_link_is_neither_used_nor_touched_when_read(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    load_catalog_file(small, folder)
    where = cache.cache_file(folder, small, "catalog")
    moved = tmp_path / "moved.json"
    where.rename(moved)
    where.symlink_to(moved)
    long_ago = time.time() - 400 * DAY
    os.utime(moved, (long_ago, long_ago))
    assert cache.read_cached(folder, small, small.read_bytes(), _PROGRAMS) is None
    assert moved.stat().st_mtime == pytest.approx(long_ago)


def test_copy_from_another_python_is_not_used_when_read(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    load_catalog_file(small, folder)
    raw = small.read_bytes()
    assert cache.read_cached(folder, small, raw, _PROGRAMS) is not None
    monkeypatch.setattr(sys, "version", "3.99.0 (elsewhere)")
    cache._versions.cache_clear()
    try:
        assert cache.read_cached(folder, small, raw, _PROGRAMS) is None
    finally:
        cache._versions.cache_clear()


def test_nothing_is_cached_when_the_package_has_no_sources(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_SHAPING_CODE", ("no_such_module",))
    cache._versions.cache_clear()
    try:
        assert [p.id for p in load_catalog_file(small, tmp_path / "cache")] == ["one-program"]
        assert not list((tmp_path / "cache").glob("*.json"))
    finally:
        cache._versions.cache_clear()
