"""How long a Check takes: the heaviest exercises of the course, warm, in Chromium.

Run after `make build`:  .venv/bin/python bench/exercises.py [--top N] [--runs N]

Every exercise of docs/ is graded with its own solution in CPython first (warm, median of 3):
that is the check's own cost, which the browser pays about twice over (Pyodide). The ``--top``
heaviest are then checked in Chromium, warm (Python loaded, the exercise checked once), ``--runs``
times 100 ms apart, from the click on Check to the result painted [goal < 200 ms]. The lightest
exercise shows the runner's own share. Figures, not tests: on a busy machine they move.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from exercise_page import CLICK_TO_RESULT, MOUNTED, PlaywrightEngine, check, set_code  # noqa: E402
from guarded_page import CHROMIUM, CHROMIUM_ARGS, SITE  # noqa: E402
from site_server import serve  # noqa: E402

from coursekit.exercises import exercises_in  # noqa: E402
from simulations.grading import grade  # noqa: E402


def cpython_ms(exercise) -> float:
    grade(exercise.solution, exercise.solution, exercise.check)
    times = []
    for _ in range(3):
        began = time.perf_counter()
        grade(exercise.solution, exercise.solution, exercise.check)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    found = [
        (path.relative_to(ROOT / "docs").with_suffix(".html").as_posix(), e)
        for path in sorted((ROOT / "docs").rglob("*.md"))
        for e in exercises_in(path.read_text(encoding="utf-8"))
    ]
    costs = sorted(((cpython_ms(e), page, e) for page, e in found), key=lambda r: -r[0])
    chosen = [*costs[: args.top], costs[-1]]  # the heaviest, and the lightest (the runner's share)
    from playwright.sync_api import sync_playwright

    server, url = serve(SITE)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            engine = PlaywrightEngine(page)
            print(
                f"Chromium {browser.version}, {len(found)} exercises, {args.runs} warm checks each"
            )
            print(f"{'exercise':<52} {'CPython':>9} {'median':>9} {'min':>9}")
            for cost, html, exercise in chosen:
                if engine.url() != url + html:
                    engine.goto(url + html)
                    engine.wait(MOUNTED)
                set_code(engine, exercise.exercise_id, exercise.solution)
                verdict = check(engine, exercise.exercise_id)
                assert verdict["status"] == "passed", verdict
                times = []
                for _ in range(args.runs):
                    page.wait_for_timeout(100)
                    times.append(page.evaluate(CLICK_TO_RESULT, exercise.exercise_id))
                name = f"{html.removeprefix('lessons/')}#{exercise.exercise_id}"
                print(
                    f"{name:<52} {cost:>6.1f} ms {statistics.median(times):>6.1f} ms "
                    f"{min(times):>6.1f} ms"
                )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
