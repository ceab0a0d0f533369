"""Every lesson: boxes with pre-rendered output, a status panel, a quiz, Continue learning.

How many quiz questions a lesson needs is checked by the build itself (coursekit/checks.py,
tests/build/test_contributor_mistakes.py).
"""

from __future__ import annotations

import re

from sitebuild import article, text_of, without_exercises

BOX = re.compile(r'<div class="code-preview" [^>]*data-box="(?P<id>[^"]+)"')
OUTPUT = re.compile(r'<pre class="code-preview-output"[^>]*>(?P<text>.*?)</pre>', re.S)
PANEL_LINES = ("Mode:", "Trigger:", "Volume:", "Latency:", "Status:")


def test_every_lesson_has_a_box_with_prerendered_output(lesson_pages):
    for page, html_text in lesson_pages.items():
        html_text = without_exercises(html_text)
        boxes = BOX.findall(html_text)
        outputs = [text_of(m["text"]) for m in OUTPUT.finditer(html_text)]
        assert boxes, f"{page}: no code box"
        assert len(outputs) == len(boxes), f"{page}: a box has no output area"
        assert all(outputs), f"{page}: a box has an empty pre-rendered output"


def test_every_page_with_a_box_has_prerendered_output(site):
    """Not only lessons: a box on the FAQ, the glossary or any other page must print too."""
    pages_with_boxes = 0
    for path in sorted(site.rglob("*.html")):
        html_text = without_exercises(path.read_text(encoding="utf-8"))
        boxes = BOX.findall(html_text)
        if not boxes:
            continue
        pages_with_boxes += 1
        outputs = [text_of(m["text"]) for m in OUTPUT.finditer(html_text)]
        name = path.relative_to(site)
        assert len(outputs) == len(boxes), f"{name}: a box has no output area"
        empty = [box for box, out in zip(boxes, outputs, strict=True) if not out]
        assert not empty, f"{name}: empty pre-rendered output in {empty}"
    assert pages_with_boxes >= 9


def test_every_lesson_prints_a_status_panel(lesson_pages):
    for page, html_text in lesson_pages.items():
        outputs = [text_of(m["text"]) for m in OUTPUT.finditer(html_text)]
        assert any(all(line in out for line in PANEL_LINES) for out in outputs), (
            f"{page}: no box prints the status panel ({', '.join(PANEL_LINES)})"
        )


def test_seed_box_titles_are_kept(lesson_pages):
    assert 'data-box="batch-logic"' in lesson_pages["lessons/batch.md"]
    assert 'data-box="stream-logic"' in lesson_pages["lessons/streaming.md"]


def test_every_lesson_ends_with_quiz_references_and_continue_learning(lesson_pages, course):
    titles = [lesson["title"] for lesson in course["lessons"]]
    for index, (page, html_text) in enumerate(lesson_pages.items()):
        body = article(html_text)
        assert 'class="quiz' in body, f"{page}: no quiz"
        assert 'id="references"' in body, f"{page}: no References section"
        card = re.search(r'<div class="continue-learning">(.*?)</div>', body, re.S)
        assert card, f"{page}: no Continue learning card"
        if index + 1 < len(titles):
            assert titles[index + 1] in text_of(card.group(1)), f"{page}: no next lesson in card"
            assert 'class="skill-chip"' in card.group(1), f"{page}: card lists no skills"


def test_references_link_to_primary_sources(lesson_pages):
    everything = "\n".join(lesson_pages.values())
    for source in (
        "p1792-Akidau.pdf",  # The Dataflow Model, VLDB 2015
        "questioning-the-lambda-architecture",
        "real-time-datas-unifying",  # The Log
        "mapreduce-simplified-data-processing",
        "1506.08603",  # Carbone et al., asynchronous barrier snapshotting
        "kafka.apache.org/40/documentation.html#semantics",
        "spark.apache.org/docs/4.3.0/streaming/",
        "flink-docs-release-2.3/docs/concepts/time",
        "manning.com/books/big-data",
    ):
        assert source in everything, f"no lesson cites {source}"
