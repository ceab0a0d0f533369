"""The Velocity Hub page as built: labelled dials at compare()'s defaults, pre-rendered figures."""

from __future__ import annotations

import html
import inspect
import re
import sys
from pathlib import Path

import pytest
from sitebuild import ROOT, built_path, text_of
from test_skill_matrix import elements

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulations import compare

DIALS = ("rate", "batch_interval", "window", "watermark_delay", "out_of_order", "late_fraction")


@pytest.fixture(scope="module")
def page(site: Path) -> str:
    return built_path(site, "velocity-hub.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def output(page: str) -> str:
    match = re.search(
        r"<div [^>]*data-velocity-output[^>]*>.*?data-velocity-status[^>]*>.*?</p></div>",
        page,
        re.S,
    )
    assert match, "no data-velocity-output element"
    return match.group(0)


def test_six_labelled_sliders_at_the_defaults_of_compare(page):
    form = re.search(r'<form class="velocity-controls".*?</form>', page, re.S)
    assert form, "the dials are not inside a form"
    tags = elements(form.group(0))
    ranges = [a for t, a in tags if t == "input" and a.get("type") == "range"]
    assert [a["name"] for a in ranges] == list(DIALS)
    labels = {a["for"] for t, a in tags if t == "label"}
    outputs = {a["for"]: a for t, a in tags if t == "output"}
    defaults = inspect.signature(compare).parameters
    for attrs in ranges:
        assert attrs["id"] in labels, f"slider {attrs['name']} has no <label>"
        assert attrs["id"] in outputs, f"slider {attrs['name']} has no <output>"
        value, low, high = (float(attrs[k]) for k in ("value", "min", "max"))
        assert value == defaults[attrs["name"]].default, attrs["name"]
        assert low <= value <= high and float(attrs["step"]) > 0
        steps = (value - low) / float(attrs["step"])
        assert abs(steps - round(steps)) < 1e-9, f"{attrs['name']}: default is off the slider"
    texts = re.findall(r'<output id="([^"]+)-value"[^>]*>([^<]+)</output>', form.group(0))
    assert dict(texts)["dial-rate"] == "5 events/s"
    assert dict(texts)["dial-late-fraction"] == "2%"


def test_the_output_holds_the_figures_compare_gives_by_default(output):
    assert 'data-state="prerendered"' in output.split(">", 1)[0]
    figures = compare().figures()
    rows = re.findall(r'<tr data-metric="([^"]+)">(.*?)</tr>', output, re.S)
    assert [html.unescape(metric) for metric, _ in rows] == list(figures)
    for metric, row in rows:
        batch = re.search(r'<td data-side="batch">(.*?)</td>', row).group(1)
        stream = re.search(r'<td data-side="stream">(.*?)</td>', row).group(1)
        assert (text_of(batch), text_of(stream)) == figures[html.unescape(metric)]
        assert text_of(batch) and text_of(stream)


def test_the_output_holds_the_default_chart_without_script(output):
    chart = re.search(r"<figure [^>]*data-velocity-chart[^>]*>(<svg\b.*?</svg>)", output, re.S)
    assert chart, "no chart in the Velocity Hub output"
    assert chart.group(1) == compare().chart().svg
    assert "<script" not in output.lower()


def test_the_code_box_runs_the_default_setting(page):
    box = re.search(
        r'<div class="code-preview"[^>]*data-box="velocity-hub"[^>]*>.*?'
        r'<div class="code-preview-source">(.*?)</div>',
        page,
        re.S,
    )
    assert box, "no code box with id velocity-hub"
    code = text_of(box.group(1))
    assert "from simulations import compare" in code
    defaults = inspect.signature(compare).parameters
    for name in DIALS:
        assert re.search(rf"\b{name}={defaults[name].default:g},", code), name


def test_the_page_explains_every_dial(page):
    text = text_of(page)
    for words in ("Event rate", "Batch interval", "Window size", "Watermark delay"):
        assert words in text
    assert "When does batch beat stream on cost?" in text
    assert "What does a watermark delay buy?" in text
