"""No injection and no network: catalog text never acts on a terminal, spreadsheet or browser.

Section 1: text from catalogs and profiles is printed literally (brackets as written, control
characters as visible escapes), --json holds no raw control character, exports escape what their
format needs, only http(s) sources, files over 512 MB and strings over 1 MB refused.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
import tomli_w

from tests.conftest import Invoke
from tests.test_bad_input_corpus import cache_typer_commands
from usce_planner.errors import PlannerError
from usce_planner.export.tables import to_csv
from usce_planner.storage.catalog_files import load_catalog_file

TODAY = "2026-12-01"
MARKUP = "[bold]B[/] [/] [link=http://x]L[/link]"
ESCAPES = "\x1b[31mRED\x1b]8;;http://x\x1b\\ C1\x9b2J bidi\u202eRTL bell\x07 del\x7f"
NASTY = f"{MARKUP} {ESCAPES}"
# What the escapes must look like once shown: every one visible, nothing raw.
SHOWN = ["\\x1b[31mRED", "\\x1b]8;;http://x\\x1b\\", "C1\\x9b2J", "bidi\\u202eRTL", "bell\\x07", "del\\x7f"]  # fmt: skip
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # fmt: skip
HTML_TEXT = '<script>alert(1)</script> <img src="http://x/i.png" onerror="x()"> & "q"'
ICS_TEXT = "Smith, Jones; Partners\nSecond line, with; both"
PROGRAM: dict[str, Any] = {
    "id": "evil", "institution": NASTY, "name": f"=HYPERLINK(\"http://x\") {ESCAPES}",
    "kind": "observership", "status": "open", "state": "NY", "city": f"+city {ESCAPES}",
    "starts": "any-monday", "weeks": [4], "source": "https://example.org/evil",
    "source_date": "2025", "verified": "2026-11-25", "confidence": "high",
}  # fmt: skip


def catalog_text(**changes: Any) -> str:
    program = {**PROGRAM, **changes}
    program["verified"] = date(2026, 11, 25)
    return tomli_w.dumps({"schema": 1, "program": [program]})


@pytest.fixture
def run(
    isolated_home: Path, tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> Any:
    cache_typer_commands(monkeypatch)
    monkeypatch.setenv("COLUMNS", "600")  # no wrapping: each escape stays on one line
    isolated_home.mkdir(parents=True, exist_ok=True)
    profile = {"schema": 1, "name": NASTY, "stage": "graduate", "citizenship": "IN",
               "graduation": date(2024, 6, 30)}  # fmt: skip
    (isolated_home / "profile.toml").write_text(tomli_w.dumps(profile), encoding="utf-8")
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(catalog_text(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def go(*args: str) -> Any:
        return invoke([*args, "--today", TODAY, "--only-catalog", "--catalog", str(catalog)])

    assert go("plan", "add", "evil", "--start", "2027-09").exit_code == 0
    return go


WHOLE = ("programs show evil", "eligible --explain evil", "profile show")
CUT = ("programs", "eligible --all", "plan")  # tables may cut a long name


@pytest.mark.parametrize("command", [*WHOLE, *CUT, "plan --gantt"])
def test_terminal_output_shows_catalog_text_literally(run: Any, command: str) -> None:
    result = run(*command.split())
    assert result.exit_code in (0, 3), result.output
    output = result.stdout + result.stderr
    assert not RAW.findall(output.replace("\n", ""))
    if command in WHOLE:
        assert MARKUP in output  # whole: rich took none of it as markup
        assert all(piece in output for piece in SHOWN), output
    elif command in CUT:
        assert "[bold]B[/]" in output, output
        assert "\\x1b[31m" in output, output


def test_error_messages_show_escapes(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(catalog_text(**{"col\x1b[31mour\u202e": 1}), encoding="utf-8")
    result = run("--catalog", str(bad), "programs")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Error: {bad}: program 'evil' (line 3): col\\x1b[31mour\\u202e: unknown key (not in schema 1)"
    )
    missing = run("plan", "add", "evil\x1b[2J\x9b", "--start", "2027-09")
    assert missing.stderr == (
        "Error: no program with id 'evil\\x1b[2J\\x9b' in the catalog; did you mean evil?\n"
    )


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["plan", "--frob\x1b[31m"], "Error: No such option: --frob\\x1b[31m"),
        (["frob\x1b[2J"], "Error: No such command 'frob\\x1b[2J'."),
        (["programs", "--kind", "\x9b2J\u202e"], "Error: Invalid value for '--kind': '\\x9b2J\\u202e' is not one of: elective, observership, externship, research, pre-residency"),
        (["eligible", "--start", "\x1b[2J"], "Error: Invalid value for '--start': '\\x1b[2J' is not a date; write YYYY-MM-DD or YYYY-MM"),
    ],
)  # fmt: skip
def test_usage_errors_show_the_command_lines_escapes(run: Any, argv: list[str], line: str) -> None:
    result = run(*argv)
    assert result.exit_code == 2
    assert line in result.stderr.splitlines(), result.stderr
    assert not RAW.search(result.stderr), result.stderr


@pytest.mark.parametrize(
    "command", ["programs", "programs show evil", "eligible", "eligible --explain evil", "plan", "profile show"]
)  # fmt: skip
def test_json_output_holds_no_raw_control_character(run: Any, command: str) -> None:
    result = run(*command.split(), "--json")
    assert result.exit_code in (0, 3), result.output
    assert not RAW.findall(result.stdout.replace("\n", ""))
    if not command.startswith("eligible"):  # eligibility names programs by id only
        assert any(NASTY in text for text in strings(json.loads(result.stdout)))  # kept exactly


def strings(value: Any) -> list[str]:
    """Return every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in strings(item)]


@pytest.mark.parametrize(
    "file_format",
    ["json", "csv", "md", "html", "ics"],
)  # fmt: skip
def test_exports_hold_no_raw_control_character(run: Any, file_format: str) -> None:
    result = run("export", "--format", file_format)
    assert result.exit_code in (0, 3), result.stderr
    # CSV and ICS end their lines with CRLF by their standards; nothing else is allowed.
    assert not RAW.findall(result.stdout.replace("\r\n", "").replace("\n", ""))


def test_csv_export_neutralises_formulas(run: Any, tmp_path: Path) -> None:
    assert run("export", "-o", "plan.csv").exit_code in (0, 3)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "plan.csv").read_text(encoding="utf-8"))))
    assert rows
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        for row in rows
        for cell in row.values()
    )
    starts = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
    document = {"milestones": [dict.fromkeys(("id", "kind", "rotation", "program", "title", "date", "window_start", "late_by_days", "done"), text) for text in starts]}  # fmt: skip
    cells = [cell for row in csv.reader(io.StringIO(to_csv(document))) for cell in row][9:]
    assert len(cells) == 9 * len(starts)
    assert all(cell.startswith("'") for cell in cells), cells


def test_ics_text_survives_the_icalendar_round_trip(run: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "commas.toml"
    catalog.write_text(catalog_text(id="commas", institution=ICS_TEXT), encoding="utf-8")
    assert (
        run("--catalog", str(catalog), "plan", "add", "commas", "--start", "2027-09").exit_code == 0
    )
    assert run("--catalog", str(catalog), "export", "-o", "plan.ics").exit_code in (0, 3)
    raw = (tmp_path / "plan.ics").read_bytes()
    assert b"Smith\\, Jones\\; Partners" in raw.replace(b"\r\n ", b"")  # RFC 5545 escapes
    calendar = icalendar.Calendar.from_ical(raw)
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    # The summary shows the newline as an escape; commas and semicolons come back as written.
    assert "Apply to Smith, Jones; Partners\\x0aSecond line, with; both" in summaries, summaries
    assert all(not RAW.findall(s) for s in summaries)


def test_html_export_escapes_everything(run: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "html.toml"
    catalog.write_text(catalog_text(id="html", institution=HTML_TEXT), encoding="utf-8")
    assert (
        run("--catalog", str(catalog), "plan", "add", "html", "--start", "2027-09").exit_code == 0
    )
    assert run("--catalog", str(catalog), "export", "-o", "plan.html").exit_code in (0, 3)
    page = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "<img" not in page
    assert 'onerror="' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp;" in page
    assert "[bold]B[/]" in page
    assert "\\x1b[31m" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched


@pytest.mark.parametrize(
    "source",
    [
        "javascript:alert(1)", "JavaScript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>",
        "ftp://example.org/x", "//example.org/x", " https://example.org", "https://", "vbscript:x",
        "https://exa mple.org",
        "https://example.org/\n",
    ],
)  # fmt: skip
def test_only_http_and_https_sources(source: str, tmp_path: Path) -> None:
    path = tmp_path / "source.toml"
    path.write_text(catalog_text(source=source), encoding="utf-8")
    with pytest.raises(PlannerError, match="must be an http:// or https:// address"):
        load_catalog_file(path)


@pytest.mark.parametrize("kind", ["--catalog", "--profile", "--plan"])
def test_files_over_512_mb_are_refused_without_reading_them(
    run: Any, tmp_path: Path, kind: str
) -> None:
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(512 * 1024 * 1024 + 1)  # sparse: no data is written
    command = "programs" if kind == "--catalog" else "plan"
    result = run(kind, str(huge), command)
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0]
        == f"Error: {huge}: is larger than 512 MB; refusing to read it"
    )


def test_strings_over_1_mb_are_refused(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "long.toml"
    path.write_text(catalog_text(city="x" * (1024 * 1024)), encoding="utf-8")
    assert load_catalog_file(path)[0].city == "x" * (1024 * 1024)  # 1 MB exactly is fine
    path.write_text(catalog_text(city="x" * (1024 * 1024 + 1)), encoding="utf-8")
    result = run("--catalog", str(path), "programs")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: program.0.city: text longer than 1 MB; refusing it\n"


NO_NETWORK = r"""
import socket, sys
used = []
def refuse(event, args):
    if event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.")):
        used.append(event)  # kept even where a library swallows the error below
        raise RuntimeError(f"network used: {event}")
sys.addaudithook(refuse)
class Refused(socket.socket):
    def __init__(self, *args, **kwargs):
        refuse("socket.socket", args)
def refused(*args, **kwargs):
    refuse("socket.lookup", args)
socket.socket, socket.create_connection, socket.getaddrinfo = Refused, refused, refused
from usce_planner.cli import app
from usce_planner.cli.options import hoist_common_options
codes = []
for line in sys.argv[1:]:
    try:
        app(args=hoist_common_options(line.split()), prog_name="usce")
    except SystemExit as exc:
        codes.append(exc.code)
print(codes, used, file=sys.stderr)
"""


def test_no_network_access_at_run_time(isolated_home: Path, tmp_path: Path) -> None:
    commands = [
        f"--today {TODAY} eligible --example",
        f"--today {TODAY} plan --example",
        f"--today {TODAY} export --example -o {tmp_path}/plan.ics",
        f"--today {TODAY} export --example --format html",
        f"--today {TODAY} programs --json",
    ]
    done = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, *commands], capture_output=True, text=True, timeout=120
    )
    assert "network used" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[-1] == "[0, 0, 0, 0, 0] []", done.stderr
    assert (tmp_path / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
