"""A catalog checked partly in a forked copy gives what one process gives, whatever happens."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.test_eligibility_properties import with_fields
from usce_planner import parallel_check
from usce_planner.catalog import load_catalog_file, shipped_catalog_path
from usce_planner.checker import Checker, Result
from usce_planner.example import example_profile
from usce_planner.models import Program
from usce_planner.rules import shipped_rules

TODAY = date(2026, 11, 25)
RULES = shipped_rules()


@pytest.fixture(scope="module")
def programs() -> list[Program]:
    """The shipped catalog, three times over: enough for each process to have many."""
    shipped = load_catalog_file(shipped_catalog_path())
    return shipped * 3


def forked(programs: list[Program], profile: Any, **asked: Any) -> list[Result]:
    """Check in two processes, however few the programs."""
    checker = Checker(profile, RULES, TODAY)
    return parallel_check.check_all(checker, programs, worth_forking=1, **asked)


def alone(programs: list[Program], profile: Any, **asked: Any) -> list[Result]:
    """Check in this process alone."""
    return Checker(profile, RULES, TODAY).check_all(programs, **asked)


pytestmark = pytest.mark.skipif(
    not parallel_check._two_processors(), reason="needs Linux and two processors"
)


@pytest.mark.parametrize(
    "asked",
    [{}, {"wanted": date(2027, 9, 6)}, {"wanted": date(2027, 10, 1), "whole_month": True}],
)
@pytest.mark.parametrize("stage", ["graduate", "student"])
def test_forked_check_gives_the_same_results_in_the_same_order(
    programs: list[Program], asked: dict[str, Any], stage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[int] = []
    decode = parallel_check._decoded

    def counted(payload: bytes, sent: list[Program]) -> list[Result]:
        results = decode(payload, sent)
        decoded.append(len(results))
        return results

    monkeypatch.setattr(parallel_check, "_decoded", counted)
    profile = example_profile(TODAY)
    if stage == "student":
        profile = with_fields(profile, stage="student", graduation=date(2027, 12, 1))
    assert forked(programs, profile, **asked) == alone(programs, profile, **asked)
    assert decoded == [len(programs) - len(programs) * 11 // 20]  # the copy's own results


def test_the_parent_checks_everything_when_the_copy_fails(
    programs: list[Program], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(results: list[Result]) -> bytes:
        raise RuntimeError("the copy fails")

    monkeypatch.setattr(parallel_check, "_encoded", broken)
    profile = example_profile(TODAY)
    assert forked(programs, profile) == alone(programs, profile)


def test_the_parent_checks_everything_when_it_cannot_fork(
    programs: list[Program], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr("os.fork", no_fork)
    profile = example_profile(TODAY)
    assert forked(programs, profile) == alone(programs, profile)


def test_a_small_catalog_is_checked_without_forking(
    programs: list[Program], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise AssertionError("forked for a small catalog")

    monkeypatch.setattr("os.fork", no_fork)
    checker = Checker(example_profile(TODAY), RULES, TODAY)
    assert len(parallel_check.check_all(checker, programs)) == len(programs)
