"""Latency statistics: how long results take, summarised the way operators read them.

A mean hides the slow tail that users notice, so reports give percentiles: p50 (typical),
p95 and p99 (the unlucky ones), and the maximum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import _check
from ._format import seconds


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by linear interpolation between closest ranks.

    Linear interpolation is numpy's default and ``statistics.quantiles(method="inclusive")``:
    p0 is the minimum, p100 the maximum, and p50 of an even count is the mean of the middle two.

    >>> percentile([1, 2, 3, 4], 50)
    2.5
    >>> percentile([10, 20, 30], 100)
    30.0
    """
    _check.number("q", q)
    if not 0 <= q <= 100:
        raise ValueError(f"q must be in [0, 100], got {q!r}")
    data = sorted(values)
    if not data:
        raise ValueError("values must be non-empty to take a percentile")
    return _sorted_percentile(data, q)


def _sorted_percentile(data: list[float], q: float) -> float:
    # pos <= len - 1 even in floating point (rounding is monotonic), and pos == len - 1 only
    # at a whole rank: data[lo + 1] exists whenever there is something to interpolate.
    pos = (len(data) - 1) * q / 100.0
    lo = int(pos)
    frac = pos - lo
    if frac == 0:
        return float(data[lo])
    return data[lo] + (data[lo + 1] - data[lo]) * frac


@dataclass(frozen=True, slots=True)
class LatencyStats:
    """Summary of a set of latencies in seconds: count, mean, p50, p95, p99 and max.

    With no values (``count == 0``) every figure is 0.0 and ``str()`` says "no data".

    >>> print(latency_stats([1.0, 2.0, 3.0, 4.0]))
    p50=2.5s p95=3.9s p99=4.0s
    """

    count: int
    mean: float
    p50: float
    p95: float
    p99: float
    max: float

    def __str__(self) -> str:
        if self.count == 0:
            return "no data"
        return f"p50={seconds(self.p50)} p95={seconds(self.p95)} p99={seconds(self.p99)}"


def latency_stats(values: Iterable[float]) -> LatencyStats:
    """Summarise latencies (seconds) into a :class:`LatencyStats`.

    >>> s = latency_stats([0.5, 1.5, 10.0])
    >>> s.count, s.p50, s.max
    (3, 1.5, 10.0)
    >>> latency_stats([]).count
    0
    """
    data = sorted(values)
    n = len(data)
    if n == 0:
        return LatencyStats(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    return LatencyStats(
        count=n,
        mean=sum(data) / n,
        p50=_sorted_percentile(data, 50),
        p95=_sorted_percentile(data, 95),
        p99=_sorted_percentile(data, 99),
        max=float(data[-1]),
    )
