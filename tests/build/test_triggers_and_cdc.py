"""The lessons on triggers and on change data capture: boxes, charts, quizzes, terms, skills."""

from __future__ import annotations

import re

import pytest
from sitebuild import article, built_path, text_of

BOX = re.compile(
    r'<div class="code-preview" [^>]*data-box="(?P<id>[^"]+)">(?P<body>.*?)'
    r'<pre class="code-preview-output"[^>]*>(?P<out>.*?)</pre>(?P<rest>.*?)</div>\s*</div>',
    re.S,
)
LESSONS = {
    "lessons/triggers.md": {
        "boxes": {
            # box id: (words its pre-rendered output must contain, draws a chart)
            "first-answer-within-a-second": (["Mode:", "EARLY every 1s", "First answer"], True),
            "accumulating-vs-discarding": (["ON_TIME", "LATE", "accumulating"], True),
            "output-modes": (["append:", "update:", "complete:"], True),
        },
        "terms": ["trigger", "pane", "accumulation-mode", "output-mode"],
        "skills": ["Triggers and panes", "Accumulating vs discarding panes"],
    },
    "lessons/cdc.md": {
        "boxes": {
            "table-from-changelog": (["compacted offsets", "same table: True"], False),
            "log-compaction": (["rebuilds the table: True"], True),
            "view-by-upserts": (["recomputed from the table"], False),
            "feature-store-freshness": (["Mode:", "Batch export:", "stale"], True),
        },
        "terms": ["changelog", "change-data-capture", "log-compaction", "tombstone", "upsert"],
        "skills": ["Stream-table duality", "Log compaction"],
    },
}


def boxes_of(page_html: str) -> dict[str, tuple[str, str]]:
    """Box id -> (its pre-rendered output text, the HTML after the output: the charts)."""
    return {m["id"]: (text_of(m["out"]), m["rest"]) for m in BOX.finditer(page_html)}


@pytest.mark.parametrize("page", LESSONS)
def test_every_box_prerenders_its_output_and_chart(site, page):
    boxes = boxes_of(built_path(site, page).read_text(encoding="utf-8"))
    for box, (words, chart) in LESSONS[page]["boxes"].items():
        assert box in boxes, f"{page}: no box {box}"
        output, rest = boxes[box]
        for word in words:
            assert word in output, f"{page}: box {box} does not print {word!r}"
        assert ("<svg" in rest) == chart, f"{page}: box {box} chart expected: {chart}"


@pytest.mark.parametrize("page", LESSONS)
def test_quiz_of_at_least_four_questions_with_explanations(site, page):
    body = article(built_path(site, page).read_text(encoding="utf-8"))
    questions = re.findall(r'<div class="quiz[^"]*"[^>]*id="quiz-\d+"', body)
    explanations = re.findall(r'<section class="content hidden">(.*?)</section>', body, re.S)
    assert len(questions) >= 4
    assert len(explanations) == len(questions)
    assert all(len(text_of(e)) > 40 for e in explanations)


@pytest.mark.parametrize("page", LESSONS)
def test_glossary_terms_link_and_skills_are_listed(site, page):
    body = article(built_path(site, page).read_text(encoding="utf-8"))
    for anchor in LESSONS[page]["terms"]:
        assert f'glossary.html#{anchor}"' in body, f"{page}: term {anchor} is not linked"
    card = re.search(r'<div class="continue-learning">(.*?)</div>', body, re.S)
    for label in LESSONS[page]["skills"]:
        assert label in text_of(card.group(1)), f"{page}: skill {label} not in the card"


def test_faq_and_reference_point_to_the_new_lessons_and_modules(site):
    faq = built_path(site, "faq.md").read_text(encoding="utf-8")
    assert "lessons/triggers.html#a-first-answer-within-a-second" in faq
    assert "lessons/cdc.html#online-feature-store" in faq
    reference = article(built_path(site, "reference.md").read_text(encoding="utf-8"))
    for anchor in ('id="mod-triggers"', 'id="mod-changelog"', 'id="run_triggered"'):
        assert anchor in reference
    assert reference.index('id="mod-stream"') < reference.index('id="mod-triggers"')
    assert reference.index('id="mod-recovery"') < reference.index('id="mod-changelog"')
