"""Candidates for `usce suggest`: the same verdicts as `usce eligible`, at starts it allows."""

from __future__ import annotations

from datetime import date, timedelta

from usce_planner.eligibility import Checker
from usce_planner.models.plan import SavedRotation
from usce_planner.plan.example import example_profile
from usce_planner.storage.catalog_files import load_catalog_file, shipped_catalog_path
from usce_planner.storage.rules_file import shipped_rules
from usce_planner.suggest.candidates import Search, find_candidates
from usce_planner.timing.starts import allowed_starts, is_allowed_start, last_day

TODAY = date(2026, 11, 25)


def test_batch_verdicts_equal_one_at_a_time_when_checking_allowed_starts() -> None:
    programs = load_catalog_file(shipped_catalog_path())
    profile, rules = example_profile(TODAY), shipped_rules()
    checker = Checker(profile, rules, TODAY)
    tries = [
        (program, start, weeks)
        for program in programs[::4]
        for weeks in (program.weeks or (4,))[:1]
        for start in list(allowed_starts(program, TODAY, TODAY + timedelta(days=400)))[::9]
    ]
    assert len(tries) > 50
    batch = checker.check_starts(tries)
    alone = [checker.check(program, start, weeks=weeks) for program, start, weeks in tries]
    assert [(r.verdict, r.target, r.checks) for r in batch] == [
        (r.verdict, r.target, r.checks) for r in alone
    ]


def test_candidates_are_allowed_on_time_eligible_and_inside_the_period() -> None:
    programs = load_catalog_file(shipped_catalog_path())
    profile, rules = example_profile(TODAY), shipped_rules()
    search = Search(TODAY, date(2028, 5, 31))
    found = find_candidates(programs, profile, rules, TODAY, (), search)
    assert found
    by_id = {program.id: program for program in programs}
    checker = Checker(profile, rules, TODAY)
    for item in found[::25]:
        candidate, program = item.candidate, by_id[item.candidate.program]
        assert is_allowed_start(program, candidate.start)
        assert candidate.last_day == last_day(candidate.start, candidate.weeks) <= search.last
        earliest = checker.earliest(program, candidate.weeks)
        assert earliest is not None
        assert candidate.start >= earliest
        assert item.verdict in ("eligible", "conditional")
        if program.starts in (None, "any-day"):
            assert candidate.start.weekday() == 0  # any-day programs: Mondays only
    strict = find_candidates(programs, profile, rules, TODAY, (), Search(TODAY, search.last, True))
    assert {item.verdict for item in strict} == {"eligible"}


def test_a_programs_saved_weeks_count_toward_its_cap() -> None:
    programs = [p for p in load_catalog_file(shipped_catalog_path()) if p.max_weeks]
    profile, rules = example_profile(TODAY), shipped_rules()
    search = Search(TODAY, date(2028, 5, 31))
    found = find_candidates(programs, profile, rules, TODAY, (), search)
    program = next(p for p in programs if any(i.candidate.program == p.id for i in found))
    assert program.max_weeks is not None
    saved = SavedRotation(program=program.id, start=date(2030, 1, 7), weeks=program.max_weeks)
    after = find_candidates([program], profile, rules, TODAY, (saved,), search)
    assert after == []
