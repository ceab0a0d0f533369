"""Claims the lessons make in prose, recomputed from the simulations they describe."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulations import Session, Tumbling, compare, events, run_stream

DOCS = Path(__file__).resolve().parents[2] / "docs"

WALKTHROUGH = events(
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


@pytest.mark.parametrize(("bound", "e6_late"), [(2, True), (3, True), (3.001, False), (8, False)])
def test_any_bound_above_three_seconds_keeps_e6(bound, e6_late):
    # windows.md: what decides is how far [0,10)'s end lies behind the largest event time (13)
    # when e6 arrives, not e6's own 8 s delay.
    r = run_stream(WALKTHROUGH, window=Tumbling(10), watermark_delay=bound)
    assert any(x.event.value == 6 for x in r.late) is e6_late
    assert (r.final[("a", 0.0, 10.0)] == 12) is not e6_late


def test_touching_sessions_stay_apart_in_the_course_engine():
    # the course column of "Where engines differ": events exactly one gap apart, two sessions
    r = run_stream(events([("u", 1, 0.0), ("u", 1, 5.0)]), window=Session(5), watermark_delay=0)
    assert [(e.start, e.end) for e in r.emissions] == [(0.0, 5.0), (5.0, 10.0)]


def hub_text() -> str:
    return " ".join((DOCS / "velocity-hub.md").read_text(encoding="utf-8").split())


def test_velocity_hub_batch_interval_figures():
    text = hub_text()
    at60, at30 = compare(batch_interval=60), compare(batch_interval=30)
    assert len(at60.batch.runs) == 16 and "starts sixteen times" in text
    # "the two cost about the same"
    assert at60.batch_cost == pytest.approx(at60.stream.machine_seconds, rel=0.1)
    assert at60.batch.latency.p50 < at60.stream.latency.p50
    assert f"(p50 {at60.batch.latency.p50:.1f} s)" in text
    assert f"(p50 {at60.stream.latency.p50:.1f} s)" in text
    # "At 30 seconds the batch job is fresher still ... and costs twice as much"
    assert f"(p50 {at30.batch.latency.p50:.1f} s)" in text
    assert at30.batch_cost == pytest.approx(2 * at30.stream.machine_seconds, rel=0.1)


@pytest.mark.parametrize(
    ("semantics", "sessions"),
    [
        ("course", [(0.0, 5.0), (5.0, 10.0)]),
        ("beam", [(0.0, 5.0), (5.0, 10.0)]),
        ("flink", [(0.0, 10.0)]),
        ("spark", [(0.0, 10.0)]),
    ],
)
def test_session_merging_row_of_where_engines_differ(semantics, sessions):
    evs = events([("u", 1, 0.0), ("u", 1, 5.0)])
    r = run_stream(evs, window=Session(5), watermark_delay=0, semantics=semantics)
    assert [(e.start, e.end) for e in r.emissions] == sessions


@pytest.mark.parametrize(
    ("semantics", "counted"), [("course", False), ("flink", False), ("beam", True)]
)
def test_lateness_boundary_row_of_where_engines_differ(semantics, counted):
    # the event of 19 s arrives when the watermark equals its window's end (20) + lateness (0)
    evs = events([("u", 1, 12.0), ("u", 1, 20.0), ("u", 1, 19.0, 20.2), ("u", 1, 31.0)])
    r = run_stream(evs, window=Tumbling(10), watermark_delay=0, semantics=semantics)
    assert (r.final[("u", 10.0, 20.0)] == 2) is counted


@pytest.mark.parametrize(
    ("semantics", "kept"), [("course", 1), ("flink", 0), ("beam", 0), ("spark", 0)]
)
def test_late_data_row_of_where_engines_differ(semantics, kept):
    evs = events([("u", 1, 0.0), ("u", 1, 25.0), ("u", 1, 3.0, 30.0)])
    r = run_stream(evs, window=Tumbling(10), watermark_delay=0, semantics=semantics)
    assert len(r.late) == kept and len(r.late) + len(r.dropped) == 1
