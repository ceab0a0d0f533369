"""The *Streaming Systems* examples on Apache Beam's Python SDK; write one JSON row per pane.

Run with the Beam virtualenv's Python: ``beam_book_job.py INPUTS.json PANES.jsonl``. The inputs
(the TeamX scores, and for each test stream its timeline of processing-time advances, elements
and watermark advances, as ``BeamModelTest.createStream`` builds it) come from the course's
``simulations.book``; the pipelines are written here, as ``BeamModel.java`` writes them, in the
Python SDK's words. Examples that read the same stream share one pipeline, so five pipelines run,
two processes at a time (fan_out.py).
"""

from __future__ import annotations

import inspect
import json
import sys

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import trigger, window
from apache_beam.utils.timestamp import Duration
from fan_out import fan_out

TIMING = {0: "EARLY", 1: "ON_TIME", 2: "LATE", 3: "UNKNOWN"}
# Event times are moved this far into the future (a multiple of every window size): the
# DirectRunner compares processing-time timers with window ends, and a timer at or past a
# window's end counts as the watermark passing it; with event times past every processing time
# of the stream, no processing-time timer reaches a window's end.
BASE = 120 * 10**8
FOREVER = Duration(seconds=1000 * 24 * 3600)
ACCUMULATING = trigger.AccumulationMode.ACCUMULATING
DISCARDING = trigger.AccumulationMode.DISCARDING
EARLY_ON_TIME_LATE = trigger.AfterWatermark(
    early=trigger.AfterProcessingTime(60), late=trigger.AfterCount(1)
)
FIXED = window.FixedWindows(120)


def windowing(into, **kw):
    return beam.WindowInto(into, **kw)


# example id -> (the stream it reads, its WindowInto), as in BeamModel.java
EXAMPLES = {
    "2-1": ("batch", windowing(window.GlobalWindows())),
    "2-2": ("batch", windowing(FIXED)),
    "2-3": (
        "batch-watermark",
        windowing(
            FIXED,
            trigger=trigger.Repeatedly(trigger.AfterCount(1)),
            allowed_lateness=FOREVER,
            accumulation_mode=ACCUMULATING,
        ),
    ),
    # 2-4: the Python SDK's AfterProcessingTime has no alignedTo (see test_beam_book.py)
    "2-5": (
        "batch-watermark",
        windowing(
            FIXED,
            trigger=trigger.Repeatedly(trigger.AfterProcessingTime(120)),
            allowed_lateness=FOREVER,
            accumulation_mode=ACCUMULATING,
        ),
    ),
    "2-6-perfect": ("perfect", windowing(FIXED)),
    "2-6-heuristic": ("heuristic", windowing(FIXED)),
    "2-7-perfect": (
        "perfect",
        windowing(
            FIXED,
            trigger=EARLY_ON_TIME_LATE,
            allowed_lateness=FOREVER,
            accumulation_mode=ACCUMULATING,
        ),
    ),
    "2-7-heuristic": (
        "heuristic",
        windowing(
            FIXED,
            trigger=EARLY_ON_TIME_LATE,
            allowed_lateness=FOREVER,
            accumulation_mode=ACCUMULATING,
        ),
    ),
    "2-8": (
        "heuristic-six",
        windowing(
            FIXED,
            trigger=EARLY_ON_TIME_LATE,
            allowed_lateness=Duration(seconds=120),
            accumulation_mode=ACCUMULATING,
        ),
    ),
    "2-9": (
        "heuristic",
        windowing(
            FIXED,
            trigger=EARLY_ON_TIME_LATE,
            allowed_lateness=FOREVER,
            accumulation_mode=DISCARDING,
        ),
    ),
    "4-3": (
        "heuristic",
        windowing(
            window.Sessions(60),
            trigger=EARLY_ON_TIME_LATE,
            allowed_lateness=FOREVER,
            accumulation_mode=ACCUMULATING,
        ),
    ),
}
STREAMS = sorted({stream for stream, _ in EXAMPLES.values()})


class Describe(beam.DoFn):
    """One row per pane: the example, the window, the sum and the pane's PaneInfo."""

    def __init__(self, path: str, example: str) -> None:
        self.path, self.example = path, example

    def process(self, kv, w=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        _, value = kv
        glob = isinstance(w, window.GlobalWindow)
        row = {
            "example": self.example,
            "start": None if glob else float(w.start) - BASE,
            "end": None if glob else float(w.end) - BASE,
            "value": value,
            "timing": TIMING[pane.timing],
            "index": pane.index,
            "on_time_index": pane.nonspeculative_index,
            "is_first": pane.is_first,
            "is_last": pane.is_last,
        }
        with open(self.path, "a") as out:
            out.write(json.dumps(row) + "\n")


def test_stream(timeline: list[list]) -> TestStream:
    """The stream's steps: ["pt", t] advances processing time to t, ["el", value, event time]
    adds a score, ["wm", w] advances the watermark (None: to infinity)."""
    stream, now = TestStream(), 0.0
    for step in timeline:
        if step[0] == "pt":
            if step[1] > now:
                stream.advance_processing_time(step[1] - now)
                now = step[1]
        elif step[0] == "el":
            stream.add_elements([window.TimestampedValue(("TeamX", step[1]), BASE + step[2])])
        elif step[1] is None:
            stream.advance_watermark_to_infinity()
        else:
            stream.advance_watermark_to(BASE + step[1])
    return stream


def run_stream(inputs: dict, name: str, panes_path: str) -> None:
    options = PipelineOptions(["--runner=DirectRunner"])
    batch = name == "batch"
    options.view_as(StandardOptions).streaming = not batch
    with beam.Pipeline(options=options) as p:
        if batch:
            scores = (
                p
                | beam.Create(inputs["batch"])
                | beam.Map(lambda s: window.TimestampedValue(("TeamX", s[0]), BASE + s[1]))
            )
        else:
            scores = p | test_stream(inputs["streams"][name])
        for example, (stream, into) in EXAMPLES.items():
            if stream == name:
                (
                    scores
                    | f"Window {example}" >> into
                    | f"Sum {example}" >> beam.CombinePerKey(sum)
                    | f"Describe {example}" >> beam.ParDo(Describe(panes_path, example))
                )


def main(inputs_path: str, panes_path: str, group: str | None = None) -> None:
    with open(inputs_path) as f:
        inputs = json.load(f)
    if group is not None:
        run_stream(inputs, STREAMS[int(group)], panes_path)
        return
    fan_out(__file__, inputs_path, panes_path, len(STREAMS))
    # Example 2-4 cannot be written in Python: say what AfterProcessingTime takes instead.
    takes = list(inspect.signature(trigger.AfterProcessingTime).parameters)
    with open(panes_path, "a") as out:
        out.write(json.dumps({"example": "2-4", "AfterProcessingTime": takes}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
