"""Checked exercises: the ``pyexercise`` fence, its markup, and the build's check of each one.

A box shows; an exercise asks the reader to write the code. A contributor writes one fence::

    ```pyexercise title="watermark-delay" attempts="3"
    #| starter
    def watermark_delay(events):
        return ____
    #| solution
    def watermark_delay(events):
        return max(e.arrival_time - e.event_time for e in events)
    #| check
    f = function("watermark_delay")
    for evs in random_streams(20):
        same_result(f, solution_function("watermark_delay"), evs)
    #| hint
    An event is late when the watermark has already passed its event time.
    ```

Sections open with a marker line ``#| <name>``: ``starter`` (what the reader starts from),
``solution`` and ``check`` (run by :func:`simulations.grading.grade`), each exactly once, and any
number of ``hint`` sections (Markdown, revealed one at a time). Options: ``title`` (required),
``id`` (defaults to the title), ``attempts`` (failed checks after which the solution may be shown,
default 3) and ``build_timeout`` (seconds, default 10).

**The build checks every exercise** in a fresh CPython process, as it runs boxes
(:func:`coursekit.boxes.run_python`): the solution must pass its own check, the starter must not
(else there is nothing to do), and neither may make the check itself fail ("error", a bug of
the exercise). Any of these, a time-out, an unknown option or marker, or a missing section stops
the build with a message naming the page and the exercise.

The exercise's editor is a box (the same markup and runner), registered with the ``pyrun``
fence so that ids stay unique on a page. The check and the solution ride in the page as JSON:
a static site cannot hide them from a reader who looks at its source, and the docs say so.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from dataclasses import dataclass, field
from functools import partial

import markdown

from .boxes import (
    DEFAULT_BUILD_TIMEOUT,
    BoxError,
    BoxFence,
    FencedBox,
    _digest,
    box_markup,
    check_line_lengths,
    check_options,
    highlight_python,
    run_python,
)
from .runs_ahead import fences_in

FENCE = "pyexercise"
OPTIONS = {"title", "id", "attempts", "build_timeout"}
SECTIONS = ("starter", "solution", "check", "hint")
REQUIRED = ("starter", "solution", "check")
DEFAULT_ATTEMPTS = 3
MARKER = re.compile(r"^#\|(?P<rest>.*)$")

# The build's check, in the child process: grade the solution and the starter against the check.
CHECK_ENTRY = (
    "import json; from simulations.grading import grade; d = json.load(sys.stdin); "
    "print(json.dumps({k: grade(d[k], d['solution'], d['check']).to_dict() "
    "for k in ('solution', 'starter')}))"
)


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise as written: its sections and options, its id already decided."""

    exercise_id: str
    title: str
    starter: str
    solution: str
    check: str
    hints: tuple[str, ...] = ()
    attempts: int = DEFAULT_ATTEMPTS
    build_timeout: float = DEFAULT_BUILD_TIMEOUT


@dataclass
class ExerciseFence:
    """The ``pyexercise`` fence of one build; its editors are registered with ``boxes``.

    ``verdicts`` keeps the build's check of each exercise (by its text and the package's
    digest), so ``mkdocs serve`` does not check an unchanged exercise again.
    """

    boxes: BoxFence
    pages: dict[str, list[Exercise]] = field(default_factory=dict)
    verdicts: dict[str, dict] = field(default_factory=dict)

    def fence(self) -> dict:
        """The entry for pymdownx.superfences' ``custom_fences``."""
        return {
            "name": FENCE,
            "class": "code-exercise",
            "validator": partial(validate, fence=self),
            "format": partial(format_exercise, fence=self),
        }

    def start_build(self) -> None:
        self.pages.clear()

    def run_ahead(self, markdown_text: str) -> None:
        """Start the check of each exercise of a page's Markdown not checked yet (the runs
        share the boxes' pool). A malformed exercise is left to its page's render."""
        for body, options in fences_in(markdown_text, FENCE):
            try:
                exercise = exercise_from(body, options, "")
            except ValueError:
                continue
            key = verdict_key(exercise, self.boxes.sim_digest)
            if key not in self.verdicts:
                self.boxes.ahead.submit(key, check_exercise, exercise, self.boxes.root)

    def ids(self, src_path: str) -> list[str]:
        """The ids of the page's exercises, in page order (for the course data)."""
        return [e.exercise_id for e in self.pages.get(src_path, [])]


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def exercise_name(options: dict) -> str:
    """How messages name an exercise: by its title (or id)."""
    name = options.get("title") or options.get("id")
    return f"exercise {name!r}" if name else "exercise without a title"


def validate(language, inputs, options, attrs, md, *, fence: ExerciseFence) -> bool:
    """Accept the exercise's options, naming the page and the exercise; the sections and the
    required title are checked when it is formatted."""
    where = f"{fence.boxes.page}: {exercise_name(inputs)}"
    check_options(where, inputs, OPTIONS)
    if "attempts" in inputs and not re.fullmatch(r"[1-9][0-9]*", inputs["attempts"]):
        raise BoxError(f"{where}: attempts must be a whole number >= 1, got {inputs['attempts']!r}")
    options.update(inputs)
    return True


def parse_sections(body: str) -> dict[str, list[str]]:
    """Split an exercise's body at its ``#| name`` markers: ``{name: [text, ...]}``.

    Raises ``ValueError`` for text before the first marker, an unknown marker, a required
    section missing or repeated, or one left empty.

    >>> s = parse_sections("#| starter\\nx = ____\\n#| solution\\nx = 1\\n#| check\\npass\\n")
    >>> s["starter"], s["hint"]
    (['x = ____\\n'], [])
    """
    sections: dict[str, list[str]] = {name: [] for name in SECTIONS}
    current: list[str] | None = None
    for number, line in enumerate(body.splitlines(keepends=True), 1):
        marker = MARKER.match(line.rstrip("\n"))
        if marker:
            name = marker["rest"].strip()
            if name not in SECTIONS:
                raise ValueError(
                    f"line {number}: unknown marker {line.strip()!r}; "
                    f"sections are {', '.join('#| ' + s for s in SECTIONS)}"
                )
            current = []
            sections[name].append(current)  # type: ignore[arg-type]
            continue
        if current is None:
            if line.strip():
                raise ValueError(
                    f"line {number}: text before the first section; start with '#| starter'"
                )
            continue
        current.append(line)
    texts = {
        name: ["".join(lines).strip("\n") + "\n" for lines in parts]
        for name, parts in sections.items()
    }
    for name in REQUIRED:
        if not texts[name]:
            raise ValueError(f"the section '#| {name}' is missing")
        if len(texts[name]) > 1:
            raise ValueError(f"the section '#| {name}' appears {len(texts[name])} times")
    for name, parts in texts.items():
        if any(not part.strip() for part in parts):
            raise ValueError(f"a section '#| {name}' is empty")
    return texts


def exercise_from(body: str, options: dict, exercise_id: str) -> Exercise:
    """An :class:`Exercise` from its fence's body and options (``ValueError`` if malformed)."""
    if not options.get("title"):
        raise ValueError('the option title="..." is required')
    sections = parse_sections(body)
    return Exercise(
        exercise_id=exercise_id,
        title=options["title"],
        starter=sections["starter"][0],
        solution=sections["solution"][0],
        check=sections["check"][0],
        hints=tuple(sections["hint"]),
        attempts=int(options.get("attempts") or DEFAULT_ATTEMPTS),
        build_timeout=float(options.get("build_timeout") or DEFAULT_BUILD_TIMEOUT),
    )


def exercises_in(markdown_text: str) -> list[Exercise]:
    """Every exercise written in a page's Markdown, parsed as the build parses it."""
    return [
        exercise_from(body, options, options.get("id") or options.get("title") or "")
        for body, options in fences_in(markdown_text, FENCE)
    ]


# ---------------------------------------------------------------------------------------------
# The build's check
# ---------------------------------------------------------------------------------------------


def verdict_key(exercise: Exercise, sim_digest: str) -> str:
    """The key of an exercise's check: what it runs and the package it runs against."""
    return _digest(
        exercise.starter,
        exercise.solution,
        exercise.check,
        str(exercise.build_timeout),
        sim_digest,
    )


def check_exercise(exercise: Exercise, root) -> dict[str, dict]:
    """Grade the solution and the starter in a fresh CPython process: ``{"solution": verdict,
    "starter": verdict}`` (each a ``Verdict.to_dict()``). Raises ``subprocess.TimeoutExpired``
    past the exercise's ``build_timeout``, ``RuntimeError`` if the process fails."""
    payload = json.dumps(
        {"starter": exercise.starter, "solution": exercise.solution, "check": exercise.check}
    )
    return run_python(CHECK_ENTRY, payload, root, exercise.build_timeout)


def problem_with(verdicts: dict[str, dict]) -> str | None:
    """What is wrong with an exercise, given the build's verdicts, in a contributor's words."""
    solution, starter = verdicts["solution"], verdicts["starter"]
    for name, verdict in (("solution", solution), ("starter", starter)):
        if verdict["status"] == "error":
            return f"its check is broken (graded against the {name}): {verdict['message']}"
    if solution["status"] != "passed":
        return f"the solution does not pass its check: {solution['message']}"
    if starter["status"] == "passed":
        return "the starter already passes its check: the reader would have nothing to do"
    return None


# ---------------------------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------------------------

_hint_markdown = markdown.Markdown(extensions=["pymdownx.superfences", "pymdownx.highlight"])


def hint_html(text: str) -> str:
    """A hint's Markdown as HTML (its own converter: the page's is busy with the page)."""
    _hint_markdown.reset()
    return _hint_markdown.convert(text)


def _json_for_attribute(value: object) -> str:
    """JSON as an attribute's value, escaped: the browser hands the attribute back unescaped."""
    return html.escape(json.dumps(value, ensure_ascii=False, sort_keys=True), quote=True)


def editor_box(exercise: Exercise) -> FencedBox:
    """The exercise's editor: a box holding the starter, under the exercise's id."""
    return FencedBox(
        exercise.starter,
        exercise.title,
        exercise.exercise_id,
        False,
        exercise.build_timeout,
        exercise=True,
    )


def exercise_markup(exercise: Exercise, md) -> str:
    """The exercise as the runner's DOM contract has it (web/README.md, "Exercises")."""
    box = editor_box(exercise)
    editor = box_markup(
        box,
        md,
        '<pre class="code-preview-output" aria-live="polite" tabindex="0"></pre>'
        '<div class="code-preview-charts"></div>',
        {"data-exercise-box": ""},
    )
    hints = "".join(
        f'<li class="code-exercise-hint" hidden>{hint_html(hint)}</li>' for hint in exercise.hints
    )
    # The solution's highlighted markup rides in the JSON too, not in a <template>: the search
    # index reads a template's code (a search would find the solution), not an attribute. Not in
    # a <script type="application/json"> either: Material's instant navigation re-creates every
    # script of the new page without its attributes, and runs the JSON as JavaScript.
    data = {
        "check": exercise.check,
        "solution": exercise.solution,
        "solution_html": highlight_python(exercise.solution, md),
    }
    attrs = {
        "class": "code-exercise",
        "data-exercise": exercise.exercise_id,
        "data-attempts": str(exercise.attempts),
        "data-hints": str(len(exercise.hints)),
    }
    attr_text = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return (
        f"<div {attr_text}>"
        f"{editor}"
        '<div class="code-exercise-feedback" data-search-exclude>'
        '<p class="code-exercise-result" data-exercise-result data-status="unchecked" '
        'role="status" aria-live="polite">Not checked yet.</p>'
        f'<ol class="code-exercise-hints" hidden>{hints}</ol>'
        '<div class="code-exercise-solution" data-exercise-solution hidden></div>'
        f'<div hidden data-exercise-data="{_json_for_attribute(data)}"></div>'
        "</div></div>"
    )


def format_exercise(src, language, class_name, options, md, *, fence: ExerciseFence, **kwargs):
    """Parse the exercise, check it (cached), render it. Errors name the page and the exercise."""
    where = f"{fence.boxes.page}: {exercise_name(options)}"
    exercise_id = fence.boxes.next_id(options)
    try:
        exercise = exercise_from(src, options, exercise_id)
    except ValueError as exc:
        raise BoxError(f"{where}: {exc}") from None
    check_line_lengths(f"{where}, its starter", exercise.starter)
    check_line_lengths(f"{where}, its solution", exercise.solution)
    fence.boxes.add(editor_box(exercise))
    key = verdict_key(exercise, fence.boxes.sim_digest)
    if key not in fence.verdicts:
        try:
            fence.verdicts[key] = fence.boxes.ahead.result(
                key, check_exercise, exercise, fence.boxes.root
            )
        except subprocess.TimeoutExpired:
            raise BoxError(
                f"{where}: its check ran past the build limit of {exercise.build_timeout:g} s"
            ) from None
        except Exception as exc:
            raise BoxError(f"{where}: its check could not run: {exc}") from None
    problem = problem_with(fence.verdicts[key])
    if problem:
        del fence.verdicts[key]  # checked again on the next build, even if nothing changed
        raise BoxError(f"{where}: {problem}")
    fence.pages.setdefault(fence.boxes.page, []).append(exercise)
    return exercise_markup(exercise, md)
