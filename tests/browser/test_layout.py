"""The boxes on a phone and in both colour schemes (file://: test_file_url.py)."""

from __future__ import annotations

import pytest
from runner_page import box, pages_with_boxes, runnable_boxes, site_pages, wait_mounted

pytestmark = pytest.mark.browser


def test_no_page_overflows_a_phone_screen(new_page, site_dir):
    guarded = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    p = guarded.page
    for path in site_pages(site_dir):
        p.goto(guarded.url(path))
        wait_mounted(p)
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px screen"
        roots = p.locator(".code-preview")
        for i in range(roots.count()):
            right = roots.nth(i).evaluate("(el) => el.getBoundingClientRect().right")
            assert right <= 390, f"{path}: a box reaches {right} px"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_boxes_follow_the_colour_scheme(new_page, site_dir, scheme):
    guarded = new_page(color_scheme=scheme)
    p = guarded.page
    path = pages_with_boxes(site_dir)[0]
    p.goto(guarded.url(path))
    wait_mounted(p)
    root = box(p, runnable_boxes(site_dir, path)[0])
    # Material's "system preference" palette follows prefers-color-scheme.
    expected = "slate" if scheme == "dark" else "default"
    assert p.evaluate("document.body.dataset.mdColorScheme") == expected
    colours = root.evaluate(
        "(el) => { const probe = document.createElement('div');"
        " probe.style.background = 'var(--md-code-bg-color)'; el.append(probe);"
        " const want = getComputedStyle(probe).backgroundColor; probe.remove();"
        " return [getComputedStyle(el).backgroundColor, want,"
        " getComputedStyle(el.querySelector('.code-preview-output')).color]; }"
    )
    background, code_background, text = colours
    assert background == code_background
    assert background != text
