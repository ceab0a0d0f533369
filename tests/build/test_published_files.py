"""The site publishes what a reader needs: pages, assets and the built runner, never our source."""

from __future__ import annotations

from pathlib import Path

from sitebuild import ROOT

from coursekit.twin_tab import DOWNLOADS
from coursekit.twins import TWINS

RUNNER_BUILT = {  # what web/build.mjs writes, plus the archive the build adds
    "editor.js",
    "file-runtime.js",
    "runner.css",
    "runner.js",
    "simulations.zip",
    "worker-file.js",
    "worker.js",
}


def published(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_no_source_file_of_ours_is_published(site):
    """Only the real-engine pipelines are published as source: they are the tabs' downloads."""
    downloads = {f"{DOWNLOADS}/{t.pipeline}" for t in TWINS}
    files = [f for f in published(site) if f not in downloads]
    ours = {p.name for p in (ROOT / "web/src").iterdir()} | {"build.mjs", "README.md"}
    leaked = [f for f in files if Path(f).name in ours and not f.startswith("assets/")]
    assert leaked == []
    assert not [f for f in files if f.endswith((".py", ".yml", ".yaml", ".mjs"))
                and not f.startswith("assets/javascripts/vendor/pyodide/")]  # fmt: skip


def test_the_runner_folder_holds_the_built_files_only(site):
    folder = site / "assets/javascripts/runner"
    assert {p.name for p in folder.iterdir()} == RUNNER_BUILT


def test_the_packed_runtime_is_left_to_the_offline_copy(site):
    """runtime.pack.js (8.5 MB) serves pages opened from a folder only: offline/bundle.py adds it
    to the offline zip; the published site never carries it."""
    assert not [f for f in published(site) if f.endswith("runtime.pack.js")]
