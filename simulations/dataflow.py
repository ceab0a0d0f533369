"""The Dataflow model's engine: any trigger, any watermark, panes labelled as Beam labels them.

:func:`simulations.run_triggered` runs here when it is given a ``trigger=`` (see
:mod:`simulations.trigger_specs`) or a ``watermark=`` (see :mod:`simulations.watermarks`). The
engine replays the input in processing time: before anything happens at time t, the
processing-time timers due by t fire; then the events that arrive at t, in order; then the
watermark moves. Each window keeps its values and its trigger's state (elements since the last
pane, a pending timer), and every pane carries Beam's ``PaneInfo`` facts, decided as Beam
decides them.

The rules, Beam's:

* **timing**: LATE once the window has written a pane that was not EARLY, or when the output
  watermark has already passed the window's end; else EARLY while the watermark is before the
  window's end; else ON_TIME. The *output* watermark is the input watermark held back by
  *watermark holds*: a window holds it at its end while it has elements not yet in a pane, and,
  under an :class:`AfterWatermark` trigger, from its first early pane until its on-time pane. This
  is why a window closed by the end of the input gets an ON_TIME pane in one job and nothing in
  another (*Streaming Systems*, examples 2-3 and 2-5; Beam's ``PaneInfoTracker``).
* **index** (from 0 per window), **on_time_index** (Beam's non-speculative index: -1 for EARLY
  panes, then 0, 1, ...), **is_first** and **is_last** (written when the window closed for
  good: its trigger finished, or the watermark passed its end plus the allowed lateness).

An ON_TIME pane is written even when nothing new arrived since the last pane (Beam's default
``OnTimeBehavior.FIRE_ALWAYS``); a final pane at the window's close only when it holds something
new or is ON_TIME. Session windows merge as in Beam: a merged session is a new window, whose
panes are numbered from 0 again. Each window's last accumulating value is in ``final``.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from .aggregates import aggregate as aggregate_values
from .events import Event
from .semantics import profile
from .stream import LateEvent
from .trigger_specs import AfterCount, AfterWatermark, Leaf, Repeatedly, Trigger
from .triggers import Pane
from .watermarks import Watermark
from .windows import Session, Window

INF = math.inf


@dataclass(frozen=True, slots=True)
class GlobalWindow:
    """One window for all of time, per key (Beam's ``GlobalWindows``): unwindowed data.

    It ends only when the input does, so only a trigger that is not the watermark's writes a
    pane before then.

    >>> GlobalWindow().assign(42.0)
    [(-inf, inf)]
    """

    def assign(self, t: float) -> list[tuple[float, float]]:
        """The one window, [-inf, +inf)."""
        return [(-INF, INF)]

    def __str__(self) -> str:
        return "global window"


class _State:
    """One window of one key: its values, its trigger's state and its watermark holds."""

    __slots__ = (
        "closed",
        "count",
        "done",
        "end",
        "eow",
        "fired_wm",
        "first_arrival",
        "held",
        "index",
        "key",
        "non_early",
        "on_time",
        "start",
        "timer",
        "times",
        "values",
    )

    def __init__(self, key: str, start: float, end: float, now: float) -> None:
        self.key, self.start, self.end = key, start, end
        self.values: list[float] = []  # every value of the window, those in panes first
        self.times: list[float] = []  # event times not yet in any pane (for latency)
        self.done = 0  # how many of ``values`` are in panes already
        self.index = 0  # the next pane's index
        self.on_time = 0  # the next non-EARLY pane's index
        self.non_early = False  # an ON_TIME or LATE pane was written
        self.fired_wm = False  # the watermark trigger has fired (late phase)
        self.closed = False  # the trigger has finished: later elements are dropped
        self.count = 0  # elements since the last pane
        self.timer: float | None = None  # the pending processing-time firing
        self.held = False  # holds the output watermark: values not yet in a pane
        self.eow = False  # holds the output watermark until its on-time pane
        self.first_arrival = now


class DataflowEngine:
    """Windows, a trigger, a watermark and an accumulation mode: Beam's model, step by step.

    ``process(event, now)``, ``advance(watermark, now)`` and ``fire_timers(now)`` are the three
    things that happen in processing time; :func:`run_dataflow` calls them in order.
    """

    def __init__(
        self,
        window: Window | GlobalWindow,
        *,
        trigger: Trigger,
        allowed_lateness: float,
        aggregate: str,
        accumulation: str,
        semantics: str,
    ) -> None:
        self.rules = profile(semantics)
        self.window = window
        self.lateness = allowed_lateness
        self.aggregate = aggregate
        self.discarding = accumulation == "discarding"
        self.is_session = type(window) is Session
        self.watermark_trigger = isinstance(trigger, AfterWatermark)
        self.repeat = self.watermark_trigger or isinstance(trigger, Repeatedly)
        self.early: Leaf | None
        self.late: Leaf | None
        if isinstance(trigger, AfterWatermark):
            self.early, self.late = trigger.early, trigger.late
        else:
            leaf = trigger.trigger if isinstance(trigger, Repeatedly) else trigger
            self.early = self.late = leaf
        self.wm = -INF
        self.floor = INF  # the earliest watermark hold, as it was when this step began
        self.windows: dict[tuple[str, float, float], _State] = {}
        self.due: list[tuple[float, float, str]] = []  # windows waiting for the watermark
        self.closing: list[tuple[float, float, str]] = []  # windows waiting for their close
        self.timers: list[tuple[float, float, str, float]] = []  # (time, start, key, end)
        self.sessions: dict[str, list[tuple[float, float]]] = {}
        # outputs
        self.panes: list[Pane] = []
        self.late_events: list[LateEvent] = []
        self.dropped: list[LateEvent] = []
        self.latencies: list[float] = []
        self.first_answer: list[float] = []
        self.watermarks: list[tuple[float, float]] = []
        self.final: dict[tuple[str, float, float], float] = {}

    # -- the three things that happen --------------------------------------------------------
    def fire_timers(self, now: float) -> None:
        """Fire every processing-time trigger due at or before ``now``, at its own time."""
        timers = self.timers
        if not timers or timers[0][0] > now:
            return
        self.floor = self._hold_floor()
        while timers and timers[0][0] <= now:
            at, start, key, end = heapq.heappop(timers)
            st = self.windows.get((key, start, end))
            if st is None or st.timer != at:
                continue  # the window fired (a closed one too), merged or went since it was set
            self._fire(st, at, last=not self.repeat)

    def process(self, ev: Event, now: float) -> None:
        """Add ``ev``, arriving at processing time ``now``, to its windows."""
        self.floor = self._hold_floor()
        if self.is_session:
            self._add_session(ev, now)
            return
        for start, end in self.window.assign(ev.event_time):
            if self._expired(end):
                self._reject(ev, start, end)
                continue
            k = (ev.key, start, end)
            st = self.windows.get(k)
            if st is None:
                st = self.windows[k] = _State(ev.key, start, end, now)
                heapq.heappush(self.due, (end, start, ev.key))
            self._put(st, ev, now)

    def advance(self, wm: float, now: float) -> None:
        """Move the watermark to ``wm`` at processing time ``now``: on-time panes, closes."""
        if wm <= self.wm:
            return
        self.floor = self._hold_floor()
        self.wm = wm
        self.watermarks.append((now, wm))
        due, closing = self.due, self.closing
        while due and due[0][0] <= wm:
            end, start, key = heapq.heappop(due)
            st = self.windows.get((key, start, end))
            if st is None:
                continue  # merged into a larger session
            # (a window closed under a watermark trigger has had its on-time pane already)
            if self.watermark_trigger and not st.fired_wm:
                self._on_time(st, now)
            heapq.heappush(closing, (end, start, key))
        while closing and self._expired(closing[0][0]):
            end, start, key = heapq.heappop(closing)
            st = self.windows.pop((key, start, end), None)
            if st is None:
                continue
            if self.is_session:
                self.sessions[key].remove((start, end))
            if not st.closed and (len(st.values) > st.done or self._timing(st) == "ON_TIME"):
                self._fire(st, now, last=True)

    # -- windows -------------------------------------------------------------------------------
    def _expired(self, end: float) -> bool:
        """Has the watermark passed ``end`` plus the allowed lateness (the window is gone)?"""
        if self.wm == INF:
            return True
        limit = end + self.lateness
        return self.wm >= limit if self.rules.late_at_boundary else self.wm > limit

    def _reject(self, ev: Event, start: float, end: float) -> None:
        out = self.late_events if self.rules.late_data == "keep" else self.dropped
        out.append(LateEvent(ev, start, end))

    def _add_session(self, ev: Event, now: float) -> None:
        key, lo = ev.key, ev.event_time
        hi = lo + self.window.gap
        if not self.rules.lateness_on_merged and self._expired(hi):
            self._reject(ev, lo, hi)
            return
        spans = self.sessions.setdefault(key, [])
        if self.rules.touching_sessions_merge:
            touched = [s for s in spans if s[0] <= hi and lo <= s[1]]
        else:
            touched = [s for s in spans if s[0] < hi and lo < s[1]]
        start = min([lo] + [s[0] for s in touched])
        end = max([hi] + [s[1] for s in touched])
        if self.rules.lateness_on_merged and self._expired(end):
            self._reject(ev, start, end)
            return
        if touched == [(start, end)]:  # inside one session: the same window
            st = self.windows[(key, start, end)]
            if st.closed:
                self._reject(ev, start, end)
            else:
                self._put(st, ev, now)
            return
        st = _State(key, start, end, now)
        parts = [self.windows.pop((key, s, e)) for s, e in touched]
        fresh: list[float] = []
        for p in parts:  # a merged session is a new window: panes are numbered from 0 again
            st.values.extend(p.values[: p.done])
            fresh.extend(p.values[p.done :])
            st.times.extend(p.times)
            st.count += p.count
            st.held = st.held or p.held
            st.eow = st.eow or p.eow
            st.first_arrival = min(st.first_arrival, p.first_arrival)
            self.final.pop((key, p.start, p.end), None)
            spans.remove((p.start, p.end))
        st.done = len(st.values)
        st.values.extend(fresh)
        timers = [p.timer for p in parts if p.timer is not None]
        if timers:
            st.timer = min(timers)
            self._push_timer(st.timer, (key, start, end))
        spans.append((start, end))
        spans.sort()
        self.windows[(key, start, end)] = st
        heapq.heappush(self.due, (end, start, key))
        self._put(st, ev, now)

    # -- triggers ------------------------------------------------------------------------------
    def _put(self, st: _State, ev: Event, now: float) -> None:
        """Add one element to a window and let its trigger react."""
        if st.closed:
            self._reject(ev, st.start, st.end)
            return
        st.values.append(ev.value)
        st.times.append(ev.event_time)
        st.count += 1
        if self.wm < st.end:
            st.held = True
        if self.watermark_trigger and not st.fired_wm and self.wm >= st.end:
            self._on_time(st, now)  # the watermark passed before the window had any data
            return
        leaf = self.late if st.fired_wm else self.early
        if isinstance(leaf, AfterCount):
            if st.count >= leaf.count:
                self._fire(st, now, last=not self.repeat)
        elif leaf is not None and st.timer is None:
            st.timer = leaf.due(now)
            self._push_timer(st.timer, (st.key, st.start, st.end))

    def _push_timer(self, at: float, k: tuple[str, float, float]) -> None:
        """Timers due together fire in window order (start, key), whatever set them first."""
        heapq.heappush(self.timers, (at, k[1], k[0], k[2]))

    def _on_time(self, st: _State, now: float) -> None:
        """The watermark trigger fires: a pane even if nothing is new (FIRE_ALWAYS)."""
        st.fired_wm = True
        self._fire(st, now, last=self.late is None or self._expired(st.end))

    def _hold_floor(self) -> float:
        """The earliest watermark hold: the output watermark cannot pass it.

        (A closed window holds nothing: its last pane released both holds, and it takes no
        element after it.)
        """
        return min(
            (st.end for st in self.windows.values() if st.held or st.eow),
            default=INF,
        )

    def _timing(self, st: _State) -> str:
        """EARLY, ON_TIME or LATE, by Beam's PaneInfoTracker rules (module docstring)."""
        late_for_output = st.end <= self.wm and st.end < self.floor
        if st.non_early or late_for_output:
            return "LATE"
        return "EARLY" if self.wm < st.end else "ON_TIME"

    def _fire(self, st: _State, now: float, *, last: bool) -> None:
        """Write the window's next pane."""
        timing = self._timing(st)
        values = st.values
        if self.discarding:
            part = values[st.done :]
            value = aggregate_values(part, self.aggregate) if part else 0
            n = len(part)
        else:
            value = aggregate_values(values, self.aggregate)
            n = len(values)
        on_time_index = -1
        if timing == "EARLY":
            st.eow = st.eow or (self.watermark_trigger and not st.fired_wm)
        else:
            on_time_index = st.on_time
            st.on_time += 1
            st.non_early = True
            st.eow = False
        if st.index == 0:
            self.first_answer.append(now - st.first_arrival)
        self.panes.append(
            Pane(
                st.key,
                st.start,
                st.end,
                value,
                n,
                now,
                timing,
                st.index,
                is_first=st.index == 0,
                is_last=last,
                on_time_index=on_time_index,
            )
        )
        st.index += 1
        self.latencies.extend([now - t for t in st.times])
        st.times = []
        st.done = len(values)
        st.count = 0
        st.timer = None
        st.held = False
        self.final[(st.key, st.start, st.end)] = aggregate_values(values, self.aggregate)
        if last:
            st.closed = True


def run_dataflow(
    evs: list[Event],
    *,
    window: Window | GlobalWindow,
    trigger: Trigger,
    watermark: Watermark,
    allowed_lateness: float,
    aggregate: str,
    accumulation: str,
    semantics: str,
) -> DataflowEngine:
    """Replay ``evs`` (in arrival order) through a :class:`DataflowEngine`; return it."""
    eng = DataflowEngine(
        window,
        trigger=trigger,
        allowed_lateness=allowed_lateness,
        aggregate=aggregate,
        accumulation=accumulation,
        semantics=semantics,
    )
    moves = watermark.moves(evs)
    end = watermark.end(evs)
    m = 0
    for i, ev in enumerate(evs):
        while m < len(moves) and moves[m][1] <= i:
            pt, _, wm = moves[m]
            eng.fire_timers(pt)
            eng.advance(wm, pt)
            m += 1
        eng.fire_timers(ev.arrival_time)
        eng.process(ev, ev.arrival_time)
    for pt, _, wm in moves[m:]:
        eng.fire_timers(pt)
        eng.advance(wm, pt)
    eng.fire_timers(end)
    eng.advance(INF, end)
    return eng


__all__ = ["GlobalWindow"]
