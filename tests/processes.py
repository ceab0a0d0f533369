"""Helpers for tests that start a process and read what it prints."""

from __future__ import annotations

import queue
import subprocess
import threading

import pytest


def readline_within(process: subprocess.Popen, seconds: float = 30.0) -> str:
    """The process's next line of output; fails (and kills it) if none comes within ``seconds``,
    so a hung process fails its test instead of hanging the run."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=seconds)
    except queue.Empty:
        process.kill()
        pytest.fail(f"{process.args} printed no line within {seconds:g} s")
