"""Formatting numbers, durations and tables for text output in a code box.

Boxes are narrow and read by people: thousands get separators, seconds get a unit, and tables are
plain aligned text so they print the same in a terminal, a build log and the browser.
"""

from __future__ import annotations

from collections.abc import Sequence


def count(n: int) -> str:
    """``3600`` -> ``'3,600'``."""
    return f"{n:,}"


def plural(n: int, word: str) -> str:
    """``plural(1, "run")`` -> ``'1 run'``, ``plural(3, "run")`` -> ``'3 runs'``."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def seconds(x: float) -> str:
    """A duration in seconds, short: ``1799.5`` -> ``'1799.5s'``, ``0.0123`` -> ``'0.0123s'``."""
    if x == 0 or abs(x) >= 1:  # inf too: "infs"; nan is neither, and .3g writes "nan"
        return f"{x:.1f}s"
    return f"{x:.3g}s"


def clock(x: float) -> str:
    """A period as ``HH:MM:SS`` (hours can exceed 24): ``3600`` -> ``'01:00:00'``."""
    total = round(x)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if total != x:  # keep sub-second periods visible instead of rounding them away
        text += f" ({x:g}s)"
    return text


def num(x: float) -> str:
    """A value or a time in a table: integers without a decimal point, others to 4 significant."""
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}" if abs(x) >= 10_000 else str(int(x))
    return f"{x:.4g}" if abs(x) < 1000 else f"{x:,.1f}"  # "inf", "-inf" and "nan" as they are


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], total: int = 0) -> str:
    """Plain text columns, left-aligned text and right-aligned numbers.

    ``total`` is how many rows there are in all when ``rows`` shows only the first ones; the
    table then ends with a line saying how many more there are.
    """
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], len(text))
    numeric = [
        all(isinstance(row[i], (int, float)) and not isinstance(row[i], bool) for row in rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(widths[i]) if numeric[i] and rows else v.ljust(widths[i])
            for i, v in enumerate(values)
        ]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    if total > len(rows):
        out.append(f"... {count(total - len(rows))} more")
    return "\n".join(out)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, (int, float)):
        return num(value)
    return str(value)
