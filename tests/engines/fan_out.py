"""Run a Beam job's groups of streams in processes of their own, two at a time (standard library
only: it runs in the engine's virtualenv).

Beam's DirectRunner runs one pipeline per process well; a job script calls ``fan_out`` with the
number of groups, and each child runs ``script CASES PANES.n n`` for one group. Their rows are
joined into PANES in group order.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def fan_out(script: str, cases_path: str, panes_path: str, count: int) -> None:
    waiting = list(range(count))
    running: list[subprocess.Popen] = []
    while waiting or running:
        while waiting and len(running) < 2:
            n = waiting.pop(0)
            args = [sys.executable, script, cases_path, f"{panes_path}.{n}", str(n)]
            running.append(subprocess.Popen(args))
        running[0].wait()
        if running[0].returncode:
            raise SystemExit(f"Beam pipeline {running[0].args[-1]} failed")
        running.pop(0)
    with open(panes_path, "w") as out:
        for n in range(count):
            part = Path(f"{panes_path}.{n}")
            if part.exists():
                out.write(part.read_text())
