"""The Flink SQL reference tabs: each SQL file, run in batch mode on its box's events, gives the
box's window totals.

Collected only when ENGINE_SUITES names "flink" (``make test-engines``: PyFlink needs Java and its
own virtualenv). The box's events go into one file; flink_sql_job.py runs the SQL file's
statements in a TableEnvironment in batch mode, where the input is bounded, every window is final
and the watermark plays no part. Every window's total must be the course engine's final value
for it, and the window size and watermark delay written in the SQL must be the twin's.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from test_beam_twins import jobs  # noqa: F401  (the twins' jobs, built as the build builds them)

from coursekit.twins import ENGINES, TWINS

from .conftest import ROOT

FLINK_PYTHON = ROOT / ".venv-flink" / "bin" / "python"
WITH_FLINK = [t for t in TWINS if t.flink]


def seconds(sql: str, clause: str) -> float:
    """The seconds of the INTERVAL written in ``clause`` (TUMBLE or WATERMARK) of the SQL."""
    found = re.findall(rf"{clause}\b[^;]*?INTERVAL '(\d+(?:\.\d+)?)' SECOND", sql)
    assert len(found) == 1, f"one {clause} interval in seconds, found {found}"
    return float(found[0])


@pytest.mark.parametrize("twin", WITH_FLINK, ids=lambda t: t.box)
def test_flink_sql_reference_gives_the_box_totals(twin, jobs, tmp_path):  # noqa: F811
    if not FLINK_PYTHON.exists():
        pytest.fail(f"{FLINK_PYTHON} is missing: `make test-engines` makes it")
    namespace, job = jobs[twin.box]
    sql = (ENGINES / twin.flink).read_text()
    assert seconds(sql, "TUMBLE") == twin.window.size
    assert seconds(sql, "WATERMARK") == twin.watermark_delay
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / job.events_file).write_text(job.events_jsonl())
    script = ROOT / "tests" / "engines" / "flink_sql_job.py"
    cmd = [str(FLINK_PYTHON), str(script), str(ENGINES / twin.flink), "events", "rows.jsonl"]
    proc = subprocess.run(
        cmd, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    rows = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]
    flink = {(r["key"], r["start"], r["end"]): r["total"] for r in rows}
    final = {k: float(v) for k, v in namespace[twin.report].final.items()}
    print(f"\n{twin.page} {twin.box}: {len(flink)} Flink SQL windows compared")
    assert flink and flink == final, f"{twin.page} box {twin.box!r}"
