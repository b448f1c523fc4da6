"""The best selection, found by HiGHS one objective at a time (lexicographic stages)."""

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import highspy
import numpy as np

from usce_planner.suggest.feasibility import allowed_candidates
from usce_planner.suggest.matrix import INF, Floats, Ints, Matrix, build_matrix, day_numbers
from usce_planner.suggest.reduction import undominated
from usce_planner.suggest.values import Candidate, Problem, Selection, figures_of

# The stages in the order they are solved; each names the figure it settles.
STAGES = (
    "specialty_hands_on_weeks",
    "hands_on_weeks",
    "letters",
    "weeks",
    "unknown_cost_rotations",
    "cost_usd",
    "last_day",
    "rank",
)
# Figures the applicant wants more of; the model minimises their negation.
_MAXIMISED = frozenset(STAGES[:4])
_SEED = 20261206
# Every stage's objective is a whole number, so a gap under 1 proves the optimum.
_ABSOLUTE_GAP = 0.99


@dataclass(frozen=True)
class _StageResult:
    """What one stage's solve left: the values, their objective, and whether HiGHS proved it."""

    values: Floats
    objective: int
    proved: bool
    bound: float | None


def solve_selection(problem: Problem) -> Selection:
    """Find the best selection within the time limit, proved optimal where time allows."""
    deadline = time.monotonic() + problem.settings.time_limit_seconds
    candidates = undominated(allowed_candidates(problem), problem.settings)
    if not candidates:
        return Selection((), figures_of((), 0), optimal=True, bound=None, unproved_stage=None)
    highs = _new_highs(build_matrix(candidates, problem.settings))
    costs = _stage_costs(candidates, problem)
    values = np.zeros(len(candidates) + 2)
    unproved: tuple[str, float | None] | None = None
    for index, stage in enumerate(STAGES):
        _open_columns(highs, costs, index, len(candidates))
        result = _solve_stage(highs, costs[stage], values, deadline)
        values = result.values
        if not result.proved and unproved is None:
            unproved = (stage, _figure_bound(stage, result.bound, candidates))
        if stage != STAGES[-1]:
            _fix_objective(highs, costs[stage], result.objective)
    chosen = tuple(c for c, x in zip(candidates, values, strict=False) if x > 0.5)
    figures = figures_of(chosen, problem.settings.visa_fee_usd)
    if unproved is None:
        return Selection(chosen, figures, optimal=True, bound=None, unproved_stage=None)
    return Selection(chosen, figures, optimal=False, bound=unproved[1], unproved_stage=unproved[0])


def _open_columns(highs: highspy.Highs, costs: dict[str, Floats], index: int, n: int) -> None:
    """Offer a stage only the candidates that count for it, and presolve only where it pays.

    Every rule of a selection still holds when a candidate is dropped, so a candidate adding
    nothing to the figures maximised so far can be left out of those stages; from the weeks
    stage on every candidate adds something. Presolve then never sees the rest.
    """
    settled = STAGES[: index + 1]
    if not all(stage in _MAXIMISED for stage in settled):
        upper = np.ones(n)
    else:
        upper = np.any([costs[stage][:n] != 0 for stage in settled], axis=0).astype(np.float64)
    columns = np.arange(n, dtype=np.int32)
    _check(highs.changeColsBounds(n, columns, np.zeros(n), upper), "changeColsBounds")
    # Measured on catalog-sized problems: while columns are held back presolve pays for itself
    # (it proves the first stages at the root); once every column is back and the first
    # figures are fixed, the root LP settles each stage and presolve only costs time.
    highs.setOptionValue("presolve", "off" if index >= STAGES.index("weeks") else "choose")


def _new_highs(matrix: Matrix) -> highspy.Highs:
    """A quiet, single-threaded, seeded HiGHS holding the model, so each run repeats the last."""
    highs = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy leaves __init__ unannotated
    for name, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", _SEED),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", _ABSOLUTE_GAP),
    ):
        highs.setOptionValue(name, value)
    lp = highspy.HighsLp()
    lp.num_col_ = matrix.num_cols
    lp.num_row_ = len(matrix.row_lower)
    lp.col_cost_ = np.zeros(matrix.num_cols)
    lp.col_lower_ = np.zeros(matrix.num_cols)
    lp.col_upper_ = matrix.col_upper
    lp.row_lower_ = matrix.row_lower
    lp.row_upper_ = matrix.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.starts.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.values
    lp.integrality_ = [highspy.HighsVarType.kInteger] * matrix.num_cols
    _check(highs.passModel(lp), "passModel")
    return highs


def _stage_costs(candidates: Sequence[Candidate], problem: Problem) -> dict[str, Floats]:
    """Each stage's objective as a cost on every column, all minimised."""
    n = len(candidates)
    hands_on = np.array([c.hands_on is True for c in candidates])
    weeks = np.array([float(c.weeks) for c in candidates])
    specialty = np.array([c.in_specialty for c in candidates])
    per_candidate: dict[str, Floats] = {
        "specialty_hands_on_weeks": -weeks * (hands_on & specialty),
        "hands_on_weeks": -weeks * hands_on,
        "letters": -np.array([float(c.letters_yes) for c in candidates]),
        "weeks": -weeks,
        "unknown_cost_rotations": np.array([float(c.cost_unknown) for c in candidates]),
        "cost_usd": np.array([float(c.cost_usd) for c in candidates]),
        "last_day": np.zeros(n),
        "rank": _ranks(candidates, problem),
    }
    costs = {stage: np.concatenate([cost, np.zeros(2)]) for stage, cost in per_candidate.items()}
    costs["cost_usd"][n] = float(problem.settings.visa_fee_usd)
    costs["last_day"][n + 1] = 1.0
    return costs


def _ranks(candidates: Sequence[Candidate], problem: Problem) -> Floats:
    """Each allowed candidate's position (from 1) among all candidates by start, program, weeks."""
    position = {key: rank for rank, key in enumerate(sorted(c.key for c in problem.candidates), 1)}
    return np.array([float(position[c.key]) for c in candidates])


def _solve_stage(
    highs: highspy.Highs, cost: Floats, start: Floats, deadline: float
) -> _StageResult:
    """Run one stage from the last stage's answer, which stays feasible once its value is fixed."""
    columns = np.arange(len(cost), dtype=np.int32)
    _check(highs.changeColsCost(len(cost), columns, cost), "changeColsCost")
    highs.setOptionValue("time_limit", max(deadline - time.monotonic(), 0.0))
    _check(highs.setSolution(len(cost), columns, start), "setSolution")
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    if info.primal_solution_status != highspy.kSolutionStatusFeasible:
        # The start is always feasible, so this is a solver fault worth seeing, not a user error.
        raise RuntimeError(f"HiGHS found no selection: {highs.modelStatusToString(status)}")
    values: Floats = np.rint(np.asarray(highs.getSolution().col_value, dtype=np.float64))
    proved = status == highspy.HighsModelStatus.kOptimal
    bound = None if proved or not math.isfinite(info.mip_dual_bound) else info.mip_dual_bound
    return _StageResult(values, round(float(cost @ values)), proved, bound)


def _fix_objective(highs: highspy.Highs, cost: Floats, objective: int) -> None:
    """Keep a settled stage's value in every later stage."""
    columns: Ints = np.flatnonzero(cost)
    if len(columns) == 0:
        return
    indices = columns.astype(np.int32)
    _check(highs.addRow(-INF, float(objective), len(columns), indices, cost[columns]), "addRow")


def _figure_bound(stage: str, bound: float | None, candidates: Sequence[Candidate]) -> float | None:
    """Turn a stage's bound into its figure's units: maximised figures undo the negation."""
    if bound is None:
        return None
    # Every figure is a whole number, so the bound rounds inwards (after float noise).
    whole = math.ceil(bound - 1e-6)
    if stage in _MAXIMISED:
        return float(-whole)
    if stage == "last_day":
        # L counts days from the origin; the caller reads the bound as a date ordinal.
        return float(whole + day_numbers(candidates)[2])
    return float(whole)


def _check(status: highspy.HighsStatus, operation: str) -> None:
    """Stop on a HiGHS error: the model is built by code, so an error is a bug to show."""
    if status == highspy.HighsStatus.kError:
        raise RuntimeError(f"HiGHS {operation} failed")


def bound_as_date(bound: float) -> date:
    """Read a last_day bound (a lower bound on the date ordinal) as the earliest possible date."""
    return date.fromordinal(math.ceil(bound - 1e-6))
