"""Memory snapshots: made after a cold start, restored on the next visit, never trusted blindly.

A restored interpreter must print exactly what a cold one prints (and what the build printed), for
every box of the site; a damaged, foreign or stale snapshot must end in a cold start that works.
A reader who clicks Run before Python is ready still gets a snapshot, made after that run's output.
"""

from __future__ import annotations

import pytest
from runner_page import (
    box,
    chart_texts,
    follow_link,
    output,
    pages_with_boxes,
    run,
    runnable_boxes,
    set_code,
    wait_mounted,
    wait_state,
)

pytestmark = pytest.mark.browser

SNAPSHOT_TIMEOUT_MS = 180_000  # a cold start and a 30 MB gzip on a busy machine

STARTS = "window.courseRunner.client.starts"

# The stored snapshot's key, and a way to replace the entry (kind: damaged | foreign | stale).
STORED_KEY = """async () => {
  const cache = await caches.open("course-python");
  const [request] = await cache.keys();
  if (!request) return null;
  return (await cache.match(request)).headers.get("X-Snapshot-Key");
}"""
SPOIL = """async (kind) => {
  const cache = await caches.open("course-python");
  const [request] = await cache.keys();
  const stored = await cache.match(request);
  let key = stored.headers.get("X-Snapshot-Key");
  let body = new Uint8Array(await stored.arrayBuffer());
  if (kind === "damaged") {
    body[Math.floor(body.length / 2)] ^= 0xff;  // gzip's checksum no longer matches
  } else if (kind === "foreign") {
    // Valid gzip of bytes that are not a Pyodide snapshot, under the right key.
    const junk = new Uint8Array(1 << 20).fill(7);
    const gz = new Blob([junk]).stream().pipeThrough(new CompressionStream("gzip"));
    body = new Uint8Array(await new Response(gz).arrayBuffer());
  } else {
    key = key.replace(/^pyodide \\S+/, "pyodide 0.0.0");  // made by another Pyodide
  }
  const headers = { "Content-Type": "application/gzip", "X-Snapshot-Key": key };
  await cache.put(request, new Response(body, { headers }));
}"""


# Over http: when each Python worker is made (page time), before the runner's script runs.
WORKER_TIMES = """
window.__pythonWorkers = [];
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(url, options) {
    super(url, options);
    if (String(url).endsWith("/runner/worker.js")) window.__pythonWorkers.push(performance.now());
  }
};
"""

# Click Run; note whether Python was ready then, and when the output first showed and the run ended.
CLICK_AND_TIME = """(root) => {
  const times = (window.__runTimes = { output: null, end: null });
  const out = root.querySelector(".code-preview-output");
  new MutationObserver((_, observer) => {
    if (out.textContent.length) { times.output = performance.now(); observer.disconnect(); }
  }).observe(out, { childList: true, subtree: true, characterData: true });
  new MutationObserver((_, observer) => {
    if (["success", "error", "stopped"].includes(root.dataset.state)) {
      times.end = performance.now();
      observer.disconnect();
    }
  }).observe(root, { attributes: true, attributeFilter: ["data-state"] });
  const started = window.courseRunner.client.starts.length;
  root.querySelector("button.code-preview-run").click();
  return started;
}"""


def wait_for_snapshot(page) -> None:
    """Wait until this page's worker has stored a snapshot."""
    page.wait_for_function(
        "window.courseRunner.client.snapshots.some((s) => s.saved)", timeout=SNAPSHOT_TIMEOUT_MS
    )


def wait_started(page) -> str:
    page.wait_for_function(f"{STARTS}.length > 0", timeout=SNAPSHOT_TIMEOUT_MS)
    return page.evaluate(f"{STARTS}[0]")


@pytest.fixture
def first_lesson(site_dir) -> tuple[str, str]:
    path = pages_with_boxes(site_dir)[0]
    return path, runnable_boxes(site_dir, path)[0]


@pytest.fixture
def snapshotted(page, first_lesson):
    """A fresh browser profile whose first visit has stored a snapshot."""
    path, _ = first_lesson
    page.page.goto(page.url(path))
    assert wait_started(page.page) == "cold"  # the page is idle after loading: Python starts
    wait_for_snapshot(page.page)
    return page


def test_a_run_before_python_is_ready_still_leaves_a_snapshot_made_after_its_output(
    page, first_lesson
):
    """The run touches the interpreter first, so a helper worker makes the snapshot, and only
    after a quiet spell once the run is over: it never competes with the reader's runs."""
    path, box_id = first_lesson
    page.page.add_init_script(WORKER_TIMES)
    page.page.goto(page.url(path))
    wait_mounted(page.page)
    root = box(page.page, box_id)
    built_text, built_charts = output(root), chart_texts(root)
    assert root.evaluate(CLICK_AND_TIME) == 0, "Python was ready before the click"
    assert wait_state(root, timeout=SNAPSHOT_TIMEOUT_MS) in {"success", "stopped"}, output(root)
    assert output(root) == built_text
    wait_for_snapshot(page.page)
    saved = page.page.evaluate("window.courseRunner.client.snapshots.filter((s) => s.saved)")
    assert [s.get("helper") for s in saved] == [True]
    assert page.page.evaluate(STARTS) == ["cold"], "the reader's worker started once"
    workers = page.page.evaluate("window.__pythonWorkers")
    times = page.page.evaluate("window.__runTimes")
    assert len(workers) == 2, workers
    assert workers[0] < times["output"] <= times["end"] < workers[1], (workers, times)
    quiet = page.page.evaluate("window.courseRunner.client.helperQuiet")
    assert workers[1] - times["end"] >= quiet, "the helper waits for a quiet spell after the run"
    # The next visit starts from it, and prints what the build printed.
    page.page.goto(page.url(path))
    assert wait_started(page.page) == "snapshot"
    root = box(page.page, box_id)
    assert run(root) in {"success", "stopped"}
    assert output(root) == built_text
    assert chart_texts(root) == built_charts


def test_a_restored_interpreter_prints_what_the_build_printed_in_every_box(snapshotted, site_dir):
    page = snapshotted.page
    first = True
    for path in pages_with_boxes(site_dir):
        if first:
            page.goto(snapshotted.url(path))  # a new document: a new worker, from the snapshot
            assert wait_started(page) == "snapshot"
            first = False
        else:
            follow_link(page, snapshotted.url(path))
        wait_mounted(page)
        for box_id in runnable_boxes(site_dir, path):
            root = box(page, box_id)
            built_text, built_charts = output(root), chart_texts(root)
            state = run(root)
            assert state in {"success", "stopped"}, f"{path} {box_id}: {state}\n{output(root)}"
            assert output(root) == built_text, f"{path} {box_id}: restored output differs"
            assert chart_texts(root) == built_charts, f"{path} {box_id}: charts differ"
    assert page.evaluate(STARTS) == ["snapshot"]


def test_a_restored_interpreter_draws_fresh_random_numbers(snapshotted, first_lesson):
    path, box_id = first_lesson
    page = snapshotted.page
    drawn = []
    for _ in range(2):
        page.goto(snapshotted.url(path))
        root = box(page, box_id)
        set_code(root, "import random\nprint(random.random())\n")
        assert run(root) == "success"
        assert page.evaluate(STARTS) == ["snapshot"]
        drawn.append(output(root))
    assert drawn[0] != drawn[1], "two restored interpreters repeated the snapshot's random state"


def test_a_restored_interpreter_has_every_simulation_imported(snapshotted, first_lesson):
    """A cold start imports only what its first box needs; the snapshot is made once every
    simulation module is imported, so no box pays for an import after a restore."""
    path, box_id = first_lesson
    page = snapshotted.page
    page.goto(snapshotted.url(path))
    root = box(page, box_id)
    set_code(
        root,
        "import sys, simulations\n"
        "wanted = {f'simulations.{m}' for m in simulations._WHERE.values()}\n"
        "print(len(wanted), sorted(wanted - set(sys.modules)))\n",
    )
    assert run(root) == "success"
    assert page.evaluate(STARTS) == ["snapshot"]
    count, missing = output(root).split(" ", 1)
    assert int(count) > 10 and missing == "[]\n"


@pytest.mark.parametrize(
    ("kind", "start"),
    [("damaged", "cold"), ("foreign", "cold after a failed snapshot"), ("stale", "cold")],
)
def test_a_bad_snapshot_falls_back_to_a_cold_start(snapshotted, first_lesson, kind, start):
    path, box_id = first_lesson
    page = snapshotted.page
    key = page.evaluate(STORED_KEY)
    page.evaluate(SPOIL, kind)
    page.goto(snapshotted.url(path))
    assert wait_started(page) == start
    wait_for_snapshot(page)  # a good one takes its place
    assert page.evaluate(STORED_KEY) == key
    root = box(page, box_id)
    built = output(root)
    assert run(root) in {"success", "stopped"}, output(root)
    assert output(root) == built
    page.goto(snapshotted.url(path))
    assert wait_started(page) == "snapshot"
