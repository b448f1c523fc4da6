"""Time usce as whole processes against the targets of product.md section 10.

Usage: python benchmarks/bench.py [--runs N] [--quick]

Commands run interleaved (one of each per round), and the median of the rounds is reported,
with peak memory. "cold" runs follow a deleted cache, "warm" runs a second one with the cache
in place. Figures vary with the machine's load: run it on a quiet machine.

The .ics export is also timed in-process against its floor, icalendar itself: usce's export
work (the plan's report to .ics bytes) against icalendar building and serializing the same
events from plain values (section 10: at most 1.3x).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
USCE = [sys.executable, "-m", "usce_planner"]
TODAY = "2026-11-25"


@dataclass
class Case:
    """One command to time, and where its figures go."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cold_cache: Path | None = None
    seconds: list[float] = field(default_factory=list)
    cold_seconds: list[float] = field(default_factory=list)
    peak_kib: int = 0
    cold_peak_kib: int = 0


def run_once(case: Case, cold: bool) -> None:
    """Run one command, record its wall time and peak memory."""
    if cold and case.cold_cache is not None:
        shutil.rmtree(case.cold_cache, ignore_errors=True)
    start = time.perf_counter()
    process = subprocess.Popen(
        case.argv, env=case.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(f"{case.name} failed: {' '.join(case.argv)}")
    if cold:
        case.cold_seconds.append(elapsed)
        case.cold_peak_kib = max(case.cold_peak_kib, usage.ru_maxrss)
    else:
        case.seconds.append(elapsed)
        case.peak_kib = max(case.peak_kib, usage.ru_maxrss)


def make_data(*args: object) -> None:
    """Write benchmark data in a child process, so this one stays small.

    A child's peak memory counts the memory of the process it was forked from: writing a
    100,000-program catalog here would inflate every figure after it.
    """
    command = [sys.executable, str(HERE / "make_data.py"), *map(str, args)]
    subprocess.run(command, check=True)


def build_cases(work: Path, quick: bool) -> list[Case]:
    """Return the floors and the usce commands, with their data written under ``work``."""
    # Users run an installed usce, whose modules are compiled once; a machine that forbids
    # writing bytecode would make every run here compile them again.
    base = {**os.environ, "USCE_TODAY": TODAY}
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    home = work / "home"
    home.mkdir()
    (home / "profile.toml").write_text(
        'schema = 1\nstage = "graduate"\ngraduation = 2025-06-30\ncitizenship = "IN"\n'
        "seeking_residency = true\nenglish_medium_school = true\n\n"
        '[step1]\nstatus = "passed"\ndate = 2024-03-10\n',
        encoding="utf-8",
    )
    env = {**base, "USCE_HOME": str(home)}
    cache = home / "cache"
    cases = [
        Case(
            "floor: import typer, pydantic", [sys.executable, "-c", "import typer, pydantic"], base
        ),
        Case(
            "floor: one-command Typer app",
            [sys.executable, str(HERE / "floor_app.py"), "--name", "x"],
            base,
        ),
        Case("usce --version", [*USCE, "--version"], env),
        Case("usce eligible (shipped catalog)", [*USCE, "eligible"], env, cache),
    ]
    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    for size in sizes:
        catalog = work / f"catalog-{size}.toml"
        make_data("catalog", catalog, size)
        argv = [*USCE, "eligible", "--all", "--json", "--only-catalog", "--catalog", str(catalog)]
        cases.append(Case(f"eligible --all --json, {size:,} programs", argv, env, cache))
    plan_home = work / "plan-home"
    make_data("plan", plan_home, 100)
    plan_env = {**base, "USCE_HOME": str(plan_home)}
    cases.append(
        Case(
            "usce plan, 100 rotations", [*USCE, "plan", "--no-match"], plan_env, plan_home / "cache"
        )
    )
    cases.append(
        Case(
            "usce export --format ics, 100 rotations",
            [*USCE, "export", "--format", "ics", "--no-match"],
            plan_env,
            plan_home / "cache",
        )
    )
    for rotations in (1_000, 10_000):
        home_n = work / f"plan-home-{rotations}"
        make_data("plan", home_n, rotations)
        env_n = {**base, "USCE_HOME": str(home_n)}
        cases.append(
            Case(
                f"usce plan --json, {rotations:,} rotations",
                [*USCE, "plan", "--json"],
                env_n,
                home_n / "cache",
            )
        )
    return cases


def ics_in_process(plan_home: Path, runs: int) -> tuple[float, float, int]:
    """Return the medians of usce's .ics work and of icalendar's own, and the event count."""
    from datetime import UTC, datetime

    from icalendar import Alarm, Calendar, Event

    from usce_planner.app.export import ExportRequest, render_export
    from usce_planner.app.plan import show_plan
    from usce_planner.app.session import Session
    from usce_planner.storage.locations import resolve_locations
    from usce_planner.storage.rules_file import shipped_rules

    today = datetime.fromisoformat(TODAY).date()
    locations = resolve_locations({"USCE_HOME": str(plan_home)})
    session = Session(today, locations)
    report = show_plan(session, None, False, False)
    rules = shipped_rules(locations.cache)
    stamp = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    request = ExportRequest("ics", None)
    written = render_export(report, request, stamp, rules)
    # The floor's input: every event's values, read back from usce's own file.
    plain = []
    for event in Calendar.from_ical(written).walk("VEVENT"):
        values = {
            key: event.decoded(key)
            for key in ("SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "SEQUENCE", "DESCRIPTION")
        }
        values["TRANSP"] = str(event["TRANSP"])
        alarms = [(str(a["DESCRIPTION"]), a.decoded("TRIGGER")) for a in event.walk("VALARM")]
        plain.append((values, alarms))

    def library() -> bytes:
        calendar = Calendar()
        for key, value in (("PRODID", "-//bench//EN"), ("VERSION", "2.0"), ("METHOD", "PUBLISH")):
            calendar.add(key, value)
        for values, alarms in plain:
            event = Event()
            for key, value in values.items():
                event.add(key, value)
            for description, trigger in alarms:
                alarm = Alarm()
                alarm.add("ACTION", "DISPLAY")
                alarm.add("DESCRIPTION", description)
                alarm.add("TRIGGER", trigger)
                event.add_component(alarm)
            calendar.add_component(event)
        return calendar.to_ical()

    ours, floor = [], []
    for _ in range(runs):  # interleaved, as the processes are
        for work, times in (
            (lambda: render_export(report, request, stamp, rules), ours),
            (library, floor),
        ):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(floor), len(plain)


def main() -> None:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per command (default 5)")
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-program catalog")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="usce-bench-") as folder:
        cases = build_cases(Path(folder), options.quick)
        for case in cases:  # one warm-up each, so imports are in the page cache
            run_once(case, cold=True)
        for _ in range(options.runs):
            for case in cases:
                run_once(case, cold=True)
                run_once(case, cold=False)
        report(cases)
        suggest_figures(cases, Path(folder), options.runs)
        ours, floor, count = ics_in_process(Path(folder) / "plan-home", options.runs)
        verdict = "holds" if ours <= 1.3 * floor else "MISSED"
        print(
            f"in-process .ics, 100 rotations ({count} events): usce {ours:.3f} s, "
            f"icalendar alone {floor:.3f} s, x{ours / floor:.2f}  target <= 1.3 x icalendar {verdict}"
        )


def suggest_figures(cases: list[Case], work: Path, runs: int) -> None:
    """Time ``usce suggest`` on the shipped catalog and on 1,000 programs; say if it proved."""
    env = next(case.env for case in cases if case.name == "usce eligible (shipped catalog)")
    shipped = ([*USCE, "suggest", "--json"], "shipped catalog", 3.0)
    synthetic = [*USCE, "suggest", "--json", "--only-catalog", "--catalog"]
    thousand = ([*synthetic, str(work / "catalog-1000.toml")], "1,000 programs", 10.0)
    for argv, name, limit in (shipped, thousand):
        seconds, proved = [], True
        for _ in range(max(1, min(runs, 3))):
            start = time.perf_counter()
            done = subprocess.run(argv, env=env, capture_output=True, check=True)
            seconds.append(time.perf_counter() - start)
            proved = proved and json.loads(done.stdout)["optimal"]
        middle = statistics.median(seconds)
        verdict = "holds" if middle < limit and proved else "MISSED"
        print(
            f"usce suggest, {name}: {middle:.2f} s, optimum "
            f"{'proved' if proved else 'NOT proved'}  target < {limit:g} s, proved {verdict}"
        )


def report(cases: list[Case]) -> None:
    """Print figures, ratios to the floors, peak memory and whether each target holds."""
    median = {case.name: statistics.median(case.seconds) for case in cases}
    import_floor = median["floor: import typer, pydantic"]
    typer_floor = median["floor: one-command Typer app"]
    targets = {
        "usce --version": ("<= 1.0 x import floor", median["usce --version"] <= import_floor),
        "usce eligible (shipped catalog)": (
            "<= 1.5 x Typer floor",
            median["usce eligible (shipped catalog)"] <= 1.5 * typer_floor,
        ),
        "usce plan, 100 rotations": ("< 1.0 s", median["usce plan, 100 rotations"] < 1.0),
        # The export's target is its own work against icalendar's, timed in-process below.
    }
    if "usce plan --json, 10,000 rotations" in median:
        targets["usce plan --json, 10,000 rotations"] = (
            "< 3 s (warm)",
            median["usce plan --json, 10,000 rotations"] < 3.0,
        )
    for name, limit in (("10,000 programs", 1.0), ("100,000 programs", 8.0)):
        key = f"eligible --all --json, {name}"
        if key in median:
            targets[key] = (f"< {limit:g} s (warm)", median[key] < limit)
    print(
        f"{'command':44} {'warm s':>8} {'cold s':>8} {'x import':>9} {'x Typer':>8} "
        f"{'warm MiB':>9} {'cold MiB':>9}  target"
    )
    for case in cases:
        warm = median[case.name]
        cold = statistics.median(case.cold_seconds) if case.cold_seconds else warm
        target, held = targets.get(case.name, ("", None))
        verdict = "" if held is None else ("holds" if held else "MISSED")
        print(
            f"{case.name:44} {warm:8.3f} {cold:8.3f} {warm / import_floor:9.2f} "
            f"{warm / typer_floor:8.2f} {case.peak_kib / 1024:9.1f} "
            f"{(case.cold_peak_kib or case.peak_kib) / 1024:9.1f}  {target} {verdict}"
        )
    sizes = ("1,000", "10,000", "100,000")
    for small, large in itertools.pairwise(sizes):
        keys = (
            f"eligible --all --json, {small} programs",
            f"eligible --all --json, {large} programs",
        )
        if all(key in median for key in keys):
            growth = median[keys[1]] / median[keys[0]]
            print(
                f"growth from {small} to {large} programs: x{growth:.1f} "
                "(linear would be at most x10)"
            )
    keys = ("usce plan --json, 1,000 rotations", "usce plan --json, 10,000 rotations")
    if all(key in median for key in keys):
        growth = median[keys[1]] / median[keys[0]]
        print(
            f"growth from 1,000 to 10,000 rotations: x{growth:.1f} "
            f"(target: at most x12) {'holds' if growth <= 12 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
