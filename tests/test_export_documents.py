"""``usce export`` to JSON, CSV and Markdown (product 9)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import Result

from tests.conftest import Invoke, WriteFile, program_toml
from usce_planner.export.tables import to_csv

TODAY = "2026-11-25"
HEADER = "id,kind,rotation,program,title,date,window_start,late_by_days,done"
MARKUP = "*bold* _em_ [link](http://x) <script>alert(1)</script> `code` | x\ny"
FORMULAS = ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR")
CATALOG = (
    "schema = 1\n"
    + program_toml(
        "mon",
        institution=json.dumps(MARKUP),
        starts='"any-monday"',
        weeks="[4]",
        lead_time='{ recommended = "3 months" }',
    )
    + program_toml("formula", institution=json.dumps(FORMULAS[0]), starts='"any-monday"')
)
PROFILE_FLAGS = (
    *("--stage", "graduate", "--graduation", "2025-06-30", "--citizenship", "IN"),
    *("--step1", "passed", "--step1-date", "2024-03-10", "--english-medium-school"),
    *("--target-match", "2028"),
)
Run = Callable[..., Result]


def shown(value: object) -> str:
    """Return a cell as the CSV shows it: control characters as visible escapes (section 1)."""
    text = "" if value is None else str(value)
    return text.replace("\t", "\\x09").replace("\n", "\\x0a").replace("\r", "\\x0d")


@pytest.fixture
def usce(invoke: Invoke, write_catalog: WriteFile) -> Run:
    catalog = write_catalog(CATALOG)

    def go(*args: str, today: str = TODAY) -> Result:
        return invoke([*args, "--today", today, "--only-catalog", "--catalog", str(catalog)])

    return go


@pytest.fixture
def plan(usce: Run) -> None:
    """Two rotations, late steps, and one step marked done."""
    for args in (
        ("profile", "init", *PROFILE_FLAGS),
        ("plan", "add", "mon", "--start", "2027-03-01"),
        ("plan", "add", "formula", "--start", "2027-10-04"),
        ("plan", "done", "mon@2027-03-01:letters-request", "--on", "2026-11-20"),
    ):
        result = usce(*args)
        assert result.exit_code == 0, result.output


def stdout_of(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code in (0, 3), result.output
    return result.stdout


def milestones(run: Run) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(stdout_of(run, "plan", "--json"))["milestones"]
    return found


OPTION_SETS = [
    (),
    ("--no-match",),
    ("--match", "2027"),
    ("--program", "formula", "--start", "2028-01-03"),
    ("--program", "formula", "--start", "2028-01", "--alone", "--no-match"),
]


@pytest.mark.usefixtures("plan")
@pytest.mark.parametrize("options", OPTION_SETS)
def test_json_is_the_plan_document(usce: Run, tmp_path: Path, options: tuple[str, ...]) -> None:
    shown = usce("plan", "--json", *options)
    exported = usce("export", "--format", "json", *options)
    assert exported.exit_code == shown.exit_code == (0 if "--alone" in options else 3)
    assert exported.stdout == shown.stdout
    out = tmp_path / "plan.json"
    assert usce("export", "-o", str(out), *options).exit_code == shown.exit_code
    assert out.read_text(encoding="utf-8") == shown.stdout


def test_json_of_the_example(invoke: Invoke) -> None:
    shown = invoke(["plan", "--example", "--json", "--today", TODAY])
    exported = invoke(["export", "--example", "--format", "json", "--today", TODAY])
    assert exported.exit_code == shown.exit_code == 0
    assert exported.stdout == shown.stdout


@pytest.mark.usefixtures("plan")
def test_csv_has_one_row_per_milestone_in_json_order(usce: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    assert usce("export", "-o", str(out)).exit_code == 3
    data = out.read_bytes()
    text = data.decode("utf-8")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.reader(io.StringIO(text, newline="")))
    expected = milestones(usce)
    assert len(rows) == len(expected) + 1
    for row, milestone in zip(rows[1:], expected, strict=True):
        assert row == [shown(v) for v in milestone.values()]
    done = {row[0]: row[8] for row in rows[1:]}
    assert done["mon@2027-03-01:letters-request"] == "2026-11-20"
    assert done["mon@2027-03-01:documents"] == ""
    assert any(shown(MARKUP) in row[4] for row in rows)  # quotes and commas survive quoting
    assert any(row[4] == f"Apply to {FORMULAS[0]}" for row in rows)
    assert usce("export", "--format", "csv").stdout_bytes == data


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_cells_that_start_a_formula_get_a_quote(usce: Run, value: str, plan: None) -> None:
    document = json.loads(stdout_of(usce, "plan", "--json"))
    for milestone in document["milestones"]:
        milestone.update(title=value, rotation=value, program=value)
    rows = list(csv.DictReader(io.StringIO(to_csv(document), newline="")))
    assert len(rows) == len(document["milestones"])
    for row, milestone in zip(rows, document["milestones"], strict=True):
        assert row["title"] == row["rotation"] == row["program"] == "'" + shown(value)
        assert row["id"] == milestone["id"]
        assert row["date"] == milestone["date"]
        assert row["late_by_days"] == str(milestone["late_by_days"])


def test_csv_leaves_safe_cells_alone() -> None:
    milestone = {
        "id": "me:visa",
        "kind": "visa",
        "rotation": None,
        "program": None,
        "title": "a = b, +1 -2 @x",
        "date": "2027-01-04",
        "window_start": None,
        "late_by_days": 0,
        "done": None,
    }
    text = to_csv({"milestones": [milestone]})
    assert text == HEADER + '\r\nme:visa,visa,,,"a = b, +1 -2 @x",2027-01-04,,0,\r\n'


@pytest.mark.usefixtures("plan")
def test_markdown_is_a_checklist_with_late_and_done_written_out(usce: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    assert usce("export", "-o", str(out)).exit_code == 3
    text = out.read_text(encoding="utf-8")
    assert usce("export", "--format", "md").stdout == text
    checklist = [line for line in text.splitlines() if line.startswith("- [")]
    expected = milestones(usce)
    assert len(checklist) == len(expected)
    for line, milestone in zip(checklist, expected, strict=True):
        assert line.startswith("- [x] " if milestone["done"] else "- [ ] ")
        assert f" {milestone['date']}: " in line
        if milestone["done"]:
            assert f"done {milestone['done']}" in line
        if milestone["late_by_days"] and not milestone["id"].startswith("match-"):
            assert f"LATE by {milestone['late_by_days']} days" in line
        else:
            assert "LATE" not in line
    assert sum("LATE" in line for line in checklist) == 2  # documents and the visa


@pytest.mark.usefixtures("plan")
def test_markdown_escapes_catalog_text(usce: Run) -> None:
    text = stdout_of(usce, "export", "--format", "md")
    line = next(line for line in text.splitlines() if line.startswith("- [ ] 2026-12-01"))
    assert r"\*bold\* \_em\_ \[link\](http://x) \<script\>alert(1)\</script\>" in line
    assert r"\`code\` \| x y" in line
    assert "<script>" not in text
    assert "*bold*" not in text
    assert "[link]" not in text
    rendered = MarkdownIt().render(text)
    for tag in ("<script", "<em>", "<a ", "<code>", "<table"):
        assert tag not in rendered
    assert "*bold* _em_ [link](http://x) &lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert rendered.count("<li>") >= len(milestones(usce))


def test_markdown_and_terminal_count_letters_alike(invoke: Invoke) -> None:
    # The example's programs do not state their letters: never "0 letters" on its own.
    terminal = invoke(["plan", "--example", "--today", "2026-12-06"])
    page = invoke(["export", "--example", "--today", "2026-12-06", "--format", "md"])
    line = next(t for t in terminal.stdout.splitlines() if t.startswith("Letters possible:"))
    assert line.endswith("unknown")
    assert f"- {line}" in page.stdout.splitlines()
