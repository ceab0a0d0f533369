"""The browser worker's entry point for an exercise's Check: grade, and tell a Stop apart.

A Check runs the reader's code, the solution and the check through
:func:`simulations.grading.grade`, under the same Stop and time limit as a box's run. The
reader's Stop (or the runner's time limit) raises ``KeyboardInterrupt`` inside whatever is
running; whether grade lets it through or reports it as the reader's exception, the answer here
is "stopped", never a failed attempt: an interrupted check has not judged the code.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable

from ._compare import USER_FILE


def check_batched(
    code: str, solution: str, check: str, *, stop_pressed: Callable[[], bool] = lambda: False
) -> str:
    """Grade ``code``; return JSON: the verdict's fields, or ``{"stopped": true, "line": n}``.

    >>> import json
    >>> json.loads(check_batched("x = 1\\n", "x = 1\\n", "assert user['x'] == 1\\n"))["status"]
    'passed'
    """
    from .grading import grade  # the checking library; imported on the first Check only

    try:
        verdict = grade(code, solution, check).to_dict()
    except KeyboardInterrupt as exc:
        if not stop_pressed():
            raise
        return json.dumps({"stopped": True, "line": _reader_line(exc)})
    if stop_pressed():
        return json.dumps({"stopped": True, "line": verdict.get("line")})
    return json.dumps(verdict)


def _reader_line(exc: BaseException) -> int | None:
    """The line of the reader's code running when ``exc`` was raised (None: none was)."""
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename == USER_FILE
    ]
    return lines[-1] if lines else None
