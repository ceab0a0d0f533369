"""The lessons on joins and on training data: their boxes, charts, quizzes, terms and skills."""

from __future__ import annotations

import re

from sitebuild import article, text_of, without_exercises

BOX = re.compile(r'<div class="code-preview" [^>]*data-box="(?P<id>[^"]+)"')
OUTPUT = re.compile(r'<pre class="code-preview-output"[^>]*>(?P<text>.*?)</pre>', re.S)

PAGES = {
    "lessons/joins.md": {
        "boxes": ["lookup-vs-as-of", "interval-join-state", "outer-join-delay"],
        "charts": 1,
        "terms": ["stream-table-join", "as-of-join", "interval-join"],
        "skills": ["Stream-table and interval joins", "As-of (temporal) joins"],
    },
    "lessons/training.md": {
        "boxes": ["point-in-time-vs-latest", "label-wait", "serving-log-vs-backfill"],
        "charts": 2,
        "terms": ["point-in-time-join", "data-leakage", "label-delay", "feature-logging"],
        "skills": ["Point-in-time training sets", "Late labels", "Feature logging and backfills"],
    },
}


def test_every_box_prerenders_and_the_charts_are_drawn(lesson_pages):
    for page, spec in PAGES.items():
        body = without_exercises(article(lesson_pages[page]))  # boxes, not exercises' editors
        assert BOX.findall(body) == spec["boxes"], page
        outputs = [text_of(m["text"]) for m in OUTPUT.finditer(body)]
        assert len(outputs) == len(spec["boxes"]) and all(outputs), page
        assert body.count('<figure class="code-preview-chart">') == spec["charts"], page


def test_quiz_of_at_least_four_questions_with_explanations(lesson_pages):
    for page in PAGES:
        body = article(lesson_pages[page])
        assert body.count('class="quiz') >= 4, page


def test_glossary_terms_link_from_their_lesson(lesson_pages):
    for page, spec in PAGES.items():
        body = article(lesson_pages[page])
        for anchor in spec["terms"]:
            assert re.search(
                rf'class="glossary-link" href="[^"]*glossary(\.html|/)#{anchor}"', body
            ), (
                page,
                anchor,
            )


def test_skills_appear_in_the_continue_learning_card(lesson_pages, course):
    by_label = {s["label"]: s for s in course["skills"]}
    for page, spec in PAGES.items():
        card = re.search(r'<div class="continue-learning">(.*?)</div>', lesson_pages[page], re.S)
        assert card, page
        for label in spec["skills"]:
            assert label in text_of(card.group(1)), (page, label)
            assert by_label[label]["lesson"] == page and by_label[label]["requires"], label


def test_printed_figures_match_the_text(lesson_pages):
    joins = text_of(article(lesson_pages["lessons/joins.md"]))
    for figure in ("133 of 551 orders", "peak state 163 rows", "332 impressions without a click"):
        assert figure in joins, figure
    training = text_of(article(lesson_pages["lessons/training.md"]))
    for figure in ("latest         98.7%    79.3%", "event-time  33.0%", "1,995          10.2%"):
        assert figure in training, figure
