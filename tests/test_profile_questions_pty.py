"""``usce profile init`` by questions, answered in a pseudo-terminal as a person would."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

# (what the terminal shows, the answer then typed); None: nothing is typed (a note, an error).
Dialogue = list[tuple[str, str | None]]
TIMEOUT = 20.0


class Terminal:
    """A running ``usce profile init`` on a pseudo-terminal, and all it has written."""

    def __init__(self, home: Path) -> None:
        self.primary, secondary = os.openpty()
        env = {
            **os.environ,
            "USCE_HOME": str(home),
            "NO_COLOR": "1",
            "TERM": "dumb",
            "COLUMNS": "100",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "usce_planner", "profile", "init", "--today", "2026-12-06"],
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            env=env,
            close_fds=True,
        )
        os.close(secondary)
        self.transcript = ""
        self.seen = 0

    def expect(self, text: str) -> None:
        """Read until ``text`` appears after what was matched before."""
        while text not in self.transcript[self.seen :]:
            ready, _, _ = select.select([self.primary], [], [], TIMEOUT)
            assert ready, f"waited for {text!r}; the terminal shows:\n{self.transcript}"
            try:
                chunk = os.read(self.primary, 4096)
            except OSError:  # the process ended and closed the terminal
                chunk = b""
            assert chunk, f"ended before {text!r}; the terminal shows:\n{self.transcript}"
            self.transcript += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        self.seen += self.transcript[self.seen :].index(text) + len(text)

    def answer(self, text: str) -> None:
        os.write(self.primary, text.encode() + b"\n")

    def finish(self) -> int:
        self.expect("Saved the profile to")
        try:
            while select.select([self.primary], [], [], 2.0)[0]:
                chunk = os.read(self.primary, 4096)
                if not chunk:
                    break
                self.transcript += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        except OSError:
            pass
        code = self.process.wait(timeout=TIMEOUT)
        os.close(self.primary)
        return code


def converse(home: Path, dialogue: Dialogue) -> tuple[str, dict[str, Any]]:
    terminal = Terminal(home)
    try:
        for shown, typed in dialogue:
            terminal.expect(shown)
            if typed is not None:
                terminal.answer(typed)
        assert terminal.finish() == 0, terminal.transcript
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
            terminal.process.wait()
    stored = tomllib.loads((home / "profile.toml").read_text(encoding="utf-8"))
    return terminal.transcript, stored


def test_a_student_is_asked_for_the_final_year_and_not_for_ecfmg(tmp_path: Path) -> None:
    transcript, stored = converse(
        tmp_path,
        [
            ("Your name:", ""),
            ("physician  holds a full (not provisional) licence", None),
            ("Your stage [student/graduate/physician] (graduate):", "student"),
            ("Expected graduation date (YYYY-MM-DD):", "2027-06-30"),
            ("When your final year starts, if not the 12 months before graduation", "2027-07-01"),
            ("final_year_from: must be before graduation (2027-06-30)", None),
            ("When your final year starts", "2026-07-01"),
            ("Citizenship, ISO code such as IN (several: IN,GB):", "PK"),
            ("US citizen or permanent resident", ""),
            ("Are you seeking a US residency [y/n] (yes):", "maybe"),
            ("seeking_residency: answer y, n, yes or no", None),
            ("Are you seeking a US residency [y/n] (yes):", "Y"),
            ("March Match year you aim for (blank if unsure):", "2029"),
            ("Specialties of interest, comma-separated (blank: any):", "internal-medicine"),
            ("Does your school teach in English [y/n]:", "yes"),
            ("USMLE Step 1 [not-taken/scheduled/passed/failed] (not-taken):", "passed"),
            ("Step 1 test date (YYYY-MM-DD):", "2027-01-10"),
            ("step1.date: a passed exam cannot be dated after today (2026-12-06)", None),
            ("Step 1 test date (YYYY-MM-DD):", ""),
            ("enter the first of the month (YYYY-MM-01)", None),
            ("Step 1 test date (YYYY-MM-DD):", "2026-03-01"),
            ("USMLE Step 2 CK", ""),
            ("TOEFL iBT total (blank if none):", ""),
            ("IELTS overall band (blank if none):", ""),
            ("Have you passed the OET (Medicine) (blank if not taken) [y/n]:", ""),
            ("US visa you hold", ""),
            ("Your consulate's wait for a visa interview, in weeks (blank: 12):", "20"),
            ("Your budget for all rotations in USD (blank: none):", "6000"),
        ],
    )
    assert "ECFMG" not in transcript
    assert "ESTA covers most programs" not in transcript
    assert stored == {
        "schema": 1,
        "stage": "student",
        "graduation": date(2027, 6, 30),
        "final_year_from": date(2026, 7, 1),
        "citizenship": "PK",
        "seeking_residency": True,
        "target_match": 2029,
        "specialties": ["internal-medicine"],
        "english_medium_school": True,
        "budget_usd": 6000,
        "step1": {"status": "passed", "date": date(2026, 3, 1)},
        "visa": {"consulate_wait_weeks": 20},
    }


def test_a_graduate_on_esta_is_still_asked_for_the_consulate_wait(tmp_path: Path) -> None:
    transcript, stored = converse(
        tmp_path,
        [
            ("Your name:", "A. Graduate"),
            ("Your stage [student/graduate/physician] (graduate):", ""),
            ("Graduation date (YYYY-MM-DD):", "2024-06-30"),
            ("Citizenship, ISO code such as IN (several: IN,GB):", "gb"),
            ("US citizen or permanent resident", ""),
            ("Are you seeking a US residency [y/n] (yes):", ""),
            ("March Match year you aim for (blank if unsure):", ""),
            ("Specialties of interest", ""),
            ("Does your school teach in English [y/n]:", "y"),
            ("Are you ECFMG certified (blank if unsure) [y/n]:", "n"),
            ("USMLE Step 1 [not-taken/scheduled/passed/failed] (not-taken):", "passed"),
            ("Step 1 test date (YYYY-MM-DD):", "2023-05-02"),
            ("USMLE Step 2 CK [not-taken/scheduled/passed/failed] (not-taken):", "passed"),
            ("Step 2 CK test date (YYYY-MM-DD):", "2024-02-20"),
            ("Step 2 CK score (blank if not yet known):", "251"),
            ("TOEFL iBT total (blank if none):", ""),
            ("IELTS overall band (blank if none):", ""),
            ("Have you passed the OET (Medicine) (blank if not taken) [y/n]:", "y"),
            ("Date of that English test (YYYY-MM-DD, blank if unsure):", "2025-10-01"),
            ("US visa you hold (none, b1-b2, esta, j1, ...) (none):", "esta"),
            ("ESTA covers most programs for Visa Waiver citizens, but some refuse ESTA", None),
            ("Your consulate's wait for a visa interview, in weeks (blank: 12):", ""),
            ("Your budget for all rotations in USD (blank: none):", ""),
        ],
    )
    assert "final year" not in transcript
    assert stored == {
        "schema": 1,
        "name": "A. Graduate",
        "stage": "graduate",
        "graduation": date(2024, 6, 30),
        "citizenship": "GB",
        "seeking_residency": True,
        "english_medium_school": True,
        "ecfmg_certified": False,
        "step1": {"status": "passed", "date": date(2023, 5, 2)},
        "step2ck": {"status": "passed", "date": date(2024, 2, 20), "score": 251},
        "english": {"oet": True, "tested": date(2025, 10, 1)},
        "visa": {"holds": "esta"},
    }


def test_a_physician_who_never_needs_a_visa_is_not_asked_for_a_consulate(
    tmp_path: Path,
) -> None:
    transcript, stored = converse(
        tmp_path,
        [
            ("Your name:", ""),
            ("Your stage [student/graduate/physician] (graduate):", "physician"),
            ("Graduation date (YYYY-MM-DD):", "2015-06-30"),
            ("Citizenship, ISO code such as IN (several: IN,GB):", "CA"),
            ("US citizen or permanent resident", ""),
            ("Are you seeking a US residency [y/n] (yes):", "no"),
            ("March Match year you aim for (blank if unsure):", ""),
            ("Specialties of interest", "cardiology,neurology"),
            ("Does your school teach in English [y/n]:", "n"),
            ("Are you ECFMG certified (blank if unsure) [y/n]:", "yes"),
            ("USMLE Step 1", "passed"),
            ("Step 1 test date (YYYY-MM-DD):", "2019-04-01"),
            ("Step 1 score (blank if none):", "240"),
            ("USMLE Step 2 CK", "passed"),
            ("Step 2 CK test date (YYYY-MM-DD):", "2020-01-15"),
            ("Step 2 CK score (blank if not yet known):", ""),
            ("TOEFL iBT total (blank if none):", "110"),
            ("IELTS overall band (blank if none):", ""),
            ("Have you passed the OET (Medicine) (blank if not taken) [y/n]:", ""),
            ("Date of that English test (YYYY-MM-DD, blank if unsure):", ""),
            ("US visa you hold (none, b1-b2, esta, j1, ...) (none):", ""),
            ("Your budget for all rotations in USD (blank: none):", "12000"),
        ],
    )
    assert "consulate" not in transcript
    assert "final year" not in transcript
    assert stored == {
        "schema": 1,
        "stage": "physician",
        "graduation": date(2015, 6, 30),
        "citizenship": "CA",
        "seeking_residency": False,
        "specialties": ["cardiology", "neurology"],
        "english_medium_school": False,
        "ecfmg_certified": True,
        "budget_usd": 12000,
        "step1": {"status": "passed", "date": date(2019, 4, 1), "score": 240},
        "step2ck": {"status": "passed", "date": date(2020, 1, 15)},
        "english": {"toefl_ibt": 110},
    }
