"""The questions of ``usce profile init``, each answer checked as soon as it is given."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rich.console import Console
from rich.prompt import Prompt
from rich.text import Text

from usce_planner.errors import PlannerError
from usce_planner.models.base import STEP1_PASS_FAIL_FROM
from usce_planner.storage.profile_file import check_field, parse_value

Answers = Mapping[str, str]

STAGES_EXPLAINED = (
    "student: enrolled in medical school (graduation is expected).\n\n"
    "graduate: holds the medical degree and is not a licensed, practising physician "
    "(an intern or house officer still in training counts here unless fully licensed).\n\n"
    "physician: holds a full (not provisional) licence to practise medicine in some country."
    "\n\nPrograms for physicians take only physicians; programs for graduates take graduates "
    "and physicians."
)
_STAGE_LINES = (
    "Your stage:",
    "  student    enrolled in medical school (graduation is expected)",
    "  graduate   holds the medical degree, not a licensed, practising physician",
    "             (an intern or house officer still in training counts here",
    "             unless fully licensed)",
    "  physician  holds a full (not provisional) licence to practise medicine",
    "             in some country",
)
_VWP_NOTE = (
    "ESTA covers most programs for Visa Waiver citizens, but some refuse ESTA and need a "
    "B-1/B-2 visa from a consulate."
)


@dataclass(frozen=True)
class Question:
    """One question: the profile key it fills, the prompt, its default and when it applies."""

    key: str
    prompt: str | Callable[[Answers], str]
    default: str = ""
    choices: tuple[str, ...] = ()
    optional: bool = False
    yes_no: bool = False
    # An answer that equals the file's own default is not written.
    unstored: str | None = None
    applies: Callable[[Answers], bool] = lambda answers: True
    # What to say when a needed answer is left blank.
    blank_hint: str = "an answer is needed"
    note: tuple[str, ...] = ()

    def text(self, answers: Answers) -> Text:
        """Return the prompt for these earlier answers (a Text: its brackets are not markup)."""
        prompt = self.prompt(answers) if callable(self.prompt) else self.prompt
        return Text(f"{prompt} [y/n]" if self.yes_no else prompt)


EXAM_STATUSES = ("not-taken", "scheduled", "passed", "failed")


def _is_student(answers: Answers) -> bool:
    return answers.get("stage") == "student"


def _exam_taken(exam: str) -> Callable[[Answers], bool]:
    return lambda answers: answers.get(f"{exam}.status", "not-taken") != "not-taken"


def _has_score(exam: str) -> Callable[[Answers], bool]:
    def applies(answers: Answers) -> bool:
        if answers.get(f"{exam}.status") != "passed":
            return False
        # Step 1 has had no numeric score since it became pass/fail.
        return exam == "step2ck" or _day(answers.get("step1.date")) < STEP1_PASS_FAIL_FROM

    return applies


def _date_hint(exam: str, name: str) -> str:
    return (
        f"a passed or booked {name} needs its test date; if you do not know the day, enter the "
        "first of the month (YYYY-MM-01) from your USMLE transcript or score report, and "
        f"correct it later with `usce profile set {exam}.date`"
    )


def _exam_questions(exam: str, name: str, score_prompt: str) -> tuple[Question, ...]:
    return (
        Question(
            f"{exam}.status", f"USMLE {name}", "not-taken", EXAM_STATUSES, unstored="not-taken"
        ),
        Question(
            f"{exam}.date",
            lambda answers: f"{name} test date (YYYY-MM-DD)"
            + (", blank if unknown" if answers.get(f"{exam}.status") == "failed" else ""),
            applies=_exam_taken(exam),
            blank_hint=_date_hint(exam, name),
        ),
        Question(f"{exam}.score", score_prompt, optional=True, applies=_has_score(exam)),
    )


QUESTIONS = (
    Question("name", "Your name", optional=True),
    Question(
        "stage",
        "Your stage",
        "graduate",
        ("student", "graduate", "physician"),
        note=_STAGE_LINES,
    ),
    Question(
        "graduation",
        lambda answers: (
            "Expected graduation date (YYYY-MM-DD)"
            if _is_student(answers)
            else "Graduation date (YYYY-MM-DD)"
        ),
    ),
    Question(
        "final_year_from",
        "When your final year starts, if not the 12 months before graduation "
        "(YYYY-MM-DD, blank: those 12 months)",
        optional=True,
        applies=_is_student,
    ),
    Question("citizenship", "Citizenship, ISO code such as IN (several: IN,GB)"),
    Question(
        "us_status",
        "US citizen or permanent resident",
        "none",
        ("none", "citizen", "permanent-resident"),
        unstored="none",
    ),
    Question("seeking_residency", "Are you seeking a US residency", "yes", yes_no=True),
    Question("target_match", "March Match year you aim for (blank if unsure)", optional=True),
    Question("specialties", "Specialties of interest, comma-separated (blank: any)", optional=True),
    # No default: a quiet "yes" would waive English tests the user may need.
    Question("english_medium_school", "Does your school teach in English", yes_no=True),
    Question(
        "ecfmg_certified",
        "Are you ECFMG certified (blank if unsure)",
        optional=True,
        yes_no=True,
        applies=lambda answers: not _is_student(answers),
    ),
    *_exam_questions("step1", "Step 1", "Step 1 score (blank if none)"),
    *_exam_questions("step2ck", "Step 2 CK", "Step 2 CK score (blank if not yet known)"),
    Question("english.toefl_ibt", "TOEFL iBT total (blank if none)", optional=True),
    Question("english.ielts", "IELTS overall band (blank if none)", optional=True),
    Question(
        "english.oet",
        "Have you passed the OET (Medicine) (blank if not taken)",
        optional=True,
        yes_no=True,
    ),
    Question(
        "english.tested",
        "Date of that English test (YYYY-MM-DD, blank if unsure)",
        optional=True,
        applies=lambda answers: any(
            key in answers for key in ("english.toefl_ibt", "english.ielts", "english.oet")
        ),
    ),
    Question(
        "visa.holds", "US visa you hold (none, b1-b2, esta, j1, ...)", "none", unstored="none"
    ),
    Question(
        "visa.consulate_wait_weeks",
        "Your consulate's wait for a visa interview, in weeks (blank: 12)",
        optional=True,
    ),
    Question("budget_usd", "Your budget for all rotations in USD (blank: none)", optional=True),
)


def ask_profile_questions(
    no_color: bool,
    today: date,
    visa_free: Collection[str],
    esta_countries: Collection[str],
    only: Sequence[str] | None = None,
) -> dict[str, str]:
    """Ask the questions (or just ``only``) and return the answers as text, by profile key.

    ``visa_free``: citizenships that never need a visa (no consulate wait is asked of them);
    ``esta_countries``: Visa Waiver citizenships, told why the consulate wait still matters.
    """
    console = Console(stderr=True, no_color=True if no_color else None, highlight=False)
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        if only is not None and question.key not in only:
            continue
        if only is None and not _applies(question, answers, visa_free):
            continue
        if question.key == "visa.consulate_wait_weeks" and _codes(answers) & set(esta_countries):
            console.print(_VWP_NOTE, markup=False)
        answer = _ask(console, question, answers, today)
        if answer and answer != question.unstored:
            answers[question.key] = answer
    return answers


def _applies(question: Question, answers: Answers, visa_free: Collection[str]) -> bool:
    if question.key == "visa.consulate_wait_weeks":
        # Someone who never needs a visa has no consulate wait to give.
        exempt = answers.get("us_status", "none") != "none" or _codes(answers) & set(visa_free)
        return not exempt
    return question.applies(answers)


def _codes(answers: Answers) -> set[str]:
    return {code.strip().upper() for code in answers.get("citizenship", "").split(",")}


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return date.max


def _ask(console: Console, question: Question, answers: Answers, today: date) -> str:
    for line in question.note:
        console.print(line, markup=False)
    while True:
        try:
            text = Prompt.ask(
                question.text(answers),
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
        try:
            return _checked(question, text, answers, today)
        except PlannerError as exc:
            console.print(str(exc), markup=False, style="red")


def _checked(question: Question, text: str, answers: Answers, today: date) -> str:
    """Return the answer as the profile stores it, or raise PlannerError saying what to enter."""
    key = question.key
    blank_ok = question.optional or (
        key.endswith(".date") and answers.get(key.replace(".date", ".status")) == "failed"
    )
    if not text:
        if blank_ok:
            return ""
        raise PlannerError(f"{key}: {question.blank_hint}")
    if question.yes_no:
        if text.lower() not in ("y", "yes", "n", "no"):
            raise PlannerError(f"{key}: answer y, n, yes or no")
        text = "true" if text.lower() in ("y", "yes") else "false"
    elif question.choices:
        text = text.lower()
    value = parse_value(key, text)
    check_field(key, value)
    _check_dates(key, value, answers, today)
    return text


def _check_dates(key: str, value: object, answers: Answers, today: date) -> None:
    if not isinstance(value, date):
        return
    if key == "final_year_from" and value >= _day(answers.get("graduation")):
        raise PlannerError(
            f"{key}: must be before graduation ({answers.get('graduation')}); "
            "leave it blank if your final year is the 12 months before graduation"
        )
    exam = key.removesuffix(".date")
    status = answers.get(f"{exam}.status")
    if key.endswith(".date") and status in ("passed", "failed") and value > today:
        raise PlannerError(
            f"{key}: a {status} exam cannot be dated after today ({today.isoformat()})"
        )
