"""Writing files safely (section 1): only regular files are replaced, links only their owners lay.

Cases that need a second user (a link owned by someone else) or a device node run as root.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.test_bad_input_corpus import PLAN, PROFILE, cache_typer_commands
from usce_planner.errors import PlannerError
from usce_planner.storage.toml_files import write_atomically

TODAY = "2026-12-01"
OTHER_USER = 12345
as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root: lchown, mknod"
)
REFUSED = "is {kind}, not a regular file; usce replaces only regular files"


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolated_home.mkdir(parents=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    (isolated_home / "plan.toml").write_text(PLAN, encoding="utf-8")
    (isolated_home / "profile.toml").chmod(0o600)
    cache_typer_commands(monkeypatch)
    return isolated_home


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A sticky folder everyone can write, owned by root, as /tmp is."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o1777)
    return folder


def planted_link(at: Path, to: Path | str, owner: int = OTHER_USER) -> Path:
    """A symbolic link at ``at`` that another user laid."""
    at.symlink_to(to)
    os.lchown(at, owner, owner)
    return at


def export(invoke: Invoke, path: Path) -> tuple[int, str]:
    result = invoke(["--today", TODAY, "export", "-o", str(path), "--format", "json", "--force"])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def special_file(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("mknod needs root")
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    else:
        path.mkdir()


KINDS = {"fifo": "a FIFO", "device": "a device", "socket": "a socket"}


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_export_onto_a_node_that_is_not_a_file_exits_1_and_keeps_it(
    kind: str, home: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "out.json"
    special_file(kind, path)
    before = os.lstat(path)
    code, errors = export(invoke, path)
    assert (code, errors) == (1, f"Error: {path}: {REFUSED.format(kind=KINDS[kind])}\n")
    after = os.lstat(path)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (
        before.st_mode,
        before.st_ino,
        before.st_rdev,
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_profile_path_that_is_not_a_file_is_never_replaced(
    kind: str, home: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "profile.toml"
    special_file(kind, path)
    result = invoke(
        ["--today", TODAY, "--profile", str(path), "profile", "init", "--force",
         "--stage", "graduate", "--graduation", "2024-06-30", "--citizenship", "IN"]
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: ")
    assert "Traceback" not in result.output
    assert stat.S_IFMT(os.lstat(path).st_mode) == (stat.S_IFIFO if kind == "fifo" else stat.S_IFDIR)


@as_root
def test_a_link_another_user_planted_is_not_written_through(
    home: Path, invoke: Invoke, shared: Path
) -> None:
    victim = home / "profile.toml"
    link = planted_link(shared / "plan.json", victim)
    before = victim.read_bytes()
    code, errors = export(invoke, link)
    assert code == 1
    assert errors == (
        f"Error: {link}: the symbolic link {link} belongs to another user (uid {OTHER_USER}); "
        "usce writes through a link only when it is yours or the owner's of its folder\n"
    )
    assert victim.read_bytes() == before
    assert stat.S_IMODE(victim.stat().st_mode) == 0o600
    assert link.is_symlink()


@as_root
def test_a_dangling_link_another_user_planted_creates_nothing(
    home: Path, invoke: Invoke, shared: Path, tmp_path: Path
) -> None:
    target = tmp_path / "created-by-the-victim"
    link = planted_link(shared / "plan.json", target)
    code, errors = export(invoke, link)
    assert code == 1
    assert "belongs to another user" in errors
    assert not target.exists()


@as_root
def test_a_link_in_the_middle_of_the_path_is_checked_too(
    home: Path, invoke: Invoke, shared: Path
) -> None:
    victim = home / "profile.toml"
    before = victim.read_bytes()
    planted_link(shared / "folder", home)
    code, errors = export(invoke, shared / "folder" / "profile.toml")
    assert code == 1
    assert f"the symbolic link {shared / 'folder'} belongs to another user" in errors
    assert victim.read_bytes() == before


@as_root
def test_a_link_that_belongs_to_the_folders_owner_is_followed(
    home: Path, invoke: Invoke, tmp_path: Path
) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    os.chown(folder, OTHER_USER, OTHER_USER)
    target = tmp_path / "plan.json"
    link = planted_link(folder / "plan.json", target)
    code, errors = export(invoke, link)
    assert (code, errors.startswith("Wrote")) == (0, True), errors
    assert link.is_symlink()
    assert target.read_bytes().startswith(b"{")


def test_the_users_own_link_is_written_through_and_the_mode_kept(
    home: Path, invoke: Invoke, tmp_path: Path
) -> None:
    target = tmp_path / "private.json"
    target.write_bytes(b"old")
    target.chmod(0o600)
    link = tmp_path / "plan.json"
    link.symlink_to(target.name)
    with umask(0o022):
        code, _ = export(invoke, link)
    assert code == 0
    assert link.is_symlink()
    assert target.read_bytes().startswith(b"{")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_link_to_a_fifo_is_refused(home: Path, invoke: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "plan.json"
    link.symlink_to(fifo)
    code, errors = export(invoke, link)
    assert (code, errors) == (1, f"Error: {link}: {REFUSED.format(kind='a FIFO')}\n")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_0666_less_the_umask(mask: int, mode: int, tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    with umask(mask):
        write_atomically(path, b"x = 1\n")
    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o604])
def test_a_replaced_file_keeps_its_permission_bits(mode: int, tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_bytes(b"old")
    path.chmod(mode)
    with umask(0o022):
        write_atomically(path, b"new")
    assert (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) == (b"new", mode)


def test_a_link_loop_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop.name)
    with pytest.raises(PlannerError, match="Too many levels of symbolic links"):
        write_atomically(loop, b"x")
    assert loop.is_symlink()


def test_a_link_is_replaced_not_followed_when_the_caller_says_so(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_bytes(b"keep")
    link = tmp_path / "copy.json"
    link.symlink_to(target)
    write_atomically(link, b"new", follow_link=False)
    assert (link.is_symlink(), link.read_bytes(), target.read_bytes()) == (False, b"new", b"keep")


@as_root
@pytest.mark.parametrize("which", ["profile", "plan"])
def test_profile_and_plan_are_not_written_through_a_planted_link(
    which: str, home: Path, invoke: Invoke, shared: Path
) -> None:
    victim = home / f"{which}.toml"
    before = victim.read_bytes()
    link = planted_link(shared / f"{which}.toml", victim)
    args = {
        "profile": ["--profile", str(link), "profile", "set", "name", "Sam"],
        "plan": ["--plan", str(link), "plan", "add", "cc-florida-observer", "--start", "2028-01"],
    }[which]
    result = invoke(["--today", TODAY, *args])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {link}: the symbolic link {link} belongs to another")
    assert victim.read_bytes() == before


@as_root
def test_the_profile_backup_is_not_written_through_a_planted_link(
    home: Path, invoke: Invoke, tmp_path: Path
) -> None:
    profile = home / "profile.toml"
    profile.write_text("schema = 1\nstage = [\n", encoding="utf-8")  # fails to parse
    victim = tmp_path / "victim.toml"
    victim.write_bytes(b"mine")
    os.chown(home, 0, 0)
    planted_link(home / "profile.toml.bak", victim)
    result = invoke(
        ["--today", TODAY, "profile", "init", "--force", "--stage", "graduate",
         "--graduation", "2024-06-30", "--citizenship", "IN"]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "belongs to another user" in result.stderr
    assert victim.read_bytes() == b"mine"
    assert profile.read_bytes() == b"schema = 1\nstage = [\n"


def test_the_backup_keeps_the_profiles_mode(home: Path, invoke: Invoke) -> None:
    profile = home / "profile.toml"
    profile.write_text("schema = 1\nstage = [\n", encoding="utf-8")
    profile.chmod(0o600)
    with umask(0o022):
        result = invoke(
            ["--today", TODAY, "profile", "init", "--force", "--stage", "graduate",
             "--graduation", "2024-06-30", "--citizenship", "IN"]
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    backup = home / "profile.toml.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600


@as_root
def test_a_planted_lock_file_link_creates_nothing(
    home: Path, invoke: Invoke, tmp_path: Path
) -> None:
    target = tmp_path / "created"
    planted_link(home / "plan.toml.lock", target)
    result = invoke(["--today", TODAY, "plan", "add", "cc-florida-observer", "--start", "2028-01"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {home / 'plan.toml.lock'}: cannot open the lock file")
    assert not target.exists()
    assert (home / "plan.toml").read_text(encoding="utf-8") == PLAN


def test_a_file_only_usce_reads_back_is_created_private(tmp_path: Path) -> None:
    # The cache writes with follow_link off, and trusts no copy others could write.
    path = tmp_path / "copy.json"
    with umask(0o002):
        write_atomically(path, b"{}", follow_link=False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_only_usce_reads_back_stays_private_when_replaced(tmp_path: Path) -> None:
    path = tmp_path / "copy.json"
    path.write_bytes(b"{}")
    path.chmod(0o666)
    write_atomically(path, b"{}", follow_link=False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
