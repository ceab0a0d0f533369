"""Glossary terms show their definition as a tooltip in lessons, and link to their entry."""

from __future__ import annotations

import re

from sitebuild import article


def test_terms_have_tooltips_and_a_link_in_every_lesson(lesson_pages):
    for page, html_text in lesson_pages.items():
        body = article(html_text)
        assert re.search(r'<abbr title="[^"]{20,}">', body), f"{page}: no glossary tooltip"
        links = re.findall(r'<a class="glossary-link" href="([^"]+)">', body)
        assert links, f"{page}: no term links to the glossary"
        assert all(re.search(r"glossary(\.html|/)#[\w-]+$", href) for href in links), links
        assert len(links) == len(set(links)), f"{page}: a term is linked more than once"


def test_code_headings_and_boxes_are_left_alone(lesson_pages):
    for page, html_text in lesson_pages.items():
        body = article(html_text)
        for block in re.findall(r"<pre\b.*?</pre>|<code\b.*?</code>", body, re.S):
            assert "<abbr" not in block, f"{page}: a tooltip inside code"
        for heading in re.findall(r"<h[1-6]\b.*?</h[1-6]>", body, re.S):
            assert "<abbr" not in heading, f"{page}: a tooltip inside a heading"
