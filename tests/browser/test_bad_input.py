"""Bad code in a box ends in a readable message, the page stays responsive, the next run works."""

from __future__ import annotations

import pytest
from runner_page import box, output, pages_with_boxes, run, runnable_boxes, set_code, wait_state

pytestmark = pytest.mark.browser


@pytest.fixture
def root(warm_page, site_dir):
    """The first runnable box of the site, on the module's shared (warm) page."""
    page = warm_page.page
    path = pages_with_boxes(site_dir)[0]
    if page.url != warm_page.url(path):
        page.goto(warm_page.url(path))
    root = box(page, runnable_boxes(site_dir, path)[0])
    yield root
    root.get_by_role("button", name="Reset", exact=True).click()


def assert_responsive(page) -> None:
    """The main thread still paints: two animation frames run (a frozen page never gets there).

    A liveness check with a generous deadline, not a speed test: how fast the page answers while
    a box runs is a figure printed by bench/browser.py.
    """
    page.wait_for_function(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
        ".then(() => true)",
        timeout=10_000,
    )


def test_syntax_error(root):
    set_code(root, "print('a'\n")
    assert run(root) == "error"
    text = output(root)
    assert "SyntaxError" in text
    assert 'File "<box>", line 1' in text
    assert root.locator(".code-preview-state").text_content() == "Error"


def test_exception_traceback_shows_only_the_readers_lines(root):
    set_code(root, "def f(x):\n    return 1 / x\n\nf(0)\n")
    assert run(root) == "error"
    text = output(root)
    assert "ZeroDivisionError: division by zero" in text
    assert 'File "<box>", line 4' in text and 'File "<box>", line 2' in text
    for noise in ("_box.py", "pyodide", "/lib/python", "exec("):
        assert noise not in text


def test_stop_ends_an_endless_loop_and_the_next_run_works(root):
    page = root.page
    set_code(root, "while True:\n    pass\n")
    root.get_by_role("button", name="Run", exact=True).click()
    wait_state(root, ("running",))
    assert_responsive(page)
    assert root.get_attribute("data-state") == "running"
    root.get_by_role("button", name="Stop", exact=True).click()
    assert wait_state(root, timeout=5_000) == "stopped"
    assert "stopped" in output(root)
    set_code(root, "print('after stop')\n")
    assert run(root) == "success"
    assert output(root) == "after stop\n"


def test_time_limit_ends_an_endless_loop(root):
    page = root.page
    page.evaluate("window.courseRunner.client.timeLimit = 1500")
    try:
        set_code(root, "while True:\n    pass\n")
        assert run(root) == "stopped"
        assert "a live run may take at most" in output(root)
    finally:
        page.evaluate("window.courseRunner.client.timeLimit = 120000")
    set_code(root, "print(6 * 7)\n")
    assert run(root) == "success"
    assert output(root) == "42\n"


def test_huge_output_is_cut_with_a_note(root):
    set_code(root, "i = 0\nwhile True:\n    print(i)\n    i += 1\n")
    assert run(root) == "stopped"
    text = output(root)
    assert "[output stopped: a box may print at most 10,000 lines" in text
    assert text.count("\n") < 10_010
    assert_responsive(root.page)


def test_output_gathered_during_a_pause_arrives_whole_and_in_order(root):
    """After a write, box.js lets output gather for a while (longer as writes get slower): here
    the pause is made endless, so everything after the first write is gathered until the run
    ends. Nothing may be lost, doubled or reordered between stdout and stderr."""
    pause = root.evaluate("(el) => window.courseRunner.boxes.get(el).writePause")
    root.evaluate("(el) => { window.courseRunner.boxes.get(el).writePause = 1e9; }")
    set_code(
        root,
        "import sys, time\n"
        "print('first ' * 20_000)\n"
        "time.sleep(0.1)\n"
        "for i in range(40_000):\n"
        "    print('ab', end='')\n"
        "    if i % 10_000 == 9_999:\n"
        "        print(f'<{i}>', file=sys.stderr)\n"
        "        time.sleep(0.06)\n"
        "print('end')\n",
    )
    assert run(root) == "success"
    expected, stderr = "first " * 20_000 + "\n", []
    for i in range(40_000):
        expected += "ab"
        if i % 10_000 == 9_999:
            expected += f"<{i}>\n"
            stderr.append(f"<{i}>\n")
    assert output(root) == expected + "end\n"
    assert root.locator(".code-preview-stderr").all_text_contents() == stderr
    root.evaluate("(el, pause) => { window.courseRunner.boxes.get(el).writePause = pause; }", pause)


def test_input_explains_itself(root):
    set_code(root, "name = input('Your name? ')\n")
    assert run(root) == "error"
    assert "input() cannot read from a code box" in output(root)


def test_a_package_that_is_not_bundled(root):
    set_code(root, "import numpy\n")
    assert run(root) == "error"
    text = output(root)
    assert "ModuleNotFoundError" in text
    assert "standard library and `simulations` only" in text


def test_output_is_text_never_html(root):
    markup = "<b>bold</b><img src=x onerror=\"document.title='owned'\">"
    set_code(root, f"print({markup!r})\n")
    assert run(root) == "success"
    out = root.locator(".code-preview-output")
    assert out.text_content() == markup + "\n"
    assert out.locator("b, img").count() == 0
    assert root.page.title() != "owned"


def test_stdout_and_stderr_keep_their_order(root):
    set_code(
        root,
        "import sys\nprint('one')\nprint('two', file=sys.stderr)\nprint('three')\n",
    )
    assert run(root) == "success"
    assert output(root) == "one\ntwo\nthree\n"
    assert root.locator(".code-preview-stderr").text_content() == "two\n"


def test_a_chart_is_an_svg_image_not_markup(root):
    code = (
        "from simulations.display import show\n"
        "class Chart:\n"
        "    title = 'Test chart'\n"
        '    svg = (\'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">\'\n'
        '           \'<script>document.title = "owned"</script><text y="15">hi</text></svg>\')\n'
        "show(Chart())\n"
    )
    set_code(root, code)
    assert run(root) == "success"
    img = root.locator(".code-preview-chart img")
    assert img.count() == 1
    assert img.get_attribute("alt") == "Test chart"
    assert img.get_attribute("src").startswith("blob:")
    assert root.locator(".code-preview-chart svg, .code-preview-chart script").count() == 0
    root.page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle()
    )
    assert root.page.title() != "owned"


def test_each_run_gets_a_fresh_namespace(root):
    set_code(root, "leftover = 1\nprint('set')\n")
    assert run(root) == "success"
    set_code(root, "print('leftover' in globals())\n")
    assert run(root) == "success"
    assert output(root) == "False\n"
