"""The shipped catalog against what the audit of issue 18 found, one finding per test."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import Invoke
from usce_planner.app.catalog_stats import count_catalog
from usce_planner.dates import Duration, source_date_reference
from usce_planner.eligibility.listing import ProgramFilter
from usce_planner.models.catalog import Catalog
from usce_planner.models.profile import Profile
from usce_planner.plan.rotation_checks import checked_weeks
from usce_planner.storage.catalog_files import check_catalog_file, shipped_catalog_path
from usce_planner.timing.english import english_status
from usce_planner.timing.starts import apply_by, is_allowed_start

TODAY = "2026-12-06"
# Sources whose stored copies were read at an http:// address. Each needs a maintainer to
# confirm the https:// address before it moves; the list may only shrink.
HTTP_SOURCES = {
    "griffin-hospital-observership",
    "louisville-visiting-elective",
    "pitt-ccm-clinical-observership",
    "stanford-em-international-scholars",
    "uic-undergraduate-international-observership",
    "umd-neurology-observership",
    "wvu-pediatric-clinical-observer",
    "temple-visiting-international",
}
PROFILE = """
schema = 1
stage = "student"
graduation = 2028-06-30
citizenship = "IN"
english_medium_school = false
step1 = { status = "passed", date = 2026-03-10 }
"""


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    programs, problems = check_catalog_file(shipped_catalog_path())
    assert problems == []
    return Catalog(tuple(programs))


def test_the_catalog_holds_at_least_120_programs_with_unique_ids(shipped: Catalog) -> None:
    ids = [program.id for program in shipped.programs]
    assert len(ids) >= 120
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_no_two_entries_share_an_institution_and_a_name(shipped: Catalog) -> None:
    pairs = Counter((p.institution.casefold(), p.name.casefold()) for p in shipped.programs)
    assert [pair for pair, n in pairs.items() if n > 1] == []


def test_every_entry_has_an_https_source_a_source_date_and_a_verified_day(
    shipped: Catalog,
) -> None:
    over_http = {p.id for p in shipped.programs if not p.source.startswith("https://")}
    assert over_http == HTTP_SOURCES
    for program in shipped.programs:
        assert program.source.startswith(("https://", "http://")), program.id
        assert program.source_date
        assert program.source_date == program.source_date.strip()
        source_date_reference(program.source_date)  # raises on a malformed date
        assert date(2020, 1, 1) <= program.verified <= date.fromisoformat(TODAY), program.id


def test_the_shipped_catalog_is_schema_2() -> None:
    assert shipped_catalog_path().read_text(encoding="utf-8").count("\nschema = 2\n") == 1


def test_weill_cornell_refuses_a_july_start_with_the_reason(
    invoke: Invoke, isolated_home: Path
) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    program = "weill-cornell-visiting-international"
    result = invoke(["plan", "add", program, "--start", "2027-07-05", "--today", TODAY])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Error: plan: {program}: start 2027-07-05 is not allowed (any day (the source does "
        "not say); no placements June\N{EN DASH}August, per source); nearest allowed: 2027-05-31, "
        "2027-09-01"
    )
    explained = invoke(["eligible", "--explain", program, "--start", "2027-07", "--today", TODAY])
    assert explained.exit_code == 0, explained.stderr
    assert "No placements June\N{EN DASH}August, per source." in explained.stdout


@pytest.mark.parametrize(
    ("program_id", "months"),
    [
        ("weill-cornell-visiting-international", {6, 7, 8}),
        ("utoledo-international-visiting-rotation", {7, 8}),
        ("umich-global-reach-visiting", {5, 6, 7, 8, 9, 10, 11}),
        ("vanderbilt-international-visiting", {5, 6, 7, 8, 9, 10}),
        ("griffin-memorial-psychiatry-observership", {11, 12, 1}),
        ("uf-international-medical-student", {12, 2, 4, 5, 6, 7}),
    ],
)
def test_blackout_months_refuse_starts(shipped: Catalog, program_id: str, months: set[int]) -> None:
    program = shipped.get(program_id)
    assert program.no_start_months == months
    for month in range(1, 13):
        days = [date(2027, month, day) for day in range(1, 29)]
        allowed = [day for day in days if is_allowed_start(program, day)]
        if month in months:
            assert allowed == [], (program_id, month)
        else:
            assert allowed, (program_id, month)  # the other months still take starts


@pytest.mark.parametrize(
    "program_id",
    [
        "mayo-visiting-clerkship",
        "mayo-visiting-clerkship-florida",
        "mayo-visiting-clerkship-arizona",
    ],
)
def test_mayo_allows_a_february_start_applied_for_by_1_october(
    shipped: Catalog, program_id: str
) -> None:
    mayo = shipped.get(program_id)
    assert is_allowed_start(mayo, date(2028, 2, 7))
    assert apply_by(mayo, date(2028, 2, 7), Duration(6, "months")).day == date(2027, 10, 1)
    assert is_allowed_start(mayo, date(2027, 11, 1))
    assert not is_allowed_start(mayo, date(2027, 8, 2))  # no window serves April-September


def test_a_toefl_of_79_is_met_at_um_imi(shipped: Catalog) -> None:
    person = Profile.model_validate(
        {
            "schema": 1,
            "stage": "graduate",
            "graduation": date(2025, 6, 30),
            "citizenship": "IN",
            "english_medium_school": False,
            "english": {"toefl_ibt": 79},
        }
    )
    assert english_status(person, shipped.get("umiami-imi-graduate-elective")) == (
        "met",
        "TOEFL iBT 79 (at least 79 needed)",
    )


RANGES = [
    "chop-international-observership",
    "houston-methodist-observership",
    "unmc-im-observership",
    "mgh-radiation-oncology-observership",
    "umiami-imi-graduate-elective",
    "weill-cornell-visiting-international",
    "stanford-em-international-scholars",
]


@pytest.mark.parametrize("program_id", RANGES)
def test_lengths_given_as_a_range_assert_no_usual_length(shipped: Catalog, program_id: str) -> None:
    program = shipped.get(program_id)
    assert program.has_usual_length is False
    assert program.weeks is not None
    assert list(program.weeks) == sorted(program.weeks)
    weeks, notices = checked_weeks(program, None)
    assert weeks == min(program.weeks)
    assert "no usual length" in notices[0]
    assert "usual" not in " ".join(checked_weeks(program, max(program.weeks))[1])


def test_the_ranges_are_shown_without_a_usual_length(invoke: Invoke) -> None:
    result = invoke(["programs", "--search", "children's hospital of philadelphia"])
    assert result.exit_code == 0
    assert "usually" not in result.stdout
    assert "no usual" in result.stdout


AUDITED_HANDS_ON = [
    "yale-visiting-international-elective",
    "weill-cornell-visiting-international",
    "pitt-ivs",
    "unc-ivs",
    "uab-ivms",
    "fiu-international-medical-student",
    "baylor-visiting-elective",
    "duke-visiting-international",
    "penn-international-elective",
    "columbia-international-exchange",
    "northwestern-global-partner",
    "einstein-exchange-elective",
    "umiami-visiting-externship",
    "umiami-observer-non-lcme",
    "houston-methodist-observership",
    "mount-sinai-ivs-elective",
]


@pytest.mark.parametrize("program_id", AUDITED_HANDS_ON)
def test_an_inferred_fact_keeps_its_entry_below_high(shipped: Catalog, program_id: str) -> None:
    assert shipped.get(program_id).confidence != "high"


def test_the_dropped_facts_are_held(shipped: Catalog) -> None:
    weill = shipped.get("weill-cornell-visiting-international")
    assert weill.fees is not None
    assert weill.fees.deposit_usd == 500
    assert weill.fees.deposit_credited is None  # the source does not say
    houston = shipped.get("houston-methodist-observership")
    assert houston.excluded_specialties == ("internal-medicine",)
    assert not ProgramFilter(specialties=("internal-medicine",)).matches(houston)
    florida = shipped.get("mayo-visiting-clerkship-florida")
    assert any("Florida" in note and "Step 2" in note for note in florida.notes or ())
    brown = shipped.get("brown-vims")
    assert any("100" in note and "TOEFL" in note for note in brown.notes or ())
    sections = {
        "mount-sinai-ivs-elective": (("reading", 22), ("listening", 22), ("speaking", 22), ("writing", 22)),
        "unc-ivs": (("speaking", 25),),
        "uab-ivms": (("speaking", 22),),
        "sinai-baltimore-electives": (("reading", 25), ("listening", 25), ("speaking", 25), ("writing", 25)),
    }  # fmt: skip
    for program_id, stated in sections.items():
        found = shipped.get(program_id).requires.toefl_sections_min
        assert found is not None, program_id
        assert found.stated() == stated, program_id


def test_notes_are_printed_by_programs_show(invoke: Invoke) -> None:
    result = invoke(["programs", "show", "mayo-visiting-clerkship-florida"])
    assert result.exit_code == 0
    assert "note: Students whose school has no accreditation in the state of Florida" in (
        " ".join(result.stdout.split())
    )


def test_stats_count_every_program_once_per_dimension(invoke: Invoke, shipped: Catalog) -> None:
    result = invoke(["programs", "--stats", "--json", "--today", TODAY])
    assert result.exit_code == 0
    stats = json.loads(result.stdout)["stats"]
    total = len(shipped.programs)
    assert stats == json.loads(json.dumps(count_catalog(shipped.programs, date(2026, 12, 6))))
    assert stats["programs"] == total
    for key in ("kind", "status", "confidence", "state", "verified", "source_date"):
        assert sum(stats[key].values()) == total, key
    assert sum(stats["audience"].values()) >= total
    assert stats["stated"]["no_starts"] >= 6
