#!/usr/bin/env python3
"""Pack the built site and its launcher into one zip that is the same, byte for byte, every time.

The zip also holds what only a copy opened from a folder (file://) needs, and the published site
does not carry: the packed runtime ``runtime.pack.js`` (see :func:`runtime_pack`).

A zip records a timestamp and permissions for every entry, and entries in whatever order they were
added. Here the order is sorted, every timestamp is SOURCE_DATE_EPOCH (the last commit's time, set
by the Makefile) and permissions are fixed, so two builds of one commit give identical archives.

    python3 offline/bundle.py site dist/batch-vs-streaming-course.zip
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import sys
import time
import zipfile
from pathlib import Path

NAME = "batch-vs-streaming-course"
HERE = Path(__file__).resolve().parent
EARLIEST_ZIP_TIME = 315532800  # 1980-01-01: zip cannot store anything older

READ_ME = """\
Batch vs Streaming Data in AI: offline copy
===========================================

Live Python (run the code boxes):   python3 launch.py
    Serves this folder on http://127.0.0.1 and opens your browser. Nothing leaves your machine.

Straight from the folder:           open site/index.html
    Every page, the search and the output printed under each code box work. In Chromium-based
    browsers (Chrome, Edge, ...) and in Firefox the code boxes run too. Safari (WebKit) does not
    allow that from a folder: there the box says so and points to the launcher above.

The "On a real engine" tabs' files:  site/engines/beam/
    The Apache Beam pipelines, and under events/ each box's events. From a folder, Chromium
    opens the tabs' download links as text instead of saving them: take the files from here.
"""


# The packed runtime: where it goes in the site, and what it holds, in this order (the runner's
# worker-file.js reads the files back by these names; coursekit/vendor.py copies them into
# the site).
PYODIDE_DIR = "assets/javascripts/vendor/pyodide"
PACKED_FILES = {
    "pyodide.mjs": f"{PYODIDE_DIR}/pyodide.mjs",
    "pyodide.asm.mjs": f"{PYODIDE_DIR}/pyodide.asm.mjs",
    "pyodide.asm.wasm": f"{PYODIDE_DIR}/pyodide.asm.wasm",
    "python_stdlib.zip": f"{PYODIDE_DIR}/python_stdlib.zip",
    "pyodide-lock.json": f"{PYODIDE_DIR}/pyodide-lock.json",
    "simulations.zip": "assets/javascripts/runner/simulations.zip",
}
FILE_WORKER = "assets/javascripts/runner/worker-file.js"
PACK = f"{PYODIDE_DIR}/runtime.pack.js"
PACK_GLOBAL = "courseRuntimePack"


def pack(files: dict[str, bytes], worker: str) -> bytes:
    """The packed runtime: a classic script that sets ``window.courseRuntimePack`` to
    ``{files: [[name, size], ...], worker, gzip}``, where ``gzip`` is the base64 of the gzip
    (level 9, no name, mtime 0: the same bytes every time) of the files' bytes in that order."""
    payload = gzip.compress(b"".join(files.values()), compresslevel=9, mtime=0)
    value = {
        "files": [[name, len(data)] for name, data in files.items()],
        "worker": worker,
        "gzip": base64.b64encode(payload).decode("ascii"),
    }
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    return f"window.{PACK_GLOBAL}={text};\n".encode("ascii")


def runtime_pack(site: Path) -> bytes:
    """The packed runtime of the built ``site``, for pages opened from a folder (file://).

    There the browser refuses fetch, module scripts and module workers; a classic script holding
    the Python worker's source, Pyodide and the ``simulations`` archive still loads (see
    web/README.md, "Live Python from a folder"). Over http nothing needs it, so only the offline
    copy carries it (8.5 MB)."""
    needed = [*PACKED_FILES.values(), FILE_WORKER]
    missing = [path for path in needed if not (site / path).is_file()]
    if missing:
        raise FileNotFoundError(f"{site} lacks {', '.join(missing)}: run `make build` first")
    files = {name: (site / path).read_bytes() for name, path in PACKED_FILES.items()}
    return pack(files, (site / FILE_WORKER).read_text(encoding="utf-8"))


def zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The zip date-time of ``epoch`` seconds (UTC), clamped to what zip can store."""
    return time.gmtime(max(epoch, EARLIEST_ZIP_TIME))[:6]


def entry(name: str, stamp: tuple[int, ...], mode: int = 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100000 | mode) << 16
    info.create_system = 3  # Unix, whatever machine builds it
    return info


def bundle(site: Path, out: Path, *, epoch: int) -> Path:
    """Write ``out``: ``NAME/site/...`` (with the packed runtime), ``NAME/launch.py`` and
    ``NAME/README.txt``."""
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site} has no index.html: run `make build` first")
    stamp = zip_time(epoch)
    contents: dict[str, Path | bytes] = {
        p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()
    }
    contents[PACK] = runtime_pack(site)
    # Sorted by the names the archive lists (as text: "engines.html" before "engines/..."),
    # so that the order does not depend on how paths compare part by part.
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compresslevel=9) as archive:
        archive.writestr(entry(f"{NAME}/README.txt", stamp), READ_ME)
        archive.writestr(
            entry(f"{NAME}/launch.py", stamp, 0o755), (HERE / "launch.py").read_bytes()
        )
        for name in sorted(contents):
            data = contents[name]
            data = data if isinstance(data, bytes) else data.read_bytes()
            archive.writestr(entry(f"{NAME}/site/{name}", stamp), data)
    tmp.replace(out)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", EARLIEST_ZIP_TIME))
    out = bundle(Path(argv[0]), Path(argv[1]), epoch=epoch)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
