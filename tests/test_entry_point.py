"""The entry point: every byte reaches a reader, and a reader that goes away ends the run quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_a_whole_json_document_reaches_a_pipe_before_the_process_ends() -> None:
    env = {**os.environ, "USCE_TODAY": "2026-11-25"}
    done = subprocess.run(
        [sys.executable, "-m", "usce_planner", "eligible", "--example", "--all", "--json"],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0
    assert len(json.loads(done.stdout)["results"]) > 50


def test_a_reader_that_stops_early_ends_the_run_quietly() -> None:
    env = {**os.environ, "USCE_TODAY": "2026-11-25"}
    with subprocess.Popen(
        [sys.executable, "-m", "usce_planner", "eligible", "--example", "--all", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        errors = process.stderr.read()
        status = process.wait(timeout=60)
    assert status in (0, 1)
    assert b"Traceback" not in errors


NO_PLUGINS = """
import os, sys
sys.argv = ["usce", "rules", "--json"]
from usce_planner.__main__ import main
try:
    main()
except SystemExit:
    pass
from pydantic.plugin._loader import get_plugins
sys.stderr.write(repr((os.environ["PYDANTIC_DISABLE_PLUGINS"], tuple(get_plugins()))))
"""


def test_pydantic_runs_no_plugins_when_usce_runs() -> None:
    # A plugin installed beside usce would see the profile; pydantic's own switch turns them off.
    done = subprocess.run([sys.executable, "-c", NO_PLUGINS], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "('__all__', ())")
