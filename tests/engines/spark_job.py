"""Run test streams through Apache Spark Structured Streaming, one micro-batch per file.

Run with the Spark virtualenv's Python: ``spark_job.py JOBS.json ROWS.jsonl``. Each job is one
stream and one output mode. Its micro-batches are written as files into an empty folder first;
the query reads them with ``maxFilesPerTrigger=1`` and ``Trigger.AvailableNow``, so batch ``n``
holds exactly the events of file ``n`` and the watermark moves between files as it does between
micro-batches. Every row the query writes is kept with its batch id (``foreachBatch``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def window_column(job: dict):
    ts = F.col("ts")
    if job["kind"] == "tumbling":
        return F.window(ts, f"{job['size']} seconds")
    if job["kind"] == "sliding":
        return F.window(ts, f"{job['size']} seconds", f"{job['slide']} seconds")
    return F.session_window(ts, f"{job['gap']} seconds")


def run(spark: SparkSession, job: dict, out) -> None:
    folder = tempfile.mkdtemp(prefix="spark-job-")
    source = os.path.join(folder, "in")
    os.makedirs(source)
    for n, rows in enumerate(job["files"]):
        path = os.path.join(source, f"batch-{n:05d}.json")
        with open(path, "w") as f:
            for key, ident, t in rows:
                f.write(json.dumps({"key": key, "id": ident, "t": t}) + "\n")
        os.utime(path, (1_000_000 + n, 1_000_000 + n))  # files are read in this order
    events = (
        spark.readStream.schema("key string, id long, t double")
        .option("maxFilesPerTrigger", 1)
        .json(source)
        .withColumn("ts", F.timestamp_seconds("t"))
        .withWatermark("ts", f"{int(job['delay'] * 1000)} milliseconds")
    )
    panes = events.groupBy("key", window_column(job).alias("w")).agg(
        F.sort_array(F.collect_list("id")).alias("ids")
    )

    def write(batch, batch_id):
        for r in batch.collect():
            row = {
                "case": job["name"],
                "mode": job["mode"],
                "batch": batch_id,
                "key": r["key"],
                "start": r["w"]["start"].timestamp(),
                "end": r["w"]["end"].timestamp(),
                "ids": list(r["ids"]),
            }
            out.write(json.dumps(row) + "\n")

    query = (
        panes.writeStream.outputMode(job["mode"])
        .foreachBatch(write)
        .option("checkpointLocation", os.path.join(folder, "checkpoint"))
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()


def main(jobs_path: str, rows_path: str) -> None:
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("engine-equivalence")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    with open(jobs_path) as f:
        jobs = json.load(f)
    with open(rows_path, "w") as out:
        for job in jobs:
            run(spark, job, out)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
