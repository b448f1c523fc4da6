"""The values `usce suggest` reasons about: candidates, settings and what the search returns."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

# The key a candidate is known and ranked by: start, then program id, then weeks.
CandidateKey = tuple[date, str, int]


@dataclass(frozen=True)
class Candidate:
    """One rotation the applicant could go for: a program, a start and a length."""

    program: str
    start: date
    weeks: int
    hands_on: bool | None
    # Counts toward the first objective: the program is in the applicant's specialties.
    in_specialty: bool
    letters_yes: bool
    # The known part of the cost; an unknown fee counts 0 here and sets cost_unknown.
    cost_usd: int
    cost_unknown: bool
    # On the consulate/ESTA route with a visa the saved plan does not already pay for.
    needs_visa: bool
    # What applying alone costs (application and VSLO fees): the price of listing it as a backup.
    application_usd: int = 0
    # start + 7 x weeks - 1, worked out once: every check and the model read it many times.
    last_day: date = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Refuse lengths and costs no catalog can produce, and work out the last day."""
        if self.weeks < 1:
            raise ValueError(f"{self.program} {self.start}: weeks must be at least 1")
        if self.cost_usd < 0 or self.application_usd < 0:
            raise ValueError(f"{self.program} {self.start}: costs cannot be negative")
        # A frozen dataclass sets its derived fields this way; the value depends on start and weeks.
        object.__setattr__(self, "last_day", self.start + timedelta(days=7 * self.weeks - 1))

    @property
    def key(self) -> CandidateKey:
        """Identify and rank a candidate the same way in the model, the backups and the tests."""
        return (self.start, self.program, self.weeks)


@dataclass(frozen=True)
class Busy:
    """Days a saved live rotation already takes: no chosen candidate may come near them."""

    start: date
    last_day: date


@dataclass(frozen=True)
class Settings:
    """The user's limits on a selection and on the search."""

    # Free days required between one rotation's last day and the next one's start.
    gap_days: int = 0
    max_rotations: int | None = None
    budget_usd: int | None = None
    # Added once when any chosen candidate needs a visa.
    visa_fee_usd: int = 0
    time_limit_seconds: float = 10.0
    backups_per_rotation: int = 2


@dataclass(frozen=True)
class Problem:
    """Everything the search needs, in plain values."""

    candidates: Sequence[Candidate]
    busy: Sequence[Busy] = ()
    # Weeks each program still allows (its max_weeks less the saved plan's); absent = no limit.
    weeks_left: Mapping[str, int] = field(default_factory=dict)
    settings: Settings = Settings()


@dataclass(frozen=True)
class Figures:
    """A selection's objective figures, in the order selections are compared."""

    specialty_hands_on_weeks: int
    hands_on_weeks: int
    letters: int
    weeks: int
    unknown_cost_rotations: int
    # Known costs plus the visa fee once, when a chosen rotation needs a visa.
    cost_usd: int
    # The last day of the latest rotation; None for an empty selection.
    last_day: date | None

    def sort_key(self) -> tuple[int, int, int, int, int, int, int]:
        """Order selections best first: more of the first four figures, less of the rest."""
        last = self.last_day.toordinal() if self.last_day is not None else 0
        return (
            -self.specialty_hands_on_weeks,
            -self.hands_on_weeks,
            -self.letters,
            -self.weeks,
            self.unknown_cost_rotations,
            self.cost_usd,
            last,
        )


@dataclass(frozen=True)
class Selection:
    """The best selection the solver found, and how sure it is."""

    chosen: tuple[Candidate, ...]
    figures: Figures
    # True only when every stage proved its value.
    optimal: bool
    # The solver's bound on the first stage it did not prove, in that figure's units.
    bound: float | None
    # That stage's figure name (a Figures field or "rank"), so the caller can word the bound.
    unproved_stage: str | None


@dataclass(frozen=True)
class Slot:
    """A chosen rotation and the candidates worth applying to in case it says no."""

    rotation: Candidate
    backups: tuple[Candidate, ...]


@dataclass(frozen=True)
class Suggestion:
    """The answer to `usce suggest`: the selection with its backups."""

    selection: Selection
    slots: tuple[Slot, ...]
    # What applying to every listed backup as well adds.
    backup_application_usd: int


def figures_of(chosen: Sequence[Candidate], visa_fee_usd: int) -> Figures:
    """Score a selection the way the solver's stages do, so backups and answers compare alike."""
    hands_on = [c for c in chosen if c.hands_on is True]
    visa_fee = visa_fee_usd if any(c.needs_visa for c in chosen) else 0
    return Figures(
        specialty_hands_on_weeks=sum(c.weeks for c in hands_on if c.in_specialty),
        hands_on_weeks=sum(c.weeks for c in hands_on),
        letters=sum(1 for c in chosen if c.letters_yes),
        weeks=sum(c.weeks for c in chosen),
        unknown_cost_rotations=sum(1 for c in chosen if c.cost_unknown),
        cost_usd=sum(c.cost_usd for c in chosen) + visa_fee,
        last_day=max((c.last_day for c in chosen), default=None),
    )
