"""The smallest valid catalog entry and profile, as the dicts tomllib would give; tests extend them."""

from __future__ import annotations

from datetime import date
from typing import Any

BASE_PROGRAM: dict[str, Any] = {
    "id": "example-observer",
    "institution": "Example Hospital",
    "name": "Observership",
    "kind": "observership",
    "status": "open",
    "state": "NY",
    "source": "https://example.org/observe",
    "source_date": "2025",
    "verified": date(2026, 11, 25),
    "confidence": "high",
}
BASE_PROFILE: dict[str, Any] = {
    "schema": 1,
    "stage": "graduate",
    "graduation": date(2025, 6, 30),
    "citizenship": "IN",
}
