"""Runs started ahead of the pages: a build's boxes and exercises run concurrently.

Every box and every exercise of a build runs in a CPython process of its own
(:func:`coursekit.boxes.run_python`), and the pages render one after another. Run when its page
renders, each process would wait for the one before it, and a build would take as long as all
of them together. A run does not depend on its page, though, only on the code it is given: so
the plugin reads every page's Markdown before the first one renders, finds its fences
(:func:`fences_in`) and hands their runs to a pool of threads sized to the machine's cores,
each thread waiting on one child process. The fence's formatter later asks for the run by its
key and gets the finished result.

A run nobody asked for ahead (a fence the plain-text scan read differently from the page as it
renders, say one a macro wrote) simply runs when its page renders, as before. A run's error
stays with its future and is raised only when the page holding the fence asks for it, so the
message names that page, exactly as a build run one box at a time would.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

# A fenced block of a given language as a page's Markdown holds it, possibly indented (in a tab
# or an admonition): its indent, its fence, the options line and the body.
FENCE_PATTERN = (
    r"^(?P<indent>[ \t]*)(?P<fence>`{{3,}}|~{{3,}}){language}\b(?P<options>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$"
)
OPTION = re.compile(r'(?P<key>[A-Za-z_][\w-]*)="(?P<value>[^"]*)"')


def fences_in(markdown_text: str, language: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Each ``language`` fence of a page's Markdown: its body (dedented) and its options."""
    pattern = re.compile(FENCE_PATTERN.format(language=re.escape(language)), re.M | re.S)
    for match in pattern.finditer(markdown_text):
        indent = match["indent"]
        body = "".join(
            line[len(indent) :] if line.startswith(indent) else line
            for line in match["body"].splitlines(keepends=True)
        )
        yield body, {m["key"]: m["value"] for m in OPTION.finditer(match["options"])}


def cores() -> int:
    """The cores this process may use (a container or ``taskset`` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class RunsAhead:
    """Runs submitted ahead, by key, until a formatter takes them.

    ``mkdocs serve`` keeps one instance across rebuilds; :meth:`forget` drops what the last
    build left untaken (it failed on an earlier page, or a fence was edited away).
    """

    workers: int = field(default_factory=cores)
    pending: dict[str, Future] = field(default_factory=dict)
    executor: ThreadPoolExecutor | None = None

    def submit(self, key: str, run: Callable[..., Any], *args: Any) -> None:
        """Start ``run(*args)`` in the pool, unless a run under ``key`` is already pending."""
        if key in self.pending:
            return
        if self.executor is None:
            self.executor = ThreadPoolExecutor(self.workers, thread_name_prefix="coursekit-run")
        self.pending[key] = self.executor.submit(run, *args)

    def result(self, key: str, run: Callable[..., Any], *args: Any) -> Any:
        """The result of the run under ``key``, waited for; ``run(*args)`` here if none was
        submitted. Raises what the run raised."""
        future = self.pending.pop(key, None)
        if future is None:
            return run(*args)
        return future.result()

    def forget(self) -> None:
        """Drop the pending runs; those not yet started never start."""
        for future in self.pending.values():
            future.cancel()
        self.pending.clear()
