"""Run test streams through Apache Beam's DirectRunner in streaming mode; write every pane.

Run with the Beam virtualenv's Python: ``beam_job.py CASES.json PANES.jsonl``. The streams that
share a window and an allowed lateness go through ONE pipeline, so that Beam starts once for
many: stream i is shifted by i * SHIFT seconds of event time and its keys are prefixed with its
name, so streams share neither state nor windows, and the watermark that the next stream raises
flushes the one before exactly as the end of its input would. Events are replayed by a
TestStream in arrival order; after each event that raises the maximum event time, the watermark
is advanced to max event time - watermark delay, as the profile says. (One pipeline per window
and lateness, rather than branches of one pipeline: the DirectRunner updates every transform's
watermark for every TestStream event, so branches multiply its cost.)
"""

from __future__ import annotations

import json
import sys

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import trigger, window
from apache_beam.utils.timestamp import Duration, Timestamp

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


def main(cases_path: str, panes_path: str) -> None:
    with open(cases_path) as f:
        cases = json.load(f)
    shifts = {case["name"]: i for i, case in enumerate(cases)}
    branches: dict[tuple, list[dict]] = {}
    for case in cases:
        config = (case["kind"], case["size"], case["slide"], case["gap"], case["lateness"])
        branches.setdefault(config, []).append(case)
    options = PipelineOptions(["--runner=DirectRunner"])
    options.view_as(StandardOptions).streaming = True
    for config, group in sorted(branches.items(), key=str):
        with beam.Pipeline(options=options) as p:
            (
                p
                | test_stream(group, shifts)
                | beam.WindowInto(
                    window_fn(group[0]),
                    trigger=trigger.AfterWatermark(late=trigger.AfterCount(1)),
                    accumulation_mode=trigger.AccumulationMode.ACCUMULATING,
                    allowed_lateness=Duration.of(config[-1]),
                )
                | beam.CombinePerKey(Ids())
                | beam.ParDo(Describe(panes_path))
            )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
