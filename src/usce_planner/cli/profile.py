"""``usce profile init|show|set``: the user's training, exams, English and visa."""

from __future__ import annotations

from typing import Annotated

import typer

from usce_planner.app.profile import (
    check_profile_answers,
    create_profile,
    profile_json,
    profile_notices,
    set_profile_fields,
    show_profile,
)
from usce_planner.cli.options import COMMON_HELP, CommonOptions
from usce_planner.cli.output import (
    print_json,
    print_messages,
    print_renderable,
)
from usce_planner.cli.questions import STAGES_EXPLAINED, ask_profile_questions
from usce_planner.cli.render.tables import profile_view
from usce_planner.errors import PlannerError
from usce_planner.storage.profile_file import SETTABLE_KEYS, apply_changes
from usce_planner.storage.rules_file import shipped_rules

profile_app = typer.Typer(
    name="profile",
    help="Create, show and change your profile.",
    epilog="Example: usce profile init, then usce profile show",
    no_args_is_help=True,
)
REQUIRED = ("stage", "graduation", "citizenship")
Flag = typer.Option


@profile_app.command(
    "init",
    epilog=(
        "Examples: usce profile init   (answers questions)\n\n"
        "usce profile init --stage graduate --graduation 2024-06-30 --citizenship IN "
        "--step1 passed --step1-date 2023-03-10 --oet --budget-usd 8000\n\n"
        f"Stages:\n\n{STAGES_EXPLAINED}\n\n" + COMMON_HELP
    ),
)
def init(
    ctx: typer.Context,
    name: Annotated[str | None, Flag(metavar="TEXT", help="Your name (optional).")] = None,
    stage: Annotated[
        str | None,
        Flag(
            metavar="STAGE",
            help="student (in medical school), graduate (degree, not a fully licensed "
            "physician; interns count here) or physician (full licence); see below.",
        ),
    ] = None,
    graduation: Annotated[
        str | None, Flag(metavar="DATE", help="Graduation date, actual or expected (YYYY-MM-DD).")
    ] = None,
    final_year_from: Annotated[
        str | None,
        Flag(
            metavar="DATE",
            help="Students: when the final year starts, if not the 12 months before graduation.",
        ),
    ] = None,
    citizenship: Annotated[
        str | None, Flag(metavar="CODES", help="ISO country code(s), comma-separated: IN or IN,GB.")
    ] = None,
    us_status: Annotated[
        str | None, Flag(metavar="STATUS", help="none, citizen or permanent-resident (of the US).")
    ] = None,
    seeking_residency: Annotated[
        bool | None,
        Flag(
            "--seeking-residency/--not-seeking-residency", help="Whether you seek a US residency."
        ),
    ] = None,
    target_match: Annotated[
        int | None, Flag(metavar="YEAR", help="The March Match year you aim for.")
    ] = None,
    specialty: Annotated[
        str | None, Flag(metavar="SLUGS", help="Specialties of interest, comma-separated.")
    ] = None,
    english_medium_school: Annotated[
        bool | None,
        Flag(
            "--english-medium-school/--not-english-medium-school",
            help="Your school teaches in English.",
        ),
    ] = None,
    ecfmg_certified: Annotated[
        bool | None,
        Flag("--ecfmg-certified/--no-ecfmg-certified", help="Whether you are ECFMG certified."),
    ] = None,
    step1: Annotated[
        str | None, Flag(metavar="STATUS", help="Step 1: not-taken, scheduled, passed or failed.")
    ] = None,
    step1_date: Annotated[
        str | None, Flag(metavar="DATE", help="Step 1 test date (YYYY-MM-DD).")
    ] = None,
    step1_score: Annotated[
        int | None, Flag(metavar="N", help="Step 1 score (only before 2022-01-26).")
    ] = None,
    step2ck: Annotated[
        str | None,
        Flag(metavar="STATUS", help="Step 2 CK: not-taken, scheduled, passed or failed."),
    ] = None,
    step2ck_date: Annotated[
        str | None, Flag(metavar="DATE", help="Step 2 CK test date (YYYY-MM-DD).")
    ] = None,
    step2ck_score: Annotated[int | None, Flag(metavar="N", help="Step 2 CK score.")] = None,
    toefl_ibt: Annotated[int | None, Flag(metavar="N", help="TOEFL iBT total.")] = None,
    ielts: Annotated[float | None, Flag(metavar="N", help="IELTS overall band.")] = None,
    oet: Annotated[
        bool | None, Flag("--oet/--no-oet", help="Whether you passed the OET (Medicine).")
    ] = None,
    english_tested: Annotated[
        str | None, Flag(metavar="DATE", help="Date of your English test (YYYY-MM-DD).")
    ] = None,
    visa: Annotated[
        str | None, Flag(metavar="VISA", help="US visa you hold (b1-b2, esta, ...) or none.")
    ] = None,
    consulate_wait_weeks: Annotated[
        int | None, Flag(metavar="N", help="Your consulate's interview wait in weeks.")
    ] = None,
    budget_usd: Annotated[int | None, Flag(metavar="N", help="Your budget in USD.")] = None,
    force: Annotated[
        bool, Flag("--force", help="Replace an existing profile (kept as .bak).")
    ] = False,
) -> None:
    """Create your profile: by questions (with no flags), or from flags for scripts.

    The questions explain each choice, check each answer at once, take y/n for yes/no, and
    skip what cannot apply to you; with flags, only a missing --stage, --graduation or
    --citizenship is asked.
    """
    options: CommonOptions = ctx.obj
    given = {
        "name": name,
        "stage": stage,
        "us_status": us_status,
        "graduation": graduation,
        "final_year_from": final_year_from,
        "citizenship": citizenship,
        "seeking_residency": seeking_residency,
        "target_match": target_match,
        "specialties": specialty,
        "english_medium_school": english_medium_school,
        "ecfmg_certified": ecfmg_certified,
        "step1.status": step1,
        "step1.date": step1_date,
        "step1.score": step1_score,
        "step2ck.status": step2ck,
        "step2ck.date": step2ck_date,
        "step2ck.score": step2ck_score,
        "english.toefl_ibt": toefl_ibt,
        "english.ielts": ielts,
        "english.oet": oet,
        "english.tested": english_tested,
        "visa.holds": visa,
        "visa.consulate_wait_weeks": consulate_wait_weeks,
        "budget_usd": budget_usd,
    }
    answers = {key: _as_text(value) for key, value in given.items() if value is not None}
    session = options.session()
    if session.locations.profile.exists() and not force:
        raise PlannerError(
            f"{session.locations.profile}: a profile exists already; use --force to replace it"
        )
    check_profile_answers(session, answers)
    missing = [key for key in REQUIRED if key not in answers]
    if not answers or missing:
        rules = shipped_rules(session.locations.cache)
        answers |= ask_profile_questions(
            options.no_color,
            session.today,
            rules.countries("visa_free_citizenships"),
            rules.countries("vwp_countries"),
            only=missing if answers else None,
        )
    profile = create_profile(session, apply_changes({}, list(answers.items()), []), force)
    print_messages([f"Saved the profile to {session.locations.profile}"])
    print_messages(profile_notices(profile, session.today))
    if options.json:
        print_json(profile_json(profile))


@profile_app.command("show", epilog=f"Example: usce profile show --json\n\n{COMMON_HELP}")
def show(ctx: typer.Context) -> None:
    """Show your profile."""
    options: CommonOptions = ctx.obj
    profile = show_profile(options.session())
    if options.json:
        print_json(profile_json(profile))
        return
    print_renderable(profile_view(profile), options.no_color)


@profile_app.command(
    "set",
    # Values such as -1 must reach the command, which then names the field they are wrong for.
    context_settings={"ignore_unknown_options": True},
    epilog=(
        "Examples: usce profile set step1.status passed step1.date 2026-05-10\n\n"
        "usce profile set specialties internal-medicine,neurology --unset target_match\n\n"
        f"Keys: {', '.join(sorted(SETTABLE_KEYS))}.\n\n" + COMMON_HELP
    ),
)
def set_fields(
    ctx: typer.Context,
    pairs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="KEY VALUE...",
            help="Keys and values, alternating; dotted keys such as step1.date.",
        ),
    ] = None,
    unset: Annotated[
        list[str] | None, Flag("--unset", metavar="KEY", help="Remove a key; repeatable.")
    ] = None,
) -> None:
    """Change profile fields; the whole profile is checked before anything is written."""
    options: CommonOptions = ctx.obj
    words = pairs or []
    if len(words) % 2:
        raise typer.BadParameter(f"'{words[-1]}' has no value; give KEY VALUE pairs")
    if not words and not unset:
        raise typer.BadParameter("give KEY VALUE pairs or --unset KEY")
    assignments = list(zip(words[::2], words[1::2], strict=True))
    session = options.session()
    profile = set_profile_fields(session, assignments, unset or [])
    print_messages([f"Saved the profile to {session.locations.profile}"])
    print_messages(profile_notices(profile, session.today))


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
