"""Live Python from a folder on disk: the offline copy, unpacked and opened through file://.

Every request must stay on file:// (or blob:/data:); anything else is blocked and fails the test,
and so does any console error. The runtime arrives as the packed script runtime.pack.js.
"""

from __future__ import annotations

from collections.abc import Iterator

import exercise_page
import pytest
from guarded_page import LOAD_TIMEOUT_MS, GuardedPage, open_page
from runner_page import (
    box,
    chart_texts,
    code,
    output,
    pages_with_boxes,
    run,
    runnable_boxes,
    set_code,
    wait_mounted,
    wait_state,
)

pytestmark = pytest.mark.browser

PACK = "runtime.pack.js"
SAVED_KEYS = "() => Object.keys(localStorage).filter((k) => k.startsWith('course-runner:'))"


@pytest.fixture(scope="module")
def _disk_page(browser, offline_copy) -> Iterator[GuardedPage]:
    guarded = open_page(browser, "file://", (offline_copy / "site").as_uri() + "/")
    yield guarded
    guarded.context.close()


@pytest.fixture
def disk_page(_disk_page: GuardedPage) -> Iterator[GuardedPage]:
    """A guarded file:// page shared by this module's tests, so Python stays loaded."""
    _disk_page.guard.check()
    yield _disk_page
    _disk_page.guard.check()


@pytest.fixture(scope="module")
def lesson(site_dir) -> tuple[str, str]:
    path = next(p for p in pages_with_boxes(site_dir) if p.startswith("lessons/"))
    return path, runnable_boxes(site_dir, path)[0]


def open_lesson(guarded: GuardedPage, lesson: tuple[str, str]):
    path, box_id = lesson
    guarded.page.goto(guarded.url(path))
    wait_mounted(guarded.page)
    return box(guarded.page, box_id)


def test_a_box_runs_live_and_prints_what_the_build_printed(disk_page, lesson):
    root = open_lesson(disk_page, lesson)
    built_text, built_charts = output(root), chart_texts(root)
    assert run(root) in {"success", "stopped"}, output(root)
    assert root.locator(".code-preview-note").is_hidden()
    assert output(root) == built_text
    assert chart_texts(root) == built_charts
    requested = disk_page.guard.requests
    assert any(url.endswith(PACK) for url in requested), "the packed runtime was not used"
    assert not [url for url in requested if url.endswith((".wasm", ".mjs"))]


def test_stop_ends_an_endless_loop_and_the_next_run_works(disk_page, lesson):
    root = open_lesson(disk_page, lesson)
    built = output(root)
    set_code(root, "while True:\n    pass\n")
    root.get_by_role("button", name="Run", exact=True).click()
    wait_state(root, ("running",))
    # On file:// Chromium refuses the request Stop's interrupt relies on: the worker is ended.
    disk_page.page.evaluate("window.__worker = window.courseRunner.client.worker")
    root.get_by_role("button", name="Stop", exact=True).click()
    assert wait_state(root) == "stopped"
    assert disk_page.page.evaluate("window.__worker !== window.courseRunner.client.worker")
    root.get_by_role("button", name="Reset", exact=True).click()
    assert run(root) in {"success", "stopped"}  # a fresh worker from the bytes in memory
    assert output(root) == built


def test_an_edit_survives_a_reload_and_reset_forgets_it(disk_page, lesson):
    root = open_lesson(disk_page, lesson)
    text = "print('edited from a folder')\n"
    set_code(root, text)
    page = disk_page.page
    page.wait_for_function(f"() => ({SAVED_KEYS})().length === 1")
    page.reload()
    wait_mounted(page)
    root = box(page, lesson[1])
    assert code(root) == text
    assert root.locator(".code-preview-edited").is_visible()
    assert run(root) == "success"
    assert output(root) == "edited from a folder\n"
    root.get_by_role("button", name="Reset", exact=True).click()
    assert page.evaluate(SAVED_KEYS) == []


def test_a_cold_worker_left_idle_makes_no_snapshot_it_could_not_keep(disk_page, lesson):
    # From a folder the worker runs from a Blob URL: no address to keep a snapshot under. Idle
    # after a cold start (the speculative start, no click), it is asked for one like any cold
    # worker, and answers at once that it makes none, instead of importing every module and
    # compressing 31.5 MB that it could not store.
    open_lesson(disk_page, lesson)
    page = disk_page.page
    page.wait_for_function(
        "() => window.courseRunner.client.snapshots.length > 0", timeout=2 * LOAD_TIMEOUT_MS
    )
    assert page.evaluate("window.courseRunner.client.starts") == ["cold"]
    snapshots = page.evaluate("window.courseRunner.client.snapshots")
    assert snapshots == [{"type": "snapshot", "saved": False, "error": "no snapshot to make"}]


def test_an_exercise_is_checked_from_a_folder(disk_page):
    ex = exercise_page
    engine = ex.PlaywrightEngine(disk_page.page)
    ex.open_lesson(engine, disk_page.url())
    exercise = ex.EXERCISES[ex.WINDOW_START]
    starter = ex.expected(ex.WINDOW_START, exercise.starter)
    assert ex.check(engine, ex.WINDOW_START) == {"status": "failed", "text": starter["message"]}
    ex.set_code(engine, ex.WINDOW_START, exercise.solution)
    assert ex.check(engine, ex.WINDOW_START)["status"] == "passed"


def test_search_finds_a_glossary_term(disk_page):
    page = disk_page.page
    page.goto(disk_page.url("index.html"))
    page.locator(".md-search__input").click()
    page.keyboard.type("watermark")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for()
    # read every link at once: the list re-renders while the search refines its results
    hrefs = results.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert any("glossary.html" in href for href in hrefs), hrefs


def test_a_query_pasted_right_after_the_page_opens_finds_pages(disk_page):
    # From a folder the index is an inline script, ready before a fast reader has pasted: a
    # query that comes in one step, without a key (fill is one input event), must still run.
    page = disk_page.page
    page.goto(disk_page.url("index.html"))
    query = page.locator(".md-search__input")
    query.click()
    query.fill("watermark")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = results.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert any("glossary.html" in href for href in hrefs), hrefs


def test_where_the_runtime_cannot_load_a_box_points_to_the_launcher(browser, offline_copy, lesson):
    guarded = open_page(browser, "file://", (offline_copy / "site").as_uri() + "/")
    try:
        guarded.context.route(f"**/{PACK}", lambda route: route.abort())
        root = open_lesson(guarded, lesson)
        built = output(root)
        root.get_by_role("button", name="Run", exact=True).click()
        note = root.locator(".code-preview-note")
        note.wait_for()
        assert "python3 launch.py" in note.text_content()
        assert root.get_attribute("data-state") == "prerendered"
        assert output(root) == built
        root.get_by_role("button", name="Run", exact=True).click()  # says so again, at once
        assert root.get_attribute("data-state") == "prerendered"
        assert "python3 launch.py" in note.text_content()
        # The browser reports the blocked script itself; nothing else may complain.
        errors = guarded.guard.errors
        errors[:] = [e for e in errors if "Failed to load resource: net::ERR_FAILED" not in e]
        guarded.guard.check()
    finally:
        guarded.context.close()


def test_over_http_the_packed_runtime_is_never_loaded(page, lesson):
    root = open_lesson(page, lesson)
    root.hover()  # interest starts Python
    page.page.evaluate("() => window.courseRunner.client.ready")
    assert any(url.endswith("pyodide.asm.wasm") for url in page.guard.requests)
    assert not [url for url in page.guard.requests if url.endswith((PACK, "file-runtime.js"))]
