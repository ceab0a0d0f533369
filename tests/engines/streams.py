"""Seeded test streams shared by the engine-equivalence suites, and the comparison of results.

Each stream is short (about 100 events over 3 keys), on a half-second grid so that every time is
exact in milliseconds and microseconds alike, and deliberately nasty: events exactly on window
boundaries, stragglers, and pairs where an event moves the watermark to exactly
``end + allowed_lateness`` of a window and the next arrival is a straggler for that window.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

from simulations import Event, Session, Sliding, Tumbling
from simulations.events import prepare

KEYS = ("a", "b", "c")


@dataclass(frozen=True)
class Case:
    """One stream and the job run over it."""

    name: str
    window: Tumbling | Sliding | Session
    delay: float
    lateness: float
    events: list[Event]  # in arrival order; values are unique ids, so panes say which events

    @property
    def kind(self) -> str:
        return type(self.window).__name__.lower()

    def to_json(self) -> dict:
        w = self.window
        return {
            "name": self.name,
            "kind": self.kind,
            "size": getattr(w, "size", None),
            "slide": getattr(w, "slide", None),
            "gap": getattr(w, "gap", None),
            "delay": self.delay,
            "lateness": self.lateness,
            "events": [[e.key, e.value, e.event_time, e.arrival_time] for e in self.events],
        }


def grid(x: float) -> float:
    return round(x * 2) / 2


WINDOWS = {"tumbling": Tumbling(10.0), "sliding": Sliding(10.0, 5.0), "session": Session(3.0)}


def make_case(
    kind: str,
    seed: int,
    *,
    lateness: float = 5.0,
    n: int = 100,
    delay: float | None = None,
    tick: float | None = None,
) -> Case:
    """A seeded stream for a window ``kind`` ("tumbling", "sliding", "session").

    The window is the same for every stream of a kind, so that a real engine can run all the
    streams of a kind and allowed lateness in one windowed branch; the watermark delay varies
    unless ``delay`` is given.

    With ``tick`` (a micro-batch trigger interval, or any clock to meet), the stream is an edge
    case of its own (named ``kind-edge-seed``): a third of the arrivals fall exactly on a
    multiple of ``tick``, and some events move the watermark to exactly a window's end, so that
    the rules that hinge on ``<`` against ``<=`` (which batch reads an arrival, whether a window
    ending exactly at the watermark is finished) are met head on.
    """
    name = f"{kind}-{seed}" if tick is None else f"{kind}-edge-{seed}"
    rng = random.Random(name)
    window = WINDOWS[kind]
    edge = getattr(window, "slide", None) or getattr(window, "size", None) or window.gap
    delay = rng.choice([0.0, 1.0, 2.5, 5.0]) if delay is None else delay
    rows: list[tuple[str, float, float]] = []  # (key, event time, arrival time)
    t = 0.0
    while len(rows) < n:
        t += rng.choice([0.0, 0.5, 0.5, 1.0, 1.5, 2.5])
        et = grid(t - edge * rng.random()) if rng.random() < 0.3 else t
        if rng.random() < 0.3:  # exactly on a window boundary
            et = edge * round(et / edge)
        et = max(et, 0.0)
        arrival = grid(max(et, t) + rng.choice([0.0, 0.0, 0.5, 1.0]))
        if rng.random() < 0.1:  # a straggler
            arrival = grid(arrival + rng.uniform(2, 30))
        rows.append((rng.choice(KEYS), et, arrival))
        if rng.random() < 0.15:
            # an event that moves the watermark to exactly end + lateness of the window ending
            # at `end`, then, a moment later, a straggler for that window
            end = edge * (int(t / edge) + 1)
            mover = end + lateness + delay
            at = grid(max(mover, t)) + 0.5
            rows.append((rng.choice(KEYS), mover, at))
            rows.append((rng.choice(KEYS), grid(end - edge * rng.random() - 0.5), at + 0.25))
            t = max(t, mover)
        if tick is not None and rng.random() < 0.15:
            # an event, arriving exactly on a tick, that moves the watermark to exactly the end
            # of the window it is in; two ticks later (the second micro-batch after the one that
            # reads it, the first judged by that watermark) an event of that window, or for
            # sessions one whose own window [t, t + gap) ends there. Nothing arrives in between
            # that could move the watermark further.
            end = edge * (int(t / edge) + 1)
            at = tick * math.ceil(max(end + delay, t) / tick)
            rows.append((rng.choice(KEYS), end + delay, at))
            rows.append((rng.choice(KEYS), end - edge, at + 2 * tick))
            t = max(t, end + delay, at + 2 * tick)
    if tick is not None:  # a third of the arrivals exactly on a tick (never before the event)
        rows = [
            (k, et, tick * math.ceil(arr / tick) if rng.random() < 0.3 else arr)
            for k, et, arr in rows
        ]
    evs = [Event(k, i + 1, et, max(arr, et)) for i, (k, et, arr) in enumerate(rows)]
    return Case(name, window, delay, lateness, prepare(evs))


def panes_by_window(emissions, key_of=lambda k: k) -> dict:
    """(key, start, end) -> [(value, count, update, timing), ...] in pane order."""
    out: dict = defaultdict(list)
    for e in emissions:
        out[(key_of(e.key), e.start, e.end)].append((e.value, e.count, e.update, e.timing))
    return dict(out)


def differences(expected: dict, actual: dict, limit: int = 5) -> list[str]:
    """Readable differences between two {window: [pane, ...]} maps."""
    out = []
    for w in sorted(set(expected) | set(actual)):
        a, b = expected.get(w), actual.get(w)
        if a != b:
            out.append(f"{w}: simulation {a} != engine {b}")
    return out[:limit] + ([f"... {len(out) - limit} more"] if len(out) > limit else [])
