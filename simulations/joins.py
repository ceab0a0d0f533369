"""Joins in streams: enrich a stream from a table, pair two streams in time, look up the past.

A join over two bounded tables can see both inputs whole. A join in a stream cannot: any row may
still meet a partner that has not arrived yet, so the job must *keep* rows in state, and the
question that decides its cost and its correctness is how long. Three joins, three answers:

* :func:`lookup_join` enriches each event with the table's value *when the event is processed*.
  It keeps one value per key and waits for nothing, but a replay of the same events can get other
  answers (the table moved on in the meantime).
* :func:`interval_join` pairs rows of two streams whose event times lie within a bound of each
  other. A row is kept until the watermark says no partner can still arrive, then dropped.
* :func:`as_of_join` enriches each event with the version of the table that was valid at the
  event's *event time* (a temporal, or point-in-time, join). It waits for the watermark, keeps
  every version the watermark has not passed plus one older version per key, and gives the same
  answer on every replay.

Every input is an :class:`~simulations.events.Event`. Both inputs are read together in arrival
order (at equal arrival times the table, or right side, first). Each input has its own watermark,
``max event time seen - watermark_delay``; the join's watermark is the *smaller* of the two, as in
Flink and Spark. A row whose event time is below the join's watermark when it arrives is late: it
is dropped, and listed in ``late``. (An interval join written as a stateful DoFn in Apache Beam,
``interval_join(..., semantics="beam")``, drops nothing: see there.)
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from . import _check
from ._format import count, num, plural, table
from .charts import Chart, line_chart
from .events import Event, prepare
from .panel import status_panel
from .stats import LatencyStats, latency_stats

INF = math.inf
HOW = ("inner", "left")
JOIN_SEMANTICS = ("course", "beam")


@dataclass(frozen=True, slots=True)
class Match:
    """One row of a join's output: ``left`` with its partner ``right`` (None: no partner).

    ``emitted_at`` is the processing time at which the join wrote the row.
    """

    key: str
    left: Event
    right: Event | None
    emitted_at: float


@dataclass(frozen=True, slots=True)
class JoinReport:
    """What a streaming join wrote, what it dropped, and how much it kept.

    ``state`` lists (processing time, rows held) after each input row: the join's memory.
    ``retention`` says in words which rule bounds it. ``late`` holds the rows that arrived behind
    the watermark: dropped, except under ``semantics="beam"``, which joins them all the same.
    """

    kind: str
    matches: list[Match]
    late: list[Event]
    state: list[tuple[float, int]]
    retention: str
    left_events: int
    right_events: int
    watermark_delay: float | None = None
    semantics: str = "course"

    @property
    def max_state(self) -> int:
        """The most rows the join held at once."""
        return max((n for _, n in self.state), default=0)

    @property
    def latency(self) -> LatencyStats:
        """Seconds from the arrival of a row's last input to its emission."""
        return latency_stats(
            m.emitted_at - max(m.left.arrival_time, m.right.arrival_time if m.right else -INF)
            for m in self.matches
        )

    @property
    def unmatched(self) -> int:
        """Output rows whose ``right`` is None (left joins only)."""
        return sum(1 for m in self.matches if m.right is None)

    def disagreements(self, other: JoinReport) -> int:
        """How many left rows got another partner (or none) in ``other``, a join of the same rows.

        Rows are matched by identity, so both joins must have read the same event objects.
        """
        if not isinstance(other, JoinReport):
            raise TypeError(f"other must be a JoinReport, got {type(other).__name__}")
        theirs = {id(m.left): m.right for m in other.matches}
        return sum(1 for m in self.matches if theirs.get(id(m.left), m.right) is not m.right)

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        if self.watermark_delay is None:
            trigger = "EVENT [no watermark]"
        else:
            trigger = f"EVENT + WATERMARK [delay {num(self.watermark_delay)}s]"
        if self.kind == "lookup":
            trigger = "EVENT [processing time: the table as it is now]"
        return status_panel(
            mode=f"STREAM_JOIN [{self.kind}]",
            trigger=trigger,
            volume=(
                f"{count(self.left_events)} left + {count(self.right_events)} right events "
                f"({count(len(self.late))} late, "
                f"{'joined all the same' if self.semantics == 'beam' else 'dropped'})"
            ),
            latency=self.latency,
            status=(
                f"RUNNING [{plural(len(self.matches), 'output row')}, "
                f"{count(self.unmatched)} without a partner, peak state "
                f"{plural(self.max_state, 'row')}]"
            ),
            retention=self.retention,
        )

    def table(self, limit: int = 8) -> str:
        """The first ``limit`` output rows as a text table."""
        _check.integer("limit", limit, minimum=0)
        rows = []
        for m in self.matches[:limit]:
            r = m.right
            rows.append(
                [
                    m.key,
                    m.left.event_time,
                    m.left.value,
                    "-" if r is None else num(r.event_time),
                    "-" if r is None else num(r.value),
                    m.emitted_at,
                ]
            )
        headers = ["key", "left_time", "left", "right_time", "right", "emitted_at"]
        return table(headers, rows, total=len(self.matches))

    def chart(self) -> Chart:
        """Rows held in state against processing time."""
        return line_chart(
            {"rows in state": self.state},
            title=f"State of the {self.kind} join",
            x_label="processing time (s)",
            y_label="rows held",
        )

    def __str__(self) -> str:
        return self.panel()


class _Clock:
    """Per-input watermarks and the join's watermark, the smaller of the two."""

    def __init__(self, delay: float | None) -> None:
        self.delay = delay
        self.high = [-INF, -INF]  # max event time seen on the left (0) and the right (1)

    @property
    def mark(self) -> float:
        if self.delay is None:
            return -INF
        left, right = self.high
        return (left if left < right else right) - self.delay

    def see(self, side: int, event_time: float) -> None:
        if event_time > self.high[side]:
            self.high[side] = event_time


def _merged(left: list[Event], right: list[Event]) -> list[tuple[float, int, int, Event]]:
    """Both inputs in processing order: by arrival, the right side first at equal arrivals."""
    rows = [(e.arrival_time, 1, i, e) for i, e in enumerate(right)]
    rows += [(e.arrival_time, 2, i, e) for i, e in enumerate(left)]
    rows.sort()  # (arrival, side, index) is unique, so events themselves are never compared
    return rows


def _delay(watermark_delay: float | None) -> float | None:
    if watermark_delay is None:
        return None
    return _check.non_negative("watermark_delay", watermark_delay, "seconds")


def lookup_join(stream: Iterable[Event], table: Iterable[Event]) -> JoinReport:
    """Enrich each event of ``stream`` with the latest value of ``table`` *when it is processed*.

    The table is a changelog: each of its events sets the value of its key. The join keeps one
    value per key and answers at once, which is why enrichment is usually done this way (Flink's
    processing-time temporal and lookup joins, Kafka Streams' stream-table join, a Spark
    stream-static join against a table that is reloaded). Its answer depends on *when* the event
    is processed, not when it happened.

    >>> from simulations import events
    >>> orders = events([("eur", 2, 10.0, 12.0)])
    >>> rates = events([("eur", 114, 0.0), ("eur", 116, 11.0)])
    >>> [m.right.value for m in lookup_join(orders, rates).matches]
    [116]
    """
    left, right = prepare(stream, "stream"), prepare(table, "table")
    current: dict[str, Event] = {}
    matches: list[Match] = []
    state: list[tuple[float, int]] = []
    for now, side, _, e in _merged(left, right):
        if side == 1:
            current[e.key] = e
        else:
            matches.append(Match(e.key, e, current.get(e.key), now))
        state.append((now, len(current)))
    return JoinReport(
        kind="lookup",
        matches=matches,
        late=[],
        state=state,
        retention="latest value per key (rows = keys)",
        left_events=len(left),
        right_events=len(right),
    )


def as_of_join(
    stream: Iterable[Event], table: Iterable[Event], *, watermark_delay: float = 0.0
) -> JoinReport:
    """Enrich each event with the table's version valid at the event's *event time*.

    The version of key k valid at time t is the table event of k with the largest event time
    <= t (at equal times, the one processed last). An event is written once the join's watermark
    has passed its event time, so that every version that could apply has arrived; it gets
    None if its key had no version yet (a left join, as Flink's ``LEFT JOIN ... FOR SYSTEM_TIME
    AS OF``). State: the events waiting for the watermark, and per key every version at or after
    the watermark plus the one just before it. Older versions can never be asked for again.

    >>> from simulations import events
    >>> orders = events([("eur", 2, 10.0, 12.0), ("eur", 1, 30.0)])
    >>> rates = events([("eur", 114, 0.0), ("eur", 116, 11.0), ("eur", 118, 40.0)])
    >>> r = as_of_join(orders, rates, watermark_delay=0)
    >>> [(m.left.event_time, m.right.value, m.emitted_at) for m in r.matches]
    [(10.0, 114, 30.0), (30.0, 116, 40.0)]
    """
    left, right = prepare(stream, "stream"), prepare(table, "table")
    delay = _check.non_negative("watermark_delay", watermark_delay, "seconds")
    clock = _Clock(delay)
    versions: dict[str, list[tuple[float, int, Event]]] = {}  # sorted by (event time, seq)
    waiting: list[tuple[float, int, Event]] = []  # a heap by event time
    matches: list[Match] = []
    late: list[Event] = []
    state: list[tuple[float, int]] = []
    held = 0  # versions held, over all keys
    second: list[tuple[float, str]] = []  # (time of a key's second version, key): a heap
    mark = -INF

    def version_at(key: str, t: float) -> Event | None:
        vs = versions.get(key, ())
        i = bisect_right(vs, (t, INF))  # past every version at or before t
        return vs[i - 1][2] if i else None

    def advance(now: float, to: float) -> None:
        nonlocal held, mark
        mark = to
        while waiting and waiting[0][0] < to:
            t, _, e = heapq.heappop(waiting)
            matches.append(Match(e.key, e, version_at(e.key, t), now))
        while second and second[0][0] < to:  # keys whose second version is now old
            _, key = heapq.heappop(second)
            vs = versions[key]
            if len(vs) > 1 and vs[1][0] < to:  # keep one version before the watermark
                old = bisect_left(vs, (to, -1)) - 1
                del vs[:old]
                held -= old
                if len(vs) > 1:
                    heapq.heappush(second, (vs[1][0], key))

    rows = _merged(left, right)
    for seq, (now, side, _, e) in enumerate(rows):
        if e.event_time < mark:
            late.append(e)
        elif side == 1:
            vs = versions.setdefault(e.key, [])
            at = bisect_left(vs, (e.event_time, seq))
            vs.insert(at, (e.event_time, seq, e))
            held += 1
            if at <= 1 and len(vs) > 1:  # the key has a new second version
                heapq.heappush(second, (vs[1][0], e.key))
        else:
            heapq.heappush(waiting, (e.event_time, seq, e))
        clock.see(0 if side == 2 else 1, e.event_time)
        if clock.mark > mark:
            advance(now, clock.mark)
        state.append((now, held + len(waiting)))
    end = rows[-1][0] if rows else 0.0
    advance(end, INF)  # writes every waiting event: only versions are left
    state.append((end, held))
    return JoinReport(
        kind="as-of",
        matches=matches,
        late=late,
        state=state,
        retention="events until the watermark passes them; versions from just before it",
        left_events=len(left),
        right_events=len(right),
        watermark_delay=delay,
    )


def interval_join(
    left: Iterable[Event],
    right: Iterable[Event],
    *,
    lower: float,
    upper: float,
    watermark_delay: float | None = 0.0,
    how: str = "inner",
    semantics: str = "course",
) -> JoinReport:
    """Pair each left row with every right row of its key in a time interval around it.

    A left row l and a right row r match when ``l.event_time + lower <= r.event_time <=
    l.event_time + upper`` (both bounds inclusive, as in Flink's ``between(lower, upper)``).
    A row is written as soon as its partner is there. A left row is kept until the watermark
    passes ``l.event_time + upper`` and a right row until it passes ``r.event_time - lower``:
    after that, no row that is not late can match it. With ``how="left"`` a left row that leaves
    the state without a partner is written then, with None (Spark's outer NULL rows, late by the
    watermark delay plus the interval). ``watermark_delay=None`` means no watermark: nothing is
    late, nothing is ever dropped, and the state grows without bound; a left join then has no
    moment to give up, so it needs a watermark.

    ``semantics="beam"`` follows the same join written in Apache Beam as a stateful DoFn in the
    global window, its state cleared by event-time timers (engines/beam/interval_join.py). Beam
    has no interval join, and a DoFn in the global window has no late data: a row behind the
    watermark is not dropped, it meets the rows still held and is held itself while a row to come
    may match it. It is still listed in ``late``. The default, "course", drops it, as Flink's
    DataStream interval join does (Flink SQL's interval join, like Beam's DoFn, still joins it
    with the rows it holds).

    >>> from simulations import events
    >>> clicks = events([("ad1", 1, 12.0), ("ad2", 1, 50.0)])
    >>> shows = events([("ad1", 1, 5.0), ("ad1", 1, 40.0)])
    >>> r = interval_join(clicks, shows, lower=-10, upper=0, how="left")
    >>> [(m.key, m.left.event_time, m.right and m.right.event_time) for m in r.matches]
    [('ad1', 12.0, 5.0), ('ad2', 50.0, None)]
    """
    lhs, rhs = prepare(left, "left"), prepare(right, "right")
    _check.number("lower", lower)
    _check.number("upper", upper)
    if lower > upper:
        raise ValueError(f"lower must be <= upper ({upper!r}), got {lower!r}")
    delay = _delay(watermark_delay)
    _check.choice("how", how, HOW)
    join_late = _check.choice("semantics", semantics, JOIN_SEMANTICS) == "beam"
    if how == "left" and delay is None:
        raise ValueError(
            "watermark_delay must be a number of seconds for how='left': without a watermark "
            "the join never knows that a left row will find no partner, got None"
        )
    clock = _Clock(delay)
    held: tuple[dict[str, list[Event]], dict[str, list[Event]]] = ({}, {})
    # rows by the watermark that expires them: (t + upper) on the left, (t - lower) on the right
    expiry: tuple[list[tuple[float, int, Event]], list[tuple[float, int, Event]]] = ([], [])
    matched: set[int] = set()
    matches: list[Match] = []
    late: list[Event] = []
    state: list[tuple[float, int]] = []
    size = 0
    mark = -INF

    def keep(side: int, until: float, seq: int, e: Event) -> None:
        nonlocal size
        held[side].setdefault(e.key, []).append(e)
        heapq.heappush(expiry[side], (until, seq, e))
        size += 1

    def expire(now: float, to: float) -> None:
        nonlocal size
        for side in (0, 1):
            heap = expiry[side]
            while heap and heap[0][0] < to:
                _, _, row = heapq.heappop(heap)
                rows = held[side][row.key]
                del rows[
                    next(i for i, x in enumerate(rows) if x is row)
                ]  # this row, not an equal one
                size -= 1
                if side == 0 and how == "left" and id(row) not in matched:
                    matches.append(Match(row.key, row, None, now))

    rows = _merged(lhs, rhs)
    for seq, (now, side, _, e) in enumerate(rows):
        behind = e.event_time < mark
        if behind:
            late.append(e)
        if behind and not join_late:
            pass  # dropped
        elif side == 2:  # a left row meets the right rows held for its key
            for r in held[1].get(e.key, ()):
                if e.event_time + lower <= r.event_time <= e.event_time + upper:
                    matches.append(Match(e.key, e, r, now))
                    matched.add(id(e))
            if e.event_time + upper >= mark:  # kept only if a row still to come may match
                keep(0, e.event_time + upper, seq, e)
            elif how == "left" and id(e) not in matched:
                matches.append(Match(e.key, e, None, now))
        else:
            for m in held[0].get(e.key, ()):
                if m.event_time + lower <= e.event_time <= m.event_time + upper:
                    matches.append(Match(e.key, m, e, now))
                    matched.add(id(m))
            if e.event_time - lower >= mark:
                keep(1, e.event_time - lower, seq, e)
        clock.see(0 if side == 2 else 1, e.event_time)
        if clock.mark > mark:
            mark = clock.mark
            expire(now, mark)
        state.append((now, size))
    if delay is not None and rows:
        end = rows[-1][0]
        expire(end, INF)
        state.append((end, size))
    return JoinReport(
        kind=f"interval [{num(lower)}s, {num(upper)}s]",
        matches=matches,
        late=late,
        state=state,
        retention=(
            "everything, forever (no watermark)"
            if delay is None
            else f"left until watermark > t{_signed(upper)}, "
            f"right until watermark > t{_signed(-lower)}"
        ),
        left_events=len(lhs),
        right_events=len(rhs),
        watermark_delay=delay,
        semantics=semantics,
    )


def _signed(x: float) -> str:
    return f" + {num(x)}s" if x >= 0 else f" - {num(-x)}s"


__all__ = ["JoinReport", "Match", "as_of_join", "interval_join", "lookup_join"]
