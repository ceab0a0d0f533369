"""Every exercise of the course, answered: its solution passes, its starter fails with the
message a reader first sees, and the wrong answers readers plausibly write fail with a message
that names their misconception, word for word.

The exercises are read from the lessons with the build's own parser
(:func:`coursekit.exercises.exercises_in`), so what is tested is what readers get.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from coursekit.exercises import exercises_in
from simulations import grading
from simulations.grading import grade

sys.path.insert(0, str(Path(__file__).parent))  # the answers sit beside this file
from exercise_answers import ANSWERS

ROOT = Path(__file__).resolve().parents[2]
LESSONS = [ROOT / "docs" / "index.md", *sorted((ROOT / "docs" / "lessons").glob("*.md"))]
EXERCISES = {
    exercise.exercise_id: (page, exercise)
    for page in LESSONS
    for exercise in exercises_in(page.read_text(encoding="utf-8"))
}
BLANK = "still has a blank `____`: replace it with your answer, then press Check."


def your_turn(page: Path) -> str:
    """The lesson's "Your turn" section, which must come just before its references."""
    text = page.read_text(encoding="utf-8")
    match = re.search(r"^## Your turn\n(.*?)^## (.*)$", text, re.M | re.S)
    assert match, f"{page.name} has no '## Your turn' section"
    assert match.group(2).startswith("References"), f"{page.name}: Your turn is not last"
    return match.group(1)


@pytest.mark.parametrize("page", LESSONS, ids=lambda p: p.name)
def test_every_lesson_ends_with_two_exercises_or_more(page):
    assert len(exercises_in(your_turn(page))) >= 2


def test_every_exercise_has_its_answers_here_and_nothing_else():
    assert set(ANSWERS) == set(EXERCISES)


@pytest.mark.parametrize("exercise_id", sorted(ANSWERS))
def test_the_solution_passes(exercise_id):
    exercise = EXERCISES[exercise_id][1]
    verdict = grade(exercise.solution, exercise.solution, exercise.check)
    assert verdict.status == "passed", verdict.message


@pytest.mark.parametrize("exercise_id", sorted(ANSWERS))
def test_the_starter_fails_with_its_message(exercise_id):
    exercise = EXERCISES[exercise_id][1]
    verdict = grade(exercise.starter, exercise.solution, exercise.check)
    assert (verdict.status, verdict.message) == ("failed", ANSWERS[exercise_id]["starter"])


WRONG = [
    pytest.param(exercise_id, code, message, id=f"{exercise_id}-{i}")
    for exercise_id, answers in sorted(ANSWERS.items())
    for i, (code, message) in enumerate(answers["wrong"])
]


@pytest.mark.parametrize(("exercise_id", "code", "message"), WRONG)
def test_a_wrong_answer_names_its_misconception(exercise_id, code, message):
    exercise = EXERCISES[exercise_id][1]
    verdict = grade(code, exercise.solution, exercise.check)
    assert (verdict.status, verdict.message) == ("failed", message)


def test_every_exercise_has_a_wrong_answer_tested():
    assert all(len(answers["wrong"]) >= 1 for answers in ANSWERS.values())


def test_code_lines_fit_the_editor():
    long = [
        (exercise_id, line)
        for exercise_id, (_, exercise) in EXERCISES.items()
        for section in (exercise.starter, exercise.solution, exercise.check)
        for line in section.splitlines()
        if len(line) > 78
    ]
    assert long == []


def test_eight_exercises_or_more_run_the_readers_function_on_twenty_streams(monkeypatch):
    """Counted by running each check: how many streams its random_streams calls hand out."""
    handed_out = []
    real = grading.HELPERS["random_streams"]

    def counting(*args, **kwargs):
        streams = real(*args, **kwargs)
        handed_out.append(len(streams))
        return streams

    monkeypatch.setitem(grading.HELPERS, "random_streams", counting)
    on_streams = []
    for exercise_id, (_, exercise) in EXERCISES.items():
        handed_out.clear()
        assert grade(exercise.solution, exercise.solution, exercise.check).status == "passed"
        if sum(handed_out) >= 20:
            on_streams.append(exercise_id)
    assert len(on_streams) >= 8, on_streams


def test_a_check_takes_less_than_two_seconds_in_cpython():
    """The browser runs checks several times slower: the heaviest must stay quick here."""
    times = {}
    for exercise_id, (_, exercise) in EXERCISES.items():
        start = time.perf_counter()
        grade(exercise.solution, exercise.solution, exercise.check)
        times[exercise_id] = time.perf_counter() - start
    heaviest = max(times, key=times.get)
    assert times[heaviest] < 2.0, (heaviest, times[heaviest])
