"""Aggregates on their own: exact sums of ints, correctly rounded sums of floats, and the one
message for an unknown aggregate (the same wherever the name is checked)."""

import math

import pytest

from simulations.aggregates import AGGREGATES, aggregate, total


def test_ints_sum_exactly_to_an_int_and_floats_are_correctly_rounded():
    assert total([1, 2, 3]) == 6 and type(total([1, 2, 3])) is int
    assert total([]) == 0 and type(total([])) is int
    floats = [0.1] * 10
    assert total(floats) == 1.0 == math.fsum(floats) != sum(floats)
    assert total([1, 0.5]) == 1.5


@pytest.mark.parametrize(
    ("how", "expected"), [("sum", 12), ("count", 3), ("mean", 4.0), ("max", 7)]
)
def test_each_aggregate_of_a_window(how, expected):
    assert how in AGGREGATES
    got = aggregate([4, 1, 7], how)
    assert got == expected and type(got) is type(expected)


def test_an_unknown_aggregate_names_the_parameter_and_the_choices():
    with pytest.raises(ValueError) as info:
        aggregate([1, 2], "median")
    assert str(info.value) == (
        "aggregate must be one of 'sum', 'count', 'mean', 'max', got 'median'"
    )
