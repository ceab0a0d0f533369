"""The argument checks every simulation shares (simulations._check): each accepted boundary, each
refused value next to it, and the message a reader gets, word for word as the docstrings say."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulations import _check


def refused(f, *args, **kwargs) -> tuple[type, str]:
    with pytest.raises((TypeError, ValueError)) as info:
        f(*args, **kwargs)
    return info.type, str(info.value)


# -- number: a real, finite number, never a bool -----------------------------------------------


@pytest.mark.parametrize("value", [0, 0.0, -0.0, -7, 2.5, 10**30, 5e-324])
def test_number_returns_every_finite_number_unchanged(value):
    assert _check.number("rate", value) is value


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "rate must be a number, got bool True"),
        (False, "rate must be a number, got bool False"),
        ("5", "rate must be a number, got str '5'"),
        ("", "rate must be a number, got str ''"),
        (None, "rate must be a number, got NoneType None"),
        ([], "rate must be a number, got list []"),
    ],
)
def test_number_refuses_what_is_not_a_number_by_type(value, words):
    assert refused(_check.number, "rate", value) == (TypeError, words)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (math.inf, "rate must be a finite number, got inf"),
        (-math.inf, "rate must be a finite number, got -inf"),
        (math.nan, "rate must be a finite number, got nan"),
    ],
)
def test_number_refuses_infinities_and_nan_by_value(value, words):
    assert refused(_check.number, "rate", value) == (ValueError, words)


# -- positive and non_negative: the boundary 0 is where they differ ----------------------------


def test_positive_refuses_zero_and_accepts_the_smallest_number_above_it():
    assert refused(_check.positive, "interval", 0) == (ValueError, "interval must be > 0, got 0")
    assert refused(_check.positive, "interval", -0.0, "seconds") == (
        ValueError,
        "interval must be > 0 seconds, got -0.0",
    )
    assert refused(_check.positive, "interval", -1, "") == (
        ValueError,
        "interval must be > 0, got -1",
    )
    assert _check.positive("interval", 5e-324, "seconds") == 5e-324
    assert _check.positive("interval", 1) == 1


def test_non_negative_accepts_zero_and_refuses_the_first_number_below_it():
    assert _check.non_negative("delay", 0) == 0
    assert _check.non_negative("delay", -0.0, "seconds") == 0.0
    assert refused(_check.non_negative, "delay", -5e-324, "seconds") == (
        ValueError,
        "delay must be >= 0 seconds, got -5e-324",
    )
    assert refused(_check.non_negative, "delay", -1) == (ValueError, "delay must be >= 0, got -1")


@pytest.mark.parametrize("check", [_check.positive, _check.non_negative, _check.fraction])
def test_range_checks_ask_for_a_number_first(check):
    assert refused(check, "x", "1") == (TypeError, "x must be a number, got str '1'")
    assert refused(check, "x", True) == (TypeError, "x must be a number, got bool True")
    assert refused(check, "x", math.nan) == (ValueError, "x must be a finite number, got nan")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_positive_and_non_negative_split_the_numbers_at_zero(x):
    """Recomputed from the definition: > 0 and >= 0, nothing else decides."""
    for check, accepts in ((_check.positive, x > 0), (_check.non_negative, x >= 0)):
        if accepts:
            assert check("x", x) == x
        else:
            with pytest.raises(ValueError):
                check("x", x)


# -- fraction: both ends of [0, 1] belong -------------------------------------------------------


@pytest.mark.parametrize("value", [0, 0.0, 1, 1.0, 0.5])
def test_fraction_accepts_both_ends(value):
    assert _check.fraction("late_fraction", value) == value


@pytest.mark.parametrize("value", [-5e-324, math.nextafter(1.0, 2.0), -1, 2])
def test_fraction_refuses_the_first_numbers_outside(value):
    assert refused(_check.fraction, "late_fraction", value) == (
        ValueError,
        f"late_fraction must be in [0, 1], got {value!r}",
    )


# -- integer: an int, never a bool or a float, at least the minimum ----------------------------


def test_integer_accepts_its_minimum_and_refuses_one_below():
    assert _check.integer("n", 1, minimum=1) == 1
    assert _check.integer("seed", 0, minimum=0) == 0
    assert refused(_check.integer, "n", 0, minimum=1) == (
        ValueError,
        "n must be an int >= 1, got 0",
    )
    assert refused(_check.integer, "seed", -1, minimum=0) == (
        ValueError,
        "seed must be an int >= 0, got -1",
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "n must be an int, got bool True"),
        (False, "n must be an int, got bool False"),
        (3.0, "n must be an int, got float 3.0"),
        ("3", "n must be an int, got str '3'"),
        (None, "n must be an int, got NoneType None"),
    ],
)
def test_integer_refuses_what_is_not_an_int(value, words):
    assert refused(_check.integer, "n", value, minimum=0) == (TypeError, words)


# -- choice: one of the named options ----------------------------------------------------------


def test_choice_accepts_each_option_from_any_iterable():
    options = ("exactly-once", "at-least-once")
    for option in options:
        assert _check.choice("guarantee", option, options) == option
        assert _check.choice("guarantee", option, iter(options)) == option


def test_choice_names_every_option_when_it_refuses():
    options = ["exactly-once", "at-least-once"]
    assert refused(_check.choice, "guarantee", "once", options) == (
        ValueError,
        "guarantee must be one of 'exactly-once', 'at-least-once', got 'once'",
    )
    assert refused(_check.choice, "guarantee", "", iter(options)) == (
        ValueError,
        "guarantee must be one of 'exactly-once', 'at-least-once', got ''",
    )
    assert refused(_check.choice, "guarantee", 1, options) == (
        TypeError,
        "guarantee must be one of 'exactly-once', 'at-least-once', got int",
    )
    assert refused(_check.choice, "guarantee", None, ("a",)) == (
        TypeError,
        "guarantee must be one of 'a', got NoneType",
    )
