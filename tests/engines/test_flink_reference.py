"""The Flink SQL reference tabs: each SQL file, run in batch mode on its box's events, gives the
box's answer: a windowed file the box's window totals, the interval join the box's join without
a watermark, pair for pair.

Collected only when ENGINE_SUITES names "flink" (``make test-engines``: PyFlink needs Java and its
own virtualenv). The box's events file is laid out as the tab tells a reader to (its shell lines,
run here); flink_sql_job.py runs the SQL file's statements in a TableEnvironment in batch mode,
where the input is bounded, every result is final and the watermark plays no part. The window
size, join bounds and watermark delay written in the SQL must be the twin's.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import time
from collections import Counter

import pytest
from test_beam_twins import jobs  # noqa: F401  (the twins' jobs, built as the build builds them)

from coursekit.twin_tab import flink_setup
from coursekit.twins import ENGINES, TWINS
from simulations import events, interval_join

from .conftest import ROOT

FLINK_PYTHON = ROOT / ".venv-flink" / "bin" / "python"
WITH_FLINK = [t for t in TWINS if t.flink]
NUMBER = r"(\d+(?:\.\d+)?)"


def seconds(sql: str, clause: str) -> list[float]:
    """The seconds of each INTERVAL written in a ``clause`` (TUMBLE or WATERMARK) of the SQL."""
    return [float(s) for s in re.findall(rf"{clause}\b[^;]*?INTERVAL '{NUMBER}' SECOND", sql)]


def join_bounds(sql: str) -> tuple[str, str, float, float]:
    """The interval join condition ``r.ts BETWEEN l.ts ± INTERVAL 'a' SECOND AND l.ts ± ...``:
    the right table's alias, the left's, and the bounds (lower, upper) in seconds."""
    bound = rf"(\w+)\.ts ([+-]) INTERVAL '{NUMBER}' SECOND"
    found = re.findall(rf"(\w+)\.ts BETWEEN {bound} AND {bound}", sql)
    assert len(found) == 1, f"one interval join condition, found {found}"
    right, left, s1, lo, left2, s2, hi = found[0]
    assert left == left2, "both bounds relative to the same table's time"
    return right, left, float(s1 + lo), float(s2 + hi)


def run_flink_sql(twin, job, tmp_path) -> list[dict]:
    """The tab's setup lines on the box's events file, then the SQL file in batch mode."""
    if not FLINK_PYTHON.exists():
        pytest.fail(f"{FLINK_PYTHON} is missing: `make test-engines` makes it")
    (tmp_path / job.events_file).write_text(job.events_jsonl())
    for line in flink_setup(job):
        subprocess.run(["sh", "-c", line], cwd=tmp_path, check=True)
    script = ROOT / "tests" / "engines" / "flink_sql_job.py"
    cmd = [str(FLINK_PYTHON), str(script), str(ENGINES / twin.flink), "events", "rows.jsonl"]
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False
    )
    took = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-4000:]
    print(f"\n{twin.page} {twin.box}: Flink SQL batch job took {took:.1f} s", file=sys.stderr)
    return [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("twin", [t for t in WITH_FLINK if t.window], ids=lambda t: t.box)
def test_flink_sql_reference_gives_the_box_totals(twin, jobs, tmp_path):  # noqa: F811
    namespace, job = jobs[twin.box]
    sql = (ENGINES / twin.flink).read_text()
    assert seconds(sql, "TUMBLE") == [twin.window.size]
    assert seconds(sql, "WATERMARK") == [twin.watermark_delay]
    rows = run_flink_sql(twin, job, tmp_path)
    flink = {(r["key"], r["window_start"], r["window_end"]): r["total"] for r in rows}
    final = {k: float(v) for k, v in namespace[twin.report].final.items()}
    print(f"{twin.page} {twin.box}: {len(flink)} Flink SQL windows compared", file=sys.stderr)
    assert flink and flink == final, f"{twin.page} box {twin.box!r}"


def pair(key, show_time, show_value, click_time, click_value) -> tuple:
    return (key, float(show_time), float(show_value), float(click_time), float(click_value))


@pytest.mark.parametrize("twin", [t for t in WITH_FLINK if t.join], ids=lambda t: t.box)
def test_flink_sql_interval_join_gives_the_box_join_without_a_watermark(
    twin,
    jobs,  # noqa: F811
    tmp_path,
):
    namespace, job = jobs[twin.box]
    lower, upper, how = twin.join
    assert how == "inner", "the SQL file is an inner join"
    sql = (ENGINES / twin.flink).read_text()
    left, right = twin.inputs
    aliases = dict(re.findall(r"\b(shows|clicks) AS (\w+)", sql))
    assert set(aliases) == {left, right}, f"the SQL joins {left} and {right}, found {aliases}"
    assert join_bounds(sql) == (aliases[right], aliases[left], lower, upper)
    assert seconds(sql, "WATERMARK") == [twin.watermark_delay] * 2, "one per table"
    # The box's join with no watermark, over the very events of the file: nothing dropped.
    every = namespace["every"]
    assert every.watermark_delay is None and not every.late
    assert len(namespace[twin.report].matches) < len(every.matches), "the box drops a late row"
    rows = run_flink_sql(twin, job, tmp_path)
    flink = Counter(
        pair(r["key"], r["show_time"], r["show_value"], r["click_time"], r["click_value"])
        for r in rows
    )
    box = Counter(
        pair(m.key, m.left.event_time, m.left.value, m.right.event_time, m.right.value)
        for m in every.matches
    )
    print(
        f"{twin.page} {twin.box}: {sum(flink.values())} Flink SQL pairs compared", file=sys.stderr
    )
    assert flink and flink == box, f"{twin.page} box {twin.box!r}"


@pytest.mark.parametrize("twin", [t for t in WITH_FLINK if t.join], ids=lambda t: t.box)
def test_flink_sql_interval_join_bounds_are_the_course_bounds(twin, jobs, tmp_path):  # noqa: F811
    """On the box's events no pair lies on a bound, so events that do: clicks exactly at both
    bounds, a millisecond inside and outside them, and at another ad. The SQL file's pairs must
    be the course's ``interval_join`` (both bounds inclusive) with no watermark."""
    _, job = jobs[twin.box]
    lower, upper, _ = twin.join
    shows = events([("ad1", 1, 100.0), ("ad1", 2, 100.5)])
    offsets = (lower - 0.001, lower, lower + 0.001, upper - 0.001, upper, upper + 0.001)
    clicks = events(
        [("ad1", 10 + i, 100.0 + d) for i, d in enumerate(offsets)] + [("ad2", 9, 100.0 + lower)]
    )
    rows = [("left", e) for e in shows] + [("right", e) for e in clicks]
    edge = dataclasses.replace(
        job, events=[e for _, e in rows], sides=[side for side, _ in rows], expected=[]
    )
    course = interval_join(shows, clicks, lower=lower, upper=upper, watermark_delay=None)
    box = Counter(
        pair(m.key, m.left.event_time, m.left.value, m.right.event_time, m.right.value)
        for m in course.matches
    )
    flink = Counter(
        pair(r["key"], r["show_time"], r["show_value"], r["click_time"], r["click_value"])
        for r in run_flink_sql(twin, edge, tmp_path)
    )
    on_bounds = {p for p in box if p[3] - p[1] in (lower, upper)}
    assert len(on_bounds) == 2, "the course's bounds are inclusive: a pair on each"
    print(f"{twin.page} {twin.box}: {sum(flink.values())} pairs at the bounds", file=sys.stderr)
    assert flink == box
