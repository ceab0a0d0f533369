"""The exercise checker: its order of checks, its messages word for word, and every helper."""

from __future__ import annotations

import sys

import pytest

from simulations import Engine, Event, Tumbling, events, run_stream, run_with_crash
from simulations._compare import difference
from simulations.grading import HELPERS, CheckFailed, Verdict, grade
from simulations.triggers import Pane

DOUBLE = "def double(x):\n    return x + x\n"
CHECK_DOUBLE = "f = function('double')\nfor x in (1, 2.5, -3):\n    same_result(f, x)\n"


def check(code: str, check_code: str, solution: str = DOUBLE) -> Verdict:
    return grade(code, solution, check_code)


# -- the order of the pre-checks ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["", "   \n\n", "# my answer\n  # later\n"])
def test_blank_code_asks_for_an_answer(code):
    assert check(code, CHECK_DOUBLE) == Verdict(
        "failed", "Write your answer in the editor, then press Check."
    )


def test_a_blank_left_is_named_with_its_line():
    code = "def double(x):\n    y = 2\n    return ____ * x\n"
    assert check(code, CHECK_DOUBLE) == Verdict(
        "failed",
        "Line 3 still has a blank `____`: replace it with your answer, then press Check.",
        3,
    )


def test_a_blank_comes_before_a_syntax_error():
    verdict = check("def double(x)\n    return ____\n", CHECK_DOUBLE)
    assert verdict.line == 2 and "blank" in verdict.message


def test_a_blank_in_a_comment_or_string_is_not_a_blank():
    code = "def double(x):\n    # fill the ____ in\n    return 2 * x  # '____'\n"
    assert check(code, CHECK_DOUBLE).status == "passed"


def test_a_syntax_error_names_its_line_and_pythons_message():
    assert check("def double(x)\n    return 2 * x\n", CHECK_DOUBLE) == Verdict(
        "failed", "Python cannot read your code on line 1: expected ':'.", 1
    )


def test_an_exception_in_the_readers_code_names_its_line():
    assert check("a = 1\nb = a / 0\n", CHECK_DOUBLE) == Verdict(
        "failed", "Your code raised ZeroDivisionError on line 2: division by zero.", 2
    )


def test_exit_in_the_readers_code_is_a_failure_not_an_exit():
    assert check("import sys\nsys.exit()\n", CHECK_DOUBLE) == Verdict(
        "failed", "Your code called `exit()` on line 2: leave that out, the check runs after it.", 2
    )


def test_input_explains_itself_as_in_a_box():
    verdict = check("rate = input()\n", CHECK_DOUBLE)
    assert verdict.status == "failed" and verdict.line == 1
    assert "input() cannot read from a code box" in verdict.message


def test_an_unbundled_import_says_what_is_bundled():
    assert check("import numpy\n", CHECK_DOUBLE) == Verdict(
        "failed",
        "Your code raised ModuleNotFoundError on line 1: No module named 'numpy'. "
        "Exercises run Python's standard library and `simulations` only.",
        1,
    )


def test_huge_output_stops_with_a_message():
    verdict = check("while True:\n    print('x' * 80)\n", CHECK_DOUBLE)
    assert verdict == Verdict(
        "failed",
        "Your code printed more than 10,000 lines or 1,000,000 characters: print less "
        "(or nothing: the check reads what your functions return).",
    )


def test_the_stop_button_is_not_swallowed():
    with pytest.raises(KeyboardInterrupt):
        check("raise KeyboardInterrupt\n", CHECK_DOUBLE)


def test_grading_leaves_the_interpreter_as_it_found_it():
    before = sys.stdout, sys.stderr, list(sys.meta_path)
    check("print('hi')\nimport numpy\n", CHECK_DOUBLE)
    check(DOUBLE, "print(1)\nfail('no')\n")
    assert (sys.stdout, sys.stderr, list(sys.meta_path)) == before


# -- the check and its verdicts ----------------------------------------------------------------


def test_a_right_answer_passes():
    assert check("def double(x):\n    return 2 * x\n", CHECK_DOUBLE) == Verdict(
        "passed", "Well done: your answer passes every check."
    )


def test_a_wrong_answer_says_the_input_what_it_returned_and_what_it_should():
    assert check("def double(x):\n    return x * x\n", CHECK_DOUBLE) == Verdict(
        "failed", "For 1, `double(x)` returned 1 instead of 2.", 1
    )


def test_a_missing_function_is_named():
    assert check("x = 3\n", CHECK_DOUBLE) == Verdict(
        "failed", "Define a function `double`: the check calls it, and your code has none."
    )


def test_a_name_that_is_not_a_function_is_named():
    assert check("double = 3\n", CHECK_DOUBLE) == Verdict(
        "failed",
        "Define a function `double`: in your code, `double` is of type `int`, not a function.",
    )


def test_an_exception_inside_the_readers_function_names_the_call_and_line():
    code = "def double(x):\n    return [x][1]\n"
    assert check(code, CHECK_DOUBLE) == Verdict(
        "failed", "For 1, `double(x)` raised IndexError on line 2: list index out of range.", 2
    )


def test_fail_and_assert_in_a_check_are_failures_with_their_message():
    assert check(DOUBLE, "fail('Use a dict.')") == Verdict("failed", "Use a dict.")
    assert check(DOUBLE, "assert user.double(2) == 5, 'Not 5.'") == Verdict("failed", "Not 5.")
    assert check(DOUBLE, "fail('Here.', line=2)").line == 2


def test_namespaces_and_outputs_reach_the_check():
    code = "print('mine')\nrate = 3\n"
    solution = "print('theirs')\nrate = 4\n"
    assert grade(code, solution, "assert user.rate == 3 and solution['rate'] == 4").status == (
        "passed"
    )
    assert grade(code, solution, "assert user_output == 'mine\\n'").status == "passed"
    assert grade(code, solution, "assert solution_output == 'theirs\\n'").status == "passed"
    assert grade(code, solution, "assert solution_function('x')").status == "error"


def test_a_broken_check_or_solution_is_an_error_with_its_traceback():
    broken = check(DOUBLE, "x = 1 / 0\n")
    assert broken.status == "error"
    assert broken.message.startswith("The exercise's check fails:\nTraceback")
    assert 'File "<check>", line 1' in broken.message and "grading.py" not in broken.message
    assert check(DOUBLE, "pass", solution="1/0").message.startswith(
        "The exercise's solution fails:"
    )
    assert check(DOUBLE, "if x").message.startswith("The exercise's check does not compile")
    assert check(DOUBLE, "pass", solution="if x").status == "error"


def test_the_readers_function_cannot_change_what_the_solution_gets():
    code = "def total(xs):\n    xs.append(100)\n    return sum(xs) - 100\n"
    solution = "def total(xs):\n    return sum(xs)\n"
    assert grade(code, solution, "same_result(function('total'), [1, 2])").status == "passed"


def test_same_result_takes_the_solution_function_or_finds_it_by_name():
    code = "def double(x):\n    return 3 * x\n"
    explicit = "same_result(function('double'), solution_function('double'), 2)"
    assert check(code, explicit).message == "For 2, `double(x)` returned 6 instead of 4."
    assert check(code, "same_result(function('double'), 2, describe='two')").message == (
        "For two, `double(x)` returned 6 instead of 4."
    )


def test_because_names_the_misconception():
    code = "def double(x):\n    return 3 * x\n"
    said = check(code, "same_result(function('double'), 2, because='Twice, not thrice.')")
    assert said.message == "For 2, `double(x)` returned 6 instead of 4. Twice, not thrice."
    computed = check(
        code,
        "same_result(function('double'), 2,"
        " because=lambda args, got, want: f'{got} is {got // args[0]} times.')",
    )
    assert computed.message.endswith("returned 6 instead of 4. 6 is 3 times.")


def test_verdict_status_is_checked_and_serialisable():
    assert Verdict("failed", "m", 3).to_dict() == {"status": "failed", "message": "m", "line": 3}
    with pytest.raises(ValueError, match="status must be one of"):
        Verdict("wrong", "m")


def test_the_helpers_are_the_contracts_names():
    assert set(HELPERS) >= {
        "fail",
        "random_streams",
        "same_result",
        "compare_panes",
        "compare_windows",
        "no_state_left",
        "each_event_once",
        "exactly_once_sink",
    }


# -- differences in words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("got", "expected", "words"),
    [
        (1.0, 1 + 1e-12, None),
        (2, 3, "`f(x)` is 2 instead of 3"),
        ({"a": 1}, {"a": 1, "b": 2}, '`f(x)` has no key "b"'),
        ({"a": 1, "z": 0}, {"a": 1}, '`f(x)` has a key "z" that should not be there'),
        ({"a": [1, 2]}, {"a": [1, 3]}, '`f(x)["a"][1]` is 2 instead of 3'),
        ([1, 2], [1, 2, 3], "`f(x)` has 2 items instead of 3"),
        ([1], {"a": 1}, "`f(x)` is a list instead of a dict"),
        ("on time", "late", "`f(x)` is 'on time' instead of 'late'"),
        (True, 1, "`f(x)` is True instead of 1"),
    ],
)
def test_difference_names_the_first_place(got, expected, words):
    assert difference(got, expected, "f(x)") == words


def test_difference_compares_records_field_by_field():
    a = Event("k", 1, 2.0)
    assert difference(Event("k", 1, 2.0), a, "e") is None
    assert difference(Event("k", 5, 2.0), a, "e") == "`e.value` is 5 instead of 1"


# -- random streams ----------------------------------------------------------------------------


def test_random_streams_are_seeded_and_say_how_they_were_made():
    streams = HELPERS["random_streams"](20, seed=7, late_fraction=0.1)
    assert len(streams) == 20 and len({len(s) for s in streams}) > 1
    assert streams[0].how == "generate_stream(seed=7, late_fraction=0.1)"
    assert streams == HELPERS["random_streams"](20, seed=7, late_fraction=0.1)
    assert streams[0].copy().how == streams[0].how
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        HELPERS["random_streams"](0)


def test_a_failure_on_a_stream_says_how_to_rebuild_it():
    solution = "def first(events):\n    return events[0].event_time\n"
    code = "def first(events):\n    return events[0].arrival_time\n"
    verdict = grade(
        code, solution, "for s in random_streams(3, seed=4):\n    same_result(function('first'), s)"
    )
    assert verdict.message.startswith("For `generate_stream(seed=4)`, `first(events)` returned")


# -- windows and panes -------------------------------------------------------------------------


def fails(f, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        f(*args, **kwargs)
    return info.value.message


compare_windows = HELPERS["compare_windows"]
compare_panes = HELPERS["compare_panes"]


def test_compare_windows_names_the_first_window_that_differs():
    truth = {("u1", 0.0, 60.0): 5, ("u1", 60.0, 120.0): 14, ("u2", 60.0, 120.0): 3}
    assert compare_windows(dict(truth), truth) is None
    wrong = {**truth, ("u1", 60.0, 120.0): 12, ("u2", 60.0, 120.0): 1}
    assert fails(compare_windows, wrong, truth) == (
        "window [60, 120) of key `u1`: you wrote 12, the job should write 14."
    )
    missing = {k: v for k, v in truth.items() if k[1] != 0}
    assert fails(compare_windows, missing, truth) == (
        "window [0, 60) of key `u1`: you wrote nothing, the job should write 5."
    )
    extra = {**truth, ("u3", 0.0, 60.0): 1}
    assert fails(compare_windows, extra, truth) == (
        "window [0, 60) of key `u3`: you wrote 1, the job should write nothing."
    )


def test_compare_windows_explains_with_because_and_reads_emissions():
    evs = events([("u1", 2, 10.0), ("u1", 4, 70.0), ("u1", 8, 50.0, 130.0)])
    report = run_stream(evs, window=Tumbling(60), watermark_delay=5)
    truth = {("u1", 0.0, 60.0): 10, ("u1", 60.0, 120.0): 4}
    message = fails(
        compare_windows,
        report.emissions,
        truth,
        because=lambda key, start, end, got, want: (
            f"the event at 50 s arrived after the watermark passed {end:g} s"
        ),
    )
    assert message == (
        "window [0, 60) of key `u1`: you wrote 2, the job should write 10 "
        "(the event at 50 s arrived after the watermark passed 60 s)."
    )


def test_compare_windows_refuses_what_is_not_results():
    assert fails(compare_windows, 5, {}) == (
        "Your result should be a dict of (key, start, end) -> value or a list of results, "
        "not a int."
    )
    assert "should map (key, start, end)" in fails(compare_windows, {"u1": 3}, {})


def pane(value, timing, index, key="k", start=0.0):
    return Pane(key, start, start + 10, value, 1, 0.0, timing, index)


def test_compare_panes_names_the_window_and_the_pane():
    truth = [pane(3, "EARLY", 0), pane(7, "ON_TIME", 1), pane(15, "LATE", 2)]
    assert compare_panes(list(truth), truth) is None
    discarding = [pane(3, "EARLY", 0), pane(4, "ON_TIME", 1), pane(8, "LATE", 2)]
    assert fails(compare_panes, discarding, truth) == (
        "window [0, 10) of key `k`, pane 2 (on-time): you wrote 4, the job should write 7."
    )
    assert fails(compare_panes, truth[:2], truth) == (
        "window [0, 10) of key `k`, pane 3 (late): you wrote nothing, the job should write 15."
    )
    assert fails(compare_panes, [*truth, pane(16, "LATE", 3)], truth) == (
        "window [0, 10) of key `k`, pane 4 (late): you wrote 16, the job should write no such pane."
    )
    tuples = [("k", 0.0, 10.0, 3), ("k", 0.0, 10.0, 7)]
    assert "pane 3" in fails(compare_panes, tuples, truth)


# -- engine-style checks -----------------------------------------------------------------------

no_state_left = HELPERS["no_state_left"]
each_event_once = HELPERS["each_event_once"]
exactly_once_sink = HELPERS["exactly_once_sink"]


def test_no_state_left_on_a_readers_dict():
    assert no_state_left({}) is None
    assert fails(no_state_left, {("k1", 0.0, 60.0): [1, 2], ("k2", 0.0, 60.0): [3]}) == (
        "At the end of the input your job still holds state for 2 entries (the first: "
        "window [0, 60) of key `k1`): state nothing will ever read again grows with every "
        "window the stream opens."
    )
    assert "1 entry (the first: 'k1')" in fails(no_state_left, {"k1": 3})
    assert "not a int" in fails(no_state_left, 3)


def test_no_state_left_on_an_engine_and_a_report():
    eng = Engine(Tumbling(10), watermark_delay=0.0)
    eng.process(Event("a", 5, 3.0), now=3.0)
    eng.process(Event("a", 1, 31.0), now=31.0)
    assert no_state_left(eng) is None  # the engine released the window it emitted
    eng.accs[("a", 0.0, 10.0)] = [[5], [], True, False, True]  # emitted, never released
    assert "window [0, 10) of key `a`" in fails(no_state_left, eng)
    report = run_stream(events([("a", 1, 1.0)]), window=Tumbling(10))
    assert no_state_left(report) is None


def test_each_event_once_finds_double_and_missing_counts():
    evs = events([("a", 1, 1.0), ("a", 1, 12.0), ("b", 1, 3.0)])
    right = {("a", 0.0, 10.0): 1, ("a", 10.0, 20.0): 1, ("b", 0.0, 10.0): 1}
    assert each_event_once(right, evs) is None
    assert each_event_once(run_stream(evs, window=Tumbling(10)).emissions, evs) is None
    twice = {**right, ("a", 5.0, 15.0): 1}
    assert fails(each_event_once, twice, evs) == (
        "Key `a`: your windows count 3 events, the stream has 2: 1 counted more than once."
    )
    assert fails(each_event_once, {("a", 0.0, 10.0): 1}, evs) == (
        "Key `a`: your windows count 1 event, the stream has 2: 1 counted in no window."
    )


def test_exactly_once_sink_across_a_crash():
    evs = events([("a", 1, 5.0), ("a", 2, 15.0), ("a", 4, 25.0), ("a", 8, 35.0)])
    options = dict(window=Tumbling(10), watermark_delay=0, checkpoint_interval=12, crash_at=30)
    exact = run_with_crash(evs, guarantee="exactly-once", **options)
    assert exactly_once_sink(exact, exact.final) is None
    at_least = run_with_crash(evs, guarantee="at-least-once", **options)
    assert fails(exactly_once_sink, at_least) == (
        "The sink received window [10, 20) of key `a` twice (value 2): "
        "the replay after the crash wrote it again."
    )
    assert fails(exactly_once_sink, at_least.sink) == (
        "The sink received window [10, 20) of key `a` twice (value 2): "
        "a write repeated after a replay is a duplicate."
    )
    table = {("a", 0.0, 10.0): 1}
    assert fails(exactly_once_sink, table, exact.final) == (
        "window [10, 20) of key `a`: you wrote nothing, the job should write 2."
    )


def test_a_comparison_names_the_stream_it_ran_on():
    stream = HELPERS["random_streams"](1, seed=3)[0]
    assert fails(compare_windows, {}, {("u1", 0.0, 60.0): 5}, on=stream) == (
        "For `generate_stream(seed=3)`, window [0, 60) of key `u1`: you wrote nothing, "
        "the job should write 5."
    )
    truth = [pane(3, "EARLY", 0)]
    assert fails(compare_panes, [], truth, on="the first minute").startswith(
        "For the first minute, window [0, 10) of key `k`, pane 1 (early)"
    )


def test_because_is_said_as_a_sentence():
    code = "def double(x):\n    return 3 * x\n"
    said = check(code, "same_result(function('double'), 2, because='twice, not thrice')")
    assert said.message.endswith("returned 6 instead of 4. Twice, not thrice.")


def test_engine_checks_name_the_stream_they_ran_on():
    stream = HELPERS["random_streams"](1, seed=2, duration=5)[0]
    key = stream[0].key
    message = fails(each_event_once, {(key, 0.0, 10.0): 1000}, stream, on=stream)
    assert message.startswith(f"For `generate_stream(seed=2, duration=5)`, key `{key}`: ")
    assert fails(exactly_once_sink, {}, {("a", 0.0, 10.0): 1}, on=stream, because="why") == (
        "For `generate_stream(seed=2, duration=5)`, window [0, 10) of key `a`: you wrote "
        "nothing, the job should write 1 (why)."
    )


def test_random_streams_are_kept_for_the_next_check_but_never_shared():
    first = HELPERS["random_streams"](20, seed=11, duration=5)
    first[0].clear()
    again = HELPERS["random_streams"](20, seed=11, duration=5)
    assert len(again[0]) > 0 and again[0] is not first[0]
    assert again == [HELPERS["random_streams"](1, seed=s, duration=5)[0] for s in range(11, 31)]


def test_no_state_left_names_the_stream_it_ran_on():
    stream = HELPERS["random_streams"](1, seed=2, duration=5)[0]
    assert fails(no_state_left, {("a", 0.0, 10.0): 1}, on=stream).startswith(
        "For `generate_stream(seed=2, duration=5)`, at the end of the input your job still holds "
        "state for 1 entry (the first: window [0, 10) of key `a`)"
    )
