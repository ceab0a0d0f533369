"""Keyboard only: a box, the Progress dialog, the skill matrix and the Velocity Hub's dials are
reached with Tab and used with Enter, Escape and the arrow keys; focus is visible on each."""

from __future__ import annotations

import pytest
from runner_page import box, output, pages_with_boxes, runnable_boxes, wait_mounted, wait_state

pytestmark = pytest.mark.browser

TABS = 400  # far more than any page has stops before its content

FOCUS = """(selector) => { const el = document.activeElement;
  return !!el && el.matches(selector); }"""
# A focus indicator: an outline or a ring drawn with box-shadow, of some width. In the editor
# CodeMirror draws it on the editor's frame (.cm-editor.cm-focused), not on the text itself.
VISIBLE_FOCUS = """() => { let el = document.activeElement;
  if (!el.matches(':focus-visible')) return false;
  el = el.closest('.cm-editor.cm-focused') || el;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== 'none'; }"""


def tab_to(page, selector: str, backwards: bool = False) -> None:
    """Press Tab until the focused element matches ``selector``; fail if it never does."""
    for _ in range(TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(FOCUS, selector):
            assert page.evaluate(VISIBLE_FOCUS), f"focus on {selector} is not visible"
            return
    pytest.fail(f"Tab never reached {selector}")


def test_a_box_runs_and_its_code_is_edited_from_the_keyboard(page, site_dir):
    path = pages_with_boxes(site_dir)[0]
    box_id = runnable_boxes(site_dir, path)[0]
    p = page.page
    p.goto(page.url(path))
    wait_mounted(p)
    root = box(p, box_id)
    built = output(root)
    tab_to(p, f'.code-preview[data-box="{box_id}"] .code-preview-run')
    p.keyboard.press("Enter")
    assert wait_state(root) == "success"
    assert output(root) == built
    # Into the editor, type, out with Escape then Tab; Run is one Shift+Tab away.
    tab_to(p, f'.code-preview[data-box="{box_id}"] .cm-content')
    p.keyboard.press("ControlOrMeta+a")
    p.keyboard.type("print('typed')")
    p.keyboard.press("Escape")
    p.keyboard.press("Tab")
    assert not p.evaluate(FOCUS, ".cm-content"), "Escape then Tab did not leave the editor"
    tab_to(p, f'.code-preview[data-box="{box_id}"] .code-preview-run', backwards=True)
    p.keyboard.press("Enter")
    assert wait_state(root) == "success"
    assert output(root) == "typed\n"


def test_the_progress_dialog_opens_and_closes_from_the_keyboard(page, site_dir):
    p = page.page
    p.goto(page.url("index.html"))
    p.locator(".md-banner .xp-open").wait_for()
    tab_to(p, ".md-banner .xp-open")
    p.keyboard.press("Enter")
    dialog = p.locator("dialog.xp-dialog")
    dialog.wait_for()
    assert p.evaluate("document.activeElement.closest('dialog.xp-dialog') !== null")
    tab_to(p, "dialog.xp-dialog button")  # its controls are reachable
    p.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert p.evaluate(FOCUS, ".md-banner .xp-open"), "focus did not return to the Progress button"


def test_the_skill_matrix_is_walked_and_followed_from_the_keyboard(page):
    p = page.page
    p.goto(page.url("skills.html"))
    tab_to(p, "a.skill-node")
    href = p.evaluate("document.activeElement.href")
    p.keyboard.press("Enter")
    p.wait_for_url(href)


def test_the_velocity_hub_dials_move_from_the_keyboard(page):
    p = page.page
    p.goto(page.url("velocity-hub.html"))
    p.locator(".velocity-actions").wait_for()
    tab_to(p, "#dial-rate")
    before = p.locator("#dial-rate").input_value()
    p.keyboard.press("ArrowRight")
    assert p.locator("#dial-rate").input_value() != before
    p.wait_for_function(
        "() => document.querySelector('[data-velocity-output]').dataset.state === 'success'",
        timeout=60_000,
    )
    tab_to(p, ".velocity-actions button")  # "Copy this setting into the box"
    p.keyboard.press("Enter")
    box(p, "velocity-hub").locator(".code-preview-edited").wait_for()
