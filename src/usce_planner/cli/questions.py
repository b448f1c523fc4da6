"""The questions of ``usce profile init``, each answer checked as soon as it is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.console import Console
from rich.prompt import Prompt

from usce_planner.errors import PlannerError
from usce_planner.models.base import STEP1_PASS_FAIL_FROM
from usce_planner.storage.profile_file import check_field, parse_value


@dataclass(frozen=True)
class Question:
    """One question: the profile key it fills, the prompt, and its default."""

    key: str
    prompt: str
    default: str = ""
    choices: tuple[str, ...] = ()
    optional: bool = False
    # An answer that equals the file's own default is not written.
    unstored: str | None = None


EXAM_STATUSES = ("not-taken", "scheduled", "passed", "failed")
QUESTIONS = (
    Question("name", "Your name", optional=True),
    Question(
        "stage", "Where are you in training", "graduate", ("student", "graduate", "physician")
    ),
    Question("graduation", "Graduation date, actual or expected (YYYY-MM-DD)"),
    Question("citizenship", "Citizenship, ISO code such as IN (several: IN,GB)"),
    Question(
        "us_status",
        "US citizen or permanent resident",
        "none",
        ("none", "citizen", "permanent-resident"),
        unstored="none",
    ),
    Question("seeking_residency", "Are you seeking a US residency", "yes", ("yes", "no")),
    Question("target_match", "March Match year you aim for (blank if unsure)", optional=True),
    Question("specialties", "Specialties of interest, comma-separated (blank: any)", optional=True),
    # No default: a quiet "yes" would waive English tests the user may need.
    Question("english_medium_school", "Does your school teach in English", "", ("yes", "no")),
    Question("step1.status", "USMLE Step 1", "not-taken", EXAM_STATUSES, unstored="not-taken"),
    Question("step1.date", "Step 1 test date (YYYY-MM-DD)"),
    Question("step1.score", "Step 1 score (blank if none)", optional=True),
    Question("step2ck.status", "USMLE Step 2 CK", "not-taken", EXAM_STATUSES, unstored="not-taken"),
    Question("step2ck.date", "Step 2 CK test date (YYYY-MM-DD)"),
    Question("step2ck.score", "Step 2 CK score (blank if not yet known)", optional=True),
    Question("english.toefl_ibt", "TOEFL iBT total (blank if none)", optional=True),
    Question("english.ielts", "IELTS overall band (blank if none)", optional=True),
    Question(
        "visa.holds", "US visa you hold (none, b1-b2, esta, j1, ...)", "none", unstored="none"
    ),
    Question(
        "visa.consulate_wait_weeks", "Consulate interview wait in weeks (blank: 12)", optional=True
    ),
)


def ask_profile_questions(no_color: bool, only: Sequence[str] | None = None) -> dict[str, str]:
    """Ask the questions (or just ``only``) and return the answers as text, by profile key."""
    console = Console(stderr=True, no_color=True if no_color else None, highlight=False)
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        if only is not None and question.key not in only:
            continue
        if only is None and not _is_relevant(question.key, answers):
            continue
        answer = _ask(console, question)
        if answer and answer != question.unstored:
            answers[question.key] = answer
    return answers


def _is_relevant(key: str, answers: dict[str, str]) -> bool:
    exam, _, leaf = key.partition(".")
    if exam in ("step1", "step2ck") and leaf in ("date", "score"):
        status = answers.get(f"{exam}.status", "not-taken")
        if leaf == "date":
            return status != "not-taken"
        if status != "passed":
            return False
        # Step 1 has had no numeric score since it became pass/fail.
        return exam == "step2ck" or _day(answers.get("step1.date")) < STEP1_PASS_FAIL_FROM
    return True


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return date.max


def _ask(console: Console, question: Question) -> str:
    while True:
        try:
            text = Prompt.ask(
                question.prompt,
                console=console,
                default=question.default,
                choices=list(question.choices) or None,
                case_sensitive=False,
                show_default=bool(question.default),
            )
        except EOFError:
            raise PlannerError(
                f"profile init: no answer for {question.key} (input ended); nothing was saved. "
                "Scripts can give --stage, --graduation and --citizenship as flags"
            ) from None
        text = text.strip()
        if not text and question.optional:
            return ""
        try:
            if not text:
                raise PlannerError(f"{question.key}: an answer is needed")
            value = parse_value(question.key, _yes_no(text, question))
            check_field(question.key, value)
        except PlannerError as exc:
            console.print(str(exc), markup=False, style="red")
            continue
        return _yes_no(text, question)


def _yes_no(text: str, question: Question) -> str:
    if question.choices == ("yes", "no"):
        return "true" if text.lower() in ("yes", "y") else "false"
    return text.lower() if question.choices else text
