"""The course's structure: lessons in reading order and the skills they teach, from ``course.yml``.

One file says which lessons there are, in which order, with which titles and skills; the build reads
it once (:func:`load_course`), checks it (:func:`check_course`) and hands the same dictionary to
everything that needs it: the navigation's "Lessons" section (:func:`lessons_nav`), the course map,
the "Continue learning" cards, the skill matrix and the course data for the browser.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml


def load_course(path: Path, docs: Path | None = None) -> dict:
    """Read and check the course file; raise ValueError naming the entry at fault.

    With ``docs`` (the docs folder), a lesson whose page is not there is reported first, on its
    own: every check of its skills would fail too, and blame them instead of the page.
    """
    text = path.read_text(encoding="utf-8")
    course = yaml.safe_load(text) or {}
    if docs is not None:
        check_pages(course, text, docs, path.name)
    check_course(course, path.name)
    return course


def check_pages(course: dict, text: str, docs: Path, name: str = "course.yml") -> None:
    """Fail on a lesson whose page is not a file under ``docs``, naming its line and a page of
    that folder with a close name."""
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    problems = []
    for lesson in course.get("lessons") or []:
        page = lesson.get("page", "")
        if page in pages:
            continue
        found = re.search(rf"^\s*-?\s*page:\s*['\"]?{re.escape(page)}['\"]?\s*$", text, re.M)
        line = f":{text.count(chr(10), 0, found.start()) + 1}" if found else ""
        close = difflib.get_close_matches(page, pages, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        problems.append(
            f"{name}{line}: lesson {lesson.get('title', '')!r} names page {page!r}, which is not "
            f"a file under {docs.name}/{hint}"
        )
    if problems:
        raise ValueError("\n".join(problems))


def check_course(course: dict, name: str = "course.yml") -> None:
    """Fail on an inconsistent course file, naming the entry at fault."""
    lessons = course.get("lessons") or []
    skills = course.get("skills") or []
    pages = [lesson["page"] for lesson in lessons]
    names = [skill["name"] for skill in skills]
    problems = []
    if len(set(pages)) != len(pages):
        problems.append("a page is listed twice under lessons")
    if len(set(names)) != len(names):
        problems.append("a skill name is listed twice under skills")
    by_name = {skill["name"]: skill for skill in skills}
    for lesson in lessons:
        for skill_name in lesson.get("skills", []):
            if skill_name not in by_name:
                problems.append(f"lesson {lesson['page']} teaches unknown skill {skill_name!r}")
            elif by_name[skill_name]["lesson"] != lesson["page"]:
                problems.append(
                    f"skill {skill_name!r} is listed under {lesson['page']} but names "
                    f"{by_name[skill_name]['lesson']} as its lesson"
                )
    for skill in skills:
        if skill["lesson"] not in pages:
            problems.append(f"skill {skill['name']!r} names unknown lesson {skill['lesson']}")
        elif skill["name"] not in next(
            lesson["skills"] for lesson in lessons if lesson["page"] == skill["lesson"]
        ):
            problems.append(f"skill {skill['name']!r} is missing from its lesson's skills list")
        for req in skill.get("requires", []):
            if req not in by_name:
                problems.append(f"skill {skill['name']!r} requires unknown skill {req!r}")
    if _has_cycle(by_name):
        problems.append("the prerequisites form a cycle")
    else:
        order = {page: i for i, page in enumerate(pages)}
        for skill in skills:
            for req in skill.get("requires", []):
                needed = by_name.get(req, {}).get("lesson")
                if order.get(needed, -1) > order.get(skill["lesson"], -1):
                    problems.append(
                        f"skill {skill['name']!r} ({skill['lesson']}) requires {req!r}, which "
                        f"a later lesson teaches ({needed}): move the lesson after it"
                    )
    if problems:
        raise ValueError(f"{name}: " + "; ".join(problems))


def _has_cycle(by_name: dict) -> bool:
    state: dict[str, int] = {}

    def visit(name: str) -> bool:
        if state.get(name) == 1:
            return True
        if state.get(name) == 2 or name not in by_name:
            return False
        state[name] = 1
        if any(visit(req) for req in by_name[name].get("requires", [])):
            return True
        state[name] = 2
        return False

    return any(visit(name) for name in by_name)


def _nav_pages(nav: list) -> set[str]:
    """Every page the navigation lists, at any depth."""
    pages: set[str] = set()
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            pages |= _nav_pages(value)
        elif isinstance(value, str):
            pages.add(value)
    return pages


def lessons_nav(nav: list, course: dict, section: str) -> list:
    """``nav`` with its ``section`` filled with the lessons, in order, under their titles.

    A lesson the navigation already lists elsewhere (the home page, lesson 1) is left there.

    >>> course = {"lessons": [{"page": "index.md", "title": "Intro"},
    ...                       {"page": "b.md", "title": "B"}, {"page": "c.md", "title": "C"}]}
    >>> lessons_nav([{"Home": "index.md"}, {"Lessons": []}], course, "Lessons")
    [{'Home': 'index.md'}, {'Lessons': [{'B': 'b.md'}, {'C': 'c.md'}]}]
    """
    out = []
    found = False
    for item in nav:
        if isinstance(item, dict) and section in item:
            found = True
            if item[section]:
                raise ValueError(
                    f"mkdocs.yml: the nav's {section!r} section is made from the course file; "
                    f"leave it empty ({section}: []) and list lessons in the course file"
                )
            elsewhere = _nav_pages([i for i in nav if i is not item])
            item = {
                section: [
                    {lesson["title"]: lesson["page"]}
                    for lesson in course["lessons"]
                    if lesson["page"] not in elsewhere
                ]
            }
        out.append(item)
    if not found:
        raise ValueError(f"the nav of mkdocs.yml has no section {section!r} for the lessons")
    return out
