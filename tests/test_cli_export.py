"""``usce export`` on the command line: formats, overwrite, atomic writes, exit codes (1, 9)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import Invoke, WriteFile, program_toml

TODAY = "2026-11-25"
CATALOG = (
    "schema = 1\n"
    + program_toml(
        "mon", starts='"any-monday"', weeks="[4]", lead_time='{ recommended = "3 months" }'
    )
    + program_toml("later", starts='"any-monday"', weeks="[4, 8]")
    + program_toml("esc", institution=r'"Evil\u001b[31m Red\u009b2J \u202eClinic"')
)
PROFILE_FLAGS = (
    *("--stage", "graduate", "--graduation", "2025-06-30", "--citizenship", "IN"),
    *("--step1", "passed", "--step1-date", "2024-03-10", "--english-medium-school"),
    *("--target-match", "2028"),
)
SIGNATURES = {
    "ics": b"BEGIN:VCALENDAR\r\n",
    "json": b'{\n  "today": "2026-11-25"',
    "csv": b"id,kind,rotation,program,title,",
    "md": b"# USCE plan as of 2026-11-25\n",
    "html": b"<!doctype html>\n",
}
Run = Callable[..., Result]


@pytest.fixture
def usce(invoke: Invoke, write_catalog: WriteFile) -> Run:
    catalog = write_catalog(CATALOG)

    def go(*args: str, today: str | None = TODAY) -> Result:
        clock = ("--today", today) if today else ()
        return invoke([*args, *clock, "--only-catalog", "--catalog", str(catalog)])

    return go


@pytest.fixture
def late_plan(usce: Run) -> None:
    """A saved plan whose documents step is already late (exit 3)."""
    for args in (("profile", "init", *PROFILE_FLAGS), ("plan", "add", "mon", "--start", "2027-03")):
        result = usce(*args)
        assert result.exit_code == 0, result.output


@pytest.fixture
def on_time_plan(usce: Run) -> None:
    for args in (
        ("profile", "init", *PROFILE_FLAGS),
        ("plan", "add", "later", "--start", "2027-10"),
    ):
        result = usce(*args)
        assert result.exit_code == 0, result.output


def uids(data: bytes) -> set[str]:
    """Return the UIDs of the plan's events, leaving out those cancelled from an earlier export."""
    text = data.decode().replace("\r\n ", "")
    found, uid = set(), ""
    for line in text.split("\r\n"):
        if line.startswith("UID:"):
            uid = line[4:]
        elif line in ("END:VEVENT", "END:VTODO"):
            found.add(uid)
        elif line == "STATUS:CANCELLED":
            uid = ""
    return found - {""}


def same_apart_from_sequence(one: bytes, other: bytes) -> bool:
    """Compare two exports of the saved plan: each .ics export raises SEQUENCE (product 9)."""
    lines = [
        [line for line in data.split(b"\r\n") if not line.startswith(b"SEQUENCE:")]
        for data in (one, other)
    ]
    return lines[0] == lines[1]


@pytest.mark.usefixtures("on_time_plan")
@pytest.mark.parametrize(
    ("name", "kind"),
    [("p.ics", "ics"), ("p.json", "json"), ("p.csv", "csv"), ("p.md", "md"),
     ("p.html", "html"), ("p.htm", "html"), ("P.ICS", "ics"), ("p.Md", "md")],
)  # fmt: skip
def test_the_format_comes_from_the_extension(
    usce: Run, tmp_path: Path, name: str, kind: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = usce("export", "-o", str(folder / name))
    assert result.exit_code == 0, result.output
    data = (folder / name).read_bytes()
    assert data.startswith(SIGNATURES[kind])
    again = usce("export", "--format", kind).stdout_bytes
    assert same_apart_from_sequence(data, again) if kind == "ics" else data == again  # complete
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith(f"Wrote {folder / name} ({kind}: ")
    assert sorted(p.name for p in folder.iterdir()) == [name]  # no temporary file left
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE((folder / name).stat().st_mode) == 0o666 & ~umask  # not private


@pytest.mark.usefixtures("on_time_plan")
def test_format_wins_over_the_extension(usce: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.txt"
    assert usce("export", "-o", str(out), "--format", "md").exit_code == 0
    assert out.read_bytes().startswith(SIGNATURES["md"])


@pytest.mark.usefixtures("on_time_plan")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "writing to stdout needs --format"),
        (("-o", "plan.txt"), "has no known extension"),
        (("-o", "plan"), "has no known extension"),
        (("--format", "pdf"), "'pdf' is not one of"),
        (("-o", "plan.ics", "--format", "xml"), "'xml' is not one of"),
        (("--program", "later", "--format", "md"), "--program and --start go together"),
        (("--format", "md", "--today", "someday"), "someday"),
        (("--vdir", "cal", "-o", "plan.ics"), "give either -o FILE or --vdir DIR, not both"),
        (("--vdir", "cal", "--format", "md"), "--format md does not go with it"),
        (("--as", "todos", "--format", "md"), "todos go to a calendar: use it with .ics or --vdir"),
        (("--as", "todos", "-o", "plan.csv"), "todos go to a calendar: use it with .ics or --vdir"),
        (("--as", "tasks", "--format", "ics"), "'tasks' is not one of: events, todos"),
    ],
)
def test_usage_errors_exit_2(
    usce: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    result = usce("export", *args, today=None if "--today" in args else TODAY)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: usce ")
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1
    assert message in errors[0]
    assert "╭" not in result.stderr
    assert "Traceback" not in result.stderr
    assert list(cwd.iterdir()) == []


@pytest.mark.usefixtures("on_time_plan")
@pytest.mark.parametrize(
    "args", [("--alone", "--format", "md"), ("--weeks", "8", "--format", "md")]
)
def test_what_if_options_without_a_program_are_usage_errors(
    usce: Run, args: tuple[str, ...]
) -> None:
    assert usce("plan", *args[:-2]).exit_code == 2
    assert usce("export", *args).exit_code == 2


@pytest.mark.usefixtures("on_time_plan")
def test_an_existing_file_is_kept_without_force(usce: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    out.write_bytes(b"my own calendar\n")
    result = usce("export", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: the file exists; use --force to replace it\n"
    assert out.read_bytes() == b"my own calendar\n"
    result = usce("export", "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert same_apart_from_sequence(
        out.read_bytes(), usce("export", "--format", "ics").stdout_bytes
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.toml", "home", "plan.ics"]


@pytest.mark.usefixtures("late_plan")
def test_exit_1_beats_exit_3(usce: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    out.write_text("keep\n", encoding="utf-8")
    assert usce("export", "-o", str(out)).exit_code == 1
    assert out.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.usefixtures("late_plan")
def test_a_late_plan_exits_3_and_the_file_is_still_written(usce: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = usce("export", "-o", str(out))
    assert result.exit_code == 3, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    late = [m for m in document["milestones"] if m["late_by_days"] > 0]
    assert late
    assert document["feasible"] is False
    assert result.stderr.splitlines()[-1] == (
        f"{len(late)} open step(s) LATE; not feasible: mon@2027-03-01"
    )
    stdout = usce("export", "--format", "ics")
    assert stdout.exit_code == 3
    assert stdout.stdout_bytes.endswith(b"END:VCALENDAR\r\n")


@pytest.mark.usefixtures("on_time_plan")
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    usce: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "plan.ics"
    out.write_bytes(b"old\n")

    def crash(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    result = usce("export", "-o", str(out), "--force")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {out}: cannot write the file")
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"old\n"
    assert sorted(p.name for p in folder.iterdir()) == ["plan.ics"]


@pytest.mark.usefixtures("on_time_plan")
def test_a_missing_folder_is_not_created(usce: Run, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "plan.ics"
    result = usce("export", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: the folder {out.parent} does not exist\n"
    assert not out.parent.exists()


@pytest.mark.usefixtures("on_time_plan")
def test_a_folder_is_not_a_file(usce: Run, tmp_path: Path) -> None:
    folder = tmp_path / "calendar.ics"
    folder.mkdir()
    result = usce("export", "-o", str(folder), "--force")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert str(folder) in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.usefixtures("late_plan")
def test_plan_options_shape_the_export(usce: Run, invoke: Invoke) -> None:
    def exported(*args: str) -> set[str]:
        result = usce("export", "--format", "ics", *args)
        assert result.exit_code in (0, 3), result.output
        return uids(result.stdout_bytes)

    default = exported()
    token = next(u for u in default if u.startswith("mon.2027-03-01.apply.")).split(".")[-1]
    assert {u for u in default if u.startswith("match-")}
    assert all(u.startswith("match-2028.") for u in default if u.startswith("match-"))
    assert not any(u.startswith("match-") for u in exported("--no-match"))
    assert any(u.startswith("match-2030.eras-submit.") for u in exported("--match", "2030"))
    what_if = exported("--program", "later", "--start", "2027-10", "--weeks", "8")
    assert f"later.2027-10-04.rotation.{token}" in what_if
    assert default < what_if
    alone = exported("--program", "later", "--start", "2027-10-04", "--alone", "--no-match")
    assert not any(u.startswith("mon.") for u in alone)
    assert f"later.2027-10-04.apply.{token}" in alone
    example = invoke(["export", "--example", "--format", "ics", "--today", TODAY])
    assert example.exit_code == 0
    assert all(u.endswith(".example@usce-planner") for u in uids(example.stdout_bytes))
    hoisted = invoke(["--today", TODAY, "export", "--example", "--format", "ics"])
    assert hoisted.stdout_bytes == example.stdout_bytes


@pytest.mark.parametrize("kind", ["ics", "csv", "md", "html", "json"])
def test_stdout_never_carries_raw_control_characters(usce: Run, kind: str) -> None:
    assert usce("profile", "init", *PROFILE_FLAGS).exit_code == 0
    what_if = ("--program", "esc", "--start", "2027-10-04")
    result = usce("export", "--format", kind, *what_if)
    assert result.exit_code == 0, result.output
    assert "Evil" in result.stdout_bytes.decode("utf-8")
    for raw in ("\x1b", "\x9b", "\u202e"):
        assert raw.encode() not in result.stdout_bytes
    if kind == "json":
        assert result.stdout == usce("plan", "--json", *what_if).stdout


@pytest.mark.usefixtures("on_time_plan")
def test_output_dash_means_stdout(
    usce: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = usce("export", "-o", "-", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(SIGNATURES["json"])
    assert not (tmp_path / "-").exists()
    needs_format = usce("export", "-o", "-")
    assert needs_format.exit_code == 2
    assert "writing to stdout needs --format" in needs_format.stderr


def test_the_written_message_counts_rotations_and_steps_apart(invoke, tmp_path) -> None:
    out = tmp_path / "plan.ics"
    result = invoke(["export", "--example", "--today", "2026-12-06", "-o", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads(invoke(["plan", "--example", "--today", "2026-12-06", "--json"]).stdout)
    steps = sum(m["kind"] != "rotation" for m in document["milestones"])
    assert f"Wrote {out} (ics: 2 rotations, {steps} steps)" in result.stderr
