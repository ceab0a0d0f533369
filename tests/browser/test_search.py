"""Search still works, and its index is only downloaded once the reader reaches for search."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

INDEX = "search/search_index.json"


def test_the_search_index_waits_for_the_reader_then_search_finds_pages(page):
    p = page.page
    p.goto(page.url("index.html"), wait_until="load")
    p.wait_for_timeout(1500)
    assert not [url for url in page.guard.requests if url.endswith(INDEX)]
    with p.expect_request(lambda r: r.url.endswith(INDEX)):
        p.locator("input.md-search__input").click()
    p.locator("input.md-search__input").fill("watermark")
    results = p.locator(".md-search-result__item")
    results.first.wait_for(timeout=30_000)
    assert "atermark" in results.first.text_content()


def test_a_search_key_also_loads_the_index(page):
    p = page.page
    p.goto(page.url("index.html"), wait_until="load")
    with p.expect_request(lambda r: r.url.endswith(INDEX)):
        p.keyboard.press("s")
    p.locator("input.md-search__input").fill("kappa")
    p.locator(".md-search-result__item").first.wait_for(timeout=30_000)


def test_a_query_pasted_after_the_index_is_ready_runs_at_once(page):
    # Material reads the query on a key, on focus and when its index is ready: a query pasted
    # with the mouse once the index is ready comes with none of them.
    p = page.page
    p.goto(page.url("index.html"), wait_until="load")
    query = p.locator("input.md-search__input")
    query.click()
    meta = p.locator(".md-search-result__meta")
    p.wait_for_function(
        "(el) => !el.textContent.includes('Initializing')",
        arg=meta.element_handle(),
        timeout=30_000,
    )
    query.fill("kappa")
    results = p.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert "appa" in results.first.text_content()
