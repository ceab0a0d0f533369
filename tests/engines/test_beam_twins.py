"""Every "On a real engine" tab: its Beam pipeline, run on the box's events, prints the tab's lines.

The pipelines run on Apache Beam's DirectRunner in the Beam virtualenv (``make`` builds it);
what they must print is computed by the course engine under ``semantics="beam"``. A pipeline or
an engine change that breaks the match fails here, naming the lesson and the box.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from jobs import time_limit

from coursekit.twin_tab import calls, twin_job
from coursekit.twins import (
    BEAM_VERSION,
    FENCE_CODE,
    PIPELINES,
    TWINS,
    Job,
    join_line,
    mismatches,
    run_box,
    trigger_line,
)
from simulations import interval_join, run_stream

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BEAM_PYTHON = Path(os.environ.get("BEAM_PYTHON", ROOT / ".venv-beam" / "bin" / "python"))
JOB_SECONDS = 1200  # per pipeline; a test waited 595 s for its pipeline on a busy 2-core machine
pytestmark = time_limit(JOB_SECONDS)


def run_pipeline(j: Job, tmp: Path) -> list[str]:
    events = tmp / j.events_file
    events.write_text(j.events_jsonl())
    cmd = [str(BEAM_PYTHON), str(PIPELINES / j.twin.pipeline), "--events", str(events), *j.flags]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=JOB_SECONDS, check=False)
    assert proc.returncode == 0, f"{j.twin.page} {j.twin.box}: {proc.stderr[-2000:]}"
    return sorted(line for line in proc.stdout.splitlines() if line.strip())


@pytest.fixture(scope="module")
def jobs() -> dict[str, tuple[dict, Job]]:
    """Each twin's box, found as the build finds it: inside its page's on_a_real_engine call."""
    out = {}
    for twin in TWINS:
        found = [body for box, body in calls((DOCS / twin.page).read_text()) if box == twin.box]
        assert len(found) == 1, f"{twin.page}: on_a_real_engine({twin.box!r}) once, not {found}"
        out[twin.box] = (run_box(FENCE_CODE.search(found[0])["code"]), twin_job(twin.box, found[0]))
    return out


@pytest.fixture(scope="module")
def beam_output(jobs, tmp_path_factory) -> Iterator[dict[str, Future]]:
    """Every twin's pipeline, started at once two at a time; each test waits for its own."""
    assert BEAM_PYTHON.exists(), f"no Beam virtualenv at {BEAM_PYTHON}: run make"
    tmp = tmp_path_factory.mktemp("twins")
    pool = ThreadPoolExecutor(max_workers=2)
    yield {box: pool.submit(run_pipeline, j, tmp) for box, (_, j) in jobs.items()}
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: f"{t.page}:{t.box}")
def test_pipeline_prints_what_the_tab_shows(twin, jobs, beam_output):
    _, j = jobs[twin.box]
    assert j.expected, "a twin with nothing to compare proves nothing"
    printed = beam_output[twin.box].result()
    what = "output rows" if twin.join else "panes"
    print(f"\n{twin.page} {twin.box}: {len(printed)} Beam {what} compared", file=sys.stderr)
    differ = mismatches(printed, j.expected)
    assert not differ, f"{twin.page} box {twin.box!r}:\n" + "\n".join(differ[:20])
    if j.final is not None:  # the tab lists each window's last pane: lines Beam printed
        assert set(j.final) <= set(printed), f"{twin.page} box {twin.box!r}"


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: f"{t.page}:{t.box}")
def test_twin_runs_the_box_job(twin, jobs):
    """The twin's parameters are the box's: the tab reproduces the box, not a look-alike."""
    namespace, j = jobs[twin.box]
    report = namespace[twin.report]
    if twin.join:  # the twin's join, run by the course as the box runs it, is the box's join
        lower, upper, how = twin.join
        left, right = (namespace[name] for name in twin.inputs)
        mine = interval_join(
            left, right, lower=lower, upper=upper, watermark_delay=twin.watermark_delay, how=how
        )
        assert [join_line(m) for m in mine.matches] == [join_line(m) for m in report.matches]
    elif twin.early_count:  # the tab says: these are the panes the box prints, in both modes
        box = {
            mode: next(v for v in namespace.values() if getattr(v, "accumulation", None) == mode)
            for mode in ("accumulating", "discarding")
        }
        assert box["accumulating"] is report
        for r in box.values():
            assert (r.window, r.watermark_delay, r.allowed_lateness, r.aggregate) == (
                twin.window,
                twin.watermark_delay,
                twin.allowed_lateness,
                twin.aggregate,
            )
        lines = [trigger_line(mode, p) for mode, r in box.items() for p in r.panes]
        assert sorted(lines) == j.expected
    elif hasattr(report, "watermark_delay"):  # a stream report states its job
        box = (report.window, report.watermark_delay, report.allowed_lateness, report.aggregate)
        mine = (twin.window, twin.watermark_delay, twin.allowed_lateness, twin.aggregate)
        assert box == mine
    elif hasattr(report, "period"):  # a batch report
        assert (report.period, report.aggregate) == (twin.window.size, twin.aggregate)
    else:  # Kappa's new job, or a recovered job: the same windows, the same final values
        events = list(report.log) if hasattr(report, "log") else namespace["evs"]
        mine = run_stream(events, window=twin.window, watermark_delay=twin.watermark_delay)
        assert mine.final == (report.new_final if hasattr(report, "log") else report.final)


def test_tabs_name_the_beam_the_suite_runs():
    """The pip command in every tab pins the Beam version these tests run."""
    pins = (ROOT / "tests" / "engines" / "requirements-beam.txt").read_text().splitlines()
    assert f"apache-beam=={BEAM_VERSION}" in pins
