"""Content checks: what a page must hold, checked in its Markdown source before anything renders.

The course plugin runs these on every page at the start of each build (``on_files``) and stops the
build with every problem found, each as ``path:line: what is wrong and what to do``. They read the
source, not the built HTML, so a contributor learns of a mistake in the few seconds a build takes,
at the line to change, and before the macros plugin (Jinja) or mkdocs-quiz see the page and fail
with a message of their own about text they have already changed.

The rules apply to every page, present and future, without a list of pages:

* a front matter ``description`` (search engines and link previews show it);
* one ``#`` heading, first, then levels that go down one at a time (``##`` then ``###``), so a
  screen reader's outline has no holes;
* every quiz question has a correct answer and an explanation after its answers;
* each lesson of ``course.yml`` has a box, at least three quiz questions, and ends with
  ``## References``, ``## Quick quiz`` and ``{{ continue_learning() }}``, in that order;
* every image has alt text, and no fence's language is a misspelling of ``pyrun``;
* no ``{{``, ``{%`` or ``{#`` inside a box or any fenced code: the page passes through Jinja
  first, which would run them as a template;
* an attribute list written ``{#id}``: Jinja reads ``{#`` as the start of a comment;
* the glossary's entries in alphabetical order, and no "Also" spelling that another entry already
  has (the tooltip could show only one of the two definitions).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations, pairwise

import yaml

from .boxes import FENCE as BOX
from .glossary import HEADING as GLOSSARY_HEADING
from .glossary import parse_glossary

MIN_QUESTIONS = 3  # per lesson: one question is a trivia check, three test the lesson's reasoning

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
ATX = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*(?:\{[^}]*\})?[ \t]*$")
ANSWER = re.compile(r"^[-*] \[(?P<mark>.?)\] ")
JINJA_IN_CODE = re.compile(r"\{[{%#]")
NO_ALT = re.compile(r"!\[\s*\]\(")
CONTINUE = "{{ continue_learning() }}"
RAW = re.compile(r"\{%-?\s*(raw|endraw)\s*-?%\}")
HASH_ID = re.compile(r"\{#[A-Za-z][\w-]*\s*\}")
TITLE = re.compile(r"""\btitle=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))""")


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake, where it is: printed as ``path:line: message`` (line 0: the whole file)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        return f"{place}: {self.message}"


@dataclass(frozen=True, slots=True)
class Line:
    """A line of a page outside code (``code`` is None) or inside a fence (its info string)."""

    number: int
    text: str
    code: str | None


def lines_of(text: str) -> Iterator[Line]:
    """The page's lines, each knowing whether it lies inside a fenced code block, and which."""
    opened: tuple[str, int, str] | None = None  # fence character, length, info string
    for number, text_line in enumerate(text.splitlines(), 1):
        match = FENCE.match(text_line)
        if opened is None:
            if match:
                fence = match["fence"]
                opened = (fence[0], len(fence), match["info"].strip())
                yield Line(number, text_line, None)
                continue
            yield Line(number, text_line, None)
        else:
            char, length, info = opened
            fence = match["fence"] if match and not match["info"].strip() else ""
            if fence and fence[0] == char and len(fence) >= length:
                opened = None
                yield Line(number, text_line, None)
            else:
                yield Line(number, text_line, info)


def front_matter(text: str) -> dict | None:
    """The page's YAML front matter, or None when it has none."""
    match = re.match(r"^---[ \t]*\n(.*?\n)?---[ \t]*\n", text, re.S)
    if not match:
        return None
    try:
        meta = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        return None
    return meta if isinstance(meta, dict) else None


def description_problems(path: str, text: str) -> list[Problem]:
    meta = front_matter(text)
    description = (meta or {}).get("description")
    if isinstance(description, str) and description.strip():
        return []
    return [
        Problem(
            path,
            1,
            "no description: start the page with a front matter holding one sentence for "
            "search results and link previews:\n"
            '    ---\n    description: "What the page teaches."\n    ---',
        )
    ]


def heading_problems(path: str, headings: list[tuple[int, int, str]]) -> list[Problem]:
    """Headings given as (line, level, text): one level 1 first, then no level skipped."""
    if not headings:
        return [Problem(path, 0, "no heading: start the page with one '# Title'")]
    problems = []
    first_line, first_level, first_text = headings[0]
    if first_level != 1:
        problems.append(
            Problem(path, first_line, f"the first heading, {first_text!r}, must be '# Title'")
        )
    for line, level, text in headings[1:]:
        if level == 1:
            problems.append(
                Problem(path, line, f"a second '#' heading, {text!r}: a page has one; use '##'")
            )
    for (_, before, _), (line, after, text) in pairwise(headings):
        if after > before + 1:
            problems.append(
                Problem(
                    path,
                    line,
                    f"heading {text!r} is level {after} right after a level {before}: use "
                    f"{'#' * (before + 1)} (headings go down one level at a time)",
                )
            )
    return problems


def page_headings(lines: list[Line]) -> list[tuple[int, int, str]]:
    """The ATX headings written at the start of a line, outside code and quizzes."""
    headings = []
    in_quiz = False
    for line in lines:
        if line.code is not None:
            continue
        if line.text.strip().startswith("<quiz>"):
            in_quiz = True
        if not in_quiz and (match := ATX.match(line.text)):
            headings.append((line.number, len(match["hashes"]), match["text"].strip()))
        if line.text.strip().endswith("</quiz>"):
            in_quiz = False
    return headings


def quiz_problems(path: str, lines: list[Line], lesson: bool) -> list[Problem]:
    """Every question has a correct answer and an explanation; a lesson has enough of them."""
    problems = []
    quizzes: list[tuple[int, list[Line]]] = []  # the <quiz> line, the lines inside
    current: list[Line] | None = None
    for line in lines:
        if line.code is not None:
            continue
        stripped = line.text.strip()
        if stripped.startswith("<quiz>"):
            current = []
            quizzes.append((line.number, current))
            continue
        if stripped.startswith("</quiz>"):
            current = None
            continue
        if current is not None:
            current.append(line)
    for start, quiz in quizzes:
        body = [(line.number, line.text.strip()) for line in quiz]
        question = next((text for _, text in body if text), "")
        name = f"quiz question {question[:50]!r}"
        answers = [(n, ANSWER.match(text)) for n, text in body if ANSWER.match(text)]
        if not answers:
            problems.append(
                Problem(path, start, f"{name} has no answers: list them as '- [x]' and '- [ ]'")
            )
            continue
        if not any(match["mark"] in "xX" and match["mark"] for _, match in answers):
            problems.append(
                Problem(
                    path,
                    answers[0][0],
                    f"{name} has no correct answer: mark it '- [x]' (a wrong one is '- [ ]')",
                )
            )
        last = answers[-1][0]
        explanation = [text for n, text in body if n > last and text and not text.startswith(">")]
        if not explanation:
            problems.append(
                Problem(
                    path,
                    last,
                    f"{name} has no explanation: after the answers, say why the right answer is "
                    "right (the reader sees it once they have answered)",
                )
            )
    if lesson and len(quizzes) < MIN_QUESTIONS:
        problems.append(
            Problem(
                path,
                0,
                f"a lesson needs at least {MIN_QUESTIONS} quiz questions under '## Quick quiz'; "
                f"it has {len(quizzes)}",
            )
        )
    return problems


def box_title(info: str) -> str:
    match = TITLE.search(info)
    title = match and (match["dq"] or match["sq"] or match["bare"])
    return repr(title) if title else "without a title"


def code_name(info: str) -> str:
    """How a message names a fenced block: a box by its title, other code by its language."""
    language = info.split(" ", 1)[0].lstrip("{.") or "code"
    if language == "pyrun":
        return f"pyrun box {box_title(info)}"
    return f"{language} block"


def jinja_problems(path: str, lines: list[Line]) -> list[Problem]:
    """No Jinja syntax inside code; no ``{#id}`` (Jinja's comment) where ``{ #id }`` is meant."""
    problems = []
    raw = False  # between {% raw %} and {% endraw %}, Jinja leaves the text alone
    for line in lines:
        if RAW.search(line.text):
            raw = RAW.findall(line.text)[-1] == "raw"
            continue
        if raw:
            continue
        if line.code is not None and (match := JINJA_IN_CODE.search(line.text)):
            problems.append(
                Problem(
                    path,
                    line.number,
                    f"{code_name(line.code)} holds {match.group(0)!r}: the page passes "
                    "through the macros plugin (Jinja) first, which would run it as a template; "
                    'write it another way (an f-string\'s "{{x}}" as "{" + x + "}") or put the '
                    "block between {% raw %} and {% endraw %} lines",
                )
            )
        elif line.code is None and (match := HASH_ID.search(line.text)):
            fixed = "{ #" + match.group(0)[2:].rstrip("} ") + " }"
            problems.append(
                Problem(
                    path,
                    line.number,
                    f"{match.group(0)!r}: '{{#' starts a Jinja comment; write {fixed!r}, with "
                    "a space after '{'",
                )
            )
    return problems


def lesson_problems(path: str, lines: list[Line]) -> list[Problem]:
    """A lesson has a box, and ends with its references, its quiz and the "Continue learning"
    card, in that order: readers find them in the same place on every lesson."""
    problems = []
    ending = "a lesson ends with '## References', '## Quick quiz' and {{ continue_learning() }}"
    sections = {text: n for n, level, text in page_headings(lines) if level == 2}
    references, quiz = sections.get("References"), sections.get("Quick quiz")
    for title, line in (("References", references), ("Quick quiz", quiz)):
        if line is None:
            problems.append(Problem(path, 0, f"no '## {title}': {ending}"))
    if references and quiz and quiz < references:
        problems.append(
            Problem(path, quiz, f"'## Quick quiz' comes before '## References': {ending}")
        )
    last = next((line for line in reversed(lines) if line.text.strip()), None)
    if last is None or last.code is not None or last.text.strip() != CONTINUE:
        problems.append(
            Problem(path, last.number if last else 0, f"the last line is not {CONTINUE}: {ending}")
        )
    if not any(line.code is not None and line.code.startswith("pyrun") for line in lines):
        problems.append(
            Problem(path, 0, "a lesson needs at least one pyrun box (see CONTRIBUTING: Add a box)")
        )
    return problems


def fence_problems(path: str, lines: list[Line]) -> list[Problem]:
    """A fence whose language is a misspelling of ``pyrun`` would show as plain code, silently."""
    problems = []
    for before, line in pairwise(lines):
        if line.code is None or before.code == line.code:
            continue  # not the first line inside a fence
        language = line.code.split(" ", 1)[0]
        if language != BOX and difflib.get_close_matches(language, [BOX], cutoff=0.7):
            problems.append(
                Problem(
                    path,
                    before.number,
                    f"a fence of language {language!r}: a box's is {BOX!r} (anything else shows "
                    "as plain code, with no Run button and no output)",
                )
            )
    return problems


def image_problems(path: str, lines: list[Line]) -> list[Problem]:
    """Every image has alt text: a screen reader reads it, and it shows if the image fails."""
    return [
        Problem(path, line.number, "an image without alt text: describe it inside ![...](...)")
        for line in lines
        if line.code is None and NO_ALT.search(line.text)
    ]


def page_problems(path: str, text: str, *, lesson: bool) -> list[Problem]:
    """Every problem of one page's source; ``lesson``: the page is a lesson of course.yml."""
    lines = list(lines_of(text))
    return [
        *description_problems(path, text),
        *heading_problems(path, page_headings(lines)),
        *quiz_problems(path, lines, lesson),
        *(lesson_problems(path, lines) if lesson else []),
        *fence_problems(path, lines),
        *image_problems(path, lines),
        *jinja_problems(path, lines),
    ]


def glossary_problems(path: str, text: str) -> list[Problem]:
    """Entries in alphabetical order; no spelling claimed by two entries."""
    try:
        terms = parse_glossary(text)
    except ValueError:
        return []  # reported, with its own message, when the build loads the glossary
    line_of = {
        m["term"].strip(): text.count("\n", 0, m.start()) + 1
        for m in GLOSSARY_HEADING.finditer(text)
    }
    problems = []
    for before, after in pairwise(terms):
        if after.term.casefold() < before.term.casefold():
            problems.append(
                Problem(
                    path,
                    line_of[after.term],
                    f"{after.term!r} comes after {before.term!r}: keep the entries in "
                    "alphabetical order",
                )
            )
    forms = {term.term: {form.casefold() for form in term.spellings} for term in terms}
    for first, second in combinations(terms, 2):
        shared = sorted(forms[first.term] & forms[second.term])
        if shared:
            problems.append(
                Problem(
                    path,
                    line_of[second.term],
                    f"{second.term!r} and {first.term!r} both claim the spelling {shared[0]!r} "
                    "(a term, its plural or an Also entry): a reader's tooltip could show only "
                    "one definition; remove it from the Also line of one of them",
                )
            )
    return problems
