"""Percentiles and latency summaries, checked against values worked out by hand."""

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import LatencyStats, latency_stats, percentile
from simulations._format import seconds


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


# -- recomputed from the raw values ------------------------------------------------------------
values = st.lists(st.one_of(st.integers(0, 50), st.sampled_from([0.0, 0.5, 1e-3])), min_size=2)


@settings(deadline=None)
@given(values, st.integers(1, 99))
def test_every_percentile_is_the_standard_librarys_inclusive_quantile(data, q):
    # statistics.quantiles(method="inclusive") interpolates between closest ranks, as documented
    expected = statistics.quantiles(data, n=100, method="inclusive")[q - 1]
    assert percentile(data, q) == pytest.approx(expected, abs=1e-9)


@settings(deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1))
def test_p0_and_p100_are_the_extremes_as_floats(data):
    for q, extreme in ((0, min(data)), (100, max(data))):
        got = percentile(data, q)
        assert got == extreme and type(got) is float


@settings(deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1))
def test_latency_stats_are_the_count_mean_percentiles_and_max_of_the_values(data):
    s = latency_stats(data)
    assert s == LatencyStats(
        count=len(data),
        mean=sum(data) / len(data),
        p50=percentile(data, 50),
        p95=percentile(data, 95),
        p99=percentile(data, 99),
        max=float(max(data)),
    )
    assert type(s.max) is float
    assert str(s) == f"p50={seconds(s.p50)} p95={seconds(s.p95)} p99={seconds(s.p99)}"


def test_no_values_give_zeros_and_no_data():
    assert latency_stats([]) == LatencyStats(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert latency_stats(iter([])).count == 0  # any iterable, read once


@pytest.mark.parametrize("q", [0, 100, 0.0, 100.0])
def test_q_at_either_end_of_its_range_is_accepted(q):
    assert percentile([1, 3], q) == (1.0 if q == 0 else 3.0)


@pytest.mark.parametrize("q", [-0.001, 100.001])
def test_q_just_outside_its_range_is_rejected(q):
    with pytest.raises(ValueError) as info:
        percentile([1, 3], q)
    assert str(info.value) == f"q must be in [0, 100], got {q!r}"
