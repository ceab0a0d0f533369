"""Every exercise written in docs/: its solution passes its check, its starter does not.

The build checks the same in a child process; this runs :func:`simulations.grading.grade` in
pytest's own interpreter, from the Markdown as written, so a broken exercise shows up here with
a plain assertion message too.
"""

from __future__ import annotations

import pytest
from sitebuild import ROOT

from coursekit.exercises import exercises_in
from simulations.grading import grade

EXERCISES = [
    pytest.param(exercise, id=f"{path.relative_to(ROOT / 'docs')}:{exercise.exercise_id}")
    for path in sorted((ROOT / "docs").rglob("*.md"))
    for exercise in exercises_in(path.read_text(encoding="utf-8"))
]


def test_the_course_has_exercises():
    assert len(EXERCISES) >= 3


@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_solution_passes_and_the_starter_fails(exercise):
    solved = grade(exercise.solution, exercise.solution, exercise.check)
    assert solved.status == "passed", solved.message
    started = grade(exercise.starter, exercise.solution, exercise.check)
    assert started.status == "failed", started.message
    assert started.message.strip()


def test_exercise_ids_are_unique_within_a_page():
    for path in sorted((ROOT / "docs").rglob("*.md")):
        ids = [e.exercise_id for e in exercises_in(path.read_text(encoding="utf-8"))]
        assert len(ids) == len(set(ids)), path


def test_the_example_in_contributing_is_a_sound_exercise():
    (example,) = exercises_in((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    assert example.exercise_id == "watermark-delay" and len(example.hints) == 2
    assert grade(example.solution, example.solution, example.check).status == "passed"
    assert grade(example.starter, example.solution, example.check).status == "failed"
