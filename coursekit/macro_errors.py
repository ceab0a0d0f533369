"""A contributor's mistake in a page's macros, reported as one line naming the file and line.

mkdocs-macros catches every error raised while it renders a page, writes a report ending in a
Python traceback, and stops the build with exit code 100. For a misspelled macro name, a Jinja
syntax error or a page that a course macro refuses (``continue_learning()`` on a page that is not
a lesson), the traceback points into Jinja and the plugin, not at the page. Its reports come from
``mkdocs_macros.errors.format_error``, a ``functools.singledispatch`` function: :func:`install`
registers a report for those three kinds of error, and for any error the page's template raised
itself (a macro called with the wrong arguments), that raises a :class:`PluginError` instead, so
MkDocs prints ``path:line: what is wrong`` and stops as it does for any other build error. An error
raised inside the build's own code, which would be a bug there, keeps the plugin's report and its
traceback.
"""

from __future__ import annotations

import difflib
import os
import re
import traceback
from collections.abc import Callable
from pathlib import Path

from jinja2 import TemplateSyntaxError, UndefinedError
from mkdocs.exceptions import PluginError
from mkdocs_macros.errors import format_error

UNDEFINED = re.compile(r"'(?P<name>[^']+)' is undefined")


def where(page, markdown: str, template_line: int | None) -> str:
    """``path:line`` of a template line: the file's line, counting the front matter MkDocs
    removed before the macros plugin saw the page."""
    path = os.path.relpath(page.file.abs_src_path) if page.file.abs_src_path else page.file.src_path
    if not template_line:
        return path
    try:
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError):
        return f"{path}:{template_line}"
    start = source.find(markdown.lstrip("\n")[:200])
    offset = source.count("\n", 0, start) if start > 0 else 0
    return f"{path}:{template_line + offset}"


def template_line(error: BaseException) -> int | None:
    """The line of the page's template where ``error`` was raised (Jinja names it <template>)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames else None


def install(names: Callable[[], list[str]]) -> None:
    """Register the reports; ``names()`` lists what a page may call, for "did you mean"."""

    @format_error.register
    def _syntax(error: TemplateSyntaxError, markdown: str, page) -> str:
        hint = ""
        line = markdown.splitlines()[error.lineno - 1] if error.lineno else ""
        if "{#" in line:
            hint = "; '{#' starts a Jinja comment: write '{ #id }', with a space after '{'"
        raise PluginError(f"{where(page, markdown, error.lineno)}: {error.message}{hint}")

    @format_error.register
    def _undefined(error: UndefinedError, markdown: str, page) -> str:
        match = UNDEFINED.search(str(error))
        if not match:
            raise PluginError(f"{where(page, markdown, template_line(error))}: {error}")
        name = match["name"]
        close = difflib.get_close_matches(name, names(), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "the macros are " + ", ".join(names())
        raise PluginError(
            f"{where(page, markdown, template_line(error))}: {name!r} is not a macro the "
            f"course defines; {hint}"
        )

    @format_error.register
    def _refused(error: ValueError, markdown: str, page) -> str:
        raise PluginError(f"{where(page, markdown, template_line(error))}: {error}")

    @format_error.register
    def _other(error: Exception, markdown: str, page) -> str:
        if not raised_by_the_page(error):
            return format_error.dispatch(object)(error, markdown, page)
        message = str(error).replace("macros.<locals>.", "")
        raise PluginError(f"{where(page, markdown, template_line(error))}: {message}")


def raised_by_the_page(error: BaseException) -> bool:
    """Whether the page's own template raised ``error`` (a macro called with the wrong arguments,
    ``{{ 1 / 0 }}``), rather than code the page called: Jinja rewrites the traceback so that its
    innermost frame is the template's line."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and frames[-1].filename == "<template>"
