"""Window kinds: how an endless stream is cut into finite pieces that can be aggregated.

All windows are half-open, [start, end): an event exactly at ``end`` belongs to the next window,
so no event is counted twice in tumbling windows and none falls between two of them.
Event-time windows (tumbling, sliding, session) group by when things happened; processing-time
windows group by when they arrived, which is simpler but gives different answers when events are
delayed: that contrast is the lesson.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _check
from ._format import num


@dataclass(frozen=True, slots=True)
class Tumbling:
    """Fixed, back-to-back windows of ``size`` seconds: every event belongs to exactly one.

    >>> Tumbling(60).assign(61.5)
    [(60.0, 120.0)]
    >>> print(Tumbling(60))
    tumbling 60s
    """

    size: float

    def __post_init__(self) -> None:
        _check.positive("size", self.size, "seconds")

    def assign(self, t: float) -> list[tuple[float, float]]:
        """The window [start, end) that event time ``t`` falls in."""
        start = t - t % self.size
        return [(start, start + self.size)]

    def __str__(self) -> str:
        return f"tumbling {num(self.size)}s"


@dataclass(frozen=True, slots=True)
class Sliding:
    """Overlapping windows of ``size`` seconds starting every ``slide`` seconds ("hopping").

    An event belongs to about size/slide windows, so a moving average updates every ``slide``
    seconds. ``slide`` must be in (0, size]: a larger slide would leave gaps whose events belong
    to no window and would be silently lost.

    >>> Sliding(60, 30).assign(75)
    [(30, 90), (60, 120)]
    """

    size: float
    slide: float

    def __post_init__(self) -> None:
        _check.positive("size", self.size, "seconds")
        _check.number("slide", self.slide)
        if not 0 < self.slide <= self.size:
            raise ValueError(
                f"slide must be in (0, size={self.size!r}] seconds, got {self.slide!r}"
            )

    def assign(self, t: float) -> list[tuple[float, float]]:
        """Every window [start, end) containing event time ``t``, earliest first."""
        start = t - t % self.slide
        out = []
        while start + self.size > t:
            out.append((start, start + self.size))
            start -= self.slide
        out.reverse()
        return out

    def __str__(self) -> str:
        return f"sliding {num(self.size)}s every {num(self.slide)}s"


@dataclass(frozen=True, slots=True)
class Session:
    """Per-key bursts of activity separated by at least ``gap`` seconds of silence.

    An event at ``t`` opens [t, t + gap); windows that overlap merge, so a session ends ``gap``
    seconds after its last event. Sessions fit user visits, whose length nobody knows in advance.

    >>> print(Session(30))
    session gap 30s
    """

    gap: float

    def __post_init__(self) -> None:
        _check.positive("gap", self.gap, "seconds")

    def __str__(self) -> str:
        return f"session gap {num(self.gap)}s"


@dataclass(frozen=True, slots=True)
class ProcessingTime:
    """Tumbling windows of ``size`` seconds by *arrival* time, closed by the processor's clock.

    No watermark and no lateness: a window closes when the clock passes its end. A delayed event
    is counted in the window it arrived in, not the one it happened in.

    >>> ProcessingTime(10).assign(25.0)
    [(20.0, 30.0)]
    """

    size: float

    def __post_init__(self) -> None:
        _check.positive("size", self.size, "seconds")

    def assign(self, t: float) -> list[tuple[float, float]]:
        """The window [start, end) that processing time ``t`` falls in."""
        start = t - t % self.size
        return [(start, start + self.size)]

    def __str__(self) -> str:
        return f"processing-time {num(self.size)}s"


Window = Tumbling | Sliding | Session | ProcessingTime
KINDS = (Tumbling, Sliding, Session, ProcessingTime)
MINUTE = Tumbling(60)  # the default window: one result per key per minute


def check_window(window: object, name: str = "window") -> Window:
    """Raise TypeError unless ``window`` is one of the window kinds.

    >>> check_window("tumbling")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: window must be Tumbling(size), Sliding(size, slide), ... got str 'tumbling'
    """
    if not isinstance(window, KINDS):
        raise TypeError(
            f"{name} must be Tumbling(size), Sliding(size, slide), Session(gap) or "
            f"ProcessingTime(size), got {type(window).__name__} {window!r}"
        )
    return window
