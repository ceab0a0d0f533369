"""The same site built by ProperDocs, the maintained fork of MkDocs 1.6: same pages, same text,
same box outputs. The day MkDocs stops being installable, the move is known to work.

`make test` builds it into site-properdocs/ (`make properdocs`); run alone, this test builds it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import ROOT, build_env, text_of

OUTPUT = re.compile(r'<pre class="code-preview-output"[^>]*>(.*?)</pre>', re.S)
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory) -> Path:
    built = Path(os.environ.get("PROPERDOCS_SITE_DIR", ROOT / "site-properdocs"))
    if (built / "index.html").exists():
        return built
    out = tmp_path_factory.mktemp("properdocs")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "properdocs",
            "build",
            "--strict",
            "-f",
            "mkdocs.yml",
            "-d",
            str(out),
        ],
        cwd=ROOT,
        env=build_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def pages(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in site.rglob("*.html")
        if "assets" not in path.relative_to(site).parts
    }


def test_properdocs_builds_the_same_pages_text_and_box_outputs(site, properdocs_site):
    ours, theirs = pages(site), pages(properdocs_site)
    assert sorted(theirs) == sorted(ours)
    assert len(ours) > 10
    outputs = 0
    for path, page in ours.items():
        other = theirs[path]
        assert text_of(GENERATOR.sub("", other)) == text_of(GENERATOR.sub("", page)), path
        ours_out, theirs_out = OUTPUT.findall(page), OUTPUT.findall(other)
        assert theirs_out == ours_out, f"{path}: box outputs differ"
        outputs += len(ours_out)
    assert outputs > 0, "no box output found: has the box markup changed?"
    # Everything else the build writes (the runner, Pyodide, search index) is byte-identical.
    assets = sorted(p.relative_to(site) for p in (site / "assets").rglob("*") if p.is_file())
    for relative in assets:
        assert (properdocs_site / relative).read_bytes() == (site / relative).read_bytes(), relative
