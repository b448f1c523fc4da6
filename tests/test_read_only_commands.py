"""Read-only commands create nothing but the cache (section 1), and change no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.test_bad_input_corpus import PLAN, PROFILE, cache_typer_commands, snapshot

TODAY = "2026-12-01"
READ_ONLY = [
    "programs",
    "programs show cc-florida-observer",
    "eligible",
    "eligible --all --json",
    "eligible --example",
    "eligible --explain cc-florida-observer",
    "plan",
    "plan --json",
    "plan --gantt",
    "plan --example",
    "plan --program cc-florida-observer --start 2028-01",
    "export --format json --example",
    "export --format md",
    "rules",
    "profile show",
    "catalog validate {corpus}",
]
CORPUS_CATALOG = Path(__file__).parent / "corpus" / "catalog" / "any_day_start.toml"


def _argv(command: str) -> list[str]:
    return ["--today", TODAY, *command.replace("{corpus}", str(CORPUS_CATALOG)).split()]


def _created(folder: Path) -> list[str]:
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if "cache" not in path.relative_to(folder).parts
    )


@pytest.mark.parametrize("command", READ_ONLY)
def test_a_read_only_command_in_a_new_home_creates_only_the_cache(
    command: str, isolated_home: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_typer_commands(monkeypatch)
    assert not isolated_home.exists()
    result = invoke(_argv(command))
    assert "Traceback" not in result.output
    assert not isolated_home.exists() or _created(isolated_home) == [], _created(isolated_home)


@pytest.mark.parametrize("command", READ_ONLY)
def test_a_read_only_command_changes_no_file(
    command: str, isolated_home: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_typer_commands(monkeypatch)
    isolated_home.mkdir(parents=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    (isolated_home / "plan.toml").write_text(PLAN, encoding="utf-8")
    before = snapshot(isolated_home)
    result = invoke(_argv(command))
    assert result.exit_code in (0, 3), result.output
    assert snapshot(isolated_home) == before
    assert _created(isolated_home) == ["plan.toml", "profile.toml"]
