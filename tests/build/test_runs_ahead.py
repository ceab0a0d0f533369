"""Boxes and exercises run concurrently, started before the pages render (coursekit/runs_ahead.py),
and an error still names the page that holds the failing box, not the page being rendered when
its run ended.
"""

from __future__ import annotations

import threading

import pytest
from tinyproject import INDEX, LESSON, build, build_tiny, write_project

from coursekit.runs_ahead import RunsAhead, fences_in


def test_two_runs_run_at_the_same_time():
    # Each run waits at a barrier for the other: they only both pass if they run concurrently.
    barrier = threading.Barrier(2, timeout=30)
    ahead = RunsAhead(workers=2)
    ahead.submit("a", barrier.wait)
    ahead.submit("b", barrier.wait)
    assert sorted([ahead.result("a", None), ahead.result("b", None)]) == [0, 1]


def test_a_run_not_submitted_runs_when_asked_for():
    ahead = RunsAhead(workers=1)
    assert ahead.result("x", lambda n: n * 2, 21) == 42
    assert not ahead.pending


def test_a_run_raises_only_when_its_result_is_asked_for():
    ahead = RunsAhead(workers=1)
    ahead.submit("bad", lambda: 1 / 0)
    ahead.pending["bad"].exception(timeout=30)  # the run is over, and nothing was raised yet
    with pytest.raises(ZeroDivisionError):
        ahead.result("bad", None)


def test_forget_drops_the_pending_runs():
    gate = threading.Event()
    ahead = RunsAhead(workers=1)
    ahead.submit("busy", gate.wait, 30)
    ahead.submit("queued", lambda: "ran")
    queued = ahead.pending["queued"]
    ahead.forget()
    gate.set()
    assert queued.cancelled() and not ahead.pending


def test_fences_in_reads_indented_fences_and_their_options():
    page = (
        '=== "Tab"\n\n    ```pyrun title="t" build_timeout="3"\n    print(1)\n'
        "    if True:\n        print(2)\n    ```\n\n```python\nnot a box\n```\n"
    )
    assert list(fences_in(page, "pyrun")) == [
        ("print(1)\nif True:\n    print(2)\n", {"title": "t", "build_timeout": "3"})
    ]


def test_an_error_names_the_page_of_the_failing_box(tmp_path):
    # The lesson's box fails at once, while the home page (rendered first) has a slower box:
    # the failure is known before the home page renders, and must still name the lesson.
    slow = '```pyrun title="first"\nimport time\ntime.sleep(1)\nprint("first")\n```'
    index = INDEX.replace('```pyrun title="first"\nprint("first")\n```', slow)
    assert slow in index
    lesson = LESSON.replace('print("hello")', "1 / 0")
    proc = build(write_project(tmp_path, {"docs/index.md": index, "docs/lesson.md": lesson}))
    assert proc.returncode != 0
    assert "lesson.md: code box 'hello' raised an error" in proc.stderr
    assert "index.md" not in proc.stderr


def test_an_exercise_error_names_its_page_and_exercise(tmp_path):
    page = (
        '# Exercise\n\n```pyexercise title="broken-check"\n#| starter\nx = 1\n'
        "#| solution\nx = 2\n#| check\nassert undefined_name == 2\n```\n"
    )
    proc = build_tiny(tmp_path, page)
    assert proc.returncode != 0
    assert "lesson.md: exercise 'broken-check': its check is broken" in proc.stderr
    assert "index.md" not in proc.stderr
