"""Running a real engine's job: its own virtualenv's Python, a file of jobs in, JSON rows out."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

ENGINES = Path(__file__).resolve().parent


def run_job(
    python: Path, script: str, jobs: list, folder: Path, *, timeout: float, make: str
) -> tuple[list[dict], float]:
    """Run ``script`` (beside this file) on ``jobs``; return the rows it wrote and its seconds.

    The job reads ``jobs.json`` and writes one JSON row per line to ``rows`` in ``folder``.
    ``make`` names the target that builds the virtualenv, for the message when it is missing.
    The job runs in a module-scoped fixture, inside the first test's time limit: a suite whose
    ``timeout`` is longer than pytest-timeout's 600 s must raise that limit with
    :func:`time_limit`, or pytest stops the job first.
    """
    if not python.exists():
        pytest.fail(f"{python} is missing: `{make}` makes it")
    (folder / "jobs.json").write_text(json.dumps(jobs))
    started = time.monotonic()
    try:
        done = subprocess.run(
            [str(python), str(ENGINES / script), "jobs.json", "rows"],
            cwd=folder,
            timeout=timeout,
            capture_output=True,
            text=True,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{script} did not finish in {timeout:.0f} s")
    if done.returncode:
        pytest.fail(f"{script} failed:\n{done.stderr[-4000:]}")
    out = folder / "rows"
    rows = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return rows, time.monotonic() - started


def time_limit(job_seconds: float):
    """A pytest-timeout mark that lets a job of ``job_seconds`` finish, with time to compare."""
    return pytest.mark.timeout(job_seconds + 120)
