"""The Velocity Hub's comparison: figures worked out by hand, bad dials, determinism, trade-offs."""

import pytest

from simulations import HubReport, compare, events, latency_stats
from simulations.hub import METRICS, compare_events

# Five events over two minutes; b's 16 happened in the first minute but arrives at 130.
ROWS = [
    ("a", 1, 10.0),
    ("b", 2, 30.0),
    ("a", 4, 50.0, 58.0),
    ("a", 8, 70.0),
    ("b", 16, 20.0, 130.0),
]


@pytest.fixture
def hand() -> HubReport:
    return compare_events(
        events(ROWS), batch_interval=60, window=60, watermark_delay=5, batch_startup=10
    )


def test_batch_side_by_hand(hand):
    # Runs at 60 (a1, b2, a4), 120 (a8), 180 (b16); 10,000 events/s, so each event adds 0.1 ms.
    assert [(r.start, r.events) for r in hand.batch.runs] == [(60, 3), (120, 1), (180, 1)]
    assert hand.batch_cost == pytest.approx(3 * 10 + 5 / 10_000)
    # b16 arrived after the run at 60 published the complete first minute: corrected at 180.
    assert hand.batch_late == 1
    assert len(hand.batch.results) == 4  # (a,0) (b,0) at 60, (a,60) at 120, (b,0) again at 180


def test_stream_side_by_hand(hand):
    # Watermark = max event time - 5. a8 (t=70) moves it to 65, closing minute 0 at arrival 70;
    # b16 (t=20) then finds its window closed; minute 1 is flushed at the last arrival, 130.
    s = hand.stream
    assert [(e.key, e.start, e.value, e.emitted_at) for e in s.emissions] == [
        ("a", 0, 5, 70),
        ("b", 0, 2, 70),
        ("a", 60, 8, 130),
    ]
    assert [x.event.value for x in s.late] == [16]
    assert hand.stream_latencies == (20, 40, 60, 60)  # 70-50, 70-30, 70-10, 130-70
    assert hand.stream_cost == 120  # always on from the first arrival (10) to the last (130)


def test_figures_by_hand(hand):
    f = hand.figures()
    assert list(f) == list(METRICS)
    # batch latencies 10.0003, 30.0003, 50.0001, 50.0003, 160.0001; stream 20, 40, 60, 60
    assert f["latency p50"] == ("50.0s", "50.0s")
    assert f["latency p95"] == ("138.0s", "60.0s")  # 50.0003 + 0.8 * (160.0001 - 50.0003)
    assert f["latency p99"] == ("155.6s", "60.0s")
    assert f["throughput (events/machine-s)"] == ("0.1667", "0.04167")  # 5/30.0005, 5/120
    assert f["cost (machine-s)"] == ("30", "120")
    assert f["late events"] == ("1 corrected later", "1 left out")
    assert f["results emitted"] == ("4", "3")
    lines = hand.table().splitlines()
    assert lines[0].split() == ["metric", "batch", "stream"]
    assert len(lines) == 2 + len(METRICS)
    assert str(hand) == hand.table()


def test_chart_shows_the_stream_curve_short_of_the_late_share(hand):
    chart = hand.chart()
    assert chart.svg.startswith("<svg") and "<script" not in chart.svg
    text = str(chart)
    assert "batch: 101 points, x 10..160, y 0..100, last (160, 100)" in text
    assert "stream: 101 points, x 20..60, y 0..80, last (60, 80)" in text  # 4 of 5 events


def test_panel_holds_both_panels(hand):
    batch, stream = hand.panel().split("\n\n")
    assert batch == hand.batch.panel() and stream == hand.stream.panel()


def test_defaults_run_both_jobs_on_the_same_events():
    r = compare()
    assert r.settings == {
        "rate": 5.0,
        "batch_interval": 300.0,
        "window": 60.0,
        "watermark_delay": 5.0,
        "out_of_order": 1.0,
        "late_fraction": 0.02,
        "duration": 900.0,
        "keys": 10,
        "seed": 7,
        "batch_startup": 60.0,
    }
    # Poisson arrivals at 5/s for 900 s: about 4,500 events (within 5 standard deviations).
    assert abs(len(r.events) - 4500) < 5 * 4500**0.5
    assert r.batch.events == r.stream.events == len(r.events)
    assert r.batch.interval == 300 and r.batch.period == 60
    assert str(r.stream.window) == "tumbling 60s" and r.stream.watermark_delay == 5
    # every event has a stream latency unless it was set aside as late
    assert len(r.stream_latencies) + len(r.stream.late) == len(r.events)
    assert latency_stats(r.stream_latencies) == r.stream.latency
    # batch p50 is about half the interval; stream p50 about half a window plus the delay
    assert 120 < r.batch.latency.p50 < 180
    assert 30 < r.stream.latency.p50 < 45


def test_same_dials_same_figures_and_the_seed_matters():
    assert compare().figures() == compare().figures()
    assert compare().chart().svg == compare().chart().svg
    assert compare(seed=8).figures() != compare().figures()


@pytest.mark.parametrize("delay", [0.0, 5.0, 20.0, 40.0])
def test_latencies_match_the_stream_engine(delay):
    r = compare(watermark_delay=delay, out_of_order=3.0, late_fraction=0.05)
    assert latency_stats(r.stream_latencies) == r.stream.latency


def test_a_longer_watermark_delay_buys_completeness_with_latency():
    short, long = compare(watermark_delay=0), compare(watermark_delay=40)
    assert len(long.stream.late) < len(short.stream.late)
    assert len(long.stream.late) == 0  # stragglers come 30 s late plus about 1 s of network
    assert long.stream.latency.p50 > short.stream.latency.p50 + 30


def test_short_intervals_cost_the_batch_job_its_advantage():
    hourly, minutely = compare(batch_interval=300), compare(batch_interval=30)
    assert hourly.batch_cost < hourly.stream_cost < minutely.batch_cost
    assert minutely.batch.latency.p50 < hourly.batch.latency.p50
    assert minutely.stream_cost == hourly.stream_cost  # the stream job does not have a schedule


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"rate": 0}, "rate must be > 0 events/s"),
        ({"batch_interval": 0}, "batch_interval must be > 0 seconds"),
        ({"window": -60}, "window must be > 0 seconds"),
        ({"watermark_delay": -1}, "watermark_delay must be >= 0 seconds"),
        ({"out_of_order": -1}, "out_of_order must be >= 0 seconds"),
        ({"late_fraction": 1.5}, "late_fraction must be in [0, 1]"),
        ({"duration": 0}, "duration must be > 0 seconds"),
        ({"keys": 0}, "keys must be an int >= 1"),
        ({"batch_startup": -5}, "batch_startup must be >= 0 seconds"),
        ({"rate": float("inf")}, "rate must be a finite number"),
    ],
)
def test_bad_dials_name_the_parameter_and_its_range(kwargs, words):
    with pytest.raises(ValueError) as info:
        compare(**kwargs)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"rate": "5"}, "rate"), ({"seed": 1.5}, "seed"), ({"window": None}, "window")],
)
def test_wrong_types_name_the_parameter(kwargs, name):
    with pytest.raises(TypeError, match=f"^{name} must be"):
        compare(**kwargs)


def test_dials_are_keyword_only():
    with pytest.raises(TypeError):
        compare(5.0)  # type: ignore[misc]
