"""What a reader does with the exercises of the time lesson, written once for every engine.

The scenarios use only the verbs every driver offers (``js``, ``wait``, ``click``, ``reload``;
see other_engines.py), so Chromium (through :class:`PlaywrightEngine`), Firefox and WebKit run
the very same steps. The messages a Check must show are worked out here, in CPython, with the
same checking library the browser runs: the page must say exactly what
``simulations.grading.grade`` says.

The scenarios rely on three exercises under "Your turn" in docs/lessons/windows.md:
``window-start`` (attempts="2", two hints), ``bound-that-keeps-every-event`` (two hints) and
``sessions-by-event-time`` (a check over 20 streams).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from other_engines import Engine

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from coursekit.exercises import exercises_in  # noqa: E402
from simulations.grading import grade  # noqa: E402

PAGE = "lessons/windows.html"
EXERCISE_XP = 30
WINDOW_START = "window-start"
WATERMARK = "bound-that-keeps-every-event"
WINDOW_SUMS = "sessions-by-event-time"
WRONG_WINDOW_START = "def window_start(t, size):\n    return round(t / size) * size\n"
ENDLESS_WINDOW_SUMS = "def sessions(events, gap):\n    while True:\n        pass\n"

EXERCISES = {
    e.exercise_id: e
    for e in exercises_in((ROOT / "docs/lessons/windows.md").read_text(encoding="utf-8"))
}


def expected(exercise_id: str, code: str) -> dict:
    """What the page must show for ``code``: CPython's verdict, its ``message`` as the page's
    text (a `code` span is shown as <code>, without its backticks)."""
    e = EXERCISES[exercise_id]
    verdict = grade(code, e.solution, e.check).to_dict()
    return {**verdict, "message": verdict["message"].replace("`", "")}


# ----- reading and acting on the page ----------------------------------------------------------

ROOT_OF = '(id) => document.querySelector(`[data-exercise="${id}"]`)'
MOUNTED = """() => [...document.querySelectorAll('[data-exercise]')]
  .every((el) => el.classList.contains('code-exercise--live'))"""
RESULT = f"""(id) => {{ const r = ({ROOT_OF})(id).querySelector('[data-exercise-result]');
  return {{status: r.dataset.status, text: r.textContent}}; }}"""
VISIBLE = f"""([id, selector]) => [...({ROOT_OF})(id).querySelectorAll(selector)]
  .map((el) => Boolean(el.offsetParent))"""
BUTTON = f"""([id, name]) => {{ const b = [...({ROOT_OF})(id).querySelectorAll('button')]
  .find((el) => el.getAttribute('aria-label') === name);
  return b ? Boolean(b.offsetParent) && !b.disabled : null; }}"""
SET_CODE = f"""([id, text]) => window.courseRunner.boxes
  .get(({ROOT_OF})(id).querySelector('.code-preview')).setCode(text)"""
CODE = f"""(id) => window.courseRunner.boxes
  .get(({ROOT_OF})(id).querySelector('.code-preview')).code"""
XP = """() => document.querySelector('.md-banner [data-xp="total"] strong')?.textContent"""
# Click Check on an exercise holding a passing answer; resolve, once the result is painted, to
# the milliseconds since the click (for the timing test and bench/exercises.py).
CLICK_TO_RESULT = """(id) => new Promise((resolve) => {
  const root = document.querySelector(`[data-exercise="${id}"]`);
  const result = root.querySelector('[data-exercise-result]');
  const began = performance.now();
  const seen = new MutationObserver(() => {
    if (result.dataset.status === 'passed') {
      seen.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - began));
    }
  });
  seen.observe(result, {attributes: true});
  root.querySelector('.code-preview-check').click();
})"""


def result(engine: Engine, exercise_id: str) -> dict:
    return engine.js(RESULT, exercise_id)


def button_shown(engine: Engine, exercise_id: str, name: str) -> bool | None:
    """Whether the exercise's button ``name`` is shown and enabled (None: there is none)."""
    return engine.js(BUTTON, [exercise_id, name])


def press(engine: Engine, exercise_id: str, css_class: str) -> None:
    engine.click(f'[data-exercise="{exercise_id}"] .{css_class}')


def check(engine: Engine, exercise_id: str) -> dict:
    """Click Check and wait for its result: {status, text}."""
    press(engine, exercise_id, "code-preview-check")
    done = f"(id) => ['passed', 'failed'].includes(({RESULT})(id).status)"
    engine.wait(done, exercise_id)
    return result(engine, exercise_id)


def set_code(engine: Engine, exercise_id: str, code: str) -> None:
    engine.js(SET_CODE, [exercise_id, code])
    engine.wait(f"(id, text) => ({CODE})(id) === text", exercise_id, code)


def xp(engine: Engine) -> int:
    return int(engine.wait(XP))


def open_lesson(engine: Engine, base_url: str) -> None:
    if engine.url() != base_url + PAGE:
        engine.goto(base_url + PAGE)
    engine.wait(MOUNTED)


# ----- the scenarios ---------------------------------------------------------------------------


def starter_then_wrong_then_solution(engine: Engine, base_url: str) -> None:
    """The starter fails with its message, a typical wrong answer with its own; "Show solution"
    comes after the allowed failed checks; the solution passes and earns XP once; a reload keeps
    the code, the attempts and the solved state."""
    open_lesson(engine, base_url)
    e = EXERCISES[WINDOW_START]
    before = xp(engine)
    assert result(engine, WINDOW_START) == {"status": "unchecked", "text": "Not checked yet."}
    assert button_shown(engine, WINDOW_START, "Show solution") is False

    starter = expected(WINDOW_START, e.starter)
    assert starter["status"] == "failed"
    assert check(engine, WINDOW_START) == {"status": "failed", "text": starter["message"]}
    assert button_shown(engine, WINDOW_START, "Show solution") is False  # 1 of 2 failed checks

    set_code(engine, WINDOW_START, WRONG_WINDOW_START)
    wrong = expected(WINDOW_START, WRONG_WINDOW_START)
    assert wrong["status"] == "failed" and wrong["message"] != starter["message"]
    assert check(engine, WINDOW_START) == {"status": "failed", "text": wrong["message"]}
    assert button_shown(engine, WINDOW_START, "Show solution") is True  # attempts="2" used

    set_code(engine, WINDOW_START, e.solution)
    passed = expected(WINDOW_START, e.solution)
    assert check(engine, WINDOW_START) == {"status": "passed", "text": passed["message"]}
    engine.wait(f"() => ({XP})() === '{before + EXERCISE_XP}'")
    assert check(engine, WINDOW_START)["status"] == "passed"  # solved again: no more XP
    time.sleep(0.3)
    assert xp(engine) == before + EXERCISE_XP

    engine.reload()
    engine.wait(MOUNTED)
    assert engine.js(CODE, WINDOW_START) == e.solution
    engine.wait(f"(id) => ({ROOT_OF})(id).dataset.solved === 'true'", WINDOW_START)
    assert button_shown(engine, WINDOW_START, "Show solution") is True
    assert xp(engine) == before + EXERCISE_XP

    press(engine, WINDOW_START, "code-exercise-solution-button")
    shown = engine.wait(
        f"(id) => {{ const s = ({ROOT_OF})(id).querySelector('[data-exercise-solution]');"
        " return !s.hidden && s.textContent; }",
        WINDOW_START,
    )
    assert "return t - t % size" in shown


def hints_in_order(engine: Engine, base_url: str) -> None:
    """Hints appear one at a time, in order; the button reads Hint, then Next hint, then goes;
    a reload keeps the hints seen."""
    open_lesson(engine, base_url)
    hints = ".code-exercise-hint"
    assert engine.js(VISIBLE, [WATERMARK, hints]) == [False, False]
    assert button_shown(engine, WATERMARK, "Hint") is True
    press(engine, WATERMARK, "code-exercise-hint-button")
    engine.wait(f"(a) => ({VISIBLE})(a)[0]", [WATERMARK, hints])
    assert engine.js(VISIBLE, [WATERMARK, hints]) == [True, False]
    assert button_shown(engine, WATERMARK, "Next hint") is True
    press(engine, WATERMARK, "code-exercise-hint-button")
    engine.wait(f"(a) => ({VISIBLE})(a)[1]", [WATERMARK, hints])
    assert button_shown(engine, WATERMARK, "Next hint") is False  # none left
    engine.reload()
    engine.wait(MOUNTED)
    assert engine.js(VISIBLE, [WATERMARK, hints]) == [True, True]


def endless_check_is_stopped(engine: Engine, base_url: str) -> None:
    """A Check of ``while True: pass`` can be stopped, counts no attempt, and the next Check
    works."""
    open_lesson(engine, base_url)
    e = EXERCISES[WINDOW_SUMS]
    set_code(engine, WINDOW_SUMS, ENDLESS_WINDOW_SUMS)
    press(engine, WINDOW_SUMS, "code-preview-check")
    engine.wait(f"(id) => ({RESULT})(id).status === 'checking'", WINDOW_SUMS)
    engine.wait(f"(a) => ({BUTTON})(a)", [WINDOW_SUMS, "Stop"])
    time.sleep(1.0)  # well into the loop
    assert result(engine, WINDOW_SUMS)["status"] == "checking"
    # one thing at a time per box: Check and Run wait while it checks
    assert button_shown(engine, WINDOW_SUMS, "Check") is False
    assert button_shown(engine, WINDOW_SUMS, "Run") is False
    press(engine, WINDOW_SUMS, "code-preview-stop")
    engine.wait(f"(id) => ({RESULT})(id).status === 'unchecked'", WINDOW_SUMS)
    assert result(engine, WINDOW_SUMS)["text"].startswith("Check stopped: Stop was pressed")
    assert button_shown(engine, WINDOW_SUMS, "Show solution") is False
    set_code(engine, WINDOW_SUMS, e.solution)
    assert check(engine, WINDOW_SUMS)["status"] == "passed"


class PlaywrightEngine(Engine):
    """A Playwright page with the cross-browser verbs, so Chromium runs the same scenarios."""

    name = "Chromium"

    def __init__(self, page) -> None:
        self.page = page
        self.version = page.context.browser.version

    def js(self, source: str, *args):
        return self.page.evaluate(f"(args) => ({source})(...args)", list(args))

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def reload(self) -> None:
        self.page.reload()

    def url(self) -> str:
        return self.page.url

    def click(self, selector: str) -> None:
        self.page.locator(selector).click()

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
