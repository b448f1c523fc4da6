"""Parsed copies share equal parts: one object each, and nothing read differently."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import date, datetime
from typing import Any

from tests.factories import BASE_PROGRAM
from usce_planner.dates import Duration
from usce_planner.models import Program, Requirements
from usce_planner.shared_parts import share_equal_parts


def program(**fields: Any) -> Program:
    """Return a valid program with these fields."""
    return Program.model_validate({**BASE_PROGRAM, **fields})


def test_equal_parts_become_one_object_when_programs_repeat_them() -> None:
    first = program(id="first", requires={"step1": True}, lead_time={"recommended": "3 months"})
    second = program(id="second", requires={"step1": True}, lead_time={"recommended": "3 months"})
    assert first.requires is not second.requires
    shared = share_equal_parts([first, second])
    assert shared[0].requires is shared[1].requires
    assert shared[0].lead_time is shared[1].lead_time
    assert shared[0].verified is shared[1].verified


def test_shared_programs_read_and_dump_as_the_parsed_ones() -> None:
    parsed = [
        program(id="first", requires={"step1": True, "visas": ["b1", "esta"]}, weeks=[2, 4]),
        program(id="second", requires={"step1": False}, weeks=[2, 4], hands_on=True),
        program(id="third", lead_time={"minimum": "4 weeks"}),
    ]
    shared = share_equal_parts(parsed)
    assert shared == parsed
    for before, after in zip(parsed, shared, strict=True):
        assert after.model_dump(exclude_unset=True) == before.model_dump(exclude_unset=True)
        assert after.model_fields_set == before.model_fields_set
        assert after.requires.model_fields_set == before.requires.model_fields_set


def test_parts_that_are_equal_but_read_differently_stay_apart() -> None:
    # True == 1 and 0.0 == -0.0, yet each prints as itself.
    values = share_equal_parts([True, 1, 0.0, -0.0, (1,), (True,)])
    assert [type(value) for value in values] == [bool, int, float, float, tuple, tuple]
    assert str(values[3]) == "-0.0"
    assert type(values[5][0]) is bool


def test_requirements_set_alike_but_stated_differently_stay_apart() -> None:
    # An omitted key and the same value written out are equal, yet only one was stated.
    stated = Requirements.model_validate({"step1": None})
    omitted = Requirements.model_validate({})
    shared = share_equal_parts([stated, omitted])
    assert shared[0] is not shared[1]
    assert shared[0].model_fields_set == {"step1"}
    assert shared[1].model_fields_set == set()


def test_a_kept_duration_hashes_as_its_equal_in_a_process_with_other_text_hashes() -> None:
    # Durations keep their hash; one kept by another process must still find its equals here.
    script = (
        "import pickle, sys; from usce_planner.dates import Duration; "
        "sys.stdout.buffer.write(pickle.dumps(Duration(3, 'months')))"
    )
    for seed in ("1", "2"):
        kept = subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            check=True,
        ).stdout
        duration = pickle.loads(kept)
        assert duration == Duration(3, "months")
        assert {Duration(3, "months"): "found"}[duration] == "found"


def test_a_date_is_shared_but_never_mixed_with_a_datetime() -> None:
    values = share_equal_parts([date(2026, 1, 1), datetime(2026, 1, 1), date(2026, 1, 1)])
    assert type(values[1]) is datetime
    assert values[0] is values[2]
