"""The plan as iCalendar components, built and serialized by the icalendar library.

Every component has a UID of its own that stays the same across exports of one plan, so a
calendar that imports a later file updates in place; what an earlier export wrote and the plan
no longer has is written again as cancelled (RFC 5545 STATUS:CANCELLED), so it disappears.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Component, Event, Todo

from usce_planner import __version__
from usce_planner.models.catalog import Program
from usce_planner.models.rules import Rules
from usce_planner.plan.notes import note_for
from usce_planner.plan.schedule import Milestone
from usce_planner.text_safety import visible

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
DOMAIN = "usce-planner"
ALARMS = (timedelta(days=-7), timedelta(days=-1))
REMINDER_DAYS = 7
PRODID = f"-//usce//usce-planner {__version__}//EN"
# A task done on a day is stamped at noon UTC, which is that same day from UTC-11 to UTC+11.
COMPLETED_AT = time(12, 0)


@dataclass(frozen=True)
class Exported:
    """What an earlier export wrote under one UID: its SEQUENCE, day and summary."""

    sequence: int
    day: date
    summary: str


@dataclass(frozen=True)
class CalendarOptions:
    """How to write the calendar, and what earlier exports of this plan wrote."""

    token: str
    dtstamp: datetime
    reminders: bool = False
    todos: bool = False
    exported: Mapping[str, Exported] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """One calendar component and what a later export needs to know about it."""

    uid: str
    component: Component
    record: Exported


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


def uid_with(uid: str, tag: str) -> str:
    """Return the UID of a reminder or todo: ``….TOKEN.TAG@usce-planner``."""
    return uid.replace(f"@{DOMAIN}", f".{tag}@{DOMAIN}")


def is_plan_uid(uid: str, token: str) -> bool:
    """Return True when the UID is one that an export of the plan with this token writes."""
    return any(uid.endswith(f".{token}{tag}@{DOMAIN}") for tag in ("", ".reminder", ".todo"))


def calendar_items(
    milestones: Iterable[Milestone],
    programs: Mapping[str, Program],
    rules: Rules,
    options: CalendarOptions,
) -> list[Item]:
    """Return the plan's components, then the cancellations of what it no longer has."""
    sequence = sequence_for(options.dtstamp)
    stamp = options.dtstamp.astimezone(UTC)
    items: list[Item] = []
    for milestone in milestones:
        program = programs.get(milestone.program or "")
        if options.todos and milestone.kind != "rotation":
            items.append(_todo(milestone, program, rules, options.token))
        else:
            items.append(_event(milestone, program, rules, options.token))
        if options.reminders and milestone.kind != "rotation" and milestone.done is None:
            items.append(_reminder(milestone, options.token))
    written = {item.uid for item in items}
    gone = sorted(
        (record.day, uid, record) for uid, record in options.exported.items() if uid not in written
    )
    items += [_cancelled(uid, record) for _, uid, record in gone]
    finished = []
    for item in items:
        # SEQUENCE never goes backwards, even for an export dated earlier (--today).
        earlier = options.exported.get(item.uid)
        number = sequence if earlier is None else max(sequence, earlier.sequence + 1)
        item.component.add("DTSTAMP", stamp)
        item.component.add("SEQUENCE", number)
        finished.append(Item(item.uid, item.component, replace(item.record, sequence=number)))
    return finished


def to_ics(items: Iterable[Item]) -> bytes:
    """Return one calendar file that holds every item (METHOD:PUBLISH, for importing)."""
    calendar = _calendar()
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", "USCE plan")
    for item in items:
        calendar.add_component(item.component)
    return bytes(calendar.to_ical())


def item_ics(item: Item) -> bytes:
    """Return the calendar file of one item, as a vdir or a CalDAV server keeps it (no METHOD)."""
    calendar = _calendar()
    calendar.add_component(item.component)
    return bytes(calendar.to_ical())


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", PRODID)
    return calendar


def _event(milestone: Milestone, program: Program | None, rules: Rules, token: str) -> Item:
    last = milestone.end if milestone.kind == "rotation" and milestone.end else milestone.day
    uid = event_uid(milestone, token)
    event = Event()
    event.add("UID", uid)
    event.add("SUMMARY", _text(_summary(milestone)))
    event.add("DTSTART", milestone.day)
    event.add("DTEND", last + timedelta(days=1))
    event.add("DESCRIPTION", _description(milestone, program, rules))
    event.add("TRANSP", "TRANSPARENT")
    if milestone.kind != "rotation" and milestone.done is None:
        _add_alarms(event, milestone, related_to_end=False)
    return Item(uid, event, Exported(0, milestone.day, _text(milestone.title)))


def _todo(milestone: Milestone, program: Program | None, rules: Rules, token: str) -> Item:
    uid = uid_with(event_uid(milestone, token), "todo")
    todo = Todo()
    todo.add("UID", uid)
    todo.add("SUMMARY", _text(_summary(milestone)))
    todo.add("DUE", milestone.day)
    todo.add("DESCRIPTION", _description(milestone, program, rules))
    if milestone.done is None:
        todo.add("STATUS", "NEEDS-ACTION")
        _add_alarms(todo, milestone, related_to_end=True)
    else:
        todo.add("STATUS", "COMPLETED")
        todo.add("COMPLETED", datetime.combine(milestone.done, COMPLETED_AT, tzinfo=UTC))
    return Item(uid, todo, Exported(0, milestone.day, _text(milestone.title)))


def _add_alarms(component: Component, milestone: Milestone, related_to_end: bool) -> None:
    said = _text(f"usce: {milestone.title} on {milestone.day.isoformat()}")
    for trigger in ALARMS:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", said)
        if related_to_end:  # a task's alarm counts from its DUE, an event's from its start
            alarm.add("TRIGGER", trigger, parameters={"RELATED": "END"})
        else:
            alarm.add("TRIGGER", trigger)
        component.add_component(alarm)


def _reminder(milestone: Milestone, token: str) -> Item:
    # For calendar services that drop alarms: a plain event a week before.
    day = milestone.day - timedelta(days=REMINDER_DAYS)
    uid = uid_with(event_uid(milestone, token), "reminder")
    summary = _text(f"In {REMINDER_DAYS} days: {_summary(milestone)}")
    event = Event()
    event.add("UID", uid)
    event.add("SUMMARY", summary)
    event.add("DTSTART", day)
    event.add("DTEND", day + timedelta(days=1))
    event.add("DESCRIPTION", _text(f"Due {milestone.day.isoformat()}: {milestone.title}"))
    event.add("TRANSP", "TRANSPARENT")
    title = _text(f"In {REMINDER_DAYS} days: {milestone.title}")
    return Item(uid, event, Exported(0, day, title))


def _cancelled(uid: str, record: Exported) -> Item:
    # A todo's UID stays a todo: a server never sees one UID change from event to task.
    component: Component = Todo() if uid.endswith(f".todo@{DOMAIN}") else Event()
    component.add("UID", uid)
    component.add("SUMMARY", _text(f"Cancelled: {record.summary}"))
    if isinstance(component, Todo):
        component.add("DUE", record.day)
    else:
        component.add("DTSTART", record.day)
        component.add("DTEND", record.day + timedelta(days=1))
        component.add("TRANSP", "TRANSPARENT")
    component.add("STATUS", "CANCELLED")
    component.add("DESCRIPTION", "No longer in the plan: usce cancelled it.")
    return Item(uid, component, record)


def _text(value: str) -> str:
    # Control characters are shown as escapes. icalendar reads a written backslash-N as a line
    # break; a word joiner between them keeps what the catalog says.
    return visible(value).replace("\\N", "\\\u2060N")


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
    # Newlines stay (written as \n); every other control character is made visible.
    return "\n".join(_text(line) for line in "\n".join(lines).split("\n"))
