"""Time `suggest` on a catalog-like random problem: `python -m tests.suggest.timing 1000`.

A note for the README and the benchmark, not a test: wall and processor seconds per phase.
"""

import sys
import time

from tests.suggest.instances import catalog_problem
from usce_planner.suggest import Settings, backup_application_usd, find_backups, solve_selection


def main() -> None:
    """Print how long each phase takes for the given number of programs and seed."""
    programs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    no_limits = len(sys.argv) > 3 and sys.argv[3] == "no-limits"
    settings = Settings(gap_days=2, visa_fee_usd=185) if no_limits else None
    problem = catalog_problem(programs, seed, settings)
    wall, cpu = time.perf_counter(), time.process_time()
    selection = solve_selection(problem)
    solved = time.perf_counter() - wall, time.process_time() - cpu
    slots = find_backups(problem, selection.chosen)
    total = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{programs} programs, seed {seed}, {len(problem.candidates)} candidates")
    print(f"solve: {solved[0]:.2f} s wall, {solved[1]:.2f} s processor; optimal={selection.optimal}")
    print(f"with backups: {total[0]:.2f} s wall, {total[1]:.2f} s processor")
    print(selection.figures, f"backups add ${backup_application_usd(slots)}")


if __name__ == "__main__":
    main()
