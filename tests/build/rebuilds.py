"""Build a project several times in one process, editing files between builds, as `mkdocs serve`
does on every save: ``python rebuilds.py PLAN.json``.

The plan is a list of steps, each ``{"edits": [[path, old, new], ...], "site": dir}``: the edits
(each replaces exactly one occurrence of ``old`` in the file at ``path``) are made, then the site
is built into ``site``. The config is read afresh for every build and the plugins are started
once, with the calls `mkdocs serve` makes (:mod:`mkdocs.commands.serve`), so the plugins keep
their objects and their imports from one build to the next exactly as they do there.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


def edit(path: str, old: str, new: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    if text.count(old) != 1:
        sys.exit(f"{path}: {old!r} occurs {text.count(old)} times, not once")
    Path(path).write_text(text.replace(old, new), encoding="utf-8")


def main(plan_file: str) -> None:
    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    for number, step in enumerate(plan):
        for path, old, new in step["edits"]:
            edit(path, old, new)
        config = load_config("mkdocs.yml", site_dir=step["site"])
        if number == 0:
            config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        print(f"build {number + 1}: done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
