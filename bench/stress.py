"""Browser suites under load, again and again: how often does a test fail that passed before?

Run from the repository root, after ``make build``:

    make stress                                   # tests/browser, 10 times
    make stress STRESS_RUNS=20 STRESS_TESTS=tests/browser/test_file_url.py

A test that waits for the browser can pass on an idle machine and fail on a busy one, one run in
several: a race, or a timeout too tight for a cold start. Such a failure does not show in one
run, so this runs the chosen tests ``runs`` times while one busy loop per core keeps every core
occupied (as on a shared CI machine), and prints, per run, its time and what failed, then how
often each test failed. Not part of CI: it takes as long as ``runs`` runs of the suites.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAILED = re.compile(r"^(FAILED|ERROR) (\S+)", re.MULTILINE)


def busy() -> None:
    """Keep one core occupied until ended."""
    while True:
        pass


def main(runs: int, tests: list[str]) -> int:
    if not (ROOT / "site" / "index.html").exists():
        print("site/ is not built: run `make build` first")
        return 2
    hogs = [multiprocessing.Process(target=busy, daemon=True) for _ in range(os.cpu_count() or 2)]
    for hog in hogs:
        hog.start()
    failures: Counter[str] = Counter()
    failed_runs = 0
    try:
        print(f"{len(hogs)} busy loops; {runs} runs of {' '.join(tests)}", flush=True)
        for n in range(1, runs + 1):
            start = time.monotonic()
            run = subprocess.run(
                [sys.executable, "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.monotonic() - start
            failed = [name for _, name in FAILED.findall(run.stdout)]
            failures.update(failed)
            failed_runs += run.returncode != 0
            verdict = (
                "passed"
                if run.returncode == 0
                else f"FAILED: {', '.join(failed) or run.returncode}"
            )
            print(f"run {n:>2}: {seconds:6.1f} s  {verdict}", flush=True)
            if run.returncode != 0:
                tail = run.stdout[-4000:]
                log = ROOT / "test-results" / f"stress-run-{n}.txt"
                log.parent.mkdir(exist_ok=True)
                log.write_text(run.stdout + run.stderr, encoding="utf-8")
                print(f"         (output in {log.relative_to(ROOT)})\n{tail[-600:]}", flush=True)
    finally:
        for hog in hogs:
            hog.terminate()
    print(f"\n{failed_runs} of {runs} runs failed")
    for name, n in failures.most_common():
        print(f"  {n} x {name}")
    return 1 if failed_runs else 0


if __name__ == "__main__":
    runs = int(os.environ.get("STRESS_RUNS", "10"))
    tests = sys.argv[1:] or ["tests/browser"]
    sys.exit(main(runs, tests))
