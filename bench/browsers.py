"""Cold start of the live runner in Chromium, Firefox and WebKit, side by side in one run.

Run after `make build`:  .venv/bin/python bench/browsers.py [--rounds N] [--page PATH]

Each round opens the lesson page afresh in each engine, in turn (Chromium and Firefox in a new
browser context, so an empty cache; WebKit in its one session, a new page and a new worker),
clicks Run on its first box without hovering first, and times in the page, from the click:
the first line of output, and the end of the run. Prints the median, min and max per engine.
The figures depend heavily on the machine's load: compare engines within one run only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from guarded_page import CHROMIUM, CHROMIUM_ARGS, SITE  # noqa: E402
from other_engines import Firefox, WebKit  # noqa: E402
from runner_page import pages_with_boxes, runnable_boxes  # noqa: E402
from site_server import serve  # noqa: E402

MOUNTED = """() => [...document.querySelectorAll('.code-preview')]
  .every((el) => el.classList.contains('code-preview--live'))"""

# Click Run (no hover first), time the first output and the end of the run.
COLD_RUN = """async (id) => {
  const root = document.querySelector(`.code-preview[data-box="${id}"]`);
  const out = root.querySelector('.code-preview-output');
  const t0 = performance.now();
  let first = null;
  const done = new Promise((resolve) => {
    new MutationObserver(() => {
      if (first === null && root.dataset.state === 'running' && out.textContent.length) {
        first = performance.now() - t0;
      }
      if (['success', 'error', 'stopped'].includes(root.dataset.state)) {
        resolve({first: first ?? performance.now() - t0, done: performance.now() - t0,
                 state: root.dataset.state});
      }
    }).observe(root, {attributes: true, childList: true, subtree: true, characterData: true});
  });
  root.querySelector('button.code-preview-run').click();
  return await done;
}"""


class Chromium:
    """Debian's Chromium through Playwright, with the verbs of other_engines' drivers."""

    name = "Chromium"

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.version = self.browser.version
        self.context = None
        self.fresh()

    def fresh(self) -> None:
        if self.context:
            self.context.close()
        self.context = self.browser.new_context()
        self.context.set_default_timeout(300_000)
        self.page = self.context.new_page()

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def js(self, source: str, *args):
        return self.page.evaluate(f"(args) => ({source})(...args)", list(args))

    def wait(self, source: str) -> None:
        self.page.wait_for_function(source)

    def close(self) -> None:
        self.browser.close()
        self.playwright.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page", help="lesson page (default: the first with boxes)")
    args = parser.parse_args()
    page = args.page or next(p for p in pages_with_boxes(SITE) if p.startswith("lessons/"))
    box_id = runnable_boxes(SITE, page)[0]
    server, base = serve(SITE)
    engines = [Chromium(), Firefox(), WebKit()]
    times: dict[str, list[dict]] = {engine.name: [] for engine in engines}
    try:
        for _ in range(args.rounds):
            for engine in engines:
                if engine.name != "WebKit":
                    engine.fresh()  # a new context: empty cache and storage
                engine.goto("about:blank")
                engine.goto(base + page)
                engine.wait(MOUNTED)
                result = engine.js(COLD_RUN, box_id)
                assert result["state"] == "success", (engine.name, result)
                times[engine.name].append(result)
    finally:
        for engine in engines:
            engine.close()
        server.shutdown()
    print(f"Cold start, {page} box {box_id!r}, {args.rounds} rounds, click (no hover) to:")
    print(f"{'engine':<24} {'first output, median (min-max)':>32} {'run ended, median':>18}")
    for engine in engines:
        first = [t["first"] for t in times[engine.name]]
        done = [t["done"] for t in times[engine.name]]
        label = f"{engine.name} {engine.version}"
        spread = f"{statistics.median(first):,.0f} ms ({min(first):,.0f}-{max(first):,.0f})"
        print(f"{label:<24} {spread:>32} {statistics.median(done):>15,.0f} ms")


if __name__ == "__main__":
    main()
