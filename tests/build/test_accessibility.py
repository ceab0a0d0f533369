"""Headings in order, one h1 per page, alt text on images, labelled charts."""

from __future__ import annotations

import re

from sitebuild import article, text_of

from coursekit.checks import heading_problems


def content_pages(site):
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html" or "assets" in path.parts:
            continue
        page = path.read_text(encoding="utf-8")
        if "<article" in page:
            yield path, article(page)


def test_one_h1_and_no_skipped_heading_levels(site):
    """The build checks the headings a page's source writes (coursekit/checks.py); this holds
    the built pages, headings from macros included, to the same rule."""
    checked = 0
    for path, body in content_pages(site):
        headings = [
            (0, int(level), text_of(text))
            for level, text in re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", body, re.S)
        ]
        assert heading_problems(path.name, headings) == []
        checked += 1
    assert checked >= 12


def test_images_have_alt_text_and_charts_a_title(site):
    for path, body in content_pages(site):
        for img in re.findall(r"<img\b[^>]*>", body):
            assert re.search(r'\balt="[^"]+"', img), f"{path.name}: image without alt: {img}"
        for svg in re.findall(r'<figure class="code-preview-chart">(.*?)</figure>', body, re.S):
            assert 'role="img"' in svg and "<title" in svg, f"{path.name}: unlabelled chart"


def test_course_controls_are_keyboard_reachable(site):
    for path, body in content_pages(site):
        # Box outputs can be focused and scrolled with the keyboard; FAQ answers open from
        # their <summary>, which browsers make focusable.
        for pre in re.findall(r'<pre class="code-preview-output"[^>]*>', body):
            assert 'tabindex="0"' in pre, f"{path.name}: box output not focusable"
        assert "onclick=" not in re.sub(r"<div class=\"quiz.*?</div>", "", body, flags=re.S)
