"""Todos in a real task list: todoman lists the steps of ``--vdir DIR --as todos`` (product 9).

todoman comes from the test extra; without it this test is skipped, except under CI (CI=true).
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tests.conftest import Invoke, WriteFile
from tests.test_khal import CATALOG, PROFILE_FLAGS, TODAY
from tests.test_vdirsyncer import program

CONFIG = """\
path = "{lists}/*"
date_format = "%Y-%m-%d"
time_format = "%H:%M"
default_list = "usce"
cache_path = "{cache}"
"""


def test_todoman_lists_the_steps_with_due_dates_and_done_states(
    invoke: Invoke, write_catalog: WriteFile, tmp_path: Path
) -> None:
    todo = program("todo")
    lists = tmp_path / "tasks"
    (lists / "usce").mkdir(parents=True)
    config = tmp_path / "todoman.py"
    config.write_text(CONFIG.format(lists=lists, cache=tmp_path / "todoman.sqlite3"), "utf-8")
    catalog = write_catalog(CATALOG)

    def usce(*args: str) -> str:
        result = invoke([*args, "--today", TODAY, "--only-catalog", "--catalog", str(catalog)])
        assert result.exit_code in (0, 3), result.output
        return result.stdout

    usce("profile", "init", *PROFILE_FLAGS)
    usce("plan", "add", "mon", "--start", "2027-03-01")
    usce("plan", "done", "mon@2027-03-01:documents", "--on", "2026-11-20")
    usce("export", "--vdir", str(lists / "usce"), "--as", "todos")
    document = json.loads(usce("plan", "--json"))
    env = {**os.environ, "HOME": str(tmp_path / "todo-home"), "TZ": "UTC"}

    def listed(*args: str) -> list[dict[str, Any]]:
        done = subprocess.run(
            [todo, "--porcelain", "--config", str(config), "list", *args],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        tasks: list[dict[str, Any]] = json.loads(done.stdout)
        return tasks

    def day(stamp: int) -> str:
        return datetime.fromtimestamp(stamp, UTC).date().isoformat()

    steps = [m for m in document["milestones"] if m["kind"] != "rotation"]
    everything = listed("--status", "ANY")
    assert sorted((day(t["due"]), t["summary"].removeprefix("LATE: ").removeprefix("Done: "))
                  for t in everything) == sorted((m["date"], m["title"]) for m in steps)  # fmt: skip
    open_steps = listed()  # todoman's default: what is still to do
    assert len(open_steps) == sum(1 for m in steps if not m["done"])
    (finished,) = [t for t in everything if t["completed"]]
    assert finished["summary"].startswith("Done: Documents ready")
    assert day(finished["completed_at"]) == date(2026, 11, 20).isoformat()
