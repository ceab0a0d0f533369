"""The course data for the browser, on every page: ``assets/javascripts/course-data.js``.

The reader's progress (XP, unlocked skills) is worked out in the browser from what they have done
on each lesson page: quiz answers (saved by mkdocs-quiz) and successful box runs. For that it
needs, on every page, the lessons in order with their URLs, skills, quiz ids and box ids, and the
skills with their prerequisites. This hook collects the quiz and box ids of each page as it is
rendered and writes them, with ``overrides/data/skills.yml``, as one small classic script that
sets ``window.courseData`` (a classic script, so it also loads from ``file://``; listed in
``extra_javascript`` before the runner). The output is deterministic.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SKILLS = ROOT / "overrides/data/skills.yml"
OUTPUT = "assets/javascripts/course-data.js"
QUIZ = re.compile(r'<div class="quiz"[^>]*\bid="([^"]+)"')
BOX = re.compile(r'<div class="code-preview" ([^>]*)>')
BOX_ID = re.compile(r'data-box="([^"]*)"')

_found: dict[str, dict[str, list[str]]] = {}  # page source -> {"quizzes": [...], "boxes": [...]}


def _skill_graph():
    path = ROOT / "overrides/skill_graph.py"
    spec = importlib.util.spec_from_file_location("course_skill_graph", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def page_ids(html_text: str) -> dict[str, list[str]]:
    """The quiz ids and the runnable boxes' ids of a rendered page, in page order.

    >>> page_ids('<div class="quiz" data-x="1" id="quiz-0"></div>'
    ...          '<div class="code-preview" data-box="a" data-state="prerendered">'
    ...          '<div class="code-preview" data-box="b" data-static>')
    {'quizzes': ['quiz-0'], 'boxes': ['a']}
    """
    boxes = []
    for attrs in BOX.findall(html_text):
        match = BOX_ID.search(attrs)
        if match and "data-static" not in attrs:
            boxes.append(match.group(1))
    return {"quizzes": QUIZ.findall(html_text), "boxes": boxes}


def on_pre_build(config, **kwargs) -> None:
    _found.clear()


def on_post_page(output: str, page, config) -> str:
    _found[page.file.src_uri] = page_ids(output)
    return output


def on_post_build(config, **kwargs) -> None:
    course = yaml.safe_load(SKILLS.read_text(encoding="utf-8"))
    data = _skill_graph().course_data(course, bool(config["use_directory_urls"]))
    for lesson in data["lessons"]:
        lesson.update(_found.get(lesson["page"], {"quizzes": [], "boxes": []}))
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    out = Path(config["site_dir"]) / OUTPUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"window.courseData={text};\n", encoding="utf-8")
