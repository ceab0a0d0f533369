"""Argument checks shared by every simulation.

A reader who types ``rate=-5`` in a code box should learn what went wrong from the message alone:
which parameter, which range is accepted, and what was given. These helpers keep those messages
uniform, so every public function fails the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any


def number(name: str, value: Any) -> float:
    """Return ``value`` if it is a real, finite number (not a bool); raise otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def positive(name: str, value: Any, unit: str = "") -> float:
    """Check that ``value`` is a number > 0; ``unit`` is named in the message."""
    number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0{_unit(unit)}, got {value!r}")
    return value


def non_negative(name: str, value: Any, unit: str = "") -> float:
    """Check that ``value`` is a number >= 0; ``unit`` is named in the message."""
    number(name, value)
    if value < 0:
        raise ValueError(f"{name} must be >= 0{_unit(unit)}, got {value!r}")
    return value


def fraction(name: str, value: Any) -> float:
    """Check that ``value`` is a number in [0, 1]."""
    number(name, value)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be in [0, 1], got {value!r}")
    return value


def integer(name: str, value: Any, *, minimum: int) -> int:
    """Check that ``value`` is an int (not a bool) >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return value


def choice(name: str, value: Any, options: Iterable[str]) -> str:
    """Check that ``value`` is one of ``options`` (strings)."""
    options = tuple(options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {_list(options)}, got {type(value).__name__}")
    if value not in options:
        raise ValueError(f"{name} must be one of {_list(options)}, got {value!r}")
    return value


def _unit(unit: str) -> str:
    return f" {unit}" if unit else ""


def _list(options: tuple[str, ...]) -> str:
    return ", ".join(repr(option) for option in options)
