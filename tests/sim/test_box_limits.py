"""The box harness at its edges: the output budget to the character and the line, what a run
leaves behind (nothing), the errors it explains, and the build's stdin-to-JSON entry point.
"""

from __future__ import annotations

import importlib.machinery
import io
import json
import linecache
import random
import sys

import pytest

from simulations import _box, display


def stream(chars: int, lines: int):
    writes: list[tuple[str, str]] = []
    budget = _box.Budget(chars, lines)
    return _box.BoxStream("stdout", lambda s, t: writes.append((s, t)), budget), budget, writes


def test_the_budget_starts_at_the_documented_limits():
    assert (_box.Budget().chars, _box.Budget().lines) == (_box.MAX_CHARS, _box.MAX_LINES)
    assert (_box.MAX_CHARS, _box.MAX_LINES) == (1_000_000, 10_000)


def test_a_write_within_the_budget_passes_whole_and_spends_it():
    out, budget, writes = stream(10, 2)
    assert out.write("ab\ncd\n") == 6
    assert writes == [("stdout", "ab\ncd\n")]
    assert (budget.chars, budget.lines) == (4, 0)
    # exactly the rest of the characters, on the last line allowed: still whole
    assert out.write("wxyz") == 4 and writes[-1] == ("stdout", "wxyz")
    assert (budget.chars, budget.lines) == (0, 0)
    # nothing left: an empty write passes silently, anything more stops the box
    assert out.write("") == 0 and len(writes) == 2
    with pytest.raises(_box.OutputLimitReached):
        out.write("!")
    assert len(writes) == 2  # nothing to forward


def test_a_write_past_the_characters_is_cut_at_the_limit():
    out, budget, writes = stream(5, 100)
    with pytest.raises(_box.OutputLimitReached):
        out.write("abc\ndefgh")
    assert writes == [("stdout", "abc\nd")]
    assert (budget.chars, budget.lines) == (0, 99)


def test_a_write_past_the_lines_is_cut_after_the_last_newline_allowed():
    out, budget, writes = stream(1000, 2)
    with pytest.raises(_box.OutputLimitReached):
        out.write("a\nb\nc\nd\n")
    assert writes == [("stdout", "a\nb\n")]
    assert (budget.chars, budget.lines) == (996, 0)
    # as many newlines as lines left is still fine
    out, budget, writes = stream(1000, 3)
    assert out.write("a\nb\nc\n") == 6 and budget.lines == 0


def test_only_text_can_be_written():
    out, _, _ = stream(10, 10)
    with pytest.raises(TypeError, match=r"^write\(\) argument must be str, not bytes$"):
        out.write(b"x")
    assert out.writable() and out.name == "stdout"


def test_index_of_nth_finds_the_nth_occurrence():
    assert _box._index_of_nth("a\nb\nc\n", "\n", 1) == 1
    assert _box._index_of_nth("a\nb\nc\n", "\n", 3) == 5
    assert _box._index_of_nth("abc", "\n", 0) == -1


def test_the_output_note_names_both_limits():
    result = _box.run_collected("while True:\n    print('x')\n")
    assert result.truncated and result.ok and result.error is None
    assert result.output.endswith(
        "\n[output stopped: a box may print at most 10,000 lines or 1,000,000 characters]\n"
    )
    # print writes "x" and "\n" apart: the 10,001st "x" fits, its newline does not
    assert result.output.startswith("x\n" * _box.MAX_LINES + "x\n[output stopped")


def test_a_run_leaves_the_interpreter_as_it_found_it():
    before = sys.stdout, sys.stderr, display._sink, list(sys.meta_path)
    for code in ("print(1)\n", "1/0\n", "while True: print('x')\n", "raise SystemExit(3)\n"):
        _box.run_collected(code)
        assert (sys.stdout, sys.stderr, display._sink, list(sys.meta_path)) == before
    import numbers  # imports work again after the box: its import hook is gone

    assert numbers


def test_the_box_runs_as_a_script_named_box():
    result = _box.run_collected("print(__name__)\nimport sys\nprint(len(sys.argv) >= 0)\n")
    assert result.output == "__main__\nTrue\n"
    # a traceback quotes the reader's line, read back from the box's own source
    result = _box.run_collected("x = 1\ny = x / 0  # here\n")
    assert '  File "<box>", line 2, in <module>\n    y = x / 0  # here\n' in result.error


def test_system_exit_is_a_failure_of_the_box():
    result = _box.run_collected("raise SystemExit(3)\n")
    assert not result.ok and result.error.rstrip().endswith("SystemExit: 3")


def test_input_names_the_way_out():
    result = _box.run_collected("rate = input()\n")
    assert result.error.rstrip().endswith(
        "RuntimeError: input() cannot read from a code box: there is no keyboard prompt here. "
        "Assign the value in the code instead, for example: rate = 100"
    )


def test_the_bundled_note_only_for_a_package_the_site_does_not_bundle():
    result = _box.run_collected("import numpy.linalg\n")
    assert result.error.endswith(
        "ModuleNotFoundError: No module named 'numpy'\n"
        "Note: `numpy` is not bundled with this course. Code boxes run Python's standard "
        "library and `simulations` only, entirely in your browser.\n"
    )
    # a module that does not exist inside simulations is a plain error, no note
    result = _box.run_collected("import simulations.no_such_module\n")
    assert "ModuleNotFoundError" in result.error and "Note:" not in result.error
    # a ModuleNotFoundError the reader raises is theirs too
    result = _box.run_collected("raise ModuleNotFoundError('mine', name='numpy')\n")
    assert "Note:" not in result.error
    assert _box.run_collected("import os.path, json.decoder\n").ok


def test_the_import_hook_answers_for_the_standard_library_and_simulations_only():
    hook = _box.BundledOnly()
    assert hook.find_spec("json") is None and hook.find_spec("simulations.diagrams") is None
    with pytest.raises(ModuleNotFoundError, match=r"^No module named 'pandas'$") as caught:
        hook.find_spec("pandas.core")
    assert caught.value.name == "pandas" and caught.value._box_unbundled is True


def test_a_stop_outside_the_readers_lines_has_no_line():
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as exc:
        assert _box._last_box_line(exc) is None
    # inside a call from the box: the box's line that made the call
    code = "def f():\n    raise KeyboardInterrupt\n\nf()\n"
    result = _box.run(code, write=lambda s, t: None, chart=None, stop_pressed=lambda: True)
    assert result.stopped_at == 2


def test_run_batched_reseeds_the_global_generator_and_says_when_output_was_cut():
    outs = []
    for _ in range(2):
        random.seed(1)
        posted: list[str] = []
        _box.run_batched(
            "import random\nprint(random.random())\n", posted.append, None, clock=lambda: 0.0
        )
        outs.append(json.loads(posted[-1]))
    assert outs[0] != outs[1]
    result = json.loads(_box.run_batched("while True: print(1)\n", lambda t: None, None))
    assert result == {"ok": True, "error": None, "truncated": True, "stopped_at": None}
    result = json.loads(
        _box.run_batched(
            "raise KeyboardInterrupt\n", lambda t: None, None, stop_pressed=lambda: True
        )
    )
    assert result == {"ok": False, "error": None, "truncated": False, "stopped_at": 1}


def test_run_batched_posts_nothing_when_nothing_was_printed_and_flushes_at_the_interval():
    posted: list[str] = []
    _box.run_batched("x = 1\n", posted.append, None)
    assert posted == []
    # each look at the clock finds it one interval later (binary-exact quarters): every write
    # comes exactly one interval after the last post, and goes out at once
    calls = [0]

    def tick() -> float:
        calls[0] += 1
        return calls[0] * 0.25

    code = "import sys\nsys.stdout.write('a')\nsys.stdout.write('b')\nsys.stdout.write('c')\n"
    posted = []
    _box.run_batched(
        code, lambda t: posted.append(json.loads(t)), None, clock=tick, flush_every=0.25
    )
    assert posted == [[["stdout", "a"]], [["stdout", "b"]], [["stdout", "c"]]]
    # a hair more than a quarter: "a" waits for "b"; the post resets the interval, so "c"
    # waits for the end
    calls[0] = 0
    posted = []
    _box.run_batched(
        code, lambda t: posted.append(json.loads(t)), None, clock=tick, flush_every=0.26
    )
    assert posted == [[["stdout", "ab"]], [["stdout", "c"]]]
    assert _box.FLUSH_EVERY == 0.05


def test_main_reads_the_box_on_stdin_and_prints_its_result_as_json(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("print('hi')\nfrom simulations import *\n"))
    monkeypatch.setattr(sys, "stdout", out)
    _box.main()
    assert json.loads(out.getvalue()) == {
        "ok": True,
        "error": None,
        "truncated": False,
        "stopped_at": None,
        "output": "hi\n",
        "charts": [],
    }


def test_a_write_cut_by_characters_counts_only_the_newlines_it_keeps():
    # five characters keep "ab\ncd": one newline, within the one line left; the newline after
    # the cut must not count, or the cut would move back to "ab\n"
    out, budget, writes = stream(5, 1)
    with pytest.raises(_box.OutputLimitReached):
        out.write("ab\ncd\nef")
    assert writes == [("stdout", "ab\ncd")] and budget.lines == 0


def test_index_of_nth_counts_adjacent_occurrences():
    assert _box._index_of_nth("\n\n\n", "\n", 2) == 1  # blank lines: one newline after another


def test_a_box_can_read_its_own_source_as_a_script_can():
    code = "import inspect\ndef f():\n    return 1\nprint(inspect.getsource(f), end='')\n"
    try:
        output = _box.run_collected(code).output
    except Exception as exc:  # a broken source cache breaks the traceback itself
        output = repr(exc)
    finally:
        linecache.cache.pop(_box.FILENAME, None)  # never leave a broken entry to the test runner
    assert output == "def f():\n    return 1\n"


def test_a_package_another_import_hook_would_provide_is_still_refused(monkeypatch):
    class Provider:
        """A finder first in line, as an editable install or a plugin may put there."""

        def find_spec(self, name, path=None, target=None):
            if name == "extra_pkg":
                return importlib.machinery.ModuleSpec(name, None)
            return None

    monkeypatch.setattr(sys, "meta_path", [Provider(), *sys.meta_path])
    result = _box.run_collected("import extra_pkg\n")
    assert not result.ok and "`extra_pkg` is not bundled" in result.error


def test_the_output_note_goes_to_stderr():
    writes: list[tuple[str, str]] = []
    _box.run(
        "while True:\n    print('x')\n",
        write=lambda stream, text: writes.append((stream, text)),
        chart=None,
    )
    assert writes[-1] == (
        "stderr",
        "\n[output stopped: a box may print at most 10,000 lines or 1,000,000 characters]\n",
    )


def test_an_error_is_a_whole_traceback_of_the_box():
    error = _box.run_collected("x = 0\nx = 1 / x\n").error
    assert error.startswith(
        'Traceback (most recent call last):\n  File "<box>", line 2, in <module>\n'
    )
    assert error.endswith("\nZeroDivisionError: division by zero\n")


def test_charts_reach_the_page_with_their_picture_and_title():
    code = "from simulations import bar_chart, show\nc = bar_chart({'a': 1}, title='T')\nshow(c)\n"
    expected = __import__("simulations").bar_chart({"a": 1}, title="T")
    result = _box.run_collected(code)
    assert result.charts == [{"svg": expected.svg, "title": "T"}]
    posted = []
    _box.run_batched(code, lambda text: None, lambda svg, title: posted.append((svg, title)))
    assert posted == [(expected.svg, "T")]
