"""The grader's rules at their edges (simulations.grading): what counts as blank, where a blank
or an error is said to be, what the check sees, who is blamed for an exception, and that a
grading leaves the interpreter as it found it."""

from __future__ import annotations

import builtins
import linecache
import sys

import pytest

from simulations import display
from simulations.grading import HELPERS, Namespace, Verdict, grade

DOUBLE = "def double(x):\n    return x + x\n"
EMPTY = Verdict("failed", "Write your answer in the editor, then press Check.")


def blank_at(line: int) -> Verdict:
    return Verdict(
        "failed",
        f"Line {line} still has a blank `____`: replace it with your answer, then press Check.",
        line,
    )


# -- blank code and blanks ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ["\n", "\t\n#\n", "#!/usr/bin/env python\n   # todo"])
def test_only_whitespace_and_comments_is_blank(code):
    assert grade(code, DOUBLE, "pass") == EMPTY


@pytest.mark.parametrize(
    "code", ["x = 1  # a comment", "# first\nx = 1\n", "'''# not a comment'''"]
)
def test_one_line_of_code_is_an_answer(code):
    assert grade(code, DOUBLE, "pass") == Verdict(
        "passed", "Well done: your answer passes every check."
    )


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("____ = 1\n", 1),
        ("x = 1\nfor ____ in range(3):\n    pass\n", 2),
        ("x = my____name\n", 1),  # a blank inside a name is still a blank
        ("x = 1\ny = ____\nz = ____\n", 2),  # the first one
    ],
)
def test_a_blank_is_named_by_its_first_line(code, line):
    assert grade(code, DOUBLE, "pass") == blank_at(line)


def test_in_code_python_cannot_tokenize_a_blank_is_found_in_the_text_outside_comments():
    code = "s = '''\n# ____ in a comment\nx = ____\n"  # an unterminated string
    assert grade(code, DOUBLE, "pass") == blank_at(3)
    assert grade("s = '''\n\n  ____\n", DOUBLE, "pass") == blank_at(3)
    unterminated = grade("s = '''\n# ____\n", DOUBLE, "pass")
    assert unterminated.status == "failed" and unterminated.message.startswith(
        "Python cannot read your code on line 1: "
    )


def test_a_syntax_error_without_a_line_says_no_line():
    assert grade("x = 1\0\n", DOUBLE, "pass") == Verdict(
        "failed", "Python cannot read your code: source code string cannot contain null bytes."
    )


@pytest.mark.parametrize("which", ["code", "solution", "check"])
def test_each_piece_of_code_must_be_a_string(which):
    pieces = {"code": DOUBLE, "solution": DOUBLE, "check": "pass", which: b"x = 1"}
    with pytest.raises(TypeError, match=rf"^{which} must be a str, got bytes$"):
        grade(**pieces)


# -- what the reader's code runs in ------------------------------------------------------------


def test_the_readers_code_runs_as_a_main_module_with_its_own_names():
    code = "if __name__ == '__main__':\n    ran = True\n"
    assert grade(code, "ran = False\n", "assert user.ran and not solution.ran").status == "passed"
    assert grade(code, "", "assert 'ran' not in solution").status == "passed"


def test_a_namespace_reads_its_names_as_attributes_and_says_which_is_missing():
    names = Namespace(rate=3)
    assert names.rate == 3 and names["rate"] == 3
    with pytest.raises(AttributeError, match=r"^missing$"):
        names.missing  # noqa: B018
    assert not hasattr(names, "other")
    broken = grade("rate = 3\n", "rate = 3\n", "user.missing\n")
    assert broken.status == "error" and broken.message.endswith("AttributeError: missing\n")


def test_what_the_reader_prints_to_stderr_is_not_their_output():
    code = "import sys\nprint('out')\nprint('err', file=sys.stderr)\n"
    assert grade(code, "", "assert user_output == 'out\\n', repr(user_output)").status == "passed"
    assert grade(code, "print('s')", "assert solution_output == 's\\n'").status == "passed"


def test_printing_to_stderr_counts_against_the_budget():
    code = "import sys\nwhile True:\n    print('x' * 80, file=sys.stderr)\n"
    assert grade(code, DOUBLE, "pass").message.startswith("Your code printed more than 10,000")


CHART = (
    "from types import SimpleNamespace\nfrom simulations import display\n"
    "display.show(SimpleNamespace(svg='<svg/>', title='a chart'))\n"
)


def test_a_chart_goes_nowhere_neither_drawn_nor_printed_and_the_interpreter_is_restored():
    before = (sys.stdout, sys.stderr, display._sink, builtins.input, list(sys.meta_path))
    seen = []
    display._sink = seen.append
    try:
        assert grade(CHART, "", "assert user_output == '', repr(user_output)").status == "passed"
        assert grade("x = 1", "", CHART + "assert not user_output").status == "passed"
        assert seen == []  # neither the reader's chart nor the check's reached the page
        assert display._sink == seen.append
    finally:
        display._sink = before[2]
    assert grade("x = input()\n", "", "pass").line == 1
    after = (sys.stdout, sys.stderr, display._sink, builtins.input, list(sys.meta_path))
    assert after == before


class Listener:
    """A finder that only notes the names it is asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def find_spec(self, name, path=None, target=None):
        self.asked.append(name)


def test_the_bundle_guard_is_asked_before_any_other_finder():
    listener = Listener()
    sys.meta_path.insert(0, listener)
    try:
        assert grade("import numpy_or_so\n", "", "pass").message.startswith(
            "Your code raised ModuleNotFoundError on line 1: No module named 'numpy_or_so'."
        )
    finally:
        sys.meta_path.remove(listener)
    assert "numpy_or_so" not in listener.asked


def test_a_check_can_read_the_source_of_the_readers_function():
    for name in ("<your code>", "<solution>"):  # what an earlier grading left must not help
        linecache.cache.pop(name, None)
    code = "def triple(x):\n    return 3 * x\n"
    check = f"import inspect\nassert inspect.getsource(user.triple) == {code!r}\n"
    assert grade(code, "", check).status == "passed"
    solution = "def triple(x):\n    return x + x + x\n"
    check = f"import inspect\nassert inspect.getsource(solution.triple) == {solution!r}\n"
    assert grade(code, solution, check).status == "passed"


def test_what_the_readers_code_changes_in_the_interpreter_is_put_back():
    before = (sys.stdout, sys.stderr, display._sink, builtins.input)
    code = (
        "import builtins, sys\nfrom simulations import display\n"
        "names = (sys.stdout.name, sys.stderr.name)\n"
        "builtins.input = display._sink = sys.stdout = sys.stderr = None\n"
    )
    assert grade(code, "", "assert user.names == ('stdout', 'stderr')").status == "passed"
    assert (sys.stdout, sys.stderr, display._sink, builtins.input) == before


def test_an_exception_in_the_readers_code_without_words_says_only_its_type():
    assert grade("raise ValueError\n", "", "pass") == Verdict(
        "failed", "Your code raised ValueError on line 1.", 1
    )


def test_a_module_not_found_raised_by_hand_says_nothing_of_the_bundle():
    assert grade("raise ModuleNotFoundError('gone')\n", "", "pass") == Verdict(
        "failed", "Your code raised ModuleNotFoundError on line 1: gone.", 1
    )


def test_an_exception_names_the_innermost_line_of_the_readers_code():
    code = "def f():\n    return 1 / 0\n\nf()\n"
    assert grade(code, "", "pass") == Verdict(
        "failed", "Your code raised ZeroDivisionError on line 2: division by zero.", 2
    )


# -- the check: failures, the reader's exceptions, the exercise's bugs --------------------------


def test_a_bare_assert_in_the_check_says_the_answer_does_not_pass_yet():
    assert grade(DOUBLE, DOUBLE, "assert user.double(1) == 3") == Verdict(
        "failed", "Your answer does not pass the check yet."
    )


def test_an_exception_of_the_readers_function_called_by_the_check_is_the_readers():
    code = "def double(x):\n    return x / 0\n"
    assert grade(code, DOUBLE, "user.double(2)") == Verdict(
        "failed", "Your code raised ZeroDivisionError on line 2: division by zero.", 2
    )
    assert grade("def f():\n    exit()\n", "", "user.f()") == Verdict(
        "failed",
        "Your code called `exit()` on line 2: leave that out, the check runs after it.",
        2,
    )


def test_too_much_output_during_the_check_is_the_readers():
    code = "def double(x):\n    while True:\n        print(x)\n"
    assert grade(code, DOUBLE, "same_result(function('double'), 1)") == Verdict(
        "failed",
        "Your code printed more than 10,000 lines or 1,000,000 characters: print less "
        "(or nothing: the check reads what your functions return).",
    )


def test_an_exit_or_error_out_of_the_check_itself_is_the_exercises():
    for check, words in [("raise SystemExit(3)", "SystemExit: 3"), ("[][1]", "IndexError")]:
        verdict = grade(DOUBLE, DOUBLE, check)
        assert verdict.status == "error" and verdict.line is None
        assert verdict.message.startswith("The exercise's check fails:\nTraceback")
        assert words in verdict.message and check in verdict.message  # the line is quoted


def test_a_broken_solution_is_quoted_in_its_traceback():
    verdict = grade(DOUBLE, "x = 1\ny = x.nothing\n", "pass")
    assert verdict.status == "error"
    assert verdict.message.startswith("The exercise's solution fails:\nTraceback")
    assert verdict.message.startswith(
        "The exercise's solution fails:\nTraceback (most recent call last):\n"
        '  File "<solution>", line 2, in <module>\n    y = x.nothing\n'
    )
    assert verdict.message.endswith("\nAttributeError: 'int' object has no attribute 'nothing'\n")
    assert "grading.py" not in verdict.message
    unreadable = grade(DOUBLE, "def f(:\n", "pass")
    assert unreadable.message.startswith("The exercise's solution does not compile: ")
    assert "<solution>" in unreadable.message
    assert grade(DOUBLE, DOUBLE, "if x").message.startswith(
        "The exercise's check does not compile: "
    )


def test_the_solutions_names_are_looked_up_as_the_exercises_bug():
    missing = grade(DOUBLE, "x = 1\n", "solution_function('double')")
    assert missing.status == "error"
    assert "LookupError: the solution defines no `double`" in missing.message
    not_callable = grade(DOUBLE, "double = 2\n", "solution_function('double')")
    assert "LookupError: the solution's `double` is not a function" in not_callable.message
    by_name = grade(DOUBLE, "x = 1\n", "same_result(function('double'), 2)")
    assert "the solution defines no `double`" in by_name.message


def test_function_returns_the_readers_function_itself():
    check = "assert function('double') is user.double\nassert solution_function('double')(2) == 4"
    assert grade(DOUBLE, DOUBLE, check).status == "passed"


def test_same_result_finds_the_solution_unless_the_first_argument_is_a_function():
    code = "def f(x=0):\n    return 1\n"
    solution = "def f(x=0):\n    return 2\n"
    no_args = grade(code, solution, "same_result(function('f'))")
    assert no_args == Verdict("failed", "`f()` returned 1 instead of 2.", 1)
    a_type = grade(code, solution, "same_result(function('f'), int)")
    assert a_type.message == "For <class 'int'>, `f(x)` returned 1 instead of 2."
    explicit = grade(code, solution, "same_result(function('f'), lambda x: 1, 5)")
    assert explicit.status == "passed"
    described = "same_result(function('f'), solution_function('f'), 5, describe='five')"
    assert grade(code, solution, described).message == "For five, `f(x)` returned 1 instead of 2."
    doc = HELPERS["same_result"].__doc__
    check = f"assert same_result.__doc__ == {doc!r}"
    assert grade(code, solution, check).status == "passed"


def test_the_check_sees_its_helpers_and_a_name_of_its_own():
    assert grade(DOUBLE, DOUBLE, "assert __name__ == '__check__'").status == "passed"
    for name, helper in HELPERS.items():
        if name == "same_result":
            continue  # bound to the grading's solution, checked above
        probe = f"import simulations.grading as g\nassert {name} is g.HELPERS[{name!r}]\n"
        assert grade(DOUBLE, DOUBLE, probe).status == "passed", name
        assert callable(helper)


def test_a_verdict_is_its_fields_as_data():
    assert Verdict("passed", "ok").to_dict() == {"status": "passed", "message": "ok", "line": None}
    assert Verdict("error", "bug", 2).to_dict()["status"] == "error"
    with pytest.raises(
        ValueError, match=r"^status must be one of \('passed', 'failed', 'error'\), got 'ok'$"
    ):
        Verdict("ok", "m")
