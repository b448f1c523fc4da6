"""The constraint matrix of the selection model, built in one go with numpy.

Columns: one binary per allowed candidate (0..n-1), then the visa binary y (n), then the
latest-last-day integer L (n+1). Every row is gathered as (row, column, value) triplets and
turned into one column-wise matrix, so a 50,000-candidate catalog costs a few array passes
rather than one call per coefficient.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from usce_planner.suggest.feasibility import effective_budget
from usce_planner.suggest.values import Candidate, Settings

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
INF = float("inf")


@dataclass(frozen=True)
class Matrix:
    """A column-wise constraint matrix with its row bounds and the columns' bounds."""

    num_cols: int
    col_upper: Floats
    row_lower: Floats
    row_upper: Floats
    starts: Ints
    indices: Ints
    values: Floats


@dataclass
class _Rows:
    """Triplets and bounds gathered block by block; each block appends its rows."""

    rows: list[Ints]
    cols: list[Ints]
    values: list[Floats]
    lower: list[Floats]
    upper: list[Floats]
    count: int = 0

    def add(self, rows: Ints, cols: Ints, values: Floats, lower: Floats, upper: Floats) -> None:
        """Append a block whose row numbers count from 0 within the block."""
        self.rows.append(rows + self.count)
        self.cols.append(cols)
        self.values.append(values)
        self.lower.append(lower)
        self.upper.append(upper)
        self.count += len(lower)


def day_numbers(candidates: Sequence[Candidate]) -> tuple[Ints, Ints, int]:
    """Starts and last days as day numbers from one before the earliest start, and that origin."""
    origin = min(c.start for c in candidates).toordinal() - 1
    starts = np.fromiter((c.start.toordinal() for c in candidates), np.int64, len(candidates))
    lasts = starts + 7 * np.fromiter((c.weeks for c in candidates), np.int64, len(candidates)) - 1
    return starts - origin, lasts - origin, origin


def build_matrix(candidates: Sequence[Candidate], settings: Settings) -> Matrix:
    """Gather every constraint of a selection into one matrix."""
    n = len(candidates)
    starts, lasts, _ = day_numbers(candidates)
    programs = np.unique([c.program for c in candidates], return_inverse=True)[1].astype(np.int64)
    gathered = _Rows([], [], [], [], [])
    _add_covering_rows(gathered, starts, lasts + settings.gap_days)
    _add_program_rows(gathered, programs, np.ones(n), 0.0, 1.0)
    # At most one rotation per program, so each program's row holds the day of the one chosen.
    _add_program_rows(gathered, programs, -lasts.astype(np.float64), 0.0, INF, extra_col=n + 1)
    _add_visa_rows(gathered, candidates, programs)
    _add_limit_rows(gathered, candidates, settings)
    col_upper = np.ones(n + 2)
    col_upper[n + 1] = float(lasts.max())
    return _column_wise(gathered, n + 2, col_upper)


def _add_covering_rows(gathered: _Rows, starts: Ints, reaches: Ints) -> None:
    """At most one chosen candidate on each day, its gap days included.

    A candidate covers [start, reach]. Conflicting candidates share the later one's start
    day, so rows at start days suffice; a start day's set is kept only when some cover ends
    before the next start day, else the next day's set contains it and says more.
    """
    days = np.unique(starts)
    following = np.append(days[1:], np.iinfo(np.int64).max)
    ends = np.sort(reaches)
    first_end = np.searchsorted(ends, days, side="left")
    ends_before_next = ends[np.minimum(first_end, len(ends) - 1)] < following
    kept = days[(first_end < len(ends)) & ends_before_next]
    low = np.searchsorted(kept, starts, side="left")
    high = np.searchsorted(kept, reaches, side="right")
    counts = high - low
    cols = np.repeat(np.arange(len(starts), dtype=np.int64), counts)
    firsts = np.cumsum(counts) - counts
    offsets = np.arange(counts.sum(), dtype=np.int64) - np.repeat(firsts, counts)
    rows = np.repeat(low, counts) + offsets
    size = len(kept)
    gathered.add(rows, cols, np.ones(len(rows)), np.full(size, -INF), np.ones(size))


def _add_program_rows(
    gathered: _Rows,
    programs: Ints,
    coefficients: Floats,
    lower: float,
    upper: float,
    extra_col: int | None = None,
) -> None:
    """One row per program over its candidates, with an optional column in every row."""
    size = int(programs.max()) + 1
    rows, cols, values = programs, np.arange(len(programs), dtype=np.int64), coefficients
    if extra_col is not None:
        rows = np.concatenate([rows, np.arange(size, dtype=np.int64)])
        cols = np.concatenate([cols, np.full(size, extra_col, dtype=np.int64)])
        values = np.concatenate([values, np.ones(size)])
    gathered.add(rows, cols, values, np.full(size, lower), np.full(size, upper))


def _add_visa_rows(gathered: _Rows, candidates: Sequence[Candidate], programs: Ints) -> None:
    """Any chosen candidate needing a visa turns y on: per program, sum of those x ≤ y."""
    needs = np.fromiter((c.needs_visa for c in candidates), np.bool_, len(candidates))
    if not needs.any():
        return
    visa_programs, rows = np.unique(programs[needs], return_inverse=True)
    size = len(visa_programs)
    all_rows = np.concatenate([rows.astype(np.int64), np.arange(size, dtype=np.int64)])
    cols = np.concatenate([np.flatnonzero(needs), np.full(size, len(candidates), np.int64)])
    values = np.concatenate([np.ones(int(needs.sum())), -np.ones(size)])
    gathered.add(all_rows, cols, values, np.full(size, -INF), np.zeros(size))


def _add_limit_rows(gathered: _Rows, candidates: Sequence[Candidate], settings: Settings) -> None:
    """The --max row and the budget row (known costs plus the visa fee once)."""
    n = len(candidates)
    if settings.max_rotations is not None and settings.max_rotations < n:
        limit = float(max(settings.max_rotations, 0))
        cols = np.arange(n, dtype=np.int64)
        gathered.add(np.zeros(n, np.int64), cols, np.ones(n), np.array([-INF]), np.array([limit]))
    budget = effective_budget(settings)
    if budget is not None:
        costs = [float(c.cost_usd) for c in candidates] + [float(settings.visa_fee_usd)]
        cols = np.arange(n + 1, dtype=np.int64)
        row = np.zeros(n + 1, np.int64)
        gathered.add(row, cols, np.array(costs), np.array([-INF]), np.array([float(budget)]))


def _column_wise(gathered: _Rows, num_cols: int, col_upper: Floats) -> Matrix:
    """Sort the triplets by column into the compressed column form HiGHS takes."""
    rows = np.concatenate(gathered.rows)
    cols = np.concatenate(gathered.cols)
    values = np.concatenate(gathered.values)
    order = np.lexsort((rows, cols))
    starts = np.zeros(num_cols + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols, minlength=num_cols), out=starts[1:])
    return Matrix(
        num_cols=num_cols,
        col_upper=col_upper,
        row_lower=np.concatenate(gathered.lower),
        row_upper=np.concatenate(gathered.upper),
        starts=starts,
        indices=rows[order],
        values=values[order],
    )
