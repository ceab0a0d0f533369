"""Speed and size of the live runner in Chromium, measured against a bare Pyodide page.

Run after `make build`:  .venv/bin/python bench/browser.py [--rounds N] [--page PATH] [--box ID]

Prints three figures (goals in brackets):
  * cold click-to-first-output on a lesson box, against a bare page that only loads the same
    Pyodide files and runs one line, both in fresh browser contexts, alternating [ratio <= 1.1];
  * warm re-run medians [< 50 ms] of the lesson box, of the engine's default scenario
    (run_stream(generate_stream())) and of an empty box (the runner's own cost);
  * bytes a lesson page transfers before its first Run [< 500 KB], as served here (no
    compression) and gzip-compressed as GitHub Pages serves them;
  * how long the page takes to answer a script and paint a frame while a box runs an endless
    loop, and while it prints without end [< 1 s each; the tests only check it answers].
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from guarded_page import CHROMIUM, SITE  # noqa: E402
from guarded_page import CHROMIUM_ARGS as ARGS  # noqa: E402
from runner_page import (  # noqa: E402
    box,
    pages_with_boxes,
    runnable_boxes,
    set_code,
    wait_mounted,
    wait_state,
)
from site_server import serve  # noqa: E402

# The baseline: the same Pyodide files from the same server, loaded on click, one line run.
BARE = """<!doctype html><meta charset="utf-8"><title>bare Pyodide</title>
<button id="run">Run</button><pre id="out"></pre>
<script type="module">
const indexURL = new URL("/assets/javascripts/vendor/pyodide/", location.href).href;
document.getElementById("run").addEventListener("click", async () => {
  window.t0 = performance.now();
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const out = document.getElementById("out");
  const stdout = (line) => { out.textContent += line + "\\n"; };
  const py = await loadPyodide({ indexURL, stdout });
  py.runPython("print('hello')");
  window.firstOutput = performance.now() - window.t0;
});
</script>"""

# Click Run without moving the mouse (no hover prefetch), time until the first output text.
CLICK_TO_FIRST_OUTPUT = """async (root) => {
  const out = root.querySelector(".code-preview-output");
  const t0 = performance.now();
  const first = new Promise((resolve) => {
    new MutationObserver((_, obs) => {
      if (out.textContent.length) { obs.disconnect(); resolve(performance.now() - t0); }
    }).observe(out, { childList: true, subtree: true, characterData: true });
  });
  root.querySelector("button.code-preview-run").click();
  return await first;
}"""

# Click Run on a warm box, time until data-state says the run ended.
CLICK_TO_DONE = """async (root) => {
  const t0 = performance.now();
  const done = new Promise((resolve) => {
    new MutationObserver((_, obs) => {
      if (["success", "error", "stopped"].includes(root.dataset.state)) {
        obs.disconnect(); resolve([performance.now() - t0, root.dataset.state]);
      }
    }).observe(root, { attributes: true, attributeFilter: ["data-state"] });
  });
  root.querySelector("button.code-preview-run").click();
  return await done;
}"""


def pick_box(page_arg: str | None, box_arg: str | None) -> tuple[str, str]:
    pages = pages_with_boxes(SITE)
    # In the order of the course: the order of the home page's navigation links.
    home = (SITE / "index.html").read_text(encoding="utf-8")
    order = re.findall(r'href="([^"#]+\.html)" class="md-nav__link', home)
    pages.sort(key=lambda p: order.index(p) if p in order else len(order))
    if page_arg:
        pages = [page_arg]
    elif any(p.startswith("lessons/") for p in pages):
        pages = [p for p in pages if p.startswith("lessons/")]
    if not pages:
        sys.exit("no page with a runnable box in site/: run `make build`")
    page = pages[0]
    return page, box_arg or runnable_boxes(SITE, page)[0]


def cold_ours(browser, url: str, box_id: str) -> float:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        wait_mounted(page)
        page.wait_for_load_state("networkidle")
        return page.evaluate(CLICK_TO_FIRST_OUTPUT, box(page, box_id).element_handle())
    finally:
        context.close()


def cold_bare(browser, url: str) -> float:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.getElementById('run').click()")
        page.wait_for_function("window.firstOutput !== undefined", timeout=60_000)
        return page.evaluate("window.firstOutput")
    finally:
        context.close()


# Warm re-runs: the lesson box as written, the engine's default scenario, and an empty box.
DEFAULT_SCENARIO = """from simulations import generate_stream, run_stream

print(run_stream(generate_stream()).panel())
"""
WARM_CODES = {
    "the lesson box as written": None,
    "the default simulation, run_stream(generate_stream())": DEFAULT_SCENARIO,
    "the runner's own share (the box holding only `pass`)": "pass\n",
}


def warm_runs(browser, url: str, box_id: str, runs: int) -> dict[str, list[float]]:
    """Median-ready times of warm re-runs of each code in WARM_CODES, in the same box."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        wait_mounted(page)
        locator = box(page, box_id)
        root = locator.element_handle()

        def measure() -> list[float]:
            times = []
            for i in range(runs + 1):
                took, state = page.evaluate(CLICK_TO_DONE, root)
                if state != "success":
                    sys.exit(f"the box ended in state {state!r}")
                if i:  # the first run loads Python or imports the simulation
                    times.append(took)
            return times

        results = {}
        for name, code in WARM_CODES.items():
            if code is not None:
                set_code(locator, code)
            results[name] = measure()
        locator.get_by_role("button", name="Reset", exact=True).click()
        return results
    finally:
        context.close()


# Round trip of a script that waits for the next animation frame: the main thread is free.
FRAME_ROUND_TRIP = """() => {
  const t0 = performance.now();
  return new Promise((done) => requestAnimationFrame(() => done(performance.now() - t0)));
}"""

BUSY_CODES = {
    "an endless loop": "while True:\n    pass\n",
    "endless printing": "i = 0\nwhile True:\n    print(i)\n    i += 1\n",
}


def main_thread_while_busy(browser, url: str, box_id: str, probes: int = 10) -> dict:
    """Worst round trip (script + frame), in ms, over ``probes`` probes during each busy run."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        wait_mounted(page)
        locator = box(page, box_id)
        results = {}
        for name, code in BUSY_CODES.items():
            set_code(locator, code)
            locator.get_by_role("button", name="Run", exact=True).click()
            wait_state(locator, ("running",))
            worst = 0.0
            for _ in range(probes):
                t0 = time.perf_counter()
                page.evaluate(FRAME_ROUND_TRIP)
                worst = max(worst, (time.perf_counter() - t0) * 1000)
            results[name] = worst
            if locator.get_attribute("data-state") == "running":
                locator.get_by_role("button", name="Stop", exact=True).click()
            wait_state(locator)
        locator.get_by_role("button", name="Reset", exact=True).click()
        return results
    finally:
        context.close()


def bytes_before_run(browser, url: str) -> tuple[int, int, list[tuple[str, int]]]:
    context = browser.new_context()
    try:
        page = context.new_page()
        sizes: list[tuple[str, int]] = []

        def finished(request) -> None:
            response = request.response()
            if response is None:
                return
            body = request.sizes()["responseBodySize"]
            sizes.append((request.url, body + request.sizes()["responseHeadersSize"]))

        page.on("requestfinished", finished)
        page.goto(url)
        wait_mounted(page)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)
        raw = sum(size for _, size in sizes)
        gz = 0
        for request_url, size in sizes:
            path = SITE / urlsplit(request_url).path.lstrip("/")
            gz += len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else size
        return raw, gz, sizes
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="cold measurements per side")
    parser.add_argument("--runs", type=int, default=20, help="warm re-runs")
    parser.add_argument("--page", help="page to measure (path in site/), default: first lesson")
    parser.add_argument("--box", help="box id on that page, default: its first runnable box")
    args = parser.parse_args()
    if not (SITE / "index.html").exists():
        sys.exit("site/ is not built: run `make build` first")
    page_path, box_id = pick_box(args.page, args.box)

    from playwright.sync_api import sync_playwright

    server, base = serve(SITE, {"/__bench/bare.html": BARE})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            url = base + page_path
            print(f"page {page_path}, box {box_id!r}; Chromium {browser.version}")

            ours, bare = [], []
            cold_bare(browser, base + "__bench/bare.html")  # warm the OS file cache
            for _ in range(args.rounds):
                bare.append(cold_bare(browser, base + "__bench/bare.html"))
                ours.append(cold_ours(browser, url, box_id))
            o, b = statistics.median(ours), statistics.median(bare)
            print(
                f"cold click-to-first-output: ours {o:.0f} ms, bare Pyodide {b:.0f} ms, "
                f"ratio {o / b:.2f} (goal <= 1.10)"
            )
            print(f"  ours  {', '.join(f'{t:.0f}' for t in ours)} ms")
            print(f"  bare  {', '.join(f'{t:.0f}' for t in bare)} ms")

            print(f"warm re-run, median over {args.runs} runs (goal < 50 ms):")
            for name, times in warm_runs(browser, url, box_id, args.runs).items():
                print(
                    f"  {statistics.median(times):7.1f} ms  {name} "
                    f"(min {min(times):.1f}, max {max(times):.1f})"
                )

            raw, gz, sizes = bytes_before_run(browser, url)
            print(
                f"bytes before the first Run: {raw / 1000:.0f} KB as served here, "
                f"{gz / 1000:.0f} KB gzip-compressed (goal < 500 KB) in {len(sizes)} requests"
            )
            runner = sum(size for u, size in sizes if "/runner/" in u)
            print(f"  of which the runner (runner.js, runner.css): {runner / 1000:.1f} KB")
            for request_url, size in sorted(sizes, key=lambda item: -item[1])[:6]:
                print(f"  {size / 1000:7.1f} KB  {urlsplit(request_url).path}")

            print("main thread while a box runs, worst of 10 probes (goal < 1 s):")
            for name, worst in main_thread_while_busy(browser, url, box_id).items():
                print(f"  {worst:7.1f} ms  during {name}")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
