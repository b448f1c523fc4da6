"""No lost data: SIGKILL while saving, two adds at once, and broken files never rewritten.

Most kills land on children forked from one process that has usce imported already, so a
random delay of a few milliseconds falls anywhere in the command, the save included; a few land
on real `python -m usce_planner` processes. After each kill the file parses as the old or the
new version and no `.NAME.*.tmp` file is left (section 1: atomic writes).
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import Invoke, program_toml
from tests.test_bad_input_corpus import cache_typer_commands
from usce_planner.storage.plan_file import load_plan
from usce_planner.storage.profile_file import load_profile
from usce_planner.storage.toml_files import STALE_TEMPORARY_SECONDS

# A temporary file this old belongs to no live writer (documents.STALE_SECONDS).
STALE_SECONDS = STALE_TEMPORARY_SECONDS + 0.1

TODAY = date(2026, 12, 1)
PROFILE = 'schema = 1\nstage = "graduate"\ngraduation = 2024-06-30\ncitizenship = "IN"\nenglish_medium_school = true\n'
PLAN = 'schema = 1\nuid_token = "3f9c2a71"\n'
# A program that takes any start day and any length: every add below is allowed.
CATALOG = "schema = 1\n" + program_toml("anyday", starts='"any-day"', weeks="[1, 2, 3, 4]")
SERVER = r"""
import json, os, sys
import typer.main
from usce_planner.cli import app
from usce_planner.cli.options import hoist_common_options
import usce_planner.app.plan_changes, usce_planner.storage.profile_file, usce_planner.storage.rules_file
usce_planner.storage.rules_file.shipped_rules()
command = typer.main.get_command(app)
print("ready", flush=True)
for line in sys.stdin:
    args = json.loads(line)
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            command.main(args=hoist_common_options(args), prog_name="usce")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        os._exit(code)
    print(pid, flush=True)
    sys.stdin.readline()  # the test has killed it (or not): reap it now, never earlier
    print(os.waitpid(pid, 0)[1], flush=True)
"""


def temp_files(folder: Path) -> set[str]:
    return {path.name for path in folder.glob(".*.tmp")}


@pytest.fixture
def home(isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache_typer_commands(monkeypatch)
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    (isolated_home / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    return isolated_home


def common(home: Path) -> list[str]:
    catalog = str(home.parent / "catalog.toml")
    return ["--today", TODAY.isoformat(), "--only-catalog", "--catalog", catalog]


class ForkServer:
    """A process with usce imported that forks one child per command, for the test to kill."""

    def __init__(self, home: Path) -> None:
        env = {**os.environ, "USCE_HOME": str(home)}
        command = [sys.executable, "-c", SERVER]
        pipe = subprocess.PIPE
        self.process = subprocess.Popen(command, stdin=pipe, stdout=pipe, text=True, env=env)
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        assert self.stdout.readline() == "ready\n"

    def run(self, args: list[str], kill_after: float | None) -> tuple[bool, float]:
        """Run one command; SIGKILL it after ``kill_after`` s. Return (killed, seconds)."""
        self.stdin.write(json.dumps(args) + "\n")
        self.stdin.flush()
        pid = int(self.stdout.readline())
        started = time.monotonic()  # the child runs already: measured as the test sees it
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(pid, signal.SIGKILL)  # a child of the server, not yet reaped
        self.stdin.write("reap\n")
        self.stdin.flush()
        status = int(self.stdout.readline())
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        assert killed or os.WEXITSTATUS(status) == 0, status
        return killed, time.monotonic() - started

    def close(self) -> None:
        self.stdin.close()
        self.process.wait(timeout=10)
        self.stdout.close()


@pytest.fixture
def server(home: Path) -> Iterator[ForkServer]:
    running = ForkServer(home)
    yield running
    running.close()


def delays(seconds: float, count: int, rng: random.Random) -> Iterator[float]:
    """Random kill moments over the whole command, half of them in its last 40 % (the save)."""
    for index in range(count):
        low = 0.0 if index % 2 else 0.6 * seconds
        yield rng.uniform(low, 1.1 * seconds)


def judge(kills: int, minimum: int, home: Path, save: Callable[[], object]) -> None:
    """Enough kills landed, and the next save that runs to the end sweeps what kills left."""
    assert kills >= minimum, "too few commands were killed before they ended"
    # A kill between creating the temporary file and the rename must leave it; nothing can
    # prevent that. What the tool promises is that the next save removes it.
    time.sleep(STALE_SECONDS)
    save()
    assert temp_files(home) == set()


def test_killed_plan_adds_leave_the_old_or_the_new_plan(home: Path, server: ForkServer) -> None:
    rng, plan_path = random.Random(7), home / "plan.toml"
    base = common(home)
    seconds = min(
        server.run([*base, "plan", "add", "anyday", "--start", f"2027-06-0{day}"], None)[1]
        for day in (1, 2, 3)
    )
    kills = 0
    for index, delay in enumerate(delays(seconds, 24, rng)):
        old_bytes, old = plan_path.read_bytes(), load_plan(plan_path)
        assert old is not None
        start = (TODAY + timedelta(days=200 + 3 * index)).isoformat()
        if index % 4 == 3:  # now and then a removal, so the file also shrinks
            key = rng.choice(old.rotation).key
            args, wanted = ["plan", "remove", key], {r.key for r in old.rotation} - {key}
        else:
            args = ["plan", "add", "anyday", "--start", start, "--weeks", str(rng.randint(1, 4))]
            wanted = {r.key for r in old.rotation} | {f"anyday@{start}"}
        killed, _ = server.run([*base, *args], delay)
        kills += killed
        new = load_plan(plan_path)  # raises if the file was torn
        assert new is not None
        if plan_path.read_bytes() != old_bytes:
            assert {r.key for r in new.rotation} == wanted, (args, delay)
            assert new.uid_token == old.uid_token
        else:
            assert killed, "a command that ran to the end changed nothing"
    judge(
        kills,
        8,
        home,
        lambda: server.run([*base, "plan", "add", "anyday", "--start", "2029-01-01"], None),
    )


def test_killed_profile_sets_leave_the_old_or_the_new_profile(
    home: Path, server: ForkServer
) -> None:
    rng, path = random.Random(11), home / "profile.toml"
    base = common(home)
    seconds = min(
        server.run([*base, "profile", "set", "budget_usd", str(n)], None)[1] for n in (1, 2, 3)
    )
    kills = 0
    for index, delay in enumerate(delays(seconds, 16, rng)):
        old = load_profile(path)
        budget = 1000 + index
        args = ["profile", "set", "budget_usd", str(budget), "name", f"N{index}"]
        kills += server.run([*base, *args], delay)[0]
        new = load_profile(path)  # raises if the file was torn
        assert new == old or (new.budget_usd, new.name) == (budget, f"N{index}")
        assert new.model_copy(update={"budget_usd": None, "name": None}) == old.model_copy(
            update={"budget_usd": None, "name": None}
        )
    judge(kills, 5, home, lambda: server.run([*base, "profile", "set", "budget_usd", "7"], None))


def usce(home: Path, *args: str, errors: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    env = {**os.environ, "USCE_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "usce_planner", *common(home), *args],
        env=env, stdout=subprocess.DEVNULL, stderr=errors,
    )  # fmt: skip


def test_killed_real_processes_leave_the_old_or_the_new_plan(home: Path) -> None:
    rng, plan_path = random.Random(3), home / "plan.toml"
    started = time.monotonic()
    assert usce(home, "plan", "add", "anyday", "--start", "2027-05-03").wait(timeout=60) == 0
    seconds = time.monotonic() - started
    for index, delay in enumerate(delays(seconds, 5, rng)):
        old = load_plan(plan_path)
        assert old is not None
        start = (TODAY + timedelta(days=300 + index)).isoformat()
        process = usce(home, "plan", "add", "anyday", "--start", start)
        time.sleep(delay)
        process.kill()
        process.wait(timeout=60)
        new = load_plan(plan_path)
        assert new is not None
        assert {r.key for r in new.rotation} - {r.key for r in old.rotation} <= {f"anyday@{start}"}
        assert {r.key for r in old.rotation} <= {r.key for r in new.rotation}
    judge(
        5,
        5,
        home,
        lambda: usce(home, "plan", "add", "anyday", "--start", "2029-02-05").wait(timeout=60),
    )


def test_a_kill_between_creating_and_renaming_leaves_no_temporary_file(home: Path) -> None:
    # The kill lands at the one moment a random kill rarely hits: the rename.
    code = (
        "import os, signal, sys\n"
        "os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from usce_planner.__main__ import main\n"
        "sys.argv = ['usce', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = {**os.environ, "USCE_HOME": str(home)}
    args = [*common(home), "plan", "add", "anyday", "--start", "2027-05-03"]
    killed = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert (home / "plan.toml").read_text(encoding="utf-8") == PLAN
    assert usce(home, "plan", "add", "anyday", "--start", "2027-05-10").wait(timeout=60) == 0
    assert not temp_files(home)


def test_two_adds_at_the_same_time_both_end_up_in_the_file(home: Path) -> None:
    lock = home / "plan.toml.lock"
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(handle, fcntl.LOCK_EX)  # both start while the plan is locked, then race for it
    try:
        first = usce(home, "plan", "add", "anyday", "--start", "2027-05-03", errors=subprocess.PIPE)
        second = usce(
            home, "plan", "add", "anyday", "--start", "2027-06-07", errors=subprocess.PIPE
        )
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and not all(
            _holds_open(p.pid, lock) for p in (first, second)
        ):
            time.sleep(0.02)
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)
    for process in (first, second):
        _, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
    plan = load_plan(home / "plan.toml")
    assert plan is not None
    assert {r.key for r in plan.rotation} == {"anyday@2027-05-03", "anyday@2027-06-07"}
    assert not temp_files(home)


def _holds_open(pid: int, path: Path) -> bool:
    try:
        links = [os.readlink(entry) for entry in Path(f"/proc/{pid}/fd").iterdir()]
    except OSError:
        return False
    return str(path) in links


BROKEN = {
    "syntax": "schema = 1\nuid_token = \n",
    "newer": 'schema = 2\nuid_token = "3f9c2a71"\n',
    "unknown key": 'schema = 1\nuid_token = "3f9c2a71"\nowner = "me"\n',
    "torn": 'schema = 1\nuid_token = "3f9c2a71"\n\n[[rotation]]\nprogram = "anyday"\nstart = 2027-0',
}
PLAN_COMMANDS = [
    "plan", "plan --json", "plan add anyday --start 2027-05-03", "plan remove anyday",
    "plan status anyday applied", "plan done me:visa", "plan --program anyday --start 2027-05",
    "export -o {home}/out.ics", "export --format json",
]  # fmt: skip
PROFILE_COMMANDS = [
    "profile show", "profile set name Sam", "profile set --unset name", "eligible",
    "plan", "plan add anyday --start 2027-05-03", "export -o {home}/out.md",
    "profile init --stage graduate --graduation 2024-06-30 --citizenship IN",
]  # fmt: skip


@pytest.mark.parametrize("which", ["plan", "profile"])
@pytest.mark.parametrize("broken", BROKEN)
def test_a_file_that_fails_to_parse_is_never_rewritten(
    which: str, broken: str, home: Path, invoke: Invoke
) -> None:
    path, text = home / f"{which}.toml", BROKEN[broken]
    text = text if which == "plan" else text.replace("uid_token", "stage")
    path.write_text(text, encoding="utf-8")
    for command in PLAN_COMMANDS if which == "plan" else PROFILE_COMMANDS:
        result = invoke([*common(home), *command.replace("{home}", str(home)).split()])
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.startswith(f"Error: {path}: "), (command, result.stderr)
        assert path.read_text(encoding="utf-8") == text, command
    assert not {"out.ics", "out.md"} & {p.name for p in home.iterdir()}
    assert not temp_files(home)


@pytest.mark.parametrize("broken", BROKEN)
def test_only_init_force_replaces_a_broken_profile_and_keeps_it(
    broken: str, home: Path, invoke: Invoke
) -> None:
    text = BROKEN[broken].replace("uid_token", "stage")
    (home / "profile.toml").write_text(text, encoding="utf-8")
    force = "profile init --stage graduate --graduation 2024-06-30 --citizenship IN --force"
    assert invoke([*common(home), *force.split()]).exit_code == 0
    assert (home / "profile.toml.bak").read_text(encoding="utf-8") == text
    assert load_profile(home / "profile.toml").citizenship == "IN"


def test_killed_profile_sets_through_the_users_own_link_keep_the_link_and_the_mode(
    home: Path, server: ForkServer, tmp_path: Path
) -> None:
    # Section 1: a link the user laid is written through (the file it points to replaced, the
    # link kept), and the replaced file keeps its permission bits, killed or not.
    elsewhere = tmp_path / "dotfiles"
    elsewhere.mkdir()
    target = elsewhere / "profile.toml"
    (home / "profile.toml").rename(target)
    target.chmod(0o600)
    (home / "profile.toml").symlink_to(target)
    rng, base = random.Random(17), common(home)
    seconds = min(
        server.run([*base, "profile", "set", "budget_usd", str(n)], None)[1] for n in (1, 2)
    )
    kills = 0
    for index, delay in enumerate(delays(seconds, 10, rng)):
        old = load_profile(target)
        kills += server.run([*base, "profile", "set", "budget_usd", str(500 + index)], delay)[0]
        new = load_profile(target)  # raises if the file was torn
        assert new == old or new.budget_usd == 500 + index
        assert (home / "profile.toml").is_symlink()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert kills >= 3, "too few commands were killed before they ended"
    time.sleep(STALE_SECONDS)
    server.run([*base, "profile", "set", "budget_usd", "7"], None)
    assert temp_files(elsewhere) == set()
    assert load_profile(target).budget_usd == 7
