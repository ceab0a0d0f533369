"""Vendored front-end files: copied into the site after each build, so it needs no CDN.

* Pyodide's runtime, only the files the runner needs (never its console pages, which load
  extras from a CDN), into ``assets/javascripts/vendor/pyodide/``;
* the ``simulations`` package as a deterministic zip (sorted entries, fixed timestamps) that the
  runner's worker unpacks into Pyodide's file system:
  ``assets/javascripts/runner/simulations.zip``;
* the ``iframe-worker`` shim that the offline plugin would otherwise fetch from unpkg, into
  ``assets/javascripts/vendor/iframe-worker-shim.js`` (``extra.polyfills`` in mkdocs.yml).

The packed runtime for pages opened from a folder (file://), ``runtime.pack.js``, is not part of
the site: only the offline copy needs it, so ``offline/bundle.py`` writes it into the zip, from the
files copied here and the worker the runner's build writes (``worker-file.js``).

The course plugin calls :meth:`Vendor.check` before each build and :meth:`Vendor.copy` after it
(``on_post_build``), so it works for ``mkdocs build`` and for ``mkdocs serve`` (which builds into a
temporary directory) alike.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PYODIDE_DIR = "assets/javascripts/vendor/pyodide"
SHIM = ("iframe-worker/shim/index.js", "assets/javascripts/vendor/iframe-worker-shim.js")
PACKAGE = "simulations"
ARCHIVE = "assets/javascripts/runner/simulations.zip"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
RUNNER_BUNDLE = "overrides/assets/javascripts/runner/runner.js"  # written by web/build.mjs
FILE_WORKER = "assets/javascripts/runner/worker-file.js"  # packed by offline/bundle.py


def _need(path: Path, root: Path) -> Path:
    if not path.exists():
        raise PluginError(
            f"{path.relative_to(root)} is missing: the site's front-end packages are not "
            "installed. Run `make setup` (it runs `npm ci` and builds the runner)."
        )
    return path


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    same_size = dest.exists() and dest.stat().st_size == src.stat().st_size
    if same_size and dest.read_bytes() == src.read_bytes():
        return  # unchanged: keeps `mkdocs serve` rebuilds quick
    shutil.copyfile(src, dest)


def package_files(root: Path, package: str = PACKAGE) -> list[Path]:
    """The files of the package to ship: everything but caches, in a stable order."""
    files = [
        path
        for path in (root / package).rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix not in {".pyc", ".pyo"}
        and not path.name.startswith(".")
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def write_archive(dest: Path, root: Path, package: str = PACKAGE) -> None:
    """Write ``package`` as a zip whose bytes depend only on the files' paths and contents."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in package_files(root, package):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    tmp.replace(dest)


@dataclass
class Vendor:
    """The vendored files of one project."""

    root: Path

    @property
    def node_modules(self) -> Path:
        return self.root / "node_modules"

    def check(self) -> None:
        """Fail early and clearly when the front-end packages or the runner bundle are missing."""
        _need(self.node_modules, self.root)
        for name in PYODIDE_FILES:
            _need(self.node_modules / "pyodide" / name, self.root)
        _need(self.node_modules / SHIM[0], self.root)
        bundle = self.root / RUNNER_BUNDLE
        _need(bundle, self.root)
        _need(bundle.parent / Path(FILE_WORKER).name, self.root)

    def copy(self, site: Path) -> None:
        """Copy Pyodide and the shim, write the archive into ``site``."""
        for name in PYODIDE_FILES:
            _copy(self.node_modules / "pyodide" / name, site / PYODIDE_DIR / name)
        _copy(self.node_modules / SHIM[0], site / SHIM[1])
        write_archive(site / ARCHIVE, self.root)
