"""Real-engine twins: a box's job written as an Apache Beam pipeline that prints the same answer.

Each :class:`Twin` names a box, the pipeline file under ``engines/beam/`` that reproduces it and
the job's parameters. :func:`job` runs the box's own code (its default events) and returns what
a reader needs to run the pipeline: the events as JSON lines, the command-line flags, and the
lines the pipeline must print, computed by the course engine under ``semantics="beam"``. The
build renders them into the box's "On a real engine" tab; ``tests/engines`` runs every pipeline
on Beam's DirectRunner and compares.

Three kinds of pipeline: a windowed aggregate (``windowed.py``, ``batch_totals.py``: one line
per pane or window), a windowed aggregate with early panes in both accumulation modes
(``triggered.py``: one line per pane and mode), and an interval join of two inputs
(``interval_join.py``: one line per output row).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from simulations import (
    BatchReport,
    Emission,
    Event,
    Match,
    Pane,
    Session,
    Sliding,
    StreamReport,
    Tumbling,
    interval_join,
    run_stream,
    run_triggered,
)
from simulations.windows import Window

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ROOT / "engines"
PIPELINES = ENGINES / "beam"
BEAM_VERSION = "2.77.0"
FENCE_CODE = re.compile(r"^```pyrun\b[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.M | re.S)  # a box's code


@dataclass(frozen=True, slots=True)
class Twin:
    """``box`` (on ``page``) as the Beam pipeline ``pipeline``, with the job's parameters.

    ``compare`` is "panes" when the tab lists every pane, or "final" when the box's answer is
    each window's last pane (a sink's table, see :func:`last_panes`) and the tab lists those.
    Either way the tests compare every line the pipeline prints, values included.
    ``early_count`` (triggered.py) fires an early pane every so many events of a window.
    ``join`` (interval_join.py) is (lower, upper, how), over the box's two variables ``inputs``
    (left, right); ``window`` is None for a join.
    """

    box: str
    page: str
    pipeline: str
    window: Window | None = None
    watermark_delay: float = 0.0
    allowed_lateness: float = 0.0
    aggregate: str = "sum"
    compare: str = "panes"
    note: str = ""
    spark: str = ""  # a Spark Structured Streaming version under engines/, shown for reference
    report: str = "report"  # the box's variable holding the report of the job twinned
    early_count: int | None = None
    join: tuple[float, float, str] | None = None
    inputs: tuple[str, str] | None = None
    flink: str = ""  # a Flink SQL version under engines/, shown for reference


@dataclass(frozen=True, slots=True)
class Job:
    """What one twin runs: its events, its flags, and the lines it must print (sorted, or
    in window order for windowed panes).

    ``final``, for a twin compared by its final values, is the part of ``expected`` its tab
    lists: each window's last pane.
    """

    twin: Twin
    events: list[Event]
    flags: list[str]
    expected: list[str]
    sides: list[str] | None = None  # a join's: "left" or "right", event by event
    summary: str = ""  # what the lines add up to, when they are too many to read
    no_watermark: int | None = None  # an inner join's pairs with no watermark: nothing late
    final: list[str] | None = None

    @property
    def shown(self) -> list[str]:
        """The lines the tab lists: each window's last pane, or every line."""
        return self.expected if self.final is None else self.final

    def events_jsonl(self) -> str:
        sides = self.sides or [None] * len(self.events)
        return "".join(
            json.dumps(
                {
                    **({"side": side} if side else {}),
                    "key": e.key,
                    "value": e.value,
                    "event_time": e.event_time,
                    "arrival_time": e.arrival_time,
                }
            )
            + "\n"
            for e, side in zip(self.events, sides, strict=True)
        )

    @property
    def events_file(self) -> str:
        return f"{self.twin.box}.jsonl"

    def command(self) -> str:
        return " ".join(["python3", self.twin.pipeline, "--events", self.events_file, *self.flags])


def window_spec(window: Window | None) -> str:
    """The pipeline's ``--window`` flag for a course window."""
    if isinstance(window, Tumbling):
        return f"fixed:{window.size:g}"
    if isinstance(window, Sliding):
        return f"sliding:{window.size:g}:{window.slide:g}"
    if isinstance(window, Session):
        return f"sessions:{window.gap:g}"
    raise ValueError(f"window must be tumbling, sliding or session for Beam, got {window}")


def pane_line(e: Emission) -> str:
    """One pane as the Beam pipelines print it."""
    timing = "LATE" if e.update else "ON_TIME"
    return f"{e.key} [{e.start:g}, {e.end:g}) {e.value:g} {timing}"


def final_lines(final: dict[tuple[str, float, float], float]) -> list[str]:
    """Each window's last value, as the batch pipeline prints it."""
    return sorted(f"{k} [{s:g}, {e:g}) {v:g}" for (k, s, e), v in final.items())


def trigger_line(mode: str, p: Pane) -> str:
    """One pane of triggered.py: mode, key, window, pane index, timing, value."""
    return f"{mode} {p.key} [{p.start:g}, {p.end:g}) {p.index} {p.timing} {p.value:g}"


def join_line(m: Match) -> str:
    """One output row of interval_join.py: key, left time, right time ("-" for none)."""
    return f"{m.key} {m.left.event_time} {'-' if m.right is None else m.right.event_time}"


PANE = re.compile(r"^(?P<key>\S+) \[(?P<start>[^,]+), (?P<end>[^)]+)\) ")


def in_window_order(lines: Iterable[str]) -> list[str]:
    """Pane lines by key, then window start and end as numbers (``[20, 30)`` before
    ``[100, 110)``), then the rest: the order a reader scans a table in."""

    def order(line: str) -> tuple:
        m = PANE.match(line)
        return (m["key"], float(m["start"]), float(m["end"]), line) if m else ("", 0, 0, line)

    return sorted(lines, key=order)


def last_panes(lines: Iterable[str]) -> list[str]:
    """Each window's last pane, from pane lines (:func:`pane_line`) in the order they were
    emitted: what a sink that upserts by (key, window) ends up holding. The lines come back
    whole, as the pipeline prints them, in window order."""
    last: dict[str, str] = {}
    for line in lines:
        key_and_window = line.rsplit(" ", 2)[0]  # the value and the timing are the last two
        last[key_and_window] = line
    return in_window_order(last.values())


def mismatches(printed: Iterable[str], expected: Iterable[str]) -> list[str]:
    """What differs between the lines a pipeline printed and the lines it must print, in any
    order: each line missing or extra (a pane with another value is both), empty if none."""
    got, want = Counter(printed), Counter(expected)
    return [f"missing: {line}" for line in sorted(want - got)] + [
        f"extra:   {line}" for line in sorted(got - want)
    ]


def run_box(code: str) -> dict:
    """Run a box's code as the reader first sees it and return its variables."""
    namespace: dict = {"__name__": "__box__"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<box>", "exec"), namespace)
    return namespace


def job(twin: Twin, namespace: dict) -> Job:
    """The pipeline run reproducing ``twin`` on the events of the box's ``namespace``."""
    if twin.pipeline == "interval_join.py":
        return _join_job(twin, namespace)
    report = namespace[twin.report]
    # Duck-typed: a build may have reloaded `simulations`, so its classes are not these.
    events = list(report.log) if hasattr(report, "log") else list(namespace["evs"])
    if twin.pipeline == "batch_totals.py":
        assert isinstance(twin.window, Tumbling)
        flags = ["--period", f"{twin.window.size:g}"]
        if twin.aggregate != "sum":
            flags += ["--combine", twin.aggregate]
        expected = final_lines(_batch_final(report))
        return Job(twin, events, flags, expected)
    flags = ["--window", window_spec(twin.window)]
    flags += ["--watermark-delay", f"{twin.watermark_delay:g}"]
    if twin.allowed_lateness:
        flags += ["--allowed-lateness", f"{twin.allowed_lateness:g}"]
    if twin.aggregate != "sum":
        flags += ["--combine", twin.aggregate]
    if twin.pipeline == "triggered.py":
        return _triggered_job(twin, events, flags)
    beam = run_stream(
        events,
        window=twin.window,
        watermark_delay=twin.watermark_delay,
        allowed_lateness=twin.allowed_lateness,
        aggregate=twin.aggregate,
        semantics="beam",
    )
    lines = [pane_line(e) for e in beam.emissions]  # in the order emitted
    final = last_panes(lines) if twin.compare == "final" else None
    return Job(twin, events, flags, in_window_order(lines), final=final)


def _triggered_job(twin: Twin, events: list[Event], flags: list[str]) -> Job:
    """Early panes every ``early_count`` events, in both accumulation modes."""
    if twin.early_count:
        flags = [*flags, "--early-count", str(twin.early_count)]
    expected = []
    for mode in ("accumulating", "discarding"):
        beam = run_triggered(
            events,
            window=twin.window,
            watermark_delay=twin.watermark_delay,
            allowed_lateness=twin.allowed_lateness,
            aggregate=twin.aggregate,
            early_count=twin.early_count,
            accumulation=mode,
            semantics="beam",
        )
        expected += [trigger_line(mode, p) for p in beam.panes]
    return Job(twin, events, flags, sorted(expected))


def _join_job(twin: Twin, namespace: dict) -> Job:
    """Both inputs in one file, in the order the join reads them: by arrival, at equal
    arrivals the right side first (as :mod:`simulations.joins` does)."""
    assert twin.join and twin.inputs
    lower, upper, how = twin.join
    left, right = (list(namespace[name]) for name in twin.inputs)
    rows = [(e.arrival_time, 1, i, "right", e) for i, e in enumerate(right)]
    rows += [(e.arrival_time, 2, i, "left", e) for i, e in enumerate(left)]
    rows.sort(key=lambda r: r[:3])
    flags = ["--lower", f"{lower:g}", "--upper", f"{upper:g}"]
    flags += ["--watermark-delay", f"{twin.watermark_delay:g}"]
    if how != "inner":
        flags += ["--how", how]
    beam = interval_join(
        left,
        right,
        lower=lower,
        upper=upper,
        watermark_delay=twin.watermark_delay,
        how=how,
        semantics="beam",
    )
    expected = sorted(join_line(m) for m in beam.matches)
    box = namespace[twin.report]  # the box's own join: late rows dropped
    summary = f"{len(expected):,} lines, one per output row"
    if how == "left":
        summary += f", {beam.unmatched:,} of them without a partner (`-`)"
    late = len(box.late)
    if late:
        rows_late = f"{late} row{'s' if late > 1 else ''}"
        summary += (
            f". The box's join drops the {rows_late} that arrived behind the watermark and "
            f"writes {len(box.matches):,}; here {'they are' if late > 1 else 'it is'} joined "
            "all the same"
        )
    every = None
    if how == "inner":  # what a bounded run (a batch job) of the same join writes
        every = len(
            interval_join(left, right, lower=lower, upper=upper, watermark_delay=None).matches
        )
    return Job(
        twin,
        [r[4] for r in rows],
        flags,
        expected,
        sides=[r[3] for r in rows],
        summary=summary,
        no_watermark=every,
    )


def _batch_final(report: BatchReport | StreamReport) -> dict:
    if hasattr(report, "period"):  # a BatchReport: final is keyed by (key, period start)
        return {(k, s, s + report.period): v for (k, s), v in report.final.items()}
    return report.final


GUIDE = "https://beam.apache.org/documentation/programming-guide"
LATE = (
    "One difference: Beam has no late output. An event later than the allowed lateness is "
    f"dropped ([watermarks and late data]({GUIDE}/#watermarks-and-late-data)), where this "
    "course's engine keeps it in `report.late` so that you can count it."
)
TRIGGERS = (
    "The box writes an early pane every 2 s of processing time: in Beam, `AfterProcessingTime` "
    f"as the early trigger ([processing-time triggers]({GUIDE}/#processing-time-triggers)), "
    "whose delay Beam starts at the first event of each pane. A replay on the DirectRunner "
    "cannot check that line by line: where its processing-time timers fire among the replayed "
    "events varies from run to run. So this pipeline writes an early pane for every event, "
    f"`AfterCount(1)` ([data-driven triggers]({GUIDE}/#data-driven-triggers)). On this box's "
    "events each 2-second tick finds exactly one new event, so the panes are the box's, pane for "
    "pane (the course's tests check that too). For the box's own trigger on a real runner, put "
    "`trigger.AfterProcessingTime(2)` in place of the `AfterCount`."
)
JOIN = (
    "Beam has no interval join. This pipeline writes one as a stateful `DoFn` with an event-time "
    f"timer ([state and timers]({GUIDE}/#state-and-timers)): per ad it keeps the impressions "
    "and clicks that may still meet a partner, and the timer clears each row once the watermark "
    "has passed the last moment a partner could still come on time, the box's retention rule. "
    "One difference: a `DoFn` in the global window has no late data "
    f"([watermarks and late data]({GUIDE}/#watermarks-and-late-data)), so a row that arrives "
    "behind the watermark, which the box drops as Flink's DataStream interval join does, meets "
    "the rows still held here. The course's "
    '`interval_join(..., semantics="beam")` follows this rule.'
)
TWINS = [
    Twin("batch-logic", "lessons/batch.md", "batch_totals.py", Tumbling(3600)),
    Twin(
        "stream-logic",
        "lessons/streaming.md",
        "windowed.py",
        Tumbling(60),
        watermark_delay=5,
        spark="spark/windowed_totals.py",
        flink="flink/windowed_totals.sql",
        report="minute",
        note=(
            "This is the box's per-minute job. The per-event scorer has no window: on Beam it "
            "is a plain `beam.Map` over each event."
        ),
    ),
    Twin(
        "window-kinds",
        "lessons/windows.md",
        "windowed.py",
        Session(5),
        aggregate="count",
        note=(
            "The box tries three windows; this is its last, the session window. Beam merges "
            "sessions that overlap, not sessions that only touch: two clicks exactly one gap "
            "apart stay in two sessions ([`Sessions`](https://beam.apache.org/releases/pydoc/"
            f"{BEAM_VERSION}/apache_beam.transforms.window.html#apache_beam.transforms.window.Sessions))."
        ),
    ),
    Twin("watermark-walkthrough", "lessons/windows.md", "windowed.py", Tumbling(10), 2, note=LATE),
    Twin("late-updates", "lessons/windows.md", "windowed.py", Sliding(60, 10), 5, 30, note=LATE),
    Twin(
        "crash-and-replay",
        "lessons/state.md",
        "windowed.py",
        Tumbling(10),
        5,
        compare="final",
        note=(
            "There is no crash to press here: a Beam runner retries failed work itself and "
            "restores state from its own checkpoints "
            "([execution model](https://beam.apache.org/documentation/runtime/model/)). "
            "What it cannot undo is a write your sink already made: write each pane keyed by "
            "(key, window), as an upsert, and a retried write replaces itself. The lines below "
            "are that table: each window's last value."
        ),
    ),
    Twin(
        "kappa-redeploy",
        "lessons/kappa.md",
        "windowed.py",
        Tumbling(300),
        5,
        note=(
            "This is the box's new job, the one that replays the log from offset 0 with "
            "five-minute windows. The log is replayed here in the order it was written, so the "
            "same events are on time as in the live run; a real replay reads partitions at their "
            "own speeds, and a heuristic watermark may then mark other events late."
        ),
    ),
    Twin(
        "accumulating-vs-discarding",
        "lessons/triggers.md",
        "triggered.py",
        Tumbling(10),
        1,
        5,
        early_count=1,
        report="acc",
        note=TRIGGERS,
    ),
    Twin(
        "interval-join-state",
        "lessons/joins.md",
        "interval_join.py",
        watermark_delay=2,
        join=(0, 30, "inner"),
        inputs=("shows", "clicks"),
        report="kept",
        flink="flink/interval_join.sql",
        note=JOIN,
    ),
    Twin(
        "outer-join-delay",
        "lessons/joins.md",
        "interval_join.py",
        watermark_delay=2,
        join=(0, 30, "left"),
        inputs=("shows", "clicks"),
        report="r",
        note=(
            f"{JOIN} With `--how left`, an impression whose timer fires before any click came "
            "is written alone, with `-`: the outer rows wait for the watermark, as the box's do."
        ),
    ),
]
BY_BOX = {t.box: t for t in TWINS}
