"""The course data for the browser, on every page: ``assets/javascripts/course-data.js``.

The reader's progress (XP, unlocked skills) is worked out in the browser from what they have done
on each lesson page: quiz answers (saved by mkdocs-quiz), successful box runs and solved
exercises. For that it needs, on every page, the lessons in order with their URLs, skills, quiz
ids, box ids and exercise ids, and the skills with their prerequisites. The course plugin
collects the quiz ids of each page as it is rendered (:func:`quiz_ids`), the box and exercise ids
as the fences are parsed (:meth:`coursekit.boxes.BoxFence.runnable_ids`,
:meth:`coursekit.exercises.ExerciseFence.ids`), and writes them with the course file as one small
classic script that sets ``window.courseData`` (a classic script, so it also loads from
``file://``; listed in ``extra_javascript`` before the runner). The output is deterministic.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .skill_graph import STATUSES, page_url

OUTPUT = "assets/javascripts/course-data.js"
QUIZ = re.compile(r'<div class="quiz"[^>]*\bid="([^"]+)"')


def quiz_ids(html_text: str) -> list[str]:
    """The ids mkdocs-quiz gave the quizzes of a rendered page, in page order.

    >>> quiz_ids('<div class="quiz" data-x="1" id="quiz-0"></div><div class="quiz" id="quiz-1">')
    ['quiz-0', 'quiz-1']
    """
    return QUIZ.findall(html_text)


def course_data(course: dict, use_directory_urls: bool) -> dict:
    """Lessons and skills for the browser, URLs relative to the site root."""
    return {
        "lessons": [
            {
                "page": lesson["page"],
                "url": page_url(lesson["page"], use_directory_urls),
                "title": lesson["title"],
                "skills": list(lesson["skills"]),
            }
            for lesson in course["lessons"]
        ],
        "skills": [
            {
                "name": s["name"],
                "label": s["label"],
                "requires": list(s.get("requires") or []),
                "lesson": s["lesson"],
            }
            for s in course["skills"]
        ],
        "statuses": list(STATUSES),
    }


def write_course_data(
    site_dir: Path, course: dict, use_directory_urls: bool, ids: dict[str, dict[str, list[str]]]
) -> None:
    """Write the script; ``ids`` maps a page source to its ``quizzes``, ``boxes``, ``exercises``."""
    data = course_data(course, use_directory_urls)
    for lesson in data["lessons"]:
        lesson.update({"quizzes": [], "boxes": [], "exercises": []})
        lesson.update(ids.get(lesson["page"], {}))
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    out = Path(site_dir) / OUTPUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"window.courseData={text};\n", encoding="utf-8")
