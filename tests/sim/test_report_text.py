"""Every report's text, whole: the panel, the table and the chart summary a reader sees.

One small stream, worked by hand. Tumbling(10); "a8" happened at 3 but arrives at 13.
* batch every 10 s at 1 event/s: the run at 10 takes a1, a2 (done at 12: [0, 10) = 3); the run
  at 20 takes b4 and the straggler a8 (done at 22: [0, 10) = 11, [10, 20) = 4). Latencies by
  event time: 1 -> 11, 3 -> 19, 5 -> 7, 12 -> 10; median 10.5 s; 2 + 2 machine-seconds.
* stream, watermark delay 1: b4 at 12 moves the watermark to 11 and closes [0, 10) = 3 at 12;
  a8 then is late; [10, 20) = 4 is flushed at the end of the input, 13.
The defaults the lessons quote are checked too: a box that relies on one changes with it.
"""

from simulations import (
    Tumbling,
    events,
    generate_stream,
    run_batch,
    run_kappa,
    run_lambda,
    run_stream,
    run_with_crash,
)
from simulations.stream import Engine

EVS = events([("a", 1, 1.0), ("a", 2, 5.0), ("b", 4, 12.0), ("a", 8, 3.0, 13.0)])


def test_batch_report_text():
    r = run_batch(EVS, interval=10, throughput=1)
    assert r.table().splitlines() == [
        "key  period    value  count  published_at  run",
        "---  --------  -----  -----  ------------  ---",
        "a    [0, 10)       3      2            12    0",
        "a    [0, 10)      11      3            22    1",
        "b    [10, 20)      4      1            22    1",
    ]
    assert r.table(limit=1).splitlines()[-1] == "... 2 more"
    assert r.panel().splitlines() == [
        "Mode: BATCH_PROCESSING",
        "Trigger: SCHEDULED [every 00:00:10]",
        "Volume: 4 events",
        "Latency: p50=10.5s p95=17.8s p99=18.8s (MEDIUM, event → published result)",
        "Status: DONE [2 runs, 4 machine-s busy]",
    ]
    assert r.chart().text.splitlines() == [
        "Batch result latency by event time",
        "  latency: 4 points, x 1..12, y 7..19, last (12, 10)",
    ]


def test_stream_report_text():
    r = run_stream(EVS, window=Tumbling(10), watermark_delay=1.0)
    assert r.table().splitlines() == [
        "key  window    value  count  emitted_at  update",
        "---  --------  -----  -----  ----------  ------",
        "a    [0, 10)       3      2          12",
        "b    [10, 20)      4      1          13",
        "late events (kept in .late): 1",
    ]
    assert r.panel().splitlines() == [
        "Mode: STREAM_PROCESSING [course semantics]",
        "Trigger: EVENT [tumbling 10s, watermark delay 1s]",
        "Volume: 4 events (1 late)",
        "Latency: p50=7.0s p95=10.6s p99=10.9s (MEDIUM, event → window result)",
        "Status: RUNNING [always on: 12 machine-s, 2 results, peak state 1 window]",
    ]
    assert r.chart().text.splitlines() == [
        "Watermark vs processing time",
        "  watermark: 3 points, x 1..12, y 0..11, last (12, 11)",
        "  processing time: 2 points, x 1..12, y 1..12, last (12, 12)",
    ]


def test_lambda_panel_text():
    r = run_lambda(EVS, batch_interval=10, window=Tumbling(10), watermark_delay=0)
    # the last view (cutoff 20) is published after 4 events / 10,000 events/s
    assert r.panel().splitlines()[-1] == (
        "Status: SERVING [2 batch views, 2 corrections, staleness at 20s: 0.0004s]"
    )
    assert r.panel().splitlines()[1] == "Trigger: SCHEDULED [every 00:00:10] + EVENT"


def test_recovery_panel_text():
    kw = dict(window=Tumbling(10), watermark_delay=0, checkpoint_interval=4)
    r = run_with_crash(EVS, crash_at=10, guarantee="at-least-once", **kw)
    assert r.checkpoints == [4.0, 8.0, 12.0]
    assert r.panel().splitlines() == [
        "Mode: STREAM_PROCESSING [at-least-once]",
        "Trigger: EVENT [checkpoint every 4s, crash at 10s]",
        "Volume: 4 events (0 replayed)",
        "Latency: p50=-2.5s p95=1.5s p99=1.9s (MEDIUM, window end → visible in the sink)",
        "Status: RECOVERED [from checkpoint at 8s, 0 duplicates in the sink]",
    ]
    one = run_with_crash(EVS, crash_at=3, **{**kw, "checkpoint_interval": 5})
    assert one.checkpoints == [5.0, 10.0]
    assert "[checkpoint every 5s, crash at 3s]" in one.panel()


def test_kappa_panel_text():
    r = run_kappa(
        EVS,
        window=Tumbling(10),
        new_window=Tumbling(20),
        watermark_delay=0,
        redeploy_at=6.0,
        replay_throughput=1.0,
    )
    # replay from 6 at 1 event/s: a1 done at 7, a2 at 8; the next arrival is at 12
    assert r.panel().splitlines()[1:] == [
        "Trigger: EVENT [redeploy at 6s: replay from offset 0]",
        "Volume: 4 events in the log",
        "Latency: p50=10.0s p95=12.7s p99=12.9s (MEDIUM, event → window result)",
        "Status: SWITCHED [at 8s, replay took 2s]",
    ]


def test_calls_without_arguments_use_the_defaults_the_lessons_quote():
    # called as a box calls them, the defaults must act like the documented values
    minute = Tumbling(60)
    stream = events([(k, 1, float(t), t + 0.5) for t in range(0, 200, 7) for k in "ab"])
    # b at 65 moves the watermark exactly to the first window's end with a delay of 5 s, not 6
    stream = events([*stream, ("b", 1, 65.0)])
    assert run_stream(stream).emissions != run_stream(stream, watermark_delay=6.0).emissions
    assert generate_stream() == generate_stream(
        rate=10.0, duration=60.0, keys=3, seed=0, delay="exponential", mean_delay=0.5,
        late_fraction=0.0, late_delay=30.0, key_prefix="k",
    )  # fmt: skip
    assert generate_stream(late_fraction=0.5) == generate_stream(late_fraction=0.5, late_delay=30)
    assert run_stream(stream) == run_stream(stream, window=minute, watermark_delay=5.0)
    assert run_batch(stream) == run_batch(stream, interval=3600.0, throughput=10_000.0)
    lam = run_lambda(stream)
    assert lam == run_lambda(
        stream, batch_interval=3600.0, window=minute, watermark_delay=5.0,
        batch_throughput=10_000.0,
    )  # fmt: skip
    assert run_with_crash(stream) == run_with_crash(
        stream, window=minute, watermark_delay=5.0, checkpoint_interval=30.0, crash_at=60.0,
        guarantee="exactly-once",
    )  # fmt: skip
    assert run_kappa(stream) == run_kappa(
        stream, window=minute, watermark_delay=5.0, replay_throughput=100_000.0
    )
    assert Engine(minute).delay == 5.0


def test_the_panels_of_an_empty_input():
    # nothing to measure: no latency, no state, nothing served yet (staleness at 0 is 0)
    assert run_stream([]).panel().splitlines()[3:] == [
        "Latency: no data",
        "Status: RUNNING [always on: 0 machine-s, 0 results, peak state 0 windows]",
    ]
    assert run_lambda([]).panel().splitlines()[2:] == [
        "Volume: 0 events",
        "Latency: no data",
        "Status: SERVING [0 batch views, 0 corrections, staleness at 0s: 0s]",
    ]
    # the crash at 60 restores the one checkpoint taken before it, at 30
    assert run_with_crash([]).panel().splitlines()[1:] == [
        "Trigger: EVENT [checkpoint every 30s, crash at 60s]",
        "Volume: 0 events (0 replayed)",
        "Latency: no data",
        "Status: RECOVERED [from checkpoint at 30s, 0 duplicates in the sink]",
    ]


def test_the_charts_name_their_axes():
    batch = run_batch(EVS, interval=10, throughput=1).chart().svg
    assert "event time (s)" in batch and "latency (s)" in batch
    stream = run_stream(EVS, window=Tumbling(10), watermark_delay=1.0).chart().svg
    assert "processing time (s)" in stream and "event time (s)" in stream
    assert "watermark" in stream and "processing time<" in stream  # the legend
