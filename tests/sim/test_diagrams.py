"""The event-time x processing-time diagram: each event, watermark move and pane, where, when."""

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest

from simulations import (
    Session,
    Sliding,
    Tumbling,
    book,
    diagram,
    events,
    generate_stream,
    run_stream,
    run_triggered,
)
from simulations.diagrams import MAX_EVENTS, PLOT_H, TOP

NS = "{http://www.w3.org/2000/svg}"

# The watermark walkthrough of the windows lesson.
WALK = events(
    [
        ("a", 1, 1.0, 1.5),
        ("a", 2, 4.0, 5.0),
        ("a", 3, 9.0, 12.5),
        ("a", 4, 11.0, 11.2),
        ("a", 5, 13.0, 13.1),
        ("a", 6, 8.0, 16.0),
        ("a", 7, 21.0, 21.3),
    ]
)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def kind(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if el.get("data-kind") == name]


def test_every_pane_is_drawn_at_its_window_and_its_firing_time():
    report = run_triggered(
        WALK, window=Tumbling(10), watermark_delay=2, allowed_lateness=5, early_every=2
    )
    root = parsed(diagram(WALK, report).svg)
    drawn = [
        (
            g.get("data-window"),
            g.get("data-timing"),
            g.get("data-value"),
            float(g.get("data-at")),
            int(g.get("data-index")),
        )
        for g in kind(root, "pane")
    ]
    expected = [
        (f"[{p.start:g}, {p.end:g})", p.timing, f"{p.value:g}", p.emitted_at, p.index)
        for p in report.panes
    ]
    assert drawn == expected
    assert {t for _, t, *_ in drawn} == {"EARLY", "ON_TIME", "LATE"}
    # each pane's line spans its window's columns, at the height of its firing time
    t0, t1 = float(root.get("data-t0")), float(root.get("data-t1"))
    for g, p in zip(kind(root, "pane"), report.panes, strict=True):
        line = g.find(f"{NS}line")
        y = float(line.get("y1"))
        assert y == pytest.approx(TOP + (t1 - p.emitted_at) / (t1 - t0) * PLOT_H, abs=0.06)
        assert float(line.get("x1")) < float(line.get("x2"))


def test_panes_of_one_window_stack_upwards_in_firing_order():
    report = run_triggered(WALK, window=Tumbling(10), watermark_delay=2, early_every=2)
    root = parsed(diagram(WALK, report).svg)
    ys = [
        float(g.find(f"{NS}line").get("y1"))
        for g in kind(root, "pane")
        if g.get("data-window") == "[0, 10)"
    ]
    assert len(ys) == 3  # EARLY at 2 and 6, ON_TIME at 13.1
    assert ys == sorted(ys, reverse=True)  # later panes sit higher (smaller y)


def test_each_event_sits_at_its_event_time_and_arrival_with_its_value():
    report = run_stream(WALK, window=Tumbling(10), watermark_delay=2)
    root = parsed(diagram(WALK, report).svg)
    dots = kind(root, "event")
    assert [(float(g.get("data-event-time")), float(g.get("data-at"))) for g in dots] == [
        (e.event_time, e.arrival_time) for e in WALK
    ]
    assert [g.find(f"{NS}text").text for g in dots] == [f"{e.value:g}" for e in WALK]
    # an event that happened later sits further right; one that arrived later, higher
    circles = {g.get("data-value"): g.find(f"{NS}circle") for g in dots}
    assert float(circles["7"].get("cx")) > float(circles["1"].get("cx"))
    assert float(circles["6"].get("cy")) < float(circles["5"].get("cy"))


def test_late_events_are_marked_by_what_became_of_them():
    kept = run_stream(WALK, window=Tumbling(10), watermark_delay=2)
    fates = {
        g.get("data-value"): g.get("data-fate")
        for g in kind(parsed(diagram(WALK, kept).svg), "event")
    }
    assert fates["6"] == "too late" and list(fates.values()).count("on time") == 6

    dropped = run_stream(WALK, window=Tumbling(10), watermark_delay=2, semantics="flink")
    root = parsed(diagram(WALK, dropped).svg)
    six = next(g for g in kind(root, "event") if g.get("data-value") == "6")
    assert six.get("data-fate") == "dropped" and six.get("data-window") == "[0, 10)"
    assert six.find(f"{NS}path") is not None  # a cross, not a dot

    counted = run_triggered(WALK, window=Tumbling(10), watermark_delay=2, allowed_lateness=5)
    root = parsed(diagram(WALK, counted).svg)
    six = next(g for g in kind(root, "event") if g.get("data-value") == "6")
    assert six.get("data-fate") == "late"
    assert any(
        g.get("data-timing") == "LATE" and g.get("data-at") == "16.0" for g in kind(root, "pane")
    )


def test_the_watermark_is_drawn_step_by_step_from_the_trace():
    report = run_stream(WALK, window=Tumbling(10), watermark_delay=2)
    root = parsed(diagram(WALK, report).svg)
    steps = kind(root, "watermark")
    assert [(float(g.get("data-at")), g.get("data-watermark")) for g in steps] == [
        *((at, f"{wm:g}") for at, wm in report.watermarks),
        (21.3, "+inf"),
    ]
    # each finite step holds until the next move
    holds = [g.find(f"{NS}line[@class='dg-wm-line dg-wm-hold']") for g in steps[:-1]]
    assert [float(h.get("data-until")) for h in holds] == [
        at for at, _ in report.watermarks[1:]
    ] + [21.3]
    # and it never moves left
    xs = [float(h.get("x1")) for h in holds]
    assert xs == sorted(xs)


def test_sessions_draw_windows_of_their_own_sizes():
    times = [0, 2, 3, 12, 13, 31, 33]
    evs = events([("u1", 1, t) for t in times])
    report = run_stream(evs, window=Session(gap=5), watermark_delay=0, aggregate="count")
    root = parsed(diagram(evs, report).svg)
    windows = [g.get("data-window") for g in kind(root, "pane")]
    assert windows == ["[0, 8)", "[12, 18)", "[31, 38)"]
    widths = sorted(
        float(r.get("width")) for r in root.iter(f"{NS}rect") if r.get("class") == "dg-window"
    )
    assert len(widths) == 3 and widths[0] < widths[-1]


def test_overlapping_sliding_windows_each_get_their_panes():
    evs = events([("u1", 1, t) for t in [0, 2, 3, 12, 13, 31, 33]])
    report = run_stream(evs, window=Sliding(20, 10), watermark_delay=0, aggregate="count")
    root = parsed(diagram(evs, report).svg)
    assert len(kind(root, "pane")) == len(report.emissions)


def test_one_key_is_drawn_the_busiest_by_default():
    evs = events([("b", 1, 1.0), ("a", 1, 2.0), ("b", 2, 3.0), ("c", 5, 4.0)])
    report = run_triggered(evs, window=Tumbling(10), watermark_delay=1)
    d = diagram(evs, report)
    assert d.key == "b" and len(kind(parsed(d.svg), "event")) == 2
    d = diagram(evs, report, key="c")
    assert d.key == "c"
    root = parsed(d.svg)
    assert [g.get("data-value") for g in kind(root, "pane")] == ["5"]
    # the watermark is the job's, not the key's: every move is drawn
    assert len(kind(root, "watermark")) == len(report.watermarks) + 1


def test_the_text_lists_the_same_facts_in_processing_time_order():
    report = run_triggered(WALK, window=Tumbling(10), watermark_delay=2, early_every=2)
    text = str(diagram(WALK, report))
    lines = text.splitlines()[1:]
    assert len(lines) == len(WALK) + len(report.watermarks) + 1 + len(report.panes)
    times = [float(re.match(r"\s+t=(\S+)", line).group(1)) for line in lines]
    assert times == sorted(times)
    assert "pane [0, 10) ON_TIME = 6 (3 events)" in text


def test_the_svg_is_self_contained_and_themed_by_class():
    report = run_triggered(WALK, window=Tumbling(10), watermark_delay=2, early_every=2)
    svg = diagram(WALK, report).svg
    root = parsed(svg)
    assert root.get("role") == "img" and root.get("data-diagram") == "1"
    assert "sim-diagram" in root.get("class")
    assert root.find(f"{NS}title").text.startswith("Event time x processing time")
    for bad in ("<script", "href", "url(", "<foreignObject", " on"):
        assert bad not in svg
    for cls in ("dg-early", "dg-on-time", "dg-wm-line"):
        assert f'class="{cls}' in svg or f" {cls}" in svg


def test_the_same_input_draws_the_same_bytes():
    evs = generate_stream(rate=2, duration=60, keys=2, seed=4, late_fraction=0.1, late_delay=15)
    report = run_triggered(evs, window=Tumbling(10), early_every=3, allowed_lateness=5)
    assert diagram(evs, report).svg == diagram(list(evs), report).svg


def test_a_stream_too_long_to_follow_is_refused_by_name():
    evs = generate_stream(rate=10, duration=60, keys=1, seed=1)
    assert len(evs) > MAX_EVENTS
    with pytest.raises(ValueError, match=r"^events must hold at most 300 events of key"):
        diagram(evs, run_stream(evs))


def test_coordinates_are_finite_numbers():
    report = run_stream(WALK, window=Tumbling(10), watermark_delay=2)
    for el in parsed(diagram(WALK, report).svg).iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"):
            if el.get(name) is not None and el.tag != f"{NS}svg":
                assert math.isfinite(float(el.get(name))), (el.tag, name)


def test_a_global_window_spans_the_whole_plot():
    from dataclasses import replace

    from simulations import Pane

    report = run_triggered(WALK, window=Tumbling(10), watermark_delay=2)
    whole = Pane("a", -math.inf, math.inf, 28, 7, 21.3, "ON_TIME", 0)
    root = parsed(diagram(WALK, replace(report, panes=[whole])).svg)
    (pane,) = kind(root, "pane")
    assert pane.get("data-window") == "[-inf, inf)" and pane.get("data-value") == "28"
    line = pane.find(f"{NS}line")
    assert float(line.get("x1")) < 60 and float(line.get("x2")) > 600


@pytest.mark.parametrize("example", sorted(book.EXAMPLES))
def test_every_book_example_is_drawn_pane_for_pane(example):
    evs = {"2-1": book.BATCH, "2-2": book.BATCH, "2-8": book.STREAM_WITH_SIX}.get(
        example, book.STREAM
    )
    report = book.run_example(example)
    root = parsed(diagram(evs, report).svg)
    assert [(g.get("data-window"), g.get("data-timing")) for g in kind(root, "pane")] == [
        (f"[{p.start:g}, {p.end:g})", p.timing) for p in report.panes
    ]
    # the engine records the end of input as the watermark's last move: drawn once, there
    ends = [g for g in kind(root, "watermark") if g.get("data-watermark") == "+inf"]
    assert [float(g.get("data-at")) for g in ends] == [report.watermarks[-1][0]]
    assert len(kind(root, "watermark")) == len(report.watermarks)


def test_merged_sessions_get_one_column_each():
    report = book.run_example("4-3")
    root = parsed(diagram(book.STREAM, report).svg)
    columns = [r for r in root.iter(f"{NS}rect") if r.get("class") == "dg-window"]
    # [26, 86) and [144, 319) merged into [26, 319); [399, 459) grew into [399, 526)
    assert len(columns) == 2
    assert {g.get("data-window") for g in kind(root, "pane")} >= {"[26, 319)", "[144, 204)"}


def test_a_crowded_diagram_keeps_its_marks_and_drops_its_labels():
    evs = generate_stream(rate=1, duration=300, keys=2, seed=3, late_fraction=0.1, late_delay=40)
    report = run_stream(evs, window=Sliding(60, 10), watermark_delay=5, allowed_lateness=30)
    root = parsed(diagram(evs, report).svg)
    dots, panes = kind(root, "event"), kind(root, "pane")
    assert len(dots) > 40 and len(panes) > 40
    assert all(g.find(f"{NS}text") is None for g in dots + panes)
    # six windows overlap each instant: no grey columns
    assert not [r for r in root.iter(f"{NS}rect") if r.get("class") == "dg-window"]
    # a straggler counted by a LATE pane of one window is "late", even if too late for another
    fates = {g.get("data-value") + "@" + g.get("data-at"): g.get("data-fate") for g in dots}
    mixed = [f"{x.event.value:g}@{x.event.arrival_time!r}" for x in report.late]
    mixed = [m for m in mixed if m in fates]
    assert mixed and all(fates[m] == "late" for m in mixed)
    for g in dots:
        if g.get("data-fate") == "late":
            at = g.get("data-at")
            assert any(p.get("data-timing") == "LATE" and p.get("data-at") == at for p in panes)


def test_until_draws_what_had_happened_by_then():
    evs = generate_stream(rate=5, duration=300, keys=3, seed=7, late_fraction=0.02, late_delay=20)
    report = run_triggered(
        evs, window=Tumbling(60), watermark_delay=2, allowed_lateness=30, early_every=1
    )
    with pytest.raises(ValueError, match="pass until="):
        diagram(evs, report)
    d = diagram(evs, report, until=90)
    root = parsed(d.svg)
    assert d.title.endswith(", first 90 s")
    ats = [float(g.get("data-at")) for g in root.iter() if g.get("data-at")]
    assert ats and max(ats) <= 90
    key = d.key
    assert len(kind(root, "pane")) == sum(
        1 for p in report.panes if p.key == key and p.emitted_at <= 90
    )
    assert len(kind(root, "event")) == sum(1 for e in evs if e.key == key and e.arrival_time <= 90)
    # the input has not ended by then: no jump to +inf, the last step holds to the top
    assert "+inf" not in d.svg and "end of input" not in d.text
    # the whole stream, drawn up to its end, is the diagram without until
    small = evs[:200]
    whole = run_triggered(small, window=Tumbling(60), watermark_delay=2, early_every=5)
    assert diagram(small, whole, until=1e9).svg == diagram(small, whole).svg


def test_watermark_moves_closer_than_half_a_pixel_are_folded():
    evs = generate_stream(rate=5, duration=300, keys=3, seed=7)
    report = run_triggered(evs, window=Tumbling(60), watermark_delay=2, early_every=1)
    root = parsed(diagram(evs, report, until=90).svg)
    steps = kind(root, "watermark")
    moves = [(at, wm) for at, wm in report.watermarks if at <= 90]
    assert 10 < len(steps) < len(moves)
    # what is kept is a subset of the trace, in order, and each kept move is visible
    by_time = dict(moves)
    kept = [(float(g.get("data-at")), by_time[float(g.get("data-at"))]) for g in steps]
    assert kept == sorted(kept) and all(m in moves for m in kept)
    xs = [float(g.find(f"{NS}line[@class='dg-wm-line dg-wm-hold']").get("x1")) for g in steps]
    assert all(b - a >= 0.45 for a, b in itertools.pairwise(xs))
    # the drawn watermark ends where the trace ends, within half a pixel (about 0.1 s here)
    assert 0 <= moves[-1][1] - kept[-1][1] < 0.15
