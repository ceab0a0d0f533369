"""Changelogs: a table is the sum of its changes, and a stream of changes is a table's history.

A database writes every change to a log before it changes a table. Change data capture (CDC)
reads that log and publishes it as a stream: one record per change, keyed by the row's primary
key, carrying the row's new value, or no value (a *tombstone*) when the row was deleted. Folding
the stream, oldest first, with "the latest value per key wins" rebuilds the table: this is the
stream-table duality. Everything here follows from it:

* :func:`fold` turns a changelog into a table (and, given a starting table, brings it up to date);
* :func:`compact` is log compaction: it drops the records a later record of the same key makes
  redundant, so the log stays as small as the table while any reader from offset 0 still rebuilds
  the same table;
* :class:`MaterializedView` keeps a query over the table (a count per value) current by applying
  one change at a time, and publishes its own changelog;
* :func:`run_cdc` keeps an online store fresh from a changelog and compares it with a periodic
  batch export.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import _check
from ._format import count, num, plural, seconds
from .charts import Chart, line_chart
from .panel import status_panel
from .stats import LatencyStats, latency_stats

DAY = 86_400.0  # Kafka's default delete.retention.ms, in seconds
PLANS = ("free", "pro", "team")


@dataclass(frozen=True, slots=True)
class Change:
    """Record ``offset`` of a changelog: row ``key`` has ``value`` since ``time``.

    ``value`` None is a tombstone: the row was deleted. A change is an upsert: it carries the new
    value only, not the old one, so a reader that needs the old value must remember it.

    >>> Change("u1", "pro", 3.0, 0).deleted, Change("u1", None, 9.0, 1).deleted
    (False, True)
    """

    key: str
    value: object
    time: float
    offset: int

    @property
    def deleted(self) -> bool:
        """True for a tombstone."""
        return self.value is None


def changes(rows: Iterable[Sequence[object]]) -> list[Change]:
    """Build a changelog from ``(key, value, time)`` rows, in log order; offsets count from 0.

    A value of None deletes the key. Times must not decrease: a log is appended to in order.

    >>> log = changes([("u1", "free", 0), ("u2", "pro", 1), ("u1", "pro", 2), ("u2", None, 3)])
    >>> [(c.offset, c.key, c.value) for c in log]
    [(0, 'u1', 'free'), (1, 'u2', 'pro'), (2, 'u1', 'pro'), (3, 'u2', None)]
    """
    if isinstance(rows, (str, bytes)):
        raise TypeError("rows must be a list of (key, value, time) tuples")
    out: list[Change] = []
    for i, row in enumerate(rows):
        if not isinstance(row, (tuple, list)) or len(row) != 3:
            raise ValueError(f"rows[{i}] must be (key, value, time), got {row!r}")
        key, value, time = row
        if not isinstance(key, str):
            raise TypeError(f"rows[{i}] key must be a str, got {type(key).__name__} {key!r}")
        _check.number(f"rows[{i}] time", time)
        if out and time < out[-1].time:
            raise ValueError(
                f"rows[{i}] time must be >= {out[-1].time!r} (the time of the record before it): "
                f"a log is written in order, got {time!r}"
            )
        out.append(Change(key, value, time, i))
    return out


def generate_changes(
    *,
    keys: int = 50,
    rate: float = 1.0,
    duration: float = 3600.0,
    delete_fraction: float = 0.05,
    values: Sequence[object] = PLANS,
    seed: int = 0,
) -> list[Change]:
    """A reproducible changelog of a table of ``keys`` rows, like a CDC connector would publish.

    Changes are committed as a Poisson process of ``rate`` changes/s over [0, ``duration``), each
    to a row chosen uniformly (``u0``, ``u1``, ...). A row that does not exist is created with a
    value from ``values``; an existing row is deleted with probability ``delete_fraction``, and
    otherwise updated to a different value. Times are rounded to the millisecond.

    >>> log = generate_changes(keys=3, rate=1, duration=10, seed=1)
    >>> len(log), log == generate_changes(keys=3, rate=1, duration=10, seed=1)
    (10, True)
    """
    _check.integer("keys", keys, minimum=1)
    _check.positive("rate", rate, "changes/s")
    _check.positive("duration", duration, "seconds")
    _check.fraction("delete_fraction", delete_fraction)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) < 2:
        raise ValueError(f"values must be a sequence of at least 2 values, got {values!r}")
    if any(v is None for v in values):
        raise ValueError("values must not contain None: None is the tombstone of a deleted row")
    if len(set(values)) != len(values):
        raise ValueError(f"values must be distinct, got {values!r}")
    rng = random.Random(seed)
    randbelow, uniform, expovariate = rng._randbelow, rng.random, rng.expovariate
    names = [f"u{i}" for i in range(keys)]
    n = len(values)
    table: dict[str, object] = {}
    out: list[Change] = []
    t = 0.0
    while True:
        t += expovariate(rate)
        if t >= duration:
            break
        key = names[randbelow(keys)]
        old = table.get(key)
        if old is None:
            value = values[randbelow(n)]
        elif uniform() < delete_fraction:
            value = None
        else:  # any other value: shift past the old one
            value = values[(values.index(old) + 1 + randbelow(n - 1)) % n]
        if value is None:
            del table[key]
        else:
            table[key] = value
        out.append(Change(key, value, round(t, 3), len(out)))
    return out


def fold(log: Iterable[Change], table: dict[str, object] | None = None) -> dict[str, object]:
    """The table a changelog describes: for each key its latest value; deleted keys are absent.

    Given ``table``, the changes are applied on top of a copy of it: what a reader that stopped
    at some offset does when it reads on.

    >>> log = changes([("u1", "free", 0), ("u2", "pro", 1), ("u1", "pro", 2), ("u2", None, 3)])
    >>> fold(log)
    {'u1': 'pro'}
    >>> fold(log[3:], table={"u1": "free", "u2": "pro"})
    {'u1': 'free'}
    """
    out = {} if table is None else dict(table)
    for c in _records(log):
        if c.value is None:
            out.pop(c.key, None)
        else:
            out[c.key] = c.value
    return out


def compact(
    log: Iterable[Change],
    *,
    now: float | None = None,
    min_lag: float = 0.0,
    delete_retention: float = DAY,
) -> list[Change]:
    """Log compaction as Kafka does it: keep at least the latest record of every key.

    Records written within ``min_lag`` seconds of ``now`` (default: the last record's time) are
    the log's head and are left alone. In the rest, a record is dropped when a later record of
    the same key exists there too; a tombstone that is the latest of its key is dropped once it
    is ``delete_retention`` seconds old, since by then every reader is expected to have seen it.
    Offsets and order never change. Folding the result gives the same table as folding ``log``.

    >>> log = changes([("u1", "free", 0), ("u2", "pro", 1), ("u1", "pro", 2), ("u2", None, 3)])
    >>> [(c.offset, c.key, c.value) for c in compact(log)]
    [(2, 'u1', 'pro'), (3, 'u2', None)]
    >>> [(c.offset, c.key, c.value) for c in compact(log, now=10, delete_retention=5)]
    [(2, 'u1', 'pro')]
    """
    records = _records(log)
    if now is None:
        now = records[-1].time if records else 0.0
    _check.number("now", now)
    _check.non_negative("min_lag", min_lag, "seconds")
    _check.non_negative("delete_retention", delete_retention, "seconds")
    horizon = now - min_lag
    latest = {c.key: c.offset for c in records if c.time <= horizon}
    out = []
    for c in records:
        if c.time <= horizon:
            if latest[c.key] != c.offset:
                continue  # superseded by a later record of the same key
            if c.value is None and c.time <= now - delete_retention:
                continue  # an old tombstone: the key is gone, and so is its last record
        out.append(c)
    return out


class MaterializedView:
    """``SELECT value, COUNT(*) FROM table GROUP BY value``, kept by applying each change.

    An upsert carries only a row's new value, yet a row that moves from "free" to "pro" must be
    taken out of "free": the view keeps a copy of every row's current value (its state) to know
    what to retract. ``apply`` returns the view's own changes: the new count of each group that
    changed, or a tombstone for a group that became empty, so the view is a changelog in turn.

    >>> view = MaterializedView()
    >>> log = changes([("u1", "free", 0), ("u2", "free", 1), ("u1", "pro", 2), ("u2", None, 3)])
    >>> for c in log:
    ...     print(c.key, c.value, "->", [(v.key, v.value) for v in view.apply(c)])
    u1 free -> [('free', 1)]
    u2 free -> [('free', 2)]
    u1 pro -> [('free', 1), ('pro', 1)]
    u2 None -> [('free', None)]
    >>> view.rows
    {'pro': 1}
    """

    def __init__(self) -> None:
        self.state: dict[str, object] = {}  # each row's current value: what to retract
        self.rows: dict[str, int] = {}  # the view: group -> number of rows
        self.log: list[Change] = []  # the view's own changelog

    def apply(self, change: Change) -> list[Change]:
        """Apply one change of the source table; return the view's resulting changes."""
        if not isinstance(change, Change):
            raise TypeError(f"change must be a Change, got {type(change).__name__}")
        old = self.state.pop(change.key, None)
        if change.value is not None:
            self.state[change.key] = change.value
        # Rows are grouped by their printed value: 0 and False, or 1 and 1.0, are equal values
        # in Python yet different groups, so a change between them moves the row.
        before = None if old is None else str(old)
        after = None if change.value is None else str(change.value)
        if before == after:
            return []  # the same group, or the delete of a row that does not exist
        out = []
        if before is not None:
            n = self.rows[before] - 1
            if n:
                self.rows[before] = n
            else:
                del self.rows[before]
            out.append(self._record(before, n or None, change.time))
        if after is not None:
            n = self.rows.get(after, 0) + 1
            self.rows[after] = n
            out.append(self._record(after, n, change.time))
        return out

    def _record(self, group: str, value: object, time: float) -> Change:
        record = Change(group, value, time, len(self.log))
        self.log.append(record)
        return record


@dataclass(frozen=True, slots=True)
class CdcReport:
    """An online store kept by CDC upserts, and one kept by periodic batch exports.

    ``latency`` gives, per path, the time from a change's commit in the source to the moment the
    store reflects it (or a later change of the same row). ``stale`` gives, per path, the share
    of rows whose stored value differs from the source at each sample time. ``sizes`` tracks the
    changelog topic at each sample time and around each compaction: every record ever written,
    the compacted topic, and the rows of the table.
    """

    changes: int
    table: dict[str, object]
    online: dict[str, object]
    topic: list[Change]
    sizes: dict[str, list[tuple[float, int]]]
    stale: dict[str, list[tuple[float, float]]]
    latency: dict[str, LatencyStats]
    cdc_delay: float
    export_every: float
    compact_every: float

    @property
    def paths(self) -> tuple[str, str]:
        """The two ways of keeping the store: ("CDC upserts", "export every ...")."""
        return tuple(self.latency)  # type: ignore[return-value]

    def stale_share(self, path: str) -> float:
        """The average share of rows that were stale, over the sample times, for ``path``."""
        _check.choice("path", path, self.paths)
        points = self.stale[path]  # never empty: there is always a sample at time 0
        return sum(s for _, s in points) / len(points)

    def panel(self) -> str:
        """The status panel of the CDC path, with the batch export for comparison."""
        cdc, export = self.paths
        return status_panel(
            mode="STREAM_PROCESSING [change data capture -> online store]",
            trigger=f"EVENT [every committed change, mean delay {num(self.cdc_delay)}s]",
            volume=(
                f"{count(self.changes)} changes, {plural(len(self.table), 'row')} "
                f"(compacted topic: {plural(len(self.topic), 'record')})"
            ),
            latency=self.latency[cdc],
            status=f"RUNNING [{self.stale_share(cdc):.1%} of rows stale on average]",
            batch_export=(
                f"every {num(self.export_every)}s: p50 latency "
                f"{seconds(self.latency[export].p50)}, {self.stale_share(export):.1%} of rows stale"
            ),
        )

    def chart(self) -> Chart:
        """The share of stale rows in the online store over time, for both paths."""
        series = {path: [(t, 100 * s) for t, s in points] for path, points in self.stale.items()}
        return line_chart(
            series,
            title="Rows of the online store that are out of date",
            x_label="time (s)",
            y_label="stale rows (%)",
        )

    def log_chart(self) -> Chart:
        """Records in the changelog topic over time, with and without compaction."""
        return line_chart(
            self.sizes,
            title=f"Changelog size, compacted every {num(self.compact_every)}s",
            x_label="time (s)",
            y_label="records",
        )

    def __str__(self) -> str:
        return self.panel()


def run_cdc(
    log: Iterable[Change],
    *,
    cdc_delay: float = 1.0,
    export_every: float = 600.0,
    compact_every: float = 300.0,
    delete_retention: float = DAY,
    sample_every: float = 60.0,
    seed: int = 0,
) -> CdcReport:
    """Keep an online store from a changelog two ways, and measure how stale each is.

    *CDC upserts*: each change reaches the store ``cdc_delay`` seconds after its commit on
    average (exponential delays; changes are applied in log order, as one partition delivers
    them). *Export*: every ``export_every`` seconds (from time 0) the whole table is copied into
    the store. Meanwhile the changelog topic is compacted every ``compact_every`` seconds. The
    share of stale rows is sampled every ``sample_every`` seconds, until both an export and a
    compaction have run after the last change was delivered.

    >>> log = changes([("u1", "free", 0), ("u1", "pro", 30), ("u2", "team", 50)])
    >>> r = run_cdc(log, cdc_delay=0, export_every=60, compact_every=60, sample_every=10)
    >>> r.online == fold(log), [s for t, s in r.stale["export every 60s"]]
    (True, [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    """
    records = _records(log)
    _check.non_negative("cdc_delay", cdc_delay, "seconds")
    _check.positive("export_every", export_every, "seconds")
    _check.positive("compact_every", compact_every, "seconds")
    _check.non_negative("delete_retention", delete_retention, "seconds")
    _check.positive("sample_every", sample_every, "seconds")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")

    rng = random.Random(seed)
    applied: list[float] = []
    last = -math.inf
    for c in records:
        delay = rng.expovariate(1.0 / cdc_delay) if cdc_delay > 0 else 0.0
        last = max(last, round(c.time + delay, 3))
        applied.append(last)
    # Run until an export and a compaction have both come after the last delivery, so that both
    # paths are seen catching up with the source and the topic is seen compacted. Exports start
    # at 0, compactions at compact_every: a log delivered by time 0 still waits for one.
    end = max([0.0, *applied])
    horizon = max(
        math.ceil(end / export_every) * export_every,
        max(1, math.ceil(end / compact_every)) * compact_every,
    )
    exports = [i * export_every for i in range(math.floor(horizon / export_every) + 1)]
    compactions = [i * compact_every for i in range(1, math.floor(horizon / compact_every) + 1)]
    samples = [i * sample_every for i in range(math.floor(horizon / sample_every) + 1)]
    if samples[-1] < horizon:
        samples.append(horizon)

    # One timeline; at equal times a commit comes first, then its delivery, an export, a sample.
    COMMIT, APPLY, EXPORT, COMPACT, SAMPLE = range(5)
    timeline = [(c.time, COMMIT, i) for i, c in enumerate(records)]
    timeline += [(t, APPLY, i) for i, t in enumerate(applied)]
    timeline += [(t, EXPORT, 0) for t in exports]
    timeline += [(t, COMPACT, 0) for t in compactions]
    timeline += [(t, SAMPLE, 0) for t in samples]
    timeline.sort()

    cdc_path, export_path = "CDC upserts", f"export every {num(export_every)}s"
    source: dict[str, object] = {}
    online: dict[str, object] = {}
    exported: dict[str, object] = {}
    topic: list[Change] = []
    sizes: dict[str, list[tuple[float, int]]] = {
        "every record (no compaction)": [],
        "compacted topic": [],
        "rows in the table": [],
    }
    stale: dict[str, list[tuple[float, float]]] = {cdc_path: [], export_path: []}
    written = 0

    def record_sizes(t: float) -> None:
        for name, n in zip(sizes, (written, len(topic), len(source)), strict=True):
            sizes[name].append((t, n))

    for t, kind, i in timeline:
        if kind == COMMIT:
            c = records[i]
            _apply(source, c)
            topic.append(c)
            written += 1
        elif kind == APPLY:
            _apply(online, records[i])
        elif kind == EXPORT:
            exported = dict(source)
        elif kind == COMPACT:  # sizes just before and just after: the saw's teeth
            record_sizes(t)
            topic = compact(topic, now=t, delete_retention=delete_retention)
            record_sizes(t)
        else:
            record_sizes(t)
            stale[cdc_path].append((t, _stale_share(source, online)))
            stale[export_path].append((t, _stale_share(source, exported)))

    return CdcReport(
        changes=len(records),
        table=source,
        online=online,
        topic=topic,
        sizes=sizes,
        stale=stale,
        latency={
            cdc_path: latency_stats([a - c.time for a, c in zip(applied, records, strict=True)]),
            export_path: latency_stats(
                [math.ceil(c.time / export_every) * export_every - c.time for c in records]
            ),
        },
        cdc_delay=cdc_delay,
        export_every=export_every,
        compact_every=compact_every,
    )


def _apply(table: dict[str, object], c: Change) -> None:
    if c.value is None:
        table.pop(c.key, None)
    else:
        table[c.key] = c.value


def _stale_share(source: dict[str, object], store: dict[str, object]) -> float:
    """The share of rows (in either table) whose stored value is not the source's."""
    rows = source.keys() | store.keys()
    if not rows:
        return 0.0
    return sum(source.get(k) != store.get(k) for k in rows) / len(rows)


def _records(log: Iterable[Change], name: str = "log") -> list[Change]:
    """Check that ``log`` is a list of Change in offset order, and return it as a list."""
    if isinstance(log, (str, bytes, Change)) or not isinstance(log, Iterable):
        raise TypeError(f"{name} must be a list of Change, got {type(log).__name__}")
    out = list(log)
    for i, c in enumerate(out):
        if not isinstance(c, Change):
            raise TypeError(
                f"{name}[{i}] must be a Change (see changes() and generate_changes()), "
                f"got {type(c).__name__} {c!r}"
            )
        if i and c.offset <= out[i - 1].offset:
            raise ValueError(
                f"{name}[{i}] offset must be > {out[i - 1].offset} (the record before it): "
                f"a log is read in offset order, got {c.offset}"
            )
    return out


__all__ = [
    "CdcReport",
    "Change",
    "MaterializedView",
    "changes",
    "compact",
    "fold",
    "generate_changes",
    "run_cdc",
]
