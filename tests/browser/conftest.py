"""Fixtures for browser tests: the built site on loopback, one shared Chromium, guarded pages.

Every page handed to a test records each request it makes. A request to any other origin is
aborted and fails the test, and so does any console error or uncaught page error. Run
``make build`` first; the tests read ``site/`` as it is.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers next to this file

from site_server import serve

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


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("site/ is not built: run `make build` first")
    return SITE


@pytest.fixture(scope="session")
def offline_copy(site_dir: Path, tmp_path_factory) -> Path:
    """The offline archive of ``offline/bundle.py``, unpacked as a reader would: its folder."""
    sys.path.insert(0, str(ROOT / "offline"))
    import bundle

    base = tmp_path_factory.mktemp("offline")
    archive = bundle.bundle(site_dir, base / "course.zip", epoch=bundle.EARLIEST_ZIP_TIME)
    with zipfile.ZipFile(archive) as unpacked:
        unpacked.extractall(base)
    return base / bundle.NAME


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    server, url = serve(site_dir)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Debian's Chromium at {CHROMIUM} (make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, origin: str, base: str, **context_options) -> GuardedPage:
    context = browser.new_context(**context_options)
    context.set_default_timeout(LOAD_TIMEOUT_MS)
    page = context.new_page()
    guard = Guard(origin=origin)
    guard.watch(context, page)
    return GuardedPage(page=page, context=context, guard=guard, base_url=base)


@pytest.fixture
def new_page(browser, base_url):
    """A factory of fresh, guarded pages (own context: empty cache and storage)."""
    opened: list[GuardedPage] = []
    origin = base_url.rstrip("/")

    def make(**context_options) -> GuardedPage:
        guarded = open_page(browser, origin, base_url, **context_options)
        opened.append(guarded)
        return guarded

    yield make
    try:
        for guarded in opened:
            guarded.guard.check()
    finally:
        for guarded in opened:
            guarded.context.close()


@pytest.fixture
def page(new_page) -> GuardedPage:
    """One fresh, guarded page."""
    return new_page()


@pytest.fixture(scope="module")
def _warm_page(browser, base_url) -> Iterator[GuardedPage]:
    guarded = open_page(browser, base_url.rstrip("/"), base_url)
    yield guarded
    guarded.context.close()


@pytest.fixture
def warm_page(_warm_page: GuardedPage) -> Iterator[GuardedPage]:
    """A guarded page shared by the tests of a module, so Python stays warm between them."""
    _warm_page.guard.check()  # nothing left over from before
    yield _warm_page
    _warm_page.guard.check()
