"""Events: the facts every simulation processes, written by hand or generated from a seed.

An event carries two clocks. ``event_time`` is when it happened (a click, a sensor reading);
``arrival_time`` is when the processor sees it. Networks, phones in tunnels and retries put a delay
between the two, and that delay is why streaming needs watermarks and why batch results are late.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from . import _check

DELAYS = ("none", "uniform", "exponential")
# A page's boxes, and a reader running a box again after an edit, often ask for the same stream:
# the last few are kept, as tuples of frozen events, so no caller can change what another gets.
RECENT_STREAMS = 8
RECENT_MAX_EVENTS = 50_000
_recent: dict[tuple, tuple[Event, ...]] = {}


@dataclass(frozen=True, slots=True)
class Event:
    """A fact: ``key`` had ``value`` at ``event_time``, seen by the processor at ``arrival_time``.

    Frozen, because a fact that already happened cannot change; a correction is a new event.
    ``arrival_time`` defaults to ``event_time`` (the event arrives on time).

    >>> e = Event("sensor-1", 3, event_time=10.0, arrival_time=12.5)
    >>> e.delay
    2.5
    >>> Event("sensor-1", 3, event_time=10.0).arrival_time
    10.0
    """

    key: str
    value: float
    event_time: float
    arrival_time: float = None  # type: ignore[assignment]  # None means "on time"

    def __post_init__(self) -> None:
        if not isinstance(self.key, str):
            raise TypeError(f"key must be a str, got {type(self.key).__name__} {self.key!r}")
        _check.number("value", self.value)
        _check.number("event_time", self.event_time)
        if self.arrival_time is None:
            object.__setattr__(self, "arrival_time", self.event_time)
            return
        _check.number("arrival_time", self.arrival_time)
        if self.arrival_time < self.event_time:
            raise ValueError(
                f"arrival_time must be >= event_time ({self.event_time!r}): an event cannot "
                f"arrive before it happens, got {self.arrival_time!r}"
            )

    @property
    def delay(self) -> float:
        """Seconds between happening and arriving: what makes streams out of order."""
        return self.arrival_time - self.event_time


_by_arrival = attrgetter("arrival_time")
_processing_order = attrgetter("arrival_time", "event_time", "key")


def _trusted_event(key: str, value: float, event_time: float, arrival_time: float) -> Event:
    """Build an Event without re-checking it: for generators whose values are valid by design.

    Checking every field of every generated event costs more than generating it; a generated
    stream of 10,000 events is built about twice as fast this way.
    """
    event = _new(Event)
    _set(event, "key", key)
    _set(event, "value", value)
    _set(event, "event_time", event_time)
    _set(event, "arrival_time", arrival_time)
    return event


_new, _set = object.__new__, object.__setattr__


def events(rows: Iterable[Sequence[object]]) -> list[Event]:
    """Build events from short tuples, for lessons and tests that spell out every event.

    A row is ``(key, value, event_time)`` for an event that arrives on time, or
    ``(key, value, event_time, arrival_time)`` for one that arrives later. The list comes back in
    arrival order (rows with the same arrival keep their order), which is the order a processor
    sees them.

    >>> evs = events([("a", 1, 0.0), ("b", 2, 5.0, 9.0), ("a", 4, 7.0)])
    >>> [(e.key, e.value, e.event_time, e.arrival_time) for e in evs]
    [('a', 1, 0.0, 0.0), ('a', 4, 7.0, 7.0), ('b', 2, 5.0, 9.0)]
    """
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise TypeError(
            "rows must be a list of (key, value, event_time[, arrival_time]) tuples, "
            f"got {type(rows).__name__} {rows!r}"
        )
    out = []
    for i, row in enumerate(rows):
        if isinstance(row, Event):
            out.append(row)
            continue
        if not isinstance(row, (tuple, list)) or len(row) not in (3, 4):
            raise ValueError(
                f"rows[{i}] must be (key, value, event_time) or "
                f"(key, value, event_time, arrival_time), got {row!r}"
            )
        out.append(Event(*row))
    out.sort(key=_by_arrival)
    return out


def generate_stream(
    *,
    rate: float = 10.0,
    duration: float = 60.0,
    keys: int = 3,
    seed: int = 0,
    delay: str = "exponential",
    mean_delay: float = 0.5,
    late_fraction: float = 0.0,
    late_delay: float = 30.0,
    bursts: Sequence[tuple[float, float, float]] = (),
    key_prefix: str = "k",
) -> list[Event]:
    """Generate a realistic, reproducible stream: Poisson arrivals, network delays, stragglers.

    Events happen as a Poisson process of ``rate`` events/s over event times [0, ``duration``);
    each ``(start, length, multiplier)`` in ``bursts`` multiplies the rate in that span. Keys are
    ``f"{key_prefix}{i}"`` for i in range(``keys``), chosen uniformly; values are ints 1..9, so
    sums are exact. Each event is delayed by ``delay`` ("none", "uniform" on [0, 2*mean] or
    "exponential") with mean ``mean_delay``, and a ``late_fraction`` of them are stragglers with an
    extra ``late_delay``. Times are rounded to the millisecond, so output is identical on every
    platform. The list is sorted by (arrival_time, event_time, key): the order a processor sees.
    Each call returns a new list; the last few streams asked for are kept, so asking again for
    the same one costs a copy, not a generation.

    >>> evs = generate_stream(rate=2, duration=5, keys=2, seed=1)
    >>> len(evs), evs == generate_stream(rate=2, duration=5, keys=2, seed=1)
    (9, True)
    >>> all(e.arrival_time >= e.event_time for e in evs)
    True
    """
    _check.positive("rate", rate, "events/s")
    _check.positive("duration", duration, "seconds")
    _check.integer("keys", keys, minimum=1)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    _check.choice("delay", delay, DELAYS)
    _check.non_negative("mean_delay", mean_delay, "seconds")
    _check.fraction("late_fraction", late_fraction)
    _check.non_negative("late_delay", late_delay, "seconds")
    if not isinstance(key_prefix, str):
        raise TypeError(f"key_prefix must be a str, got {type(key_prefix).__name__}")
    spans = tuple(_check_bursts(bursts))
    args = (
        rate,
        duration,
        keys,
        seed,
        delay,
        mean_delay,
        late_fraction,
        late_delay,
        spans,
        key_prefix,
    )
    stream = _recent.pop(args, None)
    if stream is None:
        stream = _generate(*args)
    if len(stream) <= RECENT_MAX_EVENTS:
        _recent[args] = stream  # the most recently used last
        while len(_recent) > RECENT_STREAMS:
            del _recent[next(iter(_recent))]
    return list(stream)


def _generate(
    rate: float,
    duration: float,
    keys: int,
    seed: int,
    delay: str,
    mean_delay: float,
    late_fraction: float,
    late_delay: float,
    spans: tuple[tuple[float, float, float], ...],
    key_prefix: str,
) -> tuple[Event, ...]:
    """The stream :func:`generate_stream` describes, from checked arguments."""
    rng = random.Random(seed)
    randbelow = rng._randbelow
    peak = rate * max([1.0] + [m for _, _, m in spans])
    names = [f"{key_prefix}{i}" for i in range(keys)]
    out: list[Event] = []
    t = 0.0
    while True:
        t += rng.expovariate(peak)
        if t >= duration:
            break
        if spans:  # thinning: keep a candidate with probability rate(t) / peak
            here = rate
            for start, length, multiplier in spans:
                if start <= t < start + length:
                    here = rate * multiplier
                    break
            if rng.random() * peak >= here:
                continue
        # randbelow(n) is what randrange(n) and randint(1, 9) call, minus their argument checks:
        # the same numbers from the same seed, at half the cost.
        key = names[randbelow(keys)]
        value = randbelow(9) + 1
        if delay == "none" or mean_delay == 0:
            lag = 0.0
        elif delay == "uniform":
            lag = rng.uniform(0.0, 2.0 * mean_delay)
        else:
            lag = rng.expovariate(1.0 / mean_delay)
        if rng.random() < late_fraction:
            lag += late_delay
        event_time = round(t, 3)
        out.append(_trusted_event(key, value, event_time, round(event_time + lag, 3)))
    out.sort(key=_processing_order)
    return tuple(out)


def _check_bursts(bursts: Sequence[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    if isinstance(bursts, (str, bytes)) or not isinstance(bursts, Iterable):
        raise TypeError(
            "bursts must be a sequence of (start, length, multiplier) tuples, "
            f"got {type(bursts).__name__} {bursts!r}"
        )
    spans = []
    for i, burst in enumerate(bursts):
        if not isinstance(burst, (tuple, list)) or len(burst) != 3:
            raise ValueError(f"bursts[{i}] must be (start, length, multiplier), got {burst!r}")
        start, length, multiplier = burst
        _check.non_negative(f"bursts[{i}] start", start, "seconds")
        _check.positive(f"bursts[{i}] length", length, "seconds")
        _check.positive(f"bursts[{i}] multiplier", multiplier)
        spans.append((float(start), float(length), float(multiplier)))
    return spans


def prepare(events: Iterable[Event], name: str = "events") -> list[Event]:
    """Check that every item is an :class:`Event` and return them in arrival order.

    Sorting is stable, so events with equal arrival times keep the order they were given in.

    >>> [e.key for e in prepare([Event("b", 1, 2.0), Event("a", 1, 1.0)])]
    ['a', 'b']
    """
    if isinstance(events, (str, bytes, Event)) or not isinstance(events, Iterable):
        raise TypeError(f"{name} must be a list of Event, got {type(events).__name__}")
    out = list(events)
    if set(map(type, out)) <= {Event}:  # the common case, checked at C speed
        out.sort(key=_by_arrival)
        return out
    for i, e in enumerate(out):
        if not isinstance(e, Event):
            raise TypeError(
                f"{name}[{i}] must be an Event (see events() and generate_stream()), "
                f"got {type(e).__name__} {e!r}"
            )
    out.sort(key=_by_arrival)
    return out
