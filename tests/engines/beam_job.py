"""Run test streams through Apache Beam's DirectRunner in streaming mode; write every pane.

Run with the Beam virtualenv's Python: ``beam_job.py CASES.json PANES.jsonl``. All streams go
through ONE pipeline, so that Beam starts once: stream i is shifted by i * SHIFT seconds of event
time and its keys are prefixed with its name, so streams share neither state nor windows, and
the watermark that stream i+1 raises flushes stream i exactly as the end of its input would.
Events are replayed by a TestStream in arrival order; after each event that raises the maximum
event time, the watermark is advanced to max event time - watermark delay, as the profile says.
Every stream with the same window and allowed lateness shares one windowed branch: a
Partition sends each element to its branch only.
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


class IdsAndSum(beam.CombineFn):
    """A pane's value (the sum), its count and which events (ids) it holds."""

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


def main(cases_path: str, panes_path: str) -> None:
    with open(cases_path) as f:
        cases = json.load(f)
    stream = TestStream()
    wm = None
    for i, case in enumerate(cases):
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
    stream = stream.advance_watermark_to_infinity()

    branches: dict[tuple, set[str]] = {}
    for case in cases:
        config = (case["kind"], case["size"], case["slide"], case["gap"], case["lateness"])
        branches.setdefault(config, set()).add(case["name"])

    options = PipelineOptions(["--runner=DirectRunner"])
    options.view_as(StandardOptions).streaming = True
    configs = sorted(branches, key=str)
    branch_of = {name: n for n, config in enumerate(configs) for name in branches[config]}
    with beam.Pipeline(options=options) as p:
        parts = (
            p
            | stream
            | "by branch"
            >> beam.Partition(lambda kv, n: branch_of[kv[0].split("|")[0]], len(configs))
        )
        for n, config in enumerate(configs):
            example = next(c for c in cases if c["name"] in branches[config])
            (
                parts[n]
                | f"window {n}"
                >> beam.WindowInto(
                    window_fn(example),
                    trigger=trigger.AfterWatermark(late=trigger.AfterCount(1)),
                    accumulation_mode=trigger.AccumulationMode.ACCUMULATING,
                    allowed_lateness=Duration.of(config[-1]),
                )
                | f"combine {n}" >> beam.CombinePerKey(IdsAndSum())
                | f"write {n}" >> beam.ParDo(Describe(panes_path))
            )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
