"""Training data from streams: late labels, point-in-time joins, logged features, skew.

A model is served features *as they were* at the moment of each prediction, and learns from
labels that arrive long afterwards (a chargeback comes weeks after the payment). A training set
pairs the two. Built carelessly it leaks the future: joining each payment with today's feature
values tells the model about chargebacks that had not happened when it had to decide. The
model then looks excellent offline and disappoints in production.

The scenario: card payments from a few dozen cards, some of them in the hands of fraudsters.
Two streaming features describe a card at the moment of a payment:

* ``activity``: the card's payments in the last ``window`` seconds (fraudsters are busy);
* ``chargebacks``: the card's chargebacks received so far (a label of an earlier payment).

Each feature is a changelog: a list of :class:`~simulations.events.Event` whose ``event_time``
is when the value became true and whose ``arrival_time`` is when the online store had it (the
feature pipeline's delay). A label arrives ``label_delay`` seconds after a fraudulent payment,
on average; a payment with no chargeback after ``label_wait`` seconds is taken as genuine.

The models are logistic regressions fitted by :func:`simulations.ml.fit_logistic`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import _check
from ._format import count, num, table
from .charts import Chart, bar_chart
from .events import Event, _trusted_event
from .joins import as_of_join, lookup_join
from .ml import fit_logistic, sigmoid
from .panel import status_panel

FEATURES = ("activity", "chargebacks")
TICK = 0.001  # one millisecond: the clock's resolution
CAP = 10  # feature values are capped at 10: the model's grid (ml.GRID) is 0..10
GENUINE_RATE = 1 / 60  # payments per second of a genuine card
BUSY_SHARE = 0.2  # share of genuine cards that pay often (busy, but honest)
BUSY_RATE = 1 / 30
STOLEN_EVERY = 60.0  # mean seconds between two stolen cards appearing
STOLEN_RATE = 1 / 8  # a stolen card is used fast, every payment fraudulent...
STOLEN_LIFE = 90.0  # ...for this many seconds on average
JOINS = ("point-in-time", "latest")
BACKFILLS = ("logged", "replay", "event-time", "latest")


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment, its served features, its true label and when that label became known.

    ``label_at`` is the arrival time of the chargeback (``inf`` for a genuine payment).
    """

    card: str
    time: float
    fraud: bool
    label_at: float
    served: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Scenario:
    """Payments and the two feature changelogs they produce, for one seed."""

    payments: list[Payment]
    features: dict[str, list[Event]]
    duration: float
    feature_delay: float


@lru_cache(maxsize=8)
def simulate_payments(
    *,
    cards: int = 30,
    duration: float = 3600.0,
    window: float = 60.0,
    label_delay: float = 300.0,
    feature_delay: float = 5.0,
    seed: int = 0,
) -> Scenario:
    """Generate payments, their labels and the feature changelogs, deterministically.

    Each payment is scored with the features the online store held at that moment (a lookup
    of each changelog by arrival time): those are the features the model was served, and
    what a serving log records. The last few scenarios are cached: a lesson builds several
    training sets from the same events, and a scenario is never modified once made.

    >>> s = simulate_payments(cards=5, duration=300, seed=1)
    >>> len(s.payments), sorted(s.features)
    (51, ['activity', 'chargebacks'])
    """
    _check.integer("cards", cards, minimum=1)
    _check.positive("duration", duration, "seconds")
    _check.positive("window", window, "seconds")
    _check.positive("label_delay", label_delay, "seconds")
    _check.non_negative("feature_delay", feature_delay, "seconds")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    rng = random.Random(seed)
    arrivals: list[tuple[float, str, bool]] = []
    names = [f"card{i:03d}" for i in range(cards)]

    def pay(name: str, rate: float, start: float, stop: float, fraud: bool) -> None:
        t = start + rng.expovariate(rate)
        while t < stop:
            arrivals.append((round(t, 3), name, fraud))
            t += rng.expovariate(rate)

    for name in names:  # genuine cards pay all along, some of them often
        pay(name, BUSY_RATE if rng.random() < BUSY_SHARE else GENUINE_RATE, 0.0, duration, False)
    t = rng.expovariate(1.0 / STOLEN_EVERY)
    while t < duration:  # stolen cards appear, are used in a burst, and are dropped
        name = f"card{len(names):03d}"
        names.append(name)
        pay(name, STOLEN_RATE, t, min(t + rng.expovariate(1.0 / STOLEN_LIFE), duration), True)
        t += rng.expovariate(1.0 / STOLEN_EVERY)
    arrivals.sort()

    def lag() -> float:  # at least a millisecond: no pipeline is instantaneous
        return TICK + (rng.expovariate(1.0 / feature_delay) if feature_delay else 0.0)

    charge_times: list[tuple[float, str]] = []
    truth: list[tuple[float, str, bool, float]] = []
    for t, name, fraud in arrivals:
        label_at = round(t + rng.expovariate(1.0 / label_delay), 3) if fraud else float("inf")
        truth.append((t, name, fraud, label_at))
        if fraud:
            charge_times.append((label_at, name))
    activity: list[Event] = []
    # activity: +1 at each payment, -1 when it leaves the window; values as of each change
    changes = sorted(
        [(t, n, 1) for t, n, _ in arrivals] + [(t + window, n, -1) for t, n, _ in arrivals]
    )
    level = dict.fromkeys(names, 0)
    for t, name, step in changes:
        level[name] += step
        t = round(t + TICK, 3)  # a payment counts from just after it: it does not see itself
        activity.append(_trusted_event(name, min(level[name], CAP), t, round(t + lag(), 3)))
    chargebacks: list[Event] = []
    total = dict.fromkeys(names, 0)
    for t, name in sorted(charge_times):
        total[name] += 1
        chargebacks.append(_trusted_event(name, min(total[name], CAP), t, round(t + lag(), 3)))
    features = {"activity": activity, "chargebacks": chargebacks}
    # what the online store served at each payment: each changelog looked up by arrival time
    probe = [_trusted_event(name, 0, t, t) for t, name, _, _ in truth]
    served = {f: _ordered(lookup_join(probe, features[f]), probe) for f in FEATURES}
    payments = [
        Payment(name, t, fraud, label_at, (served["activity"][i], served["chargebacks"][i]))
        for i, (t, name, fraud, label_at) in enumerate(truth)
    ]
    return Scenario(payments, features, duration, feature_delay)


def features_for(
    scenario: Scenario, payments: list[Payment], how: str, *, at: float = 0.0
) -> list[tuple[int, int]]:
    """The two features of each payment, as a training-set builder would join them.

    ``how`` is one of:

    * ``"logged"``: the values served at prediction time, read back from the serving log;
    * ``"replay"``: a backfill that replays each changelog by *arrival* time, the way the
      online store saw it (the same semantics as serving, so no skew);
    * ``"event-time"``: a backfill with an as-of join on *event* time: each feature as it was
      true at the payment, a few seconds fresher than what serving could see;
    * ``"latest"``: the naive join: every payment gets the value as of ``at`` (the day the
      training set is built), which includes what happened after the payment.
    """
    _check.choice("how", how, BACKFILLS)
    if how == "logged":
        return [p.served for p in payments]
    columns = []
    if how == "latest":
        for f in FEATURES:
            latest: dict[str, int] = {}
            for e in scenario.features[f]:
                if e.event_time <= at:
                    latest[e.key] = int(e.value)
            columns.append([latest.get(p.card, 0) for p in payments])
        return list(zip(*columns, strict=True))
    probe = [_trusted_event(p.card, 0, p.time, p.time) for p in payments]
    for f in FEATURES:
        log = scenario.features[f]
        if how == "replay":
            columns.append(_ordered(lookup_join(probe, log), probe))
        else:
            # A backfill reads history that has all arrived: a watermark as slow as the
            # slowest update lets no version be late. Versions after the last payment are
            # never looked up, so they are not read.
            last = max((p.time for p in payments), default=0.0)
            log = [e for e in log if e.event_time <= last]
            slowest = max((e.arrival_time - e.event_time for e in log), default=0.0)
            columns.append(_ordered(as_of_join(probe, log, watermark_delay=slowest), probe))
    return list(zip(*columns, strict=True))


def _ordered(report, probe: list[Event]) -> list[int]:
    """A join's values (0 where it found none) put back in the order of the probes: a lookup
    join answers in arrival order and an as-of join by event time, and the payments asked
    about need not be in either."""
    found = {id(m.left): (0 if m.right is None else int(m.right.value)) for m in report.matches}
    return [found[id(p)] for p in probe]


def _fit(rows: Iterable[tuple[tuple[int, int], bool]]):
    cells: dict[tuple[int, int], list[int]] = {}
    for x, y in rows:
        cells.setdefault(x, [0, 0])[int(y)] += 1
    return fit_logistic(cells)


def _accuracy(weights, rows: list[tuple[tuple[int, int], bool]]) -> float:
    if not rows:
        return 0.0
    w0, w1, b = weights
    hits = sum((sigmoid(w0 * x0 / CAP + w1 * x1 / CAP + b) >= 0.5) == y for (x0, x1), y in rows)
    return hits / len(rows)


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """Two training sets from the same events, and what each model does offline and online.

    ``offline[join]`` is the accuracy on the held-out last part of that training set (what the
    team sees before deploying); ``online[join]`` the accuracy on the payments after the build,
    scored with the features actually served. ``leaked`` is the share of training rows whose
    features differ between the two joins; ``label_errors`` the share of training labels that
    are wrong because their chargeback had not arrived when the set was built, and
    ``missing_frauds`` the share of the frauds in the set labelled genuine for that reason.
    ``labelled_rate`` is the share of fraud among the labels, ``true_rate`` the true share.
    """

    offline: dict[str, float]
    online: dict[str, float]
    examples: int
    unlabelled: int
    leaked: float
    label_errors: float
    missing_frauds: float
    labelled_rate: float
    true_rate: float
    build_at: float
    label_wait: float
    label_delay: float
    served: int

    def gap(self, join: str) -> float:
        """Offline minus online accuracy: how much the offline estimate flatters the model."""
        _check.choice("join", join, JOINS)
        return self.offline[join] - self.online[join]

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        return status_panel(
            mode="TRAINING_SET_BUILD [point-in-time join vs latest join]",
            trigger=f"SCHEDULED [at {num(self.build_at)}s, labels waited {num(self.label_wait)}s]",
            volume=(
                f"{count(self.examples)} labelled payments "
                f"({count(self.unlabelled)} too recent to label)"
            ),
            latency=(
                f"labels after {num(self.label_delay)}s on average "
                f"({self.missing_frauds:.1%} of frauds still missing)"
            ),
            status=(
                f"GAP offline-online [point-in-time {self.gap('point-in-time'):+.1%}, "
                f"latest {self.gap('latest'):+.1%}]"
            ),
            online=(
                f"{count(self.served)} payments after the build, accuracy point-in-time "
                f"{self.online['point-in-time']:.1%}, latest {self.online['latest']:.1%}"
            ),
            leaked=f"{self.leaked:.0%} of training rows differ between the two joins",
        )

    def table(self) -> str:
        """Offline and online accuracy of both training sets."""
        rows = [
            [
                join,
                f"{self.offline[join]:.1%}",
                f"{self.online[join]:.1%}",
                f"{self.gap(join):+.1%}",
            ]
            for join in JOINS
        ]
        return table(["join", "offline", "online", "gap"], rows)

    def chart(self) -> Chart:
        """Offline and online accuracy side by side for both joins."""
        return bar_chart(
            {
                f"{j} {phase}": getattr(self, phase)[j] * 100
                for j in JOINS
                for phase in ("offline", "online")
            },
            title="Accuracy offline (held out) and online (served)",
            y_label="accuracy %",
        )

    def __str__(self) -> str:
        return self.panel()


@lru_cache(maxsize=8)
def _point_in_time(
    cards: int, duration: float, label_delay: float, seed: int
) -> tuple[tuple[int, int], ...]:
    """Every payment's features as of its own moment: an as-of join on event time.

    A payment's point-in-time features do not depend on which other payments are in the
    training set, so they are joined once per scenario; a set built at any time takes the
    first rows (its payments are the oldest ones). That is how a feature store keeps a
    backfilled history: computed once, read by every training set.
    """
    s = simulate_payments(cards=cards, duration=duration, label_delay=label_delay, seed=seed)
    return tuple(features_for(s, s.payments, "event-time"))


def build_training_set(
    *,
    cards: int = 30,
    duration: float = 3600.0,
    build_at: float = 2400.0,
    label_delay: float = 300.0,
    label_wait: float = 600.0,
    holdout: float = 0.3,
    seed: int = 0,
) -> TrainingReport:
    """Build a training set at ``build_at`` two ways, train on each, and measure both models.

    Payments made before ``build_at - label_wait`` are labelled: fraud if their chargeback had
    arrived by ``build_at``, genuine otherwise (a chargeback still on its way becomes a wrong
    label). Their features come from a point-in-time join (each feature as of the payment,
    from the changelog's event times) or from the naive join (each feature as of
    ``build_at``). The last ``holdout`` share of each set, by time, is the offline test set.
    Online, each model scores the payments after ``build_at`` with the features served then.

    >>> r = build_training_set(seed=1)
    >>> r.gap("latest") > r.gap("point-in-time")
    True
    """
    _check.positive("build_at", build_at, "seconds")
    _check.non_negative("label_wait", label_wait, "seconds")
    _check.number("holdout", holdout)
    if not 0 < holdout < 1:
        raise ValueError(f"holdout must be between 0 and 1 (exclusive), got {holdout!r}")
    if build_at >= duration:
        raise ValueError(f"build_at must be < duration ({duration!r}), got {build_at!r}")
    s = simulate_payments(cards=cards, duration=duration, label_delay=label_delay, seed=seed)
    past = [p for p in s.payments if p.time < build_at - label_wait]
    unlabelled = sum(1 for p in s.payments if build_at - label_wait <= p.time < build_at)
    future = [p for p in s.payments if p.time >= build_at]
    labels = [p.label_at <= build_at for p in past]
    wrong = sum(1 for p, y in zip(past, labels, strict=True) if y != p.fraud)
    frauds = sum(1 for p in past if p.fraud)
    cut = int(len(past) * (1 - holdout))
    sets = {  # past holds the oldest payments: the first rows of the history
        "point-in-time": list(_point_in_time(cards, duration, label_delay, seed)[: len(past)]),
        "latest": features_for(s, past, "latest", at=build_at),
    }
    truth_online = [(p.served, p.fraud) for p in future]
    offline, online = {}, {}
    for join, xs in sets.items():
        rows = list(zip(xs, labels, strict=True))
        weights = _fit(rows[:cut])
        offline[join] = _accuracy(weights, rows[cut:])
        online[join] = _accuracy(weights, truth_online)
    differ = sum(1 for a, b in zip(sets["point-in-time"], sets["latest"], strict=True) if a != b)
    return TrainingReport(
        offline=offline,
        online=online,
        examples=len(past),
        unlabelled=unlabelled,
        leaked=differ / len(past) if past else 0.0,
        label_errors=wrong / len(past) if past else 0.0,
        missing_frauds=wrong / frauds if frauds else 0.0,
        labelled_rate=sum(labels) / len(past) if past else 0.0,
        true_rate=frauds / len(past) if past else 0.0,
        build_at=build_at,
        label_wait=label_wait,
        label_delay=label_delay,
        served=len(future),
    )


@dataclass(frozen=True, slots=True)
class SkewReport:
    """Training/serving skew of each way to get training features, against the serving log.

    ``skew[how]`` is the share of payments whose training features differ from the served ones;
    ``online[how]`` the online accuracy of a model trained on them.
    """

    skew: dict[str, float]
    mean_abs: dict[str, float]
    online: dict[str, float]
    payments: int
    feature_delay: float

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        return status_panel(
            mode="FEATURE_BACKFILL vs SERVING_LOG",
            trigger="SCHEDULED [backfill] vs EVENT [log at serving]",
            volume=f"{count(self.payments)} payments",
            latency=f"feature pipeline delay {num(self.feature_delay)}s on average",
            status=("skew: " + ", ".join(f"{how} {self.skew[how]:.1%}" for how in BACKFILLS)),
        )

    def table(self) -> str:
        """Skew and online accuracy for each way to get training features."""
        rows = [
            [how, f"{self.skew[how]:.1%}", f"{self.mean_abs[how]:.2f}", f"{self.online[how]:.1%}"]
            for how in BACKFILLS
        ]
        return table(["features", "rows skewed", "mean |diff|", "online"], rows)

    def chart(self) -> Chart:
        """Share of training rows whose features differ from what was served."""
        return bar_chart(
            {how: self.skew[how] * 100 for how in BACKFILLS},
            title="Training/serving skew by way of building features",
            y_label="% rows skewed",
        )

    def __str__(self) -> str:
        return self.panel()


def measure_skew(
    *,
    cards: int = 30,
    duration: float = 2400.0,
    feature_delay: float = 5.0,
    label_delay: float = 300.0,
    seed: int = 0,
) -> SkewReport:
    """Compare the features a model was served with four ways of rebuilding them for training.

    The first half of the payments is the training period (labels taken as their truth, to
    isolate the features), the second half is served online with the features of the log.

    >>> r = measure_skew(seed=2)
    >>> r.skew["logged"], r.skew["replay"], r.skew["latest"] > r.skew["event-time"] > 0
    (0.0, 0.0, True)
    """
    s = simulate_payments(
        cards=cards,
        duration=duration,
        feature_delay=feature_delay,
        label_delay=label_delay,
        seed=seed,
    )
    half = duration / 2
    train = [p for p in s.payments if p.time < half]
    later = [(p.served, p.fraud) for p in s.payments if p.time >= half]
    skew, mean_abs, online = {}, {}, {}
    for how in BACKFILLS:
        xs = features_for(s, train, how, at=half)
        served = [p.served for p in train]
        diffs = [abs(a0 - b0) + abs(a1 - b1) for (a0, a1), (b0, b1) in zip(xs, served, strict=True)]
        skew[how] = sum(1 for d in diffs if d) / len(train) if train else 0.0
        mean_abs[how] = sum(diffs) / len(train) if train else 0.0
        online[how] = _accuracy(_fit(zip(xs, [p.fraud for p in train], strict=True)), later)
    return SkewReport(skew, mean_abs, online, len(s.payments), feature_delay)


__all__ = [
    "Payment",
    "Scenario",
    "SkewReport",
    "TrainingReport",
    "build_training_set",
    "features_for",
    "measure_skew",
    "simulate_payments",
]
