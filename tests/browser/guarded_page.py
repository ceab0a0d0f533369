"""Guarded browser pages: every request and console error of a page is recorded and checked.

Shared by the fixtures in ``conftest.py``, by tests that open pages of their own (file://, the
offline launcher) and by the benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Loading Pyodide cold takes a few seconds on a small machine; a run is much quicker.
LOAD_TIMEOUT_MS = 60_000


@dataclass
class Guard:
    """What one browser context asked for and complained about."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return True
        if self.origin == "file://":
            return parts.scheme == "file"
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def route(self, route) -> None:
        url = route.request.url
        if self.allowed(url):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def on_request(self, request) -> None:
        self.requests.append(request.url)
        if not self.allowed(request.url) and request.url not in self.foreign:
            self.foreign.append(request.url)

    def on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def on_page_error(self, error) -> None:
        self.errors.append(f"page error: {error}")

    def watch(self, context, page) -> None:
        context.route("**/*", self.route)
        context.on("request", self.on_request)
        page.on("console", self.on_console)
        page.on("pageerror", self.on_page_error)

    def check(self) -> None:
        """Fail on any request that left the origin and on any console error; then start over."""
        foreign, errors = self.foreign[:], self.errors[:]
        self.foreign.clear()
        self.errors.clear()
        assert not foreign, f"requests left {self.origin}: {foreign}"
        assert not errors, "errors on the page:\n" + "\n".join(errors)


@dataclass
class GuardedPage:
    page: object
    context: object
    guard: Guard
    base_url: str

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")


def open_page(browser, origin: str, base: str, **context_options) -> GuardedPage:
    context = browser.new_context(**context_options)
    context.set_default_timeout(LOAD_TIMEOUT_MS)
    page = context.new_page()
    guard = Guard(origin=origin)
    guard.watch(context, page)
    return GuardedPage(page=page, context=context, guard=guard, base_url=base)
