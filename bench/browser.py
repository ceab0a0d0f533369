"""Speed and size of the live runner in Chromium, side by side with a bare Pyodide page.

Run after `make build`:  .venv/bin/python bench/browser.py [--rounds N] [--page PATH] [--box ID]

Every figure is measured in this one run, against a bare page that loads the same Pyodide files
from the same server on click and prints one line (goals in brackets). Figures, not tests: on a
busy machine they move a lot from run to run.

  * first visit, click right after the page has loaded: click to first output [ratio <= 1.1];
  * first visit, click 3 s after load (the speculative start has had time) [ratio <= 0.5];
  * repeat visit, Python restored from the memory snapshot the first visit made [ratio <= 0.5];
  * Stop of `while True: pass` to the next run's first output [< 300 ms], and whether the worker
    was kept;
  * warm re-run of the heaviest lesson box [< 50 ms], and the runner's own share (a box holding
    only `pass`);
  * bytes before the first Run on a lesson page [<= 500 KB uncompressed]: the page's own files,
    apart from the Python runtime the speculative start fetches, first visit and next page;
  * how long the page takes to answer a script and paint a frame while a box runs an endless
    loop, and while it prints without end [< 1 s each; the tests only check it answers].
"""

from __future__ import annotations

import argparse
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
    code,
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

# Click Run without moving the mouse, time until the first output text.
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

# Run a code through the page's client, time each run until it ends.
WARM_RUNS = """async ([code, n]) => {
  const client = window.courseRunner.client;
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const outcome = await new Promise((resolve) => client.run(code, { onEnd: resolve }));
    if (outcome.state !== "success") throw new Error(outcome.error || outcome.state);
    times.push(performance.now() - t0);
  }
  return times;
}"""

# Stop `while True: pass` in the box, then run a print: time from the Stop click.
STOP_TO_NEXT_OUTPUT = """async (root) => {
  const box = window.courseRunner.boxes.get(root);
  const client = window.courseRunner.client;
  const until = (test) => new Promise((resolve) => {
    const poll = () => (test() ? resolve() : setTimeout(poll, 1));
    poll();
  });
  box.setCode("while True:\\n    pass\\n");
  root.querySelector("button.code-preview-run").click();
  await until(() => root.dataset.state === "running");
  await new Promise((resolve) => setTimeout(resolve, 500));
  const worker = client.worker;
  const t0 = performance.now();
  root.querySelector("button.code-preview-stop").click();
  await until(() => root.dataset.state === "stopped");
  const stopped = performance.now() - t0;
  box.setCode("print('after stop')\\n");
  root.querySelector("button.code-preview-run").click();
  const out = root.querySelector(".code-preview-output");
  await until(() => out.textContent.includes("after stop"));
  return [stopped, performance.now() - t0, worker === client.worker];
}"""

RUNTIME = ("/vendor/pyodide/", "/runner/worker", "/runner/simulations.zip")


def lesson_pages() -> list[str]:
    pages = [p for p in pages_with_boxes(SITE) if p.startswith("lessons/")]
    return pages or pages_with_boxes(SITE)


def ours_first_output(page, url: str, box_id: str, after_load_ms: int) -> float:
    page.goto(url, wait_until="load")
    wait_mounted(page)
    if after_load_ms:
        page.wait_for_timeout(after_load_ms)
    return page.evaluate(CLICK_TO_FIRST_OUTPUT, box(page, box_id).element_handle())


def bare_first_output(page, url: str, after_load_ms: int) -> float:
    page.goto(url, wait_until="load")
    if after_load_ms:
        page.wait_for_timeout(after_load_ms)
    page.evaluate("document.getElementById('run').click()")
    page.wait_for_function("window.firstOutput !== undefined", timeout=180_000)
    return page.evaluate("window.firstOutput")


def side_by_side(browser, base: str, url: str, box_id: str, rounds: int) -> dict[str, tuple]:
    """Cold and repeat-visit figures, ours and bare alternating, each in fresh contexts."""
    bare_url = base + "__bench/bare.html"
    figures: dict[str, tuple[list, list]] = {
        "first visit, click right after load": ([], []),
        "first visit, click 3 s after load": ([], []),
        "repeat visit (ours: from the snapshot)": ([], []),
    }
    for _ in range(rounds):
        for after, name in ((0, "first visit, click right after load"),
                            (3000, "first visit, click 3 s after load")):  # fmt: skip
            context = browser.new_context()
            figures[name][1].append(bare_first_output(context.new_page(), bare_url, after))
            context.close()
            context = browser.new_context()
            figures[name][0].append(ours_first_output(context.new_page(), url, box_id, after))
            context.close()
        # Repeat visit: a first visit that leaves the snapshot (ours) and the HTTP cache (both).
        context = browser.new_context()
        page = context.new_page()
        bare_first_output(page, bare_url, 0)
        page.close()
        figures["repeat visit (ours: from the snapshot)"][1].append(
            bare_first_output(context.new_page(), bare_url, 0)
        )
        context.close()
        context = browser.new_context()
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_function(
            "window.courseRunner.client.snapshots.some((s) => s.saved)", timeout=300_000
        )
        page.close()
        page = context.new_page()
        figures["repeat visit (ours: from the snapshot)"][0].append(
            ours_first_output(page, url, box_id, 0)
        )
        start = page.evaluate("window.courseRunner.client.starts")
        if start != ["snapshot"]:
            sys.exit(f"the repeat visit did not start from the snapshot: {start}")
        context.close()
    return figures


def heaviest_box(browser, base: str, runs: int) -> tuple[str, str, list[float], list[float]]:
    """Find the lesson box with the slowest warm re-run; time it and an empty box."""
    context = browser.new_context()
    try:
        page = context.new_page()
        slowest = (0.0, "", "", "")
        for path in lesson_pages():
            page.goto(base + path)
            wait_mounted(page)
            for box_id in runnable_boxes(SITE, path):
                text = code(box(page, box_id))
                took = statistics.median(page.evaluate(WARM_RUNS, [text, 4])[1:])
                slowest = max(slowest, (took, path, box_id, text))
        _, path, box_id, text = slowest
        heavy = page.evaluate(WARM_RUNS, [text, runs + 1])[1:]
        empty = page.evaluate(WARM_RUNS, ["pass\n", runs + 1])[1:]
        return path, box_id, heavy, empty
    finally:
        context.close()


def stop_to_next_output(browser, url: str, box_id: str, rounds: int) -> list[list]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        root = box(page, box_id).element_handle()
        page.evaluate(CLICK_TO_FIRST_OUTPUT, root)  # Python warm
        page.wait_for_function("el => el.dataset.state === 'success'", arg=root, timeout=180_000)
        return [page.evaluate(STOP_TO_NEXT_OUTPUT, root) for _ in range(rounds)]
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
        for name, text in BUSY_CODES.items():
            set_code(locator, text)
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


def bytes_before_run(browser, base: str, first: str, second: str) -> list[tuple]:
    """Sizes of what a lesson page transfers before any Run: first visit, then another page
    opened afresh in the same profile (the browser's cache holds the shared files)."""
    context = browser.new_context()
    results = []
    try:
        for path in (first, second):
            page = context.new_page()
            sizes: list[tuple[str, int]] = []

            def finished(request, sizes=sizes) -> None:
                if request.response() is None:
                    return
                measured = request.sizes()
                body, headers = measured["responseBodySize"], measured["responseHeadersSize"]
                sizes.append((request.url, body + headers))

            page.on("requestfinished", finished)
            page.goto(base + path, wait_until="load")
            wait_mounted(page)
            page.wait_for_timeout(2000)  # not "networkidle": the runtime may still be arriving
            own = [(u, n) for u, n in sizes if not any(part in u for part in RUNTIME)]
            runtime = sum(n for u, n in sizes if any(part in u for part in RUNTIME))
            results.append((path, own, runtime))
            page.close()
        return results
    finally:
        context.close()


def summary(times: list[float]) -> str:
    return f"{statistics.median(times):.0f} ms (runs: {', '.join(f'{t:.0f}' for t in times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="measurements per side")
    parser.add_argument("--runs", type=int, default=20, help="warm re-runs")
    parser.add_argument("--page", help="lesson page to measure (path in site/)")
    parser.add_argument("--box", help="box id on that page, default: its first runnable box")
    args = parser.parse_args()
    if not (SITE / "index.html").exists():
        sys.exit("site/ is not built: run `make build` first")
    pages = lesson_pages()
    page_path = args.page or pages[0]
    box_id = args.box or runnable_boxes(SITE, page_path)[0]

    from playwright.sync_api import sync_playwright

    server, base = serve(SITE, {"/__bench/bare.html": BARE})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            url = base + page_path
            print(f"page {page_path}, box {box_id!r}; Chromium {browser.version}")

            context = browser.new_context()  # warm the OS file cache
            bare_first_output(context.new_page(), base + "__bench/bare.html", 0)
            context.close()
            goals = (1.1, 0.5, 0.5)
            for (name, (ours, bare)), goal in zip(
                side_by_side(browser, base, url, box_id, args.rounds).items(), goals, strict=True
            ):
                o, b = statistics.median(ours), statistics.median(bare)
                print(
                    f"{name}: ours {o:.0f} ms, bare {b:.0f} ms, ratio {o / b:.2f} (goal <= {goal})"
                )
                print(f"  ours {summary(ours)}\n  bare {summary(bare)}")

            stops = stop_to_next_output(browser, url, box_id, args.rounds)
            print(
                "Stop to the next run's first output (goal < 300 ms): "
                f"{statistics.median(s[1] for s in stops):.0f} ms median; Stop to 'stopped' "
                f"{statistics.median(s[0] for s in stops):.0f} ms; "
                f"worker kept: {all(s[2] for s in stops)}"
            )

            path, heavy_id, heavy, empty = heaviest_box(browser, base, args.runs)
            print(f"warm re-run, median of {args.runs} (goal < 50 ms):")
            print(f"  heaviest lesson box {path} {heavy_id!r}: {statistics.median(heavy):.1f} ms "
                  f"(min {min(heavy):.1f})")  # fmt: skip
            print(
                "  the runner's own share (a box holding `pass`): "
                f"{statistics.median(empty):.1f} ms"
            )

            second = next((p for p in pages if p != page_path), page_path)
            for path, own, runtime in bytes_before_run(browser, base, page_path, second):
                total = sum(n for _, n in own)
                print(
                    f"bytes before the first Run, {path}: {total / 1000:.0f} KB in {len(own)} "
                    f"files (goal <= 500 KB), plus {runtime / 1000:.0f} KB of Python runtime "
                    "fetched by the speculative start"
                )
                for request_url, size in sorted(own, key=lambda item: -item[1])[:6]:
                    print(f"  {size / 1000:7.1f} KB  {urlsplit(request_url).path}")

            print("main thread while a box runs, worst of 10 probes (goal < 1 s):")
            for name, worst in main_thread_while_busy(browser, url, box_id).items():
                print(f"  {worst:7.1f} ms  during {name}")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
