"""Showing results: charts go to the page as pictures, everything else as text.

Inside a code box the harness (:mod:`simulations._box`) sets :data:`_sink`, and :func:`show`
hands each chart to it, so the page draws the SVG. Run as a plain script, there is no page:
``show`` prints the chart's short text form instead, and the same code still runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_sink: Callable[[Any], None] | None = None


def show(obj: Any) -> None:
    """Display ``obj``: a chart (anything with ``.svg`` and ``.title``) is drawn, the rest printed.

    >>> show("hello")
    hello
    """
    if _sink is not None and hasattr(obj, "svg") and hasattr(obj, "title"):
        _sink(obj)
    else:
        print(obj)
