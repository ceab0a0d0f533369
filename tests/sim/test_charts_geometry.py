"""Charts drawn where the data says: points, bars, bins and ticks at the pixels of their values.

The plot's box is read from the SVG's own axes (the ``M left,top V bottom H right`` path): the
data's extremes must touch its edges and every mark must sit at the pixel its value maps to
linearly in between. Series keep one colour and dash in the line and in the legend; tick labels
say the values they stand at.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest

from simulations import bar_chart, histogram, line_chart
from simulations.charts import COLORS, DASHES, MAX_POINTS, _ticks

NS = "{http://www.w3.org/2000/svg}"


def box(root: ET.Element) -> tuple[float, float, float, float]:
    """left, top, bottom, right of the plot, from the axes drawn."""
    (axes,) = [p for p in root.iter(f"{NS}path") if p.get("d", "").startswith("M")]
    left, top, bottom, right = map(float, re.findall(r"[\d.]+", axes.get("d")))
    return left, top, bottom, right


def scale(lo: float, hi: float, a: float, b: float):
    return lambda v: a + (v - lo) / (hi - lo) * (b - a)


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in polyline.get("points").split()]


def texts(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{NS}text"))


# -- _ticks: round numbers, every one inside the range, evenly spaced ----------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "ticks"),
    [
        (0, 10, [0, 2, 4, 6, 8, 10]),
        (0, 50, [0, 10, 20, 30, 40, 50]),  # a range of 5 steps of exactly 10: step 10, not 20
        (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (-1, 1, [-1, -0.5, 0, 0.5, 1]),
        (3, 97, [20, 40, 60, 80]),
        (0, 0.3, [0, 0.1, 0.2, 0.3]),  # 0.1 + 0.1 + 0.1 > 0.3 in floats: the last still counts
        (-7, -2, [-7, -6, -5, -4, -3, -2]),
        (1000, 6000, [1000, 2000, 3000, 4000, 5000, 6000]),
    ],
)
def test_ticks_are_round_steps_within_the_range(lo, hi, ticks):
    assert _ticks(lo, hi) == pytest.approx(ticks)


# -- line charts ---------------------------------------------------------------------------------


def test_each_point_sits_at_its_values_and_the_extremes_touch_the_axes():
    series = {"wm": [(0, 10.0), (5, 20.0), (10, 0.0)], "late": [(2, 5.0), (7.5, 12.5)]}
    root = ET.fromstring(line_chart(series, title="T").svg)
    left, top, bottom, right = box(root)
    px, py = scale(0, 10, left, right), scale(0, 20, bottom, top)
    lines = list(root.iter(f"{NS}polyline"))
    assert len(lines) == 2
    for line, pts in zip(lines, series.values(), strict=True):
        assert points(line) == [
            (pytest.approx(px(x), abs=0.051), pytest.approx(py(y), abs=0.051)) for x, y in pts
        ]
    drawn = [p for line in lines for p in points(line)]
    assert min(x for x, _ in drawn) == left and max(x for x, _ in drawn) == right
    assert min(y for _, y in drawn) == top and max(y for _, y in drawn) == bottom


def test_tick_labels_say_the_value_at_their_height_and_place():
    root = ET.fromstring(line_chart({"a": [(0, 0), (50, 10)]}, x_label="s", y_label="n").svg)
    left, top, bottom, right = box(root)
    py, px = scale(0, 10, bottom, top), scale(0, 50, left, right)
    y_ticks = [t for t in texts(root) if t.get("text-anchor") == "end"]
    assert [t.text for t in y_ticks] == ["0", "2", "4", "6", "8", "10"]
    for t in y_ticks:  # beside the axis, on the text's baseline a little below the value
        assert float(t.get("x")) < left
        assert float(t.get("y")) == pytest.approx(py(float(t.text)) + 4, abs=0.051)
    x_ticks = [t for t in texts(root) if t.get("y") == f"{bottom + 16:g}"]
    assert [t.text for t in x_ticks] == ["0", "10", "20", "30", "40", "50"]
    for t in x_ticks:
        assert float(t.get("x")) == pytest.approx(px(float(t.text)), abs=0.051)
    # one faint grid line per y tick, across the plot
    grid = [g for g in root.iter(f"{NS}line") if g.get("stroke-opacity")]
    assert [float(g.get("y1")) for g in grid] == [
        pytest.approx(py(float(t.text)), abs=0.051) for t in y_ticks
    ]
    assert all((float(g.get("x1")), float(g.get("x2"))) == (left, right) for g in grid)


def test_axis_labels_are_drawn_only_when_given():
    root = ET.fromstring(line_chart({"a": [(0, 0), (1, 1)]}, x_label="time (s)", y_label="lag").svg)
    left, top, bottom, right = box(root)
    (x_label,) = [t for t in texts(root) if t.text == "time (s)"]
    assert float(x_label.get("x")) == (left + right) / 2 and float(x_label.get("y")) > bottom
    (y_label,) = [t for t in texts(root) if t.text == "lag"]
    assert "rotate(-90)" in y_label.get("transform")
    ty = re.match(r"translate\(([\d.]+) ([\d.]+)\)", y_label.get("transform")).groups()
    assert float(ty[0]) < left and float(ty[1]) == (top + bottom) / 2
    bare = ET.fromstring(line_chart({"a": [(0, 0), (1, 1)]}, x_label="", y_label="").svg)
    assert not [t for t in texts(bare) if t.get("transform") or t.text in ("x", "y", "")]


def test_each_series_keeps_its_colour_and_dash_in_the_line_and_the_legend():
    names = [f"s{i}" for i in range(len(COLORS) + 1)]
    series = {name: [(0, i), (1, i + 1)] for i, name in enumerate(names)}
    root = ET.fromstring(line_chart(series).svg)
    lines = list(root.iter(f"{NS}polyline"))
    keys = [k for k in root.iter(f"{NS}line") if k.get("style")]
    labels = [t for t in texts(root) if t.text in names]
    assert [t.text for t in labels] == names
    for i, (line, key) in enumerate(zip(lines, keys, strict=True)):
        colour = f"stroke:var(--sim-series-{i % len(COLORS) + 1}, {COLORS[i % len(COLORS)]})"
        assert line.get("style") == key.get("style") == colour
        assert line.get("stroke-dasharray") == key.get("stroke-dasharray")
        assert (line.get("stroke-dasharray") or "") == DASHES[i % len(DASHES)]
    styles = {(ln.get("style"), ln.get("stroke-dasharray")) for ln in lines[: len(COLORS)]}
    assert len(styles) == len(COLORS)  # the first six are told apart
    assert (lines[-1].get("style"), lines[-1].get("stroke-dasharray")) == (
        lines[0].get("style"),
        lines[0].get("stroke-dasharray"),
    )
    # the legend reads left to right, each name after its key and before the next key
    for key, label, nxt in zip(keys, labels, keys[1:], strict=False):
        assert float(key.get("x2")) < float(label.get("x")) < float(nxt.get("x1"))
    left, top, _, _ = box(root)
    assert float(keys[0].get("x1")) == left and all(float(k.get("y1")) < top for k in keys)


def test_an_empty_series_is_listed_and_the_next_keeps_its_own_colour():
    c = line_chart({"none": [], "b": [(0, 1), (2, 3)]}, title="E")
    root = ET.fromstring(c.svg)
    (line,) = root.iter(f"{NS}polyline")
    assert line.get("style") == f"stroke:var(--sim-series-2, {COLORS[1]})"
    assert c.text.splitlines() == [
        "E",
        "  none: no points",
        "  b: 2 points, x 0..2, y 1..3, last (2, 3)",
    ]


def test_the_text_gives_each_series_range_and_last_point():
    c = line_chart({"acc": [(3, 0.5), (-1.5, 0.25), (10_000, 0.125)]}, title="Acc")
    assert c.text == "Acc\n  acc: 3 points, x -1.5..10,000, y 0.125..0.5, last (10,000, 0.125)"


def test_long_series_are_thinned_to_at_most_max_points_keeping_both_ends():
    exact = line_chart({"a": [(i, i % 7) for i in range(MAX_POINTS)]}).svg
    (line,) = ET.fromstring(exact).iter(f"{NS}polyline")
    assert len(points(line)) == MAX_POINTS
    long = [(i, (i * 7919) % 101) for i in range(MAX_POINTS * 3 + 1)]
    (line,) = ET.fromstring(line_chart({"a": long}).svg).iter(f"{NS}polyline")
    drawn = points(line)
    assert len(drawn) == MAX_POINTS
    root = ET.fromstring(line_chart({"a": long}).svg)
    left, top, bottom, right = box(root)
    py = scale(0, 100, bottom, top)
    assert drawn[0] == (left, pytest.approx(py(long[0][1]), abs=0.051))
    assert drawn[-1] == (right, pytest.approx(py(long[-1][1]), abs=0.051))
    # the points kept are points of the series, in order, about evenly spread
    kept = [round((x - left) / (right - left) * (len(long) - 1)) for x, _ in drawn]
    assert kept == sorted(kept) and len(set(kept)) == MAX_POINTS
    for i, (_, y) in zip(kept, drawn, strict=True):
        assert y == pytest.approx(py(long[i][1]), abs=0.051)
    gaps = [b - a for a, b in itertools.pairwise(kept)]
    assert max(gaps) <= 4


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ({"a": [(1, 2, 3)]}, r"series\['a'\]\[0\] must be an \(x, y\) pair"),
        ({"a": [(0, 0), 5]}, r"series\['a'\]\[1\] must be an \(x, y\) pair"),
        ({"a": [(math.nan, 1)]}, r"^x must"),
        ({"a": [(0, math.inf)]}, r"^y must"),
        ({"a": [(0, "1")]}, r"^y must"),
    ],
)
def test_a_bad_point_is_refused_by_its_place(series, message):
    with pytest.raises((ValueError, TypeError), match=message):
        line_chart(series)


def test_series_must_be_a_mapping():
    with pytest.raises(TypeError, match="series must be a dict"):
        line_chart([(0, 1)])
    with pytest.raises(TypeError, match="values must be a dict"):
        bar_chart([1, 2])


def test_points_may_be_lists_but_a_bool_is_no_number():
    c = line_chart({7: [[0, 0.5], [1, 1]]})
    assert c.text.splitlines()[1] == "  7: 2 points, x 0..1, y 0.5..1, last (1, 1)"
    with pytest.raises(TypeError, match=r"^x must be a number, got bool True"):
        line_chart({"a": [(True, 1)]})


# -- bar charts ----------------------------------------------------------------------------------


def test_bars_stand_on_zero_with_heights_in_proportion_and_names_beneath():
    values = {"batch": 3.0, "stream": -1.5, "idle": 0.0, "micro": 1.5}
    root = ET.fromstring(bar_chart(values, title="Cost").svg)
    left, top, bottom, right = box(root)
    py = scale(-1.5, 3.0, bottom, top)
    rects = list(root.iter(f"{NS}rect"))
    assert len(rects) == 4
    slot = (right - left) / 4
    for i, (rect, v) in enumerate(zip(rects, values.values(), strict=True)):
        x, w = float(rect.get("x")), float(rect.get("width"))
        y, h = float(rect.get("y")), float(rect.get("height"))
        # centred in its slot, 70% of it wide
        assert x + w / 2 == pytest.approx(left + (i + 0.5) * slot, abs=0.1)
        assert w == pytest.approx(0.7 * slot, abs=0.051)
        # from zero up to a positive value, down to a negative one; a zero shows a hairline
        assert y == pytest.approx(py(max(v, 0)), abs=0.051)
        assert h == pytest.approx(max(abs(py(v) - py(0)), 0.5), abs=0.11)
        assert rect.get("style") == f"fill:var(--sim-series-{i + 1}, {COLORS[i]})"
    names = [t for t in texts(root) if t.text in values]
    assert [t.text for t in names] == list(values)
    for rect, name in zip(rects, names, strict=True):
        centre = float(rect.get("x")) + float(rect.get("width")) / 2
        assert float(name.get("x")) == pytest.approx(centre, abs=0.1)
        assert float(name.get("y")) > bottom
    # no numbers under the bars: the names are the x axis
    assert not [t for t in texts(root) if t.get("y") == f"{bottom + 16:g}" and t.text[0].isdigit()]


def test_the_text_bars_scale_to_the_largest_magnitude():
    c = bar_chart({"a": 2.0, "b": -4.0, "c": 1.0, "d": 0.0}, title="T")
    assert c.text.splitlines() == [
        "T",
        "  a  " + "#" * 15 + " 2",
        "  b  " + "#" * 30 + " -4",
        "  c  " + "#" * 8 + " 1",  # 7.5 rounds to even
        "  d   0",
    ]
    assert bar_chart({"zero": 0}, title="Z").text == "Z\n  zero   0"  # no division by zero
    assert bar_chart({}, title="None").text == "None\n  (empty)"
    assert bar_chart({"a": 1}, title="U", y_label="s").text.splitlines()[0] == "U (s)"


def test_a_bar_value_must_be_a_number_named_by_its_key():
    with pytest.raises((ValueError, TypeError), match=r"values\['b'\]"):
        bar_chart({"a": 1, "b": "x"})


# -- histograms ----------------------------------------------------------------------------------


def test_each_bin_spans_its_edges_with_its_count_as_height():
    data = [0, 1, 1, 2, 3, 4, 4, 4]
    root = ET.fromstring(histogram(data, bins=4, title="H").svg)
    left, top, bottom, right = box(root)
    px = scale(0, 4, left, right)
    # [0,1) [1,2) [2,3) [3,4]: the maximum goes in the last bin
    counts = [sum(1 for v in data if i <= v < i + 1 or (i == 3 and v == 4)) for i in range(4)]
    assert counts == [1, 2, 1, 4]
    py = scale(0, max(counts), bottom, top)
    rects = list(root.iter(f"{NS}rect"))
    assert len(rects) == 4
    for i, (rect, c) in enumerate(zip(rects, counts, strict=True)):
        assert float(rect.get("x")) == pytest.approx(px(i), abs=0.051)
        assert float(rect.get("width")) == pytest.approx(px(i + 1) - px(i) - 1, abs=0.11)
        assert float(rect.get("y")) == pytest.approx(py(c), abs=0.051)
        assert float(rect.get("y")) + float(rect.get("height")) == pytest.approx(bottom, abs=0.11)
    assert histogram(data, bins=4, title="H", x_label="").text.splitlines() == [
        "H",
        "  [0, 1)  " + "#" * 8 + " 1",
        "  [1, 2)  " + "#" * 15 + " 2",
        "  [2, 3)  " + "#" * 8 + " 1",
        "  [3, 4]  " + "#" * 30 + " 4",
    ]


def test_equal_values_fill_the_first_bin_of_width_one():
    c = histogram([5, 5, 5], bins=3, title="Same", x_label="s")
    assert c.text.splitlines() == [
        "Same (s)",
        "  [5, 6)  " + "#" * 30 + " 3",
        "  [6, 7)   0",
        "  [7, 8]   0",
    ]
    rects = list(ET.fromstring(c.svg).iter(f"{NS}rect"))
    assert [float(r.get("height")) for r in rects][1:] == [0.0, 0.0]


def test_an_empty_histogram_still_draws_its_frame():
    c = histogram([], title="E", x_label="v")
    root = ET.fromstring(c.svg)
    assert c.text == "E: no data" and not list(root.iter(f"{NS}rect"))
    assert [t.text for t in texts(root) if t.get("transform")] == ["count"]
    assert box(root)  # the axes are there


def test_a_histogram_by_default_has_twenty_bins_of_values_counted():
    c = histogram([0, 20])
    lines = c.text.splitlines()
    assert lines[0] == "Histogram (value)" and len(lines) == 1 + 20
    assert lines[1].startswith("  [0, 1)") and lines[-1].startswith("  [19, 20]")
    root = ET.fromstring(c.svg)
    assert root.find(f"{NS}title").text == "Histogram"
    assert [t.text for t in texts(root) if t.get("transform")] == ["count"]
    assert "value" in [t.text for t in texts(root)]
    rects = list(root.iter(f"{NS}rect"))
    assert len(rects) == 20
    assert {r.get("style") for r in rects} == {f"fill:var(--sim-series-1, {COLORS[0]})"}


def test_bins_are_as_wide_as_the_range_over_their_number():
    c = histogram([0, 2, 3, 8], bins=4, title="H", x_label="")
    assert c.text.splitlines()[1:] == [
        "  [0, 2)  " + "#" * 15 + " 1",
        "  [2, 4)  " + "#" * 30 + " 2",
        "  [4, 6)   0",
        "  [6, 8]  " + "#" * 15 + " 1",
    ]
    root = ET.fromstring(c.svg)
    left, _, _, right = box(root)
    rects = list(root.iter(f"{NS}rect"))
    assert [float(r.get("x")) for r in rects] == [
        pytest.approx(left + i * (right - left) / 4, abs=0.051) for i in range(4)
    ]
    # the x axis is labelled in the data's units: 0 to 8
    assert [t.text for t in texts(root) if t.get("text-anchor") == "middle" and t.text][:5] == [
        "H",
        "0",
        "2",
        "4",
        "6",
    ]


def test_one_bin_takes_everything_and_a_thin_bin_still_shows():
    assert (
        histogram([1, 2], bins=1, title="One").text == "One (value)\n  [1, 2]  " + "#" * 30 + " 2"
    )
    root = ET.fromstring(histogram(list(range(600)), bins=600).svg)
    assert {r.get("width") for r in root.iter(f"{NS}rect")} == {"0.5"}


def test_a_bad_histogram_input_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^bins must be"):
        histogram([1], bins=0)
    with pytest.raises(TypeError, match=r"^values must be a number"):
        histogram([1, "2"])


def test_an_empty_histogram_has_axes_from_zero_to_one():
    root = ET.fromstring(histogram([], title="E", x_label="v").svg)
    _, top, bottom, right = box(root)
    y_ticks = [t for t in texts(root) if t.get("text-anchor") == "end"]
    assert [t.text for t in y_ticks] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    assert float(y_ticks[0].get("y")) == pytest.approx(bottom + 4) and float(
        y_ticks[-1].get("y")
    ) == pytest.approx(top + 4)
    x_ticks = [t for t in texts(root) if t.get("y") == f"{bottom + 16:g}"]
    assert [t.text for t in x_ticks] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    assert float(x_ticks[-1].get("x")) == right and "v" in [t.text for t in texts(root)]
    assert root.find(f"{NS}title").text == "E"
