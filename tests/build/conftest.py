"""Fixtures for the site tests: the built site and the course's data file.

`make test` builds the site into site/ before pytest runs (COURSE_SITE_DIR points elsewhere). Run
without a built site, or with one older than a source file, these tests build it into a
temporary directory first: they never pass against a stale build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))  # for `import sitebuild` in this folder's tests

from sitebuild import MKDOCS, ROOT, build_env, built_path, newer_sources


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The built site: site/ if `make build` made it from the current sources, else a fresh
    build in a temporary dir."""
    built = Path(os.environ.get("COURSE_SITE_DIR", ROOT / "site"))
    if (built / "index.html").exists() and (built / "glossary.html").exists():
        newer = newer_sources(built)
        if not newer:
            return built
        print(f"\n{built} is older than {newer[0].relative_to(ROOT)}: building afresh")
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=build_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def course() -> dict:
    return yaml.safe_load((ROOT / "course.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def lesson_pages(site: Path, course: dict) -> dict[str, str]:
    """Each lesson's source path -> its built HTML."""
    return {
        lesson["page"]: built_path(site, lesson["page"]).read_text(encoding="utf-8")
        for lesson in course["lessons"]
    }
