"""A box whose code raises, or runs past its time limit, fails the build and names page and box.

Each test builds the tiny course (tinyproject.py) with the box in its lesson.
"""

from __future__ import annotations

import re

from tinyproject import build_tiny


def test_a_box_that_raises_fails_the_build(tmp_path):
    page = '# Broken\n\n```pyrun title="divide-by-zero"\nprint("before")\n1 / 0\n```\n'
    proc = build_tiny(tmp_path, page)
    assert proc.returncode != 0
    assert "lesson.md" in proc.stderr
    assert "divide-by-zero" in proc.stderr
    assert "ZeroDivisionError" in proc.stderr


def test_a_box_that_runs_too_long_fails_the_build(tmp_path):
    page = '# Slow\n\n```pyrun title="forever" build_timeout="1"\nwhile True:\n    pass\n```\n'
    proc = build_tiny(tmp_path, page)
    assert proc.returncode != 0
    assert "lesson.md" in proc.stderr and "forever" in proc.stderr
    assert "limit" in proc.stderr


def test_a_working_box_builds(tmp_path):
    code = 'from simulations import events\nprint(len(events([("a", 1, 0.0)])))\n'
    page = f'# Works\n\n```pyrun title="ok"\n{code}```\n'
    proc = build_tiny(tmp_path, page)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "site" / "lesson" / "index.html").read_text()
    # the box's own output, pre-rendered: len([...]) of one event is 1
    assert re.search(r'<pre class="code-preview-output"[^>]*>1\n?</pre>', page), page


def test_a_box_that_no_longer_prints_a_quoted_figure_fails_the_build(tmp_path):
    fence = '```pyrun title="figures" expect="p50 8.8 s|p99 22 s"'
    page = f'# Drift\n\n{fence}\nprint("p50 8.8 s, p99 21 s")\n```\n'
    proc = build_tiny(tmp_path, page)
    assert proc.returncode != 0
    assert "lesson.md" in proc.stderr and "figures" in proc.stderr
    assert "p99 22 s" in proc.stderr and "p50 8.8 s" not in proc.stderr.split("no longer prints")[1]


def test_a_box_that_prints_its_quoted_figures_builds(tmp_path):
    fence = '```pyrun title="figures" expect="p50 8.8 s|p99 22 s"'
    page = f'# Fine\n\n{fence}\nprint("p50 8.8 s, p99 22 s")\n```\n'
    proc = build_tiny(tmp_path, page)
    assert proc.returncode == 0, proc.stderr
