"""The plan as an iCalendar file that calendars import and re-import without duplicates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from usce_planner import __version__
from usce_planner.milestone_notes import note_for
from usce_planner.models import Program
from usce_planner.rules import Rules
from usce_planner.schedule import Milestone
from usce_planner.text_safety import visible

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
DOMAIN = "usce-planner"
ALARMS = (timedelta(days=-7), timedelta(days=-1))


def sequence_for(dtstamp: datetime) -> int:
    """Return SEQUENCE: minutes since 2000-01-01T00:00Z, so a newer export always wins."""
    return int((dtstamp - EPOCH).total_seconds() // 60)


def event_uid(milestone: Milestone, token: str) -> str:
    """Return a UID that stays the same across exports of the same plan."""
    owner, _, suffix = milestone.id.rpartition(":")
    if milestone.rotation is not None:
        program, _, start = owner.partition("@")
        return f"{program}.{start}.{suffix}.{token}@{DOMAIN}"
    return f"{owner}.{suffix}.{token}@{DOMAIN}"


def to_ics(
    milestones: list[Milestone],
    programs: Mapping[str, Program],
    rules: Rules,
    token: str,
    dtstamp: datetime,
    reminders: bool = False,
) -> bytes:
    """Return the calendar: one all-day event per milestone, rotations as spans."""
    calendar = Calendar()
    calendar.add("prodid", f"-//usce//usce-planner {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "USCE plan")
    sequence = sequence_for(dtstamp)
    for milestone in milestones:
        program = programs.get(milestone.program or "")
        calendar.add_component(_event(milestone, program, rules, token, dtstamp, sequence))
        if reminders and milestone.kind != "rotation":
            calendar.add_component(_reminder(milestone, token, dtstamp, sequence))
    return bytes(calendar.to_ical())


def _event(
    milestone: Milestone,
    program: Program | None,
    rules: Rules,
    token: str,
    dtstamp: datetime,
    sequence: int,
) -> Event:
    event = Event()
    event.add("uid", event_uid(milestone, token))
    event.add("dtstamp", dtstamp)
    event.add("sequence", sequence)
    event.add("summary", visible(_summary(milestone)))
    event.add("dtstart", milestone.day)
    last = milestone.end if milestone.kind == "rotation" and milestone.end else milestone.day
    event.add("dtend", last + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    # Newlines stay (icalendar escapes them); every other control character is made visible.
    description = "\n".join(
        visible(line) for line in _description(milestone, program, rules).split("\n")
    )
    event.add("description", description)
    if milestone.kind != "rotation":
        for trigger in ALARMS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", trigger)
            alarm.add(
                "description", visible(f"usce: {milestone.title} on {milestone.day.isoformat()}")
            )
            event.add_component(alarm)
    return event


def _reminder(milestone: Milestone, token: str, dtstamp: datetime, sequence: int) -> Event:
    # For calendar services that drop alarms: a plain event a week before.
    day = milestone.day - timedelta(days=7)
    event = Event()
    event.add("uid", event_uid(milestone, token).replace(f"@{DOMAIN}", f".reminder@{DOMAIN}"))
    event.add("dtstamp", dtstamp)
    event.add("sequence", sequence)
    event.add("summary", visible(f"In 7 days: {_summary(milestone)}"))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("description", visible(f"Due {milestone.day.isoformat()}: {milestone.title}"))
    return event


def _summary(milestone: Milestone) -> str:
    if milestone.done is not None:
        return f"Done: {milestone.title}"
    if milestone.is_late:
        return f"LATE: {milestone.title}"
    return milestone.title


def _description(milestone: Milestone, program: Program | None, rules: Rules) -> str:
    note = note_for(milestone, program, rules)
    lines = [note.what, f"Why: {note.why}", f"Source: {note.source}"]
    if milestone.rotation:
        lines.append(f"Rotation: {milestone.rotation}")
    if milestone.is_late:
        lines.insert(0, f"LATE by {milestone.late_by_days} days.")
    if milestone.done is not None:
        lines.insert(0, f"Done {milestone.done.isoformat()}.")
    lines.append(f"Milestone: {milestone.id}")
    return "\n".join(lines)
