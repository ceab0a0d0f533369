"""Trigger specs on their own: when a processing-time trigger is due, what each one prints,
which arguments it refuses, and the trigger the run_triggered shorthands stand for."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations._format import num
from simulations.trigger_specs import (
    AfterCount,
    AfterProcessingTime,
    AfterWatermark,
    Repeatedly,
    check_trigger,
    describe,
    shorthand,
)

FAST = settings(max_examples=200, deadline=None)


# -- AfterProcessingTime.due: a delay, then the grid ---------------------------------------------


def test_an_unaligned_delay_is_added_to_the_first_element():
    assert AfterProcessingTime(60).due(299) == 359
    assert AfterProcessingTime(0.5).due(0) == 0.5


@pytest.mark.parametrize(
    ("first", "due"),
    [
        (299.0, 300.0),  # just before a tick: that tick
        (300.0, 300.0),  # exactly on a tick: it stays (alignedTo rounds up, not past)
        (300.5, 420.0),  # just after a tick: the next one
        (419.0, 420.0),
        (0.0, 60.0),  # the grid is offset + k * period, not k * period
        (-70.0, -60.0),  # and it runs below zero too
    ],
)
def test_an_aligned_trigger_fires_on_the_next_tick_at_or_after_the_first_element(first, due):
    assert AfterProcessingTime(period=120, offset=300).due(first) == due


def test_a_delay_and_a_grid_add_the_delay_first():
    # 100 + 30 = 130, then up to the grid of 50: 150; on the grid already (120 + 30): 150 too
    assert AfterProcessingTime(30, period=50).due(100) == 150
    assert AfterProcessingTime(30, period=50).due(120) == 150
    assert AfterProcessingTime(30, period=50).due(121) == 200


def brute_due(first, delay, period, offset):
    """The smallest offset + k * period at or after first + delay, found by walking the grid."""
    at = first + delay
    k = math.floor((at - offset) / period) - 2
    while offset + k * period < at:
        k += 1
    return offset + k * period


@FAST
@given(
    first=st.integers(-50, 500),
    delay=st.sampled_from([0, 1, 7, 60]),
    period=st.sampled_from([1, 2, 5, 60, 120]),
    offset=st.integers(-130, 130),
)
def test_an_aligned_due_time_is_the_first_grid_point_after_the_delay(first, delay, period, offset):
    due = AfterProcessingTime(delay, period=period, offset=offset).due(first)
    assert due == brute_due(first, delay, period, offset)


# -- what each spec refuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (
            lambda: AfterCount(0),
            ValueError,
            "count must be an int >= 1, got 0",
        ),
        (
            lambda: AfterCount(2.0),
            TypeError,
            "count must be an int, got float 2.0",
        ),
        (
            lambda: AfterProcessingTime(-1),
            ValueError,
            "delay must be >= 0 seconds, got -1",
        ),
        (
            lambda: AfterProcessingTime(period=0),
            ValueError,
            "period must be > 0 seconds, got 0",
        ),
        (
            lambda: AfterProcessingTime(5, offset=3),
            ValueError,
            "offset must be 0 unless period is set: it says where the aligned instants fall, got 3",
        ),
        (
            lambda: AfterProcessingTime(period=5, offset="3"),
            TypeError,
            "offset must be a number, got str '3'",
        ),
        (
            lambda: AfterProcessingTime(),
            ValueError,
            "delay must be > 0 seconds unless period is set (a zero delay fires with every "
            "element: that is AfterCount(1)), got 0",
        ),
        (
            lambda: AfterProcessingTime(0.0),
            ValueError,
            "delay must be > 0 seconds unless period is set (a zero delay fires with every "
            "element: that is AfterCount(1)), got 0",
        ),
        (
            lambda: Repeatedly(AfterWatermark()),
            TypeError,
            "trigger must be AfterCount(n) or AfterProcessingTime(...), got AfterWatermark "
            "AfterWatermark(early=None, late=None)",
        ),
        (
            lambda: Repeatedly(5),
            TypeError,
            "trigger must be AfterCount(n) or AfterProcessingTime(...), got int 5",
        ),
        (
            lambda: AfterWatermark(early=1),
            TypeError,
            "early must be AfterCount(n) or AfterProcessingTime(...), got int 1",
        ),
        (
            lambda: AfterWatermark(late="x"),
            TypeError,
            "late must be AfterCount(n) or AfterProcessingTime(...), got str 'x'",
        ),
        (
            lambda: AfterWatermark(early=AfterWatermark()),
            TypeError,
            "early must be AfterCount(n) or AfterProcessingTime(...), got AfterWatermark "
            "AfterWatermark(early=None, late=None)",
        ),
        (
            lambda: check_trigger(None),
            TypeError,
            "trigger must be AfterWatermark(...), Repeatedly(...), AfterCount(n) or "
            "AfterProcessingTime(...), got NoneType None",
        ),
        (
            lambda: check_trigger("AfterCount(1)"),
            TypeError,
            "trigger must be AfterWatermark(...), Repeatedly(...), AfterCount(n) or "
            "AfterProcessingTime(...), got str 'AfterCount(1)'",
        ),
    ],
)
def test_bad_arguments_name_the_parameter(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert str(info.value) == words


def test_the_falsy_values_that_are_allowed():
    # a zero delay on a grid fires at the next tick; a zero offset is the default grid
    assert AfterProcessingTime(0, period=10).due(10) == 10
    assert AfterProcessingTime(0, period=10, offset=0).due(0.5) == 10
    assert AfterProcessingTime(1, offset=0).due(2) == 3
    assert AfterWatermark(early=None, late=None) == AfterWatermark()
    for trigger in (AfterCount(1), Repeatedly(AfterCount(1)), AfterWatermark()):
        assert check_trigger(trigger) is trigger


def test_repeated_sub_triggers_of_the_watermark_trigger_mean_the_trigger_inside():
    leaf = AfterProcessingTime(period=60)
    t = AfterWatermark(early=Repeatedly(leaf), late=Repeatedly(AfterCount(2)))
    assert (t.early, t.late) == (leaf, AfterCount(2))
    assert t == AfterWatermark(early=leaf, late=AfterCount(2))


# -- what each spec prints -----------------------------------------------------------------------


@pytest.mark.parametrize("delay", [1, 2.5, 60, 3600])
def test_a_delay_prints_in_seconds(delay):
    assert str(AfterProcessingTime(delay)) == f"AfterProcessingTime({num(delay)}s)"


@pytest.mark.parametrize(("delay", "period", "offset"), [(0, 120, 300), (5, 60, 0), (1, 2.5, -1)])
def test_an_aligned_delay_prints_its_grid(delay, period, offset):
    assert str(AfterProcessingTime(delay, period=period, offset=offset)) == (
        f"AfterProcessingTime({num(delay)}s, aligned to {num(period)}s + {num(offset)}s)"
    )


def test_the_watermark_trigger_prints_the_sub_triggers_it_has():
    early, late = AfterProcessingTime(60), AfterCount(1)
    assert str(AfterWatermark()) == "AfterWatermark()"
    assert str(AfterWatermark(early=early)) == f"AfterWatermark(early={early})"
    assert str(AfterWatermark(late=late)) == f"AfterWatermark(late={late})"
    assert str(AfterWatermark(early, late)) == f"AfterWatermark(early={early}, late={late})"
    assert str(Repeatedly(AfterCount(3))) == "Repeatedly(AfterCount(3))"


@pytest.mark.parametrize(
    ("trigger", "words"),
    [
        (Repeatedly(AfterCount(1)), "a pane per element"),
        (Repeatedly(AfterCount(2)), "a pane every 2 elements"),
        (Repeatedly(AfterCount(12)), "a pane every 12 elements"),
        (AfterCount(1), "AfterCount(1)"),  # fires once: not a pane per element
        (Repeatedly(AfterProcessingTime(5)), "Repeatedly(AfterProcessingTime(5s))"),
        (AfterWatermark(late=AfterCount(1)), "AfterWatermark(late=AfterCount(1))"),
    ],
)
def test_a_panel_describes_a_trigger_in_words_where_it_can(trigger, words):
    assert describe(trigger) == words


# -- the shorthands ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("early_every", "early_count", "early"),
    [
        (None, None, None),
        (2, None, AfterProcessingTime(period=2)),
        (0.5, None, AfterProcessingTime(0, period=0.5, offset=0)),
        (None, 1, AfterCount(1)),
        (None, 3, AfterCount(3)),
    ],
)
def test_a_shorthand_is_the_watermark_trigger_with_a_pane_per_late_element(
    early_every, early_count, early
):
    assert shorthand(early_every, early_count) == AfterWatermark(early=early, late=AfterCount(1))
