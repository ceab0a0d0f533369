"""A batch job on Apache Beam: one total per key and period of event time.

Reads events (JSON lines: key, value, event_time, ...) from a bounded file. A bounded
input has no late data: its watermark jumps to the end once the file is read.

    python3 -m venv beam-venv && . beam-venv/bin/activate
    pip install apache-beam==2.77.0
    python3 batch_totals.py --events events.jsonl --period 3600
"""

import argparse
import json

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.transforms import window

COMBINERS = {
    "sum": sum,
    "count": beam.combiners.CountCombineFn(),
    "mean": beam.combiners.MeanCombineFn(),
    "max": max,
}


class FormatTotal(beam.DoFn):
    def process(self, kv, w=beam.DoFn.WindowParam):
        key, value = kv
        yield f"{key} [{float(w.start):g}, {float(w.end):g}) {value:g}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", required=True, help="JSON lines, one event per line")
    parser.add_argument("--period", type=float, default=3600.0, help="seconds of event time")
    parser.add_argument("--combine", choices=sorted(COMBINERS), default="sum")
    args, beam_args = parser.parse_known_args(argv)

    with beam.Pipeline(options=PipelineOptions(beam_args)) as p:
        (
            p
            | beam.io.ReadFromText(args.events)
            | beam.Map(json.loads)
            | beam.Map(lambda e: window.TimestampedValue((e["key"], e["value"]), e["event_time"]))
            | beam.WindowInto(window.FixedWindows(args.period))
            | beam.CombinePerKey(COMBINERS[args.combine])
            | beam.ParDo(FormatTotal())
            | beam.Map(print)
        )


if __name__ == "__main__":
    main()
