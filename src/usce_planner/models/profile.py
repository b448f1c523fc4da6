"""The user's profile: stage, exams, English tests and visa."""

from typing import Annotated, Self

from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)

from usce_planner.models.base import (
    STEP1_PASS_FAIL_FROM,
    Citizenship,
    Day,
    ExamStatus,
    Frozen,
    IeltsBand,
    Slug,
    Stage,
    Usd,
    UsStatus,
    VisaHeld,
)

# The March Match years the tool plans for (the profile, --match, done Match milestones).
FIRST_MATCH, LAST_MATCH = 2000, 2100

class ExamRecord(Frozen):
    """One USMLE Step as the profile records it."""

    status: ExamStatus = "not-taken"
    date: Day | None = None
    score: Annotated[StrictInt, Field(ge=1, le=300)] | None = None

    @model_validator(mode="after")
    def _date_when_needed(self) -> Self:
        if self.status in ("passed", "scheduled") and self.date is None:
            raise ValueError(f"date: a {self.status} exam needs its test date")
        return self


class EnglishScores(Frozen):
    """English tests the user holds."""

    toefl_ibt: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    ielts: IeltsBand | None = None
    oet: StrictBool | None = None
    tested: Day | None = None


class VisaStatus(Frozen):
    """The visa the user holds and their consulate's interview wait."""

    holds: VisaHeld = "none"
    consulate_wait_weeks: Annotated[StrictInt, Field(ge=0, le=104)] | None = None


class Profile(Frozen):
    """The user: training stage, exams, English, citizenship and visa."""

    schema_: Annotated[StrictInt, Field(alias="schema", ge=1, le=1)]
    name: StrictStr | None = None
    stage: Stage
    graduation: Day
    final_year_from: Day | None = None
    citizenship: Citizenship
    us_status: UsStatus = "none"
    seeking_residency: StrictBool | None = None
    target_match: Annotated[StrictInt, Field(ge=FIRST_MATCH, le=LAST_MATCH)] | None = None
    specialties: tuple[Slug, ...] = ()
    english_medium_school: StrictBool | None = None
    ecfmg_certified: StrictBool | None = None
    budget_usd: Usd | None = None
    step1: ExamRecord | None = None
    step2ck: ExamRecord | None = None
    english: EnglishScores | None = None
    visa: VisaStatus | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    @property
    def citizenships(self) -> tuple[str, ...]:
        """Return every citizenship the user holds."""
        return (self.citizenship,) if isinstance(self.citizenship, str) else self.citizenship

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        step1 = self.step1
        if step1 and step1.score is not None and step1.date and step1.date >= STEP1_PASS_FAIL_FROM:
            raise ValueError(
                "step1.score: Step 1 taken on or after 2022-01-26 is pass/fail; remove the score"
            )
        if self.final_year_from is not None and self.final_year_from >= self.graduation:
            raise ValueError("final_year_from: must be before graduation")
        return self
