"""Headings in order, one h1 per page, alt text on images, labelled charts."""

from __future__ import annotations

import itertools
import re

from sitebuild import article


def content_pages(site):
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html" or "assets" in path.parts:
            continue
        page = path.read_text(encoding="utf-8")
        if "<article" in page:
            yield path, article(page)


def test_one_h1_and_no_skipped_heading_levels(site):
    checked = 0
    for path, body in content_pages(site):
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", body)]
        assert levels.count(1) == 1, f"{path.name}: {levels.count(1)} h1 headings"
        assert levels[0] == 1, f"{path.name}: the first heading is not the h1"
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{path.name}: h{before} followed by h{after}"
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
