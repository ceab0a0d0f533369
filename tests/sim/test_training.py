"""Training sets from streams: point-in-time joins do not leak, naive joins do, skew measured."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import build_training_set, measure_skew
from simulations._format import num
from simulations.events import _trusted_event
from simulations.ml import fit_logistic, sigmoid
from simulations.training import (
    BACKFILLS,
    BUSY_RATE,
    BUSY_SHARE,
    CAP,
    FEATURES,
    GENUINE_RATE,
    JOINS,
    STOLEN_EVERY,
    STOLEN_LIFE,
    STOLEN_RATE,
    TICK,
    Payment,
    Scenario,
    _point_in_time,
    features_for,
    simulate_payments,
)


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


# -- the scenario replayed from its seed, and its changelogs recomputed by counting ------------
def replay_payments(cards, duration, label_delay, seed):
    """(card, time, fraud, label arrival) of every payment, drawn as the scenario says: each
    genuine card busy with probability BUSY_SHARE and paying as a Poisson process all along;
    stolen cards appearing every STOLEN_EVERY s on average, each used for an exponential life;
    then, in time order, each fraud's chargeback delay."""
    rng = random.Random(seed)
    paid = []

    def poisson(card, rate, start, stop, fraud):
        t = start + rng.expovariate(rate)
        while t < stop:
            paid.append((round(t, 3), card, fraud))
            t += rng.expovariate(rate)

    for i in range(cards):
        busy = rng.random() < BUSY_SHARE
        poisson(f"card{i:03d}", BUSY_RATE if busy else GENUINE_RATE, 0.0, duration, False)
    stolen, appears = cards, rng.expovariate(1 / STOLEN_EVERY)
    while appears < duration:
        life = rng.expovariate(1 / STOLEN_LIFE)
        poisson(f"card{stolen:03d}", STOLEN_RATE, appears, min(appears + life, duration), True)
        stolen += 1
        appears += rng.expovariate(1 / STOLEN_EVERY)
    out = []
    for t, card, fraud in sorted(paid):
        label_at = round(t + rng.expovariate(1 / label_delay), 3) if fraud else math.inf
        out.append((card, t, fraud, label_at))
    return out


SCENARIOS = [
    {"cards": 8, "duration": 900.0, "seed": 5},
    {"cards": 3, "duration": 1200.0, "label_delay": 40.0, "window": 20.0, "seed": 11},
    {"cards": 12, "duration": 600.0, "feature_delay": 0.0, "window": 300.0, "seed": 2},
]


@pytest.mark.parametrize("dials", SCENARIOS)
def test_payments_equal_a_replay_of_the_draws(dials):
    s = simulate_payments(**dials)
    want = replay_payments(
        dials["cards"], dials["duration"], dials.get("label_delay", 300.0), dials["seed"]
    )
    assert [(p.card, p.time, p.fraud, p.label_at) for p in s.payments] == want
    assert all(p.fraud == (int(p.card[4:]) >= dials["cards"]) for p in s.payments)
    assert (s.duration, s.feature_delay) == (dials["duration"], dials.get("feature_delay", 5.0))


def after(t):
    """A change's version: valid from one tick after it (rounded to the clock)."""
    return round(t + TICK, 3)


@pytest.mark.parametrize("dials", SCENARIOS)
def test_feature_versions_equal_a_count_over_the_payments(dials):
    # activity at a version's time: the card's payments counted from one tick after each
    # until one tick after it leaves the window, capped; chargebacks: the card's labels so far
    s = simulate_payments(**dials)
    window = dials.get("window", 60.0)
    activity = s.features["activity"]
    assert len(activity) == 2 * len(s.payments)
    last = {(e.key, e.event_time): e.value for e in activity}  # the last version at a time wins
    for (card, t), value in last.items():
        mine = [p.time for p in s.payments if p.card == card]
        entered = sum(1 for pt in mine if after(pt) <= t)
        left = sum(1 for pt in mine if after(pt + window) <= t)
        assert value == min(entered - left, CAP), (card, t)
    assert [e.event_time for e in activity] == sorted(e.event_time for e in activity)
    labels = sorted((p.label_at, p.card) for p in s.payments if p.fraud)
    seen = {}
    want = []
    for t, card in labels:
        seen[card] = seen.get(card, 0) + 1
        want.append((card, min(seen[card], CAP), t))
    assert [(e.key, e.value, e.event_time) for e in s.features["chargebacks"]] == want


@pytest.mark.parametrize("delay", [0.0, 5.0, 40.0])
def test_a_feature_reaches_the_store_at_least_a_tick_later_after_its_mean_delay(delay):
    s = simulate_payments(cards=30, duration=1200.0, feature_delay=delay, seed=9)
    lags = [e.arrival_time - e.event_time for f in FEATURES for e in s.features[f]]
    assert min(lags) >= TICK - 1e-9
    if delay == 0:
        assert all(e.arrival_time == after(e.event_time) for f in FEATURES for e in s.features[f])
    else:  # thousands of exponential delays: their mean within 10% of the dial
        assert abs(sum(lags) / len(lags) - TICK - delay) < 0.1 * delay


# -- the models: trained and scored again from the raw payments --------------------------------
def predicts(weights, x):
    w0, w1, b = weights
    return sigmoid(w0 * x[0] / CAP + w1 * x[1] / CAP + b) >= 0.5


def hit_rate(weights, rows):
    return sum(predicts(weights, x) == y for x, y in rows) / len(rows) if rows else 0.0


def trained(rows):
    cells = {}
    for x, y in rows:
        cells.setdefault(x, [0, 0])[int(y)] += 1
    return fit_logistic(cells)


BUILDS = [
    {"cards": 8, "duration": 900.0, "build_at": 700.0, "label_wait": 100.0, "seed": 5},
    {"cards": 12, "duration": 1500.0, "build_at": 900.0, "label_wait": 0.0, "holdout": 0.5},
    {"cards": 6, "duration": 1200.0, "build_at": 1100.0, "holdout": 0.1, "seed": 3},
    {"cards": 1, "duration": 100.0, "build_at": 1.0, "label_wait": 0.0},  # nothing to train on
]


@pytest.mark.parametrize("dials", BUILDS)
def test_accuracies_and_leak_equal_a_model_trained_again_on_brute_force_joins(dials):
    r = build_training_set(**dials)
    s = simulate_payments(
        cards=dials["cards"], duration=dials["duration"], seed=dials.get("seed", 0)
    )
    build_at, wait = dials["build_at"], dials.get("label_wait", 600.0)
    past = [p for p in s.payments if p.time < build_at - wait]
    labels = [p.label_at <= build_at for p in past]
    joined = {
        "point-in-time": [
            tuple(as_of(s.features[f], p.card, p.time) for f in FEATURES) for p in past
        ],
        "latest": [tuple(as_of(s.features[f], p.card, build_at) for f in FEATURES) for p in past],
    }
    cut = int(len(past) * (1 - dials.get("holdout", 0.3)))
    future = [(p.served, p.fraud) for p in s.payments if p.time >= build_at]
    for join, xs in joined.items():
        rows = list(zip(xs, labels, strict=True))
        weights = trained(rows[:cut])
        assert r.offline[join] == hit_rate(weights, rows[cut:]), join
        assert r.online[join] == hit_rate(weights, future), join
        assert r.gap(join) == r.offline[join] - r.online[join]
    differ = sum(a != b for a, b in zip(*joined.values(), strict=True))
    assert r.leaked == (differ / len(past) if past else 0.0)
    assert (r.served, r.build_at, r.label_wait) == (len(future), build_at, wait)
    assert r.label_delay == 300.0


@pytest.mark.parametrize(
    "dials",
    [
        {"cards": 6, "duration": 600.0, "seed": 1},
        {"cards": 10, "duration": 1800.0, "feature_delay": 30.0},
        {"cards": 20, "duration": 1200.568, "seed": 0},  # a payment exactly at half: 600.284
    ],
)
def test_skew_equals_a_count_over_the_training_rows(dials):
    r = measure_skew(**dials)
    s = simulate_payments(**dials)
    half = dials["duration"] / 2
    train = [p for p in s.payments if p.time < half]
    later = [(p.served, p.fraud) for p in s.payments if p.time >= half]
    for how in BACKFILLS:
        xs = features_for(s, train, how, at=half)
        diffs = [
            abs(a[0] - b.served[0]) + abs(a[1] - b.served[1])
            for a, b in zip(xs, train, strict=True)
        ]
        assert r.skew[how] == sum(d > 0 for d in diffs) / len(train), how
        assert r.mean_abs[how] == pytest.approx(sum(diffs) / len(train)), how
        assert r.online[how] == hit_rate(
            trained(zip(xs, [p.fraud for p in train], strict=True)), later
        ), how
    assert (r.payments, r.feature_delay) == (len(s.payments), dials.get("feature_delay", 5.0))


def test_no_payment_at_all_gives_zero_shares_not_a_division_error():
    r = measure_skew(cards=1, duration=1.0)
    assert r.payments == 0
    assert r.skew == r.mean_abs == r.online == dict.fromkeys(BACKFILLS, 0.0)
    t = build_training_set(cards=1, duration=100.0, build_at=1.0, label_wait=0.0)
    assert t.examples == 0
    assert (t.leaked, t.label_errors, t.missing_frauds, t.labelled_rate, t.true_rate) == (0.0,) * 5
    assert t.offline == {"point-in-time": 0.0, "latest": 0.0}


def test_the_latest_join_takes_a_version_made_exactly_at_the_build():
    s = simulate_payments(cards=8, duration=900.0, seed=5)
    version = s.features["chargebacks"][2]
    pays = [p for p in s.payments if p.card == version.key]
    got = features_for(s, pays, "latest", at=version.event_time)
    assert {x[1] for x in got} == {int(version.value)}
    before = features_for(s, pays, "latest", at=version.event_time - TICK)
    assert {x[1] for x in before} == {int(version.value) - 1}


# -- text and charts: the reports' own fields, formatted as documented -------------------------
def test_training_panel_table_and_chart_hold_the_reports_fields():
    r = build_training_set(cards=8, duration=900.0, build_at=700.0, label_wait=100.0, seed=5)
    assert r.panel().splitlines() == [
        "Mode: TRAINING_SET_BUILD [point-in-time join vs latest join]",
        "Trigger: SCHEDULED [at 700s, labels waited 100s]",
        f"Volume: {r.examples} labelled payments ({r.unlabelled} too recent to label)",
        f"Latency: labels after 300s on average ({r.missing_frauds:.1%} of frauds still missing)",
        f"Status: GAP offline-online [point-in-time {r.gap('point-in-time'):+.1%}, "
        f"latest {r.gap('latest'):+.1%}]",
        f"Online: {r.served} payments after the build, accuracy point-in-time "
        f"{r.online['point-in-time']:.1%}, latest {r.online['latest']:.1%}",
        f"Leaked: {r.leaked:.0%} of training rows differ between the two joins",
    ]
    assert str(r) == r.panel()
    head, _, *rows = r.table().splitlines()
    assert head.split() == ["join", "offline", "online", "gap"]
    assert [row.split() for row in rows] == [
        [j, f"{r.offline[j]:.1%}", f"{r.online[j]:.1%}", f"{r.gap(j):+.1%}"] for j in JOINS
    ]
    title, *bars = str(r.chart()).splitlines()
    assert title == "Accuracy offline (held out) and online (served) (accuracy %)"
    want = [
        (j, phase, getattr(r, phase)[j] * 100) for j in JOINS for phase in ("offline", "online")
    ]
    assert [(b.split()[0], b.split()[1], b.split()[-1]) for b in bars] == [
        (j, phase, num(v)) for j, phase, v in want
    ]


def test_skew_panel_table_and_chart_hold_the_reports_fields():
    r = measure_skew(cards=6, duration=600.0, seed=1)
    lines = r.panel().splitlines()
    assert lines == [
        "Mode: FEATURE_BACKFILL vs SERVING_LOG",
        "Trigger: SCHEDULED [backfill] vs EVENT [log at serving]",
        f"Volume: {r.payments} payments",
        "Latency: feature pipeline delay 5s on average",
        "Status: skew: " + ", ".join(f"{how} {r.skew[how]:.1%}" for how in BACKFILLS),
    ]
    assert str(r) == r.panel()
    head, _, *rows = r.table().splitlines()
    assert head.split("  ")[0] == "features" and "mean |diff|" in head
    assert [row.split() for row in rows] == [
        [h, f"{r.skew[h]:.1%}", f"{r.mean_abs[h]:.2f}", f"{r.online[h]:.1%}"] for h in BACKFILLS
    ]
    title, *bars = str(r.chart()).splitlines()
    assert title == "Training/serving skew by way of building features (% rows skewed)"
    assert [(b.split()[0], b.split()[-1]) for b in bars] == [
        (h, num(r.skew[h] * 100)) for h in BACKFILLS
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: simulate_payments(cards=0), "cards must be an int >= 1, got 0"),
        (lambda: simulate_payments(duration=0), "duration must be > 0 seconds, got 0"),
        (lambda: simulate_payments(window=-1.0), "window must be > 0 seconds, got -1.0"),
        (lambda: simulate_payments(label_delay=0), "label_delay must be > 0 seconds, got 0"),
        (lambda: simulate_payments(feature_delay=-1), "feature_delay must be >= 0 seconds, got -1"),
        (lambda: build_training_set(build_at=0), "build_at must be > 0 seconds, got 0"),
        (lambda: build_training_set(label_wait=-2), "label_wait must be >= 0 seconds, got -2"),
        (
            lambda: build_training_set(holdout=0),
            "holdout must be between 0 and 1 (exclusive), got 0",
        ),
        (
            lambda: build_training_set(holdout=1.0),
            "holdout must be between 0 and 1 (exclusive), got 1.0",
        ),
        (
            lambda: build_training_set(build_at=3600.0),
            "build_at must be < duration (3600.0), got 3600.0",
        ),
        (
            lambda: features_for(None, [], "joined"),
            "how must be one of 'logged', 'replay', 'event-time', 'latest', got 'joined'",
        ),
    ],
)
def test_bad_arguments_say_which_range_is_accepted(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: simulate_payments(seed=None), "seed must be an int, got NoneType None"),
        (lambda: simulate_payments(seed=True), "seed must be an int, got bool True"),
        (lambda: build_training_set(holdout="0.3"), "holdout must be a number, got str '0.3'"),
    ],
)
def test_wrong_types_name_the_parameter(call, message):
    with pytest.raises(TypeError) as info:
        call()
    assert str(info.value) == message


def test_holdout_just_inside_its_bounds_is_accepted():
    small = build_training_set(cards=6, duration=1200.0, build_at=1100.0, holdout=0.001)
    large = build_training_set(cards=6, duration=1200.0, build_at=1100.0, holdout=0.999)
    assert small.examples == large.examples > 0


def test_running_with_the_defaults_is_running_with_the_values_the_lessons_describe():
    # docs/lessons/training.md: 30 cards for an hour, labels after 300 s on average, features
    # 5 s behind, a set built at 2400 s after a 600 s wait, 30% held out; skew over 40 minutes
    scenario = {"cards": 30, "label_delay": 300.0, "seed": 0}
    s = simulate_payments()
    assert s == simulate_payments(**scenario, duration=3600.0, window=60.0, feature_delay=5.0)
    r = build_training_set()
    assert r == build_training_set(
        **scenario, duration=3600.0, build_at=2400.0, label_wait=600.0, holdout=0.3
    )
    assert (r.build_at, r.label_wait, r.label_delay) == (2400.0, 600.0, 300.0)
    skew = measure_skew()
    assert skew == measure_skew(**scenario, duration=2400.0, feature_delay=5.0)
    assert skew.feature_delay == 5.0


# -- each way to get training features, on a scenario small enough to work by hand -------------
def hand_scenario():
    pays = [Payment("a", 10.0, False, math.inf, (0, 0)), Payment("b", 20.0, True, 25.0, (0, 1))]
    activity = [  # a's count became 3 exactly at its payment, 5 at 15 (in the store at 20)
        _trusted_event("a", 3, 10.0, 10.5),
        _trusted_event("a", 5, 15.0, 20.0),
        _trusted_event("a", 9, 30.0, 30.0),  # after the last payment: never looked up
    ]
    chargebacks = [_trusted_event("b", 1, 20.0, 20.0)]  # known exactly at b's payment
    return Scenario(pays, {"activity": activity, "chargebacks": chargebacks}, 100.0, 1.0)


@pytest.mark.parametrize(
    ("how", "rows"),
    [
        ("logged", [(0, 0), (0, 1)]),  # as served
        ("replay", [(0, 0), (0, 1)]),  # by arrival: a's 3 reached the store only at 10.5
        ("event-time", [(3, 0), (0, 1)]),  # by event time: a version exactly at a payment counts
        ("latest", [(5, 0), (0, 0)]),  # as of 15: a's 5 exactly then, b's chargeback not yet
    ],
)
def test_each_way_to_get_features_by_hand_in_any_order_of_the_payments(how, rows):
    s = hand_scenario()
    assert features_for(s, s.payments, how, at=15.0) == rows
    assert features_for(s, s.payments[::-1], how, at=15.0) == rows[::-1]
    assert features_for(s, [], how, at=15.0) == []


def test_a_payment_exactly_at_the_build_is_served_not_unlabelled():
    s = simulate_payments(cards=10, duration=1800.0, seed=3)
    paid = next(p for p in s.payments if p.time > 900)
    r = build_training_set(cards=10, duration=1800.0, build_at=paid.time, label_wait=100, seed=3)
    assert figures(r) == pytest.approx(expected_figures(s, paid.time, 100))
    assert r.served == sum(1 for p in s.payments if p.time >= paid.time)  # paid included
    assert r.unlabelled == sum(1 for p in s.payments if paid.time - 100 <= p.time < paid.time)


def test_a_payment_exactly_halfway_is_served_not_trained_on():
    s = simulate_payments(cards=20, duration=1200.568, seed=0)
    assert sum(p.time == 600.284 for p in s.payments) == 1  # found by a search over durations
    r = measure_skew(cards=20, duration=1200.568, seed=0)
    trained_on = [p for p in s.payments if p.time < 600.284]
    xs = features_for(s, trained_on, "latest", at=600.284)
    diffs = sum(
        abs(a[0] - p.served[0]) + abs(a[1] - p.served[1])
        for a, p in zip(xs, trained_on, strict=True)
    )
    assert r.mean_abs["latest"] == pytest.approx(diffs / len(trained_on))
