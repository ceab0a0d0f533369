"""Run test streams through Apache Flink's DataStream window operator (PyFlink); write every firing.

Run with the Flink virtualenv's Python: ``flink_job.py CASES.json ROWS.jsonl``. The streams with
the same window, allowed lateness and watermark delay go through one source and one windowed
branch, shifted apart in event time (stream i by i * SHIFT) with their keys prefixed by their
name, as in beam_job.py. Events enter in arrival order (parallelism 1) with Flink's
bounded-out-of-orderness watermark, max event time - delay - 1 ms. Flink's own
``WatermarkStrategy.forBoundedOutOfOrderness`` emits it on a timer (every
``pipeline.auto-watermark-interval``), so which watermark an event meets would depend on timing;
the job emits the same watermark after every event instead (``flink/PerEventWatermarks.java``,
compiled by ``make test-engines`` into WATERMARKS_JAR), as the simulation moves its watermark. Each
branch has ``allowedLateness`` and ``sideOutputLateData``; firings and late events are both
written.
"""

from __future__ import annotations

import json
import os
import sys

from pyflink.common import Configuration, Time, Types, WatermarkStrategy
from pyflink.datastream import OutputTag, StreamExecutionEnvironment
from pyflink.datastream.functions import ProcessWindowFunction
from pyflink.datastream.window import (
    EventTimeSessionWindows,
    SlidingEventTimeWindows,
    TumblingEventTimeWindows,
)
from pyflink.java_gateway import get_gateway

SHIFT = 100_000_000  # milliseconds between two streams: a multiple of every window edge
# flink/PerEventWatermarks.java, compiled by `make test-engines` beside the Flink virtualenv
WATERMARKS_JAR = os.path.join(sys.prefix, "per-event-watermarks.jar")


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


def main(cases_path: str, rows_path: str) -> None:
    with open(cases_path) as f:
        cases = json.load(f)
    config = Configuration()
    # A Python operator holds a watermark back until its bundle of elements is done: bundles of
    # one element let each watermark reach the window operator before the next event does.
    config.set_string("python.fn-execution.bundle.size", "1")
    config.set_string("python.fn-execution.bundle.time", "1")
    config.set_string("python.executable", sys.executable)  # the workers: this virtualenv
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    env.add_jars(f"file://{os.path.abspath(WATERMARKS_JAR)}")  # also loads it for the gateway
    per_event = get_gateway().jvm.course.engines.PerEventWatermarks
    branches: dict[tuple, list] = {}  # one source per window, allowed lateness and delay
    for i, case in enumerate(cases):
        config_key = (case["kind"], case["size"], case["slide"], case["gap"], case["lateness"])
        config_key += (case["delay"],)
        rows = branches.setdefault(config_key, [])
        for key, ident, t, _arrival in case["events"]:
            rows.append((f"{case['name']}|{i}|{key}", ident, round(t * 1000) + i * SHIFT))
    outputs = []
    for n, (_, rows) in enumerate(sorted(branches.items(), key=str)):
        example = next(c for c in cases if c["name"] == rows[0][0].split("|")[0])
        late = OutputTag(f"late-{n}", row_type())  # a fresh one: a used type info won't pickle
        strategy = WatermarkStrategy(per_event.onThirdField(round(example["delay"] * 1000)))
        fired = (
            env.from_collection(rows, type_info=row_type())
            .assign_timestamps_and_watermarks(strategy)
            .key_by(lambda e: e[0], key_type=Types.STRING())
            .window(assigner(example))
            .allowed_lateness(int(example["lateness"] * 1000))
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
