"""The shipped catalog loads from a built wheel and from an editable install."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Run with -S: the test environment's own site-packages (with its own editable install of
# usce) is added as a plain folder for the dependencies, and only the folder under test has
# its .pth files processed.
PROBE = """
import site, sys
sys.path.append(sys.argv[2])
site.addsitedir(sys.argv[1])
import usce_planner
from usce_planner.storage.catalog_files import load_catalog_file, shipped_catalog_path
path = shipped_catalog_path()
print(usce_planner.__file__)
print(path)
print(len(load_catalog_file(path)))
"""


def build_and_install(tmp_path: Path, hook: str) -> Path:
    """Build a wheel with hatchling's ``hook`` from a copy of the project, install it to a folder."""
    source = tmp_path / "project"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "dist", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    wheels = tmp_path / "wheels"
    build = f"from hatchling.build import {hook}; print({hook}({str(wheels)!r}))"
    done = subprocess.run(
        [sys.executable, "-c", build], cwd=source, capture_output=True, text=True, check=True
    )
    wheel = wheels / done.stdout.strip().splitlines()[-1]
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return target


def probe(target: Path) -> list[str]:
    """Import usce_planner from ``target`` first and load the shipped catalog."""
    dependencies = sysconfig.get_paths()["purelib"]
    done = subprocess.run(
        [sys.executable, "-S", "-c", PROBE, str(target), dependencies],
        cwd=target,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


@pytest.mark.slow
def test_catalog_loads_from_a_built_wheel(tmp_path: Path) -> None:
    target = build_and_install(tmp_path, "build_wheel")
    module, catalog, count = probe(target)
    assert module.startswith(str(target))
    assert catalog == str(target / "usce_planner" / "_data" / "programs.toml")
    assert int(count) >= 45


@pytest.mark.slow
def test_catalog_loads_from_an_editable_install(tmp_path: Path) -> None:
    target = build_and_install(tmp_path, "build_editable")
    module, catalog, count = probe(target)
    assert module.startswith(str(tmp_path / "project" / "src"))
    assert catalog == str(tmp_path / "project" / "data" / "programs.toml")
    assert int(count) >= 45
