"""The harness a code box runs in, the same at build time (CPython) and in the browser (Pyodide).

A box is a few lines a reader can edit. Running it in one place with one set of rules is what makes
the output printed into the page at build time equal to the output the reader gets live. The rules:

* every run gets a fresh namespace, as if the box were a small script named ``<box>``;
* stdout and stderr go, in the order written, to ``write(stream, text)``;
* charts handed to :func:`simulations.show` go to ``chart(svg, title)``, never through stdout;
* output past :data:`MAX_CHARS` characters or :data:`MAX_LINES` lines stops the run with a note,
  so a runaway ``print`` cannot freeze the page;
* ``input()`` explains that a box has no keyboard to read from;
* an import of a package the site does not bundle says what is bundled;
* a traceback shows the reader's own lines, not the harness around them.

The build calls :func:`main` (through :func:`run_collected`); the browser's worker calls
:func:`run_batched`, which hands the output on in batches, so a loop of small prints does not
send one message to the page per print.
"""

from __future__ import annotations

import builtins
import io
import json
import linecache
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from . import display

FILENAME = "<box>"
MAX_CHARS = 1_000_000
MAX_LINES = 10_000
BUNDLED = "Python's standard library and `simulations`"
FLUSH_EVERY = 0.05  # seconds: the worker passes output on at most this often

Write = Callable[[str, str], None]
ShowChart = Callable[[str, str], None]


class OutputLimitReached(BaseException):
    """Raised inside the box when it has printed too much.

    A BaseException, so that a reader's ``except Exception`` cannot swallow it and loop on.
    """


@dataclass(slots=True)
class Budget:
    """How much a box may still print before the run is stopped."""

    chars: int = MAX_CHARS
    lines: int = MAX_LINES


class BoxStream(io.TextIOBase):
    """A text stream that forwards each write and enforces the output budget."""

    def __init__(self, name: str, write: Write, budget: Budget) -> None:
        self.name = name
        self._write = write
        self._budget = budget

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        budget = self._budget
        cut = min(len(text), budget.chars)
        newlines = text.count("\n", 0, cut)
        if newlines > budget.lines:
            cut = _index_of_nth(text, "\n", budget.lines) + 1
            newlines = budget.lines
        if cut:
            self._write(self.name, text[:cut])
        budget.chars -= cut
        budget.lines -= newlines
        if cut < len(text):
            raise OutputLimitReached
        return len(text)


def _index_of_nth(text: str, sub: str, n: int) -> int:
    index = -1
    for _ in range(n):
        index = text.index(sub, index + 1)
    return index


def _no_input(prompt: object = "") -> str:
    raise RuntimeError(
        "input() cannot read from a code box: there is no keyboard prompt here. "
        "Assign the value in the code instead, for example: rate = 100"
    )


@dataclass(slots=True)
class BoxResult:
    """What one run of a box produced."""

    ok: bool
    error: str | None = None
    truncated: bool = False
    output: str = ""
    charts: list[dict[str, str]] = field(default_factory=list)


def run(code: str, *, write: Write, chart: ShowChart) -> BoxResult:
    """Run ``code`` as a box: stream its output to ``write`` and its charts to ``chart``.

    The error text, if any, is also written to ``write("stderr", ...)`` so that the output area
    reads in order; it is returned in ``BoxResult.error`` too, for the caller's status line.
    """
    budget = Budget()
    out, err = BoxStream("stdout", write, budget), BoxStream("stderr", write, budget)
    namespace = {
        "__name__": "__main__",
        "__builtins__": {**vars(builtins), "input": _no_input},
    }
    lines = code.splitlines(keepends=True)
    linecache.cache[FILENAME] = (len(code), None, lines, FILENAME)
    saved = sys.stdout, sys.stderr, display._sink
    guard = BundledOnly()
    sys.meta_path.insert(0, guard)
    sys.stdout, sys.stderr = out, err
    display._sink = lambda c: chart(c.svg, c.title)
    result = BoxResult(ok=True)
    try:
        exec(compile(code, FILENAME, "exec"), namespace)
    except OutputLimitReached:
        result.truncated = True
        note = (
            f"\n[output stopped: a box may print at most {MAX_LINES:,} lines "
            f"or {MAX_CHARS:,} characters]\n"
        )
        write("stderr", note)
    except BaseException as exc:  # a box reports every failure, SystemExit included
        result.ok = False
        result.error = format_error(exc)
        write("stderr", result.error)
    finally:
        sys.stdout, sys.stderr, display._sink = saved
        sys.meta_path.remove(guard)
    return result


def format_error(exc: BaseException) -> str:
    """Format ``exc`` as a traceback of the reader's own lines, with a hint where one helps."""
    report = traceback.TracebackException.from_exception(exc)
    report.stack = traceback.StackSummary.from_list(
        [frame for frame in report.stack if frame.filename == FILENAME]
    )
    text = "".join(report.format())
    if isinstance(exc, ModuleNotFoundError) and getattr(exc, "_box_unbundled", False):
        text += (
            f"Note: `{exc.name}` is not bundled with this course. Code boxes run {BUNDLED} "
            "only, entirely in your browser.\n"
        )
    return text


class BundledOnly:
    """An import hook that lets a box import the standard library and `simulations` only.

    The build's CPython may have more packages installed than the browser's Pyodide; refusing
    the rest in both places keeps a box's behaviour the same in both.
    """

    allowed = frozenset(sys.stdlib_module_names) | {"simulations"}

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        top = name.partition(".")[0]
        if top not in self.allowed:
            error = ModuleNotFoundError(f"No module named {top!r}", name=top)
            error._box_unbundled = True  # type: ignore[attr-defined]
            raise error
        return None


def run_collected(code: str) -> BoxResult:
    """Run ``code`` and collect everything it printed and drew: the build's way to call run()."""
    chunks: list[str] = []
    charts: list[dict[str, str]] = []
    result = run(
        code,
        write=lambda _stream, text: chunks.append(text),
        chart=lambda svg, title: charts.append({"svg": svg, "title": title}),
    )
    result.output = "".join(chunks)
    result.charts = charts
    return result


def run_batched(
    code: str,
    post_out: Callable[[str], None],
    post_chart: ShowChart,
    *,
    flush_every: float = FLUSH_EVERY,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Run ``code`` for the browser's worker; return ``{ok, error, truncated}`` as JSON.

    Output goes to ``post_out`` as JSON ``[[stream, text], ...]``: consecutive writes to one
    stream are joined, and a batch is passed on once ``flush_every`` seconds have gone by since
    the last one, before a chart (so output and charts stay in order) and at the end.
    """
    pending: list[tuple[str, list[str]]] = []
    last = 0.0

    def flush() -> None:
        nonlocal last
        if pending:
            post_out(json.dumps([[stream, "".join(parts)] for stream, parts in pending]))
            pending.clear()
        last = clock()

    def write(stream: str, text: str) -> None:
        if pending and pending[-1][0] == stream:
            pending[-1][1].append(text)
        else:
            pending.append((stream, [text]))
        if clock() - last >= flush_every:
            flush()

    def chart(svg: str, title: str) -> None:
        flush()
        post_chart(svg, title)

    try:
        result = run(code, write=write, chart=chart)
    finally:
        flush()
    return json.dumps({"ok": result.ok, "error": result.error, "truncated": result.truncated})


def main() -> None:
    """Read a box's code on stdin, run it, print the result as JSON (used by the site build)."""
    code = sys.stdin.read()
    result = run_collected(code)
    sys.stdout.write(json.dumps(asdict(result)))


if __name__ == "__main__":
    main()
