"""Helpers for the site tests: paths, building, and reading the built pages."""

from __future__ import annotations

import html
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = [sys.executable, "-m", "mkdocs"]


def build_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def built_path(site: Path, src: str) -> Path:
    """Where the page written as docs/<src> lands in the site (with or without directory URLs)."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / (stem + ".html")
    flat = site / (stem + ".html")
    return flat if flat.exists() else site / stem / "index.html"


def article(page_html: str) -> str:
    """The page's main content (Material's <article>), without navigation and footer."""
    match = re.search(r"<article\b.*?</article>", page_html, re.S)
    assert match, "no <article> in page"
    return match.group(0)


EXERCISE = re.compile(
    r'<div class="code-exercise" .*?data-exercise-data="[^"]*"></div></div></div>', re.S
)


def without_exercises(page_html: str) -> str:
    """The page without its exercises: an exercise's editor is a box with nothing pre-rendered
    (its starter is unfinished code), which the tests of boxes' output leave aside."""
    return EXERCISE.sub("", page_html)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


# What a build reads: a change to any of these makes an existing site/ stale.
SOURCES = (
    "docs", "overrides", "coursekit", "simulations", "engines", "web/src", "web/build.mjs",
    "mkdocs.yml", "course.yml",
)  # fmt: skip
GENERATED = ("overrides/assets/javascripts/runner",)  # written by `make build` before MkDocs


def newer_sources(site: Path) -> list[Path]:
    """Source files modified after ``site`` was built (after its index.html was written)."""
    built_at = (site / "index.html").stat().st_mtime
    generated = [ROOT / g for g in GENERATED]
    newer = []
    for name in SOURCES:
        top = ROOT / name
        for path in [top] if top.is_file() else top.rglob("*"):
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and not any(path.is_relative_to(g) for g in generated)
                and path.stat().st_mtime > built_at
            ):
                newer.append(path)
    return sorted(newer)


# What `mkdocs serve` reads from the project, and so what a copy of the project to edit needs.
PROJECT_FILES = (
    "docs", "overrides", "coursekit", "simulations", "engines", "mkdocs.yml", "course.yml",
)  # fmt: skip


def copy_project(dest: Path) -> Path:
    """A copy of the project at ``dest`` that builds and serves on its own, for tests that edit
    sources: run it with ``PYTHONPATH=dest`` so that its coursekit and simulations are imported.
    ``node_modules`` (Pyodide, which the build vendors) is linked, not copied."""
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest
