"""The cache folder itself: odd files where a copy belongs, and copies no longer used."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner.storage import cache, catalog_files
from usce_planner.storage.catalog_files import _PROGRAMS, load_catalog_file, shipped_catalog_path

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


# Trust: a copy is used only from a folder that is the user's own and that no one else can
# write, and only when the copy itself is. Root can give files away, which is how another user
# is played here; group- and other-writable modes need no privilege.
needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away"
)
ANOTHER_USER = 12345
UNTRUSTED = [
    pytest.param("group-writable", id="group-writable"),
    pytest.param("other-writable", id="other-writable"),
    pytest.param("another-user", id="another-user", marks=needs_root),
]
REASONS = {
    "group-writable": "can be written by other users",
    "other-writable": "can be written by other users",
    "another-user": "belongs to another user",
}


def spoil(path: Path, how: str) -> None:
    """Make a folder or a copy one the user may not trust."""
    if how == "another-user":
        os.chown(path, ANOTHER_USER, ANOTHER_USER)
    else:
        path.chmod(
            stat.S_IMODE(path.stat().st_mode) | (0o020 if how == "group-writable" else 0o002)
        )


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every catalog file that is parsed rather than read from a copy."""
    calls: list[Path] = []
    real = catalog_files._check_catalog_bytes

    def spy(path: Path, raw: bytes) -> Any:
        calls.append(path)
        return real(path, raw)

    monkeypatch.setattr(catalog_files, "_check_catalog_bytes", spy)
    return calls


def plant(folder: Path, source: Path, name: str) -> None:
    """Replace the copy of ``source`` with a sound one whose programs carry another name."""
    copy = cache.cache_file(folder, source, "catalog")
    blob = copy.read_bytes()
    data_at = blob.index(b"\n", blob.index(b"\n", len(cache._MAGIC)) + 1) + 1
    data = json.loads(blob[data_at:])
    for program in data:
        program["name"] = name
    payload = json.dumps(data).encode()
    key_line = blob[: blob.index(b"\n", len(cache._MAGIC)) + 1]
    copy.write_bytes(key_line + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def names(source: Path, folder: Path) -> list[str]:
    return [program.name for program in load_catalog_file(source, folder)]


@pytest.mark.parametrize("how", UNTRUSTED)
def test_copies_are_neither_read_nor_written_when_the_folder_is_not_the_users_alone(
    small: Path, write_catalog: WriteFile, tmp_path: Path, parses: list[Path], how: str
) -> None:
    folder = tmp_path / "cache"
    load_catalog_file(small, folder)  # a sound copy, made while the folder was trusted
    copy = cache.cache_file(folder, small, "catalog")
    long_ago = time.time() - 400 * DAY
    os.utime(copy, (long_ago, long_ago))
    spoil(folder, how)
    assert cache.untrusted_reason(folder) == REASONS[how]
    assert [p.id for p in load_catalog_file(small, folder)] == ["one-program"]
    other = write_catalog("schema = 1\n" + program_toml("other-program"), "other.toml")
    assert [p.id for p in load_catalog_file(other, folder)] == ["other-program"]
    assert parses == [small, small, other]  # both parsed afresh
    assert list(folder.iterdir()) == [copy]  # no copy written, none pruned
    assert copy.stat().st_mtime == pytest.approx(long_ago)  # not even marked as used


@pytest.mark.parametrize("how", UNTRUSTED)
def test_copy_is_not_used_when_it_is_not_the_users_alone(
    small: Path, tmp_path: Path, parses: list[Path], how: str
) -> None:
    folder = tmp_path / "cache"
    load_catalog_file(small, folder)
    copy = cache.cache_file(folder, small, "catalog")
    spoil(copy, how)
    assert cache.read_cached(folder, small, small.read_bytes(), _PROGRAMS) is None
    assert [p.id for p in load_catalog_file(small, folder)] == ["one-program"]
    assert parses == [small, small]
    # The folder is the user's: the copy was replaced by one of their own, used from then on.
    assert (copy.stat().st_uid, stat.S_IMODE(copy.stat().st_mode)) == (os.geteuid(), 0o600)
    load_catalog_file(small, folder)
    assert parses == [small, small]


@pytest.mark.parametrize("where", ["folder", "copy"])
@pytest.mark.parametrize("how", UNTRUSTED)
def test_planted_copy_is_never_used_when_it_sits_where_others_can_write(
    small: Path, tmp_path: Path, how: str, where: str
) -> None:
    folder = tmp_path / "cache"
    load_catalog_file(small, folder)
    plant(folder, small, "Planted")
    assert names(small, folder) == ["Planted"]  # sound: the user's own folder would use it
    spoil(folder if where == "folder" else cache.cache_file(folder, small, "catalog"), how)
    assert cache.read_cached(folder, small, small.read_bytes(), _PROGRAMS) is None
    assert names(small, folder) == ["Observership"]


@pytest.mark.parametrize("umask", [0o022, 0o000, 0o077])
def test_folder_is_made_private_when_it_is_missing(small: Path, tmp_path: Path, umask: int) -> None:
    folder = tmp_path / "home" / "cache"
    previous = os.umask(umask)
    try:
        load_catalog_file(small, folder)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert cache.untrusted_reason(folder) is None
    assert cache.cache_file(folder, small, "catalog").is_file()


@pytest.mark.parametrize("target", ["private-folder", "missing-folder"])
def test_folder_given_as_a_link_is_not_used(
    small: Path, tmp_path: Path, parses: list[Path], target: str
) -> None:
    real = tmp_path / "real"
    if target == "private-folder":
        load_catalog_file(small, real)
        plant(real, small, "Planted")
    before = sorted(real.iterdir()) if real.exists() else None
    link = tmp_path / "cache"
    link.symlink_to(real, target_is_directory=True)
    assert cache.untrusted_reason(link) == "is a symbolic link"
    assert names(small, link) == ["Observership"]
    assert names(small, link) == ["Observership"]
    assert len(parses) == (3 if target == "private-folder" else 2)
    assert (sorted(real.iterdir()) if real.exists() else None) == before


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: None, None),
        (lambda path: path.mkdir(mode=0o700), None),
        (lambda path: path.mkdir(mode=0o755), None),
        (lambda path: path.write_bytes(b""), "is not a folder"),
        (lambda path: path.symlink_to(path), "is a symbolic link"),
    ],
    ids=["missing", "private", "readable-by-others", "a-file", "a-link-loop"],
)
def test_untrusted_reason_names_the_problem_when_there_is_one(
    tmp_path: Path, make: Callable[[Path], object], reason: str | None
) -> None:
    folder = tmp_path / "cache"
    make(folder)
    assert cache.untrusted_reason(folder) == reason


@needs_root
def test_copy_is_not_written_when_another_user_makes_the_folder_first(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    real_mkdir = Path.mkdir

    def beaten_to_it(
        path: Path, mode: int = 0o777, parents: bool = False, exist_ok: bool = False
    ) -> None:
        if path == folder and not folder.exists():
            real_mkdir(folder, mode=0o777)
            folder.chmod(0o777)
            os.chown(folder, ANOTHER_USER, ANOTHER_USER)
        real_mkdir(path, mode, parents, exist_ok)

    monkeypatch.setattr(Path, "mkdir", beaten_to_it)
    assert [p.id for p in load_catalog_file(small, folder)] == ["one-program"]
    assert folder.stat().st_uid == ANOTHER_USER
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("how", UNTRUSTED)
def test_cli_says_once_it_parses_afresh_when_others_can_write_the_cache_folder(
    invoke: Invoke, isolated_home: Path, parses: list[Path], how: str
) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "profile.toml").write_text(
        'schema = 1\nstage = "graduate"\ngraduation = 2025-06-30\ncitizenship = "IN"\n',
        encoding="utf-8",
    )
    args = ["eligible", "--today", "2026-12-06", "--json"]
    trusted = invoke(args)
    assert trusted.exit_code == 0, trusted.output
    folder = isolated_home / "cache"
    copies = {copy: copy.read_bytes() for copy in folder.iterdir()}
    assert len(copies) == 3  # catalog, profile and rules
    assert "cache folder" not in trusted.stderr
    spoil(folder, how)
    parses.clear()
    result = invoke(args)
    notice = f"Notice: not using the cache folder {folder}: {REASONS[how]}"
    assert (result.exit_code, result.stdout) == (trusted.exit_code, trusted.stdout)
    assert result.stderr == notice + "\n" + trusted.stderr
    assert parses == [shipped_catalog_path()]
    assert {copy: copy.read_bytes() for copy in folder.iterdir()} == copies
