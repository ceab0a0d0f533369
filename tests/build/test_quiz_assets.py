"""mkdocs-quiz's style and scripts are files the browser caches, not text inlined in every page."""

from __future__ import annotations

from pathlib import Path

from coursekit import quiz_assets


def test_pages_link_the_quiz_files_instead_of_inlining_them(site: Path, lesson_pages):
    assert lesson_pages
    for page, html_text in lesson_pages.items():
        assert "JSConfetti=function" not in html_text, page
        assert '<style type="text/css">.quiz' not in html_text, page
        assert 'quiz/quiz.js"></script>' in html_text, page
        assert 'stylesheets/quiz.css">' in html_text, page


def test_the_quiz_files_hold_what_the_plugin_would_have_inlined(site: Path):
    for path, text in quiz_assets.files().items():
        assert len(text) > 1000, path
        assert (site / path).read_text(encoding="utf-8") == text
