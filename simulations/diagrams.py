"""Event time across, processing time up: the picture the Dataflow model is taught with.

Triggers, watermarks and accumulation are hard to follow in a table, because two clocks are at
work. *Streaming 102* and *Streaming Systems* draw them on one plane: each event is a dot at
(when it happened, when it arrived), the watermark is a line climbing through the plane, and each
pane is drawn across its window's columns at the height where it fires. :func:`diagram` draws
that picture for one key of a job's events and its report.

It is an SVG string, like the charts of :mod:`simulations.charts`, and it goes to the page
through :func:`simulations.show`. Two things make it more than a picture:

* every element that appears at some processing time carries it (``data-at``), with what it
  stands for (``data-kind``, ``data-value``, ``data-timing``, ...), so the page can add a slider
  that shows what had happened by any moment, and a table of the same facts for screen readers;
  without the page's script the whole diagram shows;
* colours come from CSS classes the site's stylesheet maps to Material's palette (light and
  dark), with plain fallbacks for anywhere else; timings and late events also differ by dash
  pattern and shape, so the picture reads without colour.

``str(diagram)`` lists the same facts as text, in processing-time order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from . import _check
from ._format import num
from .charts import _ticks
from .events import Event, prepare

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 70, 44
PLOT_H = 330
HEIGHT = TOP + PLOT_H + BOTTOM
MAX_EVENTS = 300  # of the key drawn: a diagram is for examples a reader can follow dot by dot
# Past this many dots (or panes) their value labels would cover each other: the marks stay, the
# values are in the table and the text.
MAX_LABELS = 40
TIMINGS = ("EARLY", "ON_TIME", "LATE")
# Fallback colours, for a diagram shown outside the site (the site's CSS maps the classes to
# Material's palette): Material's own light-scheme code colours.
FALLBACK = {
    "EARLY": "#3f6ec6",
    "ON_TIME": "#1c7d4d",
    "LATE": "#d52a2a",
    "watermark": "#a846b9",
    "dropped": "#db1457",
}
DASH = {"EARLY": "6 3", "ON_TIME": "", "LATE": "2 2"}
STROKE = {"EARLY": 3, "ON_TIME": 4, "LATE": 3}
# StreamReport emissions name their timing in Beam's lower-case words.
EMISSION_TIMING = {"early": "EARLY", "on-time": "ON_TIME", "late": "LATE"}


@dataclass(frozen=True, slots=True)
class Diagram:
    """A drawn diagram: ``svg`` for the page, ``text`` (and ``str()``) for a terminal.

    The text is written only when asked for: a box that shows the diagram on a page never
    needs it, and for a busy stream it costs as much as the picture.
    """

    title: str
    svg: str
    key: str
    facts: tuple = field(repr=False, compare=False, default=())

    @property
    def text(self) -> str:
        """The facts in processing-time order, one a line."""
        return _text(self.title, *self.facts)

    def __str__(self) -> str:
        return self.text

    def _repr_svg_(self) -> str:  # notebooks draw it
        return self.svg


@dataclass(frozen=True, slots=True)
class _Pane:
    """A result as drawn: the fields a TriggerReport's Pane and a StreamReport's Emission share."""

    start: float
    end: float
    value: float
    count: int
    emitted_at: float
    timing: str
    index: int


@dataclass(frozen=True, slots=True)
class _Dot:
    """An event of the key drawn, with what became of it."""

    event: Event
    fate: str  # "on time", "late" (in a LATE pane), "too late" (kept aside), "dropped"
    window: tuple[float, float] | None  # the window it was late for


def diagram(
    events: Iterable[Event],
    report: object,
    *,
    key: str | None = None,
    title: str | None = None,
    until: float | None = None,
) -> Diagram:
    """Draw one key's events, the watermark and every pane on event time x processing time.

    ``report`` is what :func:`simulations.run_triggered` (panes: EARLY, ON_TIME, LATE) or
    :func:`simulations.run_stream` (results and their late updates) returned for ``events``.
    The watermark is the job's, shared by all keys; the dots and panes are those of ``key``
    (default: the key with the most events, the first by name on a tie). With ``until``, only
    what had happened by that processing time is drawn: the start of a long stream.

    >>> from simulations import events, run_triggered, Tumbling
    >>> evs = events([("a", 1, 1.0), ("a", 2, 4.0, 5.0), ("a", 3, 12.0)])
    >>> report = run_triggered(evs, window=Tumbling(10), watermark_delay=1)
    >>> d = diagram(evs, report)
    >>> d.svg.count('data-kind="pane"'), d.svg.count('data-kind="event"')
    (2, 3)
    >>> print(d)
    Event time x processing time, key a: 3 events, 2 panes
      t=1      event 1 (event time 1) arrives
      t=1      watermark 0
      t=5      event 2 (event time 4) arrives
      t=5      watermark 3
      t=12     event 3 (event time 12) arrives
      t=12     watermark 11
      t=12     pane [0, 10) ON_TIME = 3 (2 events)
      t=12     end of input: watermark +inf
      t=12     pane [10, 20) ON_TIME = 3 (1 event)
    """
    evs = prepare(events)
    panes_of, watermarks, late, dropped = _read_report(report)
    key = _pick_key(evs, key)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__} {title!r}")
    if until is not None:
        _check.number("until", until)
    mine = [e for e in evs if e.key == key and (until is None or e.arrival_time <= until)]
    if len(mine) > MAX_EVENTS:
        raise ValueError(
            f"events must hold at most {MAX_EVENTS} events of key {key!r} for a diagram "
            f"(one dot each), got {len(mine)}: draw another key, or pass until= to draw "
            "the stream's start"
        )
    panes = [p for p in panes_of(key) if until is None or p.emitted_at <= until]
    dots = _fates(mine, panes, late, dropped)
    # The watermark jumps to +inf when the input ends: some engines record that move in the
    # trace (at the input's end), others end at the last arrival without recording it.
    if watermarks and watermarks[-1][1] == math.inf:
        finish = watermarks.pop()[0]
    else:
        finish = max(e.arrival_time for e in evs)  # _pick_key refused an empty stream
    if until is not None:
        watermarks = [(at, wm) for at, wm in watermarks if at <= until]
        if finish > until:
            finish = None  # the input had not ended by then
    title = title or f"Event time x processing time, key {key}"
    if until is not None and finish is None:
        title += f", first {num(until)} s"
    plane = _Plane(mine, panes, watermarks, until if finish is None else finish)
    watermarks = _visible_moves(plane, watermarks)
    svg = _svg(plane, title, dots, panes, watermarks, finish)
    return Diagram(title, svg, key, (dots, panes, watermarks, finish))


# -- reading the inputs -----------------------------------------------------------------------


def _read_report(report: object):
    """The report's panes (per key), watermark trace, and late and dropped events."""
    for name in ("watermarks", "late", "dropped"):
        if not hasattr(report, name):
            raise TypeError(
                "report must be what run_triggered or run_stream returned, "
                f"got {type(report).__name__}"
            )
    if hasattr(report, "panes"):

        def panes_of(key: str) -> list[_Pane]:
            return [
                _Pane(p.start, p.end, p.value, p.count, p.emitted_at, p.timing, p.index)
                for p in report.panes
                if p.key == key
            ]

    elif hasattr(report, "emissions"):

        def panes_of(key: str) -> list[_Pane]:
            seen: dict[tuple[float, float], int] = {}
            out = []
            for e in report.emissions:
                if e.key != key:
                    continue
                index = seen.get((e.start, e.end), 0)
                seen[(e.start, e.end)] = index + 1
                timing = EMISSION_TIMING.get(e.timing, "ON_TIME")
                out.append(_Pane(e.start, e.end, e.value, e.count, e.emitted_at, timing, index))
            return out

    else:
        raise TypeError(
            f"report must be what run_triggered or run_stream returned, got {type(report).__name__}"
        )
    return panes_of, list(report.watermarks), list(report.late), list(report.dropped)


def _pick_key(evs: Sequence[Event], key: str | None) -> str:
    sizes = Counter(e.key for e in evs)
    if key is None:
        if not sizes:
            raise ValueError("events must hold at least one event to draw, got none")
        return min(sizes, key=lambda k: (-sizes[k], k))
    if not isinstance(key, str):
        raise TypeError(f"key must be a str, got {type(key).__name__} {key!r}")
    if key not in sizes:
        raise ValueError(f"key must be one of the events' keys {sorted(sizes)}, got {key!r}")
    return key


def _fates(mine: list[Event], panes: list[_Pane], late: list, dropped: list) -> list[_Dot]:
    """What became of each event: in time, in a LATE pane, kept aside, or dropped.

    An event that arrives after its window fired on time, within the allowed lateness, fires a
    LATE pane of that window at its own arrival: that is how it is recognised here.
    """
    # by the event itself (equal events are one fact): the report may hold copies of them
    too_late = _first_window(late)
    gone = _first_window(dropped)
    late_panes = [p for p in panes if p.timing == "LATE"]
    dots = []
    for e in mine:
        # counted somewhere first: a straggler of sliding windows can be within the allowed
        # lateness of some of its windows (a LATE pane) and too late for an older one
        pane = next(
            (
                p
                for p in late_panes
                if p.emitted_at == e.arrival_time and p.start <= e.event_time < p.end
            ),
            None,
        )
        if pane is not None:
            dots.append(_Dot(e, "late", (pane.start, pane.end)))
            continue
        window = too_late.get(e)
        if window is not None:
            dots.append(_Dot(e, "too late", window))
            continue
        window = gone.get(e)
        if window is not None:
            dots.append(_Dot(e, "dropped", window))
            continue
        dots.append(_Dot(e, "on time", None))
    return dots


def _first_window(late: list) -> dict[Event, tuple[float, float]]:
    """Each late event and the first window the report lists it for: a straggler of sliding
    windows can be too late for several."""
    windows: dict[Event, tuple[float, float]] = {}
    for x in late:
        windows.setdefault(x.event, (x.start, x.end))
    return windows


# -- geometry ---------------------------------------------------------------------------------


class _Plane:
    """The mapping from (event time, processing time) to pixels."""

    def __init__(
        self,
        mine: list[Event],
        panes: list[_Pane],
        watermarks: list[tuple[float, float]],
        top: float,
    ) -> None:
        xs = [e.event_time for e in mine]
        xs += [p.start for p in panes] + [p.end for p in panes]
        ys = [e.arrival_time for e in mine] + [p.emitted_at for p in panes] + [top]
        ys += [t for t, _ in watermarks]
        # a global window spans all of event time: its infinite ends are drawn at the edges
        xs = [x for x in xs if math.isfinite(x)]
        self.x0, self.x1 = _span(xs)
        self.t0, self.t1 = _span([*ys, min(0.0, *ys)])
        self.t1 += (self.t1 - self.t0) * 0.06  # room above the last pane for its label
        self.plot_w = WIDTH - LEFT - RIGHT

    def x(self, v: float) -> float:
        v = min(max(v, self.x0), self.x1)  # a watermark far behind is drawn at the edge
        return LEFT + (v - self.x0) / (self.x1 - self.x0) * self.plot_w

    def y(self, t: float) -> float:
        return TOP + (self.t1 - t) / (self.t1 - self.t0) * PLOT_H


def _visible_moves(p: _Plane, moves: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The watermark's moves that the eye can see: one that shifts the line by less than half a
    pixel from the last one kept is folded into the next (a busy stream moves it at every event).
    """
    kept: list[tuple[float, float]] = []
    last = -math.inf
    for at, wm in moves:
        x = p.x(wm)
        if x - last >= 0.5:  # the first move always: last is -inf
            kept.append((at, wm))
            last = x
    return kept


def _span(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi == lo:
        return lo - 1, hi + 1
    return lo, hi


# -- drawing ----------------------------------------------------------------------------------


def _at(t: float) -> str:
    return f'data-at="{t!r}"'


def _svg(
    plane: _Plane,
    title: str,
    dots: list[_Dot],
    panes: list[_Pane],
    watermarks: list[tuple[float, float]],
    finish: float | None,
) -> str:
    p = plane
    bottom, right = TOP + PLOT_H, WIDTH - RIGHT
    n_late = sum(d.fate != "on time" for d in dots)
    label = (
        f"{title}: {len(dots)} events ({n_late} late), {len(panes)} panes; "
        "the table below the diagram lists them"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(label)}" class="sim-diagram" '
        f'data-diagram="1" data-t0="{p.t0!r}" data-t1="{p.t1!r}" '
        f'data-y0="{p.y(p.t0):.1f}" data-y1="{p.y(p.t1):.1f}" '
        'font-family="system-ui, sans-serif" font-size="12" style="max-width:640px">',
        f"<title>{escape(title)}</title>",
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14" '
        f'font-weight="bold" fill="currentColor">{escape(title)}</text>',
        _legend(),
    ]
    # windows as columns, drawn first so everything sits on them: one band per window that no
    # other contains (a session's earlier, smaller windows lie inside the one they merged into)
    spans = {(pane.start, pane.end) for pane in panes}
    windows = sorted(
        (a, b)
        for a, b in spans
        if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)
    )
    if _depth(windows) > 2:
        windows = []  # many overlapping windows (sliding by a small step) would shade it all grey
    for i, (start, end) in enumerate(windows):
        x0, x1 = p.x(start), p.x(end)
        parts.append(
            f'<rect class="dg-window" x="{x0:.1f}" y="{TOP}" width="{max(x1 - x0, 0.5):.1f}" '
            f'height="{PLOT_H}" fill="currentColor" fill-opacity="{0.05 if i % 2 else 0.09}"/>'
        )
    # grid, ticks and axes
    for v in _ticks(p.t0, p.t1):
        yy = p.y(v)
        parts.append(
            f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{right}" y2="{yy:.1f}" '
            'stroke="currentColor" stroke-opacity="0.12"/>'
            f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" '
            f'fill="currentColor">{escape(num(v))}</text>'
        )
    for v in _ticks(p.x0, p.x1):
        xx = p.x(v)
        parts.append(
            f'<text x="{xx:.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'fill="currentColor">{escape(num(v))}</text>'
        )
    parts.append(f'<path d="M{LEFT},{TOP} V{bottom} H{right}" fill="none" stroke="currentColor"/>')
    parts.append(
        f'<text x="{LEFT + p.plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle" '
        'fill="currentColor">event time (s)</text>'
        f'<text transform="translate(14 {TOP + PLOT_H / 2}) rotate(-90)" text-anchor="middle" '
        'fill="currentColor">processing time (s)</text>'
    )
    # where an event would sit if it arrived the moment it happened
    lo, hi = max(p.x0, p.t0), min(p.x1, p.t1)
    if hi > lo:
        parts.append(
            f'<line class="dg-ideal" x1="{p.x(lo):.1f}" y1="{p.y(lo):.1f}" x2="{p.x(hi):.1f}" '
            f'y2="{p.y(hi):.1f}" stroke="currentColor" stroke-opacity="0.35" '
            'stroke-dasharray="1 4"/>'
        )
    parts.extend(_watermark(p, watermarks, finish))
    parts.extend(_panes(p, panes))
    parts.extend(_dots(p, dots))
    # the processing-time cursor: hidden unless the page's script moves it
    parts.append(
        f'<g class="dg-now" visibility="hidden"><line x1="{LEFT}" y1="{TOP}" x2="{right}" '
        f'y2="{TOP}" stroke="currentColor" stroke-width="1" stroke-dasharray="4 2"/>'
        f'<text x="{right - 2}" y="{TOP - 4}" text-anchor="end" '
        'fill="currentColor">now</text></g>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _depth(windows: list[tuple[float, float]]) -> int:
    """How many of the windows cover one instant, at most."""
    edges = sorted([(a, 1) for a, _ in windows] + [(b, -1) for _, b in windows])
    depth = deepest = 0
    for _, step in edges:  # an end sorts before a start at the same instant: half-open windows
        depth += step
        deepest = max(deepest, depth)
    return deepest


def _legend() -> str:
    """One row of keys between the title and the plot: the marks, then the lines."""
    y, x = 42, 16.0
    items = []
    for fate, name in (("on time", "event"), ("late", "late"), ("too late", "too late")):
        items.append(_mark(fate, x, y - 4))
        items.append(f'<text x="{x + 8:.0f}" y="{y}" fill="currentColor">{name}</text>')
        x += 8 + 7 * len(name) + 12
    items.append(_mark("dropped", x, y - 4))
    items.append(f'<text x="{x + 8:.0f}" y="{y}" fill="currentColor">dropped</text>')
    x += 8 + 7 * len("dropped") + 12
    lines = [("dg-wm-line", FALLBACK["watermark"], 2.5, "", "watermark")]
    lines += [
        (f"dg-{_cls(t)}", FALLBACK[t], STROKE[t], _dash(t), t.lower().replace("_", "-"))
        for t in TIMINGS
    ]
    for cls, color, width, dash, name in lines:
        if name == "early":
            items.append(f'<text x="{x:.0f}" y="{y}" fill="currentColor">panes:</text>')
            x += 46
        items.append(
            f'<line class="{cls}" x1="{x:.0f}" y1="{y - 4}" x2="{x + 18:.0f}" y2="{y - 4}" '
            f'stroke="{color}" stroke-width="{width}"{dash}/>'
            f'<text x="{x + 22:.0f}" y="{y}" fill="currentColor">{name}</text>'
        )
        x += 22 + 7 * len(name) + 12
    return f'<g class="dg-legend">{"".join(items)}</g>'


def _mark(fate: str, x: float, y: float) -> str:
    """An event's mark: a dot; red when late; a ring when too late; a cross when dropped."""
    if fate == "dropped":
        return (
            f'<path class="dg-dropped" d="{_cross(x, y)}" stroke="{FALLBACK["dropped"]}" '
            'stroke-width="2"/>'
        )
    if fate == "too late":
        return (
            f'<circle class="dg-too-late" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="none" '
            f'stroke="{FALLBACK["LATE"]}" stroke-width="2"/>'
        )
    if fate == "late":
        return (
            f'<circle class="dg-late-dot" cx="{x:.1f}" cy="{y:.1f}" r="4" '
            f'fill="{FALLBACK["LATE"]}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="currentColor"/>'


def _cls(timing: str) -> str:
    return timing.lower().replace("_", "-")


def _dash(timing: str) -> str:
    return f' stroke-dasharray="{DASH[timing]}"' if DASH[timing] else ""


def _cross(cx: float, cy: float, r: float = 4) -> str:
    a, b, c, d = cx - r, cy - r, cx + r, cy + r
    return f"M{a:.1f},{b:.1f} L{c:.1f},{d:.1f} M{a:.1f},{d:.1f} L{c:.1f},{b:.1f}"


def _watermark(p: _Plane, watermarks: list[tuple[float, float]], finish: float | None) -> list[str]:
    """The watermark as steps: it jumps right when it moves, and holds while time goes up.

    Each step is a group that appears at the processing time of its move; its vertical part
    runs until the next move (``data-until``), so a slider can draw it only up to "now".
    """
    out = []
    previous = None
    moves = [*watermarks, (finish, math.inf)] if finish is not None else list(watermarks)
    for i, (at, wm) in enumerate(moves):
        until = moves[i + 1][0] if i + 1 < len(moves) else p.t1
        x = p.x(wm)  # +inf: the right edge
        shown = num(wm) if math.isfinite(wm) else "+inf"
        jump = ""
        if previous is not None:
            jump = (
                f'<line class="dg-wm-line" x1="{previous:.1f}" y1="{p.y(at):.1f}" x2="{x:.1f}" '
                f'y2="{p.y(at):.1f}" stroke="{FALLBACK["watermark"]}" stroke-width="2.5"/>'
            )
        if math.isfinite(wm):
            hold = (
                f'<line class="dg-wm-line dg-wm-hold" x1="{x:.1f}" y1="{p.y(at):.1f}" '
                f'x2="{x:.1f}" y2="{p.y(until):.1f}" data-until="{until!r}" '
                f'stroke="{FALLBACK["watermark"]}" stroke-width="2.5"/>'
            )
        else:
            hold = (
                f'<text x="{x:.1f}" y="{TOP - 6}" text-anchor="end" fill="currentColor">'
                f"end of input at {escape(num(at))} s: watermark +inf</text>"
            )
        out.append(
            f'<g data-kind="watermark" {_at(at)} data-watermark="{escape(shown)}">{jump}{hold}</g>'
        )
        previous = x
    return out


def _panes(p: _Plane, panes: list[_Pane]) -> list[str]:
    """Each pane across its window's columns at the height where it fired, with its value."""
    out = []
    last_label: dict[tuple[float, float], tuple[float, bool]] = {}  # y, label at the start
    labelled = len(panes) <= MAX_LABELS
    for pane in panes:
        x0, x1 = p.x(pane.start) + 2, p.x(pane.end) - 2
        y = p.y(pane.emitted_at)
        # two panes of a window fired close together: put their labels on alternate sides
        before = last_label.get((pane.start, pane.end))
        flip = before is not None and abs(before[0] - y) < 14 and not before[1]
        last_label[(pane.start, pane.end)] = (y, flip)
        tx, anchor = (x0 + 2, "start") if flip else (x1 - 2, "end")
        window = f"[{num(pane.start)}, {num(pane.end)})"
        label = (
            f'<text x="{tx:.1f}" y="{y - 5:.1f}" text-anchor="{anchor}" font-weight="bold" '
            f'fill="currentColor">{escape(num(pane.value))}</text>'
            if labelled
            else ""
        )
        out.append(
            f'<g class="dg-pane dg-{_cls(pane.timing)}" data-kind="pane" {_at(pane.emitted_at)} '
            f'data-window="{escape(window)}" data-timing="{pane.timing}" '
            f'data-value="{escape(num(pane.value))}" data-count="{pane.count}" '
            f'data-index="{pane.index}">'
            f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{max(x1, x0 + 1):.1f}" y2="{y:.1f}" '
            f'stroke="{FALLBACK[pane.timing]}" stroke-width="{STROKE[pane.timing]}"'
            f"{_dash(pane.timing)}/>{label}</g>"
        )
    return out


def _dots(p: _Plane, dots: list[_Dot]) -> list[str]:
    """Each event at (event time, arrival time), labelled with its value; late ones marked."""
    out = []
    labelled = len(dots) <= MAX_LABELS
    for dot in dots:
        e = dot.event
        x, y = p.x(e.event_time), p.y(e.arrival_time)
        attrs = (
            f'data-kind="event" {_at(e.arrival_time)} data-event-time="{e.event_time!r}" '
            f'data-value="{escape(num(e.value))}" data-fate="{dot.fate}"'
        )
        if dot.window is not None:
            attrs += f' data-window="[{num(dot.window[0])}, {num(dot.window[1])})"'
        label = (
            f'<text x="{x + 7:.1f}" y="{y + 4:.1f}" fill="currentColor">'
            f"{escape(num(e.value))}</text>"
            if labelled
            else ""
        )
        out.append(f'<g class="dg-event" {attrs}>{_mark(dot.fate, x, y)}{label}</g>')
    return out


# -- text -------------------------------------------------------------------------------------


def _text(
    title: str,
    dots: list[_Dot],
    panes: list[_Pane],
    watermarks: list[tuple[float, float]],
    finish: float | None,
) -> str:
    """The facts in processing-time order; at one moment: arrival, watermark, then panes."""
    rows: list[tuple[float, int, int, str]] = []
    for i, dot in enumerate(dots):
        e = dot.event
        line = f"event {num(e.value)} (event time {num(e.event_time)}) arrives"
        if dot.fate != "on time":
            start, end = dot.window
            line += f": {dot.fate} for [{num(start)}, {num(end)})"
        rows.append((e.arrival_time, 0, i, line))
    for i, (at, wm) in enumerate(watermarks):
        rows.append((at, 1, i, f"watermark {num(wm)}"))
    if finish is not None:
        rows.append((finish, 3, 0, "end of input: watermark +inf"))
    last = watermarks[-1][1] if watermarks else -math.inf
    for i, pane in enumerate(panes):
        plural = "event" if pane.count == 1 else "events"
        line = (
            f"pane [{num(pane.start)}, {num(pane.end)}) {pane.timing} = {num(pane.value)} "
            f"({pane.count} {plural})"
        )
        # a window the last watermark had not passed was fired by the end of input: after it
        by_end = pane.emitted_at == finish and pane.timing == "ON_TIME" and pane.end > last
        rows.append((pane.emitted_at, 4 if by_end else 2, i, line))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    head = f"{title}: {len(dots)} events, {len(panes)} panes"
    return "\n".join([head, *(f"  t={num(at):<6} {line}" for at, _, _, line in rows)])


__all__ = ["Diagram", "diagram"]
