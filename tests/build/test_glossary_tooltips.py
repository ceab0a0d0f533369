"""Glossary terms show their definition as a tooltip in lessons, and link to their entry."""

from __future__ import annotations

import re

from sitebuild import article, built_path


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


def test_every_glossary_link_lands_on_a_real_anchor(site):
    """Each term link, on every page, points at an id the built glossary page really has."""
    glossary = built_path(site, "glossary.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'\bid="([^"]+)"', glossary))
    checked = 0
    for path in sorted(site.rglob("*.html")):
        html_text = path.read_text(encoding="utf-8")
        for href in re.findall(r'<a class="glossary-link" href="([^"]+)">', html_text):
            target, _, anchor = href.partition("#")
            assert target.rstrip("/").endswith("glossary") or target.endswith("glossary.html"), (
                f"{path.relative_to(site)}: {href} does not point at the glossary"
            )
            resolved = (path.parent / target).resolve()
            assert resolved == built_path(site, "glossary.md").resolve() or (
                resolved / "index.html" == built_path(site, "glossary.md").resolve()
            ), f"{path.relative_to(site)}: {href} resolves to {resolved}"
            assert anchor in anchors, f"{path.relative_to(site)}: no anchor #{anchor} in glossary"
            checked += 1
    assert checked >= 20


def test_a_term_is_marked_once_per_section(site, lesson_pages):
    """At most one tooltip per term under each heading: every occurrence marked reads as a page
    of spelling errors. Spellings of one term share its definition, so the title identifies it."""
    pages = dict(lesson_pages)
    pages["faq.md"] = built_path(site, "faq.md").read_text(encoding="utf-8")
    sections = unmarked_repeats = 0
    for page, html_text in pages.items():
        for section in re.split(r"<h[1-6]\b", article(html_text)):
            sections += 1
            marks = re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr>', section)
            titles = [title for title, _ in marks]
            repeats = sorted({t for t in titles if titles.count(t) > 1})
            assert not repeats, f"{page}: a term marked twice in one section: {repeats[0][:60]}"
            words = re.sub(r"<[^>]+>", " ", section)
            for _, text in marks:
                found = re.findall(rf"\b{re.escape(text)}\b", words)
                unmarked_repeats += len(found) - 1
    assert sections > 100
    # the repeats are still in the text, as plain words: the marks were thinned, not the words
    assert unmarked_repeats > 100
