"""Synthetic catalogs in the shipped schema, and a 100-rotation plan, for the benchmarks.

Every field the eligibility rules and the planner read varies from entry to entry (kinds,
statuses, audiences, start rules, leads, windows, requirements), so that no shortcut that
relies on sameness can help.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import tomli_w

KINDS = ["elective", "observership", "externship", "research", "pre-residency"]
STATUSES = ["open", "open", "open", "partner-only", "paused", "closed", "unknown"]
AUDIENCES = [["student"], ["graduate"], ["graduate", "physician"], ["physician"], None]
STARTS = ["any-day", "any-monday", "first-monday", None, "dates"]
STATES = ["NY", "CA", "TX", "FL", "MA", "OH", "PA", "IL", "MN", "DC"]
VISAS = [["b1", "b2", "b1-b2", "esta"], ["b1"], ["esta"], ["j1"], None]


def program_entry(index: int, rng: random.Random) -> dict[str, object]:
    """Return one synthetic [[program]] entry."""
    entry: dict[str, object] = {
        "id": f"synthetic-{index}",
        "institution": f"Synthetic Hospital {index % 997}",
        "name": f"Program {index}",
        "kind": rng.choice(KINDS),
        "status": rng.choice(STATUSES),
        "state": rng.choice(STATES),
        "city": f"City {index % 113}",
        "source": f"https://example.org/programs/{index}",
        "source_date": rng.choice(["2024", "2022/23", "undated", "2025-06"]),
        "verified": date(2026, 11, 25) - timedelta(days=rng.randrange(0, 700)),
        "confidence": rng.choice(["high", "medium", "low"]),
    }
    audience = rng.choice(AUDIENCES)
    if audience is not None:
        entry["audience"] = audience
    if rng.random() < 0.8:
        entry["weeks"] = rng.choice([[4], [2, 4], [4, 8], [6], [12]])
    if rng.random() < 0.5:
        entry["hands_on"] = rng.random() < 0.5
    starts = rng.choice(STARTS)
    if starts == "dates":
        first = date(2027, 1, 4) + timedelta(days=7 * rng.randrange(0, 20))
        entry["starts"] = [first + timedelta(days=28 * n) for n in range(12)]
    elif starts is not None:
        entry["starts"] = starts
    if rng.random() < 0.2:
        entry["windows"] = [
            {"opens": "06-01", "closes": "06-30", "starts_from": "10-01", "starts_to": "12-31"}
        ]
    elif rng.random() < 0.7:
        entry["lead_time"] = {
            "recommended": f"{rng.randrange(2, 10)} months",
            "minimum": f"{rng.randrange(4, 9)} weeks",
        }
    if rng.random() < 0.5:
        entry["fees"] = {
            "application_usd": rng.randrange(0, 600),
            "program_usd": rng.randrange(0, 5000),
            "per": rng.choice(["rotation", "week", "month", "flat"]),
        }
    requires: dict[str, object] = {}
    if rng.random() < 0.4:
        requires["step1"] = rng.random() < 0.8
    if rng.random() < 0.2:
        requires["step2ck"] = True
    if rng.random() < 0.1:
        requires["min_step_score"] = rng.randrange(200, 240)
    if rng.random() < 0.3:
        requires["student_year"] = rng.choice(["final", "final-or-penultimate", "not-final", "any"])
    if rng.random() < 0.3:
        requires["english"] = True
        requires["toefl_ibt_min"] = rng.randrange(79, 110)
    visas = rng.choice(VISAS)
    if visas is not None:
        requires["visas"] = visas
    if rng.random() < 0.1:
        requires["excludes_residency_seekers"] = True
    if rng.random() < 0.05:
        requires["excluded_citizenships"] = ["IR", "SY"]
    if requires:
        entry["requires"] = requires
    return entry


def write_catalog(path: Path, count: int, seed: int = 2026) -> Path:
    """Write a catalog of ``count`` synthetic programs."""
    rng = random.Random(seed)
    document = {"schema": 1, "program": [program_entry(i, rng) for i in range(count)]}
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def write_plan_set(folder: Path, rotations: int = 100) -> Path:
    """Write a catalog, a profile and a plan of ``rotations`` rotations into a USCE_HOME folder."""
    folder.mkdir(parents=True, exist_ok=True)
    programs = [
        {
            "id": f"plan-program-{i}",
            "institution": f"Plan Hospital {i}",
            "name": f"Observership {i}",
            "kind": "observership",
            "status": "open",
            "state": STATES[i % len(STATES)],
            "audience": ["graduate"],
            "weeks": [1, 2, 4],
            "starts": "any-day",
            "lead_time": {"recommended": "3 months"},
            "source": f"https://example.org/plan/{i}",
            "source_date": "2025",
            "verified": date(2026, 11, 1),
            "confidence": "high",
            "fees": {"application_usd": 100, "program_usd": 500, "per": "rotation"},
        }
        for i in range(rotations)
    ]
    (folder / "catalogs").mkdir(exist_ok=True)
    catalog = folder / "catalogs" / "plan-programs.toml"
    catalog.write_text(tomli_w.dumps({"schema": 1, "program": programs}), encoding="utf-8")
    profile = {
        "schema": 1,
        "stage": "graduate",
        "graduation": date(2025, 6, 30),
        "citizenship": "IN",
        "seeking_residency": True,
        "target_match": 2030,
        "english_medium_school": True,
        "step1": {"status": "passed", "date": date(2024, 3, 10)},
    }
    (folder / "profile.toml").write_text(tomli_w.dumps(profile), encoding="utf-8")
    first = date(2027, 6, 1)
    plan = {
        "schema": 1,
        "uid_token": "0badc0de",
        "rotation": [
            {
                "program": f"plan-program-{i}",
                "start": first + timedelta(days=7 * i),
                "weeks": 1,
                "status": "planned",
                "notes": "",
            }
            for i in range(rotations)
        ],
    }
    (folder / "plan.toml").write_text(tomli_w.dumps(plan), encoding="utf-8")
    return folder


if __name__ == "__main__":
    import sys

    # python make_data.py catalog PATH COUNT | plan FOLDER ROTATIONS
    what, where, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    if what == "catalog":
        write_catalog(where, count)
    else:
        write_plan_set(where, count)
