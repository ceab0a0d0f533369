"""Run test streams through Apache Flink's DataStream window operator (PyFlink); write every firing.

Run with the Flink virtualenv's Python: ``flink_job.py CASES.json ROWS.jsonl`` (all cases with one
watermark delay). All streams go through one job, shifted apart in event time (stream i by i *
SHIFT) with their keys prefixed by their name, as in beam_job.py. Events enter in arrival order
(parallelism 1) and get their watermark from ``WatermarkStrategy.forBoundedOutOfOrderness``:
max event time - delay - 1 ms. Flink emits that watermark on a timer (every
``pipeline.auto-watermark-interval``), not after each event, so the job hands on one event every
PACE seconds with the timer at 1 ms: the watermark has moved before the next event comes, as
it does in the simulation. Each group of streams with the same window and allowed lateness
shares one windowed branch, with ``allowedLateness`` and ``sideOutputLateData``; firings and
late events are both written.
"""

from __future__ import annotations

import json
import sys
import time

from pyflink.common import Configuration, Duration, Time, Types, WatermarkStrategy
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import OutputTag, StreamExecutionEnvironment
from pyflink.datastream.functions import ProcessWindowFunction
from pyflink.datastream.window import (
    EventTimeSessionWindows,
    SlidingEventTimeWindows,
    TumblingEventTimeWindows,
)

SHIFT = 100_000_000  # milliseconds between two streams: a multiple of every window edge
PACE = 0.01  # seconds between two events: ten runs of the 1 ms watermark timer


class Describe(ProcessWindowFunction):
    def process(self, key, context, elements):
        w = context.window()
        ids = sorted(e[1] for e in elements)  # accumulating: every event so far
        yield json.dumps({"key": key, "start": w.start, "end": w.end, "ids": ids})


def assigner(case: dict):
    ms = lambda s: Time.milliseconds(int(s * 1000))  # noqa: E731
    if case["kind"] == "tumbling":
        return TumblingEventTimeWindows.of(ms(case["size"]))
    if case["kind"] == "sliding":
        return SlidingEventTimeWindows.of(ms(case["size"]), ms(case["slide"]))
    return EventTimeSessionWindows.with_gap(ms(case["gap"]))


def row_type():
    return Types.TUPLE([Types.STRING(), Types.LONG(), Types.LONG()])


class Stamp(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp) -> int:
        return value[2]


def pace(row):
    """Hand on one event every PACE seconds, so that the watermark timer runs between two."""
    time.sleep(PACE)
    return row


def main(cases_path: str, rows_path: str) -> None:
    with open(cases_path) as f:
        cases = json.load(f)
    (delay,) = {case["delay"] for case in cases}  # one watermark strategy per job
    config = Configuration()
    config.set_string("pipeline.auto-watermark-interval", "1 ms")
    config.set_string("python.fn-execution.bundle.size", "1")
    config.set_string("python.fn-execution.bundle.time", "1")
    config.set_string("python.executable", sys.executable)  # the workers: this virtualenv
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    rows = []
    for i, case in enumerate(cases):
        for key, ident, t, _arrival in case["events"]:
            rows.append((f"{case['name']}|{i}|{key}", ident, round(t * 1000) + i * SHIFT))
    kind = row_type()
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(
        Duration.of_millis(round(delay * 1000))
    ).with_timestamp_assigner(Stamp())
    events = (
        env.from_collection(rows, type_info=kind)
        .map(pace, output_type=kind)
        .assign_timestamps_and_watermarks(strategy)
    )

    branches: dict[tuple, set[str]] = {}
    for case in cases:
        config_key = (case["kind"], case["size"], case["slide"], case["gap"], case["lateness"])
        branches.setdefault(config_key, set()).add(case["name"])
    outputs = []
    for n, (config_key, names) in enumerate(sorted(branches.items(), key=str)):
        example = next(c for c in cases if c["name"] in names)
        late = OutputTag(f"late-{n}", row_type())  # a fresh one: a used type info won't pickle
        fired = (
            events.filter(lambda e, names=names: e[0].split("|")[0] in names)
            .key_by(lambda e: e[0], key_type=Types.STRING())
            .window(assigner(example))
            .allowed_lateness(int(config_key[-1] * 1000))
            .side_output_late_data(late)
            .process(Describe(), output_type=Types.STRING())
        )
        outputs.append(fired)
        outputs.append(
            fired.get_side_output(late).map(
                lambda e: json.dumps({"key": e[0], "late": e[1]}), output_type=Types.STRING()
            )
        )
    everything = outputs[0].union(*outputs[1:])
    with open(rows_path, "a") as out, everything.execute_and_collect() as results:
        for line in results:
            row = json.loads(line)
            name, i, key = row.pop("key").split("|")
            row.update(case=name, key=key)
            if "start" in row:
                row["start"] = (row["start"] - int(i) * SHIFT) / 1000
                row["end"] = (row["end"] - int(i) * SHIFT) / 1000
            out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
