"""Live Python from a folder on disk (file://) against the same site over loopback http.

Run after `make build`:  .venv/bin/python bench/file_url.py [--rounds N]

Prints, from one run on one machine:
  * cold click-to-first-output on the first lesson box, the offline copy (offline/bundle.py,
    unpacked into a temporary folder) opened through file:// against the built site served on
    127.0.0.1, each in a fresh browser context, alternating [goal: file:// within 1.2x of http];
  * the size of the packed runtime (runtime.pack.js, in the offline copy only): raw files, gzip,
    and gzip+base64 as shipped.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "offline"))

import bundle  # noqa: E402
from browser import ARGS, CHROMIUM, SITE, lesson_pages, ours_first_output  # noqa: E402
from runner_page import runnable_boxes  # noqa: E402
from site_server import serve  # noqa: E402


def offline_copy(folder: Path) -> Path:
    """The offline zip of the built site, unpacked into ``folder``: its site folder."""
    archive = bundle.bundle(SITE, folder / "course.zip", epoch=bundle.EARLIEST_ZIP_TIME)
    with zipfile.ZipFile(archive) as unpacked:
        unpacked.extractall(folder)
    return folder / bundle.NAME / "site"


def cold_ours(browser, url: str, box_id: str) -> float:
    """Click to first output in a fresh context, clicked right after the page has loaded."""
    context = browser.new_context()
    try:
        return ours_first_output(context.new_page(), url, box_id, 0)
    finally:
        context.close()


def pack_sizes(pack: Path) -> tuple[int, int, int, list[tuple[str, int]]]:
    """(raw bytes of the packed files, gzip bytes, bytes of the script, [(name, size)])."""
    text = pack.read_text(encoding="ascii")
    value = json.loads(text[text.index("=") + 1 : text.rindex(";")])
    files = [(name, size) for name, size in value["files"]]
    raw = sum(size for _, size in files) + len(value["worker"].encode())
    return raw, len(base64.b64decode(value["gzip"])), len(text.encode()), files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="cold measurements per side")
    args = parser.parse_args()
    if not (SITE / "index.html").exists():
        sys.exit("site/ is not built: run `make build` first")
    page_path = lesson_pages()[0]
    box_id = runnable_boxes(SITE, page_path)[0]
    with tempfile.TemporaryDirectory() as folder:
        measure(offline_copy(Path(folder)), page_path, box_id, args.rounds)


def measure(copy: Path, page_path: str, box_id: str, rounds: int) -> None:
    raw, gz, shipped, files = pack_sizes(copy / bundle.PACK)
    print(
        f"packed runtime: {raw / 1e6:.2f} MB raw, {gz / 1e6:.2f} MB gzip, "
        f"{shipped / 1e6:.2f} MB as runtime.pack.js (gzip + base64)"
    )
    for name, size in files:
        print(f"  {size / 1e6:7.3f} MB  {name}")

    from playwright.sync_api import sync_playwright

    server, base = serve(SITE)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"page {page_path}, box {box_id!r}; Chromium {browser.version}")
            http_url = base + page_path
            file_url = (copy / page_path).as_uri()
            cold_ours(browser, http_url, box_id)  # warm the OS file cache for both sides
            cold_ours(browser, file_url, box_id)
            over_http, from_disk = [], []
            for _ in range(rounds):
                over_http.append(cold_ours(browser, http_url, box_id))
                from_disk.append(cold_ours(browser, file_url, box_id))
            f, h = statistics.median(from_disk), statistics.median(over_http)
            print(
                f"cold click-to-first-output: file:// {f:.0f} ms, http {h:.0f} ms, "
                f"ratio {f / h:.2f} (goal <= 1.20)"
            )
            print(f"  file:// {', '.join(f'{t:.0f}' for t in from_disk)} ms")
            print(f"  http    {', '.join(f'{t:.0f}' for t in over_http)} ms")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
