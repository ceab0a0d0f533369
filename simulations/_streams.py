"""The seeded streams a check runs a reader's function on.

A function that is right on one stream may be wrong on the next: a check runs it on many
(twenty by default), each generated from its own seed, so a verdict is the same on every run and
every machine. A stream knows how it was made, so a failure can tell the reader the exact call
that rebuilds it in a code box.
"""

from __future__ import annotations

from typing import Any

from . import _check
from .events import Event, generate_stream

# A reader presses Check again and again on the same exercise: its streams are kept for the last
# few calls (as tuples of frozen events, so no caller can change what another gets). Generating
# twenty streams costs more than most checks themselves, and generate_stream keeps only eight.
RECENT_CALLS = 4
_recent: dict[tuple[int, int, str], tuple[tuple[tuple[Event, ...], str], ...]] = {}


class Stream(list[Event]):
    """A list of events that also says how it was generated (``how``: a Python call)."""

    def __init__(self, events: list[Event], how: str) -> None:
        super().__init__(events)
        self.how = how

    def copy(self) -> Stream:
        """A new list of the same events, still saying how they were made."""
        return Stream(self, self.how)


def random_streams(n: int = 20, seed: int = 1, **generate_stream_kwargs: Any) -> list[Stream]:
    """``n`` streams from :func:`simulations.generate_stream`, with seeds ``seed``,
    ``seed + 1``, ...; ``generate_stream_kwargs`` go to every call.

    >>> streams = random_streams(3, late_fraction=0.1)
    >>> [s.how for s in streams][:2]
    ['generate_stream(seed=1, late_fraction=0.1)', 'generate_stream(seed=2, late_fraction=0.1)']
    >>> streams == random_streams(3, late_fraction=0.1)
    True
    """
    _check.integer("n", n, minimum=1)
    _check.integer("seed", seed, minimum=0)
    extra = "".join(f", {k}={v!r}" for k, v in generate_stream_kwargs.items())
    key = (n, seed, extra)
    made = _recent.pop(key, None)
    if made is None:
        made = tuple(
            (
                tuple(generate_stream(seed=s, **generate_stream_kwargs)),
                f"generate_stream(seed={s}{extra})",
            )
            for s in range(seed, seed + n)
        )
    _recent[key] = made  # the most recently used last
    while len(_recent) > RECENT_CALLS:
        del _recent[next(iter(_recent))]
    return [Stream(list(events), how) for events, how in made]
