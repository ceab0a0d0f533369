"""The drift experiment: batch-retrained against online logistic regression."""

import math

import pytest

from simulations import run_drift
from simulations.ml import concept, fit_logistic, sigmoid


def test_sigmoid():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(2.0) == pytest.approx(1 / (1 + math.exp(-2)))
    assert sigmoid(-800.0) == 0.0 and sigmoid(800.0) == 1.0  # no overflow


def test_concept_turns_at_the_drift():
    assert concept(0.5, 0.2, drifted=False) == 1 and concept(0.5, 0.2, drifted=True) == 1
    assert concept(-0.2, 0.5, drifted=False) == 1 and concept(-0.2, 0.5, drifted=True) == 0


def test_fit_logistic_finds_the_boundary():
    # the label is 1 exactly when i0 + i1 > 0, on the whole grid
    cells = {
        (i0, i1): [0, 5] if i0 + i1 > 0 else [5, 0]
        for i0 in range(-10, 11, 2)
        for i1 in range(-10, 11, 2)
    }
    w0, w1, b = fit_logistic(cells)
    assert w0 > 1 and w1 > 1
    assert w0 == pytest.approx(w1, rel=1e-6)  # the data are symmetric in the two features
    for (i0, i1), (neg, pos) in cells.items():
        if i0 + i1 != 0:
            assert (w0 * i0 + w1 * i1 + b * 10 > 0) == (pos > neg)


def test_online_model_recovers_from_drift_faster():
    r = run_drift()
    assert r.retrains == [120.0, 240.0, 360.0, 480.0]
    assert 11_000 < r.events < 13_000  # 20/s for 600 s
    assert r.after_drift["online"] > 0.85
    assert r.after_drift["batch"] < 0.75  # mostly trained on the old concept
    assert r.overall["online"] > r.overall["batch"]
    # windows of 30 s: 20 of them, every accuracy a fraction
    assert [t for t, _ in r.accuracy["online"]] == [30.0 * k for k in range(1, 21)]
    assert all(0 <= acc <= 1 for series in r.accuracy.values() for _, acc in series)


def test_before_the_drift_both_models_are_good_once_trained():
    r = run_drift()
    batch = dict(r.accuracy["batch"])
    online = dict(r.accuracy["online"])
    assert batch[300.0] > 0.85 and online[300.0] > 0.85
    assert 0.3 < batch[30.0] < 0.7  # no model yet: a guess
    assert batch[330.0] < 0.7 < online[330.0]  # just after the drift


def test_feature_freshness():
    r = run_drift()
    batch, stream = r.feature_freshness["batch"], r.feature_freshness["stream"]
    assert stream.p50 < 1.0 < 30.0 < batch.p50
    assert batch.max < 120.0  # refreshed every retrain_interval
    assert stream.count == batch.count == r.events


def test_report_outputs():
    r = run_drift(duration=200, drift_at=100, retrain_interval=50, seed=3)
    assert r.chart().svg.count("<polyline") == 2
    lines = r.panel().splitlines()
    assert lines[0] == "Mode: ONLINE_LEARNING vs BATCH_RETRAINING"
    assert lines[1] == "Trigger: EVENT (online) vs SCHEDULED [every 00:00:50] (batch)"
    assert lines[4].startswith("Status: DRIFT at 100s")
