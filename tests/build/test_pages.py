"""Glossary, FAQ, quizzes, API reference and the skills data."""

from __future__ import annotations

import re

from sitebuild import ROOT, article, built_path, text_of

from coursekit.course import check_course
from coursekit.glossary import parse_glossary

SEED_KEYS = {"BLK_PROC", "EVT_PROC", "DELAY_MS", "HYBRID_LAYER", "VOL_RATE"}
QUIZ = re.compile(r'<div class="quiz[^"]*"[^>]*id="quiz-\d+"', re.S)
REQUIRED_SKILLS = {
    "batch", "stream", "latency", "throughput", "event-time", "windows", "watermarks",
    "late-data", "state", "exactly-once", "backpressure", "lambda", "kappa",
    "online-learning", "drift", "feature-freshness",
}  # fmt: skip


def glossary_terms():
    return parse_glossary((ROOT / "docs/glossary.md").read_text(encoding="utf-8"))


def test_glossary_has_20_terms_with_definitions_and_code_keys(site):
    terms = glossary_terms()
    assert len(terms) >= 20
    for term in terms:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", term.key), term
        assert len(term.definition) > 30, term
    assert {t.key for t in terms} >= SEED_KEYS
    page = (built_path(site, "glossary.md")).read_text(encoding="utf-8")
    for term in terms:
        assert f'id="{term.anchor}"' in page, f"glossary page has no anchor for {term.term}"
        assert f"<code>{term.key}</code>" in page


def test_faq_has_10_collapsible_questions(site):
    page = article(built_path(site, "faq.md").read_text(encoding="utf-8"))
    questions = re.findall(r"<details class=\"question\">\s*<summary>(.*?)</summary>", page, re.S)
    assert len(questions) >= 10
    assert all(text_of(q).endswith("?") for q in questions)


def test_quizzes_have_20_questions(site):
    """An explanation for every question is the build's own check (coursekit/checks.py)."""
    total = 0
    seed_found = False
    for path in sorted(site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        total += len(QUIZ.findall(page))
        seed_found |= "Which of these is a &#x27;Streaming&#x27; use case?" in page or (
            "Which of these is a 'Streaming' use case?" in page
        )
    assert total >= 20
    assert seed_found, "the seed's quiz question is missing"


def test_api_reference_lists_the_public_functions_by_module(site):
    page = article(built_path(site, "reference.md").read_text(encoding="utf-8"))
    for module in ("events", "windows", "batch", "stream", "recovery", "kappa", "ml"):
        assert f'id="mod-{module}"' in page, f"no section for simulations.{module}"
    for name in ("run_batch", "run_stream", "run_with_crash", "run_lambda", "run_kappa"):
        assert f'id="{name}"' in page, f"{name} is not documented"


def test_skills_data_is_consistent_and_complete(course):
    check_course(course)  # raises on any inconsistency
    names = {skill["name"] for skill in course["skills"]}
    assert names >= REQUIRED_SKILLS, REQUIRED_SKILLS - names
    for skill in course["skills"]:
        assert skill["label"] and isinstance(skill["requires"], list)
    pages = [lesson["page"] for lesson in course["lessons"]]
    assert len(pages) >= 9 and pages[0] == "index.md"
    assert all((ROOT / "docs" / page).exists() for page in pages)
