"""Exports of a plan: pure functions from the plan to bytes or text."""
