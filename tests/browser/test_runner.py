"""The live runner: every box runs in the browser and prints what the build printed."""

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
    site_pages,
    wait_mounted,
)

pytestmark = pytest.mark.browser


def test_the_site_has_runnable_boxes(site_dir):
    assert pages_with_boxes(site_dir), "no page of the built site has a runnable code box"


def test_every_box_runs_live_and_matches_the_build(warm_page, site_dir):
    page = warm_page.page
    first = True
    for path in pages_with_boxes(site_dir):
        if first:
            page.goto(warm_page.url(path))
            first = False
        else:
            follow_link(page, warm_page.url(path))  # instant navigation: Python stays warm
        wait_mounted(page)
        for box_id in runnable_boxes(site_dir, path):
            root = box(page, box_id)
            built_text = output(root)
            built_charts = chart_texts(root)
            state = run(root)
            assert state in {"success", "stopped"}, f"{path} {box_id}: {state}\n{output(root)}"
            assert output(root) == built_text, f"{path} {box_id}: live output differs"
            assert chart_texts(root) == built_charts, f"{path} {box_id}: charts differ"
            if root.evaluate("(el) => el.querySelector('.code-preview-chart')") is not None:
                # drawn as <img>, except diagrams: inlined, so that their slider reaches them
                assert root.locator(".code-preview-chart svg:not(.sim-diagram)").count() == 0


def test_no_request_leaves_the_origin(page, site_dir):
    """Open every page afresh, show interest in every box, run one: all requests stay local."""
    ran = False
    for path in site_pages(site_dir):
        page.page.goto(page.url(path))
        wait_mounted(page.page)
        roots = page.page.locator(".code-preview:not([data-static])")
        if not ran and roots.count():
            # Interest in every box loads Python and the editor; a run imports simulations.
            for i in range(roots.count()):
                roots.nth(i).hover()
            assert run(roots.first) in {"success", "stopped"}
            ran = True
        page.page.wait_for_load_state("networkidle")
    assert page.guard.requests, "no request was recorded"
    assert all(url.startswith(page.base_url) for url in page.guard.requests)


def test_python_starts_once_the_page_has_loaded_and_the_editor_on_interest(page, site_dir):
    """Speculative start: Python loads after the page's own load event, with no click; the
    editor (CodeMirror) only when the reader shows interest in a box."""
    path = pages_with_boxes(site_dir)[0]
    p = page.page
    events: list[str] = []
    p.on("load", lambda _: events.append("load"))
    p.on("request", lambda r: events.append(r.url))
    p.goto(page.url(path))
    p.wait_for_function("window.courseRunner.client.starts.length > 0", timeout=120_000)
    runtime = [i for i, url in enumerate(events) if "/vendor/pyodide/" in url]
    assert runtime, "Python did not start on a page with a box"
    assert events.index("load") < runtime[0], "Python competed with the page's own loading"
    assert not [url for url in page.guard.requests if "editor.js" in url]
    root = box(p, runnable_boxes(site_dir, path)[0])
    with p.expect_request(lambda r: r.url.endswith("editor.js")):
        root.hover()
    root.locator(".cm-content").wait_for()


def test_no_python_on_a_page_without_a_box(page, site_dir):
    path = next(p for p in site_pages(site_dir) if not runnable_boxes(site_dir, p))
    page.page.goto(page.url(path))
    page.page.wait_for_load_state("networkidle")
    # the page has gone idle: the speculative start, asked for when idle, would have run by now
    page.page.evaluate("() => new Promise((done) => requestIdleCallback(() => done()))")
    page.page.wait_for_load_state("networkidle")
    assert not [url for url in page.guard.requests if "/pyodide/" in url or "runner/worker" in url]


def test_instant_navigation_keeps_python_warm(page, site_dir):
    pages = pages_with_boxes(site_dir)
    if len(pages) < 2:
        pytest.skip("needs two pages with boxes")
    first, second = pages[0], pages[1]
    p = page.page
    p.goto(page.url(first))
    wait_mounted(p)
    assert run(box(p, runnable_boxes(site_dir, first)[0])) in {"success", "stopped"}
    p.evaluate("window.__worker = window.courseRunner.client.worker")
    # A real link of the page: the navigation sidebar or the footer links to the other page.
    link = p.locator(f'a[href$="{second.rsplit("/", 1)[-1]}"]').first
    if link.count() and link.is_visible():
        link.click()
    else:
        follow_link(p, page.url(second))
    p.wait_for_url(page.url(second))
    ids = runnable_boxes(site_dir, second)
    # The address changes before Material swaps the new page in: wait for the new page's boxes.
    p.wait_for_function(
        "(ids) => ids.every((id) => document.querySelector(`.code-preview[data-box='${id}']`))",
        arg=ids,
    )
    wait_mounted(p)
    assert p.evaluate("window.__worker === window.courseRunner.client.worker"), "Python restarted"
    assert p.evaluate("window.courseRunner.boxes.size") == p.locator(".code-preview").count()
    root = box(p, ids[0])
    assert run(root) == "success", output(root)  # warm: no reload of Python on the way
