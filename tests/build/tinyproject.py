"""A tiny course project in a temporary folder, built with the site's own plugin and settings.

A build test changes one file of it (a page, the glossary, the course file) and builds it in about
a second, instead of building the whole course. The project takes the real ``mkdocs.yml``'s link
validation and macros settings, so it fails where the course would.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import yaml
from sitebuild import MKDOCS, ROOT, build_env

COURSE = """\
lessons:
  - page: index.md
    title: Home
    summary: Where the course starts.
    skills: [basics]
  - page: lesson.md
    title: A lesson
    summary: What comes next.
    skills: [more]
skills:
  - {name: basics, label: Basics, requires: [], lesson: index.md}
  - {name: more, label: More, requires: [basics], lesson: lesson.md}
"""

QUIZ = """\
<quiz>
Question {n}: which is right?
- [x] This one
- [ ] That one

This one, because the other is wrong.
</quiz>
"""

# What ends every lesson: references, three quiz questions, the "Continue learning" card.
ENDING = (
    "## References\n\n- [A source](https://example.org/)\n\n## Quick quiz\n\n"
    + "\n".join(QUIZ.format(n=n) for n in (1, 2, 3))
    + "\n{{ continue_learning() }}\n"
)

LESSON = (
    '---\ndescription: "A lesson of the tiny course."\n---\n\n'
    "# A lesson\n\nSome text about watermarks.\n\n## A section\n\nMore text.\n\n"
    '```pyrun title="hello"\nprint("hello")\n```\n\n' + ENDING
)

INDEX = (
    '---\ndescription: "The home page of the tiny course."\n---\n\n'
    "# Home\n\nThe first lesson. Next: [the lesson](lesson.md#a-section).\n\n"
    '```pyrun title="first"\nprint("first")\n```\n\n' + ENDING
)

GLOSSARY = """\
---
description: "Terms of the tiny course."
---

# Glossary

## Event time { #event-time }

**Code key:** `EVT_TIME`

When an event happened, as stamped by its source.

Lesson: [A lesson](lesson.md#a-section)

## Watermark { #watermark }

**Code key:** `WM_DELAY`

A claim carried in the stream that no more events at or before time t are expected.

**Also:** low watermark

Lesson: [A lesson](lesson.md)
"""


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml's ``!ENV`` and ``!!python/name`` tags as plain values."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def course_settings() -> dict:
    """The real mkdocs.yml's ``validation`` and macros options: the tiny project uses them."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
    macros = next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)
    return {"validation": config["validation"], "macros": macros}


def write_project(folder: Path, files: dict[str, str] | None = None) -> Path:
    """Write the tiny project into ``folder``; ``files`` replaces or adds files by path."""
    settings = course_settings()
    config = {
        "site_name": "tiny",
        "docs_dir": "docs",
        "site_dir": "site",
        "validation": settings["validation"],
        "nav": [
            {"Home": "index.md"},
            {"Lessons": []},
            {"Glossary": "glossary.md"},
            {"FAQ": "faq.md"},
        ],
        "plugins": [
            {"macros": settings["macros"]},
            {"mkdocs_quiz": {"embed_source": False}},
            {"coursekit": {"vendor": False}},
        ],
        "markdown_extensions": [
            "abbr",
            "attr_list",
            "md_in_html",
            {"toc": {"permalink": True}},
            "pymdownx.superfences",
        ],
    }
    contents = {
        "mkdocs.yml": yaml.safe_dump(config, sort_keys=False),
        "course.yml": COURSE,
        "docs/index.md": INDEX,
        "docs/lesson.md": LESSON,
        "docs/glossary.md": GLOSSARY,
        "docs/faq.md": '---\ndescription: "Questions."\n---\n\n# FAQ\n\nAsk away.\n',
        **(files or {}),
    }
    for name, text in contents.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if name.endswith(".yml") else text, "utf-8")
    return folder


def build(folder: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` in ``folder``, as ``make build`` runs it."""
    return subprocess.run(
        [*MKDOCS, "build", "--strict"],
        cwd=folder,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def build_tiny(tmp_path: Path, page: str) -> subprocess.CompletedProcess:
    """The tiny course with ``page`` (a title line, a blank line, then a box or an exercise) in
    its lesson (docs/lesson.md), built in ``tmp_path``."""
    _, body = page.split("\n\n", 1)
    lesson = LESSON.replace("More text.\n", body)
    return build(write_project(tmp_path, {"docs/lesson.md": lesson}))
