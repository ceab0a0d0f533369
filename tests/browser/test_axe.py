"""axe-core on every page of the built site, light and dark: no serious or critical violation.

axe-core is vendored from npm (package.json pins it) and injected into each page once the runner
has mounted its boxes and filled the XP bar, so the markup checked is what a reader meets. The
pages are those found in site/, so a new lesson is checked without touching this file.
"""

from __future__ import annotations

import json

import pytest
from guarded_page import ROOT, SITE
from runner_page import site_pages, wait_mounted

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("light", "dark")
BLOCKING = {"serious", "critical"}
# 404.html is served for any missing address, so its links are absolute to the published path.
PUBLISHED_PATH = "/course/"

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  const rules = [...results.passes, ...results.violations, ...results.incomplete,
                 ...results.inapplicable].map((rule) => rule.id);
  const violations = results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
  return {rules, violations, version: axe.version};
}"""


def test_axe_finds_no_serious_violation_on_any_page(browser, base_url, request):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    pages = [*site_pages(SITE), "404.html"]
    rules: set[str] = set()
    found: list[str] = []
    version = ""
    for scheme in SCHEMES:
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        context.route(
            f"{base_url.rstrip('/')}{PUBLISHED_PATH}**",
            lambda route: route.continue_(url=route.request.url.replace(PUBLISHED_PATH, "/", 1)),
        )
        page = context.new_page()
        try:
            for path in pages:
                page.goto(base_url + path)
                if path != "404.html":
                    wait_mounted(page)
                    page.locator(".md-banner .xp-open").wait_for()
                scheme_now = page.evaluate("document.body.dataset.mdColorScheme")
                assert scheme_now == ("slate" if scheme == "dark" else "default"), path
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(RUN_AXE)
                version = result["version"]
                rules.update(result["rules"])
                for violation in result["violations"]:
                    if violation["impact"] in BLOCKING:
                        found.append(f"{scheme} {path}: {json.dumps(violation)}")
        finally:
            context.close()
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(
            f"\n[axe-core {version}] {len(pages)} pages x {len(SCHEMES)} schemes, "
            f"{len(rules)} rules checked, {len(found)} serious or critical violations"
        )
    assert not found, "\n".join(found)
