"""Training sets from streams: point-in-time joins do not leak, naive joins do, skew measured."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import build_training_set, measure_skew
from simulations.training import _point_in_time, features_for, simulate_payments


def as_of(log, card, t):
    """Brute force: the value of the latest update of ``card`` with event time <= t."""
    found = [(e.event_time, i, e.value) for i, e in enumerate(log) if e.key == card]
    found = [f for f in found if f[0] <= t]
    return int(max(found)[2]) if found else 0


def served(log, card, t):
    """Brute force: the value the online store held at t (updates by arrival time)."""
    found = [(e.arrival_time, i, e.value) for i, e in enumerate(log) if e.key == card]
    found = [f for f in found if f[0] <= t]
    return int(max(found)[2]) if found else 0


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([0.0, 2.0, 30.0]))
def test_features_equal_brute_force_joins(seed, delay):
    s = simulate_payments(cards=6, duration=600, feature_delay=delay, seed=seed)
    pays = s.payments
    for how, brute in (("event-time", as_of), ("replay", served)):
        got = features_for(s, pays, how)
        want = [
            tuple(brute(s.features[f], p.card, p.time) for f in ("activity", "chargebacks"))
            for p in pays
        ]
        assert got == want, how
    assert features_for(s, pays, "logged") == features_for(s, pays, "replay")
    latest = features_for(s, pays, "latest", at=300.0)
    assert latest == [
        tuple(as_of(s.features[f], p.card, 300.0) for f in ("activity", "chargebacks"))
        for p in pays
    ]


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.floats(1.0, 1199.0))
def test_a_training_set_takes_the_first_rows_of_the_joined_history(seed, until):
    """build_training_set joins every payment once and takes the first rows: the same features
    as joining only the payments of the set."""
    s = simulate_payments(cards=6, duration=1200, seed=seed)
    past = [p for p in s.payments if p.time < until]
    history = _point_in_time(6, 1200, 300.0, seed)
    assert list(history[: len(past)]) == features_for(s, past, "event-time")


def test_a_payment_does_not_see_itself_or_its_own_label():
    s = simulate_payments(seed=3)
    for p in s.payments:
        if p.fraud:
            assert p.label_at > p.time
    # activity counts earlier payments of the card in the window only
    first = {}
    for p in s.payments:
        first.setdefault(p.card, p)
    assert all(p.served[0] == 0 for p in first.values())


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_latest_join_flatters_offline_and_loses_online(seed):
    r = build_training_set(seed=seed)
    assert r.offline["latest"] > r.offline["point-in-time"]
    assert r.online["latest"] < r.online["point-in-time"]
    assert r.gap("latest") > 0.1 > abs(r.gap("point-in-time"))
    assert 0 < r.leaked <= 1


def test_waiting_longer_for_labels_leaves_fewer_wrong_labels():
    errors = [build_training_set(label_wait=w, seed=1).missing_frauds for w in (0, 300, 1200)]
    assert errors[0] > errors[1] > errors[2]
    r = build_training_set(label_wait=0, seed=1)
    assert r.unlabelled == 0 and r.label_errors > 0


def test_skew_is_zero_only_with_serving_semantics():
    r = measure_skew(seed=4)
    assert r.skew["logged"] == r.skew["replay"] == 0.0
    assert 0 < r.skew["event-time"] < r.skew["latest"]
    assert r.online["logged"] == r.online["replay"]
    assert r.online["latest"] < r.online["logged"]
    more = measure_skew(seed=4, feature_delay=60)
    assert more.skew["event-time"] > r.skew["event-time"]


def test_reports_have_panels_tables_and_charts():
    r = build_training_set()
    for line in ("Mode: TRAINING_SET_BUILD", "Trigger: SCHEDULED", "Status: GAP offline-online"):
        assert line in r.panel()
    assert "point-in-time" in r.table() and r.chart().svg.startswith("<svg")
    s = measure_skew()
    assert "Mode: FEATURE_BACKFILL" in s.panel() and "event-time" in s.table()
    assert s.chart().svg.startswith("<svg")


def test_same_seed_same_report():
    assert build_training_set(seed=7) == build_training_set(seed=7)
    assert measure_skew(seed=7) == measure_skew(seed=7)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: build_training_set(build_at=5000), "build_at must be < duration"),
        (lambda: build_training_set(build_at=0), "build_at must be > 0"),
        (lambda: build_training_set(label_wait=-1), "label_wait must be >= 0"),
        (lambda: build_training_set(holdout=1), "holdout must be between 0 and 1"),
        (lambda: build_training_set(cards=0), "cards must be an int >= 1"),
        (lambda: measure_skew(feature_delay=-1), "feature_delay must be >= 0"),
        (lambda: measure_skew(label_delay=0), "label_delay must be > 0"),
        (lambda: measure_skew(seed="x"), "seed must be an int"),
        (lambda: build_training_set().gap("naive"), "join must be one of"),
    ],
)
def test_bad_arguments_name_the_parameter(call, words):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert words in str(info.value)


# -- every figure of a training report recomputed from the scenario's payments -----------------
FIGURES = (
    "examples",
    "unlabelled",
    "served",
    "label_errors",
    "missing_frauds",
    "labelled_rate",
    "true_rate",
)


def expected_figures(s, build_at, label_wait):
    """The report's counts and shares, from each payment's time, truth and label arrival."""
    cut = build_at - label_wait
    past = [p for p in s.payments if p.time < cut]
    labels = [p.label_at <= build_at for p in past]
    wrong = sum(1 for p, y in zip(past, labels, strict=True) if y != p.fraud)
    frauds = sum(1 for p in past if p.fraud)
    n = len(past)
    return {
        "examples": n,
        "unlabelled": sum(1 for p in s.payments if cut <= p.time < build_at),
        "served": sum(1 for p in s.payments if p.time >= build_at),
        "label_errors": wrong / n if n else 0.0,
        "missing_frauds": wrong / frauds if frauds else 0.0,
        "labelled_rate": sum(labels) / n if n else 0.0,
        "true_rate": frauds / n if n else 0.0,
    }


def figures(r):
    return {k: getattr(r, k) for k in FIGURES}


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([300.0, 600.0, 1200.0]))
def test_label_errors_and_rates_equal_a_count_over_the_payments(seed, label_wait):
    s = simulate_payments(cards=10, duration=1800.0, seed=seed)
    r = build_training_set(
        cards=10, duration=1800.0, build_at=1500.0, label_wait=label_wait, seed=seed
    )
    assert figures(r) == pytest.approx(expected_figures(s, 1500.0, label_wait))


def test_a_label_arriving_exactly_at_the_build_counts_a_payment_exactly_label_wait_old_waits():
    s = simulate_payments(cards=10, duration=1800.0, seed=3)
    # a fraud whose chargeback comes long after it: the build runs exactly when it arrives
    fraud = next(p for p in s.payments if p.fraud and p.label_at - p.time > 150 and p.time > 300)
    build_at = fraud.label_at
    # the newest payment at least 100 s before the build sits exactly label_wait before it
    paid = max(p.time for p in s.payments if p.time <= build_at - 100)
    label_wait = build_at - paid
    r = build_training_set(
        cards=10, duration=1800.0, build_at=build_at, label_wait=label_wait, seed=3
    )
    assert figures(r) == pytest.approx(expected_figures(s, build_at, label_wait))
    assert r.examples == sum(1 for p in s.payments if p.time < paid)  # paid itself waits
    assert fraud.time < paid  # so the fraud is in the set, labelled fraud just in time
    fraud_labels = sum(1 for p in s.payments if p.time < paid and p.label_at <= build_at)
    assert r.labelled_rate == pytest.approx(fraud_labels / r.examples)
