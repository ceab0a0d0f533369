"""Per-event scoring: a stated cost per event, a first-in-first-out queue, two latencies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import Tumbling, events, generate_stream, run_scoring, run_stream
from simulations.events import prepare
from simulations.stats import latency_stats


def test_an_idle_processor_answers_after_exactly_the_cost():
    evs = events([("a", 1, float(t), t + 0.5) for t in range(0, 100, 10)])
    r = run_scoring(evs, cost=0.004)
    assert r.processing.p50 == pytest.approx(0.004)
    assert r.processing.max == pytest.approx(0.004)
    # result latency adds the 0.5 s of transport before the event reached the processor
    assert r.result.max == pytest.approx(0.504)


def test_a_burst_queues_up_first_in_first_out():
    # ten events arrive together; each waits for the ones before it
    evs = events([("a", 1, 0.0, 1.0)] * 10)
    r = run_scoring(evs, cost=0.1)
    done = [d.decided_at for d in r.decisions]
    assert done == pytest.approx([1.0 + 0.1 * (i + 1) for i in range(10)])
    assert r.processing.max == pytest.approx(1.0)


def test_the_queue_matches_run_stream_with_the_same_throughput():
    evs = generate_stream(rate=20, duration=120, seed=3, bursts=[(30, 10, 5)])
    scored = run_scoring(evs, cost=0.01)
    # run_stream(throughput=100) handles event i at max(arrival, previous) + 1/100
    stream = run_stream(evs, window=Tumbling(10), watermark_delay=0, throughput=100)
    assert scored.decisions[-1].decided_at == pytest.approx(
        stream.machine_seconds + evs[0].arrival_time
    )


def test_score_counts_the_keys_events_in_the_horizon_including_stragglers():
    evs = events([("a", 1, 0.0), ("a", 1, 4.0), ("b", 1, 5.0), ("a", 1, 11.0), ("a", 1, 2.0, 12.0)])
    r = run_scoring(evs, cost=0.001, horizon=10, threshold=1)
    scores = [(d.event.key, d.event.event_time, d.score, d.flagged) for d in r.decisions]
    assert scores == [
        ("a", 0.0, 1, False),
        ("a", 4.0, 2, True),  # (-6, 4]: 0 and 4
        ("b", 5.0, 1, False),  # keys do not mix
        ("a", 11.0, 2, True),  # (1, 11]: 4 and 11
        ("a", 2.0, 2, True),  # the straggler counts what happened around it: 0 and 2
    ]
    assert r.first_alert()["a"].event.event_time == 4.0 and "b" not in r.first_alert()


def test_panel_labels_both_latencies():
    r = run_scoring(events([("a", 1, 0.0, 0.01)]), cost=0.002)
    lines = r.panel().splitlines()
    assert lines[3].startswith("Latency: p50=0.012s") and lines[3].endswith("event → decision)")
    assert lines[5].startswith("Processing: p50=0.002s") and "arrival → decision" in lines[5]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"cost": 0}, "cost"), ({"horizon": -1}, "horizon"), ({"threshold": -1}, "threshold")],
)
def test_bad_parameters_name_themselves(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        run_scoring(events([("a", 1, 0.0)]), **kwargs)


def test_no_events_no_decisions():
    r = run_scoring([])
    assert r.decisions == [] and r.processing.count == 0 and "no data" in r.panel()


# -- exact boundaries and every figure recomputed from the raw events ---------------------------
def test_an_event_exactly_one_horizon_after_another_does_not_count_it():
    # the window is (t - horizon, t]: an event exactly horizon before is out, just inside is in
    r = run_scoring(events([("a", 1, 0.0), ("a", 1, 10.0), ("a", 1, 10.001)]), horizon=10)
    assert [d.score for d in r.decisions] == [1, 1, 2]


def test_an_event_at_the_same_time_counts_and_a_score_exactly_at_the_threshold_is_not_flagged():
    r = run_scoring(events([("a", 1, 5.0), ("a", 1, 5.0), ("b", 1, 5.0)]), threshold=1)
    assert [(d.score, d.flagged) for d in r.decisions] == [(1, False), (2, True), (1, False)]


def test_an_arrival_exactly_when_the_processor_frees_up_waits_for_nothing():
    r = run_scoring(events([("a", 1, 0.0), ("a", 1, 0.5)]), cost=0.5)
    assert [d.decided_at for d in r.decisions] == [0.5, 1.0]
    assert r.processing.max == 0.5


def brute_force(evs, cost, horizon, threshold):
    """Scores, flags and decision times from the definitions, one event at a time."""
    out, free = [], 0.0
    for i, ev in enumerate(evs):
        start = ev.arrival_time if i == 0 else max(ev.arrival_time, free)
        free = start + cost
        seen = [e for e in evs[: i + 1] if e.key == ev.key]
        score = sum(1 for e in seen if ev.event_time - horizon < e.event_time <= ev.event_time)
        out.append((score, score > threshold, free))
    return out


rows = st.lists(
    st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 40), st.integers(0, 8)), max_size=30
)


@settings(max_examples=100, deadline=None)
@given(rows, st.sampled_from([0.25, 0.5, 2.0]), st.sampled_from([1, 2, 5]), st.integers(0, 3))
def test_decisions_and_latencies_equal_brute_force(rows, cost, horizon, threshold):
    # times on a half-second grid, so events exactly one horizon apart and arrivals exactly
    # when the processor frees up are common
    evs = prepare(events([(k, 1, t / 2, (t + d) / 2) for k, t, d in rows]))
    r = run_scoring(evs, cost=cost, horizon=horizon, threshold=threshold)
    expected = brute_force(evs, cost, horizon, threshold)
    got = [(d.score, d.flagged, d.decided_at) for d in r.decisions]
    assert [g[:2] for g in got] == [x[:2] for x in expected]
    assert [g[2] for g in got] == pytest.approx([x[2] for x in expected])
    assert [d.event for d in r.decisions] == evs
    assert r.processing == latency_stats(
        [round(f - e.arrival_time, 9) for (_, _, f), e in zip(expected, evs, strict=True)]
    )
    assert r.result == latency_stats(
        [round(f - e.event_time, 9) for (_, _, f), e in zip(expected, evs, strict=True)]
    )
    assert r.busy_seconds == pytest.approx(len(evs) * cost)
    span = expected[-1][2] - evs[0].arrival_time if evs else 0.0
    assert r.machine_seconds == pytest.approx(span)
    assert r.events == len(evs)
    first = {}
    for d in r.decisions:
        if d.flagged and d.event.key not in first:
            first[d.event.key] = d
    assert r.first_alert() == first
    assert r.alerts == [d for d in r.decisions if d.flagged]


def test_panel_text_worked_by_hand():
    # decided at 0.25, 0.75 and 1.75 (b arrives at 1.5); b waited 0.5 s in transport
    r = run_scoring(
        events([("a", 1, 0.0), ("a", 1, 0.5), ("b", 1, 1.0, 1.5)]), cost=0.25, threshold=1
    )
    assert r.panel().splitlines() == [
        "Mode: STREAM_PROCESSING [per event: score and decide]",
        "Trigger: EVENT [each event, 0.25s of work]",
        "Volume: 3 events (1 alert, score > 1 in 10s)",
        "Latency: p50=0.25s p95=0.7s p99=0.74s (LOW, event → decision)",
        "Status: RUNNING [always on: 1.75 machine-s, busy 42.86%]",
        "Processing: p50=0.25s p95=0.25s p99=0.25s (arrival → decision)",
    ]
    assert str(r) == r.panel()
    # a span under a second: 0.2 s of work in 0.6 s
    short = run_scoring(events([("a", 1, 0.0), ("b", 1, 0.5)]), cost=0.1)
    assert "busy 33.33%" in short.panel().splitlines()[4]
    # no events: no span, and no idle time to speak of
    assert "busy 100.00%" in run_scoring([]).panel().splitlines()[4]


def test_the_defaults_the_lessons_quote():
    evs = generate_stream(rate=20, duration=30, seed=4)
    r = run_scoring(evs)
    assert (r.cost, r.horizon, r.threshold) == (0.002, 10.0, 20)
    assert r.decisions == run_scoring(evs, cost=0.002, horizon=10.0, threshold=20).decisions


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cost": 0}, "cost must be > 0 seconds per event, got 0"),
        ({"horizon": -1}, "horizon must be > 0 seconds, got -1"),
        ({"threshold": -1}, "threshold must be an int >= 0, got -1"),
    ],
)
def test_messages_name_the_parameter_and_its_unit(kwargs, message):
    with pytest.raises(ValueError) as info:
        run_scoring([], **kwargs)
    assert str(info.value) == message
    assert run_scoring([], threshold=0).threshold == 0  # 0 is allowed: flag every event
