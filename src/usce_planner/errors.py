"""Errors a user can fix; the CLI prints them without a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in a file: where it is (as far as known) and what is wrong."""

    message: str
    line: int | None = None
    column: int | None = None
    entry: str | None = None
    entry_kind: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.entry is not None:
            label = f"{self.entry_kind} '{self.entry}'" if self.entry_kind else f"'{self.entry}'"
            parts.append(label if self.line is None else f"{label} (line {self.line})")
        elif self.entry_kind is not None and self.line is not None:
            parts.append(f"{self.entry_kind} at line {self.line}")
        elif self.line is not None:
            where = f"line {self.line}"
            parts.append(where if self.column is None else f"{where}, column {self.column}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class PlannerError(Exception):
    """A problem the user can fix; the CLI prints it as ``Error: …`` and exits 1."""

    def lines(self) -> list[str]:
        """Return the ``Error:`` lines to print, without the prefix on continuation lines."""
        return [f"Error: {self}"]


class FileProblemsError(PlannerError):
    """One or more problems in one user file, each naming its place."""

    def __init__(self, path: Path | str, problems: Sequence[Problem], hint: str = "") -> None:
        self.path = str(path)
        self.problems = list(problems)
        self.hint = hint
        super().__init__(self._summary())

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return f"{self.path}: {self.problems[0]}"
        return f"{self.path}: {len(self.problems)} problems"

    def lines(self) -> list[str]:
        out = [f"Error: {self._summary()}"]
        if len(self.problems) > 1:
            out += [f"  {problem}" for problem in self.problems]
        if self.hint:
            out.append(self.hint)
        return out


class CatalogError(FileProblemsError):
    """A catalog file that cannot be read or fails validation."""


class ProfileError(FileProblemsError):
    """A profile file that cannot be read or fails validation."""


class NotFoundError(PlannerError):
    """A program id, key or file the user named does not exist."""


class FieldError(PlannerError):
    """One profile field given a value it cannot take (from the command line or a question)."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}")

    def in_file(self, path: Path) -> ProfileError:
        """Return the same problem as an error about the profile at ``path``."""
        return ProfileError(path, [Problem(self.message, field=self.key)])


class PlanError(FileProblemsError):
    """A plan file that cannot be read or fails validation."""


class RulesError(FileProblemsError):
    """The rules file cannot be read or fails validation."""
