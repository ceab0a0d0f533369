"""Run a Flink SQL file from engines/flink/ in batch mode (PyFlink); write its result rows.

Run with the Flink virtualenv's Python: ``flink_sql_job.py FILE.sql EVENTS_FOLDER ROWS.jsonl``.
The file's statements run as written, in order, in a TableEnvironment in batch mode, except that
each table's ``'path' = 'events/...'`` is pointed into EVENTS_FOLDER (``events/`` itself, or a
folder under it such as ``events/shows/``). In batch mode the input is bounded and a result is
final: the watermark plays no part. Each result row is written as a JSON object keyed by the
query's column names; timestamps (window bounds) as seconds since the epoch (the session's time
zone is UTC).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from pyflink.table import EnvironmentSettings, TableEnvironment

PATH = "'path' = 'events/"


def statements(sql: str) -> list[str]:
    """The file's statements, without comments."""
    text = "\n".join(re.sub(r"--.*$", "", line) for line in sql.splitlines())
    return [s.strip() for s in text.split(";") if s.strip()]


def plain(value):
    """A result value as JSON can hold it."""
    return value.timestamp() if isinstance(value, dt.datetime) else value


def main(sql_path: str, events: str, rows_path: str) -> None:
    sql = Path(sql_path).read_text()
    if PATH not in sql:
        raise SystemExit(f"{sql_path} must read its events from {PATH}...'")
    sql = sql.replace(PATH, f"'path' = '{Path(events).resolve()}/")
    env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    env.get_config().set("table.local-time-zone", "UTC")
    env.get_config().set("parallelism.default", "1")
    *ddl, query = statements(sql)
    for statement in ddl:
        env.execute_sql(statement).wait()
    result = env.execute_sql(query)
    names = result.get_resolved_schema().get_column_names()
    with open(rows_path, "w") as out, result.collect() as results:
        for row in results:
            out.write(json.dumps(dict(zip(names, map(plain, row), strict=True))) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
