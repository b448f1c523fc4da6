"""Did you mean …? The closest existing names to a word the user got wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Close means a difflib ratio of at least 0.6 (product.md, section 8); at most three are named.
CUTOFF = 0.6
LIMIT = 3


def closest_names(word: str, names: Iterable[str]) -> list[str]:
    """Return up to three existing names closest to ``word``, the closest first."""
    return difflib.get_close_matches(word, sorted(set(names)), n=LIMIT, cutoff=CUTOFF)


def did_you_mean(word: str, names: Iterable[str]) -> str:
    """Return "; did you mean a, b or c?" for the closest names, or "" when none is close."""
    close = closest_names(word, names)
    if not close:
        return ""
    listed = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
    return f"; did you mean {listed}?"
