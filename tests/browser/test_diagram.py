"""Diagrams in the page: the slider moved by keyboard hides what has not happened yet, a run of an
edited box redraws the diagram, and the table beside it states what the picture shows."""

from __future__ import annotations

import sys

import pytest
from guarded_page import ROOT
from runner_page import box, code, run, set_code, wait_mounted

pytestmark = pytest.mark.browser

sys.path.insert(0, str(ROOT))
from simulations import Tumbling, events, run_stream  # noqa: E402

PAGE = "lessons/windows.html"
BOX = "watermark-walkthrough"

# What the diagram shows at the slider's position: visible panes and events, the watermark.
SEEN = """(root) => {
  const svg = root.querySelector('svg.sim-diagram');
  const visible = (el) => getComputedStyle(el).visibility !== 'hidden';
  const of = (kind) => [...svg.querySelectorAll(`[data-kind="${kind}"]`)].filter(visible);
  const moves = of('watermark');
  return {
    at: Number(root.querySelector('.code-preview-chart').dataset.scrubAt),
    panes: of('pane').map((g) => `${g.dataset.window} ${g.dataset.timing} ${g.dataset.value}`),
    events: of('event').map((g) => g.dataset.value),
    watermark: moves.length ? moves[moves.length - 1].dataset.watermark : null,
    valuetext: root.querySelector('.dg-slider').getAttribute('aria-valuetext'),
  };
}"""

# The pane rows of the table, and the panes drawn in the picture.
TABLE_AND_PICTURE = """(root) => {
  const rows = [...root.querySelectorAll('.dg-table tbody tr')]
    .map((tr) => [...tr.children].map((td) => td.textContent));
  const panes = [...root.querySelectorAll('svg.sim-diagram [data-kind="pane"]')]
    .map((g) => [g.dataset.at, g.dataset.window, g.dataset.timing, g.dataset.value]);
  const events = [...root.querySelectorAll('svg.sim-diagram [data-kind="event"]')]
    .map((g) => [g.dataset.value, g.dataset.fate]);
  return {rows, panes, events};
}"""


def walkthrough(delay: float):
    evs = events(
        [
            ("a", 1, 1.0, 1.5),
            ("a", 2, 4.0, 5.0),
            ("a", 3, 9.0, 12.5),
            ("a", 4, 11.0, 11.2),
            ("a", 5, 13.0, 13.1),
            ("a", 6, 8.0, 16.0),
            ("a", 7, 21.0, 21.3),
        ]
    )
    return run_stream(evs, window=Tumbling(10), watermark_delay=delay, allowed_lateness=0)


def test_the_slider_moved_by_keyboard_shows_what_had_happened_by_then(page):
    p = page.page
    p.goto(page.url(PAGE))
    wait_mounted(p)
    root = box(p, BOX)
    slider = root.locator(".dg-slider")
    end = root.evaluate(SEEN)
    report = walkthrough(2)
    assert end["at"] == 21.3 and end["watermark"] == "+inf"
    assert len(end["panes"]) == len(report.emissions) == 3
    assert len(end["events"]) == 7

    slider.focus()
    p.keyboard.press("Home")
    first = root.evaluate(SEEN)
    assert first["at"] == 1.5 and first["events"] == ["1"] and first["panes"] == []
    assert first["watermark"] == "-1"
    assert first["valuetext"].startswith("processing time 1.5 s: 1 of 7 events arrived")

    # step forward until the first pane fires: [0, 10) = 6 when the watermark reaches 11
    seen = [first]
    while not seen[-1]["panes"]:
        p.keyboard.press("ArrowRight")
        seen.append(root.evaluate(SEEN))
    fired = seen[-1]
    assert fired["at"] == 13.1 and fired["watermark"] == "11"
    assert fired["panes"] == ["[0, 10) ON_TIME 6"]
    assert "6" not in fired["events"]  # the straggler has not arrived yet
    assert [s["at"] for s in seen] == sorted(s["at"] for s in seen)
    # the watermark's last step is drawn only up to "now"
    hold_top = root.evaluate(
        "(r) => { const g = [...r.querySelectorAll('[data-kind=watermark]')]"
        ".filter((g) => getComputedStyle(g).visibility !== 'hidden').pop();"
        " const line = g.querySelector('.dg-wm-hold'); return [line.getAttribute('y1'),"
        " line.getAttribute('y2')]; }"
    )
    assert float(hold_top[0]) == float(hold_top[1])  # it moved at this very moment

    p.keyboard.press("ArrowRight")
    straggler = root.evaluate(SEEN)
    assert straggler["at"] == 16 and "6" in straggler["events"]
    assert straggler["panes"] == ["[0, 10) ON_TIME 6"]  # too late: no new pane

    p.keyboard.press("End")
    assert root.evaluate(SEEN) == end


def test_an_edited_box_redraws_its_diagram_and_the_table_follows(warm_page):
    p = warm_page.page
    p.goto(warm_page.url(PAGE))
    wait_mounted(p)
    root = box(p, BOX)
    before = root.evaluate(TABLE_AND_PICTURE)
    assert ["6", "too late"] in before["events"]

    # a bound of 3.5 s keeps [0, 10) open until the straggler arrives
    set_code(root, code(root).replace("watermark_delay=2", "watermark_delay=3.5"))
    assert run(root) == "success"
    root.locator(".dg-slider").wait_for()
    after = root.evaluate(TABLE_AND_PICTURE)
    report = walkthrough(3.5)
    assert after["panes"] == [
        [repr(e.emitted_at), f"[{e.start:g}, {e.end:g})", "ON_TIME", f"{e.value:g}"]
        for e in report.emissions
    ]
    assert ["6", "on time"] in after["events"] and after != before
    assert any(pane[1:] == ["[0, 10)", "ON_TIME", "12"] for pane in after["panes"])

    # the table states what the picture shows: each pane once, at its time, with its value
    pane_rows = [row for row in after["rows"] if row[1].endswith("pane fires")]
    assert [[row[0], row[2], row[1].split()[0], row[3]] for row in pane_rows] == [
        [f"{float(at):g}", window, timing, value] for at, window, timing, value in after["panes"]
    ]
    event_rows = [row for row in after["rows"] if row[1] == "event arrives"]
    assert sorted(row[3] for row in event_rows) == sorted(v for v, _ in after["events"])
    # the slider was rebuilt for the new run, at its end
    assert root.evaluate(SEEN)["panes"] == [
        f"[{e.start:g}, {e.end:g}) ON_TIME {e.value:g}" for e in report.emissions
    ]
    root.get_by_role("button", name="Reset", exact=True).click()
    assert root.evaluate(TABLE_AND_PICTURE) == before
    assert root.locator(".dg-slider").count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_with_diagrams_scrubbed_and_tables_open(new_page, scheme):
    from test_axe import AXE, BLOCKING, RUN_AXE

    guarded = new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    p = guarded.page
    for path in (PAGE, "lessons/triggers.html", "lessons/dataflow.html"):
        p.goto(guarded.url(path))
        wait_mounted(p)
        assert p.locator(".dg-slider").count() >= 2, path
        # halfway through every diagram, its table open: the states a reader meets
        p.evaluate(
            "() => { for (const s of document.querySelectorAll('.dg-slider')) {"
            " s.value = String(Math.floor(Number(s.max) / 2));"
            " s.dispatchEvent(new Event('input')); }"
            " for (const d of document.querySelectorAll('.dg-table')) d.open = true; }"
        )
        p.add_script_tag(path=str(AXE))
        result = p.evaluate(RUN_AXE)
        serious = [v for v in result["violations"] if v["impact"] in BLOCKING]
        assert not serious, f"{scheme} {path}: {serious}"


# A box that hands show() a "diagram" carrying what a page must never run or fetch.
HOSTILE = """from simulations import show


class Fake:
    title = "hostile"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" data-diagram="1" '
        'class="sim-diagram" onload="window.__owned = 1" viewBox="0 0 10 10">'
        '<script>window.__owned = 2</script>'
        '<g data-kind="event" data-at="1" data-value="1" onclick="x()">'
        '<circle cx="1" cy="1" r="1" style="fill:url(http://example.com/x)"/></g>'
        '<image href="http://example.com/y.png" width="5" height="5"/>'
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
        '<a href="javascript:alert(1)"><text x="1" y="1">link</text></a>'
        '</svg>'
    )


show(Fake())
"""


def test_a_live_diagram_keeps_only_known_svg(warm_page):
    p = warm_page.page
    p.goto(warm_page.url(PAGE))
    wait_mounted(p)
    root = box(p, BOX)
    set_code(root, HOSTILE)
    assert run(root) == "success"
    svg = root.locator("svg.sim-diagram")
    svg.wait_for()
    markup = svg.evaluate("(el) => el.outerHTML")
    for bad in ("script", "onload", "onclick", "url(", "<image", "foreignObject", "<a ", "href"):
        assert bad not in markup, bad
    assert 'data-kind="event"' in markup and "<circle" in markup
    assert p.evaluate("window.__owned") is None
    root.get_by_role("button", name="Reset", exact=True).click()
