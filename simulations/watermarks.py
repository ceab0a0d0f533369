"""Watermarks as a choice: the engine's belief about event time, and where it comes from.

A watermark is the claim "no more events with an event time before w are coming". Engines get it
in different ways, and the same job gives different panes under each: a heuristic (the largest
event time seen minus a delay), an explicit trace, a perfect one computed from the input, or a
batch job's, which moves only when the input ends.

* :class:`HeuristicWatermark`: the largest event time seen minus a fixed delay, moved after every
  event (what :func:`simulations.run_stream` uses, and Flink's bounded out-of-orderness). Cheap,
  and wrong whenever an event is later than the delay: that event is late.
* :class:`WatermarkTrace`: an explicit list of (processing time, watermark) points, as a source
  reports it (Beam's ``TestStream.advance_watermark_to``); *Streaming Systems* draws its heuristic
  and perfect watermarks this way.
* :class:`PerfectWatermark`: computed from the whole input, the smallest event time still to
  arrive. Nothing is ever late, but a single slow event holds every window back; only a source
  that knows its future (a sorted file, a log with a known order) can offer it.
* :class:`BatchWatermark`: stays at minus infinity until the input ends, then jumps to plus
  infinity, which is how a batch job sees time: every window is complete, and only at the end.

Whatever the kind, the watermark jumps to plus infinity when the input ends (at ``ends_at``, by
default the last arrival): every window is then complete.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import _check
from ._format import num
from .events import Event

INF = math.inf

# A move of the watermark: at processing time ``pt``, after the first ``after`` events (in
# arrival order) have been processed, the watermark becomes ``wm``.
Move = tuple[float, int, float]


def _ends_at(ends_at: float | None, evs: list[Event]) -> float:
    """The processing time at which the input ends: ``ends_at`` or the last arrival."""
    last = evs[-1].arrival_time if evs else 0.0
    if ends_at is None:
        return last
    if ends_at < last:
        raise ValueError(
            f"ends_at must be >= the last arrival time ({last!r}): the input cannot end "
            f"before its last event arrives, got {ends_at!r}"
        )
    return ends_at


def _check_ends_at(ends_at: object) -> None:
    if ends_at is not None:
        _check.number("ends_at", ends_at)


@dataclass(frozen=True, slots=True)
class HeuristicWatermark:
    """The largest event time seen minus ``delay`` seconds, moved after every event.

    >>> from simulations import events
    >>> HeuristicWatermark(2).moves(events([("a", 1, 5.0), ("a", 1, 3.0, 6.0)]))
    [(5.0, 1, 3.0)]
    """

    delay: float

    def __post_init__(self) -> None:
        _check.non_negative("delay", self.delay, "seconds")

    def moves(self, evs: list[Event]) -> list[Move]:
        """Where the watermark moves, for events in arrival order."""
        out: list[Move] = []
        top = -INF
        for i, ev in enumerate(evs):
            if ev.event_time > top:
                top = ev.event_time
                out.append((ev.arrival_time, i + 1, top - self.delay))
        return out

    def end(self, evs: list[Event]) -> float:
        """The processing time at which the watermark jumps to infinity: the last arrival."""
        return _ends_at(None, evs)

    def __str__(self) -> str:
        return f"heuristic watermark: max event time - {num(self.delay)}s"


@dataclass(frozen=True, slots=True)
class WatermarkTrace:
    """The watermark as given: ``points`` of (processing time, watermark), both non-decreasing.

    At a processing time shared with events, the events come first. The watermark jumps to
    infinity at ``ends_at`` (default: the last arrival or the last point, whichever is later).

    >>> WatermarkTrace([(10, 0), (20, 15)]).moves([])
    [(10.0, 0, 0.0), (20.0, 0, 15.0)]
    """

    points: Sequence[tuple[float, float]]
    ends_at: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.points, (str, bytes)) or not isinstance(self.points, Sequence):
            raise TypeError(
                "points must be a list of (processing time, watermark) pairs, "
                f"got {type(self.points).__name__} {self.points!r}"
            )
        clean = []
        for i, point in enumerate(self.points):
            if not isinstance(point, (tuple, list)) or len(point) != 2:
                raise ValueError(
                    f"points[{i}] must be a (processing time, watermark) pair, got {point!r}"
                )
            pt, wm = point
            _check.number(f"points[{i}][0]", pt)
            if not (isinstance(wm, (int, float)) and wm == INF):
                _check.number(f"points[{i}][1]", wm)
            if clean and (pt < clean[-1][0] or wm < clean[-1][1]):
                raise ValueError(
                    f"points must be in order, processing time and watermark never going back "
                    f"(a watermark is a promise), got {clean[-1]!r} then {point!r}"
                )
            clean.append((float(pt), float(wm)))
        object.__setattr__(self, "points", tuple(clean))
        _check_ends_at(self.ends_at)
        if self.ends_at is not None and clean and self.ends_at < clean[-1][0]:
            raise ValueError(
                f"ends_at must be >= the last point's processing time ({clean[-1][0]!r}), "
                f"got {self.ends_at!r}"
            )

    def moves(self, evs: list[Event]) -> list[Move]:
        """Each point, placed after the events that arrived at or before its time."""
        out: list[Move] = []
        n = 0
        for pt, wm in self.points:
            while n < len(evs) and evs[n].arrival_time <= pt:
                n += 1
            out.append((pt, n, wm))
        return out

    def end(self, evs: list[Event]) -> float:
        """``ends_at``, or the later of the last arrival and the last point."""
        if self.ends_at is not None:
            return _ends_at(self.ends_at, evs)
        last_point = self.points[-1][0] if self.points else -INF
        return max(_ends_at(None, evs), last_point)

    def __str__(self) -> str:
        return f"watermark trace of {len(self.points)} points"


@dataclass(frozen=True, slots=True)
class PerfectWatermark:
    """The smallest event time of the events still to arrive: no event is ever late.

    >>> from simulations import events
    >>> evs = events([("a", 1, 5.0), ("a", 1, 3.0, 6.0), ("a", 1, 7.0)])
    >>> PerfectWatermark().moves(evs)
    [(5.0, 0, 3.0), (6.0, 2, 7.0)]
    """

    ends_at: float | None = None

    def __post_init__(self) -> None:
        _check_ends_at(self.ends_at)

    def moves(self, evs: list[Event]) -> list[Move]:
        """After each event, the minimum event time of those after it (when it rose)."""
        suffix = [INF] * (len(evs) + 1)
        for i in range(len(evs) - 1, -1, -1):
            suffix[i] = min(evs[i].event_time, suffix[i + 1])
        out: list[Move] = []
        wm = -INF
        for i in range(len(evs)):  # before event i: everything from i on is still to come
            if suffix[i] > wm:  # (finite: event times are, and evs[i] is still to come)
                wm = suffix[i]
                pt = evs[i - 1].arrival_time if i else evs[0].arrival_time
                out.append((pt, i, wm))
        return out

    def end(self, evs: list[Event]) -> float:
        """``ends_at``, or the last arrival."""
        return _ends_at(self.ends_at, evs)

    def __str__(self) -> str:
        return "perfect watermark"


@dataclass(frozen=True, slots=True)
class BatchWatermark:
    """Minus infinity until the input ends, then plus infinity: a batch job's view of time.

    >>> BatchWatermark(ends_at=600).moves([])
    []
    """

    ends_at: float | None = None

    def __post_init__(self) -> None:
        _check_ends_at(self.ends_at)

    def moves(self, evs: list[Event]) -> list[Move]:
        """None: the watermark moves only when the input ends."""
        return []

    def end(self, evs: list[Event]) -> float:
        """``ends_at``, or the last arrival."""
        return _ends_at(self.ends_at, evs)

    def __str__(self) -> str:
        return "batch watermark: complete at the end of the input"


Watermark = HeuristicWatermark | WatermarkTrace | PerfectWatermark | BatchWatermark
WATERMARK_KINDS = (HeuristicWatermark, WatermarkTrace, PerfectWatermark, BatchWatermark)


def check_watermark(watermark: object) -> Watermark:
    """Raise TypeError unless ``watermark`` is one of the watermark kinds."""
    if not isinstance(watermark, WATERMARK_KINDS):
        raise TypeError(
            "watermark must be HeuristicWatermark(delay), WatermarkTrace(points), "
            f"PerfectWatermark() or BatchWatermark(), got {type(watermark).__name__} "
            f"{watermark!r}"
        )
    return watermark


__all__ = [
    "BatchWatermark",
    "HeuristicWatermark",
    "PerfectWatermark",
    "Watermark",
    "WatermarkTrace",
]
