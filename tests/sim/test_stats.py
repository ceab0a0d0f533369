"""Percentiles and latency summaries, checked against values worked out by hand."""

import pytest

from simulations import LatencyStats, latency_stats, percentile


def test_percentile_linear_interpolation():
    data = [10, 20, 30, 40, 50]
    assert percentile(data, 0) == 10
    assert percentile(data, 50) == 30
    assert percentile(data, 100) == 50
    assert percentile(data, 25) == 20  # position 1.0
    assert percentile(data, 90) == 46.0  # position 3.6: 40 + 0.6 * 10
    assert percentile([3, 1, 2], 50) == 2  # unsorted input


def test_percentile_errors():
    with pytest.raises(ValueError, match="q must be in"):
        percentile([1], 101)
    with pytest.raises(ValueError, match="values"):
        percentile([], 50)


def test_latency_stats_by_hand():
    s = latency_stats([4.0, 1.0, 3.0, 2.0])
    # positions (n - 1) * q: p50 at 1.5 -> 2.5, p95 at 2.85 -> 3.85, p99 at 2.97 -> 3.97
    assert (s.count, s.mean, s.p50, s.max) == (4, 2.5, 2.5, 4.0)
    assert s.p95 == pytest.approx(3.85)
    assert s.p99 == pytest.approx(3.97)
    assert isinstance(s, LatencyStats)
    assert str(s) == "p50=2.5s p95=3.9s p99=4.0s"


def test_latency_stats_empty():
    s = latency_stats([])
    assert s.count == 0
    assert str(s) == "no data"


def test_sub_second_latencies_keep_their_digits():
    assert str(latency_stats([0.012])) == "p50=0.012s p95=0.012s p99=0.012s"
