"""The worker's entry point for a Check (simulations._exercise): a verdict, or "stopped"."""

from __future__ import annotations

import json

import pytest

from simulations._exercise import check_batched

SOLUTION = "def double(x):\n    return 2 * x\n"
CHECK = 'assert function("double")(3) == 6, "double(3) should be 6"\n'


def test_a_verdict_comes_back_as_json():
    passed = json.loads(check_batched(SOLUTION, SOLUTION, CHECK))
    assert passed["status"] == "passed" and passed["message"]
    failed = json.loads(check_batched("def double(x):\n    return x\n", SOLUTION, CHECK))
    assert failed["status"] == "failed" and "double(3) should be 6" in failed["message"]


def test_an_interrupt_after_stop_is_a_stop_not_a_failed_attempt():
    code = "def double(x):\n    return 2 * x\nraise KeyboardInterrupt\n"
    stopped = json.loads(check_batched(code, SOLUTION, CHECK, stop_pressed=lambda: True))
    assert stopped["stopped"] is True
    assert "status" not in stopped


def test_a_stop_names_the_line_of_the_readers_code_that_was_running():
    """The innermost line of the reader's code, not the call that led there."""
    code = "def spin():\n    raise KeyboardInterrupt\nspin()\n"
    stopped = json.loads(check_batched(code, SOLUTION, CHECK, stop_pressed=lambda: True))
    assert stopped == {"stopped": True, "line": 2}


def test_a_stop_outside_the_readers_code_has_no_line():
    check = "raise KeyboardInterrupt\n"
    stopped = json.loads(check_batched(SOLUTION, SOLUTION, check, stop_pressed=lambda: True))
    assert stopped == {"stopped": True, "line": None}


def test_a_stop_pressed_while_the_verdict_came_back_keeps_the_verdicts_line():
    """The check finished, but the reader asked to stop: not an attempt either."""
    wrong = "def double(x):\n    return x\n"
    check = "same_result(function('double'), 3)\n"
    stopped = json.loads(check_batched(wrong, SOLUTION, check, stop_pressed=lambda: True))
    assert stopped == {"stopped": True, "line": 1}
    asked = []
    passed = json.loads(
        check_batched(SOLUTION, SOLUTION, CHECK, stop_pressed=lambda: asked.append(1))
    )
    assert passed["status"] == "passed" and asked == [1]  # asked once, after grading


def test_an_interrupt_without_stop_goes_through_to_the_worker():
    code = "def double(x):\n    return 2 * x\nraise KeyboardInterrupt\n"
    with pytest.raises(KeyboardInterrupt):
        check_batched(code, SOLUTION, CHECK, stop_pressed=lambda: False)


def test_the_verdict_is_the_graders_word_for_word():
    wrong = "def double(x):\n    return x\n"
    check = "same_result(function('double'), 3)\n"
    assert json.loads(check_batched(wrong, SOLUTION, check)) == {
        "status": "failed",
        "message": "For 3, `double(x)` returned 3 instead of 6.",
        "line": 1,
    }
