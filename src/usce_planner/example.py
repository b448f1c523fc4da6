"""The example profile, made from today so that the example never goes stale."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from usce_planner.models import ExamRecord, Profile, VisaStatus


def example_match_year(today: date) -> int:
    """Return the first March Match whose ERAS submission (1 September before) is 15 months away."""
    earliest_submission = today + relativedelta(months=15)
    year = earliest_submission.year + 1
    if date(year - 1, 9, 1) < earliest_submission:
        year += 1
    return year


def example_profile(today: date) -> Profile:
    """Return a graduate of one year ago, Step 1 passed two years ago, aiming for a Match ahead."""
    return Profile(
        schema_=1,
        name="Example graduate",
        stage="graduate",
        graduation=today - relativedelta(years=1),
        citizenship="IN",
        seeking_residency=True,
        target_match=example_match_year(today),
        specialties=("internal-medicine",),
        english_medium_school=True,
        ecfmg_certified=False,
        step1=ExamRecord(status="passed", date=today - relativedelta(years=2)),
        visa=VisaStatus(holds="none", consulate_wait_weeks=12),
    )
