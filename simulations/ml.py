"""Models on a drifting stream: retrained in batch on a schedule, or updated online per event.

When the world changes (concept drift), a model is only as good as its most recent data. A model
retrained in batch on all history adapts slowly, and only at its next retraining; a model updated
online after every event adapts within seconds. The same holds for the features fed to a model:
a nightly feature job serves values up to a day old, a streaming one serves values seconds old.

Both models are logistic regressions on two features, written in plain Python.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from dataclasses import dataclass

from . import _check
from ._format import clock, num, seconds
from .charts import Chart, line_chart
from .panel import status_panel
from .stats import LatencyStats, latency_stats

GRID = 10  # features are multiples of 1/GRID in [-1, 1]: 21 x 21 distinct points
NOISE = 0.05  # fraction of labels flipped: the best possible accuracy is about 95%
STREAM_FEATURE_DELAY = 0.5  # mean seconds for a streaming pipeline to update a feature
L2 = 1.0  # ridge penalty of the batch fit: keeps the weights finite on separable data


def sigmoid(z: float) -> float:
    """The logistic function, computed without overflow for large |z|.

    >>> sigmoid(0.0), round(sigmoid(4.0), 4), sigmoid(-1000.0)
    (0.5, 0.982, 0.0)
    """
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def concept(x0: float, x1: float, drifted: bool) -> int:
    """The true label: 1 above the line x0 + x1 = 0, and after the drift above x0 - x1 = 0.

    The two boundaries agree on only half of the plane, so a model of the old concept
    is right about half the time after the drift.

    >>> concept(0.5, 0.2, False), concept(0.5, 0.2, True), concept(-0.5, 0.8, True)
    (1, 1, 0)
    """
    return int(x0 - x1 > 0) if drifted else int(x0 + x1 > 0)


def fit_logistic(
    cells: dict[tuple[int, int], list[int]], start: tuple[float, float, float] = (0.0, 0.0, 0.0)
) -> tuple[float, float, float]:
    """Fit weights (w0, w1, b) by Newton's method on counted data: the batch training job.

    ``cells`` maps a grid point (i0, i1), whose features are (i0/GRID, i1/GRID), to its counts
    [negatives, positives]. Counting equal points first makes a pass over all history cost
    441 cells instead of thousands of events, with the same result as a pass over every event.

    >>> w0, w1, b = fit_logistic({(5, 5): [0, 9], (-5, -5): [9, 0], (5, -5): [1, 1]})
    >>> w0 > 0 and w1 > 0
    True
    """
    exp = math.exp
    w0, w1, b = start
    data = [(i0 / GRID, i1 / GRID, neg, pos) for (i0, i1), (neg, pos) in sorted(cells.items())]
    for _ in range(50):
        g0 = L2 * w0
        g1 = L2 * w1
        gb = 0.0
        h00 = h11 = L2
        h01 = h0b = h1b = hbb = 0.0
        for x0, x1, neg, pos in data:
            z = w0 * x0 + w1 * x1 + b
            if z >= 0:  # sigmoid(z), written out: this loop is most of a retraining's time
                p = 1.0 / (1.0 + exp(-z))
            else:
                e = exp(z)
                p = e / (1.0 + e)
            n = neg + pos
            g = p * n - pos  # gradient of the log loss summed over the cell
            s = p * (1.0 - p) * n
            g0 += g * x0
            g1 += g * x1
            gb += g
            h00 += s * x0 * x0
            h01 += s * x0 * x1
            h11 += s * x1 * x1
            h0b += s * x0
            h1b += s * x1
            hbb += s
        d0, d1, db = _solve3(
            ((h00, h01, h0b), (h01, h11, h1b), (h0b, h1b, hbb + 1e-9)), (g0, g1, gb)
        )
        w0, w1, b = w0 - d0, w1 - d1, b - db
        if max(abs(d0), abs(d1), abs(db)) < 1e-6:
            break
    return w0, w1, b


def _solve3(a, y):
    """Solve the 3x3 system a @ x = y by Cramer's rule (a is symmetric positive definite)."""

    def det(m):
        return (
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        )

    d = det(a)
    out = []
    for col in range(3):
        m = [[y[r] if c == col else a[r][c] for c in range(3)] for r in range(3)]
        out.append(det(m) / d)
    return out


@dataclass(frozen=True, slots=True)
class DriftReport:
    """Accuracy over time of a batch-retrained and an online model, and feature freshness.

    ``accuracy[model]`` lists (end of evaluation window, accuracy in that window); ``overall``
    is the accuracy over the whole run; ``feature_freshness[pipeline]`` summarises the age of
    the feature at inference for a "batch" and a "stream" feature pipeline.
    """

    accuracy: dict[str, list[tuple[float, float]]]
    overall: dict[str, float]
    feature_freshness: dict[str, LatencyStats]
    retrains: list[float]
    drift_at: float
    retrain_interval: float
    events: int
    after_drift: dict[str, float]

    def chart(self) -> Chart:
        """Accuracy per evaluation window for both models; the drift shows as a dip."""
        return line_chart(
            {name: points for name, points in self.accuracy.items()},
            title=f"Accuracy over time (drift at {num(self.drift_at)}s)",
            x_label="time (s)",
            y_label="accuracy",
        )

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        return status_panel(
            mode="ONLINE_LEARNING vs BATCH_RETRAINING",
            trigger=f"EVENT (online) vs SCHEDULED [every {clock(self.retrain_interval)}] (batch)",
            volume=self.events,
            latency=(
                f"feature age p50 {seconds(self.feature_freshness['stream'].p50)} (stream) vs "
                f"{seconds(self.feature_freshness['batch'].p50)} (batch)"
            ),
            status=(
                f"DRIFT at {num(self.drift_at)}s [accuracy after it: "
                f"online {self.after_drift['online']:.2f}, batch {self.after_drift['batch']:.2f}]"
            ),
        )

    def __str__(self) -> str:
        return self.panel()


def run_drift(
    *,
    duration: float = 600.0,
    rate: float = 20.0,
    drift_at: float = 300.0,
    retrain_interval: float = 120.0,
    learning_rate: float = 0.05,
    seed: int = 0,
    eval_window: float = 30.0,
) -> DriftReport:
    """Compare a batch-retrained and an online logistic regression on a stream with drift.

    Labelled examples arrive at ``rate`` per second for ``duration`` seconds; at ``drift_at``
    the true boundary turns. The batch model is refitted on all examples so far every
    ``retrain_interval`` seconds (before the first fit it guesses); the online model takes one
    SGD step of size ``learning_rate`` per example, after predicting it (prequential
    evaluation: every prediction is on an example the model has not seen).

    >>> r = run_drift(duration=200, drift_at=100, retrain_interval=50, seed=1)
    >>> r.after_drift["online"] > r.after_drift["batch"]
    True
    """
    _check.positive("duration", duration, "seconds")
    _check.positive("rate", rate, "events/s")
    _check.non_negative("drift_at", drift_at, "seconds")
    _check.positive("retrain_interval", retrain_interval, "seconds")
    _check.positive("learning_rate", learning_rate)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    _check.positive("eval_window", eval_window, "seconds")

    rng = random.Random(seed)
    # randbelow(n) is what randint calls, minus its argument checks: the same numbers from the
    # same seed, at half the cost.
    randbelow = rng._randbelow
    cells: dict[tuple[int, int], list[int]] = {}
    batch_w = (0.0, 0.0, 0.0)
    ow0 = ow1 = ob = 0.0  # the online model
    next_retrain = retrain_interval
    retrains: list[float] = []
    # every prediction's time and whether each model got it right: scored after the run
    times: list[float] = []
    batch_hits: list[int] = []
    online_hits: list[int] = []
    age_batch: list[float] = []
    age_stream: list[float] = []
    t = 0.0
    while True:
        t += rng.expovariate(rate)
        if t >= duration:
            break
        while t >= next_retrain:  # the scheduled batch job: refit on everything so far
            batch_w = fit_logistic(cells, batch_w)
            retrains.append(next_retrain)
            next_retrain += retrain_interval
        i0, i1 = randbelow(2 * GRID + 1) - GRID, randbelow(2 * GRID + 1) - GRID
        x0, x1 = i0 / GRID, i1 / GRID
        y = concept(x0, x1, t >= drift_at)
        if rng.random() < NOISE:
            y = 1 - y
        # predict with both models, then let each learn the way it does
        bw0, bw1, bb = batch_w
        times.append(t)
        batch_hits.append((bw0 * x0 + bw1 * x1 + bb >= 0) == y)
        p = sigmoid(ow0 * x0 + ow1 * x1 + ob)
        online_hits.append((p >= 0.5) == y)
        g = learning_rate * (y - p)
        ow0 += g * x0
        ow1 += g * x1
        ob += g
        cell = cells.get((i0, i1))
        if cell is None:
            cell = cells[(i0, i1)] = [0, 0]
        cell[y] += 1
        # the feature read at inference: last refreshed by the batch job, or updated in flight
        age_batch.append(t - retrains[-1] if retrains else t)
        age_stream.append(rng.expovariate(1.0 / STREAM_FEATURE_DELAY))
    n = len(times)
    hits = {"batch": batch_hits, "online": online_hits}
    drift = bisect_left(times, drift_at)  # the first prediction after the drift
    accuracy: dict[str, list[tuple[float, float]]] = {"batch": [], "online": []}
    start, window_end = 0, eval_window
    while start < n:  # evaluation windows [end - eval_window, end) that hold predictions
        stop = bisect_left(times, window_end, start)
        if stop > start:
            end = min(window_end, duration)
            for name, hit in hits.items():
                accuracy[name].append((end, sum(hit[start:stop]) / (stop - start)))
        start, window_end = stop, window_end + eval_window
    return DriftReport(
        accuracy=accuracy,
        overall={name: sum(hit) / n if n else 0.0 for name, hit in hits.items()},
        feature_freshness={"batch": latency_stats(age_batch), "stream": latency_stats(age_stream)},
        retrains=retrains,
        drift_at=drift_at,
        retrain_interval=retrain_interval,
        events=n,
        after_drift={
            name: sum(hit[drift:]) / (n - drift) if n > drift else 0.0 for name, hit in hits.items()
        },
    )


__all__ = ["DriftReport", "fit_logistic", "run_drift", "sigmoid"]
