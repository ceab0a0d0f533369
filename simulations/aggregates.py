"""Aggregates: how the values in a window become one result.

Windows keep their values, not a running total, so that every engine (stream, batch, replay)
computes a result the same way and gets bit-identical answers: sums of ints are exact, and sums
of floats use ``math.fsum``, which is correctly rounded and so the same on every Python version.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

AGGREGATES = ("sum", "count", "mean", "max")


def total(values: Sequence[float]) -> float:
    """The exact sum of ints, or the correctly rounded sum of floats.

    >>> total([1, 2, 3]), total([0.1, 0.2, 0.3])
    (6, 0.6)
    """
    if set(map(type, values)) <= {int}:
        return sum(values)
    return math.fsum(values)


def aggregate(values: Sequence[float], how: str) -> float:
    """Apply ``how`` ("sum", "count", "mean" or "max") to a non-empty list of values.

    >>> [aggregate([4, 1, 7], how) for how in ("sum", "count", "mean", "max")]
    [12, 3, 4.0, 7]
    """
    if how == "sum":
        return total(values)
    if how == "count":
        return len(values)
    if how == "mean":
        return total(values) / len(values)
    if how == "max":
        return max(values)
    raise ValueError(f"aggregate must be one of {', '.join(map(repr, AGGREGATES))}, got {how!r}")
