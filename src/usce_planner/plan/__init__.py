"""The plan: back-scheduled milestones, conflicts, warnings, totals, the example."""
