"""The offline copy's launcher, unpacked from the archive, serves a lesson whose box runs live."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from exercise_page import EXERCISES, WINDOW_START, PlaywrightEngine, check, expected, open_lesson
from guarded_page import open_page
from processes import readline_within
from runner_page import (
    box,
    chart_texts,
    output,
    pages_with_boxes,
    run,
    runnable_boxes,
    wait_mounted,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def launcher(offline_copy) -> Iterator[str]:
    """``python launch.py --no-browser --port 0`` in the unpacked copy; yields the URL it prints."""
    process = subprocess.Popen(
        [sys.executable, "launch.py", "--no-browser", "--port", "0"],
        cwd=offline_copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = readline_within(process)
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, f"the launcher printed {line!r}; stderr: {process.stderr.read()}"
        yield match.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def test_the_launcher_serves_a_lesson_whose_box_runs_live_and_checks_exercises(
    browser, launcher, site_dir
):
    path = next(p for p in pages_with_boxes(site_dir) if p.startswith("lessons/"))
    guarded = open_page(browser, launcher.rstrip("/"), launcher)
    try:
        page = guarded.page
        page.goto(guarded.url(path))
        wait_mounted(page)
        root = box(page, runnable_boxes(site_dir, path)[0])
        built_text, built_charts = output(root), chart_texts(root)
        assert run(root) in {"success", "stopped"}, output(root)
        assert output(root) == built_text
        assert chart_texts(root) == built_charts
        engine = PlaywrightEngine(page)
        open_lesson(engine, launcher)
        starter = expected(WINDOW_START, EXERCISES[WINDOW_START].starter)
        assert check(engine, WINDOW_START) == {"status": "failed", "text": starter["message"]}
        assert all(url.startswith(launcher) for url in guarded.guard.requests)
        guarded.guard.check()
    finally:
        guarded.context.close()
