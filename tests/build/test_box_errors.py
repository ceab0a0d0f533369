"""A box whose code raises, or runs past its time limit, fails the build and names page and box.

Each test builds a tiny project in a temporary directory with the site's own plugin.
"""

from __future__ import annotations

import subprocess
import textwrap

from sitebuild import MKDOCS, ROOT, build_env


def build_tiny(tmp_path, page: str) -> subprocess.CompletedProcess:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Fine\n\nNothing to run here.\n")
    (tmp_path / "docs" / "broken.md").write_text(page)
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: tiny
            docs_dir: docs
            site_dir: site
            plugins:
              - coursekit:
                  course: {ROOT / "course.yml"}
                  glossary: false
                  vendor: false
            markdown_extensions:
              - pymdownx.superfences
            """
        )
    )
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--quiet"],
        cwd=tmp_path,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_box_that_raises_fails_the_build(tmp_path):
    page = '# Broken\n\n```pyrun title="divide-by-zero"\nprint("before")\n1 / 0\n```\n'
    proc = build_tiny(tmp_path, page)
    assert proc.returncode != 0
    assert "broken.md" in proc.stderr
    assert "divide-by-zero" in proc.stderr
    assert "ZeroDivisionError" in proc.stderr


def test_a_box_that_runs_too_long_fails_the_build(tmp_path):
    page = '# Slow\n\n```pyrun title="forever" build_timeout="1"\nwhile True:\n    pass\n```\n'
    proc = build_tiny(tmp_path, page)
    assert proc.returncode != 0
    assert "broken.md" in proc.stderr and "forever" in proc.stderr
    assert "limit" in proc.stderr


def test_a_working_box_builds(tmp_path):
    code = 'from simulations import events\nprint(len(events([("a", 1, 0.0)])))\n'
    page = f'# Works\n\n```pyrun title="ok"\n{code}```\n'
    proc = build_tiny(tmp_path, page)
    assert proc.returncode == 0, proc.stderr
    assert (
        '<pre class="code-preview-output"'
        in (tmp_path / "site" / "broken" / "index.html").read_text()
    )
