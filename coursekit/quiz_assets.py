"""mkdocs-quiz's style and scripts as files of their own, downloaded once and cached.

mkdocs-quiz 1.7 appends its CSS (10 KB), its script (44 KB) and the confetti library it bundles
(6 KB) inline to every page it processes: about 60 KB on every page a reader opens, never cached.
Here the same text is written once into the site and each page links to it instead. The script
tags stay plain (no ``defer``), so they run where the inline ones ran; Material's instant
navigation re-runs scripts in the content, external ones as well, which is what mkdocs-quiz
expects. A page whose text differs from the plugin's (another version) is left as it is.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils import get_relative_url
from mkdocs_quiz import plugin as quiz

STYLE = "assets/stylesheets/quiz.css"
SCRIPT = "assets/javascripts/quiz/quiz.js"
CONFETTI = "assets/javascripts/quiz/js-confetti.js"


def _inner(tag: str) -> str:
    """The text between a tag's opening and closing, as mkdocs-quiz wrote it."""
    return tag[tag.index(">") + 1 : tag.rindex("</")]


def files() -> dict[str, str]:
    """Site path -> text of each file, from the strings mkdocs-quiz inlines."""
    return {
        STYLE: _inner(quiz.style),
        SCRIPT: _inner(quiz.js_script),
        CONFETTI: _inner(quiz.confetti_lib_script),
    }


def link_instead_of_inline(html_text: str, page_url: str) -> str:
    """Replace mkdocs-quiz's inline style and scripts in a page's content with links to files.

    >>> page = "<p>Q</p>" + quiz.style + quiz.confetti_lib_script + quiz.js_script
    >>> link_instead_of_inline(page, "lessons/ai.html")  # doctest: +NORMALIZE_WHITESPACE
    '<p>Q</p><link rel="stylesheet" href="../assets/stylesheets/quiz.css"><script
    src="../assets/javascripts/quiz/js-confetti.js"></script><script
    src="../assets/javascripts/quiz/quiz.js"></script>'
    """

    def url(path: str) -> str:
        return get_relative_url(path, page_url)

    replacements = (
        (quiz.style, f'<link rel="stylesheet" href="{url(STYLE)}">'),
        (quiz.confetti_lib_script, f'<script src="{url(CONFETTI)}"></script>'),
        (quiz.js_script, f'<script src="{url(SCRIPT)}"></script>'),
    )
    for inline, link in replacements:
        if inline:
            html_text = html_text.replace(inline, link)
    return html_text


def write(site: Path) -> None:
    """Write the files into the built site."""
    for path, text in files().items():
        dest = site / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
