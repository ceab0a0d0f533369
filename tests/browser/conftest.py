"""Fixtures for browser tests: the built site on loopback, one shared Chromium, guarded pages.

Every page handed to a test records each request it makes. A request to any other origin is
aborted and fails the test, and so does any console error or uncaught page error. Run
``make build`` first; the tests read ``site/`` as it is.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers next to this file
pytest.register_assert_rewrite("exercise_page")  # its scenarios' asserts say what differed

from guarded_page import CHROMIUM, CHROMIUM_ARGS, ROOT, SITE, GuardedPage, open_page  # noqa: E402
from site_server import serve  # noqa: E402


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
def browser(request):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Debian's Chromium at {CHROMIUM} (make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(f"\n[browser tests] Chromium {browser.version}", flush=True)
        yield browser
        browser.close()


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
