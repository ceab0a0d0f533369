"""A broken exercise fails the build, naming the page and the exercise; a sound one is rendered
as the runner's DOM contract has it (web/README.md, "Exercises").

Each build test builds a tiny project in a temporary directory with the site's own plugin.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from sitebuild import ROOT
from tinyproject import build_tiny

from coursekit.exercises import exercises_in, parse_sections

STARTER = "def double(x):\n    return ____\n"
SOLUTION = "def double(x):\n    return 2 * x\n"
CHECK = (
    'f = function("double")\n'
    "for x in range(5):\n"
    '    same_result(f, solution_function("double"), x)\n'
    'assert f(3) == 6, "double(3) should be 6"\n'
)


def exercise(
    options: str = 'title="double-it"',
    starter: str = STARTER,
    solution: str = SOLUTION,
    check: str = CHECK,
    extra: str = "#| hint\nTwice `x` is `2 * x`.\n",
) -> str:
    body = f"#| starter\n{starter}#| solution\n{solution}#| check\n{check}{extra}"
    return f"# Exercise\n\n```pyexercise {options}\n{body}```\n"


def assert_fails_naming(proc, *words: str) -> None:
    assert proc.returncode != 0, "the build passed"
    assert "lesson.md" in proc.stderr, proc.stderr
    assert "double-it" in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


BROKEN = {
    "a solution that fails its check": (
        exercise(solution="def double(x):\n    return x + 2\n"),  # the check wants double(3) == 6
        ["solution does not pass", "double(3) should be 6"],
    ),
    "a starter that already passes": (
        exercise(starter=SOLUTION),
        ["starter already passes"],
    ),
    "a check that raises": (
        exercise(check="f = function('double')\nf(1) + undefined_name\n"),
        ["check is broken", "undefined_name"],
    ),
    "a check that runs past the build limit": (
        exercise(
            options='title="double-it" build_timeout="1"',
            solution="def double(x):\n    while True:\n        pass\n",
        ),
        ["build limit of 1 s"],
    ),
    "an unknown option": (exercise(options='title="double-it" tries="3"'), ["tries"]),
    "an unknown marker": (exercise(extra="#| tests\nassert True\n"), ["#| tests"]),
    "a missing section": (
        '# Exercise\n\n```pyexercise title="double-it"\n#| starter\nx = ____\n'
        "#| check\npass\n```\n",
        ["'#| solution' is missing"],
    ),
    "a bad attempts option": (
        exercise(options='title="double-it" attempts="none"'),
        ["attempts"],
    ),
    "an id a box of the page already has": (
        '# Page\n\n```pyrun title="double-it"\nprint(1)\n```\n\n' + exercise().split("\n", 2)[2],
        ["share the id"],
    ),
}


@pytest.mark.parametrize("page, words", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_exercise_fails_the_build(tmp_path, page, words):
    assert_fails_naming(build_tiny(tmp_path, page), *words)


def test_a_sound_exercise_builds_with_its_markup(tmp_path):
    proc = build_tiny(tmp_path, exercise(options='title="double-it" attempts="2"'))
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "site" / "lesson" / "index.html").read_text()
    root = re.search(r'<div class="code-exercise" ([^>]*)>', page)
    assert root, page
    assert 'data-exercise="double-it"' in root[1] and 'data-attempts="2"' in root[1]
    # its editor is a box under the same id, starter highlighted before any JavaScript
    assert re.search(
        r'<div class="code-preview"[^>]*data-box="double-it"[^>]*data-exercise-box', page
    )
    assert '<span class="n">____</span>' in page
    result = re.search(r"<p [^>]*data-exercise-result[^>]*>([^<]*)</p>", page)
    assert result and 'data-status="unchecked"' in result[0] and 'aria-live="polite"' in result[0]
    assert re.search(r'<li class="code-exercise-hint" hidden><p>Twice <code>x</code>', page)
    data = re.search(r'<div hidden data-exercise-data="([^"]*)"></div>', page)
    data = json.loads(html.unescape(data[1]))
    assert {"check": data["check"], "solution": data["solution"]} == {
        "check": CHECK,
        "solution": SOLUTION,
    }
    assert '<span class="mi">2</span>' in data["solution_html"]  # highlighted, shown on demand
    assert "data-exercise-solution hidden" in page
    assert "return 2 * x" not in page.split("data-exercise-data=")[0]  # nowhere but the JSON


def test_code_that_looks_like_markup_stays_inside_its_attribute(tmp_path):
    check = 'assert "</script><b>" not in "x"\n' + CHECK
    proc = build_tiny(tmp_path, exercise(check=check))
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "site" / "lesson" / "index.html").read_text()
    data = re.search(r'<div hidden data-exercise-data="([^"]*)"></div>', page)
    assert json.loads(html.unescape(data[1]))["check"] == check
    assert "</script><b>" not in page  # escaped in the attribute, never markup


def test_sections_split_at_their_markers():
    sections = parse_sections(
        "\n#| starter\nx = ____\n\n#| solution\nx = 1\n#| check\nassert user['x'] == 1\n"
        "#| hint\nOne.\n#| hint\n  Two.\n"
    )
    assert sections == {
        "starter": ["x = ____\n"],
        "solution": ["x = 1\n"],
        "check": ["assert user['x'] == 1\n"],
        "hint": ["One.\n", "  Two.\n"],
    }


@pytest.mark.parametrize(
    "body, words",
    [
        ("x = 1\n#| starter\nx\n#| solution\nx\n#| check\nx\n", "before the first section"),
        ("#| starter\nx\n#| solution\nx\n#| check\nx\n#| check\ny\n", "appears 2 times"),
        ("#| starter\nx\n#| solution\n\n#| check\nx\n", "'#| solution' is empty"),
        ("#| starter\nx\n#| solution\nx\n#| check\nx\n#| answer\nx\n", "unknown marker"),
    ],
)
def test_malformed_sections_are_refused(body, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        parse_sections(body)


def distinctive(text: str, besides: str) -> list[str]:
    """Lines of ``text`` long enough to be telling, found nowhere in ``besides``, and written the
    same in the search index's JSON (no quotes, markup or backslashes)."""
    return [
        line.strip()
        for line in text.splitlines()
        if len(line.strip()) > 20
        and line.strip() not in besides
        and not any(c in line for c in '"<>&\\`*_[')
    ]


def test_hidden_hints_and_solutions_stay_out_of_the_search_index(site):
    """A solution's or a hint's line must not be findable, unless the page shows it anyway (a
    box on the same page may hold the same engine call as a solution)."""
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    lines = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        exercises = exercises_in(text)
        shown = text
        for e in exercises:
            for hidden in (e.solution, e.check, *e.hints):
                shown = shown.replace(hidden, "")
        lines += [
            (e.exercise_id, line)
            for e in exercises
            for line in distinctive(e.solution, e.starter + shown)
            + distinctive("\n".join(e.hints), e.starter + shown)
        ]
    assert len(lines) > 29  # something to look for
    assert [(ex, line) for ex, line in lines if line in index] == []
