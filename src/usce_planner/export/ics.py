"""The plan as an iCalendar file that calendars import and re-import without duplicates.

Written line by line rather than through icalendar, which took a second for a hundred
rotations; the lines are the ones icalendar writes (the tests compare the two), but for one
case: a literal backslash-N in a text stays a backslash and an N, where icalendar made it a
line break.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from usce_planner import __version__
from usce_planner.models.catalog import Program
from usce_planner.models.rules import Rules
from usce_planner.plan.notes import note_for
from usce_planner.plan.schedule import Milestone
from usce_planner.text_safety import visible

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
DOMAIN = "usce-planner"
ALARMS = (timedelta(days=-7), timedelta(days=-1))
# Octets of one folded piece: icalendar writes 74, a continuation adds its leading space.
_PIECE = 74
_ESCAPES = ("\\", "^")


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
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(f'-//usce//usce-planner {__version__}//EN')}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:USCE plan",
    ]
    stamp = f"DTSTAMP:{dtstamp.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    sequence = f"SEQUENCE:{sequence_for(dtstamp)}"
    for milestone in milestones:
        program = programs.get(milestone.program or "")
        lines += _event(milestone, program, rules, token, stamp, sequence)
        if reminders and milestone.kind != "rotation":
            lines += _reminder(milestone, token, stamp, sequence)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def _event(
    milestone: Milestone,
    program: Program | None,
    rules: Rules,
    token: str,
    stamp: str,
    sequence: str,
) -> list[str]:
    # Properties in the order icalendar gives them, so that exports stay byte-stable.
    last = milestone.end if milestone.kind == "rotation" and milestone.end else milestone.day
    # Newlines stay (escaped as \n); every other control character is made visible.
    description = "\n".join(
        visible(line) for line in _description(milestone, program, rules).split("\n")
    )
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(visible(_summary(milestone)))}",
        f"DTSTART;VALUE=DATE:{_day(milestone.day)}",
        f"DTEND;VALUE=DATE:{_day(last + timedelta(days=1))}",
        stamp,
        f"UID:{_text(event_uid(milestone, token))}",
        sequence,
        f"DESCRIPTION:{_text(description)}",
        "TRANSP:TRANSPARENT",
    ]
    if milestone.kind != "rotation":
        said = _text(visible(f"usce: {milestone.title} on {milestone.day.isoformat()}"))
        for trigger in ALARMS:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{said}"]
            lines += [f"TRIGGER:-P{-trigger.days}D", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def _reminder(milestone: Milestone, token: str, stamp: str, sequence: str) -> list[str]:
    # For calendar services that drop alarms: a plain event a week before.
    day = milestone.day - timedelta(days=7)
    uid = event_uid(milestone, token).replace(f"@{DOMAIN}", f".reminder@{DOMAIN}")
    return [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(visible(f'In 7 days: {_summary(milestone)}'))}",
        f"DTSTART;VALUE=DATE:{_day(day)}",
        f"DTEND;VALUE=DATE:{_day(day + timedelta(days=1))}",
        stamp,
        f"UID:{_text(uid)}",
        sequence,
        f"DESCRIPTION:{_text(visible(f'Due {milestone.day.isoformat()}: {milestone.title}'))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 74 octets (RFC 5545 section 3.1).

    As icalendar folds: a piece never ends in a backslash or caret, so an escape stays whole.
    """
    if len(line) <= _PIECE and line.isascii():
        return line
    pieces = _ascii_pieces(line) if line.isascii() else _pieces(line)
    return "\r\n ".join(pieces)


def _ascii_pieces(line: str) -> list[str]:
    pieces, start = [], 0
    while len(line) - start > _PIECE:
        end = start + _PIECE
        if line[end - 1] in _ESCAPES:
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return pieces


def _pieces(line: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width > _PIECE:
            carried = [current.pop()] if len(current) > 1 and current[-1] in _ESCAPES else []
            pieces.append("".join(current))
            current = carried
            size = sum(len(c.encode("utf-8")) for c in carried)
        current.append(char)
        size += width
    pieces.append("".join(current))
    return pieces


def _text(value: str) -> str:
    # RFC 5545 TEXT: backslash first, so the escapes added after it are not doubled.
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


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
