"""Early, on-time and late panes on Apache Beam: one trigger, both accumulation modes.

Replays events (JSON lines: key, value, event_time, arrival_time) in arrival order, the
watermark --watermark-delay seconds behind the newest event time. A window fires EARLY each
time it has received --early-count new events, ON_TIME when the watermark passes its end, and
LATE for every event within --allowed-lateness; later events are dropped. Prints every pane
twice, accumulating and discarding: mode, key, window, pane index, timing, value.

    python3 -m venv beam-venv && . beam-venv/bin/activate
    pip install apache-beam==2.77.0
    python3 triggered.py --events events.jsonl --window fixed:10 --early-count 1
"""

import argparse
import json

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import trigger, window
from apache_beam.utils.timestamp import Timestamp

COMBINERS = {"sum": sum, "count": beam.combiners.CountCombineFn()}
MODES = {
    "accumulating": trigger.AccumulationMode.ACCUMULATING,
    "discarding": trigger.AccumulationMode.DISCARDING,
}


def window_fn(spec: str) -> window.WindowFn:
    """fixed:SIZE or sliding:SIZE:PERIOD (seconds) as a Beam WindowFn."""
    kind, *sizes = spec.split(":")
    sizes = [float(s) for s in sizes]
    return {"fixed": window.FixedWindows, "sliding": window.SlidingWindows}[kind](*sizes)


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


class Triggered(beam.PTransform):
    """Window, trigger and combine in one accumulation mode: runs unchanged on any runner."""

    def __init__(self, windows, early_count, allowed_lateness, combine, mode):
        super().__init__()
        self.windows, self.early_count, self.lateness = windows, early_count, allowed_lateness
        self.combine, self.mode = combine, mode

    def expand(self, events):
        # For early panes on a clock instead: early=trigger.AfterProcessingTime(seconds).
        early = trigger.AfterCount(self.early_count) if self.early_count else None
        return (
            events
            | beam.WindowInto(
                self.windows,
                trigger=trigger.AfterWatermark(early=early, late=trigger.AfterCount(1)),
                allowed_lateness=self.lateness,
                accumulation_mode=MODES[self.mode],
            )
            | beam.CombinePerKey(self.combine)
        )


class FormatPane(beam.DoFn):
    def process(self, kv, mode, w=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        key, value = kv
        timing = {0: "EARLY", 1: "ON_TIME", 2: "LATE"}.get(pane.timing, "UNKNOWN")
        yield f"{mode} {key} [{float(w.start):g}, {float(w.end):g}) {pane.index} {timing} {value:g}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", required=True, help="JSON lines, one event per line")
    parser.add_argument("--window", default="fixed:60", help="fixed:S or sliding:S:P")
    parser.add_argument("--watermark-delay", type=float, default=5.0)
    parser.add_argument("--allowed-lateness", type=float, default=0.0)
    parser.add_argument("--early-count", type=int, default=0, help="0: no early panes")
    parser.add_argument("--combine", choices=sorted(COMBINERS), default="sum")
    args, beam_args = parser.parse_known_args(argv)

    with open(args.events) as f:
        lines = [line for line in f if line.strip()]
    options = PipelineOptions(beam_args)
    options.view_as(StandardOptions).streaming = True
    with beam.Pipeline(options=options) as p:
        events = p | replay(lines, args.watermark_delay)
        for mode in MODES:
            windows, combine = window_fn(args.window), COMBINERS[args.combine]
            (
                events
                | f"Panes {mode}"
                >> Triggered(windows, args.early_count, args.allowed_lateness, combine, mode)
                | f"Format {mode}" >> beam.ParDo(FormatPane(), mode)
                | f"Print {mode}" >> beam.Map(print)
            )


if __name__ == "__main__":
    main()
