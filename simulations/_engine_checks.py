"""Checks a stream engine's own tests make, for a reader's job: what real engines promise.

Apache Flink's training exercises assert that a job leaves no keyed state and no timers behind
once its input ends; a streaming job must also count each event once, and its sink must stay
exactly-once across a crash and a replay. These helpers check the same three promises on what
a reader's code returns (or on a simulation's report) and say, in the reader's terms, which
window broke which promise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ._compare import _on, _window_rows, compare_windows, fail, show, window_text
from ._format import plural
from .events import Event


def _name(item: Any) -> str:
    if isinstance(item, tuple) and len(item) == 3 and isinstance(item[0], str):
        return window_text(*item)
    return show(item)


def no_state_left(state: Any, *, what: str = "your job", on: Any = None) -> None:
    """Fail if ``state`` still holds something at the end of the input.

    ``state`` is a reader's state (a dict or any collection: it must be empty), an
    :class:`~simulations.Engine` (it must hold no window past its end plus the allowed
    lateness) or a report with ``state_sizes`` (its last size must be 0). ``on`` names the
    input, as for :func:`~simulations._compare.compare_windows`.
    """
    end = f"{_on(on)}at the end of the input" if on is not None else "At the end of the input"
    retained = getattr(state, "retained", None)
    if callable(retained):
        left = retained()
    elif hasattr(state, "state_sizes"):
        sizes = state.state_sizes
        n = sizes[-1][1] if sizes else 0
        if n:
            fail(
                f"{end} {what} still holds {plural(n, 'window')} in state: "
                "a window the watermark has passed must be emitted and released."
            )
        return
    elif isinstance(state, (str, bytes)) or not isinstance(state, Iterable):
        fail(f"{what} should keep its state in a dict or a list, not a {type(state).__name__}.")
    else:
        left = list(state)  # a mapping's keys
    if left:
        fail(
            f"{end} {what} still holds state for {len(left)} "
            f"{'entry' if len(left) == 1 else 'entries'} (the first: {_name(left[0])}): "
            "state nothing will ever read again grows with every window the stream opens."
        )


def each_event_once(
    counts: Any, events: Iterable[Event], *, what: str = "your windows", on: Any = None
) -> None:
    """Fail unless every event of ``events`` is counted exactly once across ``counts``.

    ``counts`` maps windows to the number of events counted in them, as a dict
    ``{(key, start, end): n}`` or a list of results with a ``count`` (an ``Emission``): fit
    for windows that do not overlap (tumbling, sessions). The first key whose total differs
    from its number of events is named, with how many events are missing or counted twice;
    ``on`` names the input, as for :func:`~simulations._compare.compare_windows`.
    """
    per_key: Counter[str] = Counter()
    if isinstance(counts, (Mapping, str, bytes)):
        rows = [(w[0], n) for w, n, _ in _window_rows(counts, "Your counts")]
    else:
        counts = list(counts)
        rows = [
            (r.key, r.count) if hasattr(r, "count") and hasattr(r, "key") else (r[0], r[3])
            for r in counts
            if hasattr(r, "key") or (isinstance(r, (tuple, list)) and len(r) == 4)
        ]
        if len(rows) != len(counts):
            _window_rows(counts, "Your counts")  # fails, naming what it holds
    for key, n in rows:
        if isinstance(n, bool) or not isinstance(n, int):
            fail(f"{what} should count events with whole numbers; {key!r} has {show(n)}.")
        per_key[key] += n
    truth = Counter(e.key for e in events)
    where = _on(on) + "key" if on is not None else "Key"
    for key in sorted(set(per_key) | set(truth)):
        got, want = per_key[key], truth[key]
        if got == want:
            continue
        # Whole numbers all, written alike: plural() puts a comma in 1,000 as {:,} does.
        said = f"{where} `{key}`: {what} count {plural(got, 'event')}, the stream has {want:,}"
        if got > want:
            fail(f"{said}: {got - want:,} counted more than once.")
        fail(f"{said}: {want - got:,} counted in no window.")


def exactly_once_sink(
    sink: Any, expected: Any = None, *, on: Any = None, because: Any = None
) -> None:
    """Fail if the sink received a result twice, or (with ``expected``) ends with wrong values.

    ``sink`` is what the downstream received: a list of writes (``Emission`` or ``(key, start,
    end, value)``), a report with ``sink`` and ``duplicates`` (a ``RecoveryReport``), or the
    final table as a dict ``{(key, start, end): value}``. ``expected`` holds the values the
    table should end with; a difference is named window by window, with ``on`` and ``because``
    as :func:`~simulations._compare.compare_windows` takes them.
    """
    duplicates = getattr(sink, "duplicates", None)
    writes = getattr(sink, "sink", sink)
    if duplicates:
        d = duplicates[0]
        fail(
            f"The sink received {window_text(d.key, d.start, d.end)} twice "
            f"(value {show(d.value)}): the replay after the crash wrote it again."
        )
    if not isinstance(writes, Mapping):
        seen: set[tuple[Any, ...]] = set()
        for w, value, _ in _window_rows(writes, "The sink"):
            if (w, value) in seen:
                fail(
                    f"The sink received {window_text(*w)} twice (value {show(value)}): "
                    "a write repeated after a replay is a duplicate."
                )
            seen.add((w, value))
    if expected is not None:
        compare_windows(writes, expected, on=on, because=because)
