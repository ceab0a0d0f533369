"""The Spark reference tabs: each Spark file, run on its box's events, ends on the box's totals.

Collected by ``make test-engines`` only (Spark needs Java and takes minutes): the box's events go
into one file, so Spark reads them in one micro-batch and no event is late; each window's last
line must then be the course engine's final value for it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from test_beam_twins import jobs  # noqa: F401  (the twins' jobs, built as the build builds them)

from coursekit.twins import ENGINES, TWINS

ROOT = Path(__file__).resolve().parents[2]
SPARK_PYTHON = ROOT / ".venv-spark" / "bin" / "python"
WITH_SPARK = [t for t in TWINS if t.spark]


@pytest.mark.parametrize("twin", WITH_SPARK, ids=lambda t: t.box)
def test_spark_reference_ends_on_the_box_totals(twin, jobs, tmp_path):  # noqa: F811
    namespace, job = jobs[twin.box]
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / job.events_file).write_text(job.events_jsonl())
    cmd = [str(SPARK_PYTHON), str(ENGINES / twin.spark), "--events", str(tmp_path / "events")]
    cmd += ["--size", f"{twin.window.size:g}", "--watermark-delay", f"{twin.watermark_delay:g}"]
    env = {**os.environ, "TZ": "UTC"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = {}
    for line in proc.stdout.splitlines():
        if line.startswith("batch "):
            _, _, key, start, end, value = line.split()
            last[(key, float(start[1:-1]), float(end[:-1]))] = float(value)
    final = {k: float(v) for k, v in namespace[twin.report].final.items()}
    assert last and last == final, f"{twin.page} box {twin.box!r}"
