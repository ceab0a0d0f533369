"""One source for the course's structure: course.yml gives the lessons, their order and titles.

The "Lessons" section of the navigation is generated from it (coursekit.course.lessons_nav), so
the two cannot disagree; these tests check that the built site shows exactly that, and that the
build package's own docstring examples hold.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest
from sitebuild import built_path, text_of

import coursekit
from coursekit.course import lessons_nav


def nav_titles(page_html: str) -> list[str]:
    """The titles of the links in the site's primary navigation, in order."""
    nav = re.search(
        r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>', page_html, re.S
    )
    assert nav, "no primary navigation"
    links = re.findall(r'<a href="[^"#]*" class="md-nav__link[^"]*">(.*?)</a>', nav.group(0), re.S)
    return [text_of(link) for link in links]


def test_the_nav_lists_every_lesson_in_the_order_and_with_the_titles_of_course_yml(site, course):
    titles = nav_titles(built_path(site, "lessons/batch.md").read_text(encoding="utf-8"))
    lessons = [lesson["title"] for lesson in course["lessons"][1:]]  # lesson 1 is the home page
    positions = [titles.index(title) for title in lessons]
    assert positions == sorted(positions), titles
    assert titles[positions[0] : positions[-1] + 1] == lessons, "something sits between lessons"


def test_the_home_page_is_lesson_one(course):
    assert course["lessons"][0]["page"] == "index.md"


@pytest.mark.parametrize(
    "name",
    ["coursekit", *[f"coursekit.{m.name}" for m in pkgutil.iter_modules(coursekit.__path__)]],
)
def test_docstring_examples_of_the_build(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_lessons_listed_in_mkdocs_yml_too_stop_the_build():
    course = {"lessons": [{"page": "b.md", "title": "B"}]}
    with pytest.raises(ValueError, match="made from the course file"):
        lessons_nav([{"Lessons": [{"B": "b.md"}]}], course, "Lessons")
