"""Charts (self-contained SVG + text) and the status panel."""

import xml.etree.ElementTree as ET

import pytest

from simulations import LatencyStats, bar_chart, display, histogram, line_chart, show, status_panel

SVG = "{http://www.w3.org/2000/svg}"


def check_svg(svg, title):
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    first = next(iter(root))
    assert first.tag == SVG + "title" and first.text == title
    assert "<script" not in svg and "href" not in svg and "url(" not in svg
    assert "currentColor" in svg
    # the only URL is the SVG namespace
    assert svg.count("http") == 1


def test_line_chart():
    c = line_chart(
        {"wm": [(0, 0), (10, 5)], "t": [(0, 0), (10, 10)]}, title="W <m>", x_label="s", y_label="y"
    )
    check_svg(c.svg, "W <m>")
    assert c.svg.count("<polyline") == 2
    assert (
        str(c) == "W <m>\n  wm: 2 points, x 0..10, y 0..5, last (10, 5)\n"
        "  t: 2 points, x 0..10, y 0..10, last (10, 10)"
    )


def test_line_chart_thins_long_series():
    c = line_chart({"a": [(i, i) for i in range(10_000)]}, title="long")
    points = c.svg.split('points="')[1].split('"')[0].split()
    assert len(points) == 400


def test_bar_chart():
    c = bar_chart({"batch": 3.0, "stream": 1.5}, title="Cost", y_label="machine-s")
    check_svg(c.svg, "Cost")
    assert c.svg.count("<rect") == 2
    assert str(c).splitlines() == [
        "Cost (machine-s)",
        "  batch   ############################## 3",
        "  stream  ############### 1.5",
    ]


def test_histogram_counts():
    c = histogram([0, 1, 1, 2, 3, 4], bins=4, title="H", x_label="v")
    check_svg(c.svg, "H")
    # bins of width 1 from 0 to 4: [0,1) 1, [1,2) 2, [2,3) 1, [3,4] 2 (the max goes in the last)
    counts = [int(line.rsplit(" ", 1)[1]) for line in str(c).splitlines()[1:]]
    assert counts == [1, 2, 1, 2]
    assert histogram([], title="E").text == "E: no data"
    with pytest.raises(ValueError, match="bins"):
        histogram([1], bins=0)


def test_show_prints_outside_a_box_and_hands_charts_to_the_sink(capsys, monkeypatch):
    c = bar_chart({"a": 1}, title="T")
    show(c)
    assert capsys.readouterr().out == str(c) + "\n"
    got = []
    monkeypatch.setattr(display, "_sink", got.append)
    show(c)
    assert got == [c]


def test_status_panel_form():
    stats = LatencyStats(count=3, mean=2.0, p50=1.2, p95=3.4, p99=5.0, max=5.0)
    text = status_panel(
        mode="STREAM_PROCESSING", trigger="EVENT", volume=1234567, latency=stats, status="RUNNING"
    )
    assert text == (
        "Mode: STREAM_PROCESSING\n"
        "Trigger: EVENT\n"
        "Volume: 1,234,567 events\n"
        "Latency: p50=1.2s p95=3.4s p99=5.0s (MEDIUM)\n"
        "Status: RUNNING"
    )
    assert status_panel(
        mode="M", trigger="T", volume="v", latency=0.5, status="S", cost_per_day="1 machine-h"
    ).splitlines()[3:] == [
        "Latency: 0.5s (LOW)",
        "Status: S",
        "Cost per day: 1 machine-h",
    ]
