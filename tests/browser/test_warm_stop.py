"""Stop keeps Python warm: the interpreter and what it imported survive, the next run is quick.

Where the interrupt cannot reach the code (a long call into C), Stop ends the worker after a short
grace period and a fresh one starts. The case where the interrupt cannot work at all (file:// in
Chromium) is in test_file_url.py.
"""

from __future__ import annotations

import pytest
from runner_page import box, output, pages_with_boxes, run, runnable_boxes, set_code, wait_state

pytestmark = pytest.mark.browser

STARTED = "window.courseRunner.client.starts.length"


@pytest.fixture
def root(page, site_dir):
    """The first runnable box of the site, on a fresh page, after one run (Python is warm)."""
    path = pages_with_boxes(site_dir)[0]
    page.page.goto(page.url(path))
    root = box(page.page, runnable_boxes(site_dir, path)[0])
    assert run(root) == "success", output(root)
    return root


def stop_when_running(root) -> None:
    root.get_by_role("button", name="Run", exact=True).click()
    wait_state(root, ("running",))
    root.page.wait_for_timeout(400)
    assert root.get_attribute("data-state") == "running"
    root.get_by_role("button", name="Stop", exact=True).click()


def test_stop_of_an_endless_loop_keeps_the_interpreter(root):
    page = root.page
    page.evaluate("window.__worker = window.courseRunner.client.worker")
    starts = page.evaluate(STARTED)
    set_code(
        root,
        "import simulations\nsimulations.stop_test_marker = 'kept'\nwhile True:\n    pass\n",
    )
    stop_when_running(root)
    assert wait_state(root, timeout=10_000) == "stopped"
    text = output(root)
    assert "[stopped at line 4 after" in text, text
    assert "KeyboardInterrupt" not in text and "Traceback" not in text
    assert page.evaluate("window.__worker === window.courseRunner.client.worker"), "worker ended"
    assert page.evaluate(STARTED) == starts, "Python was started again"

    # The same interpreter: the module it imported, and the change made to it, are still there.
    set_code(root, "import sys\nprint(sys.modules['simulations'].stop_test_marker)\n")
    assert run(root, timeout=10_000) == "success"
    assert output(root) == "kept\n"
    assert page.evaluate(STARTED) == starts


def test_stop_of_a_long_call_into_c_ends_the_worker_after_a_grace_period(root):
    """sum() over a range runs in C and never looks at the interrupt: the worker is ended."""
    page = root.page
    page.evaluate("window.__worker = window.courseRunner.client.worker")
    starts = page.evaluate(STARTED)
    set_code(root, "print('summing')\ntotal = sum(range(10**13))\n")
    stop_when_running(root)
    assert wait_state(root, timeout=15_000) == "stopped"
    assert "[stopped after" in output(root)
    assert page.evaluate("window.__worker !== window.courseRunner.client.worker"), "worker kept"
    set_code(root, "print(6 * 7)\n")
    assert run(root) == "success"
    assert output(root) == "42\n"
    assert page.evaluate(STARTED) == starts + 1


def test_a_keyboard_interrupt_the_code_raises_itself_is_an_error(root):
    set_code(root, "raise KeyboardInterrupt\n")
    assert run(root) == "error"
    assert "KeyboardInterrupt" in output(root)
