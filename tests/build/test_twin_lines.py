"""The lines a real-engine tab lists, and the comparison the Beam suite makes with them.

No engine runs here: these check, on lines written out by hand and on a twin's own job, that
a pane keeps its value, that a window's last pane is the last one emitted, and that the
comparison ``tests/engines/test_beam_twins.py`` makes fails on a single changed value.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit.twin_tab import calls, twin_job
from coursekit.twins import BY_BOX, TWINS, in_window_order, last_panes, mismatches

DOCS = Path(__file__).resolve().parents[2] / "docs"
PANE = re.compile(r"^\S+ \[[-0-9.e+]+, [-0-9.e+]+\) -?[0-9.e+]+ (ON_TIME|LATE)$")


def job_of(box: str):
    twin = BY_BOX[box]
    body = [b for name, b in calls((DOCS / twin.page).read_text()) if name == box]
    return twin_job(box, body[0])


def test_a_last_pane_keeps_its_value_and_timing():
    assert last_panes(["k0 [0, 10) 160 ON_TIME"]) == ["k0 [0, 10) 160 ON_TIME"]


def test_the_last_pane_is_the_last_emitted_not_the_last_in_text_order():
    emitted = ["k0 [0, 10) 99 ON_TIME", "k1 [0, 10) 5 ON_TIME", "k0 [0, 10) 100 LATE"]
    assert last_panes(emitted) == ["k0 [0, 10) 100 LATE", "k1 [0, 10) 5 ON_TIME"]


def test_windows_that_differ_only_in_their_end_are_kept_apart():
    emitted = ["k0 [0, 600) 8 ON_TIME", "k0 [0, 60) 7 ON_TIME"]
    assert last_panes(emitted) == ["k0 [0, 60) 7 ON_TIME", "k0 [0, 600) 8 ON_TIME"]


def test_panes_are_listed_by_key_then_window_as_numbers():
    lines = ["k1 [0, 10) 1 ON_TIME", "k0 [100, 110) 2 ON_TIME", "k0 [20, 30) 3 LATE"]
    assert in_window_order(lines) == [lines[2], lines[1], lines[0]]


FINAL = [t.box for t in TWINS if t.compare == "final"]


@pytest.mark.parametrize("box", FINAL)
def test_a_final_tab_lists_a_value_for_every_window(box):
    j = job_of(box)
    assert j.final, "a tab with nothing to list"
    assert all(PANE.match(line) for line in j.final), j.final[:3]
    assert set(j.final) <= set(j.expected)
    windows = [line.rsplit(" ", 2)[0] for line in j.final]
    assert len(windows) == len(set(windows)), "one line per window"


@pytest.mark.parametrize("box", [t.box for t in TWINS if t.pipeline == "windowed.py"])
def test_the_comparison_fails_on_one_changed_value(box):
    expected = job_of(box).expected
    assert mismatches(list(reversed(expected)), expected) == [], "order does not matter"
    key_and_window, value, timing = expected[0].rsplit(" ", 2)
    changed = [f"{key_and_window} {float(value) + 1:g} {timing}", *expected[1:]]
    assert mismatches(changed, expected) == [
        f"missing: {expected[0]}",
        f"extra:   {changed[0]}",
    ]
    assert mismatches(expected[1:], expected) == [f"missing: {expected[0]}"]
