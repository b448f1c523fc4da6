"""The plan file: round trip, fixed keys, refusals, the lock and rotation keys (sections 2, 8)."""

from __future__ import annotations

import functools
import inspect
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner.app import plan_changes
from usce_planner.errors import PlanError, PlannerError
from usce_planner.models.plan import SavedPlan, SavedRotation
from usce_planner.storage.plan_file import (
    FIX_HINT,
    load_plan,
    new_plan,
    plan_lock,
    save_plan,
)

TODAY = "2026-11-25"
PROFILE = 'schema = 1\nstage = "graduate"\ngraduation = 2025-06-30\ncitizenship = "CA"\n'
HEAD = 'schema = 1\nuid_token = "3f9c2a71"\n'
ROTATION = '[[rotation]]\nprogram = "a"\nstart = 2027-10-04\nweeks = 4\n'
SAVED_TEXT = """\
schema = 1
uid_token = "3f9c2a71"

[done]
"me:visa" = 2027-04-02

[[rotation]]
program = "a-prog"
start = 2027-10-04
weeks = 4
status = "planned"
notes = ""

[[rotation]]
program = "b-prog"
start = 2027-12-06
weeks = 8
status = "applied"
notes = "ask Dr. \\"X\\""

[rotation.history]
planned = 2026-12-01
applied = 2027-03-02

[rotation.done]
letter-ask = 2027-10-25
"""
LATER = SavedRotation(
    program="b-prog",
    start=date(2027, 12, 6),
    weeks=8,
    status="applied",
    notes='ask Dr. "X"',
    history={"planned": date(2026, 12, 1), "applied": date(2027, 3, 2)},
    done={"letter-ask": date(2027, 10, 25)},
)
EARLIER = SavedRotation(program="a-prog", start=date(2027, 10, 4), weeks=4)


def test_save_writes_fixed_keys_with_rotations_sorted_by_start(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    plan = SavedPlan(
        uid_token="3f9c2a71", done={"me:visa": date(2027, 4, 2)}, rotation=(LATER, EARLIER)
    )
    save_plan(path, plan)
    assert path.read_text(encoding="utf-8") == SAVED_TEXT
    loaded = load_plan(path)
    assert loaded == plan.model_copy(update={"rotation": (EARLIER, LATER)})
    assert loaded is not None
    save_plan(path, loaded)
    assert path.read_text(encoding="utf-8") == SAVED_TEXT


def test_an_empty_plan_round_trips_with_a_fresh_token(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    plan = new_plan()
    assert len(plan.uid_token) == 8
    assert plan.uid_token != new_plan().uid_token
    save_plan(path, plan)
    assert load_plan(path) == plan
    assert load_plan(tmp_path / "absent.toml") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEAD + ROTATION + 'colour = "red"\n', "rotation 'a@2027-10-04': colour: unknown key (not in schema 1)"),
        (HEAD + ROTATION + "[rotation.history]\nsent = 2027-01-01\n", "rotation 'a@2027-10-04': history.sent.[key]: Input should be 'planned', 'applied', 'waitlisted', 'accepted', 'rejected', 'withdrawn' or 'completed'"),
        (HEAD + ROTATION.replace("weeks = 4", "weeks = 0"), "rotation 'a@2027-10-04': weeks: Input should be greater than or equal to 1"),
        (HEAD + 'owner = "me"\n', "owner: unknown key (not in schema 1)"),
        (HEAD + ROTATION + ROTATION, "rotation: a@2027-10-04 is in the file twice"),
        ('schema = 2\nuid_token = "3f9c2a71"\n', "schema: written by a newer usce (schema 2); this version reads schema 1"),
        ("schema = 1\n", "uid_token: required key is missing"),
        ('uid_token = "3f9c2a71"\n', "schema: required key is missing (write schema = 1 at the top)"),
        ("schema = 1\nuid_token = \n", "line 2, column 13: TOML syntax error: Invalid value"),
    ],
)  # fmt: skip
def test_a_bad_plan_file_is_refused_naming_the_place(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert caught.value.lines() == [f"Error: {path}: {message}", FIX_HINT]


def test_several_problems_are_listed_one_a_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(HEAD + ROTATION.replace("weeks = 4", "weeks = 0") + "colour = 1\n")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert caught.value.lines() == [
        f"Error: {path}: 2 problems",
        "  rotation 'a@2027-10-04': weeks: Input should be greater than or equal to 1",
        "  rotation 'a@2027-10-04': colour: unknown key (not in schema 1)",
        FIX_HINT,
    ]


@pytest.fixture
def home(isolated_home: Path, write_catalog: WriteFile) -> tuple[Path, Path]:
    """Return the user's home (with a profile) and a catalog of programs a, b and c."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    programs = "".join(program_toml(pid, weeks="[4]") for pid in ("a", "b", "c"))
    return isolated_home, write_catalog("schema = 1\n" + programs)


@pytest.mark.parametrize("broken", [HEAD + "[[rotation]\n", HEAD + ROTATION + "colour = 1\n"])
@pytest.mark.parametrize(
    "command",
    [
        ["plan", "add", "b", "--start", "2027-11-01"],
        ["plan", "remove", "a"],
        ["plan", "status", "a", "applied"],
        ["plan", "done", "a@2027-10-04:apply"],
    ],
)
def test_a_plan_that_fails_to_parse_is_never_rewritten(
    invoke: Invoke, home: tuple[Path, Path], broken: str, command: list[str]
) -> None:
    path = home[0] / "plan.toml"
    path.write_bytes(broken.encode("utf-8"))
    result = invoke([*command, "--today", TODAY, "--only-catalog", "--catalog", str(home[1])])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Error: {path}: ")
    assert lines[-1] == FIX_HINT
    assert path.read_bytes() == broken.encode("utf-8")


def test_a_second_lock_waits_then_gives_up(tmp_path: Path) -> None:
    assert inspect.signature(plan_lock).parameters["wait_seconds"].default == 10
    path = tmp_path / "plan.toml"
    with plan_lock(path):
        began = time.monotonic()
        with pytest.raises(PlannerError) as caught, plan_lock(path, wait_seconds=0.3):
            pytest.fail("the lock was taken twice")
        assert time.monotonic() - began >= 0.3
    assert str(caught.value) == (
        f"{tmp_path / 'plan.toml.lock'}: another usce is changing the plan; waited 0.3 s, try again"
    )
    assert (tmp_path / "plan.toml.lock").exists()  # the lock file may stay
    with plan_lock(path, wait_seconds=0.3):
        pass  # released on leaving


def test_a_waiting_lock_gets_in_once_released(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with plan_lock(path):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(5)
    threading.Timer(0.2, release.set).start()
    began = time.monotonic()
    with plan_lock(path, wait_seconds=5):
        assert time.monotonic() - began >= 0.15
    thread.join(5)


def test_plan_add_exits_1_when_the_lock_stays_taken(
    invoke: Invoke, home: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_changes, "plan_lock", functools.partial(plan_lock, wait_seconds=0.2))
    path = home[0] / "plan.toml"
    with plan_lock(path):
        args = ["plan", "add", "a", "--start", "2027-10-04", "--today", TODAY]
        result = invoke([*args, "--only-catalog", "--catalog", str(home[1])])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}.lock: another usce is changing the plan; waited 0.2 s, try again\n"
    )
    assert not path.exists()


# Six processes rather than two make an unlocked read-modify-write far likelier to lose one.
ADDS = tuple((pid, start) for start in ("2027-10-04", "2028-01-03") for pid in "abc")


def test_concurrent_adds_all_end_up_in_the_plan(home: tuple[Path, Path]) -> None:
    folder, catalog = home
    env = {**os.environ, "USCE_HOME": str(folder)}
    common = ["--today", TODAY, "--only-catalog", "--catalog", str(catalog)]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "usce_planner", "plan", "add", pid, "--start", start, *common],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for pid, start in ADDS
    ]
    for run in runs:
        _, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
    plan = load_plan(folder / "plan.toml")
    assert plan is not None
    assert [r.key for r in plan.rotation] == [f"{pid}@{start}" for pid, start in ADDS]


def plan_of(*rotations: tuple[str, date]) -> SavedPlan:
    saved = (SavedRotation(program=p, start=s, weeks=4) for p, s in rotations)
    return SavedPlan(uid_token="3f9c2a71", rotation=tuple(saved))


PLAN = plan_of(("a", date(2027, 10, 4)), ("a", date(2027, 12, 6)), ("b", date(2027, 11, 1)))


@pytest.mark.parametrize(
    ("wanted", "key"),
    [("a@2027-12-06", "a@2027-12-06"), ("b", "b@2027-11-01"), ("b@2027-11-01", "b@2027-11-01")],
)
def test_key_of_finds_a_key_or_an_unambiguous_program(wanted: str, key: str) -> None:
    assert PLAN.key_of(wanted).key == key


@pytest.mark.parametrize(
    ("plan", "wanted", "message"),
    [
        (PLAN, "a", "plan: 'a' has several rotations; use one of: a@2027-10-04, a@2027-12-06"),
        (PLAN, "c", "plan: no rotation 'c'; keys: a@2027-10-04, a@2027-12-06, b@2027-11-01"),
        (PLAN, "b@2027-11-02", "plan: no rotation 'b@2027-11-02'; keys: a@2027-10-04, a@2027-12-06, b@2027-11-01"),
        (plan_of(), "a", "plan: no rotation 'a'; keys: none yet"),
    ],
)  # fmt: skip
def test_key_of_refuses_what_it_cannot_tell(plan: SavedPlan, wanted: str, message: str) -> None:
    with pytest.raises(PlannerError) as caught:
        plan.key_of(wanted)
    assert str(caught.value) == message
