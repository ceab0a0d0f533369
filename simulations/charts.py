"""Charts as self-contained SVG strings, with a text fallback.

A picture says more than a table for things that change over time (a watermark, accuracy after
drift). The SVG has no scripts and no external references, so it can be inlined in any page;
it is labelled (``role="img"``, ``<title>``) for screen readers; and it draws axes and text in
``currentColor`` so it reads on light and dark themes. Series colours come from CSS variables
(``--sim-series-1`` ...) with fallbacks, and series also differ by dash pattern, so they stay
distinguishable without colour. ``str(chart)`` is a short text version for terminals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from . import _check
from ._format import num

_PLAIN = (float, int)
_isfinite = math.isfinite

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 56, 48
MAX_POINTS = 400  # per series: enough for the eye, keeps the page light
COLORS = ("#3b82f6", "#f97316", "#10b981", "#e11d48", "#8b5cf6", "#a16207")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart: ``svg`` for the page, ``text`` (and ``str()``) for a terminal."""

    title: str
    svg: str
    text: str

    def __str__(self) -> str:
        return self.text

    def _repr_svg_(self) -> str:  # notebooks draw it
        return self.svg


def line_chart(
    series: Mapping[str, Sequence[tuple[float, float]]],
    *,
    title: str = "Chart",
    x_label: str = "x",
    y_label: str = "y",
) -> Chart:
    """Lines through ``(x, y)`` points, one per named series.

    >>> c = line_chart({"a": [(0, 0), (1, 2)], "b": [(0, 1), (1, 1)]}, title="Demo")
    >>> c.svg.startswith("<svg") and 'role="img"' in c.svg and "<script" not in c.svg
    True
    >>> print(c)
    Demo
      a: 2 points, x 0..1, y 0..2, last (1, 2)
      b: 2 points, x 0..1, y 1..1, last (1, 1)
    """
    if not isinstance(series, Mapping):
        raise TypeError(f"series must be a dict of name -> [(x, y), ...], got {type(series)}")
    clean: dict[str, list[tuple[float, float]]] = {}
    for name, points in series.items():
        pts = []
        for i, point in enumerate(points):
            if not isinstance(point, (tuple, list)) or len(point) != 2:
                raise ValueError(f"series[{name!r}][{i}] must be an (x, y) pair, got {point!r}")
            x, y = point
            # Plain finite floats and ints pass at once; anything else gets the full check
            # (and its message). A chart of every event's latency has thousands of points.
            if not (type(x) in _PLAIN and type(y) in _PLAIN and _isfinite(x) and _isfinite(y)):
                x, y = _check.number("x", x), _check.number("y", y)
            pts.append((x, y))
        clean[str(name)] = pts
    xs = [x for pts in clean.values() for x, _ in pts]
    ys = [y for pts in clean.values() for _, y in pts]
    frame = _Frame(xs, ys, title, x_label, y_label)
    body = []
    for i, pts in enumerate(clean.values()):
        pts = _thin(pts)
        if not pts:
            continue
        coords = " ".join(f"{frame.x(x):.1f},{frame.y(y):.1f}" for x, y in pts)
        body.append(
            f'<polyline points="{coords}" fill="none" stroke-width="2" '
            f'style="stroke:{_color(i)}"{_dash(i)}/>'
        )
    body.append(_legend(list(clean)))
    lines = [title]
    for name, pts in clean.items():
        if not pts:
            lines.append(f"  {name}: no points")
            continue
        px = [x for x, _ in pts]
        py = [y for _, y in pts]
        lines.append(
            f"  {name}: {len(pts)} points, x {num(min(px))}..{num(max(px))}, "
            f"y {num(min(py))}..{num(max(py))}, last ({num(pts[-1][0])}, {num(pts[-1][1])})"
        )
    return Chart(title, frame.svg(body), "\n".join(lines))


def bar_chart(values: Mapping[str, float], *, title: str = "Chart", y_label: str = "") -> Chart:
    """One bar per name, in the order given.

    >>> print(bar_chart({"batch": 3.0, "stream": 1.0}, title="Cost", y_label="machine-s"))
    Cost (machine-s)
      batch   ############################## 3
      stream  ########## 1
    """
    if not isinstance(values, Mapping):
        raise TypeError(f"values must be a dict of name -> number, got {type(values).__name__}")
    items = [(str(k), _check.number(f"values[{k!r}]", v)) for k, v in values.items()]
    frame = _Frame([0, max(len(items), 1)], [0] + [v for _, v in items], title, "", y_label)
    body = []
    slot = frame.plot_w / max(len(items), 1)
    for i, (name, v) in enumerate(items):
        x0 = LEFT + i * slot + slot * 0.15
        y0, y1 = frame.y(max(v, 0)), frame.y(min(v, 0))
        body.append(
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{max(y1 - y0, 0.5):.1f}" style="fill:{_color(i)}"/>'
        )
        body.append(
            f'<text x="{x0 + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" fill="currentColor">{escape(name)}</text>'
        )
    head = f"{title} ({y_label})" if y_label else title
    return Chart(title, frame.svg(body, x_ticks=False), "\n".join([head, *_text_bars(items)]))


def histogram(
    values: Iterable[float], *, bins: int = 20, title: str = "Histogram", x_label: str = "value"
) -> Chart:
    """How values are distributed, in ``bins`` equal-width bins from min to max.

    >>> print(histogram([1, 1, 2, 3], bins=2, title="Delays", x_label="s"))
    Delays (s)
      [1, 2)  ############################## 2
      [2, 3]  ############################## 2
    """
    _check.integer("bins", bins, minimum=1)
    data = [_check.number("values", v) for v in values]
    if not data:
        return Chart(
            title, _Frame([0, 1], [0, 1], title, x_label, "count").svg([]), f"{title}: no data"
        )
    lo, hi = min(data), max(data)
    width = (hi - lo) / bins if hi > lo else 1.0
    counts = [0] * bins
    for v in data:
        counts[min(int((v - lo) / width), bins - 1)] += 1
    edges = [lo + i * width for i in range(bins + 1)]
    frame = _Frame([edges[0], edges[-1]], [0, max(counts)], title, x_label, "count")
    body = []
    for i, c in enumerate(counts):
        x0, x1 = frame.x(edges[i]), frame.x(edges[i + 1])
        y0 = frame.y(c)
        body.append(
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{max(x1 - x0 - 1, 0.5):.1f}" '
            f'height="{frame.y(0) - y0:.1f}" style="fill:{_color(0)}"/>'
        )
    labels = [
        f"[{num(edges[i])}, {num(edges[i + 1])}{']' if i == bins - 1 else ')'}" for i in range(bins)
    ]
    text = [
        f"{title} ({x_label})" if x_label else title,
        *_text_bars(list(zip(labels, counts, strict=True))),
    ]
    return Chart(title, frame.svg(body), "\n".join(text))


# -- drawing helpers --------------------------------------------------------------------------


class _Frame:
    """Axes, ticks, labels and the mapping from data to pixels."""

    def __init__(self, xs, ys, title: str, x_label: str, y_label: str) -> None:
        self.x0, self.x1 = _span(xs)
        self.y0, self.y1 = _span(ys)
        self.title, self.x_label, self.y_label = title, x_label, y_label
        self.plot_w = WIDTH - LEFT - RIGHT
        self.plot_h = HEIGHT - TOP - BOTTOM

    def x(self, v: float) -> float:
        return LEFT + (v - self.x0) / (self.x1 - self.x0) * self.plot_w

    def y(self, v: float) -> float:
        return TOP + (self.y1 - v) / (self.y1 - self.y0) * self.plot_h

    def svg(self, body: list[str], *, x_ticks: bool = True) -> str:
        bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="100%" role="img" aria-label="{escape(self.title)}" '
            'font-family="system-ui, sans-serif" font-size="12" style="max-width:640px">',
            f"<title>{escape(self.title)}</title>",
            f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14" '
            f'font-weight="bold" fill="currentColor">{escape(self.title)}</text>',
        ]
        for v in _ticks(self.y0, self.y1):
            py = self.y(v)
            parts.append(
                f'<line x1="{LEFT}" y1="{py:.1f}" x2="{right}" y2="{py:.1f}" '
                'stroke="currentColor" stroke-opacity="0.15"/>'
            )
            parts.append(
                f'<text x="{LEFT - 6}" y="{py + 4:.1f}" text-anchor="end" '
                f'fill="currentColor">{escape(num(v))}</text>'
            )
        if x_ticks:
            for v in _ticks(self.x0, self.x1):
                px = self.x(v)
                parts.append(
                    f'<text x="{px:.1f}" y="{bottom + 16}" text-anchor="middle" '
                    f'fill="currentColor">{escape(num(v))}</text>'
                )
        parts.append(
            f'<path d="M{LEFT},{TOP} V{bottom} H{right}" fill="none" stroke="currentColor"/>'
        )
        if self.x_label:
            parts.append(
                f'<text x="{LEFT + self.plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle" '
                f'fill="currentColor">{escape(self.x_label)}</text>'
            )
        if self.y_label:
            parts.append(
                f'<text transform="translate(14 {TOP + self.plot_h / 2}) rotate(-90)" '
                f'text-anchor="middle" fill="currentColor">{escape(self.y_label)}</text>'
            )
        parts.extend(body)
        parts.append("</svg>")
        return "\n".join(parts)


def _span(values: Sequence[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    if hi == lo:
        return lo - 1, hi + 1
    return lo, hi


def _ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    raw = (hi - lo) / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    out = []
    v = first
    while v <= hi + step * 1e-9:
        out.append(round(v, 10))
        v += step
    return out


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(points) <= MAX_POINTS:
        return points
    stride = len(points) / (MAX_POINTS - 1)
    picked = [points[int(i * stride)] for i in range(MAX_POINTS - 1)]
    picked.append(points[-1])
    return picked


def _color(i: int) -> str:
    return f"var(--sim-series-{i % len(COLORS) + 1}, {COLORS[i % len(COLORS)]})"


def _dash(i: int) -> str:
    dash = DASHES[i % len(DASHES)]
    return f' stroke-dasharray="{dash}"' if dash else ""


def _legend(names: list[str]) -> str:
    """One row of keys between the title and the plot, so it never hides a line."""
    items = []
    x = float(LEFT)
    for i, name in enumerate(names):
        y = 38
        items.append(
            f'<line x1="{x:.1f}" y1="{y}" x2="{x + 20:.1f}" y2="{y}" stroke-width="2" '
            f'style="stroke:{_color(i)}"{_dash(i)}/>'
            f'<text x="{x + 26:.1f}" y="{y + 4}" fill="currentColor">{escape(name)}</text>'
        )
        x += 26 + 7.5 * len(name) + 24
    return "".join(items)


def _text_bars(items: list[tuple[str, float]]) -> list[str]:
    if not items:
        return ["  (empty)"]
    width = max(len(name) for name, _ in items)
    top = max((abs(v) for _, v in items), default=0) or 1
    return [
        f"  {name.ljust(width)}  {'#' * round(30 * abs(v) / top)} {num(v)}" for name, v in items
    ]
