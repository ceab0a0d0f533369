"""The windowed totals on Spark Structured Streaming: event-time windows and a watermark.

Reads every JSON-lines file in --events (key, value, event_time, ...), one file per
micro-batch, and prints each window's total as the micro-batches update it. Spark has
no allowed lateness: the watermark delay is the one knob.

    python3 -m venv spark-venv && . spark-venv/bin/activate
    pip install pyspark==4.3.0
    python3 windowed_totals.py --events events/ --size 60 --watermark-delay 5
"""

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", required=True, help="a folder of JSON-lines files")
    parser.add_argument("--size", type=float, default=60.0, help="window, in seconds")
    parser.add_argument("--watermark-delay", type=float, default=5.0, help="seconds")
    args = parser.parse_args(argv)

    spark = SparkSession.builder.appName("windowed-totals").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    events = (
        spark.readStream.schema("key string, value double, event_time double")
        .option("maxFilesPerTrigger", 1)
        .json(args.events)
        .withColumn("ts", F.timestamp_seconds("event_time"))
        .withWatermark("ts", f"{int(args.watermark_delay * 1000)} milliseconds")
    )
    totals = events.groupBy(F.window("ts", f"{int(args.size * 1000)} milliseconds"), "key").agg(
        F.sum("value").alias("total")
    )

    def show(batch, batch_id):
        for r in batch.orderBy("window", "key").collect():
            start, end = r.window.start.timestamp(), r.window.end.timestamp()
            print(f"batch {batch_id}: {r.key} [{start:g}, {end:g}) {r.total:g}")

    query = (
        totals.writeStream.outputMode("update")
        .foreachBatch(show)
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()


if __name__ == "__main__":
    main()
