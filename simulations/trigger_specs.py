"""Triggers that compose as Beam's do: *when* in processing time a window's pane is written.

A trigger is a value that :func:`simulations.run_triggered` takes as ``trigger=``, built from
four pieces: :class:`AfterWatermark` (an on-time pane, with optional early and late firings),
:class:`AfterCount`, :class:`AfterProcessingTime` (a delay after a pane's first element, or
aligned ticks) and :class:`Repeatedly`.

* :class:`AfterWatermark`: an ON_TIME pane when the watermark passes the window's end, with
  optional ``early`` firings before it and ``late`` firings after it (each repeated). Without
  ``late``, the window is closed after its on-time pane and later events are dropped.
* :class:`AfterCount`: once the pane holds ``count`` elements.
* :class:`AfterProcessingTime`: ``delay`` seconds of processing time after the pane's first
  element, or, with a ``period``, at the next ``offset + k * period`` from then on (an "aligned"
  delay: every window fires at the same instants, as micro-batches do).
* :class:`Repeatedly`: fire every time the trigger inside fires, for ever. A bare
  :class:`AfterCount` or :class:`AfterProcessingTime` fires once, and then the window is closed.

A trigger with no :class:`AfterWatermark` at all (``Repeatedly(AfterCount(1))``, one pane per
element) writes no on-time pane of its own: what it writes when the window is finally closed
depends on the watermark holds (see :mod:`simulations.dataflow`). These are Beam's triggers, as
the Java and Python SDKs name them:
https://beam.apache.org/documentation/programming-guide/#triggers
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _check
from ._format import num, plural


@dataclass(frozen=True, slots=True)
class AfterCount:
    """Fire once the pane holds ``count`` elements (Beam's ``AfterCount``/``AfterPane``).

    >>> print(AfterCount(1))
    AfterCount(1)
    """

    count: int

    def __post_init__(self) -> None:
        _check.integer("count", self.count, minimum=1)

    def __str__(self) -> str:
        return f"AfterCount({self.count})"


@dataclass(frozen=True, slots=True)
class AfterProcessingTime:
    """Fire ``delay`` seconds of processing time after the first element of the pane.

    With ``period``, the time is rounded up to the next ``offset + k * period`` (Beam Java's
    ``alignedTo(period, offset)``; an instant already on that grid stays as it is).

    >>> AfterProcessingTime(60).due(299)
    359
    >>> AfterProcessingTime(period=120, offset=300).due(299)
    300.0
    """

    delay: float = 0.0
    period: float | None = None
    offset: float = 0.0

    def __post_init__(self) -> None:
        _check.non_negative("delay", self.delay, "seconds")
        if self.period is not None:
            _check.positive("period", self.period, "seconds")
        _check.number("offset", self.offset)
        if self.period is None and self.offset != 0:
            raise ValueError(
                f"offset must be 0 unless period is set: it says where the aligned instants "
                f"fall, got {self.offset!r}"
            )
        if self.period is None and self.delay == 0:
            raise ValueError(
                "delay must be > 0 seconds unless period is set (a zero delay fires with every "
                "element: that is AfterCount(1)), got 0"
            )

    def due(self, first: float) -> float:
        """When a pane whose first element arrived at processing time ``first`` fires."""
        at = first + self.delay
        if self.period is None:
            return at
        past = (at - self.offset) % self.period
        return at if past == 0 else at - past + self.period

    def __str__(self) -> str:
        if self.period is None:
            return f"AfterProcessingTime({num(self.delay)}s)"
        grid = f"aligned to {num(self.period)}s + {num(self.offset)}s"
        return f"AfterProcessingTime({num(self.delay)}s, {grid})"


Leaf = AfterCount | AfterProcessingTime
LEAVES = (AfterCount, AfterProcessingTime)


@dataclass(frozen=True, slots=True)
class Repeatedly:
    """Fire every time ``trigger`` fires, for ever (Beam's ``Repeatedly.forever``).

    >>> print(Repeatedly(AfterCount(1)))
    Repeatedly(AfterCount(1))
    """

    trigger: Leaf

    def __post_init__(self) -> None:
        _check_leaf("trigger", self.trigger)

    def __str__(self) -> str:
        return f"Repeatedly({self.trigger})"


@dataclass(frozen=True, slots=True)
class AfterWatermark:
    """ON_TIME when the watermark passes the window's end; ``early`` and ``late`` firings.

    Both sub-triggers repeat (``Repeatedly(x)`` is accepted and means ``x``), as in Beam.

    >>> print(AfterWatermark(early=AfterProcessingTime(60), late=AfterCount(1)))
    AfterWatermark(early=AfterProcessingTime(60s), late=AfterCount(1))
    """

    early: Leaf | Repeatedly | None = None
    late: Leaf | Repeatedly | None = None

    def __post_init__(self) -> None:
        for name in ("early", "late"):
            sub = getattr(self, name)
            if isinstance(sub, Repeatedly):
                object.__setattr__(self, name, sub.trigger)
            elif sub is not None:
                _check_leaf(name, sub)

    def __str__(self) -> str:
        parts = [f"{name}={sub}" for name in ("early", "late") if (sub := getattr(self, name))]
        return f"AfterWatermark({', '.join(parts)})"


Trigger = AfterWatermark | Repeatedly | AfterCount | AfterProcessingTime
TRIGGER_KINDS = (AfterWatermark, Repeatedly, AfterCount, AfterProcessingTime)


def _check_leaf(name: str, value: object) -> None:
    if not isinstance(value, LEAVES):
        raise TypeError(
            f"{name} must be AfterCount(n) or AfterProcessingTime(...), "
            f"got {type(value).__name__} {value!r}"
        )


def check_trigger(trigger: object) -> Trigger:
    """Raise TypeError unless ``trigger`` is one of the trigger kinds."""
    if not isinstance(trigger, TRIGGER_KINDS):
        raise TypeError(
            "trigger must be AfterWatermark(...), Repeatedly(...), AfterCount(n) or "
            f"AfterProcessingTime(...), got {type(trigger).__name__} {trigger!r}"
        )
    return trigger


def shorthand(early_every: float | None, early_count: int | None) -> AfterWatermark:
    """The trigger that run_triggered's ``early_every``/``early_count`` stand for.

    >>> print(shorthand(None, 2))
    AfterWatermark(early=AfterCount(2), late=AfterCount(1))
    """
    early: Leaf | None = None
    if early_every is not None:
        early = AfterProcessingTime(period=early_every)
    elif early_count is not None:
        early = AfterCount(early_count)
    return AfterWatermark(early=early, late=AfterCount(1))


def describe(trigger: Trigger) -> str:
    """A short description for a status panel.

    >>> describe(Repeatedly(AfterCount(1)))
    'a pane per element'
    """
    if isinstance(trigger, Repeatedly) and isinstance(trigger.trigger, AfterCount):
        n = trigger.trigger.count
        return "a pane per element" if n == 1 else f"a pane every {plural(n, 'element')}"
    return str(trigger)


__all__ = [
    "AfterCount",
    "AfterProcessingTime",
    "AfterWatermark",
    "Repeatedly",
    "Trigger",
]
