"""The plan as one self-contained HTML page: inline CSS and SVG, no network, all text escaped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape as escape_html

from usce_planner.plan.report import PlanReport
from usce_planner.plan.review import letters_text
from usce_planner.plan.schedule import Milestone
from usce_planner.text_safety import visible


def escape(text: str) -> str:
    """Return text escaped for HTML, its control characters made visible first."""
    return escape_html(visible(text))


# The row labels have a column of their own (LABELS wide); the plot starts at LEFT.
WIDTH, ROW, LABELS, LEFT, RIGHT = 960, 26, 250, 262, 14
# A 12 px system-ui character is at most about 7.5 px wide; axis names are spaced by that.
CHAR_PX, GAP_PX = 7.5, 8
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.day,td span{white-space:nowrap}
.late{color:#a40000;font-weight:bold}.done{color:#1e6b1e}.muted{color:#666}
svg text{font:12px system-ui,sans-serif}svg text.year{font-weight:bold}
@media print{body{margin:0}}
"""


def to_html(report: PlanReport) -> str:
    """Return the whole page: a timeline picture, the rotations and the checklist."""
    title = f"USCE plan as of {report.today.isoformat()}"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # Nothing on this page may load anything: no scripts, no fonts, no images from outside.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        timeline_svg(report),
        _rotations(report),
        _checklist(report.schedule.milestones),
        _findings(
            "Conflicts", [(f"{c.kind} ({', '.join(c.ids)})", c.detail) for c in report.conflicts]
        ),
        _findings("Warnings", [(f"{w.kind} ({w.ids[0]})", w.detail) for w in report.warnings]),
        _totals(report),
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def timeline_svg(report: PlanReport) -> str:
    """Return an SVG of the rotations as bars and the steps as marks on a month axis."""
    milestones = report.schedule.milestones
    views = [v for v in report.schedule.rotations if v.saved.is_live]
    days = [m.day for m in milestones] + [v.end for v in views] + [report.today]
    first, last = min(days), max(days)
    first = first.replace(day=1)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span

    rows = [("you and the Match", [m for m in milestones if m.rotation is None])]
    rows += [(v.saved.key, [m for m in milestones if m.rotation == v.saved.key]) for v in views]
    height = 40 + ROW * len(rows)
    out = [f'<svg role="img" aria-label="Timeline" width="100%" viewBox="0 0 {WIDTH} {height}">']
    for month, name in axis_labels(first, last, x):
        year = ' class="year"' if name[:1].isdigit() or " " in name else ""
        out.append(
            f'<line x1="{x(month):.1f}" y1="20" x2="{x(month):.1f}" y2="{height}" stroke="#eee"/>'
        )
        out.append(f'<text x="{x(month) + 2:.1f}" y="14"{year}>{name}</text>')
    for index, (label, marks) in enumerate(rows):
        y = 30 + ROW * index
        out.append(
            f'<text x="4" y="{y + 12}">{escape(_shortened(label))}'
            f"<title>{escape(label)}</title></text>"
        )
        for mark in marks:
            out.append(_mark(mark, x, y))
    today = x(report.today)
    out.append(f'<line x1="{today:.1f}" y1="18" x2="{today:.1f}" y2="{height}" stroke="#a40000"/>')
    out.append(f'<text x="{today + 3:.1f}" y="{height - 4}" fill="#a40000">today</text>')
    out.append("</svg>")
    legend = (
        '<p class="muted">Bars: rotations. Dots: steps (red: LATE, green: done, grey: open); '
        "hover a dot for its date and name. The checklist below says the same in words.</p>"
    )
    return "\n".join(out) + legend


def _shortened(label: str) -> str:
    # The label column holds this many of the widest characters; a longer key is cut.
    fits = int((LABELS - 4) / CHAR_PX)
    return label if len(label) <= fits else label[: fits - 1] + "…"


def axis_labels(first: date, last: date, place: Callable[[date], float]) -> list[tuple[date, str]]:
    """Return the months the axis names, left to right: Januaries by their year, none crowded.

    Every step-th month is named, the step the smallest of 1, 2, 3, 4, 6 or 12 months that
    leaves room for a name; the first month carries its year where it fits before January.
    """
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    per_month = (place(last) - place(first)) / max(len(months), 1)
    room = 4 * CHAR_PX + GAP_PX
    step = next((s for s in (1, 2, 3, 4, 6) if s * per_month >= room), 12)
    candidates = [(m, m.strftime("%Y")) for m in months if m.month == 1]
    if first.month != 1:
        candidates += [(first, first.strftime("%b %Y")), (first, first.strftime("%b"))]
    candidates += [
        (m, m.strftime("%b"))
        for m in months
        if m.month != 1 and m != first and (m.month - 1) % step == 0
    ]
    taken: list[tuple[float, float]] = []
    chosen: dict[date, str] = {}
    for month, name in candidates:
        left = place(month) + 2
        right = left + len(name) * CHAR_PX
        clear = all(right + GAP_PX <= a or left >= b + GAP_PX for a, b in taken)
        if month not in chosen and clear and right <= WIDTH:
            taken.append((left, right))
            chosen[month] = name
    return sorted(chosen.items())


def _mark(milestone: Milestone, place: Callable[[date], float], y: int) -> str:
    state = " (LATE)" if milestone.is_late else " (done)" if milestone.done else ""
    tip = escape(f"{milestone.day.isoformat()}: {milestone.title}{state}")
    if milestone.kind == "rotation" and milestone.end is not None:
        left, right = place(milestone.day), place(milestone.end)
        return (
            f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 3):.1f}" height="16" '
            f'fill="#2b6cb0"><title>{tip}</title></rect>'
        )
    colour = "#a40000" if milestone.is_late else "#1e6b1e" if milestone.done else "#444"
    return (
        f'<circle cx="{place(milestone.day):.1f}" cy="{y + 8}" r="4" fill="{colour}">'
        f"<title>{tip}</title></circle>"
    )


def _rotations(report: PlanReport) -> str:
    rows = []
    for view in report.schedule.rotations:
        saved = view.saved
        state = "on time" if view.feasible else "a step before it is LATE"
        if view.earliest_start:
            state += f"; earliest start on time: {view.earliest_start.isoformat()}"
        rows.append(
            f'<tr><td>{escape(saved.key)}</td><td class="day">{saved.start.isoformat()} to '
            f"{view.end.isoformat()}</td><td>{escape(saved.status)}</td><td>{escape(state)}</td></tr>"
        )
    head = "<tr><th>rotation</th><th>dates</th><th>status</th><th>on time?</th></tr>"
    return f"<h2>Rotations</h2><table>{head}{''.join(rows)}</table>"


def _checklist(milestones: list[Milestone]) -> str:
    rows = []
    for m in milestones:
        if m.done is not None:
            state = f'<span class="done">done {m.done.isoformat()}</span>'
        elif m.is_late:
            state = f'<span class="late">LATE by {m.late_by_days} days</span>'
        elif m.window_start is not None:
            state = f'<span class="muted">not before {m.window_start.isoformat()}</span>'
        else:
            state = ""
        box = "&#9745;" if m.done is not None else "&#9744;"
        rows.append(
            f'<tr><td>{box}</td><td class="day">{m.day.isoformat()}</td><td>{escape(m.title)}</td>'
            f"<td>{escape(m.rotation or '')}</td><td>{state}</td></tr>"
        )
    head = "<tr><th></th><th>date</th><th>what</th><th>rotation</th><th>state</th></tr>"
    return f"<h2>Checklist</h2><table>{head}{''.join(rows)}</table>"


def _findings(heading: str, items: list[tuple[str, str]]) -> str:
    if not items:
        return ""
    rows = "".join(f"<li><b>{escape(kind)}</b>: {escape(detail)}</li>" for kind, detail in items)
    return f"<h2>{heading}</h2><ul>{rows}</ul>"


def _totals(report: PlanReport) -> str:
    t = report.totals
    items = [
        f"{t.weeks} weeks: {t.hands_on_weeks} hands-on, {t.observation_weeks} observation, "
        f"{t.unknown_hands_on_weeks} not stated",
        letters_text(t),
        f"Cost: at least ${t.cost_usd:,}; not included: {', '.join(t.not_included)}",
    ]
    return "<h2>Totals</h2><ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"
