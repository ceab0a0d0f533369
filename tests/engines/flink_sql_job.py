"""Run a Flink SQL file from engines/flink/ in batch mode (PyFlink); write its result rows.

Run with the Flink virtualenv's Python: ``flink_sql_job.py FILE.sql EVENTS_FOLDER ROWS.jsonl``.
The file's statements run as written, in order, in a TableEnvironment in batch mode, except that
the table's ``'path' = 'events/'`` is pointed at EVENTS_FOLDER. In batch mode the input is
bounded and a window's result is final: the watermark plays no part. Window bounds are written as
seconds since the epoch (the session's time zone is UTC).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from pyflink.table import EnvironmentSettings, TableEnvironment

PATH = "'path' = 'events/'"


def statements(sql: str) -> list[str]:
    """The file's statements, without comments."""
    text = "\n".join(re.sub(r"--.*$", "", line) for line in sql.splitlines())
    return [s.strip() for s in text.split(";") if s.strip()]


def main(sql_path: str, events: str, rows_path: str) -> None:
    sql = Path(sql_path).read_text()
    if sql.count(PATH) != 1:
        raise SystemExit(f"{sql_path} must read its events from {PATH}")
    sql = sql.replace(PATH, f"'path' = '{Path(events).resolve()}/'")
    env = TableEnvironment.create(EnvironmentSettings.in_batch_mode())
    env.get_config().set("table.local-time-zone", "UTC")
    env.get_config().set("parallelism.default", "1")
    *ddl, query = statements(sql)
    for statement in ddl:
        env.execute_sql(statement).wait()
    with open(rows_path, "w") as out, env.execute_sql(query).collect() as results:
        for row in results:
            key, start, end, total = row
            out.write(
                json.dumps(
                    {"key": key, "start": start.timestamp(), "end": end.timestamp(), "total": total}
                )
                + "\n"
            )


if __name__ == "__main__":
    main(*sys.argv[1:])
