"""Every usual mistake in a page, the glossary or course.yml fails the build with one message that
names the file (and the line, or the box) and says what to do, and never with a traceback.

Each case changes one file of a tiny course (tinyproject.py: the site's own plugin, macros, quiz
plugin and link validation) and builds it, in about a second.
"""

from __future__ import annotations

import pytest
from tinyproject import COURSE, GLOSSARY, LESSON, QUIZ, build, write_project

WIDE = 'print("' + "x" * 80 + '")'


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` holding ``needle``."""
    return text[: text.index(needle)].count("\n") + 1


def lesson_with(old: str, new: str, count: int = 1) -> str:
    assert old in LESSON
    return LESSON.replace(old, new, count)


def box(title: str, *code: str) -> str:
    return f'```pyrun title="{title}"\n' + "\n".join(code) + "\n```"


EXTRA = '---\ndescription: "Not a lesson."\n---\n\n# Extra\n\nText.\n\n{{ continue_learning() }}\n'
BRACES = lesson_with("More text.", box("braces", 'x = "a"', 'print(f"{{x}}")'))
MISSPELLED = lesson_with("More text.", "{{ course_mapp() }}")
HASH_ID = lesson_with("## A section", "## A section {#a-section}")
UNCLOSED = lesson_with("More text.", "{% if true %}\nMore text.")
NO_CORRECT = lesson_with("- [x] This one", "- [ ] This one")
NO_EXPLANATION = lesson_with("This one, because the other is wrong.\n", "")
SKIPPED = lesson_with("## A section", "### A section")
ORDER = GLOSSARY.replace("## Event time { #event-time }", "## Zero time { #event-time }")
ALSO = GLOSSARY.replace("**Also:** low watermark", "**Also:** low watermark, event times")

# name -> (files changed, the message the build prints)
CASES = {
    "broken page link": (
        {"docs/lesson.md": lesson_with("More text.", "See [the window](window.md).")},
        "WARNING -  Doc file 'lesson.md' contains a link 'window.md', but the target is not "
        "found among documentation files.",
    ),
    "broken anchor": (
        {"docs/lesson.md": lesson_with("More text.", "See [it](glossary.md#tail-latncy).")},
        "WARNING -  Doc file 'lesson.md' contains a link 'glossary.md#tail-latncy', but the doc "
        "'glossary.md' does not contain an anchor '#tail-latncy'.",
    ),
    "bad anchor in a glossary entry's lesson link": (
        {"docs/glossary.md": GLOSSARY.replace("lesson.md#a-section", "lesson.md#a-sectoin")},
        "WARNING -  Doc file 'glossary.md' contains a link 'lesson.md#a-sectoin', but the doc "
        "'lesson.md' does not contain an anchor '#a-sectoin'.",
    ),
    "lesson missing from course.yml": (
        {"docs/extra.md": EXTRA},
        f"ERROR   -  docs/extra.md:{line_of(EXTRA, '{{')}: continue_learning(): extra.md is not a "
        "lesson in course.yml: add it under lessons there, or remove the call",
    ),
    "misspelled macro": (
        {"docs/lesson.md": MISSPELLED},
        f"ERROR   -  docs/lesson.md:{line_of(MISSPELLED, 'course_mapp(')}: "
        "'course_mapp' is not a macro the course defines; did you mean 'course_map'?",
    ),
    "{{ in a box": (
        {"docs/lesson.md": BRACES},
        f"docs/lesson.md:{line_of(BRACES, '{{x}}')}: pyrun box 'braces' holds '{{{{': the page "
        "passes through the macros plugin (Jinja) first, which would run it as a template; "
        'write it another way (an f-string\'s "{{x}}" as "{" + x + "}") or put the block '
        "between {% raw %} and {% endraw %} lines",
    ),
    "{#id} without a space": (
        {"docs/lesson.md": HASH_ID},
        f"docs/lesson.md:{line_of(HASH_ID, '{#')}: '{{#a-section}}': '{{#' starts a Jinja "
        "comment; write '{ #a-section }', with a space after '{'",
    ),
    "unclosed Jinja block": (
        {"docs/lesson.md": UNCLOSED},
        f"ERROR   -  docs/lesson.md:{len(UNCLOSED.splitlines())}: Unexpected end of template. "
        "Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost "
        f"block that needs to be closed is 'if'.",
    ),
    "macro called with the wrong arguments": (
        {"docs/lesson.md": lesson_with("More text.", "{{ course_map(1, 2) }}")},
        f"ERROR   -  docs/lesson.md:{line_of(LESSON, 'More text.')}: course_map() takes 0 "
        "positional arguments but 2 were given",
    ),
    "misspelled box language": (
        {"docs/lesson.md": lesson_with('```pyrun title="hello"', '```pyrn title="hello"')},
        f"docs/lesson.md:{line_of(LESSON, '```pyrun')}: a fence of language 'pyrn': a box's is "
        "'pyrun' (anything else shows as plain code, with no Run button and no output)",
    ),
    "misspelled fence option": (
        {"docs/lesson.md": lesson_with("More text.", box('b" tilte="x', "print(1)"))},
        "ERROR   -  lesson.md: pyrun box 'b': unknown option 'tilte'; did you mean 'title'? the "
        "options are build_timeout, expect, id, static, title",
    ),
    "box line over 78 characters": (
        {"docs/lesson.md": lesson_with("More text.", box("wide", "print(1)", WIDE))},
        "ERROR   -  lesson.md: pyrun box 'wide', line 2 of the box, is 89 characters long; keep "
        "box lines to 78 at most, so they fit without scrolling",
    ),
    "quiz with no correct answer": (
        {"docs/lesson.md": NO_CORRECT},
        f"docs/lesson.md:{line_of(NO_CORRECT, '- [ ] This one')}: quiz question "
        "'Question 1: which is right?' has no correct answer: mark it '- [x]' (a wrong one is "
        "'- [ ]')",
    ),
    "fewer than 3 quiz questions": (
        {"docs/lesson.md": lesson_with(QUIZ.format(n=3), "")},
        "docs/lesson.md: a lesson needs at least 3 quiz questions under '## Quick quiz'; it has 2",
    ),
    "empty explanation": (
        {"docs/lesson.md": NO_EXPLANATION},
        f"docs/lesson.md:{line_of(NO_EXPLANATION, '- [ ] That one')}: quiz question "
        "'Question 1: which is right?' has no explanation: after the answers, say why the right "
        "answer is right (the reader sees it once they have answered)",
    ),
    "skipped heading level": (
        {"docs/lesson.md": SKIPPED},
        f"docs/lesson.md:{line_of(SKIPPED, '### A section')}: heading 'A section' is level 3 "
        "right after a level 1: use ## (headings go down one level at a time)",
    ),
    "lesson without references": (
        {"docs/lesson.md": lesson_with("## References", "## Sources")},
        "docs/lesson.md: no '## References': a lesson ends with '## References', '## Quick quiz' "
        "and {{ continue_learning() }}",
    ),
    "lesson not ending with its card": (
        {"docs/lesson.md": lesson_with("{{ continue_learning() }}\n", "")},
        f"docs/lesson.md:{len(LESSON.splitlines()) - 2}: the last line is not "
        "{{ continue_learning() }}: a lesson ends with",
    ),
    "lesson without a box": (
        {"docs/lesson.md": lesson_with('```pyrun title="hello"\nprint("hello")\n```\n', "")},
        "docs/lesson.md: a lesson needs at least one pyrun box (see CONTRIBUTING: Add a box)",
    ),
    "image without alt text": (
        {"docs/lesson.md": lesson_with("More text.", "![](chart.svg)")},
        f"docs/lesson.md:{line_of(LESSON, 'More text.')}: an image without alt text: describe it "
        "inside ![...](...)",
    ),
    "missing description": (
        {"docs/lesson.md": lesson_with('description: "A lesson of the tiny course."', "x: 1")},
        "docs/lesson.md:1: no description: start the page with a front matter holding one "
        "sentence for search results and link previews:",
    ),
    "duplicate glossary code key": (
        {"docs/glossary.md": GLOSSARY.replace("WM_DELAY", "EVT_TIME")},
        "ERROR   -  glossary.md: glossary terms 'Event time' and 'Watermark' share the code key "
        "'EVT_TIME'; a code key names one term",
    ),
    "glossary out of order": (
        {"docs/glossary.md": ORDER},
        f"docs/glossary.md:{line_of(ORDER, '## Watermark')}: 'Watermark' comes after "
        "'Zero time': keep the entries in alphabetical order",
    ),
    "Also spelling of another term": (
        {"docs/glossary.md": ALSO},
        f"docs/glossary.md:{line_of(ALSO, '## Watermark')}: 'Watermark' and 'Event time' both "
        "claim the spelling 'event times' (a term, its plural or an Also entry): a reader's "
        "tooltip could show only one definition; remove it from the Also line of one of them",
    ),
    "wrong page path in course.yml": (
        {"course.yml": COURSE.replace("page: lesson.md", "page: lessons.md")},
        f"ERROR   -  course.yml:{line_of(COURSE, 'page: lesson.md')}: lesson 'A lesson' names "
        "page 'lessons.md', which is not a file under docs/; did you mean lesson.md?",
    ),
    "lesson before the lesson of its prerequisite": (
        {"course.yml": COURSE.replace("requires: [basics]", "requires: []").replace(
            "requires: [], lesson: index.md", "requires: [more], lesson: index.md"
        )},
        "ERROR   -  course.yml: skill 'basics' (index.md) requires 'more', which a later lesson "
        "teaches (lesson.md): move the lesson after it",
    ),
}  # fmt: skip


def test_the_tiny_course_builds(tmp_path):
    """The fixture itself is free of mistakes: each case below adds exactly one."""
    proc = build(write_project(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site" / "lesson" / "index.html").exists()


@pytest.mark.parametrize("case", CASES)
def test_a_mistake_fails_the_build_with_a_message_naming_its_place(tmp_path, case):
    files, message = CASES[case]
    proc = build(write_project(tmp_path, files))
    assert proc.returncode == 1, proc.stderr
    assert message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


BUGGY_MACRO = """\
def define_env(env):
    @env.macro
    def broken():
        return {}["missing"]
"""


def test_a_bug_in_a_macro_keeps_its_traceback(tmp_path):
    """An error raised inside a macro's own code is the build's bug, not the page's: the report
    keeps the traceback that leads to it (mkdocs-macros loads main.py beside mkdocs.yml)."""
    page = lesson_with("More text.", "{{ broken() }}")
    proc = build(write_project(tmp_path, {"docs/lesson.md": page, "main.py": BUGGY_MACRO}))
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "KeyError: 'missing'" in proc.stderr, proc.stderr
    assert 'return {}["missing"]' in proc.stderr, proc.stderr


def test_braces_in_a_box_between_raw_lines_build(tmp_path):
    """The way out the message offers works: Jinja leaves a raw block alone, the box runs."""
    raw = "{% raw %}\n" + box("raw", 'print(f"{{1}}")') + "\n{% endraw %}"
    proc = build(write_project(tmp_path, {"docs/lesson.md": lesson_with("More text.", raw)}))
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "site" / "lesson" / "index.html").read_text(encoding="utf-8")
    assert '<pre class="code-preview-output" aria-live="polite" tabindex="0">{1}' in page
