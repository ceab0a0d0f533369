-- The windowed totals in Flink SQL: event time, a watermark, and a tumbling window
-- table-valued function. One row per key and window, once the watermark has passed its end.
-- https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/table/sql/queries/window-tvf/
--
-- Reads every JSON-lines file in events/ (key, value, event_time, arrival_time; times in
-- seconds). Run it in Flink's SQL client, from the folder that holds events/:
--     ./bin/sql-client.sh -f windowed_totals.sql

CREATE TABLE events (
  `key` STRING,
  `value` DOUBLE,
  event_time DOUBLE,
  ts AS TO_TIMESTAMP_LTZ(CAST(ROUND(event_time * 1000, 0) AS BIGINT), 3),
  -- the watermark: 5 s behind the newest event time seen
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'events/',
  'format' = 'json'
);

-- One-minute tumbling windows, a total per key.
SELECT `key`, window_start, window_end, SUM(`value`) AS total
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '60' SECOND))
GROUP BY `key`, window_start, window_end;
