"""Code-preview boxes: the one Markdown syntax for a runnable box, and its build-time output.

A contributor writes a fenced block with the language ``pyrun``::

    ```pyrun title="stream-logic"
    from simulations import generate_stream, run_stream
    print(run_stream(generate_stream(seed=1)).panel())
    ```

At build time the code runs with the same harness the browser uses (:mod:`simulations._box`), in a
separate CPython process with a time limit, and its output (and any chart) is written into the
page. Every box therefore reads without JavaScript and from ``file://``; the live runner
(``web/src/``) later takes over the same element. A box that raises or runs too long fails the
build, naming the page and the box.

Options (all optional): ``title`` (shown in the mock address bar, default none), ``id`` (the key
under which a reader's edits are saved; default: the title, else ``box-N`` for the N-th box of the
page), ``build_timeout`` (seconds the build lets the box run, default 10; the live run has the
runner's own limit), ``static="1"`` (no Run button; output still pre-rendered) and ``expect``
(figures the page's prose quotes, separated by ``|``: the build fails unless each appears in the
box's output, so a text and its box cannot drift apart).

A box's id is fixed once, here, when the fence is parsed (:func:`format_box`); the course
data for the browser reads it from :attr:`BoxFence.pages`, never from the HTML.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import mimetypes
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

from .runs_ahead import RunsAhead, fences_in

FENCE = "pyrun"
DEFAULT_BUILD_TIMEOUT = 10.0
OPTIONS = {"title", "id", "build_timeout", "static", "expect"}
MAX_LINE = 78  # characters: a box's code fits its frame on a laptop without scrolling sideways
PLACEHOLDER = re.compile(r"<!--code-preview:([0-9a-f]{16})-->")
PATH_FROM_ARGV = "import sys; sys.path.insert(0, sys.argv[1]); "  # the child imports ours
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
BOX_ENTRY = "from simulations._box import main; main()"  # the harness the browser runs too

# Python 3.11's table lacks .mjs; `mkdocs serve` must send Pyodide's modules as JavaScript.
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("application/wasm", ".wasm")


@dataclass(frozen=True, slots=True)
class FencedBox:
    """One box as written in Markdown, with its id already decided."""

    code: str
    title: str
    box_id: str
    static: bool
    build_timeout: float
    expect: tuple[str, ...] = ()
    exercise: bool = False  # the editor of a ``pyexercise`` (coursekit/exercises.py): no Run XP


@dataclass
class BoxFence:
    """The ``pyrun`` fence of one build: boxes by placeholder key, their ids by page, results.

    ``mkdocs serve`` keeps one instance across rebuilds, so a box whose code and whose
    ``simulations`` are unchanged is not run again. ``ahead`` holds the runs started before
    the pages render (:mod:`coursekit.runs_ahead`), shared with the exercises.
    """

    root: Path
    boxes: dict[str, FencedBox] = field(default_factory=dict)
    pages: dict[str, list[FencedBox]] = field(default_factory=dict)  # page source -> its boxes
    results: dict[str, dict] = field(default_factory=dict)
    page: str = ""
    sim_digest: str = ""
    ahead: RunsAhead = field(default_factory=RunsAhead)

    def fence(self) -> dict:
        """The entry for pymdownx.superfences' ``custom_fences``."""
        return {
            "name": FENCE,
            "class": "code-preview",
            "validator": partial(validate, fence=self),
            "format": partial(format_box, fence=self),
        }

    def start_build(self) -> None:
        self.sim_digest = _simulations_digest(self.root)
        self.pages.clear()
        self.ahead.forget()

    def run_ahead(self, markdown_text: str) -> None:
        """Start the run of each box of a page's Markdown whose output is not cached yet.

        A box whose options are malformed is left to its page's render, which reports it.
        """
        for src, options in fences_in(markdown_text, FENCE):
            try:
                code, title, build_timeout, expect = box_parts(src, options)
            except ValueError:
                continue
            key = _digest(code, title, str(build_timeout), *expect) + self.sim_digest
            if key not in self.results:
                self.ahead.submit(key, run_python, BOX_ENTRY, code, self.root, build_timeout)

    def start_page(self, src_path: str) -> None:
        """Boxes parsed from now on belong to page ``src_path``."""
        self.page = src_path
        self.pages[src_path] = []

    def runnable_ids(self, src_path: str) -> list[str]:
        """The ids of the lesson boxes of a page that have a Run button, in page order.

        An exercise's editor is a box too, but it counts through its exercise, not its runs.
        """
        return [
            box.box_id
            for box in self.pages.get(src_path, [])
            if not box.static and not box.exercise
        ]

    def next_id(self, options: dict) -> str:
        """The id a new box (or exercise) of the page gets: ``id``, else the title, else box-N."""
        on_page = self.pages.setdefault(self.page, [])
        return options.get("id") or options.get("title") or f"box-{len(on_page) + 1}"

    def add(self, box: FencedBox) -> None:
        """Register a box of the current page; ids are unique among its boxes and exercises,
        since a reader's saved code is kept under the id."""
        on_page = self.pages.setdefault(self.page, [])
        if any(other.box_id == box.box_id for other in on_page):
            raise BoxError(
                f"{self.page}: two boxes share the id {box.box_id!r}; give each a title or id"
            )
        on_page.append(box)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def _simulations_digest(root: Path) -> str:
    """A digest of the package's source: a box's cached output is stale once it changes."""
    h = hashlib.sha256()
    for path in sorted((root / "simulations").rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# The fence: Markdown -> HTML with a placeholder for the output
# ---------------------------------------------------------------------------------------------


class BoxError(SuperFencesException, PluginError):
    """A contributor's mistake in a box or an exercise. SuperFences lets only its own exception
    out of a fence (any other means "not this fence"); MkDocs prints a PluginError as one line,
    without a traceback. This is both, so the message reaches the contributor as written."""


def box_name(inputs: dict) -> str:
    return repr(inputs["title"]) if inputs.get("title") else "without a title"


def check_options(where: str, inputs: dict, accepted: set[str]) -> None:
    """Refuse an option not in ``accepted``, a malformed ``id`` or ``build_timeout``.

    ``where`` names the page and the fence in the message (``docs/x.md: pyrun box 'y'``): the
    options a box and an exercise share are checked here, once, for both.
    """
    unknown = sorted(set(inputs) - accepted)
    if unknown:
        close = difflib.get_close_matches(unknown[0], accepted, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise BoxError(
            f"{where}: unknown option {unknown[0]!r}; {hint}"
            f"the options are {', '.join(sorted(accepted))}"
        )
    if "id" in inputs and not ID_PATTERN.match(inputs["id"]):
        raise BoxError(f"{where}: id {inputs['id']!r} may hold letters, digits, . _ / - only")
    if "build_timeout" in inputs:
        try:
            if float(inputs["build_timeout"]) <= 0:
                raise ValueError
        except ValueError:
            raise BoxError(
                f"{where}: build_timeout must be a number of seconds > 0, "
                f"got {inputs['build_timeout']!r}"
            ) from None


def validate(language, inputs, options, attrs, md, *, fence: BoxFence) -> bool:
    """Accept ``title``, ``id``, ``build_timeout``, ``static``, ``expect``; refuse the rest,
    naming the page and the box."""
    check_options(f"{fence.page}: pyrun box {box_name(inputs)}", inputs, OPTIONS)
    options.update(inputs)
    return True


def check_line_lengths(where: str, code: str) -> None:
    """Refuse a line of shown code longer than :data:`MAX_LINE` (``where`` names the fence)."""
    for number, line in enumerate(code.splitlines(), 1):
        if len(line) > MAX_LINE:
            raise BoxError(
                f"{where}, line {number} of the box, is {len(line)} characters long; keep box "
                f"lines to {MAX_LINE} at most, so they fit without scrolling"
            )


def highlight_python(code: str, md) -> str:
    """``code`` highlighted as superfences highlights a ``python`` block (the page's settings)."""
    highlight = md.preprocessors["fenced_code_block"].extension.superfences[0]["formatter"]
    return highlight(
        src=code.rstrip("\n"),
        class_name="highlight",
        language="python",
        md=md,
        options={},
        classes=[],
        id_value="",
        attrs={},
    )


def box_markup(box: FencedBox, md, panel: str, extra: dict[str, str] | None = None) -> str:
    """The markup of a box (the runner's DOM contract): bar, highlighted code, output panel.

    ``panel`` is what the output panel holds after its heading: a placeholder for the build's
    output, or, for an exercise, an empty output area.
    """
    attrs = {
        "class": "code-preview",
        "data-state": "prerendered",
        "data-title": box.title,
        "data-box": box.box_id,
        **(extra or {}),
    }
    if box.static:
        attrs["data-static"] = ""
    attr_text = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    label = html.escape(f"localhost:3000/{box.title}" if box.title else "localhost:3000")
    return (
        f"<div {attr_text}>"
        '<div class="code-preview-bar">'
        '<span class="code-preview-dots" aria-hidden="true"></span>'
        f'<span class="code-preview-url">{label}</span>'
        "</div>"
        f'<div class="code-preview-source">{highlight_python(box.code, md)}</div>'
        '<div class="code-preview-panel" data-search-exclude>'
        '<div class="code-preview-head"><span class="code-preview-heading">Execution Output</span>'
        '<span class="code-preview-status">Status: <span class="code-preview-state">'
        "Pre-rendered at build time</span></span></div>"
        f"{panel}"
        "</div></div>"
    )


def box_parts(src: str, options: dict) -> tuple[str, str, float, tuple[str, ...]]:
    """A box's code, title, build time limit and expected figures, from its fence.

    Both the render (:func:`format_box`) and the run started ahead (:meth:`BoxFence.run_ahead`)
    read a fence through here, so that they agree on the key of its run.
    """
    code = src if src.endswith("\n") else src + "\n"
    title = options.get("title") or ""
    build_timeout = float(options.get("build_timeout") or DEFAULT_BUILD_TIMEOUT)
    expect = tuple(f.strip() for f in (options.get("expect") or "").split("|") if f.strip())
    return code, title, build_timeout, expect


def format_box(src, language, class_name, options, md, *, fence: BoxFence, **kwargs) -> str:
    """Render the box: mock address bar, highlighted code, and the output area (a placeholder).

    The box's id is decided here, once: the ``id`` option, else the title, else ``box-N``.
    """
    code, title, build_timeout, expect = box_parts(src, options)
    check_line_lengths(f"{fence.page}: pyrun box {box_name(options)}", code)
    box = FencedBox(
        code, title, fence.next_id(options), bool(options.get("static")), build_timeout, expect
    )
    fence.add(box)
    key = _digest(code, title, str(build_timeout), *expect)
    fence.boxes[key] = box
    return box_markup(box, md, f"<!--code-preview:{key}-->")


# ---------------------------------------------------------------------------------------------
# Build-time execution
# ---------------------------------------------------------------------------------------------


def run_python(entry: str, stdin: str, root: Path, timeout: float):
    """Run ``entry`` (Python that imports from ``simulations``) in a fresh, isolated CPython
    process fed ``stdin``; return the JSON it prints. Raises ``subprocess.TimeoutExpired``
    past ``timeout`` seconds, ``RuntimeError`` if the process fails.

    A process of its own per run: a box or an exercise cannot leave state (imports, globals,
    a patched module) behind for the next one, and an endless loop is ended from outside.
    """
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",  # no site-packages: simulations needs the standard library only, and the
            # start-up skips reading the .pth files (a tenth of a box's CPU time)
            "-B",  # no __pycache__ in simulations/: `mkdocs serve` watches it and would rebuild
            "-c",
            f"{PATH_FROM_ARGV}{entry}",
            str(root),
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=root,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"the harness exited with {proc.returncode}")
    return json.loads(proc.stdout)


def run_box(box: FencedBox, root: Path) -> dict:
    """Run one box in a fresh CPython process with the box harness; return its result dict."""
    return run_python(BOX_ENTRY, box.code, root, box.build_timeout)


def _output_html(result: dict) -> str:
    charts = "".join(
        f'<figure class="code-preview-chart">{chart["svg"]}</figure>' for chart in result["charts"]
    )
    return (
        '<pre class="code-preview-output" aria-live="polite" tabindex="0">'
        f"{html.escape(result['output'])}</pre>"
        f'<div class="code-preview-charts">{charts}</div>'
    )


def fill_outputs(html_text: str, page, fence: BoxFence) -> str:
    """Replace each box's placeholder with the output of running it (or of its run started
    ahead, waited for here)."""
    count = 0

    def fill(match: re.Match) -> str:
        nonlocal count
        count += 1
        key = match.group(1)
        box = fence.boxes[key]
        name = box.title or f"box {count}"
        cache_key = key + fence.sim_digest
        if cache_key not in fence.results:
            try:
                result = fence.ahead.result(cache_key, run_box, box, fence.root)
            except subprocess.TimeoutExpired:
                raise PluginError(
                    f"{page.file.src_path}: code box {name!r} ran past its build limit of "
                    f"{box.build_timeout:g} s"
                ) from None
            except Exception as exc:
                raise PluginError(
                    f"{page.file.src_path}: code box {name!r} failed: {exc}"
                ) from None
            if not result["ok"]:
                raise PluginError(
                    f"{page.file.src_path}: code box {name!r} raised an error:\n{result['error']}"
                )
            fence.results[cache_key] = result
        missing = [f for f in box.expect if f not in fence.results[cache_key]["output"]]
        if missing:
            raise PluginError(
                f"{page.file.src_path}: code box {name!r} no longer prints {missing}, "
                "which the page quotes: update the text or the box"
            )
        return _output_html(fence.results[cache_key])

    return PLACEHOLDER.sub(fill, html_text)
