"""The offline copy's launcher, unpacked from the archive, serves a lesson whose box runs live."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from guarded_page import open_page
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


def readline_within(process: subprocess.Popen, seconds: float = 30.0) -> str:
    """The process's next line of output; fails (and kills it) if none comes within ``seconds``,
    so a hung launcher fails its test instead of hanging the run."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=seconds)
    except queue.Empty:
        process.kill()
        pytest.fail(f"{process.args} printed no line within {seconds:g} s")


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


def test_the_launcher_serves_a_lesson_whose_box_runs_live(browser, launcher, site_dir):
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
        assert all(url.startswith(launcher) for url in guarded.guard.requests)
        guarded.guard.check()
    finally:
        guarded.context.close()
