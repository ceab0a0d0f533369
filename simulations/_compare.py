"""Comparing a reader's results with the expected ones, and saying the first difference.

A check that only says "wrong" teaches nothing. These helpers find the *first* place where the
reader's result differs (a value, a dictionary entry, a window, a pane) and say it in the
reader's terms: which input, what they returned, what was expected, and, when the exercise
gives one, why (``because``).
"""

from __future__ import annotations

import inspect
import math
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ._format import num

USER_FILE = "<your code>"  # the name the reader's code is compiled under: tracebacks say it
TOLERANCE = 1e-9  # relative and absolute: sums of floats in another order still agree

Because = str | Callable[..., str | None] | None


class CheckFailed(Exception):
    """The reader's answer is not right yet; ``message`` says what to fix, ``line`` where."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def fail(message: str, line: int | None = None) -> None:
    """Fail the answer with ``message`` (plain text for the reader; backticks mark code)."""
    if not isinstance(message, str) or not message.strip():
        raise ValueError("fail() needs a message that tells the reader what to fix")
    raise CheckFailed(message, line)


def show(value: Any) -> str:
    """A value as the reader wrote it: numbers short, strings quoted, long things cut."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (int, float)):
        return num(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _close(a: Any, b: Any) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def difference(got: Any, expected: Any, path: str = "") -> str | None:
    """The first difference between ``got`` and ``expected``, in words (None: they agree).

    Numbers agree within :data:`TOLERANCE`; mappings are compared key by key (in sorted order),
    sequences item by item, records (named tuples, dataclasses) field by field, anything else
    with ``==``. The words start with the place, as code (``path``), then a verb:

    >>> difference({"a": [1, 2]}, {"a": [1, 3]}, "f(x)")
    '`f(x)["a"][1]` is 2 instead of 3'
    >>> difference({"a": 1}, {"a": 1, "b": 2}, "f(x)")
    '`f(x)` has no key "b"'
    """
    here = f"`{path}`"
    if _is_number(got) and _is_number(expected):
        return (
            None if _close(got, expected) else f"{here} is {show(got)} instead of {show(expected)}"
        )
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping):
            return f"{here} is a {type(got).__name__} instead of a dict"
        for k in _sorted(set(expected) & set(got)):
            if _same_leaf(got[k], expected[k]):
                continue
            inner = difference(got[k], expected[k], f"{path}[{_code(k)}]")
            if inner is not None:
                return inner
        missing = _sorted(k for k in expected if k not in got)
        if missing:
            return f"{here} has no key {_code(missing[0])}"
        extra = _sorted(k for k in got if k not in expected)
        if extra:
            return f"{here} has a key {_code(extra[0])} that should not be there"
        return None
    if isinstance(expected, (list, tuple)) and not _is_record(expected):
        if not isinstance(got, (list, tuple)) or _is_record(got):
            return f"{here} is a {type(got).__name__} instead of a {type(expected).__name__}"
        for i, (g, e) in enumerate(zip(got, expected, strict=False)):
            if _same_leaf(g, e):
                continue
            inner = difference(g, e, f"{path}[{i}]")
            if inner is not None:
                return inner
        if len(got) != len(expected):
            return f"{here} has {len(got)} items instead of {len(expected)}"
        return None
    if _is_record(expected) and type(got) is type(expected):
        for name in _fields(expected):
            inner = difference(getattr(got, name), getattr(expected, name), f"{path}.{name}")
            if inner is not None:
                return inner
        return None
    if got == expected and isinstance(got, bool) == isinstance(expected, bool):
        return None  # True == 1 in Python, but a reader who returns True meant something else
    return f"{here} is {show(got)} instead of {show(expected)}"


_LEAVES = (str, int, float, type(None))


def _same_leaf(got: Any, expected: Any) -> bool:
    """Two equal plain values of one type, told without naming their place: most of a result
    agrees, and its place in words (a repr per key) would cost more than the comparison. Any
    other pair (a bool, floats apart by rounding noise, 2 and 2.0) is left to :func:`difference`.
    """
    kind = type(expected)
    return type(got) is kind and kind in _LEAVES and got == expected


def _code(key: Any) -> str:
    """A key as code: strings in double quotes, as a reader types them."""
    if isinstance(key, str):
        return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return show(key)


def _fields(record: Any) -> tuple[str, ...]:
    if hasattr(record, "_fields"):
        return record._fields
    return tuple(record.__dataclass_fields__)


def _is_record(x: Any) -> bool:
    """A named tuple or a dataclass with slots: compared field by field, by name."""
    return hasattr(x, "_fields") or (
        hasattr(x, "__dataclass_fields__") and hasattr(type(x), "__slots__")
    )


def _sorted(items: Iterable[Any]) -> list[Any]:
    items = list(items)
    try:
        return sorted(items)
    except TypeError:
        return sorted(items, key=repr)


def call_text(f: Callable[..., Any], args: Sequence[Any]) -> str:
    """``f(events)``: the call as the reader wrote the function, with its parameters' names."""
    name = getattr(f, "__name__", "your function")
    try:
        params = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        params = []
    shown = params[: len(args)] if len(params) >= len(args) else [show(a) for a in args]
    return f"{name}({', '.join(shown)})"


def describe_args(args: Sequence[Any]) -> str:
    """The input of a call, so the reader can rebuild it: a stream says how it was generated."""
    parts = []
    for a in args:
        how = getattr(a, "how", None)
        parts.append(f"`{how}`" if how else show(a))
    return ", ".join(parts)


def _copies(args: Sequence[Any]) -> list[Any]:
    """Fresh lists and dicts for one call: a function that sorts or pops its input in place
    must not change what the other function is given."""
    out = []
    for a in args:
        if isinstance(a, list):
            a = a.copy()  # a Stream's own copy() keeps it a Stream
        elif isinstance(a, dict):
            a = dict(a)
        out.append(a)
    return out


def _line_of(f: Callable[..., Any], filename: str) -> int | None:
    code = getattr(f, "__code__", None)
    if code is not None and code.co_filename == filename:
        return code.co_firstlineno
    return None


def same_result(
    user_f: Callable[..., Any],
    solution_f: Callable[..., Any],
    *args: Any,
    describe: str | None = None,
    because: Because = None,
) -> Any:
    """Call both functions with ``args``; fail at the first difference of their results.

    The message names the call with the reader's parameter names, the input (``describe``, or
    how a generated stream was made, so the reader can rebuild it in a box), what the reader's
    function returned and what it should return, then ``because``: a sentence, or a function of
    ``(args, got, expected)`` that returns one (or None), naming the misconception. Returns the
    reader's result, for further checks.
    """
    expected = solution_f(*_copies(args))
    call = call_text(user_f, args)
    on = describe if describe is not None else describe_args(args)
    for_input = f"For {on}, " if on else ""
    try:
        got = user_f(*_copies(args))
    except CheckFailed:  # a helper's own verdict, word for word
        raise
    except Exception as exc:  # not a Stop nor the output limit: those are BaseExceptions
        line = _last_line(exc, USER_FILE)
        at = f" on line {line}" if line else ""
        detail = f": {exc}" if str(exc) else ""
        raise CheckFailed(
            f"{for_input}`{call}` raised {type(exc).__name__}{at}{detail}.", line
        ) from exc
    inner = difference(got, expected, call)
    if inner is None:
        return got
    if inner.startswith(f"`{call}` is "):
        inner = inner.replace(" is ", " returned ", 1)
    message = for_input + inner + "."
    reason = because(args, got, expected) if callable(because) else because
    if reason:
        message += f" {_sentence(reason)}"
    raise CheckFailed(message, _line_of(user_f, USER_FILE))


def _sentence(text: str) -> str:
    """``because`` text as a sentence: a capital first, a full stop last."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _last_line(exc: BaseException, filename: str) -> int | None:
    """The last line of ``filename`` in ``exc``'s traceback (None: it never ran there)."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return lines[-1] if lines else None


# -- windows and panes ------------------------------------------------------------------------

WindowId = tuple[str, float, float]


def window_text(key: str, start: float, end: float) -> str:
    """``window [60, 120) of key `u1```: how every message names a window."""
    return f"window [{num(start)}, {num(end)}) of key `{key}`"


def _window_rows(results: Any, name: str) -> list[tuple[WindowId, Any, str | None]]:
    """Results as ``(window, value, timing)`` rows, in the order written.

    Accepted: a mapping ``{(key, start, end): value}``, or a sequence of results that have
    ``key``, ``start``, ``end`` and ``value`` attributes (an ``Emission``, a ``Pane``) or are
    ``(key, start, end, value)`` tuples.
    """
    if isinstance(results, Mapping):
        rows = []
        for k, v in results.items():
            if not (isinstance(k, tuple) and len(k) == 3):
                fail(f"{name} should map (key, start, end) to a value; it has the key {show(k)}.")
            rows.append(((k[0], k[1], k[2]), v, None))
        return rows
    if isinstance(results, (str, bytes)) or not isinstance(results, Iterable):
        fail(
            f"{name} should be a dict of (key, start, end) -> value or a list of results, "
            f"not a {type(results).__name__}."
        )
    rows = []
    for r in results:
        if hasattr(r, "key") and hasattr(r, "start") and hasattr(r, "value"):
            rows.append(((r.key, r.start, r.end), r.value, getattr(r, "timing", None)))
        elif isinstance(r, (tuple, list)) and len(r) == 4:
            rows.append(((r[0], r[1], r[2]), r[3], None))
        else:
            fail(
                f"{name} should hold results with a key, a window and a value; it holds {show(r)}."
            )
    return rows


def _order(w: WindowId) -> tuple[float, float, str]:
    key, start, end = w
    return (end, start, str(key))


def _explain(because: Because, *context: Any) -> str:
    reason = because(*context) if callable(because) else because
    return f" ({reason})" if reason else ""


def _on(on: Any) -> str:
    """``For `generate_stream(seed=3)`, ``: the input a message is about, if given."""
    if on is None:
        return ""
    how = getattr(on, "how", None)
    return f"For `{how}`, " if how else f"For {on}, "


def compare_windows(got: Any, expected: Any, *, on: Any = None, because: Because = None) -> None:
    """Fail at the first window (in order of window end) whose final value differs.

    ``got`` and ``expected`` are results as :func:`_window_rows` accepts; the last value
    written for a window is its final value. ``because(key, start, end, got, expected)`` may
    explain a difference (``got`` or ``expected`` is None for a window written by one side only).
    ``on`` names the input (a generated stream says how it was made).
    """
    mine = {w: v for w, v, _ in _window_rows(got, "Your result")}
    truth = {w: v for w, v, _ in _window_rows(expected, "The expected result")}
    for w in sorted(set(mine) | set(truth), key=_order):
        g, e = mine.get(w), truth.get(w)
        if w not in mine:
            text = f"{window_text(*w)}: you wrote nothing, the job should write {show(e)}"
        elif w not in truth:
            text = f"{window_text(*w)}: you wrote {show(g)}, the job should write nothing"
        elif difference(g, e) is not None:
            text = f"{window_text(*w)}: you wrote {show(g)}, the job should write {show(e)}"
        else:
            continue
        fail(_on(on) + text + _explain(because, *w, g, e) + ".")


TIMING_WORDS = {"EARLY": "early", "ON_TIME": "on-time", "LATE": "late"}


def _pane_name(index: int, timing: str | None) -> str:
    word = TIMING_WORDS.get(timing, timing)  # None: no word
    return f"pane {index + 1}" + (f" ({word})" if word else "")


def compare_panes(got: Any, expected: Any, *, on: Any = None, because: Because = None) -> None:
    """Fail at the first pane that differs, window by window (in order of window end).

    Each window's panes are compared in the order written: a missing, an extra or a different
    pane is named with its number and timing (early, on-time, late). ``because(key, start, end,
    index, got, expected)`` may explain a difference (``got`` or ``expected`` is None for a pane
    written by one side only). ``on`` names the input, as for :func:`compare_windows`.
    """
    mine: dict[WindowId, list[tuple[Any, str | None]]] = {}
    truth: dict[WindowId, list[tuple[Any, str | None]]] = {}
    for w, v, t in _window_rows(got, "Your panes"):
        mine.setdefault(w, []).append((v, t))
    for w, v, t in _window_rows(expected, "The expected panes"):
        truth.setdefault(w, []).append((v, t))
    for w in sorted(set(mine) | set(truth), key=_order):
        g_panes, e_panes = mine.get(w, []), truth.get(w, [])
        for i in range(max(len(g_panes), len(e_panes))):
            g = g_panes[i] if i < len(g_panes) else None
            e = e_panes[i] if i < len(e_panes) else None
            if g is not None and e is not None and difference(g[0], e[0]) is None:
                continue  # the common case: named only when it differs, as a check runs often
            timing = (e or g)[1]
            name = f"{window_text(*w)}, {_pane_name(i, timing)}"
            if g is None:
                text = f"{name}: you wrote nothing, the job should write {show(e[0])}"
            elif e is None:
                text = f"{name}: you wrote {show(g[0])}, the job should write no such pane"
            else:
                text = f"{name}: you wrote {show(g[0])}, the job should write {show(e[0])}"
            gv = None if g is None else g[0]
            ev = None if e is None else e[0]
            fail(_on(on) + text + _explain(because, *w, i, gv, ev) + ".")
