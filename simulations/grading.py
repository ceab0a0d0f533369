"""Checking a reader's answer to an exercise: the same verdict at build time, in tests and in
the browser.

An exercise has a starter (what the editor shows first), a solution and a check, all Python.
:func:`grade` runs them in a fixed order, as Quarto Live's grader does, so that the reader hears
about the first thing to fix and nothing else:

1. code that is blank (only whitespace and comments) asks for an answer;
2. a ``____`` blank still in the code names its line;
3. a syntax error names its line with Python's own message;
4. the reader's code runs in a namespace of its own (its prints are kept in ``user_output``);
   an exception names its line, in the reader's terms;
5. the solution runs in a separate namespace (``solution_output``);
6. the check runs with ``user`` and ``solution`` (the two namespaces), ``user_output``,
   ``solution_output`` and the helpers in :data:`HELPERS`; the answer passes when the check ends
   without failing.

A check fails the answer with :func:`fail` (or a helper that calls it, or a plain ``assert``).
Any other exception out of the check's own lines is a bug of the exercise, not of the reader:
the verdict is then "error", and the site's build refuses the page.

The reader's code runs under the rules of a code box (:mod:`simulations._box`): ``input()``
explains itself, an unbundled import says what is bundled, and printing too much stops the run.
An endless loop is stopped from outside, by the runner's Stop button or its time limit.
"""

from __future__ import annotations

import builtins
import io
import linecache
import sys
import tokenize
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from . import _box, display
from ._compare import USER_FILE, CheckFailed, _last_line, compare_panes, compare_windows, fail
from ._compare import same_result as _same_result
from ._engine_checks import each_event_once, exactly_once_sink, no_state_left
from ._streams import Stream, random_streams

SOLUTION_FILE = "<solution>"
CHECK_FILE = "<check>"
BLANK = "____"

STATUSES = ("passed", "failed", "error")
EMPTY = "Write your answer in the editor, then press Check."
PASSED = "Well done: your answer passes every check."


@dataclass(frozen=True, slots=True)
class Verdict:
    """What :func:`grade` says about one answer.

    ``status`` is "passed", "failed" (the reader has something to fix) or "error" (the
    exercise's own solution or check is broken: a contributor's bug, which fails the build).
    ``message`` is plain text for the reader; backticks mark code. ``line`` is the line of the
    reader's code the message is about, so the editor can point at it.
    """

    status: str
    message: str
    line: int | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    def to_dict(self) -> dict[str, Any]:
        """The verdict as JSON-ready data, for the browser's worker."""
        return asdict(self)


class Namespace(dict):
    """A run's global names, readable as ``user["f"]`` or ``user.f`` in a check."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def grade(code: str, solution: str, check: str) -> Verdict:
    """Grade the reader's ``code`` against the exercise's ``solution`` with its ``check``.

    >>> grade("def double(x):\\n    return 2 * x\\n", "def double(x):\\n    return x + x\\n",
    ...       "same_result(function('double'), 21)").status
    'passed'
    >>> v = grade("def double(x):\\n    return x * x\\n", "def double(x):\\n    return x + x\\n",
    ...           "same_result(function('double'), 21)")
    >>> v.status, v.line
    ('failed', 1)
    """
    for name, text in (("code", code), ("solution", solution), ("check", check)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    if _is_blank(code):
        return Verdict("failed", EMPTY)
    blank = _blank_line(code)
    if blank is not None:
        return Verdict(
            "failed",
            f"Line {blank} still has a blank `{BLANK}`: "
            "replace it with your answer, then press Check.",
            blank,
        )
    try:
        compiled = compile(code, USER_FILE, "exec")
    except SyntaxError as exc:
        line = exc.lineno
        where = f" on line {line}" if line else ""
        return Verdict("failed", f"Python cannot read your code{where}: {exc.msg}.", line)
    with _BoxRules() as rules:
        user, user_output, problem = _run(compiled, code, USER_FILE, rules)
        if problem is not None:
            return _reader_failure(problem, "Your code")
        try:
            compiled_solution = compile(solution, SOLUTION_FILE, "exec")
        except SyntaxError as exc:
            return Verdict("error", f"The exercise's solution does not compile: {exc}")
        reference, solution_output, problem = _run(
            compiled_solution, solution, SOLUTION_FILE, rules
        )
        if problem is not None:
            return Verdict("error", "The exercise's solution fails:\n" + _format(problem))
        try:
            compiled_check = compile(check, CHECK_FILE, "exec")
        except SyntaxError as exc:
            return Verdict("error", f"The exercise's check does not compile: {exc}")
        namespace = Namespace(
            HELPERS,
            __name__="__check__",
            user=user,
            solution=reference,
            user_output=user_output,
            solution_output=solution_output,
            function=_finder(user, "your code"),
            solution_function=_finder(reference, "the solution"),
        )
        namespace["same_result"] = _same_result_in(reference)
        _remember(CHECK_FILE, check)
        try:
            exec(compiled_check, namespace)
        except CheckFailed as exc:
            return Verdict("failed", exc.message, exc.line)
        except _box.OutputLimitReached:
            return Verdict("failed", _too_much_output())
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as exc:
            if _user_line(exc) is not None:
                return _reader_failure(exc, "Your code")
            if isinstance(exc, AssertionError):
                return Verdict("failed", str(exc) or "Your answer does not pass the check yet.")
            return Verdict("error", "The exercise's check fails:\n" + _format(exc))
    return Verdict("passed", PASSED)


def _is_blank(code: str) -> bool:
    return all(not line.strip() or line.strip().startswith("#") for line in code.splitlines())


def _blank_line(code: str) -> int | None:
    """The first line holding a ``____`` blank outside comments and strings, if any."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.NAME and BLANK in token.string:
                return token.start[0]
    except (tokenize.TokenError, SyntaxError):  # unreadable code: look at the text itself
        for number, line in enumerate(code.splitlines(), 1):
            if BLANK in line.partition("#")[0]:
                return number
    return None


def _remember(filename: str, text: str) -> None:
    """Let tracebacks quote the lines of code that never was a file."""
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)


class _BoxRules:
    """The code box's rules around a whole grading: no keyboard, bundled imports only, a budget
    for printing, and charts that go nowhere (a check has no page to draw on)."""

    def __enter__(self) -> _BoxRules:
        self.saved = sys.stdout, sys.stderr, display._sink, builtins.input
        self.guard = _box.BundledOnly()
        sys.meta_path.insert(0, self.guard)
        self.budget = _box.Budget()
        display._sink = lambda chart: None
        return self

    def streams(self) -> list[str]:
        """Start a fresh capture of stdout and stderr; return the list it fills."""
        chunks: list[str] = []
        out = _box.BoxStream("stdout", lambda _s, text: chunks.append(text), self.budget)
        err = _box.BoxStream("stderr", lambda _s, _text: None, self.budget)
        sys.stdout, sys.stderr = out, err
        return chunks

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr, display._sink, builtins.input = self.saved
        sys.meta_path.remove(self.guard)


def _run(
    compiled: Any, text: str, filename: str, rules: _BoxRules
) -> tuple[Namespace, str, BaseException | None]:
    """Run one piece of code in a fresh namespace; return it, what it printed and its error."""
    namespace = Namespace(
        __name__="__main__", __builtins__={**vars(builtins), "input": _box._no_input}
    )
    _remember(filename, text)
    chunks = rules.streams()
    problem: BaseException | None = None
    try:
        exec(compiled, namespace)
    except (KeyboardInterrupt, GeneratorExit):
        raise
    except BaseException as exc:  # the reader's code may raise anything, SystemExit included
        problem = exc
    return namespace, "".join(chunks), problem


def _finder(namespace: Namespace, whose: str) -> Callable[[str], Callable[..., Any]]:
    """``function(name)`` for one namespace: its callable ``name``, or a failure saying why."""

    def function(name: str) -> Callable[..., Any]:
        if name not in namespace:
            if whose == "the solution":
                raise LookupError(f"the solution defines no `{name}`")
            fail(f"Define a function `{name}`: the check calls it, and {whose} has none.")
        value = namespace[name]
        if not callable(value):
            if whose == "the solution":
                raise LookupError(f"the solution's `{name}` is not a function")
            fail(
                f"Define a function `{name}`: in {whose}, `{name}` is of type "
                f"`{type(value).__name__}`, not a function."
            )
        return value

    return function


def _same_result_in(reference: Namespace) -> Callable[..., Any]:
    """``same_result`` for one grading: its solution function may be left out, and is then the
    solution's function of the same name (``same_result(f, events)``)."""

    def same_result(user_f: Callable[..., Any], *args: Any, **options: Any) -> Any:
        if args and callable(args[0]) and not isinstance(args[0], type):
            return _same_result(user_f, *args, **options)
        solution_f = _finder(reference, "the solution")(user_f.__name__)
        return _same_result(user_f, solution_f, *args, **options)

    same_result.__doc__ = _same_result.__doc__
    return same_result


def _user_line(exc: BaseException) -> int | None:
    """The last line of the reader's code in ``exc``'s traceback (None: it never ran there)."""
    return _last_line(exc, USER_FILE)


def _reader_failure(exc: BaseException, who: str) -> Verdict:
    """An exception out of the reader's code, said in the reader's terms."""
    if isinstance(exc, _box.OutputLimitReached):
        return Verdict("failed", _too_much_output())
    # Known: whatever leaves the reader's code passed through its module's frame, and the check
    # blames the reader only for an exception with a line of theirs.
    line = _user_line(exc)
    where = f" on line {line}"
    if isinstance(exc, SystemExit):
        return Verdict(
            "failed",
            f"{who} called `exit()`{where}: leave that out, the check runs after it.",
            line,
        )
    detail = str(exc)
    text = f"{who} raised {type(exc).__name__}{where}"
    if detail:
        text += f": {detail}"
    if isinstance(exc, ModuleNotFoundError) and getattr(exc, "_box_unbundled", False):
        text += f". Exercises run {_box.BUNDLED} only"
    return Verdict("failed", text + ".", line)


def _too_much_output() -> str:
    return (
        f"Your code printed more than {_box.MAX_LINES:,} lines or {_box.MAX_CHARS:,} "
        "characters: print less (or nothing: the check reads what your functions return)."
    )


def _format(exc: BaseException) -> str:
    """A traceback without the grader's own frames: the exercise's author reads it."""
    report = traceback.TracebackException.from_exception(exc)
    report.stack = traceback.StackSummary.from_list(
        [frame for frame in report.stack if frame.filename != __file__]
    )
    return "".join(report.format())


HELPERS: dict[str, Any] = {
    "CheckFailed": CheckFailed,
    "Stream": Stream,
    "compare_panes": compare_panes,
    "compare_windows": compare_windows,
    "each_event_once": each_event_once,
    "exactly_once_sink": exactly_once_sink,
    "fail": fail,
    "no_state_left": no_state_left,
    "random_streams": random_streams,
    "same_result": _same_result,
}
"""What a check can call besides ``function`` and ``solution_function`` (bound per grading)."""

__all__ = ["HELPERS", "CheckFailed", "Namespace", "Verdict", "grade"]
