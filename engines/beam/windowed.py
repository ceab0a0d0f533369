"""A windowed aggregate per key on Apache Beam: watermark, allowed lateness, panes.

Replays events (JSON lines: key, value, event_time, arrival_time) in arrival order,
the watermark --watermark-delay seconds behind the newest event time, and prints one
line per pane: key, window, value, ON_TIME or LATE. Later events are dropped.

    python3 -m venv beam-venv && . beam-venv/bin/activate
    pip install apache-beam==2.77.0
    python3 windowed.py --events events.jsonl --window fixed:60 --watermark-delay 5
"""

import argparse
import json

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import trigger, window
from apache_beam.utils.timestamp import Timestamp

COMBINERS = {
    "sum": sum,
    "count": beam.combiners.CountCombineFn(),
    "mean": beam.combiners.MeanCombineFn(),
    "max": max,
}


def window_fn(spec: str) -> window.WindowFn:
    """fixed:SIZE, sliding:SIZE:PERIOD or sessions:GAP (seconds) as a Beam WindowFn."""
    kind, *sizes = spec.split(":")
    sizes = [float(s) for s in sizes]
    return {
        "fixed": window.FixedWindows,
        "sliding": window.SlidingWindows,
        "sessions": window.Sessions,
    }[kind](*sizes)


def replay(lines: list[str], watermark_delay: float) -> TestStream:
    """Events in arrival order; after each, the watermark is max event time - delay."""
    events = sorted(map(json.loads, lines), key=lambda e: e["arrival_time"])
    stream, watermark = TestStream(), None
    for e in events:
        element = window.TimestampedValue((e["key"], e["value"]), e["event_time"])
        stream.add_elements([element])
        # TestStream moves watermarks in whole milliseconds.
        millis = round((e["event_time"] - watermark_delay) * 1000)
        candidate = Timestamp(micros=millis * 1000)
        if watermark is None or candidate > watermark:
            watermark = candidate
            stream.advance_watermark_to(watermark)
    return stream.advance_watermark_to_infinity()


class Windowed(beam.PTransform):
    """Window, trigger and combine: the part that runs unchanged on any runner."""

    def __init__(self, windows, allowed_lateness, combine, accumulation):
        super().__init__()
        self.windows, self.lateness = windows, allowed_lateness
        self.combine, self.accumulation = combine, accumulation

    def expand(self, events):
        return (
            events
            | beam.WindowInto(
                self.windows,
                trigger=trigger.AfterWatermark(late=trigger.AfterCount(1)),
                allowed_lateness=self.lateness,
                accumulation_mode=self.accumulation,
            )
            | beam.CombinePerKey(self.combine)
            | beam.ParDo(FormatPane())
        )


class FormatPane(beam.DoFn):
    def process(self, kv, w=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        key, value = kv
        timing = {0: "EARLY", 1: "ON_TIME", 2: "LATE"}.get(pane.timing, "UNKNOWN")
        yield f"{key} [{float(w.start):g}, {float(w.end):g}) {value:g} {timing}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", required=True, help="JSON lines, one event per line")
    parser.add_argument("--window", default="fixed:60", help="fixed:S|sliding:S:P|sessions:G")
    parser.add_argument("--watermark-delay", type=float, default=5.0)
    parser.add_argument("--allowed-lateness", type=float, default=0.0)
    parser.add_argument("--combine", choices=sorted(COMBINERS), default="sum")
    parser.add_argument("--discarding", action="store_true", help="panes hold only new events")
    args, beam_args = parser.parse_known_args(argv)

    with open(args.events) as f:
        lines = [line for line in f if line.strip()]
    options = PipelineOptions(beam_args)
    options.view_as(StandardOptions).streaming = True
    mode = trigger.AccumulationMode
    with beam.Pipeline(options=options) as p:
        (
            p
            | replay(lines, args.watermark_delay)
            | Windowed(
                window_fn(args.window),
                args.allowed_lateness,
                COMBINERS[args.combine],
                mode.DISCARDING if args.discarding else mode.ACCUMULATING,
            )
            | beam.Map(print)
        )


if __name__ == "__main__":
    main()
