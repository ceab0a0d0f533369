"""The Velocity Hub: dials rerun compare() in the browser; latest value wins; reads without JS."""

from __future__ import annotations

import sys

import pytest
from guarded_page import ROOT
from runner_page import RUN_TIMEOUT_MS, box, code

pytestmark = pytest.mark.browser

sys.path.insert(0, str(ROOT))
from coursekit import velocity_hub as hub_page  # noqa: E402
from simulations import compare  # noqa: E402

DEFAULTS = {
    "rate": 5,
    "batch_interval": 300,
    "window": 60,
    "watermark_delay": 5,
    "out_of_order": 1,
    "late_fraction": 0.02,
}

FIGURES = """() => Object.fromEntries([...document.querySelectorAll('tr[data-metric]')].map(
  (row) => [row.dataset.metric, [row.querySelector('[data-side=batch]').textContent,
                                 row.querySelector('[data-side=stream]').textContent]]))"""

CHART = """async () => {
  const figure = document.querySelector('[data-velocity-chart]');
  const img = figure.querySelector('img');
  if (!img) return figure.querySelector('svg').outerHTML;
  return await (await fetch(img.src)).text();
}"""

# Records every data-state the output goes through.
STATES = """() => {
  window.__hubStates = [];
  const output = document.querySelector('[data-velocity-output]');
  new MutationObserver(() => window.__hubStates.push(output.dataset.state))
    .observe(output, {attributes: true, attributeFilter: ['data-state']});
}"""

# Holds the end of every hub run until RELEASE: a run stays in flight for as long as the test
# needs, however fast or slow the machine. Counts the runs started and the ends delivered.
HOLD = """() => {
  const client = window.courseRunner.client;
  const original = client.run;
  window.__hub = {started: 0, ended: 0, held: [], hold: true,
                  restore: () => { client.run = original; }};
  client.run = (code, handlers) => {
    window.__hub.started++;
    return original.call(client, code, {...handlers, onEnd: (outcome) => {
      const end = () => { window.__hub.ended++; handlers.onEnd(outcome); };
      if (window.__hub.hold) window.__hub.held.push(end); else end();
    }});
  };
}"""
RELEASE = (
    "() => { window.__hub.hold = false; for (const end of window.__hub.held.splice(0)) end(); }"
)


def expected(**changes) -> dict[str, list[str]]:
    figures = compare(**{**DEFAULTS, **changes}).figures()
    return {metric: list(pair) for metric, pair in figures.items()}


def set_dial(page, name: str, value: float) -> None:
    """Move a slider as a pointer would: set its value, fire `input`."""
    page.eval_on_selector(
        f'input[name="{name}"]',
        "(el, v) => { el.value = String(v);"
        " el.dispatchEvent(new Event('input', {bubbles: true})); }",
        value,
    )


def wait_output(page, state: str = "success") -> None:
    page.wait_for_function(
        "(state) => document.querySelector('[data-velocity-output]').dataset.state === state",
        arg=state,
        timeout=RUN_TIMEOUT_MS,
    )


def open_hub(page) -> None:
    """Open the hub, or reset its dials if the shared page is on it already (Python stays warm)."""
    p = page.page
    if p.url == page.url("velocity-hub.html"):
        p.get_by_role("button", name="Reset dials").click()
    else:
        p.goto(page.url("velocity-hub.html"))
    p.locator(".velocity-actions").wait_for()


def test_a_dial_reruns_both_jobs_and_updates_figures_and_chart(warm_page):
    page = warm_page
    p = page.page
    open_hub(page)
    assert p.evaluate(FIGURES) == expected()
    assert p.locator("[data-velocity-note]").is_hidden()
    built_chart = p.evaluate(CHART)
    dial = p.locator("#dial-batch-interval")
    dial.focus()
    p.keyboard.press("ArrowLeft")  # 300 -> 290 s, by keyboard
    assert p.locator("#dial-batch-interval-value").text_content() == "290 s"
    assert dial.get_attribute("aria-valuetext") == "290 s"
    wait_output(p)
    assert p.evaluate(FIGURES) == expected(batch_interval=290)
    assert p.locator("[data-velocity-chart] img").count() == 1
    assert p.evaluate(CHART) != built_chart
    assert "batch interval 290 s" in p.locator("[data-velocity-setting]").text_content()

    p.get_by_role("button", name="Copy this setting into the box").click()
    root = box(p, "velocity-hub")
    p.wait_for_function(
        "(el) => window.courseRunner.boxes.get(el).code.includes('batch_interval=290,')",
        arg=root.element_handle(),
    )
    # as the build wrote it (the editor holds no trailing newline)
    assert code(root) == hub_page.box_code({**DEFAULTS, "batch_interval": 290}).rstrip("\n")
    assert root.locator(".code-preview-edited").is_visible()

    p.get_by_role("button", name="Reset dials").click()
    assert p.locator("[data-velocity-output]").get_attribute("data-state") == "prerendered"
    assert p.evaluate(FIGURES) == expected()
    assert dial.input_value() == "300"


def test_the_latest_setting_wins(warm_page):
    page = warm_page
    p = page.page
    open_hub(page)
    p.evaluate(STATES)
    p.evaluate(HOLD)
    try:
        set_dial(p, "rate", 20)
        set_dial(p, "window", 30)
        set_dial(p, "late_fraction", 0.1)  # three moves within the debounce: one run
        p.wait_for_function("() => window.__hub.held.length === 1")  # done, its end held
        set_dial(p, "window", 120)  # while that run is in flight
        assert p.locator("#dial-late-fraction-value").text_content() == "10%"
        p.evaluate(RELEASE)
        wait_output(p)
        # nothing else is on its way: two runs started, both ended (no timer is left either:
        # the last dial move's run is the second one)
        assert p.evaluate("[window.__hub.started, window.__hub.ended]") == [2, 2]
    finally:
        p.evaluate(RELEASE)
        p.evaluate("window.__hub.restore()")
    assert p.evaluate(FIGURES) == expected(rate=20, window=120, late_fraction=0.1)
    # The run in flight was dropped, not shown: one success only, the last one.
    assert p.evaluate("window.__hubStates.filter((s) => s === 'success').length") == 1
    assert p.locator("[data-velocity-output]").get_attribute("data-state") == "success"


def test_without_javascript_the_page_shows_the_default_figures(new_page):
    page = new_page(java_script_enabled=False)
    page.page.goto(page.url("velocity-hub.html"))
    rows = page.page.locator("tr[data-metric]")
    got = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        got[row.get_attribute("data-metric")] = [
            row.locator('[data-side="batch"]').text_content(),
            row.locator('[data-side="stream"]').text_content(),
        ]
    assert got == expected()
    assert page.page.locator("[data-velocity-note]").is_visible()
    assert page.page.locator("[data-velocity-chart] svg").count() == 1
