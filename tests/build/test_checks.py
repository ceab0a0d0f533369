"""The page checks' reading of Markdown: what counts as code, a heading, a quiz, a box.

test_contributor_mistakes.py shows each check stopping a build; these pin the edges of the reading
that a build of the tiny course does not reach (nested fences, code that looks like a heading).
"""

from __future__ import annotations

from coursekit.checks import jinja_problems, lines_of, page_headings, page_problems, quiz_problems

PAGE = """\
---
description: "A page."
---

# Title

````markdown
```pyrun title="inside"
x = f"{{y}}"
```
# not a heading: inside a four-backtick fence
````

~~~python
### not a heading either
~~~

## Section

<quiz>
Why?
- [ ] No
- [X] Yes
> Right: per-answer feedback, not the explanation.

Because it is.
</quiz>
"""


def test_fences_nest_and_tildes_count_as_code():
    lines = list(lines_of(PAGE))
    assert [(n, level) for n, level, _ in page_headings(lines)] == [(5, 1), (18, 2)]
    inner = next(line for line in lines if "inside" in line.text)
    assert inner.code == "markdown", "a three-backtick line inside a four-backtick fence is text"


def test_braces_in_any_code_are_reported_with_the_block_that_holds_them():
    problems = jinja_problems("p.md", list(lines_of(PAGE)))
    assert [(p.line, p.message.split(" holds")[0]) for p in problems] == [(9, "markdown block")]


def test_a_capital_x_is_a_correct_answer_and_feedback_is_not_an_explanation():
    lines = list(lines_of(PAGE))
    assert quiz_problems("p.md", lines, lesson=False) == []
    no_explanation = PAGE.replace("Because it is.\n", "")
    problems = quiz_problems("p.md", list(lines_of(no_explanation)), lesson=False)
    assert [p.line for p in problems] == [23]  # the last answer's line


def test_a_page_with_nothing_wrong_but_its_braces_has_one_problem():
    assert [p.line for p in page_problems("p.md", PAGE, lesson=False)] == [9]


def test_a_lesson_is_held_to_the_lesson_rules_too():
    extra = page_problems("p.md", PAGE, lesson=True)[:-1]  # the last one: the braces, as above
    assert [(p.line, p.message.split(":")[0]) for p in extra] == [
        (0, "a lesson needs at least 3 quiz questions under '## Quick quiz'; it has 1"),
        (0, "no '## References'"),
        (0, "no '## Quick quiz'"),
        (27, "the last line is not {{ continue_learning() }}"),
        (0, "a lesson needs at least one pyrun box (see CONTRIBUTING"),  # one in code is not
    ]
