"""The drift experiment's figures recomputed from its random draws, and the fit checked by calculus.

run_drift draws, per example: its gap (expovariate), two grid coordinates, a noise coin and the
streaming feature's age. The replay below makes the same draws from the same seed in that order
(``randint`` where the engine calls ``_randbelow``: the same numbers), then works out every figure
its own way: the batch model's weights at each prediction from the examples before the last
retraining, the online model's steps, the accuracy of every evaluation window by filtering the
examples whose time falls in it. The fit itself is checked by the optimality condition it must
satisfy (a zero gradient of the penalised log loss), not by its own arithmetic.
"""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import run_drift
from simulations._format import count, seconds
from simulations.ml import (
    GRID,
    L2,
    NOISE,
    STREAM_FEATURE_DELAY,
    _solve3,
    concept,
    fit_logistic,
    sigmoid,
)
from simulations.stats import latency_stats


def replay(*, duration, rate, drift_at, retrain_interval, learning_rate, seed, eval_window):
    """Every example of a run and both models' verdict on it, from the seed alone."""
    rng = random.Random(seed)
    examples = []  # (time, i0, i1, label, stream feature age)
    t = rng.expovariate(rate)
    while t < duration:
        i0, i1 = rng.randint(-GRID, GRID), rng.randint(-GRID, GRID)
        x0, x1 = i0 / GRID, i1 / GRID
        truth = (x0 - x1 > 0) if t >= drift_at else (x0 + x1 > 0)
        y = int(truth) ^ int(rng.random() < NOISE)
        examples.append((t, i0, i1, y, rng.expovariate(1 / STREAM_FEATURE_DELAY)))
        t += rng.expovariate(rate)
    # retrainings due by the last example (one is due at every multiple of the interval that
    # an example reaches), each fitted on the examples strictly before it, warm-started
    last = examples[-1][0] if examples else 0.0
    retrains = [retrain_interval * k for k in range(1, int(last // retrain_interval) + 2)]
    retrains = [r for r in retrains if r <= last]
    weights, w = {}, (0.0, 0.0, 0.0)
    for r in retrains:
        cells = {}
        for te, i0, i1, y, _ in examples:
            if te < r:
                cells.setdefault((i0, i1), [0, 0])[y] += 1
        w = weights[r] = fit_logistic(cells, w)
    batch, online, age_batch = [], [], []
    ow = [0.0, 0.0, 0.0]
    for te, i0, i1, y, _ in examples:
        x0, x1 = i0 / GRID, i1 / GRID
        done = [r for r in retrains if r <= te]
        b0, b1, bb = weights[done[-1]] if done else (0.0, 0.0, 0.0)
        batch.append(int(b0 * x0 + b1 * x1 + bb >= 0) == y)
        p = sigmoid(ow[0] * x0 + ow[1] * x1 + ow[2])
        online.append(int(p >= 0.5) == y)
        step = learning_rate * (y - p)
        ow = [ow[0] + step * x0, ow[1] + step * x1, ow[2] + step]
        age_batch.append(te - done[-1] if done else te)
    times = [e[0] for e in examples]
    accuracy = {"batch": [], "online": []}
    k = 1
    while (k - 1) * eval_window < duration:
        inside = [i for i, te in enumerate(times) if (k - 1) * eval_window <= te < k * eval_window]
        if inside:
            for name, hits in (("batch", batch), ("online", online)):
                share = sum(hits[i] for i in inside) / len(inside)
                accuracy[name].append((min(k * eval_window, duration), share))
        k += 1
    after = [i for i, te in enumerate(times) if te >= drift_at]
    n = len(examples)
    return {
        "events": n,
        "retrains": retrains,
        "accuracy": accuracy,
        "overall": {"batch": sum(batch) / n, "online": sum(online) / n} if n else None,
        "after": {
            name: sum(hits[i] for i in after) / len(after)
            for name, hits in (("batch", batch), ("online", online))
        }
        if after
        else None,
        "age_batch": age_batch,
        "age_stream": [e[4] for e in examples],
    }


DIALS = {
    "duration": 90.0,
    "rate": 4.0,
    "drift_at": 45.0,
    "retrain_interval": 20.0,
    "learning_rate": 0.2,
    "eval_window": 25.0,
}


@pytest.mark.parametrize(
    "dials",
    [
        {},
        {"seed": 3, "drift_at": 0.0, "retrain_interval": 7.0, "eval_window": 30.0},
        {"seed": 5, "rate": 0.2, "retrain_interval": 2.0, "duration": 60.0},  # gaps > interval
        {"seed": 2, "drift_at": 1000.0, "learning_rate": 1.5},  # no drift within the run
        {"seed": 6, "rate": 0.05, "eval_window": 5.0, "duration": 200.0},  # empty windows
    ],
)
def test_every_figure_equals_a_replay_of_the_draws(dials):
    kwargs = {**DIALS, "seed": 1, **dials}
    r = run_drift(**kwargs)
    want = replay(**kwargs)
    assert r.events == want["events"] > 0
    assert r.retrains == want["retrains"]
    assert r.accuracy == want["accuracy"]
    assert r.overall == want["overall"]
    assert r.after_drift == (want["after"] or {"batch": 0.0, "online": 0.0})
    assert r.feature_freshness["batch"] == latency_stats(want["age_batch"])
    assert r.feature_freshness["stream"] == latency_stats(want["age_stream"])
    assert (r.drift_at, r.retrain_interval) == (kwargs["drift_at"], kwargs["retrain_interval"])


def test_a_run_with_no_example_reports_zeros_not_a_division_error():
    # the first gap at 0.001 events/s is far longer than a second (seed 0: about 1,000 s)
    r = run_drift(duration=1.0, rate=0.001, drift_at=0.5)
    assert r.events == 0 and r.retrains == []
    assert r.overall == {"batch": 0.0, "online": 0.0}
    assert r.after_drift == {"batch": 0.0, "online": 0.0}
    assert r.accuracy == {"batch": [], "online": []}
    assert r.feature_freshness["batch"].count == 0


def test_panel_lines_hold_the_reports_own_fields():
    r = run_drift(duration=90, drift_at=45, retrain_interval=20, seed=4)
    fresh = r.feature_freshness
    assert r.panel().splitlines() == [
        "Mode: ONLINE_LEARNING vs BATCH_RETRAINING",
        "Trigger: EVENT (online) vs SCHEDULED [every 00:00:20] (batch)",
        f"Volume: {count(r.events)} events",
        f"Latency: feature age p50 {seconds(fresh['stream'].p50)} (stream) vs "
        f"{seconds(fresh['batch'].p50)} (batch)",
        f"Status: DRIFT at 45s [accuracy after it: online {r.after_drift['online']:.2f}, "
        f"batch {r.after_drift['batch']:.2f}]",
    ]
    assert str(r) == r.panel()
    text = str(r.chart()).splitlines()
    assert text[0] == "Accuracy over time (drift at 45s)"
    # windows of 30 s, the default: the first ends at 30
    assert text[1].startswith(f"  batch: {len(r.accuracy['batch'])} points, x 30..90")
    assert text[2].startswith(f"  online: {len(r.accuracy['online'])} points")
    svg = r.chart().svg
    assert ">time (s)</text>" in svg and ">accuracy</text>" in svg


def test_running_with_the_defaults_is_running_with_the_values_the_lessons_describe():
    # docs/lessons/ai.md runs run_drift(duration=600, rate=10, seed=0): the drift at 300 s, a
    # retraining every two minutes, 30 s evaluation windows come from these
    documented = {
        "rate": 20.0,
        "drift_at": 300.0,
        "retrain_interval": 120.0,
        "learning_rate": 0.05,
        "seed": 0,
        "eval_window": 30.0,
    }
    r = run_drift(duration=40.0)
    assert r == run_drift(duration=40.0, **documented)
    assert (r.drift_at, r.retrain_interval) == (300.0, 120.0)


@pytest.mark.parametrize(
    ("x0", "x1", "before", "after"),
    [(0.5, -0.5, 0, 1), (-0.3, 0.3, 0, 0), (0.3, 0.3, 1, 0), (0.0, 0.0, 0, 0), (0.1, 0.0, 1, 1)],
)
def test_a_point_on_a_boundary_is_labelled_0(x0, x1, before, after):
    # the boundaries are strict: exactly on x0 + x1 = 0 (before) or x0 - x1 = 0 (after), 0
    assert concept(x0, x1, drifted=False) == before
    assert concept(x0, x1, drifted=True) == after


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"duration": 0}, "duration must be > 0 seconds, got 0"),
        ({"rate": -1.0}, "rate must be > 0 events/s, got -1.0"),
        ({"drift_at": -1}, "drift_at must be >= 0 seconds, got -1"),
        ({"retrain_interval": 0.0}, "retrain_interval must be > 0 seconds, got 0.0"),
        ({"learning_rate": 0}, "learning_rate must be > 0, got 0"),
        ({"eval_window": 0}, "eval_window must be > 0 seconds, got 0"),
    ],
)
def test_bad_dials_name_the_parameter_and_its_range(kwargs, message):
    with pytest.raises(ValueError) as info:
        run_drift(**kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize("seed", [True, 1.0, "1", None])
def test_the_seed_must_be_an_int(seed):
    with pytest.raises(TypeError, match=f"^seed must be an int, got {type(seed).__name__} "):
        run_drift(seed=seed)


# -- the fit: the optimum of the penalised log loss, found by Newton's method ------------------
def gradient(cells, w):
    """The gradient of sum(log loss) + L2/2 * (w0² + w1²) (the intercept is not penalised)."""
    w0, w1, b = w
    g = [L2 * w0, L2 * w1, 0.0]
    for (i0, i1), (neg, pos) in cells.items():
        x0, x1 = i0 / GRID, i1 / GRID
        p = 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + b)))
        for j, x in enumerate((x0, x1, 1.0)):
            g[j] += (p * (neg + pos) - pos) * x
    return g


cell = st.tuples(st.integers(-GRID, GRID), st.integers(-GRID, GRID))
counts = st.lists(st.integers(0, 6), min_size=2, max_size=2)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(cell, counts, max_size=12))
def test_the_fit_zeroes_the_gradient_of_the_penalised_loss(cells):
    w = fit_logistic(cells)
    assert all(abs(g) < 1e-6 for g in gradient(cells, w))


def test_the_fit_of_lopsided_data_converges_within_its_iterations():
    # far from the start: a strong intercept and weights of both signs, both branches of the
    # sigmoid. Newton's method gets there in a few steps; a wrong curvature would not.
    cells = {(10, -10): [0, 40], (-10, 10): [3, 1], (0, 0): [1, 30], (4, 7): [2, 9]}
    w = fit_logistic(cells)
    assert all(abs(g) < 1e-6 for g in gradient(cells, w))
    assert w[0] > 0 > w[1] and w[2] > 1
    assert fit_logistic(cells, start=w) == pytest.approx(w, abs=1e-9)


@pytest.mark.parametrize(
    ("cells", "moves"),
    [
        ({(5, 3): [1, 4], (5, -3): [1, 4], (-5, 3): [4, 1], (-5, -3): [4, 1]}, 0),
        ({(3, 5): [1, 4], (-3, 5): [1, 4], (3, -5): [4, 1], (-3, -5): [4, 1]}, 1),
        ({(0, 0): [1, 9]}, 2),
    ],
)
def test_the_fit_converges_when_a_single_weight_moves(cells, moves):
    # data symmetric about the other axes: their weights stay 0 (to float noise) at every
    # step, and the fit must not stop while the one that moves is still moving
    w = fit_logistic(cells)
    assert [i for i in range(3) if abs(w[i]) > 1e-12] == [moves]
    assert all(abs(g) < 1e-6 for g in gradient(cells, w))


def test_the_fit_of_nothing_is_zero_weights():
    assert fit_logistic({}) == (0.0, 0.0, 0.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=12, max_size=12))
def test_solve3_solves_a_symmetric_positive_definite_system(xs):
    m = [xs[0:3], xs[3:6], xs[6:9]]
    # m·mᵀ + I is symmetric positive definite, whatever m
    a = [[sum(m[r][k] * m[c][k] for k in range(3)) + (r == c) for c in range(3)] for r in range(3)]
    y = xs[9:12]
    x = _solve3(a, y)
    for r in range(3):
        assert sum(a[r][c] * x[c] for c in range(3)) == pytest.approx(y[r], abs=1e-9)


@pytest.mark.parametrize("z", [-700.0, -3.5, -1e-9, 0.0, 1e-9, 2.25, 700.0])
def test_sigmoid_is_the_logistic_function_on_both_branches(z):
    assert sigmoid(z) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12, abs=1e-300)
    assert sigmoid(z) + sigmoid(-z) == pytest.approx(1.0, rel=1e-12)
