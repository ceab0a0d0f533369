#!/usr/bin/env python3
"""Pack the built site and its launcher into one zip that is the same, byte for byte, every time.

A zip records a timestamp and permissions for every entry, and entries in whatever order they were
added. Here the order is sorted, every timestamp is SOURCE_DATE_EPOCH (the last commit's time, set
by the Makefile) and permissions are fixed, so two builds of one commit give identical archives.

    python3 offline/bundle.py site dist/batch-vs-streaming-course.zip
"""

from __future__ import annotations

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
    browsers (Chrome, Edge, ...) the code boxes run too; where a browser does not allow that,
    the box says so: use the launcher above.
"""


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
    """Write ``out``: ``NAME/site/...``, ``NAME/launch.py`` and ``NAME/README.txt``."""
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site} has no index.html: run `make build` first")
    stamp = zip_time(epoch)
    # Sorted by the names the archive lists (as text: "engines.html" before "engines/..."),
    # so that the order does not depend on how paths compare part by part.
    files = sorted(
        (p for p in site.rglob("*") if p.is_file()), key=lambda p: p.relative_to(site).as_posix()
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compresslevel=9) as archive:
        archive.writestr(entry(f"{NAME}/README.txt", stamp), READ_ME)
        archive.writestr(
            entry(f"{NAME}/launch.py", stamp, 0o755), (HERE / "launch.py").read_bytes()
        )
        for path in files:
            name = f"{NAME}/site/{path.relative_to(site).as_posix()}"
            archive.writestr(entry(name, stamp), path.read_bytes())
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
