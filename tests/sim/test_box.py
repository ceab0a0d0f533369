"""The box harness without a browser: the rules of simulations._box and the worker's batching."""

from __future__ import annotations

import json

from simulations import _box


def collect(code: str):
    return _box.run_collected(code)


def test_output_of_both_streams_in_the_order_written():
    writes = []
    result = _box.run(
        'import sys\nprint("a")\nprint("b", file=sys.stderr)\nprint("c")\n',
        write=lambda stream, text: writes.append((stream, text)),
        chart=lambda svg, title: None,
    )
    assert result.ok
    assert [(s, t) for s, t in writes if t.strip()] == [
        ("stdout", "a"),
        ("stderr", "b"),
        ("stdout", "c"),
    ]


def test_each_run_has_a_fresh_namespace():
    assert collect("x = 1\n").ok
    result = collect("print(x)\n")
    assert not result.ok and "NameError" in result.error


def test_a_traceback_shows_the_readers_lines_only():
    result = collect("def f():\n    return 1 / 0\nf()\n")
    assert not result.ok
    assert 'File "<box>", line 3' in result.error and 'File "<box>", line 2' in result.error
    assert "_box.py" not in result.error
    assert result.error.rstrip().endswith("ZeroDivisionError: division by zero")
    assert result.output.endswith(result.error)  # the error reads in the output too


def test_input_explains_there_is_no_keyboard():
    result = collect("input('rate? ')\n")
    assert not result.ok and "input() cannot read from a code box" in result.error


def test_an_unbundled_import_says_what_is_bundled():
    result = collect("import numpy\n")
    assert not result.ok
    assert "ModuleNotFoundError" in result.error and "not bundled" in result.error
    assert collect("import json, statistics\nimport simulations\n").ok


def test_huge_output_is_cut_with_a_note_and_cannot_be_caught():
    code = "try:\n    while True:\n        print('x' * 100)\nexcept Exception:\n    pass\n"
    result = collect(code)
    assert result.ok and result.truncated
    assert result.output.count("\n") <= _box.MAX_LINES + 3
    assert "[output stopped" in result.output


def test_charts_go_to_chart_never_to_stdout():
    code = "from simulations import bar_chart, show\nshow(bar_chart({'a': 1, 'b': 2}, title='T'))\n"
    result = collect(code)
    assert result.ok, result.error
    assert result.output == ""
    assert len(result.charts) == 1 and result.charts[0]["svg"].startswith("<svg")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_run_batched_joins_writes_to_one_stream_until_the_interval_has_passed():
    clock = Clock()
    posts: list[list] = []
    code = "import sys\nprint('a'); print('b')\nprint('e', file=sys.stderr)\nprint('c')\n"
    result = json.loads(
        _box.run_batched(code, lambda text: posts.append(json.loads(text)), None, clock=clock)
    )
    assert result == {"ok": True, "error": None, "truncated": False}
    # The first write flushes at once (nothing was sent yet), the rest wait for the end.
    assert posts == [[["stdout", "a"]], [["stdout", "\nb\n"], ["stderr", "e\n"], ["stdout", "c\n"]]]


def test_run_batched_flushes_once_the_interval_has_passed_and_before_a_chart():
    clock = Clock()
    events: list = []

    def post_out(text: str) -> None:
        events.append(("out", json.loads(text)))
        clock.now += 0.01  # time passes between prints, less than the interval

    code = (
        "from simulations import bar_chart, show\n"
        "for i in range(3):\n"
        "    print(i)\n"
        "show(bar_chart({'a': 1, 'b': 2}, title='T'))\n"
        "print('after')\n"
    )
    _box.run_batched(
        code, post_out, lambda svg, title: events.append(("chart", title)), clock=clock
    )
    kinds = [kind for kind, _ in events]
    assert kinds.index("chart") > 0 and kinds[-1] == "out"
    before = "".join(t for kind, chunks in events[: kinds.index("chart")] for _, t in chunks)
    assert before == "0\n1\n2\n"  # every print before the chart was posted before it
    assert events[-1][1] == [["stdout", "after\n"]]


def test_run_batched_reports_an_error_in_its_result_and_its_output():
    posts: list[list] = []
    result = json.loads(
        _box.run_batched("1/0\n", lambda text: posts.extend(json.loads(text)), None)
    )
    assert result["ok"] is False and "ZeroDivisionError" in result["error"]
    assert "".join(text for stream, text in posts if stream == "stderr") == result["error"]
