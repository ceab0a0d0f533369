"""A second build in the same process shows every edit: what `mkdocs serve` does on each save.

The project is copied to a temporary folder (the tests edit the copy, never the checkout) and
built three times in one process by ``rebuilds.py``: as it is, after an edit to a lesson's
paragraph, and after edits to ``simulations`` (a line every status panel prints, a docstring the
API reference shows) and to ``course.yml`` (a lesson's title in the navigation). A build that
kept the first import of ``simulations`` fails on the second build, as `mkdocs serve` did.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import article, build_env, built_path, copy_project, text_of

PARAGRAPH = (
    "docs/lessons/windows.md",
    "A stream has two clocks.",
    "A stream has two clocks, and this sentence was added between two builds.",
)
PANEL = ("simulations/panel.py", 'f"Status: {status}",', 'f"Status: {status} (second import)",')
DOCSTRING = (
    "simulations/stream.py",
    "Run a stream job over ``events`` in arrival order and report its results.",
    "Run a stream job over ``events`` in arrival order; this docstring was edited between builds.",
)
TITLE = ("course.yml", "title: Time and windows", "title: Time and windows, renamed")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> list[Path]:
    """The three sites, built in one process from the copy."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    sites = [project / f"site-{n}" for n in (1, 2, 3)]
    steps = [[], [PARAGRAPH], [PANEL, DOCSTRING, TITLE]]
    plan = [
        {"edits": [[str(project / path), old, new] for path, old, new in edits], "site": str(s)}
        for edits, s in zip(steps, sites, strict=True)
    ]
    (project / "plan.json").write_text(json.dumps(plan))
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("rebuilds.py")), "plan.json"],
        cwd=project,
        env={**build_env(), "PYTHONPATH": str(project)},  # the copy's coursekit and simulations
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    return sites


def page_text(site: Path, page: str) -> str:
    return text_of(article(built_path(site, page).read_text(encoding="utf-8")))


def test_second_build_shows_the_edited_paragraph(builds):
    first, second, _ = builds
    assert PARAGRAPH[2] not in page_text(first, "lessons/windows.md")
    assert PARAGRAPH[2] in page_text(second, "lessons/windows.md")


def test_build_after_a_simulations_edit_reruns_the_boxes(builds):
    second, third = builds[1], builds[2]
    assert "(second import)" not in page_text(second, "lessons/windows.md")
    assert "(second import)" in page_text(third, "lessons/windows.md")


def test_build_after_a_simulations_edit_documents_the_new_code(builds):
    edited = "this docstring was edited between builds"
    assert edited not in page_text(builds[1], "reference.md")
    assert edited in page_text(builds[2], "reference.md")


def test_build_after_a_course_edit_shows_the_new_title(builds):
    nav = built_path(builds[2], "index.md").read_text(encoding="utf-8")
    assert "Time and windows, renamed" in nav
    assert "Time and windows, renamed" not in built_path(builds[1], "index.md").read_text()
