"""Every "On a real engine" tab: its Beam pipeline, run on the box's events, prints the tab's lines.

The pipelines run on Apache Beam's DirectRunner in the Beam virtualenv (``make`` builds it);
what they must print is computed by the course engine under ``semantics="beam"``. A pipeline or
an engine change that breaks the match fails here, naming the lesson and the box.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from coursekit.twin_tab import calls, twin_job
from coursekit.twins import BEAM_VERSION, FENCE_CODE, PIPELINES, TWINS, Job, last_panes, run_box
from simulations import run_stream

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BEAM_PYTHON = Path(os.environ.get("BEAM_PYTHON", ROOT / ".venv-beam" / "bin" / "python"))


def run_pipeline(j: Job, tmp: Path) -> list[str]:
    events = tmp / j.events_file
    events.write_text(j.events_jsonl())
    cmd = [str(BEAM_PYTHON), str(PIPELINES / j.twin.pipeline), "--events", str(events), *j.flags]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"{j.twin.page} {j.twin.box}: {proc.stderr[-2000:]}"
    lines = sorted(line for line in proc.stdout.splitlines() if line.strip())
    return last_panes(lines) if j.twin.compare == "final" else lines


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
def beam_output(jobs, tmp_path_factory) -> dict[str, list[str]]:
    assert BEAM_PYTHON.exists(), f"no Beam virtualenv at {BEAM_PYTHON}: run make"
    tmp = tmp_path_factory.mktemp("twins")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {box: pool.submit(run_pipeline, j, tmp) for box, (_, j) in jobs.items()}
        results = {box: f.result() for box, f in futures.items()}
    panes = sum(len(lines) for lines in results.values())
    print(f"\nBeam twins: {len(results)} pipelines, {panes} panes compared", file=sys.stderr)
    return results


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: f"{t.page}:{t.box}")
def test_pipeline_prints_what_the_tab_shows(twin, jobs, beam_output):
    _, j = jobs[twin.box]
    assert j.expected, "a twin with nothing to compare proves nothing"
    assert beam_output[twin.box] == j.expected, f"{twin.page} box {twin.box!r}"


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: f"{t.page}:{t.box}")
def test_twin_runs_the_box_job(twin, jobs):
    """The twin's parameters are the box's: the tab reproduces the box, not a look-alike."""
    namespace, _ = jobs[twin.box]
    report = namespace[twin.report]
    if hasattr(report, "watermark_delay"):  # a stream report states its job
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
