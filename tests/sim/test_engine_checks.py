"""The engine-style checks of an exercise (simulations._engine_checks), shape by shape: each kind
of state, counts and sink they accept, the first broken promise they name, and the boundary
where a right answer passes (every event counted exactly once, nothing left, no write twice)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulations import Event, Tumbling, events, run_stream
from simulations._compare import CheckFailed
from simulations._engine_checks import each_event_once, exactly_once_sink, no_state_left
from simulations.stream import Emission


def fails(f, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        f(*args, **kwargs)
    assert info.value.line is None  # about the result, not a line of the reader's code
    return info.value.message


@dataclass
class Sizes:
    """A report's shape as no_state_left reads it: (time, windows held) after each step."""

    state_sizes: list[tuple[float, int]] = field(default_factory=list)


# -- no_state_left -----------------------------------------------------------------------------


@pytest.mark.parametrize("state", [{}, [], (), set(), frozenset()])
def test_empty_state_of_any_collection_passes(state):
    assert no_state_left(state) is None


def test_the_message_counts_the_entries_and_names_the_first():
    assert fails(no_state_left, ["late", "early"], what="your buffer") == (
        "At the end of the input your buffer still holds state for 2 entries (the first: "
        "'late'): state nothing will ever read again grows with every window the stream opens."
    )
    assert "holds state for 1 entry (the first: 7)" in fails(no_state_left, {7: []})


@pytest.mark.parametrize(
    ("item", "named"),
    [
        (("k", 0.0, 60.0), "window [0, 60) of key `k`"),
        ((1, 0.0, 60.0), "(1, 0.0, 60.0)"),  # not a key: shown as it is
        (("k", 0.0), "('k', 0.0)"),
        (("k", 0.0, 60.0, 1), "('k', 0.0, 60.0, 1)"),
        (["k", 0.0, 60.0], "['k', 0.0, 60.0]"),
    ],
)
def test_only_a_key_and_two_bounds_are_named_as_a_window(item, named):
    assert f"(the first: {named})" in fails(no_state_left, [item])


@pytest.mark.parametrize("state", ["", "abc", b"ab", 3, None, 2.5])
def test_state_that_is_no_collection_is_refused_by_its_type(state):
    assert fails(no_state_left, state, what="your job") == (
        f"your job should keep its state in a dict or a list, not a {type(state).__name__}."
    )


def test_a_report_is_judged_by_its_last_size_only():
    assert no_state_left(Sizes()) is None  # no step at all
    assert no_state_left(Sizes([(5.0, 3), (9.0, 0)])) is None  # emptied at the end
    assert no_state_left(Sizes([(7.0, 0)])) is None  # the time is not a size
    assert fails(no_state_left, Sizes([(5.0, 0), (9.0, 2)]), what="the job") == (
        "At the end of the input the job still holds 2 windows in state: "
        "a window the watermark has passed must be emitted and released."
    )
    assert fails(no_state_left, Sizes([(0.0, 1)]), on="the replay").startswith(
        "For the replay, at the end of the input your job still holds 1 window in state"
    )


def test_a_real_run_is_judged_by_its_engines_last_size():
    evs = events([("a", 1, 1.0), ("a", 2, 15.0)])
    report = run_stream(evs, window=Tumbling(10), watermark_delay=0)
    assert report.state_sizes[-1][1] == 0 and max(n for _, n in report.state_sizes) > 0
    assert no_state_left(report) is None


# -- each_event_once ---------------------------------------------------------------------------

EVS = events([("a", 1, 1.0), ("a", 1, 12.0), ("b", 1, 3.0)])


def test_counts_may_be_tuples_lists_or_emissions():
    rows = [("a", 0.0, 10.0, 1), ["a", 10.0, 20.0, 1], ("b", 0.0, 10.0, 1)]
    assert each_event_once(rows, EVS) is None
    assert each_event_once(iter(rows), EVS) is None  # read once, as a generator is
    emitted = [Emission("a", 0.0, 20.0, 5.0, 2, 20.0), Emission("b", 0.0, 10.0, 9.0, 1, 10.0)]
    assert each_event_once(emitted, EVS) is None  # the count, not the value
    assert fails(each_event_once, emitted[:1], EVS) == (
        "Key `b`: your windows count 0 events, the stream has 1: 1 counted in no window."
    )


def test_counts_of_no_window_shape_are_refused_naming_what_they_hold():
    assert fails(each_event_once, [("a", 0.0, 10.0)], EVS) == (
        "Your counts should hold results with a key, a window and a value; "
        "it holds ('a', 0.0, 10.0)."
    )
    assert fails(each_event_once, [("a", 0.0, 10.0, 2), 5], EVS).endswith("it holds 5.")
    assert fails(each_event_once, "abc", EVS) == (
        "Your counts should be a dict of (key, start, end) -> value or a list of results, "
        "not a str."
    )
    assert "should map (key, start, end) to a value" in fails(each_event_once, {"a": 2}, EVS)


@pytest.mark.parametrize(
    ("n", "shown"), [(True, "True"), (1.5, "1.5"), ("1", "'1'"), (None, "None")]
)
def test_a_count_must_be_a_whole_number(n, shown):
    assert fails(each_event_once, {("a", 0.0, 10.0): n}, EVS, what="your job") == (
        f"your job should count events with whole numbers; 'a' has {shown}."
    )


def test_the_first_key_in_order_is_named_with_how_many_are_off():
    wrong = {("b", 0.0, 10.0): 3, ("a", 0.0, 10.0): 0, ("c", 0.0, 10.0): 1}
    assert fails(each_event_once, wrong, EVS, what="the windows") == (
        "Key `a`: the windows count 0 events, the stream has 2: 2 counted in no window."
    )
    del wrong[("a", 0.0, 10.0)]
    wrong[("a", 5.0, 15.0)] = 2
    assert fails(each_event_once, wrong, EVS) == (
        "Key `b`: your windows count 3 events, the stream has 1: 2 counted more than once."
    )
    assert fails(each_event_once, {("a", 0.0, 20.0): 2, ("b", 0.0, 10.0): 1}, [*EVS, *EVS]) == (
        "Key `a`: your windows count 2 events, the stream has 4: 2 counted in no window."
    )


def test_large_counts_are_written_alike_with_thousands_separated():
    many = events([("a", 1, float(i)) for i in range(1500)])
    assert fails(each_event_once, {("a", 0.0, 2000.0): 12000}, many) == (
        "Key `a`: your windows count 12,000 events, the stream has 1,500: "
        "10,500 counted more than once."
    )
    assert fails(each_event_once, {("a", 0.0, 2000.0): 1}, many).endswith(
        "count 1 event, the stream has 1,500: 1,499 counted in no window."
    )


def test_a_key_the_stream_does_not_have_is_counted_more_than_once():
    right = {("a", 0.0, 20.0): 2, ("b", 0.0, 10.0): 1}
    assert fails(each_event_once, {**right, ("z", 0.0, 10.0): 1}, EVS) == (
        "Key `z`: your windows count 1 event, the stream has 0: 1 counted more than once."
    )
    assert each_event_once({**right, ("z", 0.0, 10.0): 0}, EVS) is None  # zero is no count
    assert each_event_once({}, []) is None


@given(
    st.lists(st.sampled_from("abc"), max_size=12),
    st.dictionaries(st.sampled_from("abc"), st.integers(-2, 2), max_size=3),
)
def test_only_each_keys_exact_total_passes(keys, offsets):
    """Brute force: a per-key total off by any amount, either way, fails naming that key."""
    stream = [Event(k, 1, float(i)) for i, k in enumerate(keys)]
    truth = Counter(keys)
    counts = {(k, 0.0, 1.0): truth[k] + offsets.get(k, 0) for k in set(truth) | set(offsets)}
    off = sorted(k for k in counts if counts[k[0], 0.0, 1.0] != truth[k[0]])
    if not off:
        assert each_event_once(counts, stream) is None
    else:
        key = off[0][0]
        got, want = counts[off[0]], truth[key]
        words = "counted more than once" if got > want else "counted in no window"
        assert fails(each_event_once, counts, stream) == (
            f"Key `{key}`: your windows count {got} event{'' if got == 1 else 's'}, "
            f"the stream has {want}: "
            f"{abs(got - want)} {words}."
        )


# -- exactly_once_sink -------------------------------------------------------------------------


@dataclass
class Recovered:
    """A recovery report's shape as exactly_once_sink reads it."""

    sink: list[Emission]
    duplicates: list[Emission]


def test_a_report_with_duplicates_names_the_first_duplicate():
    w1 = Emission("a", 10.0, 20.0, 2.0, 1, 20.0)
    w2 = Emission("b", 0.0, 10.0, 4.0, 1, 30.0)
    report = Recovered([w1, w2, w2, w1], [w2, w1])
    assert fails(exactly_once_sink, report) == (
        "The sink received window [0, 10) of key `b` twice (value 4): "
        "the replay after the crash wrote it again."
    )
    assert exactly_once_sink(Recovered([w1, w2], [])) is None


def test_a_list_of_writes_fails_only_on_the_same_window_with_the_same_value():
    updated = [("a", 0.0, 10.0, 1), ("a", 0.0, 10.0, 2), ("b", 0.0, 10.0, 2)]
    assert exactly_once_sink(updated) is None  # an update is no duplicate
    assert fails(exactly_once_sink, [*updated, ("a", 0.0, 10.0, 1)]) == (
        "The sink received window [0, 10) of key `a` twice (value 1): "
        "a write repeated after a replay is a duplicate."
    )
    assert exactly_once_sink([]) is None
    assert exactly_once_sink({("a", 0.0, 10.0): 1}) is None  # a table holds each window once


def test_a_sink_of_no_result_shape_is_refused():
    assert fails(exactly_once_sink, [("a", 1)]) == (
        "The sink should hold results with a key, a window and a value; it holds ('a', 1)."
    )


def test_the_final_values_are_compared_only_when_expected_is_given():
    writes = [("a", 0.0, 10.0, 1), ("a", 0.0, 10.0, 3)]
    assert exactly_once_sink(writes, {("a", 0.0, 10.0): 3}) is None  # the last write counts
    assert fails(exactly_once_sink, writes, {("a", 0.0, 10.0): 1}, because="a replay") == (
        "window [0, 10) of key `a`: you wrote 3, the job should write 1 (a replay)."
    )
    assert "the job should write nothing" in fails(exactly_once_sink, writes, {})
