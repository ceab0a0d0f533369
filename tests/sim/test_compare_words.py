"""How a check says a difference (simulations._compare): the tolerance at its edges, the first
place in order, each kind of value, the call and input a message names, and the order windows
and panes are judged in; each message read against what the inputs say it must hold."""

from __future__ import annotations

import functools
from collections import namedtuple
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulations._compare import (
    TOLERANCE,
    CheckFailed,
    call_text,
    compare_panes,
    compare_windows,
    describe_args,
    difference,
    fail,
    same_result,
    show,
    window_text,
)
from simulations._streams import Stream
from simulations.stream import Emission
from simulations.triggers import Pane


def fails(f, *args, **kwargs) -> CheckFailed:
    with pytest.raises(CheckFailed) as info:
        f(*args, **kwargs)
    return info.value


# -- fail and show -----------------------------------------------------------------------------


def test_fail_raises_the_message_and_line_it_is_given():
    failure = fails(fail, "Use a dict.", 4)
    assert (failure.message, failure.line, str(failure)) == ("Use a dict.", 4, "Use a dict.")
    assert fails(fail, "x").line is None


@pytest.mark.parametrize("message", ["", "  \n", None, 3])
def test_fail_needs_a_message_a_reader_can_act_on(message):
    with pytest.raises(ValueError, match=r"^fail\(\) needs a message that tells the reader"):
        fail(message)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "True"),
        (False, "False"),
        (None, "None"),
        (0, "0"),
        (2.0, "2"),
        (12345, "12,345"),
        (0.1 + 0.2, "0.3"),
        ("", "''"),
        ("late", "'late'"),
        ([], "[]"),
        ((1, 2), "(1, 2)"),
    ],
)
def test_show_writes_values_as_a_reader_would(value, shown):
    assert show(value) == shown


def test_show_cuts_what_is_longer_than_eighty_characters():
    fits = "a" * 78  # its repr, quotes included, is 80 characters
    assert show(fits) == repr(fits)
    cut = show("a" * 79)
    assert cut == "'" + "a" * 76 + "..." and len(cut) == 80


# -- difference: the tolerance -----------------------------------------------------------------


def test_numbers_agree_within_the_tolerance_absolute_near_zero_relative_far_from_it():
    assert TOLERANCE == 1e-9
    assert difference(0.0, 0.9e-9) is None
    assert difference(1.1e-9, 0.0, "x") == "`x` is 1.1e-09 instead of 0"
    assert difference(1e6, 1e6 + 1e-4) is None  # 1e-10 of the value
    assert difference(1e6 + 1e-2, 1e6, "x") == "`x` is 1,000,000.0 instead of 1,000,000"
    assert difference(3, 3.0) is None and difference(3.0, 3) is None


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_two_numbers_differ_exactly_when_they_are_not_close(a, b):
    """Brute force against the documented rule: relative and absolute tolerance 1e-9."""
    close = abs(a - b) <= max(1e-9 * max(abs(a), abs(b)), 1e-9)
    assert (difference(a, b, "v") is None) == close
    assert (difference([a], [b], "v") is None) == close
    assert (difference({"k": a}, {"k": b}, "v") is None) == close


def test_a_bool_is_not_the_number_it_equals():
    assert difference(True, 1, "f(x)") == "`f(x)` is True instead of 1"
    assert difference(1, True, "f(x)") == "`f(x)` is 1 instead of True"
    assert difference(0.0, False, "f(x)") == "`f(x)` is 0 instead of False"
    assert difference([True], [1], "f(x)") == "`f(x)[0]` is True instead of 1"
    assert difference({"a": 1}, {"a": True}, "f(x)") == '`f(x)["a"]` is 1 instead of True'
    assert difference(True, True) is None and difference([False], [False]) is None


# -- difference: mappings, sequences, records --------------------------------------------------


def test_a_mapping_is_compared_key_by_key_in_sorted_order():
    got = {"b": 1, "a": 2, "c": 0}
    expected = {"c": 1, "b": 2, "a": 3}
    assert difference(got, expected, "f") == '`f["a"]` is 2 instead of 3'
    assert difference({**got, "a": 3}, expected, "f") == '`f["b"]` is 1 instead of 2'
    assert difference({"a": "x"}, {"a": "y"}, "f") == "`f[\"a\"]` is 'x' instead of 'y'"
    assert difference({"a": 2.0, "b": None}, {"a": 2, "b": None}) is None


def test_the_first_missing_key_then_the_first_extra_key_is_named():
    assert difference({"z": 1}, {"z": 1, "d": 2, "c": 3}, "f") == '`f` has no key "c"'
    assert difference({"z": 1, "d": 2}, {"z": 1}, "f") == (
        '`f` has a key "d" that should not be there'
    )
    assert difference({"z": 1, "e": 2, "d": 0}, {"z": 1, "y": 0}, "f") == '`f` has no key "y"'


def test_keys_of_mixed_types_are_ordered_by_their_repr():
    assert difference({}, {2: 1, "a": 1}, "f") == '`f` has no key "a"'  # "'a'" < "2" by repr
    assert difference({2: 0, "a": 0}, {2: 1, "a": 1}, "f") == '`f["a"]` is 0 instead of 1'
    assert difference({2: 0, "a": 1}, {2: 1, "a": 1}, "f") == "`f[2]` is 0 instead of 1"


def test_keys_are_written_as_code():
    assert difference({}, {'say "hi"': 1}, "f") == '`f` has no key "say \\"hi\\""'
    assert difference({}, {"a\\b": 1}, "f") == '`f` has no key "a\\\\b"'
    assert difference({}, {("k", 0.0): 1}, "f") == "`f` has no key ('k', 0.0)"
    assert difference({}, {2.5: 1}, "f") == "`f` has no key 2.5"


def test_a_container_of_the_wrong_kind_is_named_with_both_kinds():
    assert difference([("a", 1)], {"a": 1}, "f") == "`f` is a list instead of a dict"
    assert difference({"a": 1}, [1], "f") == "`f` is a dict instead of a list"
    assert difference(3, (3,), "f") == "`f` is a int instead of a tuple"
    assert difference("ab", ["a", "b"], "f") == "`f` is a str instead of a list"
    assert difference((1, 2), [1, 2]) is None and difference([1, 2], (1, 2)) is None


def test_a_sequence_is_compared_item_by_item_then_by_length():
    assert difference([1, 5, 7], [1, 2], "f") == "`f[1]` is 5 instead of 2"
    assert difference([1, 2, 9], [1, 2], "f") == "`f` has 3 items instead of 2"
    assert difference([], [0], "f") == "`f` has 0 items instead of 1"
    assert difference([[1, [2, "x"]]], [[1, [2, "y"]]], "f") == (
        "`f[0][1][1]` is 'x' instead of 'y'"
    )
    assert difference([None, "a", 1.5], [None, "a", 1.5]) is None


Point = namedtuple("Point", "x y")


@dataclass(frozen=True, slots=True)
class Slotted:
    key: str
    n: int


@dataclass(frozen=True)
class Plain:
    key: str
    n: int


def test_records_are_compared_field_by_field_by_name():
    assert difference(Point(1, 2), Point(1, 3), "p") == "`p.y` is 2 instead of 3"
    assert difference(Point(1.0, 2), Point(1, 2)) is None
    assert difference(Slotted("a", 1), Slotted("b", 1), "s") == "`s.key` is 'a' instead of 'b'"
    assert difference(Slotted("a", 1), Slotted("a", 2), "s") == "`s.n` is 1 instead of 2"
    assert difference(Slotted("a", 1), Slotted("a", 1)) is None


def test_a_record_is_not_a_sequence_nor_a_dataclass_without_slots_a_record():
    assert difference((1, 3), Point(1, 2), "p") == "`p` is (1, 3) instead of Point(x=1, y=2)"
    assert difference(Point(1, 2), (1, 2), "p") == "`p` is a Point instead of a tuple"
    assert difference(Point(1, 2), [1, 2], "p") == "`p` is a Point instead of a list"
    assert difference(Plain("a", 1), Plain("a", 2), "p") == (
        "`p` is Plain(key='a', n=1) instead of Plain(key='a', n=2)"
    )
    assert difference(Plain("a", 1), Plain("a", 1)) is None


# -- same_result: the call, the input, the verb ------------------------------------------------


def double(x):
    return x + x


def test_the_call_is_written_with_the_parameters_names_or_the_values():
    def window(events, size, *, slide=None):
        return events

    assert call_text(window, [[], 5]) == "window(events, size)"
    assert call_text(window, [[]]) == "window(events)"
    assert call_text(window, []) == "window()"

    def spread(*values):
        return values

    assert call_text(spread, [1]) == "spread(values)"
    assert call_text(spread, [1, "a"]) == "spread(1, 'a')"
    assert call_text(functools.partial(double), [2]) == "your function(x)"
    assert call_text(max, [3, 4]) == "max(3, 4)"  # a builtin without a signature


def test_the_input_is_described_by_how_a_stream_was_made():
    made = Stream([], "generate_stream(seed=3)")
    assert describe_args([made, 5, "a"]) == "`generate_stream(seed=3)`, 5, 'a'"
    assert describe_args([Stream([], "")]) == "[]"
    assert describe_args([]) == ""


def test_same_result_returns_the_readers_result_when_it_agrees():
    assert same_result(double, lambda x: 2 * x, 21) == 42
    assert same_result(lambda: [1.0], lambda: [1]) == [1.0]


def test_a_wrong_result_says_the_input_the_call_and_both_values():
    failure = fails(same_result, lambda x: x, double, 4)
    assert failure.message == "For 4, `<lambda>(x)` returned 4 instead of 8."
    assert failure.line is None  # the lambda is not the reader's code
    assert (
        fails(same_result, lambda: 1, lambda: 2).message == "`<lambda>()` returned 1 instead of 2."
    )
    assert fails(same_result, double, lambda x: 0, 1, describe="").message == (
        "`double(x)` returned 2 instead of 0."
    )
    assert fails(same_result, double, lambda x: 0, 1, describe="one").message == (
        "For one, `double(x)` returned 2 instead of 0."
    )


def test_a_difference_inside_the_result_keeps_is():
    def pair(x):
        return [x, x]

    failure = fails(same_result, pair, lambda x: [x, x + 1], 1)
    assert failure.message == "For 1, `pair(x)[1]` is 1 instead of 2."
    assert fails(same_result, pair, lambda x: [x], 1).message == (
        "For 1, `pair(x)` has 2 items instead of 1."
    )


def test_because_is_added_as_a_sentence_only_when_it_says_something():
    def wrong(x):
        return 0

    base = "For 1, `wrong(x)` returned 0 instead of 2."
    for because, said in [
        (None, base),
        ("", base),
        (lambda args, got, want: None, base),
        (lambda args, got, want: "", base),
        ("  it doubles  ", base + " It doubles."),
        ("why?", base + " Why?"),
        ("Stop!", base + " Stop!"),
        ("done.", base + " Done."),
        (lambda args, got, want: f"{args[0]} gives {got}, not {want}", base + " 1 gives 0, not 2."),
    ]:
        assert fails(same_result, wrong, double, 1, because=because).message == said


def test_each_function_gets_its_own_copy_of_lists_and_dicts():
    def greedy(xs, table):
        xs.append(99)
        table.pop("a")
        return len(xs) + len(table)

    def fair(xs, table):
        return len(xs) + len(table)

    xs, table = [1, 2], {"a": 1, "b": 2}
    assert same_result(greedy, fair, xs, table) == 4
    assert xs == [1, 2] and table == {"a": 1, "b": 2}

    def how(stream):
        return stream.how

    made = Stream([], "generate_stream(seed=1)")
    assert same_result(how, how, made) == "generate_stream(seed=1)"


def test_the_solution_runs_first_and_its_errors_are_the_exercises():
    calls = []

    def solution(x):
        calls.append("solution")
        raise RuntimeError("broken solution")

    def reader(x):
        calls.append("reader")
        return x

    with pytest.raises(RuntimeError, match="broken solution"):
        same_result(reader, solution, 1)
    assert calls == ["solution"]


def test_an_exception_in_the_readers_function_is_said_without_a_line_outside_their_code():
    def empty(x):
        raise ValueError

    failure = fails(same_result, empty, double, 3)
    assert (failure.message, failure.line) == ("For 3, `empty(x)` raised ValueError.", None)
    failure = fails(same_result, lambda x: 1 / x, double, 0)
    assert failure.message == "For 0, `<lambda>(x)` raised ZeroDivisionError: division by zero."
    assert isinstance(failure.__cause__, ZeroDivisionError)


def test_a_check_failure_inside_the_readers_function_is_not_rewritten():
    def inner(x):
        fail("Inner words.", 7)

    failure = fails(same_result, inner, double, 1)
    assert (failure.message, failure.line) == ("Inner words.", 7)


# -- windows -----------------------------------------------------------------------------------


def test_window_text_writes_times_as_numbers():
    assert window_text("u1", 60.0, 120.0) == "window [60, 120) of key `u1`"
    assert window_text("k", 0.5, 1.25) == "window [0.5, 1.25) of key `k`"


def test_windows_are_judged_in_order_of_end_then_start_then_key():
    truth = {("b", 0.0, 60.0): 1, ("a", 30.0, 90.0): 1, ("c", 10.0, 60.0): 1, ("a", 0.0, 60.0): 1}
    wrong = {w: 2 for w in truth}
    said = fails(compare_windows, wrong, truth).message
    assert said.startswith("window [0, 60) of key `a`:")
    del wrong[("a", 0.0, 60.0)], truth[("a", 0.0, 60.0)]
    assert fails(compare_windows, wrong, truth).message.startswith("window [0, 60) of key `b`:")
    del wrong[("b", 0.0, 60.0)], truth[("b", 0.0, 60.0)]
    assert fails(compare_windows, wrong, truth).message.startswith("window [10, 60) of key `c`:")


def test_the_last_value_written_for_a_window_is_its_final_value():
    writes = [("k", 0.0, 10.0, 1), ("k", 0.0, 10.0, 4)]
    assert compare_windows(writes, {("k", 0.0, 10.0): 4}) is None
    assert fails(compare_windows, writes, {("k", 0.0, 10.0): 1}).message == (
        "window [0, 10) of key `k`: you wrote 4, the job should write 1."
    )
    emissions = [Emission("k", 0.0, 10.0, 4.0, 1, 10.0), ["k", 10.0, 20.0, 2]]
    assert compare_windows(emissions, {("k", 0.0, 10.0): 4, ("k", 10.0, 20.0): 2.0}) is None


def test_window_values_agree_by_difference_not_by_identity():
    assert compare_windows({("k", 0.0, 1.0): [1.0, 2]}, {("k", 0.0, 1.0): [1, 2.0]}) is None
    assert compare_windows({("k", 0.0, 1.0): 0.1 + 0.2}, {("k", 0.0, 1.0): 0.3}) is None


def test_because_receives_the_window_and_both_values():
    seen = []

    def because(*context):
        seen.append(context)
        return None

    truth = {("k", 0.0, 10.0): 3, ("k", 10.0, 20.0): 5}
    message = fails(compare_windows, {("k", 0.0, 10.0): 3}, truth, because=because).message
    assert message == "window [10, 20) of key `k`: you wrote nothing, the job should write 5."
    assert seen == [("k", 10.0, 20.0, None, 5)]
    message = fails(compare_windows, truth, {}, because="one side").message
    assert message.endswith("you wrote 3, the job should write nothing (one side).")


@pytest.mark.parametrize(
    ("on", "start"),
    [
        (None, "window"),
        ("the replay", "For the replay, window"),
        (Stream([], "generate_stream(seed=2)"), "For `generate_stream(seed=2)`, window"),
        (Stream([], ""), "For [], window"),
    ],
)
def test_the_input_is_named_before_the_window(on, start):
    assert fails(compare_windows, {}, {("k", 0.0, 1.0): 1}, on=on).message.startswith(start + " [")


@pytest.mark.parametrize(
    ("results", "words"),
    [
        (
            "abc",
            "Your result should be a dict of (key, start, end) -> value or a list of "
            "results, not a str.",
        ),
        (
            b"ab",
            "Your result should be a dict of (key, start, end) -> value or a list of "
            "results, not a bytes.",
        ),
        (
            {("k", 0.0): 1},
            "Your result should map (key, start, end) to a value; it has the key ('k', 0.0).",
        ),
        ({"k": 1}, "Your result should map (key, start, end) to a value; it has the key 'k'."),
        (
            [("k", 0.0, 1.0)],
            "Your result should hold results with a key, a window and a value; "
            "it holds ('k', 0.0, 1.0).",
        ),
        (
            [("k", 0.0, 1.0, 1, 2)],
            "Your result should hold results with a key, a window and a "
            "value; it holds ('k', 0.0, 1.0, 1, 2).",
        ),
    ],
)
def test_results_of_no_window_shape_are_refused_by_what_they_hold(results, words):
    assert fails(compare_windows, results, {}).message == words


def test_the_expected_side_is_named_apart_when_it_is_malformed():
    assert fails(compare_windows, {}, 5).message.startswith("The expected result should be")
    assert fails(compare_panes, [], 5).message.startswith("The expected panes should be")
    assert fails(compare_panes, 5, []).message.startswith("Your panes should be")


# -- panes -------------------------------------------------------------------------------------


def pane(value, timing, index, key="k", start=0.0):
    return Pane(key, start, start + 10, value, 1, 0.0, timing, index)


def test_a_pane_is_named_by_its_number_and_timing():
    truth = [pane(1, "EARLY", 0), pane(2, "ON_TIME", 1), pane(3, "LATE", 2), pane(4, "LATE", 3)]
    assert fails(compare_panes, [pane(9, "EARLY", 0)], truth[:1]).message == (
        "window [0, 10) of key `k`, pane 1 (early): you wrote 9, the job should write 1."
    )
    assert fails(compare_panes, truth[:3], truth).message.endswith(
        "pane 4 (late): you wrote nothing, the job should write 4."
    )
    tuples = [("k", 0.0, 10.0, 1), ("k", 0.0, 10.0, 2), ("k", 0.0, 10.0, 3)]
    assert fails(compare_panes, tuples, truth[:2]).message == (
        "window [0, 10) of key `k`, pane 3: you wrote 3, the job should write no such pane."
    )
    custom = [("k", 0.0, 10.0, 1)]
    odd = [Emission("k", 0.0, 10.0, 2.0, 1, 10.0, timing="on-time")]
    assert fails(compare_panes, custom, odd).message == (
        "window [0, 10) of key `k`, pane 1 (on-time): you wrote 1, the job should write 2."
    )


def test_panes_are_judged_window_by_window_in_order_of_end():
    truth = [pane(1, "EARLY", 0, key="b"), pane(5, "ON_TIME", 0, key="a", start=10.0)]
    wrong = [pane(2, "EARLY", 0, key="b"), pane(6, "ON_TIME", 0, key="a", start=10.0)]
    assert fails(compare_panes, wrong, truth).message.startswith("window [0, 10) of key `b`")
    assert compare_panes([pane(1.0 + 1e-12, "EARLY", 0)], [pane(1, "EARLY", 0)]) is None


def test_because_of_a_pane_receives_its_window_index_and_both_values():
    seen = []

    def because(*context):
        seen.append(context)
        return "a retraction"

    truth = [pane(3, "EARLY", 0), pane(7, "ON_TIME", 1)]
    message = fails(compare_panes, [pane(3, "EARLY", 0)], truth, because=because).message
    assert message.endswith("the job should write 7 (a retraction).")
    assert seen == [("k", 0.0, 10.0, 1, None, 7)]
    seen.clear()
    fails(compare_panes, [*truth, pane(9, "LATE", 2)], truth, because=because)
    assert seen == [("k", 0.0, 10.0, 2, 9, None)]
    fails(compare_panes, [pane(4, "EARLY", 0)], truth[:1], because=because, on="x")
    assert seen[-1] == ("k", 0.0, 10.0, 0, 4, 3)


# -- what a shortcut must not skip -------------------------------------------------------------


def test_an_equal_nested_value_does_not_end_the_comparison():
    assert difference([[1], 2], [[1], 3], "f") == "`f[1]` is 2 instead of 3"
    assert difference({"a": [1], "b": 2}, {"a": [1], "b": 3}, "f") == '`f["b"]` is 2 instead of 3'
    assert difference(Point([1], 2), Point([1], 3), "p") == "`p.y` is 2 instead of 3"


def test_a_bool_deep_inside_is_still_not_its_number():
    assert difference([[True]], [[1]], "f") == "`f[0][0]` is True instead of 1"
    assert difference({"a": {"b": 0}}, {"a": {"b": False}}, "f") == (
        '`f["a"]["b"]` is 0 instead of False'
    )


def test_returned_replaces_only_the_verb_not_the_words_of_a_value():
    failure = fails(same_result, lambda: "x is y", lambda: "x is z")
    assert failure.message == "`<lambda>()` returned 'x is y' instead of 'x is z'."


def test_a_result_needs_a_key_a_start_and_a_value_to_be_read_as_a_window():
    from types import SimpleNamespace

    from simulations import Event

    assert fails(compare_windows, [Event("k", 1, 2.0)], {}).message == (
        "Your result should hold results with a key, a window and a value; "
        "it holds Event(key='k', value=1, event_time=2.0, arrival_time=2.0)."
    )
    plain = SimpleNamespace(key="k", start=0.0, end=10.0, value=2)
    assert compare_windows([plain], {("k", 0.0, 10.0): 2}) is None
    assert fails(compare_panes, [plain], [("k", 0.0, 10.0, 3)]).message == (
        "window [0, 10) of key `k`, pane 1: you wrote 2, the job should write 3."
    )


def test_keys_of_mixed_types_in_one_window_are_ordered_as_text():
    truth = {(2, 0.0, 10.0): 1, ("a", 0.0, 10.0): 1}
    assert fails(compare_windows, {}, truth).message.startswith("window [0, 10) of key `2`")
    assert compare_windows(dict(truth), truth) is None


def test_a_pane_that_differs_is_named_with_the_expected_timing():
    mine = [pane(2, "EARLY", 0)]
    assert fails(compare_panes, mine, [pane(5, "ON_TIME", 0)]).message == (
        "window [0, 10) of key `k`, pane 1 (on-time): you wrote 2, the job should write 5."
    )
    assert fails(compare_panes, [pane(2, "SPECULATIVE", 0)], []).message == (
        "window [0, 10) of key `k`, pane 1 (SPECULATIVE): you wrote 2, "
        "the job should write no such pane."
    )


def test_a_stop_inside_the_readers_function_goes_through_untouched():
    def spin(x):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        same_result(spin, double, 1)


def test_none_is_a_value_like_any_other():
    assert difference({"a": 1}, {"a": None}, "f") == '`f["a"]` is 1 instead of None'
    assert difference({"a": None}, {"a": 1}, "f") == '`f["a"]` is None instead of 1'
    assert difference([0], [None], "f") == "`f[0]` is 0 instead of None"
    assert difference([None], [""], "f") == "`f[0]` is None instead of ''"
    assert difference([None, 1], [None, 1]) is None


def test_numeric_keys_are_ordered_as_numbers():
    assert difference({}, {10: 1, 9: 1}, "f") == "`f` has no key 9"
    assert difference({10: 0, 9: 0}, {10: 1, 9: 1}, "f") == "`f[9]` is 0 instead of 1"


def test_a_function_without_code_of_its_own_is_named_without_a_line():
    first = functools.partial(lambda x, y: x, 0)
    failure = fails(same_result, first, double, 1)
    assert (failure.message, failure.line) == (
        "For 1, `your function(y)` returned 0 instead of 2.",
        None,
    )


def test_because_of_a_window_written_by_both_sides_receives_both_values():
    seen = []
    truth = {("k", 0.0, 10.0): 3}
    fails(compare_windows, {("k", 0.0, 10.0): 2}, truth, because=lambda *c: seen.append(c))
    assert seen == [("k", 0.0, 10.0, 2, 3)]
