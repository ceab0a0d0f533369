"""The worker's entry point for a Check (simulations._exercise): a verdict, or "stopped"."""

from __future__ import annotations

import json

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


def test_without_stop_an_interrupt_is_not_reported_as_a_stop():
    code = "def double(x):\n    return 2 * x\nraise KeyboardInterrupt\n"
    try:
        answer = json.loads(check_batched(code, SOLUTION, CHECK))
    except KeyboardInterrupt:
        return  # grade let it through: the worker reports the interpreter's own error
    assert "stopped" not in answer and answer["status"] == "failed"
