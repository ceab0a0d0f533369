"""How long `mkdocs serve` takes to start, and to show an edit in the browser.

Run after `make setup`:  .venv/bin/python bench/serve.py [--rounds N]

The project is copied to a temporary folder (the edits are made there, never in the checkout)
and served as `make serve` serves it. Chromium opens a lesson and keeps it open; each round
edits one file, as a contributor saves it, and times from the save until the open page shows the
edit (MkDocs' live reload: the rebuild, then the browser's reload). Figures, not tests [goal]:

  * start: the command to the first page served (the first build) [a few seconds more than a
    build];
  * a paragraph of a lesson [< 10 s];
  * a line of ``simulations`` every status panel prints (every box runs again) [a full build];
  * coursekit's own code (the server restarts itself, then builds) [a start].
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "build"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from guarded_page import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from sitebuild import build_env, copy_project  # noqa: E402

PAGE = "lessons/windows.html"
LESSON = "docs/lessons/windows.md"
SENTENCE = "A stream has two clocks."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(url: str, limit: float = 300.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} not served within {limit:g} s")


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: {old!r} not found once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def shows(page, text: str, limit: float = 600.0) -> float:
    """Seconds until the open page holds ``text`` (it reloads itself when the site changes)."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        try:
            if page.evaluate("t => document.body.textContent.includes(t)", text):
                return time.monotonic() - start
        except PlaywrightError:  # the page is reloading: its context is gone for now
            pass
        time.sleep(0.05)
    raise SystemExit(f"the page did not show {text!r} within {limit:g} s")


def builds(log: Path) -> list[str]:
    """The durations of the builds so far, as the server logged them."""
    return re.findall(r"Documentation built in ([0-9.]+) seconds", log.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="paragraph edits to time")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        project = copy_project(Path(tmp))
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        env = {**build_env(), "PYTHONPATH": str(project), "SITE_URL": url}
        env.setdefault("SOURCE_DATE_EPOCH", "315532800")
        mkdocs = [sys.executable, "-m", "mkdocs", "serve", "--strict"]
        log = project / "serve.log"
        server = subprocess.Popen(
            [*mkdocs, "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            # Ctrl-C ends it cleanly (a shell starts a background job with SIGINT ignored).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            started = wait_until_served(url + PAGE)
            print(f"start (first build, then serving): {started:.1f} s", flush=True)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url + PAGE)
                page.wait_for_timeout(1000)  # the live-reload script starts polling on load
                lesson = project / LESSON
                times = []
                previous = SENTENCE
                for n in range(1, args.rounds + 1):
                    edited = f"A stream has two clocks (edit {n})."
                    replace_once(lesson, previous, edited)
                    times.append(shows(page, edited))
                    previous = edited
                    page.wait_for_timeout(1000)
                print(
                    "a paragraph edit shown: "
                    + ", ".join(f"{t:.1f}" for t in times)
                    + f" s (median {statistics.median(times):.1f} s); "
                    + f"the rebuilds: {builds(log)[1:]} s",
                    flush=True,
                )
                replace_once(
                    project / "simulations" / "panel.py",
                    'f"Status: {status}",',
                    'f"Status: {status} (edited)",',
                )
                shown = shows(page, "(edited)")
                print(f"a simulations edit shown: {shown:.1f} s (build {builds(log)[-1]} s)")
                page.wait_for_timeout(1000)
                replace_once(
                    project / "coursekit" / "twin_tab.py",
                    "In the offline copy of this course,",
                    "In the offline copy of this course (edited),",
                )
                restarted = shows(page, "this course (edited)")
                print(f"a coursekit edit shown (restart): {restarted:.1f} s", flush=True)
                print(f"every build, as the server logged it: {builds(log)} s")
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs removes its temporary site
            server.wait(timeout=30)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
