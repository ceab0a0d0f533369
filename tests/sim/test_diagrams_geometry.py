"""The diagram's marks where a reader and the page's script look for them, from hand-made reports.

A report built by hand (panes, watermark trace, late and dropped events) puts each rule at its
edge: an event on a window's boundary, two panes close together, a watermark move of less than
half a pixel, exactly as many events or labels as allowed. The expected pixels are computed here
from the inputs and the plot box the SVG's own axes draw: event time across, processing time up,
from the smallest to the largest time drawn (zero included, and 6% of room above the top).
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest

from simulations import Event, Pane
from simulations.diagrams import FALLBACK, MAX_EVENTS, MAX_LABELS, _depth, diagram
from simulations.stream import Emission, LateEvent

NS = "{http://www.w3.org/2000/svg}"


@dataclass
class Panes:
    """What run_triggered returns, as far as a diagram reads it."""

    panes: list = field(default_factory=list)
    watermarks: list = field(default_factory=list)
    late: list = field(default_factory=list)
    dropped: list = field(default_factory=list)


@dataclass
class Emissions:
    """What run_stream returns, as far as a diagram reads it."""

    emissions: list = field(default_factory=list)
    watermarks: list = field(default_factory=list)
    late: list = field(default_factory=list)
    dropped: list = field(default_factory=list)


def ev(value, event_time, arrival_time, key="a") -> Event:
    return Event(key, value, event_time, arrival_time)


def pane(start, end, value, at, timing="ON_TIME", count=1, index=0, key="a") -> Pane:
    return Pane(key, start, end, value, count, at, timing, index)


class Drawn:
    """The parsed SVG, its plot box, and the scale a reader's eye applies to it."""

    def __init__(self, svg: str, x0: float, x1: float, t0: float, t1: float) -> None:
        self.svg = svg
        self.root = ET.fromstring(svg)
        (axes,) = [
            p
            for p in self.root.iter(f"{NS}path")
            if re.fullmatch(r"M[\d.]+,[\d.]+ V.*", p.get("d"))
        ]
        self.left, self.top, self.bottom, self.right = map(
            float, re.findall(r"[\d.]+", axes.get("d"))
        )
        self.x0, self.x1, self.t0, self.t1 = x0, x1, t0, t1

    def x(self, v: float) -> float:
        v = min(max(v, self.x0), self.x1)
        return self.left + (v - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def y(self, t: float) -> float:
        return self.bottom - (t - self.t0) / (self.t1 - self.t0) * (self.bottom - self.top)

    def kind(self, name: str) -> list[ET.Element]:
        return [el for el in self.root.iter() if el.get("data-kind") == name]


def near(v: float) -> object:
    return pytest.approx(v, abs=0.051)


def f(el: ET.Element, name: str) -> float:
    return float(el.get(name))


# The walkthrough: a window [0, 10) fires on time at 10, then late for event 3 at its arrival;
# [10, 20) fires when the input ends at 20. Event times span 0..20 (the panes' edges), times
# 0..20 (then 6% of room: the top is 21.2).
EVENTS = [ev(1, 2.0, 3.0), ev(2, 8.0, 9.0), ev(3, 5.0, 14.0), ev(4, 12.0, 12.5)]
REPORT = Panes(
    panes=[
        pane(0, 10, 3, 10.0, count=2),
        pane(0, 10, 6, 14.0, "LATE", count=3, index=1),
        pane(10, 20, 4, 20.0),
    ],
    watermarks=[(3.0, 1.0), (9.0, 7.0), (12.5, 11.0), (20.0, math.inf)],
)


def walkthrough() -> Drawn:
    return Drawn(diagram(EVENTS, REPORT).svg, 0.0, 20.0, 0.0, 21.2)


def test_the_plane_spans_the_times_drawn_with_room_above_and_the_page_reads_it():
    d = walkthrough()
    assert (d.left, d.top, d.bottom, d.right) == (56, 70, 400, 620)
    assert float(d.root.get("data-t0")) == 0.0
    assert float(d.root.get("data-t1")) == pytest.approx(21.2)
    # the page's script maps time to pixels with these two pairs (web/src/diagram.js yOf)
    assert (f(d.root, "data-y0"), f(d.root, "data-y1")) == (d.bottom, d.top)
    assert d.root.get("aria-label") == (
        "Event time x processing time, key a: 4 events (1 late), 3 panes; "
        "the table below the diagram lists them"
    )


def test_each_event_is_a_dot_at_its_event_time_and_arrival_labelled_with_its_value():
    d = walkthrough()
    dots = d.kind("event")
    assert [g.get("class") for g in dots] == ["dg-event"] * 4
    # in arrival order: event 4 arrived (12.5) before event 3 (14)
    arrived = sorted(EVENTS, key=lambda e: e.arrival_time)
    assert [e.value for e in arrived] == [1, 2, 4, 3]
    for g, e in zip(dots, arrived, strict=True):
        assert (f(g, "data-event-time"), f(g, "data-at")) == (e.event_time, e.arrival_time)
        assert g.get("data-value") == f"{e.value:g}"
        mark = g.find(f"{NS}circle")
        assert (f(mark, "cx"), f(mark, "cy")) == (
            near(d.x(e.event_time)),
            near(d.y(e.arrival_time)),
        )
        label = g.find(f"{NS}text")
        assert label.text == f"{e.value:g}"
        # just right of the dot, on its line
        assert f(label, "x") == near(f(mark, "cx") + 7) and f(label, "y") == near(f(mark, "cy") + 4)
    on_time = dots[0].find(f"{NS}circle")
    assert (on_time.get("r"), on_time.get("fill"), on_time.get("class")) == (
        "4",
        "currentColor",
        None,
    )
    # event 3 arrived after [0, 10) fired and made it fire again, LATE: a red dot
    late = dots[3]
    assert (late.get("data-fate"), late.get("data-window")) == ("late", "[0, 10)")
    mark = late.find(f"{NS}circle")
    assert (mark.get("class"), mark.get("fill"), mark.get("r")) == (
        "dg-late-dot",
        FALLBACK["LATE"],
        "4",
    )
    assert [g.get("data-fate") for g in dots] == ["on time", "on time", "on time", "late"]
    assert all(g.get("data-window") is None for g in dots if g.get("data-fate") == "on time")


def test_each_pane_is_a_line_across_its_window_at_its_firing_time_saying_its_value():
    d = walkthrough()
    panes = d.kind("pane")
    styles = {"ON_TIME": ("dg-on-time", "4", None), "LATE": ("dg-late", "3", "2 2")}
    for g, p in zip(panes, REPORT.panes, strict=True):
        cls, width, dash = styles[p.timing]
        assert g.get("class") == f"dg-pane {cls}"
        assert (g.get("data-window"), g.get("data-timing")) == (
            f"[{p.start:g}, {p.end:g})",
            p.timing,
        )
        assert (g.get("data-value"), g.get("data-count"), g.get("data-index")) == (
            f"{p.value:g}",
            str(p.count),
            str(p.index),
        )
        assert f(g, "data-at") == p.emitted_at
        line = g.find(f"{NS}line")
        # inset by two pixels at each end, so that neighbouring windows' panes do not touch
        assert f(line, "x1") == near(d.x(p.start) + 2) and f(line, "x2") == near(d.x(p.end) - 2)
        assert f(line, "y1") == f(line, "y2") == near(d.y(p.emitted_at))
        assert (line.get("stroke"), line.get("stroke-width"), line.get("stroke-dasharray")) == (
            FALLBACK[p.timing],
            width,
            dash,
        )
        label = g.find(f"{NS}text")
        assert label.text == f"{p.value:g}" and label.get("font-weight") == "bold"
        # above the line's right end
        assert label.get("text-anchor") == "end"
        assert f(label, "x") == near(f(line, "x2") - 2) and f(label, "y") == near(f(line, "y1") - 5)


def test_two_panes_of_a_window_close_together_put_their_values_on_both_sides():
    # at 10 and 10.5 (about 8 px apart), then at 14 (over 50 px above): end, start, end
    report = Panes(
        panes=[
            pane(0, 10, 3, 10.0),
            pane(0, 10, 4, 10.5, "LATE", index=1),
            pane(0, 10, 5, 14.0, "LATE", index=2),
            pane(10, 20, 9, 14.2),  # another window's pane: its own side
        ],
        watermarks=[(9.0, 9.0)],
    )
    svg = diagram([ev(1, 2.0, 9.0), ev(2, 3.0, 10.5), ev(3, 4.0, 14.0)], report).svg
    d = Drawn(svg, 0, 20, 0, 14.2 * 1.06)
    sides = [g.find(f"{NS}text").get("text-anchor") for g in d.kind("pane")]
    assert sides == ["end", "start", "end", "end"]
    second = d.kind("pane")[1]
    assert f(second.find(f"{NS}text"), "x") == near(d.x(0) + 4)


def test_labels_that_would_be_closer_than_fourteen_pixels_alternate_and_farther_ones_do_not():
    # the top is 14 * 1.06: 330 px for 14.84 s, so 0.62 s is 13.8 px and 0.64 s is 14.2 px
    def sides(gap):
        report = Panes(
            panes=[pane(0, 10, 1, 13.0), pane(0, 10, 2, 13.0 + gap, "LATE", index=1)],
            watermarks=[(14.0, 14.0)],
        )
        svg = diagram([ev(1, 1.0, 1.0)], report).svg
        return [
            g.find(f"{NS}text").get("text-anchor") for g in Drawn(svg, 0, 10, 0, 1).kind("pane")
        ]

    assert sides(0.62) == ["end", "start"]
    assert sides(0.64) == ["end", "end"]


def test_the_watermark_climbs_in_steps_that_hold_until_the_next_move():
    d = walkthrough()
    steps = d.kind("watermark")
    assert [(f(g, "data-at"), g.get("data-watermark")) for g in steps] == [
        (3.0, "1"),
        (9.0, "7"),
        (12.5, "11"),
        (20.0, "+inf"),
    ]
    moves = [(3.0, 1.0), (9.0, 7.0), (12.5, 11.0)]
    untils = [9.0, 12.5, 20.0]
    for i, (g, (at, wm), until) in enumerate(zip(steps, moves, untils, strict=False)):
        lines = g.findall(f"{NS}line")
        hold = lines[-1]
        assert hold.get("class") == "dg-wm-line dg-wm-hold"
        assert f(hold, "data-until") == until
        assert f(hold, "x1") == f(hold, "x2") == near(d.x(wm))
        assert (f(hold, "y1"), f(hold, "y2")) == (near(d.y(at)), near(d.y(until)))
        assert hold.get("stroke") == FALLBACK["watermark"]
        if i == 0:
            assert len(lines) == 1  # the first move has nowhere to jump from
            continue
        jump = lines[0]
        assert jump.get("class") == "dg-wm-line"
        assert f(jump, "x1") == near(d.x(moves[i - 1][1])) and f(jump, "x2") == near(d.x(wm))
        assert f(jump, "y1") == f(jump, "y2") == near(d.y(at))
    # the end of input: a jump to the right edge, and words instead of a hold
    end = steps[-1]
    (jump,) = end.findall(f"{NS}line")
    assert f(jump, "x1") == near(d.x(11.0)) and f(jump, "x2") == d.right
    assert f(jump, "y1") == near(d.y(20.0))
    note = end.find(f"{NS}text")
    assert note.text == "end of input at 20 s: watermark +inf"
    assert f(note, "x") == d.right and f(note, "y") < d.top


def test_a_watermark_behind_the_first_event_is_drawn_at_the_left_edge():
    report = Panes(panes=[pane(10, 20, 1, 25.0)], watermarks=[(11.0, -100.0), (25.0, 30.0)])
    svg = diagram([ev(1, 11.0, 11.0)], report).svg
    d = Drawn(svg, 10, 20, 0, 25 * 1.06)
    steps = d.kind("watermark")
    holds = [g.find(f"{NS}line[@class='dg-wm-line dg-wm-hold']") for g in steps[:2]]
    assert [f(h, "x1") for h in holds] == [d.left, d.right]  # and one far ahead at the right
    assert [g.get("data-watermark") for g in d.kind("watermark")] == ["-100", "30", "+inf"]


def test_columns_shade_each_window_and_the_diagonal_marks_no_delay():
    d = walkthrough()
    columns = [r for r in d.root.iter(f"{NS}rect") if r.get("class") == "dg-window"]
    assert [(f(r, "x"), f(r, "width")) for r in columns] == [
        (near(d.x(0)), near(d.x(10) - d.x(0))),
        (near(d.x(10)), near(d.x(20) - d.x(10))),
    ]
    assert all((f(r, "y"), f(r, "height")) == (d.top, d.bottom - d.top) for r in columns)
    # neighbours differ in shade, so that adjacent windows read apart
    assert [r.get("fill-opacity") for r in columns] == ["0.09", "0.05"]
    (ideal,) = [ln for ln in d.root.iter(f"{NS}line") if ln.get("class") == "dg-ideal"]
    # from (0, 0) to (20, 20): where event time equals processing time
    assert (f(ideal, "x1"), f(ideal, "y1")) == (near(d.x(0)), near(d.y(0)))
    assert (f(ideal, "x2"), f(ideal, "y2")) == (near(d.x(20)), near(d.y(20)))


def test_the_diagonal_is_clipped_to_the_plane_and_left_out_when_it_misses_it():
    # event times -20..-10, processing times 0..12.72: the diagonal never crosses the plane
    report = Panes(panes=[pane(-20, -10, 1, 12.0)], watermarks=[])
    svg = diagram([ev(1, -15.0, 12.0)], report).svg
    assert 'class="dg-ideal"' not in svg
    # event times -5..5, processing times 0..10.6: from (0, 0) to (5, 5)
    report = Panes(panes=[pane(-5, 5, 1, 10.0)], watermarks=[])
    d = Drawn(diagram([ev(1, 1.0, 2.0)], report).svg, -5, 5, 0, 10.6)
    (ideal,) = [ln for ln in d.root.iter(f"{NS}line") if ln.get("class") == "dg-ideal"]
    assert (f(ideal, "x1"), f(ideal, "y1")) == (near(d.x(0)), near(d.y(0)))
    assert (f(ideal, "x2"), f(ideal, "y2")) == (near(d.x(5)), near(d.y(5)))


def test_axes_tick_labels_say_the_times_at_their_places():
    d = walkthrough()
    texts = list(d.root.iter(f"{NS}text"))
    y_ticks = [t for t in texts if t.get("text-anchor") == "end" and f(t, "x") < d.left]
    assert [t.text for t in y_ticks] == ["0", "5", "10", "15", "20"]
    assert [f(t, "y") for t in y_ticks] == [near(d.y(float(t.text)) + 4) for t in y_ticks]
    x_ticks = [t for t in texts if t.get("y") == f"{d.bottom + 16:g}"]
    assert [t.text for t in x_ticks] == ["0", "5", "10", "15", "20"]
    assert [f(t, "x") for t in x_ticks] == [near(d.x(float(t.text))) for t in x_ticks]
    grid = [ln for ln in d.root.iter(f"{NS}line") if ln.get("stroke-opacity") == "0.12"]
    assert [f(g, "y1") for g in grid] == [near(d.y(v)) for v in (0, 5, 10, 15, 20)]
    assert all((f(g, "x1"), f(g, "x2")) == (d.left, d.right) for g in grid)
    (across,) = [t for t in texts if t.text == "event time (s)"]
    assert f(across, "x") == (d.left + d.right) / 2 and f(across, "y") > d.bottom + 16
    (up,) = [t for t in texts if t.text == "processing time (s)"]
    ty = re.fullmatch(r"translate\(14 ([\d.]+)\) rotate\(-90\)", up.get("transform")).group(1)
    assert float(ty) == (d.top + d.bottom) / 2
    title = texts[0]
    assert title.text == "Event time x processing time, key a" and title.get("font-size") == "14"


def test_the_now_cursor_is_hidden_across_the_top_until_the_page_moves_it():
    d = walkthrough()
    (now,) = [g for g in d.root.iter(f"{NS}g") if g.get("class") == "dg-now"]
    assert now.get("visibility") == "hidden"
    line = now.find(f"{NS}line")
    assert (f(line, "x1"), f(line, "x2")) == (d.left, d.right)
    assert f(line, "y1") == f(line, "y2") == d.top
    assert now.find(f"{NS}text").text == "now"


def test_the_legend_keys_every_mark_and_line_in_a_row_left_to_right():
    d = walkthrough()
    (legend,) = [g for g in d.root.iter(f"{NS}g") if g.get("class") == "dg-legend"]
    names = [t.text for t in legend.iter(f"{NS}text")]
    assert names == [
        "event",
        "late",
        "too late",
        "dropped",
        "watermark",
        "panes:",
        "early",
        "on-time",
        "late",
    ]
    keys = [el for el in legend if el.tag != f"{NS}text"]
    # the keys carry the classes the site's stylesheet colours the diagram by
    assert [k.get("class") for k in keys] == [
        None,
        "dg-late-dot",
        "dg-too-late",
        "dg-dropped",
        "dg-wm-line",
        "dg-early",
        "dg-on-time",
        "dg-late",
    ]
    lines = keys[4:]
    assert [(k.get("stroke"), k.get("stroke-width"), k.get("stroke-dasharray")) for k in lines] == [
        (FALLBACK["watermark"], "2.5", None),
        (FALLBACK["EARLY"], "3", "6 3"),
        (FALLBACK["ON_TIME"], "4", None),
        (FALLBACK["LATE"], "3", "2 2"),
    ]

    # one row, above the plot; each key before its name and the name before the next key
    def left_of(el):
        return f(el, "cx") if el.get("cx") else f(el, "x1") if el.get("x1") else None

    row = [el for el in legend]
    xs = []
    for el in row:
        if el.tag == f"{NS}text":
            xs.append(f(el, "x"))
        elif el.tag == f"{NS}path":
            xs.append(float(re.match(r"M([\d.]+)", el.get("d")).group(1)))
        else:
            xs.append(left_of(el))
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(x < d.right for x in xs)
    ys = [f(el, "y") for el in legend.iter(f"{NS}text")]
    assert len(set(ys)) == 1 and ys[0] < d.top - 20
    # a name is wide enough apart from the next key: at least 6 px per letter
    texts = [el for el in row if el.tag == f"{NS}text"]
    for name, nxt in itertools.pairwise(texts):
        assert f(nxt, "x") - f(name, "x") >= 6 * len(name.text)


def test_too_late_is_a_ring_and_dropped_a_cross_centred_on_the_event():
    six = ev(6, 8.0, 16.0)
    seven = ev(7, 3.0, 17.0)
    report = Panes(
        panes=[pane(0, 10, 3, 10.0)],
        watermarks=[(10.0, 10.0), (20.0, math.inf)],
        late=[LateEvent(six, 0.0, 10.0)],
        dropped=[LateEvent(seven, 0.0, 10.0)],
    )
    d = Drawn(diagram([ev(1, 1.0, 1.0), six, seven], report).svg, 0, 10, 0, 21.2)
    ring_g, cross_g = d.kind("event")[1:]
    assert (ring_g.get("data-fate"), ring_g.get("data-window")) == ("too late", "[0, 10)")
    ring = ring_g.find(f"{NS}circle")
    assert (ring.get("class"), ring.get("fill"), ring.get("stroke"), ring.get("r")) == (
        "dg-too-late",
        "none",
        FALLBACK["LATE"],
        "4.5",
    )
    assert (f(ring, "cx"), f(ring, "cy")) == (near(d.x(8.0)), near(d.y(16.0)))
    assert (cross_g.get("data-fate"), cross_g.get("data-window")) == ("dropped", "[0, 10)")
    cross = cross_g.find(f"{NS}path")
    assert (cross.get("class"), cross.get("stroke")) == ("dg-dropped", FALLBACK["dropped"])
    cx, cy = d.x(3.0), d.y(17.0)
    coords = [float(v) for v in re.findall(r"-?[\d.]+", cross.get("d"))]
    # two strokes of 8 px through the centre: top-left to bottom-right, bottom-left to top-right
    assert coords == [
        near(cx - 4),
        near(cy - 4),
        near(cx + 4),
        near(cy + 4),
        near(cx - 4),
        near(cy + 4),
        near(cx + 4),
        near(cy - 4),
    ]
    assert re.fullmatch(r"M\S+ L\S+ M\S+ L\S+", cross.get("d"))
    assert d.root.get("aria-label").startswith(
        "Event time x processing time, key a: 3 events (2 late)"
    )


def test_late_events_are_recognised_from_a_copy_of_the_report():
    """A report computed from equal events (a copy of the list) still marks them."""
    six, seven = ev(6, 8.0, 16.0), ev(7, 3.0, 17.0)
    report = Panes(
        panes=[pane(0, 10, 3, 10.0)],
        watermarks=[(10.0, 10.0)],
        late=[LateEvent(ev(6, 8.0, 16.0), 0.0, 10.0), LateEvent(ev(9, 1.0, 1.0, "b"), 0, 10)],
        dropped=[LateEvent(ev(7, 3.0, 17.0), 0.0, 10.0), LateEvent(ev(9, 1.0, 1.0, "b"), 0, 10)],
    )
    d = Drawn(diagram([six, seven], report).svg, 0, 10, 0, 1)
    assert [g.get("data-fate") for g in d.kind("event")] == ["too late", "dropped"]
    # a straggler too late for two sliding windows is marked for the first the report lists
    report.late.insert(0, LateEvent(ev(6, 8.0, 16.0), 5.0, 15.0))
    d = Drawn(diagram([six, seven], report).svg, 0, 15, 0, 1)
    assert [g.get("data-window") for g in d.kind("event")] == ["[5, 15)", "[0, 10)"]
    # the other key's late event is not this key's
    d = Drawn(diagram([six, seven, ev(9, 1.0, 1.0, "b")], report, key="b").svg, 0, 10, 0, 1)
    assert [g.get("data-fate") for g in d.kind("event")] == ["too late"]


def test_a_late_pane_counts_an_event_only_of_its_window_and_moment():
    # LATE pane of [0, 10) fired at 14: the event arriving at 14 inside [0, 10) is "late"; one
    # at event time 10 (the next window: half-open) or arriving at 14.5 is on time here
    report = Panes(
        panes=[pane(0, 10, 3, 10.0), pane(0, 10, 6, 14.0, "LATE", index=1)],
        watermarks=[(10.0, 10.0)],
    )
    evs = [ev(1, 0.0, 14.0), ev(2, 9.5, 14.0), ev(3, 10.0, 14.0), ev(4, 5.0, 14.5)]
    d = Drawn(diagram(evs, report).svg, 0, 10, 0, 1)
    assert [g.get("data-fate") for g in d.kind("event")] == ["late", "late", "on time", "on time"]
    # an ON_TIME pane at an arrival does not make the event late
    report = Panes(panes=[pane(0, 10, 3, 14.0)], watermarks=[(14.0, 14.0)])
    d = Drawn(diagram([ev(1, 5.0, 14.0)], report).svg, 0, 10, 0, 1)
    assert [g.get("data-fate") for g in d.kind("event")] == ["on time"]


def test_stream_emissions_are_drawn_as_panes_with_their_timing_and_index():
    em = [
        Emission("a", 0, 10, 3, 2, 10.0, timing="on-time"),
        Emission("b", 0, 10, 1, 1, 10.0, timing="on-time"),
        Emission("a", 0, 10, 5, 3, 12.0, update=True, timing="late"),
        Emission("a", 10, 20, 1, 1, 13.0, timing="early"),
        Emission("a", 0, 10, 6, 4, 13.0, update=True, timing="late"),
        Emission("a", 10, 20, 2, 2, 20.0, timing="on-time"),
    ]
    report = Emissions(emissions=em, watermarks=[(10.0, 10.0)])
    evs = [ev(1, 1.0, 1.0), ev(2, 2.0, 12.0), ev(3, 3.0, 13.0), ev(4, 1.0, 2.0, "b")]
    d = Drawn(diagram(evs, report).svg, 0, 20, 0, 1)
    assert [
        (g.get("data-window"), g.get("data-timing"), g.get("data-index"), g.get("data-value"))
        for g in d.kind("pane")
    ] == [
        ("[0, 10)", "ON_TIME", "0", "3"),
        ("[0, 10)", "LATE", "1", "5"),
        ("[10, 20)", "EARLY", "0", "1"),
        ("[0, 10)", "LATE", "2", "6"),
        ("[10, 20)", "ON_TIME", "1", "2"),
    ]
    assert [g.get("data-count") for g in d.kind("pane")] == ["2", "3", "1", "4", "2"]
    # the LATE emissions at the arrivals of events 2 and 3 make them late dots
    assert [g.get("data-fate") for g in d.kind("event")] == ["on time", "late", "late"]


def test_an_emission_of_an_unknown_timing_is_drawn_on_time():
    em = [Emission("a", 0, 10, 3, 2, 10.0, timing="")]
    d = Drawn(diagram([ev(1, 1.0, 1.0)], Emissions(emissions=em)).svg, 0, 10, 0, 1)
    assert [g.get("data-timing") for g in d.kind("pane")] == ["ON_TIME"]


def test_the_key_drawn_is_the_busiest_then_the_first_by_name():
    evs = [ev(1, 1.0, 1.0, "b"), ev(1, 2.0, 2.0, "c"), ev(2, 3.0, 3.0, "b"), ev(2, 4.0, 4.0, "c")]
    evs.append(ev(3, 5.0, 5.0, "a"))
    assert diagram(evs, Panes()).key == "b"
    assert diagram([*evs, ev(3, 6.0, 6.0, "c")], Panes()).key == "c"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"key": 1}, TypeError, r"^key must be a str, got int 1$"),
        ({"key": "z"}, ValueError, r"^key must be one of the events' keys \['a', 'b'\], got 'z'$"),
        ({"title": 5}, TypeError, r"^title must be a str, got int 5$"),
        ({"until": "x"}, TypeError, r"^until must be a number"),
        ({"until": math.nan}, ValueError, r"^until must be"),
    ],
)
def test_bad_arguments_are_refused_by_name(kwargs, error, message):
    evs = [ev(1, 1.0, 1.0), ev(2, 2.0, 2.0, "b")]
    with pytest.raises(error, match=message):
        diagram(evs, Panes(), **kwargs)


def test_no_events_and_a_report_of_another_kind_are_refused():
    with pytest.raises(
        ValueError, match=r"^events must hold at least one event to draw, got none$"
    ):
        diagram([], Panes())
    message = r"^report must be what run_triggered or run_stream returned, got {}$"
    with pytest.raises(TypeError, match=message.format("dict")):
        diagram([ev(1, 1.0, 1.0)], {"watermarks": []})

    @dataclass
    class Neither:
        watermarks: list = field(default_factory=list)
        late: list = field(default_factory=list)
        dropped: list = field(default_factory=list)

    for missing in ("watermarks", "late", "dropped"):
        report = Panes()
        delattr(report, missing)
        with pytest.raises(TypeError, match=message.format("Panes")):
            diagram([ev(1, 1.0, 1.0)], report)
    with pytest.raises(TypeError, match=message.format("Neither")):
        diagram([ev(1, 1.0, 1.0)], Neither())


def test_as_many_events_as_allowed_are_drawn_and_one_more_is_refused():
    evs = [ev(i % 7, float(i), float(i)) for i in range(MAX_EVENTS)]
    assert len(Drawn(diagram(evs, Panes()).svg, 0, 1, 0, 1).kind("event")) == MAX_EVENTS
    more = [*evs, ev(1, 400.0, 400.0)]
    with pytest.raises(ValueError, match=rf"^events must hold at most {MAX_EVENTS} events of key "):
        diagram(more, Panes())
    # another key's events do not count, nor those after until
    assert diagram([*evs, ev(1, 400.0, 400.0, "b")], Panes(), key="a").key == "a"
    assert diagram(more, Panes(), until=399.0).key == "a"


def test_values_are_written_up_to_the_label_limit_and_kept_in_the_data_past_it():
    def labels(n):
        evs = [ev(i, float(i), float(i)) for i in range(n)]
        panes = [pane(i, i + 1, i, float(i)) for i in range(n)]
        d = Drawn(diagram(evs, Panes(panes=panes)).svg, 0, 1, 0, 1)
        marks = d.kind("event") + d.kind("pane")
        assert all(g.get("data-value") is not None for g in marks)
        return [g.find(f"{NS}text") is not None for g in marks]

    assert all(labels(MAX_LABELS)) and MAX_LABELS == 40
    assert not any(labels(MAX_LABELS + 1))


def test_until_keeps_what_had_happened_by_then_its_edge_included():
    evs = [ev(1, 1.0, 1.0), ev(2, 2.0, 5.0), ev(3, 3.0, 5.5), ev(4, 4.0, 9.0)]
    report = Panes(
        panes=[pane(0, 10, 3, 5.0, "EARLY", count=2), pane(0, 10, 10, 10.0, index=1)],
        watermarks=[(1.0, 0.0), (5.0, 4.0), (9.0, 8.0), (10.0, math.inf)],
    )
    d = diagram(evs, report, until=5.0)
    drawn = Drawn(d.svg, 0, 10, 0, 5.3)
    assert [f(g, "data-at") for g in drawn.kind("event")] == [1.0, 5.0]
    assert [f(g, "data-at") for g in drawn.kind("pane")] == [5.0]
    assert [f(g, "data-at") for g in drawn.kind("watermark")] == [1.0, 5.0]
    # the input had not ended: the last step holds to the top, the title says how far it goes
    assert d.title == "Event time x processing time, key a, first 5 s"
    assert float(drawn.root.get("data-t1")) == pytest.approx(5.3)
    hold = drawn.kind("watermark")[-1].find(f"{NS}line[@class='dg-wm-line dg-wm-hold']")
    assert f(hold, "data-until") == pytest.approx(5.3) and f(hold, "y2") == drawn.top
    assert "end of input" not in d.text
    # until the input's very end: all of it, the end included, and no "first ... s"
    whole = diagram(evs, report, until=10.0)
    assert whole.svg == diagram(evs, report).svg and whole.title == diagram(evs, report).title
    assert "end of input" in whole.text


def test_the_input_ends_at_the_last_arrival_of_any_key_when_the_trace_does_not_say():
    evs = [ev(1, 1.0, 1.0), ev(2, 2.0, 2.0, "b"), ev(3, 3.0, 7.5, "b")]
    report = Panes(panes=[pane(0, 10, 1, 7.5)], watermarks=[(1.0, 0.0), (7.5, 6.5)])
    d = diagram(evs, report, key="a")
    root = ET.fromstring(d.svg)
    ends = [g for g in root.iter() if g.get("data-watermark") == "+inf"]
    assert [float(g.get("data-at")) for g in ends] == [7.5]
    assert "end of input at 7.5 s" in d.svg
    # the watermark (6.5) had not passed the window's end: the end of input fired it
    assert d.text.splitlines()[-2:] == [
        "  t=7.5    end of input: watermark +inf",
        "  t=7.5    pane [0, 10) ON_TIME = 1 (1 event)",
    ]
    # until past that end draws the end; until before it does not
    assert "+inf" in diagram(evs, report, key="a", until=7.5).svg
    assert "+inf" not in diagram(evs, report, key="a", until=7.4).svg


def test_the_text_orders_each_moment_arrival_watermark_pane_end_then_panes_the_end_fired():
    evs = [ev(1, 1.0, 4.0), ev(2, 12.0, 12.0)]
    report = Panes(
        panes=[
            pane(10, 20, 2, 12.0, count=1),  # fired by the end of input, past the watermark
            pane(0, 10, 1, 12.0, count=1),  # the watermark had passed it: fired by the watermark
        ],
        watermarks=[(4.0, 3.0), (12.0, 11.0), (12.0, math.inf)],
    )
    late = ev(3, 5.0, 12.0)
    report.late.append(LateEvent(late, 0.0, 10.0))
    d = diagram([*evs, late], report)
    assert d.text.splitlines() == [
        "Event time x processing time, key a: 3 events, 2 panes",
        "  t=4      event 1 (event time 1) arrives",
        "  t=4      watermark 3",
        "  t=12     event 2 (event time 12) arrives",
        "  t=12     event 3 (event time 5) arrives: too late for [0, 10)",
        "  t=12     watermark 11",
        "  t=12     pane [0, 10) ON_TIME = 1 (1 event)",
        "  t=12     end of input: watermark +inf",
        "  t=12     pane [10, 20) ON_TIME = 2 (1 event)",
    ]
    assert str(d) == d.text and d._repr_svg_() == d.svg


def test_the_text_counts_events_in_the_plural():
    report = Panes(panes=[pane(0, 10, 5, 10.0, count=0), pane(0, 10, 5, 11.0, "LATE", 2, 1)])
    text = diagram([ev(1, 1.0, 1.0)], report).text
    assert "pane [0, 10) ON_TIME = 5 (0 events)" in text
    assert "pane [0, 10) LATE = 5 (2 events)" in text


def test_the_watermark_before_any_move_and_with_no_trace():
    d = diagram([ev(1, 1.0, 1.0)], Panes())
    assert "watermark +inf" in d.text  # the end of input is still a move
    steps = Drawn(d.svg, 0, 1, 0, 1).kind("watermark")
    assert [g.get("data-watermark") for g in steps] == ["+inf"]
    assert steps[0].find(f"{NS}line") is None  # no step before it to jump from


def test_a_lone_instant_gets_a_plane_of_two_seconds_around_it():
    d = diagram([ev(1, 5.0, 5.0)], Panes(watermarks=[(5.0, 4.0), (5.0, math.inf)]))
    root = ET.fromstring(d.svg)
    # processing times 0..5 (zero is always drawn), event times 4..6 around the lone 5
    assert (float(root.get("data-t0")), float(root.get("data-t1"))) == (0.0, pytest.approx(5.3))
    (dot,) = [g for g in root.iter() if g.get("data-kind") == "event"]
    assert float(dot.find(f"{NS}circle").get("cx")) == pytest.approx((56 + 620) / 2, abs=0.051)


def test_watermark_moves_are_folded_below_half_a_pixel():
    # event times 0..564 over 564 px: one pixel a second
    report = Panes(
        panes=[pane(0, 564, 1, 10.0)],
        watermarks=[(1.0, 100.0), (2.0, 100.3), (3.0, 100.6), (4.0, 100.9), (5.0, 101.2)],
    )
    svg = diagram([ev(1, 1.0, 1.0)], report).svg
    kept = [g.get("data-watermark") for g in Drawn(svg, 0, 564, 0, 1).kind("watermark")]
    assert kept == ["100", "100.6", "101.2", "+inf"]
    # exactly half a pixel (156.5 - 156.0, 157.0 - 156.5: exact in floats) is kept
    report.watermarks = [(1.0, 100.0), (2.0, 100.5), (3.0, 100.9), (4.0, 101.0)]
    svg = diagram([ev(1, 1.0, 1.0)], report).svg
    kept = [g.get("data-watermark") for g in Drawn(svg, 0, 564, 0, 1).kind("watermark")]
    assert kept == ["100", "100.5", "101", "+inf"]


@pytest.mark.parametrize(
    ("windows", "depth"),
    [
        ([], 0),
        ([(0, 10)], 1),
        ([(0, 10), (10, 20)], 1),  # half-open: one ends as the next starts
        ([(0, 10), (5, 15), (10, 20)], 2),
        ([(0, 10), (5, 15), (9, 12)], 3),
    ],
)
def test_depth_counts_the_windows_over_one_instant(windows, depth):
    assert _depth(windows) == depth


def test_columns_are_shaded_for_two_overlapping_windows_but_not_three():
    def columns(spans):
        report = Panes(panes=[pane(a, b, 1, float(b)) for a, b in spans])
        svg = diagram([ev(1, 1.0, 1.0)], report).svg
        return [r for r in ET.fromstring(svg).iter(f"{NS}rect") if r.get("class") == "dg-window"]

    assert len(columns([(0, 10), (5, 15), (10, 20)])) == 3
    assert columns([(0, 10), (5, 15), (8, 18)]) == []
    # a window inside another is no column of its own; one pane per window, one column
    assert len(columns([(0, 30), (5, 15), (0, 30)])) == 1
    # a window as narrow as a pixel still shows
    (thin,) = columns([(0, 0.0001), (10, 1000)])[:1]
    assert float(thin.get("width")) == 0.5


def test_until_before_the_first_arrival_draws_an_empty_plane():
    report = Panes(panes=[pane(0, 10, 1, 10.0)], watermarks=[(2.0, 1.0), (10.0, math.inf)])
    d = diagram([ev(1, 1.0, 2.0), ev(2, 3.0, 4.0)], report, until=1.5)
    drawn = Drawn(d.svg, 0, 1, 0, 1.5 * 1.06)
    assert drawn.kind("event") == drawn.kind("pane") == drawn.kind("watermark") == []
    assert d.text == "Event time x processing time, key a, first 1.5 s: 0 events, 0 panes"
    # event time runs 0..1, processing time 0..1.59: ticks say so
    x_ticks = [t.text for t in drawn.root.iter(f"{NS}text") if t.get("y") == "416"]
    assert x_ticks == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    assert float(drawn.root.get("data-t1")) == pytest.approx(1.59)


def test_the_text_breaks_ties_by_kind_then_by_order_given():
    # two arrivals at 4 (values 5 then 3, in the order given), a watermark move at 4: events
    # first in their own order, then the move, whatever the words say
    evs = [ev(9, 0.0, 0.5), ev(5, 1.0, 4.0), ev(3, 2.0, 4.0)]
    report = Panes(watermarks=[(4.0, 1.0)])
    assert diagram(evs, report).text.splitlines()[1:4] == [
        "  t=0.5    event 9 (event time 0) arrives",
        "  t=4      event 5 (event time 1) arrives",
        "  t=4      event 3 (event time 2) arrives",
    ]
    assert diagram(evs, report).text.splitlines()[4] == "  t=4      watermark 1"


def test_a_pane_the_watermark_reached_is_listed_before_the_end_of_input():
    # the last move (10 at 12) reached [0, 10)'s end exactly: the watermark fired it, not the end
    report = Panes(panes=[pane(0, 10, 1, 12.0)], watermarks=[(12.0, 10.0), (12.0, math.inf)])
    assert diagram([ev(1, 1.0, 12.0)], report).text.splitlines()[-2:] == [
        "  t=12     pane [0, 10) ON_TIME = 1 (1 event)",
        "  t=12     end of input: watermark +inf",
    ]
    # with no move at all, the end of input fired every window
    report = Panes(panes=[pane(0, 10, 1, 12.0)])
    assert diagram([ev(1, 1.0, 12.0)], report).text.splitlines()[-2:] == [
        "  t=12     end of input: watermark +inf",
        "  t=12     pane [0, 10) ON_TIME = 1 (1 event)",
    ]
    # an EARLY or LATE pane at that moment is never the end's
    report = Panes(panes=[pane(0, 10, 1, 12.0, "LATE")])
    assert diagram([ev(1, 1.0, 12.0)], report).text.splitlines()[-1] == (
        "  t=12     end of input: watermark +inf"
    )


def test_every_text_is_drawn_in_the_themes_colour_and_nothing_stray_is_drawn():
    d = walkthrough()
    root = d.root
    assert (root.get("font-family"), root.get("font-size")) == ("system-ui, sans-serif", "12")
    assert root.get("style") == "max-width:640px" and root.get("viewBox") == "0 0 640 444"
    # text reads on light and dark pages: it takes the page's colour
    assert {t.get("fill") for t in root.iter(f"{NS}text")} == {"currentColor"}
    # axes, grid, columns and the diagonal too
    neutral = [
        el
        for el in root.iter()
        if el.get("class") in ("dg-window", "dg-ideal")
        or el.get("stroke-opacity") == "0.12"
        or (el.tag == f"{NS}path" and el.get("fill") == "none")
    ]
    assert len(neutral) > 8
    assert all("currentColor" in (el.get("stroke"), el.get("fill")) for el in neutral)
    # characters outside any element would show as stray text
    for el in root.iter():
        assert not (el.tail or "").strip(), (el.tag, el.tail)
        if el.tag not in (f"{NS}text", f"{NS}title"):
            assert not (el.text or "").strip(), (el.tag, el.text)
    (title,) = [
        t for t in root.iter(f"{NS}text") if t.get("font-weight") == "bold" and t.get("y") == "20"
    ]
    assert float(title.get("x")) == 320 and title.get("text-anchor") == "middle"
    # tick labels end 6 px left of the axis; the axis name sits 8 px above the bottom edge
    ticks = [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    ticks = [t for t in ticks if t.text.isdigit() and float(t.get("x")) < d.left]
    assert len(ticks) == 5 and {float(t.get("x")) for t in ticks} == {d.left - 6}
    (across,) = [t for t in root.iter(f"{NS}text") if t.text == "event time (s)"]
    assert float(across.get("y")) == 444 - 8
    (ideal,) = [el for el in root.iter(f"{NS}line") if el.get("class") == "dg-ideal"]
    assert ideal.get("stroke-dasharray") == "1 4"  # dotted: not to be taken for the watermark


def test_columns_alternate_their_shade():
    report = Panes(panes=[pane(a, a + 10, 1, a + 10.0) for a in (0, 10, 20, 30)])
    svg = diagram([ev(1, 1.0, 1.0)], report).svg
    columns = [r for r in ET.fromstring(svg).iter(f"{NS}rect") if r.get("class") == "dg-window"]
    assert [r.get("fill-opacity") for r in columns] == ["0.09", "0.05", "0.09", "0.05"]


def test_a_diagonal_that_only_touches_the_plane_is_not_drawn():
    # event times -10..0, processing times 0..3.18: they share the instant 0 only
    report = Panes(panes=[pane(-10, 0, 1, 3.0)])
    svg = diagram([ev(1, -5.0, 3.0)], report).svg
    assert 'class="dg-ideal"' not in svg


def test_the_legend_is_laid_out_by_its_rule_so_names_never_overlap():
    """Each name 8 px after its mark (22 after a line key of 18 px), the next key 12 px after the
    name's width at 7 px a letter, "panes:" 46 px wide; marks centred on the text's middle."""
    (legend,) = [g for g in walkthrough().root.iter(f"{NS}g") if g.get("class") == "dg-legend"]
    row = list(legend)
    x, baseline = 16.0, 42.0
    i = 0
    for name in ("event", "late", "too late", "dropped"):
        mark, text = row[i], row[i + 1]
        if mark.tag == f"{NS}path":
            first = [float(v) for v in re.findall(r"[\d.]+", mark.get("d"))[:2]]
            assert first == [x - 4, baseline - 4 - 4]  # the cross's top-left corner
        else:
            assert (f(mark, "cx"), f(mark, "cy")) == (x, baseline - 4)
        assert (text.text, f(text, "x"), f(text, "y")) == (name, round(x + 8), baseline)
        x += 8 + 7 * len(name) + 12
        i += 2
    for name in ("watermark", "early", "on-time", "late"):
        if name == "early":
            assert (row[i].text, f(row[i], "x")) == ("panes:", round(x))
            x += 46
            i += 1
        key, text = row[i], row[i + 1]
        assert (f(key, "x1"), f(key, "x2")) == (round(x), round(x + 18))
        assert f(key, "y1") == f(key, "y2") == baseline - 4
        assert (text.text, f(text, "x"), f(text, "y")) == (name, round(x + 22), baseline)
        x += 22 + 7 * len(name) + 12
        i += 2
    assert i == len(row) and x < 640


def test_times_before_zero_are_drawn_on_their_own_scale():
    # every time negative: the plane runs from the earliest (-5) to the latest (-2) plus 6%
    report = Panes(panes=[pane(-10, 0, 1, -2.0)], watermarks=[(-5.0, -6.0), (-2.0, math.inf)])
    d = Drawn(diagram([ev(1, -8.0, -5.0)], report).svg, -10, 0, -5.0, -2.0 + 3 * 0.06)
    assert float(d.root.get("data-t0")) == -5.0
    assert float(d.root.get("data-t1")) == pytest.approx(-1.82)
    (dot,) = d.kind("event")
    mark = dot.find(f"{NS}circle")
    assert (f(mark, "cx"), f(mark, "cy")) == (near(d.x(-8.0)), near(d.y(-5.0)))
    (p,) = d.kind("pane")
    assert f(p.find(f"{NS}line"), "y1") == near(d.y(-2.0))


def test_a_dropped_event_does_not_hide_the_events_after_it():
    gone = ev(2, 1.0, 15.0)
    report = Panes(
        panes=[pane(0, 10, 1, 10.0)],
        watermarks=[(10.0, 10.0)],
        dropped=[LateEvent(gone, 0.0, 10.0)],
        late=[LateEvent(ev(3, 2.0, 16.0), 0.0, 10.0)],
    )
    evs = [ev(1, 1.0, 1.0), gone, ev(3, 2.0, 16.0), ev(4, 12.0, 17.0)]
    d = Drawn(diagram(evs, report).svg, 0, 12, 0, 1)
    assert [g.get("data-fate") for g in d.kind("event")] == [
        "on time",
        "dropped",
        "too late",
        "on time",
    ]


def test_depth_is_the_most_windows_open_at_once_not_a_running_total():
    # [2, 4) closes before [5, 15) and [6, 16) open: three overlap at 6 (with [0, 10))
    assert _depth([(0, 10), (2, 4), (5, 15), (6, 16)]) == 3


def test_the_now_label_sits_above_the_cursors_right_end():
    d = walkthrough()
    (now,) = [g for g in d.root.iter(f"{NS}g") if g.get("class") == "dg-now"]
    label = now.find(f"{NS}text")
    assert (f(label, "x"), f(label, "y"), label.get("text-anchor")) == (
        d.right - 2,
        d.top - 4,
        "end",
    )


def test_the_refusal_of_a_long_stream_says_what_to_do():
    evs = [ev(1, float(i), float(i)) for i in range(MAX_EVENTS + 1)]
    with pytest.raises(ValueError) as refused:
        diagram(evs, Panes())
    assert str(refused.value) == (
        f"events must hold at most {MAX_EVENTS} events of key 'a' for a diagram (one dot each), "
        f"got {MAX_EVENTS + 1}: draw another key, or pass until= to draw the stream's start"
    )


def test_marks_past_the_label_limit_carry_no_stray_text():
    evs = [ev(i, float(i), float(i)) for i in range(MAX_LABELS + 1)]
    panes = [pane(i, i + 1, i, float(i)) for i in range(MAX_LABELS + 1)]
    root = ET.fromstring(diagram(evs, Panes(panes=panes)).svg)
    for g in root.iter(f"{NS}g"):
        if g.get("data-kind") in ("event", "pane"):
            assert not (g.text or "").strip() and all(not (c.tail or "").strip() for c in g)


def test_a_pane_of_a_window_narrower_than_its_insets_is_still_a_pixel_long():
    report = Panes(panes=[pane(0, 0.001, 1, 5.0), pane(0, 1000, 1, 10.0)])
    d = Drawn(diagram([ev(1, 0.0, 1.0)], report).svg, 0, 1000, 0, 1)
    line = d.kind("pane")[0].find(f"{NS}line")
    assert f(line, "x1") == near(d.left + 2) and f(line, "x2") == near(d.left + 3)


def test_the_end_of_input_note_and_the_dropped_cross_keep_their_style():
    d = walkthrough()
    note = d.kind("watermark")[-1].find(f"{NS}text")
    assert f(note, "y") == d.top - 6
    (legend,) = [g for g in d.root.iter(f"{NS}g") if g.get("class") == "dg-legend"]
    (cross,) = legend.iter(f"{NS}path")
    assert (cross.get("class"), cross.get("stroke-width")) == ("dg-dropped", "2")
