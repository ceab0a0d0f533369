"""Run test streams through the ``Triggered`` transform of engines/beam/triggered.py; write panes.

Run with the Beam virtualenv's Python: ``beam_trigger_job.py CASES.json PANES.jsonl``. The
streams that share a job (window, allowed lateness, early count) go through one pipeline, as in
beam_job.py: stream i is shifted by i * SHIFT seconds of event time and its keys are prefixed
with its name, and the watermark that the next stream raises flushes the one before. Both
accumulation modes run, as two branches of the pipeline. Early panes come every so many
elements (``AfterCount``), not on a processing-time clock, whose firings the DirectRunner does
not place at a reproducible point of a replayed stream.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import window
from apache_beam.utils.timestamp import Timestamp
from fan_out import fan_out

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "engines" / "beam"))
from triggered import MODES, Triggered, window_fn  # the transform the tab shows

SHIFT = 100_000  # seconds of event time between two streams: a multiple of every window edge
TIMING = {0: "EARLY", 1: "ON_TIME", 2: "LATE"}


class Ids(beam.CombineFn):
    """The ids of the events in a pane."""

    def create_accumulator(self):
        return []

    def add_input(self, acc, value):
        return [*acc, value]

    def merge_accumulators(self, accs):
        return [x for acc in accs for x in acc]

    def extract_output(self, acc):
        return sorted(acc)


class Describe(beam.DoFn):
    def __init__(self, path: str, mode: str) -> None:
        self.path, self.mode = path, mode

    def process(self, kv, w=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        key, ids = kv
        name, i, k = key.split("|")
        shift = int(i) * SHIFT
        row = {
            "case": name,
            "mode": self.mode,
            "key": k,
            "start": float(w.start) - shift,
            "end": float(w.end) - shift,
            "ids": ids,
            "index": pane.index,
            "timing": TIMING.get(pane.timing, "UNKNOWN"),
        }
        with open(self.path, "a") as out:
            out.write(json.dumps(row) + "\n")


def test_stream(cases: list[dict]) -> TestStream:
    """The cases' events in arrival order, one stream after the other, with their watermarks."""
    stream, wm = TestStream(), None
    for i, case in enumerate(cases):
        shift, top = i * SHIFT, None
        for key, ident, t, _arrival in case["events"]:
            ts = t + shift
            stream.add_elements([window.TimestampedValue((f"{case['name']}|{i}|{key}", ident), ts)])
            if top is None or ts > top:
                top = ts
                mark = Timestamp.of(ts - case["delay"])
                if wm is None or mark > wm:
                    wm = mark
                    stream.advance_watermark_to(mark)
    return stream.advance_watermark_to_infinity()


def groups(cases: list[dict]) -> list[tuple[tuple, list[dict]]]:
    """The cases grouped by job, in a fixed order."""
    out: dict[tuple, list[dict]] = {}
    for case in cases:
        out.setdefault((case["window"], case["lateness"], case["early_count"]), []).append(case)
    return sorted(out.items(), key=str)


def run_group(cases: list[dict], n: int, panes_path: str) -> None:
    (spec, lateness, early_count), group = groups(cases)[n]
    options = PipelineOptions(["--runner=DirectRunner"])
    options.view_as(StandardOptions).streaming = True
    with beam.Pipeline(options=options) as p:
        events = p | test_stream(group)
        for mode in MODES:
            (
                events
                | f"Panes {mode}" >> Triggered(window_fn(spec), early_count, lateness, Ids(), mode)
                | f"Describe {mode}" >> beam.ParDo(Describe(panes_path, mode))
            )


def main(cases_path: str, panes_path: str, group: str | None = None) -> None:
    """Every group in a process of its own, two at a time (fan_out.py)."""
    with open(cases_path) as f:
        cases = json.load(f)
    if group is not None:
        run_group(cases, int(group), panes_path)
        return
    fan_out(__file__, cases_path, panes_path, len(groups(cases)))


if __name__ == "__main__":
    main(*sys.argv[1:])
