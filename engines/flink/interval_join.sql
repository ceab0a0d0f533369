-- Ad impressions joined with the clicks that come 0 to 30 s after them, in Flink SQL: an
-- interval join, on equal keys and a time bound on both sides.
-- https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/table/sql/queries/joins/#interval-joins
--
-- Reads the impressions from the JSON-lines files in events/shows/ and the clicks from those in
-- events/clicks/ (key, value, event_time, arrival_time; times in seconds, to the millisecond).
-- Run it in Flink's SQL client, from the folder that holds events/:
--     ./bin/sql-client.sh -f interval_join.sql

CREATE TABLE shows (
  `key` STRING,
  `value` DOUBLE,
  event_time DOUBLE,
  ts AS TO_TIMESTAMP_LTZ(CAST(ROUND(event_time * 1000, 0) AS BIGINT), 3),
  -- the watermark: 2 s behind the newest impression time seen
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'events/shows/',
  'format' = 'json'
);

CREATE TABLE clicks (
  `key` STRING,
  `value` DOUBLE,
  event_time DOUBLE,
  ts AS TO_TIMESTAMP_LTZ(CAST(ROUND(event_time * 1000, 0) AS BIGINT), 3),
  -- the watermark: 2 s behind the newest click time seen
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'events/clicks/',
  'format' = 'json'
);

-- Every impression with every click of its ad from 0 to 30 s later (BETWEEN includes both ends).
SELECT s.`key`, s.event_time AS show_time, s.`value` AS show_value,
       c.event_time AS click_time, c.`value` AS click_value
FROM shows AS s, clicks AS c
WHERE s.`key` = c.`key`
  AND c.ts BETWEEN s.ts + INTERVAL '0' SECOND AND s.ts + INTERVAL '30' SECOND;
