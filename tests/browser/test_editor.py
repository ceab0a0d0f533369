"""The editor of a box: typing, pasting, keyboard shortcuts, saved edits, Reset and Copy."""

from __future__ import annotations

import pytest
from runner_page import (
    box,
    code,
    editor,
    output,
    pages_with_boxes,
    run,
    runnable_boxes,
    wait_mounted,
    wait_state,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def first_box(site_dir):
    path = pages_with_boxes(site_dir)[0]
    return path, runnable_boxes(site_dir, path)[0]


def test_buttons_have_accessible_names(page, site_dir, first_box):
    path, box_id = first_box
    page.page.goto(page.url(path))
    wait_mounted(page.page)
    root = box(page.page, box_id)
    for name in ("Run", "Stop", "Reset", "Copy"):
        assert root.get_by_role("button", name=name, exact=True).count() == 1
    assert root.locator(".code-preview-output").get_attribute("aria-live") == "polite"
    assert root.get_attribute("data-state") == "prerendered"
    static = page.page.locator(".code-preview[data-static]")
    for i in range(static.count()):
        assert static.nth(i).get_by_role("button", name="Run", exact=True).count() == 0


def test_typing_a_shortcut_run_and_an_edit_that_survives_reload(page, first_box):
    path, box_id = first_box
    p = page.page
    p.goto(page.url(path))
    wait_mounted(p)
    root = box(p, box_id)
    original = code(root)
    content = editor(root)
    content.click()
    p.keyboard.press("ControlOrMeta+a")
    p.keyboard.type("print('typed')")
    assert code(root) == "print('typed')"
    p.keyboard.press("ControlOrMeta+Enter")
    assert wait_state(root) == "success"
    assert output(root) == "typed\n"
    assert root.locator(".code-preview-edited").is_visible()

    p.reload()
    wait_mounted(p)
    root = box(p, box_id)
    assert code(root) == "print('typed')"
    assert root.locator(".code-preview-edited").is_visible()
    editor(root)  # the editor shows the saved code too
    assert "print('typed')" in root.locator(".cm-content").inner_text()

    root.get_by_role("button", name="Reset", exact=True).click()
    assert code(root) == original
    assert not root.locator(".code-preview-edited").is_visible()
    assert root.get_attribute("data-state") == "prerendered"
    saved = p.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('course-runner'))")
    assert saved == []
    p.reload()
    wait_mounted(p)
    assert code(box(p, box_id)) == original


def test_shift_enter_runs_and_auto_indent(page, first_box):
    path, box_id = first_box
    p = page.page
    p.goto(page.url(path))
    wait_mounted(p)
    root = box(p, box_id)
    editor(root).click()
    p.keyboard.press("ControlOrMeta+a")
    p.keyboard.type("for i in range(2):")
    p.keyboard.press("Enter")
    p.keyboard.type("print(i)")
    assert code(root) == "for i in range(2):\n    print(i)"
    p.keyboard.press("Shift+Enter")
    assert wait_state(root) == "success"
    assert output(root) == "0\n1\n"


def test_paste_select_all_and_copy(page, first_box):
    path, box_id = first_box
    p = page.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    p.goto(page.url(path))
    wait_mounted(p)
    root = box(p, box_id)
    editor(root).click()
    p.evaluate("navigator.clipboard.writeText('print(\"pasted\")')")
    p.keyboard.press("ControlOrMeta+a")
    p.keyboard.press("ControlOrMeta+v")
    p.wait_for_function(
        "(el) => window.courseRunner.boxes.get(el).code === 'print(\"pasted\")'",
        arg=root.element_handle(),
    )
    p.evaluate("navigator.clipboard.writeText('')")
    root.get_by_role("button", name="Copy", exact=True).click()
    p.wait_for_function(
        "async () => (await navigator.clipboard.readText()) === 'print(\"pasted\")'"
    )
    assert run(root) == "success"
    assert output(root) == "pasted\n"
    root.get_by_role("button", name="Reset", exact=True).click()


def test_tab_indents_and_escape_then_tab_leaves(page, first_box):
    path, box_id = first_box
    p = page.page
    p.goto(page.url(path))
    wait_mounted(p)
    root = box(p, box_id)
    editor(root).click()
    p.keyboard.press("ControlOrMeta+a")
    p.keyboard.press("Delete")
    p.keyboard.press("Tab")
    assert code(root) == "    "
    p.keyboard.press("Escape")
    p.keyboard.press("Tab")
    assert not p.evaluate(
        "(el) => el.contains(document.activeElement)", root.locator(".cm-editor").element_handle()
    )
    root.get_by_role("button", name="Reset", exact=True).click()
