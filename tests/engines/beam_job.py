"""Run test streams through Apache Beam's DirectRunner in streaming mode; write every pane.

Run with the Beam virtualenv's Python: ``beam_job.py CASES.json PANES.jsonl``. The streams that
share a window and an allowed lateness go through ONE pipeline, so that Beam starts once for
many: stream i is shifted by i * SHIFT seconds of event time and its keys are prefixed with its
name, so streams share neither state nor windows, and the watermark that the next stream raises
flushes the one before exactly as the end of its input would. Events are replayed by a
TestStream in arrival order; after each event that raises the maximum event time, the watermark
is advanced to max event time - watermark delay, as the profile says. One pipeline per window
and lateness, rather than branches of one pipeline: the DirectRunner updates every transform's
watermark for every TestStream event, so branches multiply its cost; each runs in a process of
its own, two at a time.
"""

from __future__ import annotations

import json
import sys

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import trigger, window
from apache_beam.utils.timestamp import Duration, Timestamp
from fan_out import fan_out

SHIFT = 100_000  # seconds of event time between two streams: a multiple of every window edge


class Ids(beam.CombineFn):
    """The ids of the events in a pane (accumulating: all of them so far)."""

    def create_accumulator(self):
        return []

    def add_input(self, acc, value):
        return [*acc, value]

    def merge_accumulators(self, accs):
        return [x for acc in accs for x in acc]

    def extract_output(self, acc):
        return sorted(acc)


class Describe(beam.DoFn):
    def __init__(self, path: str) -> None:
        self.path = path

    def process(self, kv, w=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        key, ids = kv
        name, i, k = key.split("|")
        shift = int(i) * SHIFT
        row = {
            "case": name,
            "key": k,
            "start": float(w.start) - shift,
            "end": float(w.end) - shift,
            "ids": ids,
            "index": pane.index,
            "timing": {0: "early", 1: "on-time", 2: "late"}.get(pane.timing, "unknown"),
        }
        with open(self.path, "a") as out:
            out.write(json.dumps(row) + "\n")


def window_fn(case: dict):
    if case["kind"] == "tumbling":
        return window.FixedWindows(case["size"])
    if case["kind"] == "sliding":
        return window.SlidingWindows(case["size"], case["slide"])
    return window.Sessions(case["gap"])


def test_stream(cases: list[dict], shifts: dict[str, int]) -> TestStream:
    """The cases' events in arrival order, one after the other, with their watermarks."""
    stream = TestStream()
    wm = None
    for case in cases:
        i = shifts[case["name"]]
        shift = i * SHIFT
        top = None
        for key, ident, t, _arrival in case["events"]:
            ts = t + shift
            stream = stream.add_elements(
                [window.TimestampedValue((f"{case['name']}|{i}|{key}", ident), ts)]
            )
            if top is None or ts > top:
                top = ts
                mark = Timestamp.of(ts - case["delay"])
                if wm is None or mark > wm:
                    wm = mark
                    stream = stream.advance_watermark_to(mark)
    return stream.advance_watermark_to_infinity()


def groups(cases: list[dict]) -> list[tuple[tuple, list[dict]]]:
    """The cases grouped by window and allowed lateness, in a fixed order."""
    branches: dict[tuple, list[dict]] = {}
    for case in cases:
        config = (case["kind"], case["size"], case["slide"], case["gap"], case["lateness"])
        branches.setdefault(config, []).append(case)
    return sorted(branches.items(), key=str)


def run_group(cases: list[dict], n: int, panes_path: str) -> None:
    """One pipeline: the streams of group ``n``."""
    shifts = {case["name"]: i for i, case in enumerate(cases)}
    config, group = groups(cases)[n]
    options = PipelineOptions(["--runner=DirectRunner"])
    options.view_as(StandardOptions).streaming = True
    try:
        build(config, group, shifts, options, panes_path)
    except TypeError as e:
        # After the last pane of a session pipeline, the DirectRunner can report a "pipeline
        # stall" (a watermark hold kept by a pane that a merge fired before the session's end
        # is never released); it raises that report as a tuple, hence a TypeError. Every pane
        # has been written by then: the comparison, pane by pane, is what checks it.
        if config[0] != "session" or "must derive from BaseException" not in str(e):
            raise


def build(config: tuple, group: list[dict], shifts: dict, options, panes_path: str) -> None:
    with beam.Pipeline(options=options) as p:
        (
            p
            | test_stream(group, shifts)
            | beam.Map(lambda kv: kv)  # a plain step between TestStream and WindowInto
            | beam.WindowInto(
                window_fn(group[0]),
                trigger=trigger.AfterWatermark(late=trigger.AfterCount(1)),
                accumulation_mode=trigger.AccumulationMode.ACCUMULATING,
                allowed_lateness=Duration.of(config[-1]),
            )
            | beam.CombinePerKey(Ids())
            | beam.ParDo(Describe(panes_path))
        )


def main(cases_path: str, panes_path: str, group: str | None = None) -> None:
    """Run every group, each pipeline in its own process (the DirectRunner runs one streaming
    pipeline per process reliably), two at a time: one per core."""
    with open(cases_path) as f:
        cases = json.load(f)
    if group is not None:
        run_group(cases, int(group), panes_path)
        return
    fan_out(__file__, cases_path, panes_path, len(groups(cases)))


if __name__ == "__main__":
    main(*sys.argv[1:])
