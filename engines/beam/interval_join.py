"""A stream-stream interval join on Apache Beam: a stateful DoFn whose timers clear its state.

Replays rows (JSON lines: side "left" or "right", key, value, event_time, arrival_time) in
arrival order, the watermark --watermark-delay seconds behind the smaller of the two sides'
newest event times. Pairs a left row l with every right row r of its key such that
l.time + lower <= r.time <= l.time + upper, as soon as the second of the two arrives. A row is
kept until the watermark passes the last time a partner could still come on time; with
--how left, a left row that leaves without a partner is written then, alone. Prints one line
per output row: key, left time, right time ("-" for none).

    python3 -m venv beam-venv && . beam-venv/bin/activate
    pip install apache-beam==2.77.0
    python3 interval_join.py --events rows.jsonl --lower 0 --upper 30 --how left
"""

import argparse
import json

import apache_beam as beam
from apache_beam.coders import PickleCoder
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms import window
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Duration, Timestamp


def replay(lines: list[str], watermark_delay: float) -> TestStream:
    """Rows in arrival order; after each, the watermark is the smaller side's max - delay."""
    rows = sorted(map(json.loads, lines), key=lambda r: r["arrival_time"])
    stream, newest, watermark = TestStream(), {}, None
    for r in rows:
        element = (r["key"], (r["side"], r["event_time"], r["value"]))
        stream.add_elements([window.TimestampedValue(element, r["event_time"])])
        newest[r["side"]] = max(newest.get(r["side"], r["event_time"]), r["event_time"])
        if len(newest) < 2:
            continue  # no watermark until both sides have spoken
        # TestStream moves watermarks in whole milliseconds.
        millis = round((min(newest.values()) - watermark_delay) * 1000)
        candidate = Timestamp(micros=millis * 1000)
        if watermark is None or candidate > watermark:
            watermark = candidate
            stream.advance_watermark_to(watermark)
    return stream.advance_watermark_to_infinity()


class IntervalJoin(beam.DoFn):
    """Per key: the rows that may still meet a partner, and a timer at the earliest expiry."""

    LEFT = ReadModifyWriteStateSpec("left", PickleCoder())  # [[time, value, matched], ...]
    RIGHT = ReadModifyWriteStateSpec("right", PickleCoder())  # [[time, value], ...]
    EXPIRY = TimerSpec("expiry", TimeDomain.WATERMARK)

    def __init__(self, lower: float, upper: float, how: str):
        self.lower, self.upper, self.how = lower, upper, how

    def process(
        self,
        element,
        left=beam.DoFn.StateParam(LEFT),
        right=beam.DoFn.StateParam(RIGHT),
        expiry=beam.DoFn.TimerParam(EXPIRY),
    ):
        key, (side, t, value) = element
        lefts, rights = left.read() or [], right.read() or []
        if side == "left":
            partners = [r for r in rights if t + self.lower <= r[0] <= t + self.upper]
            for r_time, _ in partners:
                yield key, t, r_time
            lefts.append([t, value, bool(partners)])
        else:
            for row in lefts:
                if row[0] + self.lower <= t <= row[0] + self.upper:
                    row[2] = True
                    yield key, row[0], t
            rights.append([t, value])
        left.write(lefts)
        right.write(rights)
        self.set_expiry(expiry, lefts, rights)

    @on_timer(EXPIRY)
    def expire(
        self,
        key=beam.DoFn.KeyParam,
        fired=beam.DoFn.TimestampParam,
        left=beam.DoFn.StateParam(LEFT),
        right=beam.DoFn.StateParam(RIGHT),
        expiry=beam.DoFn.TimerParam(EXPIRY),
    ):
        # The watermark has passed `fired`: no row still to come on time can match these.
        lefts, rights = [], []
        for row in left.read() or []:
            if Timestamp.of(row[0] + self.upper) >= fired:
                lefts.append(row)
            elif self.how == "left" and not row[2]:
                yield key, row[0], None
        rights = [row for row in right.read() or [] if Timestamp.of(row[0] - self.lower) >= fired]
        left.write(lefts)
        right.write(rights)
        self.set_expiry(expiry, lefts, rights)

    def set_expiry(self, expiry, lefts, rights):
        """The timer fires once the watermark is past the earliest time a row can go."""
        ends = [row[0] + self.upper for row in lefts] + [row[0] - self.lower for row in rights]
        if ends:
            expiry.set(Timestamp.of(min(ends)) + Duration(micros=1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", required=True, help="JSON lines, one row per line")
    parser.add_argument("--lower", type=float, default=0.0, help="seconds, may be negative")
    parser.add_argument("--upper", type=float, default=30.0, help="seconds")
    parser.add_argument("--watermark-delay", type=float, default=2.0)
    parser.add_argument("--how", choices=["inner", "left"], default="inner")
    args, beam_args = parser.parse_known_args(argv)

    with open(args.events) as f:
        lines = [line for line in f if line.strip()]
    options = PipelineOptions(beam_args)
    options.view_as(StandardOptions).streaming = True
    with beam.Pipeline(options=options) as p:
        (
            p
            | replay(lines, args.watermark_delay)
            | beam.ParDo(IntervalJoin(args.lower, args.upper, args.how)).with_input_types(
                tuple[str, tuple]  # string keys: state is kept per key
            )
            | beam.MapTuple(lambda key, lt, rt: f"{key} {lt} {'-' if rt is None else rt}")
            | beam.Map(print)
        )


if __name__ == "__main__":
    main()
