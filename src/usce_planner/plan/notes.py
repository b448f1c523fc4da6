"""What each milestone asks of the user, why, and the source of the rule behind its date."""

from __future__ import annotations

from dataclasses import dataclass

from usce_planner.models.catalog import Program
from usce_planner.models.rules import Rules
from usce_planner.plan.schedule import Milestone

# kind: (what to do, why, the rule whose source the date rests on; None: the program's page)
NOTES: dict[str, tuple[str, str, str | None]] = {
    "rotation": ("The rotation starts.", "Your rotation runs until its last day.", None),
    "apply": (
        "Send the application.",
        "The program's lead time or application window puts the application here.",
        None,
    ),
    "apply-deadline": (
        "Last day to apply at all.",
        "The program states a minimum lead time; later applications are not considered.",
        None,
    ),
    "documents": (
        "Have the transcript, immunization form, background check and CV ready.",
        "The home school and US vendors need time before you can apply.",
        "documents_before_apply",
    ),
    "letters-request": (
        "Ask your referees for the letters the application needs.",
        "Writers take about two weeks; this leaves room before the documents are due.",
        "letters_before_documents",
    ),
    "follow-up": (
        "Ask politely whether the application is complete and when a decision is due.",
        "Applications stall on missing items; three weeks is a courteous wait.",
        "follow_up_after_apply",
    ),
    "insurance": (
        "Send proof of health and liability insurance.",
        "Programs ask for it about 30 days before the start.",
        "insurance_before_start",
    ),
    "tb-test": (
        "Have a TB test (skin or blood) and its result.",
        "Programs want a TB test from within 90 days of the start.",
        "tb_test_before_start",
    ),
    "letter-ask": (
        "Ask your supervisor for a letter of recommendation.",
        "They still see your work; a letter asked for at the end is written sooner.",
        "letter_ask_before_end",
    ),
    "step1": (
        "Take USMLE Step 1 by this day.",
        "Its result (about 4 weeks) must be in before you apply.",
        "usmle_result_delay",
    ),
    "step2ck": (
        "Take USMLE Step 2 CK by this day.",
        "Its result (about 4 weeks) must be in before you apply.",
        "usmle_result_delay",
    ),
    "english": (
        "Take the English test (TOEFL, IELTS or OET) by this day.",
        "The result must be in with your documents.",
        "english_before_documents",
    ),
    "visa": (
        "Apply for ESTA, or book the visa interview at your consulate.",
        "You need it before you travel; interview waits are long.",
        "consulate_wait",
    ),
    "visa-esta": (
        "Apply for ESTA online (Visa Waiver Program; stays of 90 days or less).",
        "ESTA is usually decided within days; two weeks leaves room for a refusal.",
        "esta_lead",
    ),
    "visa-consulate": (
        "Book the visa interview at your consulate (the wait in your profile, plus processing).",
        "Interview waits are long; the visa must be in hand before you travel.",
        "consulate_wait",
    ),
    "exam": (
        "Your USMLE exam, as your profile records it (information, not a deadline).",
        "Keep the rotations clear of it; update the profile once you have the result.",
        "usmle_result_delay",
    ),
    "exam-result": (
        "Your USMLE result is expected about now (information, not a deadline).",
        "Programs that require the Step count it from the result, not the test day.",
        "usmle_result_delay",
    ),
    "eras-submit": (
        "ERAS opens for submissions.",
        "Applications submitted early are seen first.",
        "eras_submit_day",
    ),
    "usce-end-by": (
        "Finish your USCE by this day.",
        "US letters must be written, uploaded and processed before ERAS opens.",
        "usce_end_before_eras",
    ),
    "step2ck-by": (
        "Take Step 2 CK by this day.",
        "Its score should be on the application when programs start reviewing.",
        "step2ck_before_review",
    ),
}


@dataclass(frozen=True)
class Note:
    """What to do, why, and the source of the date's rule."""

    what: str
    why: str
    source: str


def note_for(milestone: Milestone, program: Program | None, rules: Rules) -> Note:
    """Return the note of one milestone."""
    kind = milestone.kind
    if kind == "visa":
        kind = "visa-esta" if "ESTA" in milestone.title else "visa-consulate"
    what, why, rule_key = NOTES[kind]
    if rule_key is None or (milestone.kind == "apply" and program and program.lead_time):
        source = program.source if program is not None else "the program's own page"
    else:
        rule = next(r for r in rules.entries if r.key == rule_key)
        source = rule.source
    if milestone.window_start is not None:
        what += f" Not before {milestone.window_start.isoformat()}."
    return Note(what, why, source)
