"""Synthetic catalogs in the shipped schema, and a 100-rotation plan, for the benchmarks.

Every field the eligibility rules and the planner read is drawn for each entry on its own
(kinds, statuses, audiences, lengths, start dates, leads, windows, requirements), so that no
shortcut that relies on sameness between programs can help.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import tomli_w

KINDS = ["elective", "observership", "externship", "research", "pre-residency"]
STATUSES = ["open", "open", "open", "partner-only", "paused", "closed", "unknown"]
STAGES = ["student", "graduate", "physician"]
STATES = ["NY", "CA", "TX", "FL", "MA", "OH", "PA", "IL", "MN", "DC"]
VISA_CODES = ["b1", "b2", "b1-b2", "esta", "f1", "j1", "h1b", "o1", "other"]
COUNTRIES = ["IR", "SY", "KP", "CU", "RU", "BY", "VE", "SD", "IN", "PK", "NG", "EG"]
YEARS = ["final", "final-or-penultimate", "not-final", "any"]
FIRST_START = date(2027, 1, 4)


def program_entry(index: int, rng: random.Random) -> dict[str, object]:
    """Return one synthetic [[program]] entry, every field the rules read drawn for it alone."""
    entry: dict[str, object] = {
        "id": f"synthetic-{index}",
        "institution": f"Synthetic Hospital {index % 997}",
        "name": f"Program {index}",
        "kind": rng.choice(KINDS),
        "status": rng.choice(STATUSES),
        "state": rng.choice(STATES),
        "city": f"City {index % 113}",
        "source": f"https://example.org/programs/{index}",
        "source_date": _source_date(rng),
        "verified": date(2026, 11, 25) - timedelta(days=rng.randrange(0, 700)),
        "confidence": rng.choice(["high", "medium", "low"]),
    }
    if rng.random() < 0.8:
        entry["audience"] = rng.sample(STAGES, rng.randrange(1, 4))
    if rng.random() < 0.8:
        entry["weeks"] = sorted(rng.sample(range(1, 17), rng.randrange(1, 4)))
    if rng.random() < 0.5:
        entry["hands_on"] = rng.random() < 0.5
    entry.update(_starts(rng))
    if rng.random() < 0.2:
        entry["windows"] = _windows(rng)
    if rng.random() < 0.6:
        entry["lead_time"] = _lead_time(rng)
    if rng.random() < 0.5:
        entry["fees"] = {
            "application_usd": rng.randrange(0, 600),
            "program_usd": rng.randrange(0, 5000),
            "per": rng.choice(["rotation", "week", "month", "flat"]),
        }
    requires = _requirements(rng)
    if requires:
        entry["requires"] = requires
    return entry


def _source_date(rng: random.Random) -> str:
    year = rng.randrange(2019, 2027)
    return rng.choice(
        ["undated", f"{year}", f"{year}-{rng.randrange(1, 13):02d}", f"{year - 1}/{year % 100:02d}"]
    )


def _starts(rng: random.Random) -> dict[str, object]:
    # Two programs in five have a list of start dates of their own.
    roll = rng.random()
    if roll < 0.4:
        first = FIRST_START + timedelta(days=rng.randrange(0, 400))
        days = sorted({first + timedelta(days=rng.randrange(0, 1500)) for _ in range(12)})
        return {"starts": days}
    if roll < 0.9:
        return {"starts": rng.choice(["any-day", "any-monday", "first-monday"])}
    return {}


def _windows(rng: random.Random) -> list[dict[str, object]]:
    windows: list[dict[str, object]] = []
    for _ in range(rng.randrange(1, 4)):
        if rng.random() < 0.7:
            # Yearly: the starts served begin one to seven months after the window closes. Days
            # are drawn in a leap year, so that 29 February comes up.
            open_days = rng.randrange(7, 90)
            gap, served = rng.randrange(30, 210), rng.randrange(14, 150)
            base = date(2028, 1, 1) + timedelta(days=rng.randrange(0, 366))
            days = [
                base,
                base + timedelta(days=open_days),
                base + timedelta(days=open_days + gap),
                base + timedelta(days=open_days + gap + served),
            ]
            keys = ("opens", "closes", "starts_from", "starts_to")
            windows.append(
                {key: day.strftime("%m-%d") for key, day in zip(keys, days, strict=True)}
            )
        else:
            opens = date(2027, 1, 1) + timedelta(days=rng.randrange(0, 900))
            closes = opens + timedelta(days=rng.randrange(7, 90))
            first = closes + timedelta(days=rng.randrange(30, 210))
            last = first + timedelta(days=rng.randrange(14, 150))
            windows.append(
                {"opens": opens, "closes": closes, "starts_from": first, "starts_to": last}
            )
    return windows


def _duration(rng: random.Random, days: int) -> str:
    # About ``days`` long, written in whichever unit the source might use.
    unit = rng.choice(["days", "weeks", "months"])
    if unit == "days":
        return f"{max(1, days + rng.randrange(-10, 11))} days"
    if unit == "weeks":
        return f"{max(1, days // 7 + rng.randrange(-2, 3))} weeks"
    return f"{max(1, round(days / 30) + rng.randrange(-1, 2))} months"


def _lead_time(rng: random.Random) -> dict[str, object]:
    lead: dict[str, object] = {}
    if rng.random() < 0.85:
        lead["recommended"] = _duration(rng, rng.randrange(30, 360))
    if rng.random() < 0.5:
        lead["minimum"] = _duration(rng, rng.randrange(14, 90))
    return lead or {"recommended": _duration(rng, 120)}


def _requirements(rng: random.Random) -> dict[str, object]:
    requires: dict[str, object] = {}
    if rng.random() < 0.3:
        requires["student_year"] = rng.choice(YEARS)
    if rng.random() < 0.3:
        requires["max_years_since_graduation"] = rng.randrange(0, 16)
    if rng.random() < 0.4:
        requires["step1"] = rng.random() < 0.8
    if rng.random() < 0.2:
        requires["step2ck"] = rng.random() < 0.8
    if rng.random() < 0.15:
        requires["min_step_score"] = rng.randrange(190, 260)
    if rng.random() < 0.2:
        requires["ecfmg_certified"] = rng.random() < 0.7
    if rng.random() < 0.35:
        requires["english"] = rng.random() < 0.9
        if rng.random() < 0.7:
            requires["toefl_ibt_min"] = rng.randrange(60, 115)
        if rng.random() < 0.5:
            requires["ielts_min"] = rng.randrange(10, 17) / 2
        if rng.random() < 0.3:
            requires["english_tests"] = rng.sample(["toefl", "ielts", "oet"], rng.randrange(1, 4))
        if rng.random() < 0.4:
            requires["english_waiver_if_english_medium"] = rng.random() < 0.7
    if rng.random() < 0.15:
        requires["excludes_residency_seekers"] = rng.random() < 0.7
    if rng.random() < 0.7:
        requires["visas"] = rng.sample(VISA_CODES, rng.randrange(1, 5))
    if rng.random() < 0.1:
        requires["excluded_citizenships"] = rng.sample(COUNTRIES, rng.randrange(1, 5))
    return requires


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
