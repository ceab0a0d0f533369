"""Run test streams through Apache Flink's DataStream window operator (PyFlink); write every firing.

Run with the Flink virtualenv's Python: ``flink_job.py CASES.json ROWS.jsonl``. All streams go
through one job, shifted apart in event time (stream i by i * SHIFT seconds) with their keys
prefixed by their name, as in beam_job.py. Events enter in arrival order (parallelism 1). The
watermark is that of ``WatermarkStrategy.forBoundedOutOfOrderness``: max event time - delay -
1 ms, but emitted after every event that raises it rather than every 200 ms of wall-clock time, so
that the run is the same every time: the events go through a table whose WATERMARK clause gives
that value per row (a table's watermark is emitted as soon as it advances when
``pipeline.auto-watermark-interval`` is 0), and back to a DataStream, which keeps the watermarks.
Each stream with the same window and allowed lateness shares one windowed branch, with
``allowedLateness`` and ``sideOutputLateData``; firings and late events are both written.
"""

from __future__ import annotations

import json
import sys

from pyflink.common import Configuration, Row, Time, Types
from pyflink.datastream import OutputTag, StreamExecutionEnvironment
from pyflink.datastream.functions import ProcessWindowFunction
from pyflink.datastream.window import (
    EventTimeSessionWindows,
    SlidingEventTimeWindows,
    TumblingEventTimeWindows,
)
from pyflink.table import Schema, StreamTableEnvironment
from pyflink.table.expressions import col

SHIFT = 100_000_000  # milliseconds between two streams: a multiple of every window edge


class Describe(ProcessWindowFunction):
    def process(self, key, context, elements):
        w = context.window()
        ids = sorted(e[1] for e in elements)
        yield json.dumps({"key": key, "start": w.start, "end": w.end, "ids": ids})


def assigner(case: dict):
    ms = lambda s: Time.milliseconds(int(s * 1000))  # noqa: E731
    if case["kind"] == "tumbling":
        return TumblingEventTimeWindows.of(ms(case["size"]))
    if case["kind"] == "sliding":
        return SlidingEventTimeWindows.of(ms(case["size"]), ms(case["slide"]))
    return EventTimeSessionWindows.with_gap(ms(case["gap"]))


def main(cases_path: str, rows_path: str) -> None:
    with open(cases_path) as f:
        cases = json.load(f)
    config = Configuration()
    config.set_string("pipeline.auto-watermark-interval", "1 ms")
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    t_env = StreamTableEnvironment.create(env)
    rows = []
    for i, case in enumerate(cases):
        delay = int(case["delay"] * 1000)
        for key, ident, t, _arrival in case["events"]:
            ms = round(t * 1000) + i * SHIFT
            rows.append(Row(f"{case['name']}|{i}|{key}", ident, ms, ms - delay - 1))
    source = env.from_collection(
        rows,
        type_info=Types.ROW_NAMED(
            ["k", "id", "t", "w"], [Types.STRING(), Types.LONG(), Types.LONG(), Types.LONG()]
        ),
    )
    table = t_env.from_data_stream(
        source,
        Schema.new_builder()
        .column("k", "STRING")
        .column("id", "BIGINT")
        .column("t", "BIGINT")
        .column("w", "BIGINT")
        .column_by_expression("ts", "TO_TIMESTAMP_LTZ(t, 3)")
        .column_by_expression("wm", "TO_TIMESTAMP_LTZ(w, 3)")
        .watermark("ts", "wm")
        .build(),
    )
    events = t_env.to_data_stream(table.select(col("k"), col("id"), col("ts"))).map(
        lambda r: (r[0], r[1]), output_type=Types.TUPLE([Types.STRING(), Types.LONG()])
    )

    branches: dict[tuple, set[str]] = {}
    for case in cases:
        config_key = (case["kind"], case["size"], case["slide"], case["gap"], case["lateness"])
        branches.setdefault(config_key, set()).add(case["name"])
    outputs = []
    for n, (config_key, names) in enumerate(sorted(branches.items(), key=str)):
        example = next(c for c in cases if c["name"] in names)
        late = OutputTag(f"late-{n}", Types.TUPLE([Types.STRING(), Types.LONG()]))
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
    with open(rows_path, "w") as out, everything.execute_and_collect() as results:
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
