"""What a second build in the same process needs: `mkdocs serve` rebuilds on every save.

Two kinds of code are read by a build, and they are kept fresh in two different ways:

* ``simulations``, which the build imports (the twins' jobs, the API reference, the Velocity
  Hub). Each build imports it afresh (:func:`fresh_simulations`), and with it the course modules
  that hold its functions and objects (:data:`HOLDERS`): a module left on the first import would
  hand the new engine old ``Event`` or ``Tumbling`` objects, which it refuses.
* ``coursekit`` itself, the plugin MkDocs loaded at start-up. MkDocs keeps the plugin's object
  and the functions it registered with the other plugins (the macros, the fence), so its code
  cannot be swapped safely in a running server: when it changes, :func:`restart` starts the same
  command again in the same process, once the new code is known to import.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from mkdocs.exceptions import PluginError

from . import PROJECT

log = logging.getLogger("mkdocs.plugins.coursekit")

PACKAGE = "simulations"
# The course modules that bind names from `simulations` when imported, in import order.
HOLDERS = ("coursekit.twins", "coursekit.twin_tab")
COURSEKIT = Path(__file__).resolve().parent


def fresh_simulations(root: Path = PROJECT) -> ModuleType:
    """Import ``simulations`` from ``root`` afresh, then re-import the modules holding it."""
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    package = importlib.import_module(PACKAGE)
    for name in HOLDERS:
        if name in sys.modules:
            importlib.reload(sys.modules[name])
    return package


def source_digest(folder: Path = COURSEKIT) -> str:
    """A digest of a package's Python source: it changes when any of its files does."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


# The coursekit this process runs: read when the plugin was first imported.
RUNNING = source_digest()


def coursekit_changed() -> bool:
    """Whether coursekit's source differs from the code this process imported."""
    return source_digest() != RUNNING


def restart(site_dir: str) -> None:
    """Run this `mkdocs serve` again, in place, with the current coursekit.

    The new code is imported in a separate process first: if it fails, the build fails with its
    error and this server keeps running, waiting for the next save. ``site_dir`` (the temporary
    folder `mkdocs serve` builds into) is removed first, as a normal exit would.
    """
    check = subprocess.run(
        [sys.executable, "-c", "import coursekit.plugin"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        raise PluginError(
            "coursekit changed and no longer imports; fix it and save again:\n"
            + check.stderr.strip()
        )
    log.info("coursekit changed: restarting `mkdocs serve` to load it")
    shutil.rmtree(site_dir, ignore_errors=True)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os.execv(sys.executable, sys.orig_argv)
