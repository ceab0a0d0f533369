"""Helpers for driving code boxes in the built site: finding them, editing, running, navigating."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

BOX = re.compile(r'<div class="code-preview" ([^>]*)>')
FINAL_STATES = ("success", "error", "stopped")
RUN_TIMEOUT_MS = 60_000
# After a run's wait timed out, how much longer to watch it: a run that ends late was slow, one
# that does not end at all is stuck, and the failure says which.
LATE_MS = 120_000


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if path.name != "404.html" and "assets" not in path.relative_to(site).parts
    )


def runnable_boxes(site: Path, page: str) -> list[str]:
    """The ids of the boxes on ``page`` that have a Run button and a build output to compare
    with (not ``static``, not an exercise's editor)."""
    ids = []
    for attrs in BOX.findall((site / page).read_text(encoding="utf-8")):
        if "data-static" in attrs or "data-exercise-box" in attrs:
            continue
        match = re.search(r'data-box="([^"]*)"', attrs)
        ids.append(match.group(1) if match else "")
    return ids


def pages_with_boxes(site: Path) -> list[str]:
    return [page for page in site_pages(site) if runnable_boxes(site, page)]


def box(page, box_id: str):
    return page.locator(f'.code-preview[data-box="{box_id}"]')


def wait_mounted(page) -> None:
    """Wait until every box of the current page has been taken over by the runner."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.code-preview')]"
        ".every((el) => el.classList.contains('code-preview--live'))"
    )


# What a box and the runner were doing, for a wait that timed out. From a folder (file://) the
# worker is a LazyWorker: `lazy` says whether the real worker exists yet and how many messages
# wait for it.
STATUS = """(el) => {
  const client = window.courseRunner?.client;
  const worker = client?.worker;
  return {
    state: el.dataset.state,
    output: el.querySelector('.code-preview-output')?.textContent.slice(-300),
    note: el.querySelector('.code-preview-note')?.textContent,
    starts: client?.starts,
    worker: Boolean(worker),
    lazy: worker && 'pending' in worker ? {
      started: Boolean(worker.worker),
      pending: worker.pending.length,
      terminated: worker.terminated,
    } : null,
    queued: client?.queue.length,
    active: Boolean(client?.active),
    posted: client?.active ? client.active.posted : null,
  };
}"""


def wait_state(root, states=FINAL_STATES, timeout: int = RUN_TIMEOUT_MS) -> str:
    try:
        root.page.wait_for_function(
            "([el, states]) => states.includes(el.dataset.state)",
            arg=[root.element_handle(), list(states)],
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        status = root.evaluate(STATUS)
        raise AssertionError(f"no state in {list(states)} after {timeout} ms: {status}") from None
    return root.get_attribute("data-state")


# Records every data-state a box takes from now on, in el.courseStates: a state held for less
# than a polling interval (a run refused at once goes prerendered -> loading -> prerendered) is
# still seen.
RECORD_STATES = """(el) => {
  el.courseStates = [];
  el.courseObserver?.disconnect();
  el.courseObserver = new MutationObserver(() => el.courseStates.push(el.dataset.state));
  el.courseObserver.observe(el, { attributes: true, attributeFilter: ["data-state"] });
}"""


def run(root, timeout: int = RUN_TIMEOUT_MS) -> str:
    """Click Run and wait for the run to end; return the final data-state.

    The run has ended when the box, having left its state at the click, shows a final state, or
    "prerendered" again: live Python refused to start, which fails at once with the box's note
    instead of a minute's wait. A wait that times out says which states the box went through
    and what the runner was doing.
    """
    root.evaluate(RECORD_STATES)
    root.get_by_role("button", name="Run", exact=True).click()
    ended = list(FINAL_STATES)
    try:
        root.page.wait_for_function(
            """([el, ended]) => el.courseStates.length > 0
                && (ended.includes(el.dataset.state) || el.dataset.state === "prerendered")""",
            arg=[root.element_handle(), ended],
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        status = root.evaluate(STATUS)
        states = root.evaluate("(el) => el.courseStates")
        raise AssertionError(
            f"the run did not end within {timeout} ms; states after the click {states}: {status};"
            f" {ended_late(root, ended)}"
        ) from None
    state = root.get_attribute("data-state")
    if state == "prerendered":
        raise AssertionError(f"live Python did not start: {root.evaluate(STATUS)}")
    return state


def ended_late(root, ended: list[str]) -> str:
    """Watch a run that did not end in time for ``LATE_MS`` more: slow, or stuck?"""
    began = time.monotonic()
    try:
        root.page.wait_for_function(
            "([el, ended]) => ended.includes(el.dataset.state)",
            arg=[root.element_handle(), ended],
            timeout=LATE_MS,
        )
    except PlaywrightTimeoutError:
        return f"still not ended {LATE_MS} ms later: {root.evaluate(STATUS)}"
    late = time.monotonic() - began
    return f"it ended {late:.1f} s later as {root.get_attribute('data-state')}"


def output(root) -> str:
    return root.locator(".code-preview-output").text_content()


def editor(root):
    """The box's CodeMirror content element, loading the editor if needed."""
    root.hover()
    content = root.locator(".cm-content")
    content.wait_for()
    return content


def code(root) -> str:
    return root.evaluate("(el) => window.courseRunner.boxes.get(el).code")


def set_code(root, text: str) -> None:
    """Replace the box's code as a reader would: select all, then paste ``text``."""
    content = editor(root)
    content.click()
    page = root.page
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)
    page.wait_for_function(
        "([el, text]) => window.courseRunner.boxes.get(el).code === text",
        arg=[root.element_handle(), text],
    )


def follow_link(page, href: str) -> None:
    """Go to ``href`` the way a reader does: a click on a link, which Material's instant
    navigation turns into a content swap (no page load)."""
    page.evaluate(
        "(href) => { window.__sameDocument = true; const a = document.createElement('a');"
        " a.href = href; a.textContent = 'go'; document.querySelector('.md-content').append(a);"
        " a.click(); }",
        href,
    )
    page.wait_for_url(href)
    assert page.evaluate("window.__sameDocument === true"), "the link loaded a new page"


# Text of the charts a box shows: inline SVG at build time, an <img> of a Blob URL when live.
CHART_TEXTS = """async (root) => {
  const texts = [];
  for (const figure of root.querySelectorAll('.code-preview-chart')) {
    const svg = figure.querySelector('svg');
    if (svg) { texts.push(svg.textContent); continue; }
    const img = figure.querySelector('img');
    const text = await (await fetch(img.src)).text();
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    texts.push(doc.documentElement.textContent);
  }
  return texts;
}"""


def chart_texts(root) -> list[str]:
    """The text inside each chart of the box, however it is drawn."""
    return root.evaluate(CHART_TEXTS)
