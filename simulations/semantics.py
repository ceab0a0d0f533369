"""Semantics profiles: the conventions a stream job follows, named after the engine that has them.

Every engine agrees on the big ideas (event time, watermarks, windows, allowed lateness) and
differs in the small print: whether two sessions that touch merge, whether an event that arrives
exactly when the watermark reaches ``end + allowed_lateness`` still counts, what happens to data
that is too late. A result computed under one engine's small print can differ from another's, so
a stream job here says which one it follows: ``run_stream(..., semantics="flink")``. The rules
below are the whole difference; everything else (half-open windows [start, end), the watermark
``max event time seen - watermark_delay``, one result per window when the watermark reaches its
end, accumulating results) is shared. Whatever the profile, the report accounts for every event:
it is in a result or an update, in ``late`` (kept), or in ``dropped`` (discarded by the engine and
counted, as the real engine counts it).

``course``: the conventions the lessons teach.
    Touching sessions stay apart (an event exactly one gap after the last one opens a new
    session). Lateness is judged on the session an event would join. An event is late when the
    watermark has reached ``end + allowed_lateness``; a window's state is released at that moment.
    Late events are kept in ``.late`` so that a reader can see them.

``flink``: Apache Flink's DataStream window operator with
    ``WatermarkStrategy.forBoundedOutOfOrderness(delay)``, ``allowedLateness`` and the default
    ``EventTimeTrigger``. Flink's watermark is ``max - delay - 1 ms`` and a window's last
    timestamp is ``end - 1 ms``, so a window fires when ``max - delay >= end``, an event is late
    when ``max - delay >= end + allowed_lateness`` and state is cleaned up at that moment: the
    course's rules, written in the course's watermark. Sessions that touch merge
    (``TimeWindow.intersects`` includes both ends), and lateness is judged on the merged session.
    Late events are dropped and counted (``numLateRecordsDropped``) unless
    ``sideOutputLateData`` is set.
    https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/datastream/operators/windows/#allowed-lateness
    https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/datastream/event-time/generating_watermarks/
    https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/datastream/operators/windows/#session-windows

``beam``: Apache Beam's Python SDK (DirectRunner, streaming) with
    ``AfterWatermark(late=AfterCount(1))`` and ``AccumulationMode.ACCUMULATING``. An event is
    dropped when the watermark is *past* ``end + allowed_lateness`` of the window the event itself
    falls in (its own session window ``[t, t + gap)``, before any merge): at
    ``watermark == end + allowed_lateness`` it still counts, even with an allowed lateness of 0.
    Sessions that touch stay apart. Once a window has fired, every new element fires it again at
    once (the late trigger), even when a merge has moved the session's end past the watermark; the
    Python SDK's trigger driver keeps a window's state until the end of the input (it has no
    garbage collection at ``end + allowed_lateness``), so a late event can still merge into an old
    session whose own lateness has run out. A merged session is a new window whose panes are
    numbered from 0 again, so its first result is not an update (``PaneInfo.index`` 0) even when
    the sessions it merged had fired. (Beam labels a pane fired by an arriving event EARLY or
    LATE by comparing the window's end with the watermark its *output* has reached, which lags
    behind pending timers and holds in the DirectRunner: the label of such a pane is a runner
    detail, and only on-time versus fired-by-an-event is part of the profile.) Dropped events
    are counted, never output. Early panes every n elements (``AfterCount(n)`` as the early
    trigger of ``AfterWatermark``; ``early_count`` in :func:`simulations.run_triggered`) are part
    of the profile, and so are processing-time delays counted from a pane's first element, the
    only kind the Python SDK's ``AfterProcessingTime(delay)`` states (``trigger=`` with
    :class:`simulations.AfterProcessingTime` and no ``period``): tests/engines/test_beam_book.py
    runs the *Streaming Systems* examples that use them (2-5, 2-7, 2-8, 2-9, 4-3) on the
    DirectRunner, with ``TestStream`` advancing processing time, and compares every pane. It
    moves event times far past every processing time of the stream, because the Python SDK's
    trigger driver hands a processing-time timer's time to ``AfterWatermark`` as the watermark:
    a timer at or past a window's end would fire it ON_TIME, which the profile does not model
    (it is checked only where no timer reaches a window's end). Aligned ticks (``early_every``, or a
    ``period``: Java's ``alignedTo``) cannot be written with the Python SDK and are not checked.
    Where the Python SDK differs from the book's Java listing, the profile follows the Java one;
    the test asserts each difference (docs/engines.md lists them).
    https://beam.apache.org/releases/pydoc/2.77.0/apache_beam.transforms.trigger.html
    https://github.com/apache/beam/blob/v2.77.0/sdks/python/apache_beam/transforms/trigger.py
    https://beam.apache.org/documentation/programming-guide/#watermarks-and-late-data
    https://beam.apache.org/documentation/programming-guide/#event-time-triggers
    https://beam.apache.org/documentation/programming-guide/#session-windows

``spark``: Apache Spark Structured Streaming, micro-batches with ``withWatermark``.
    Events are read in micro-batches, one every ``trigger_interval`` seconds of processing time;
    the watermark moves only between batches (``max event time of earlier batches - delay``). A
    window is finished when ``end <= watermark``; an event is dropped and counted
    (``numRowsDroppedByWatermark``) when its window (its own session window ``[t, t + gap)``)
    ends at or before the watermark of the *previous* batch, the one Spark uses to filter late
    rows, so an event for a window that the current batch finishes still counts. There is no
    allowed lateness. Output modes: ``append`` writes each window once, when the watermark
    finishes it; ``update`` writes the windows a batch changed, every batch; ``complete`` writes
    every window every batch and keeps every window, dropping nothing on account of the watermark
    except late rows for session windows, which Spark drops in every mode.
    Touching sessions merge; session windows take append or complete mode, not update. Spark
    never finishes a window because the input ended; here the end of the input moves the
    watermark past every window, as a last event far in the future would.
    https://spark.apache.org/docs/4.3.0/streaming/apis-on-dataframes-and-datasets.html#handling-late-data-and-watermarking
    https://spark.apache.org/docs/4.3.0/streaming/apis-on-dataframes-and-datasets.html#output-modes
    https://spark.apache.org/docs/4.3.0/streaming/apis-on-dataframes-and-datasets.html#types-of-time-windows
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _check


@dataclass(frozen=True, slots=True)
class Semantics:
    """The small print of one engine; the module docstring says where each rule comes from.

    ``late_at_boundary``: is an event late when the watermark *equals* ``end + lateness``?
    ``lateness_on_merged``: is a session event's lateness judged on the session it would join
    (else on its own window ``[t, t + gap)``)? ``late_data``: "keep" (in ``.late``) or "drop"
    (counted in ``.dropped``). ``fire_every_element``: once a window has fired, does every new
    element fire it again at once (else only when the watermark has passed its end)?
    ``sessions_kept``: are sessions kept until the end of the input? ``merge_resets_panes``: is
    the first result of a merged session a first pane (else an update of the sessions it merged)?
    ``micro_batch``: does the watermark move once per micro-batch (else after every event)?
    """

    name: str
    engine: str
    touching_sessions_merge: bool
    lateness_on_merged: bool
    late_at_boundary: bool
    late_data: str
    fire_every_element: bool = False
    sessions_kept: bool = False
    merge_resets_panes: bool = False
    micro_batch: bool = False

    def __str__(self) -> str:
        return f"{self.name} ({self.engine})" if self.engine else self.name


COURSE = Semantics(
    name="course",
    engine="",
    touching_sessions_merge=False,
    lateness_on_merged=True,
    late_at_boundary=True,
    late_data="keep",
)
FLINK = Semantics(
    name="flink",
    engine="Apache Flink",
    touching_sessions_merge=True,
    lateness_on_merged=True,
    late_at_boundary=True,
    late_data="drop",
)
BEAM = Semantics(
    name="beam",
    engine="Apache Beam (Python SDK)",
    touching_sessions_merge=False,
    lateness_on_merged=False,
    late_at_boundary=False,
    late_data="drop",
    fire_every_element=True,
    sessions_kept=True,
    merge_resets_panes=True,
)
SPARK = Semantics(
    name="spark",
    engine="Apache Spark Structured Streaming",
    touching_sessions_merge=True,
    lateness_on_merged=False,
    late_at_boundary=True,
    late_data="drop",
    micro_batch=True,
)
PROFILES = {p.name: p for p in (COURSE, FLINK, BEAM, SPARK)}
OUTPUT_MODES = ("append", "update", "complete")


def profile(semantics: object) -> Semantics:
    """The profile called ``semantics``; ValueError naming the parameter for anything else.

    >>> profile("flink").touching_sessions_merge
    True
    >>> profile("storm")
    Traceback (most recent call last):
    ...
    ValueError: semantics must be one of 'course', 'flink', 'beam', 'spark', got 'storm'
    """
    return PROFILES[_check.choice("semantics", semantics, tuple(PROFILES))]


__all__ = ["BEAM", "COURSE", "FLINK", "OUTPUT_MODES", "PROFILES", "SPARK", "Semantics", "profile"]
