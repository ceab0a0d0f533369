"""Firefox and WebKit: one lesson page over loopback http, the Velocity Hub, progress, file://.

Chromium's suite is the thorough one; these check what differs between engines: the worker,
Pyodide's memory, Stop, storage, Blob URLs, and the offline copy opened from a folder. Each engine
prints its name and version. Every test ends by checking that no request left the site.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from exercise_page import (
    endless_check_is_stopped,
    hints_in_order,
    starter_then_wrong_then_solution,
)
from other_engines import ENGINES, Engine
from progress_page import BOX_XP
from runner_page import CHART_TEXTS, FINAL_STATES, pages_with_boxes, runnable_boxes

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from simulations import compare  # noqa: E402

# What each engine does with the offline copy opened from a folder: "live", or "launcher" (the
# box keeps the build's output and its note points to the launcher).
FROM_DISK = {"firefox": "live", "webkit": "launcher"}

MOUNTED = """() => [...document.querySelectorAll('.code-preview')]
  .every((el) => el.classList.contains('code-preview--live'))"""
STATE = """(id) => document.querySelector(`.code-preview[data-box="${id}"]`).dataset.state"""
OUTPUT = """(id) => document.querySelector(`.code-preview[data-box="${id}"] .code-preview-output`)
  .textContent"""
SET_CODE = """(id, text) => window.courseRunner.boxes
  .get(document.querySelector(`.code-preview[data-box="${id}"]`)).setCode(text)"""
CODE = """(id) => window.courseRunner.boxes
  .get(document.querySelector(`.code-preview[data-box="${id}"]`)).code"""
CHARTS = f"""(id) => ({CHART_TEXTS})(document.querySelector(`.code-preview[data-box="${{id}}"]`))"""
XP = """() => document.querySelector('.md-banner [data-xp="total"] strong')?.textContent"""
FIGURES = """() => Object.fromEntries([...document.querySelectorAll('tr[data-metric]')].map(
  (row) => [row.dataset.metric, [row.querySelector('[data-side=batch]').textContent,
                                 row.querySelector('[data-side=stream]').textContent]]))"""
SET_DIAL = """(name, value) => { const el = document.querySelector(`input[name="${name}"]`);
  el.value = String(value); el.dispatchEvent(new Event('input', {bubbles: true})); }"""
HUB_STATE = """() => document.querySelector('[data-velocity-output]').dataset.state"""
EDITED = """(id) => !document.querySelector(`.code-preview[data-box="${id}"] .code-preview-edited`)
  .hidden"""
NOTE = """(id) => {
  const n = document.querySelector(`.code-preview[data-box="${id}"] .code-preview-note`);
  return n && !n.hidden ? n.textContent : ''; }"""


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine(request) -> Iterator[Engine]:
    driver = ENGINES[request.param]()
    driver.key = request.param
    driver.fresh()
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n[cross-browser] {driver.label()}", flush=True)
    yield driver
    driver.close()


@pytest.fixture
def browser_page(engine: Engine, base_url: str) -> Iterator[Engine]:
    """The engine's one page, shared by the module's tests (Python stays warm: WebKit compiles
    Pyodide afresh for every new page). Afterwards: no request outside the site, no page error."""
    engine.origin = base_url.rstrip("/")
    yield engine
    assert engine.foreign(engine.origin) == [], f"{engine.label()}: requests left the site"
    assert engine.errors() == [], f"{engine.label()}: errors on the page"


@pytest.fixture(scope="module")
def lesson(site_dir) -> tuple[str, list[str]]:
    """The first lesson page with runnable boxes, and their ids."""
    path = next(p for p in pages_with_boxes(site_dir) if p.startswith("lessons/"))
    return path, runnable_boxes(site_dir, path)


def open_page(engine: Engine, url: str) -> None:
    """Go to ``url`` unless the page is there already."""
    if engine.url() != url:
        engine.goto(url)
    engine.wait(MOUNTED)


def leave(engine: Engine) -> None:
    """Go to a blank page and forget what the page left behind still asked for: its workers (the
    snapshot helper a run starts) may still fetch from the old origin until they are ended."""
    engine.goto("about:blank")
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 1.0:
        if [url for url in engine.requests() if not url.startswith("about:")]:
            quiet_since = time.monotonic()
        time.sleep(0.1)


def run(engine: Engine, box_id: str) -> str:
    engine.click(f'.code-preview[data-box="{box_id}"] .code-preview-run')
    engine.wait(f"(id) => ({STATE})(id) !== 'prerendered'", box_id)
    ended = f"(id) => {list(FINAL_STATES)}.includes(({STATE})(id)) && ({STATE})(id)"
    return engine.wait(ended, box_id)


def test_the_guard_sees_a_request_outside_the_site(browser_page, base_url, lesson):
    """The check every test ends with can fail: an image from elsewhere is caught."""
    engine = browser_page
    open_page(engine, base_url + lesson[0])
    engine.js("() => { new Image().src = 'http://outside.invalid/pixel.png'; }")
    seen: list[str] = []
    for _ in range(100):
        seen += engine.foreign(engine.origin)
        if seen:
            break
        time.sleep(0.1)
    assert any("outside.invalid" in url for url in seen), seen


# The tests run in this order on one page: the XP check needs a box never run before.
def test_xp_rises_after_a_run(browser_page, base_url, lesson):
    engine = browser_page
    path, (box_id, *_) = lesson
    open_page(engine, base_url + path)
    before = int(engine.wait(XP))
    assert run(engine, box_id) == "success"
    engine.wait(f"() => ({XP})() === '{before + BOX_XP}'", timeout=10)


def test_every_box_of_a_lesson_runs_live_and_matches_the_build(browser_page, base_url, lesson):
    engine = browser_page
    path, ids = lesson
    open_page(engine, base_url + path)
    for box_id in ids:
        engine.click(f'.code-preview[data-box="{box_id}"] .code-preview-reset')
        built, built_charts = engine.js(OUTPUT, box_id), engine.js(CHARTS, box_id)
        state = run(engine, box_id)
        assert state == "success", f"{engine.label()} {path} {box_id}: {engine.js(OUTPUT, box_id)}"
        assert engine.js(OUTPUT, box_id) == built, f"{engine.label()} {box_id}: output differs"
        assert engine.js(CHARTS, box_id) == built_charts, f"{engine.label()} {box_id}: charts"


def test_stop_ends_an_endless_loop_and_the_next_run_works(browser_page, base_url, lesson):
    engine = browser_page
    path, (box_id, *_) = lesson
    open_page(engine, base_url + path)
    engine.click(f'.code-preview[data-box="{box_id}"] .code-preview-reset')
    built = engine.js(OUTPUT, box_id)
    engine.js(SET_CODE, box_id, "while True:\n    pass\n")
    engine.click(f'.code-preview[data-box="{box_id}"] .code-preview-run')
    engine.wait(f"(id) => ({STATE})(id) === 'running'", box_id)
    engine.click(f'.code-preview[data-box="{box_id}"] .code-preview-stop')
    engine.wait(f"(id) => ({STATE})(id) === 'stopped'", box_id, timeout=10)
    engine.click(f'.code-preview[data-box="{box_id}"] .code-preview-reset')
    assert run(engine, box_id) == "success"  # a fresh interpreter
    assert engine.js(OUTPUT, box_id) == built


def test_an_edit_survives_a_reload(browser_page, base_url, lesson):
    engine = browser_page
    path, (box_id, *_) = lesson
    open_page(engine, base_url + path)
    text = f"print('edited in {engine.name}')\n"
    engine.js(SET_CODE, box_id, text)
    engine.reload()  # at once: the edit is saved when the page goes away
    engine.wait(MOUNTED)
    assert engine.js(CODE, box_id) == text
    assert engine.js(EDITED, box_id)
    engine.click(f'.code-preview[data-box="{box_id}"] .code-preview-reset')
    assert engine.js(CODE, box_id) != text


def test_the_velocity_hub_answers_a_dial(browser_page, base_url):
    engine = browser_page
    open_page(engine, base_url + "velocity-hub.html")
    engine.js(SET_DIAL, "batch_interval", 290)
    engine.wait(f"() => ['success', 'error', 'stopped'].includes(({HUB_STATE})())")
    assert engine.js(HUB_STATE) == "success"
    figures = compare(
        rate=5, batch_interval=290, window=60, watermark_delay=5, out_of_order=1, late_fraction=0.02
    ).figures()
    assert engine.js(FIGURES) == {metric: list(pair) for metric, pair in figures.items()}


def test_exercises_check_hint_stop_and_keep_their_state(browser_page, base_url):
    """The exercises of the time lesson, as in Chromium (exercise_page.py): the starter, a wrong
    answer and the solution get CPython's messages, XP once, state kept over a reload, hints in
    order, a while-True Check stopped and the next one passing."""
    engine = browser_page
    starter_then_wrong_then_solution(engine, base_url)
    hints_in_order(engine, base_url)
    endless_check_is_stopped(engine, base_url)


def test_from_a_folder_a_box_runs_or_points_to_the_launcher(engine, offline_copy, lesson):
    path, (box_id, *_) = lesson
    leave(engine)
    open_page(engine, (offline_copy / "site" / path).as_uri())
    built = engine.js(OUTPUT, box_id)
    engine.click(f'.code-preview[data-box="{box_id}"] .code-preview-run')
    engine.wait(f"(id) => {list(FINAL_STATES)}.includes(({STATE})(id)) || ({NOTE})(id)", box_id)
    if FROM_DISK[engine.key] == "live":
        assert engine.js(STATE, box_id) == "success", engine.js(OUTPUT, box_id)
        assert engine.js(NOTE, box_id) == ""
    else:
        assert engine.js(STATE, box_id) == "prerendered"
        assert "python3 launch.py" in engine.js(NOTE, box_id)
    assert engine.js(OUTPUT, box_id) == built
    assert engine.foreign("file://") == []
    assert engine.errors() == []


# What a diagram shows at its slider's position (see test_diagram.py).
DIAGRAM = """(id) => {
  const root = document.querySelector(`.code-preview[data-box="${id}"]`);
  const svg = root.querySelector('svg.sim-diagram');
  if (!svg || !root.querySelector('.dg-slider')) return null;
  const visible = (el) => getComputedStyle(el).visibility !== 'hidden';
  const of = (kind) => [...svg.querySelectorAll(`[data-kind="${kind}"]`)].filter(visible);
  const moves = of('watermark');
  return {
    at: Number(root.querySelector('.code-preview-chart').dataset.scrubAt),
    panes: of('pane').map((g) => `${g.dataset.window} ${g.dataset.timing} ${g.dataset.value}`),
    watermark: moves.length ? moves[moves.length - 1].dataset.watermark : null,
    rows: root.querySelectorAll('.dg-table tbody tr').length,
  };
}"""
FOCUS_SLIDER = """(id) => document.querySelector(
  `.code-preview[data-box="${id}"] .dg-slider`).focus()"""


def test_a_diagram_scrubs_by_keyboard_and_redraws_after_an_edit(browser_page, base_url):
    engine, box_id = browser_page, "watermark-walkthrough"
    open_page(engine, base_url + "lessons/windows.html")
    end = engine.js(DIAGRAM, box_id)
    assert end["at"] == 21.3 and end["watermark"] == "+inf" and len(end["panes"]) == 3
    engine.js(FOCUS_SLIDER, box_id)
    engine.press("Home")
    first = engine.js(DIAGRAM, box_id)
    assert (first["at"], first["panes"], first["watermark"]) == (1.5, [], "-1")
    for _ in range(6):  # 1.5, 5, 11.2, 12.5, 13.1: the watermark reaches 11
        engine.press("ArrowRight")
        if engine.js(DIAGRAM, box_id)["at"] == 13.1:
            break
    fired = engine.js(DIAGRAM, box_id)
    assert (fired["at"], fired["panes"], fired["watermark"]) == (13.1, ["[0, 10) ON_TIME 6"], "11")

    original = engine.js(CODE, box_id)
    engine.js(SET_CODE, box_id, original.replace("watermark_delay=2", "watermark_delay=3.5"))
    try:
        assert run(engine, box_id) == "success"
        redrawn = engine.wait(DIAGRAM, box_id)
        assert "[0, 10) ON_TIME 12" in redrawn["panes"] and redrawn["rows"] == end["rows"]
    finally:
        engine.js(SET_CODE, box_id, original)
