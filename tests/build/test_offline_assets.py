"""No file of the built site loads a script, stylesheet, font, image or wasm from the network.

Ordinary links (<a href="https://...">) are fine: following one is the reader's choice. What must
not happen is a page that fetches something from elsewhere by itself.
"""

from __future__ import annotations

import re

EXTERNAL = r"""(?:https?:)?//[^\s"'()<>]+"""
HTML_RULES = {
    "src attribute": re.compile(
        rf"""\s(?:src|srcset|data-src|poster)\s*=\s*["']?\s*{EXTERNAL}""", re.I
    ),
    "link to an asset": re.compile(
        r"""<link\b(?=[^>]*\brel=["']?[^"'>]*"""
        r"""(?:stylesheet|preload|modulepreload|icon|preconnect|manifest))"""
        rf"""[^>]*\bhref=["']?{EXTERNAL}""",
        re.I,
    ),
}
CSS_RULES = {
    "url() in CSS": re.compile(rf"""url\(\s*["']?{EXTERNAL}""", re.I),
    "@import": re.compile(rf"""@import\s+(?:url\()?\s*["']?{EXTERNAL}""", re.I),
}
JS_RULES = {
    "import statement": re.compile(
        rf"""\bimport\s*(?:[\w*{{}},\s]+from\s*)?\(?\s*["']{EXTERNAL}"""
    ),
    "importScripts": re.compile(rf"""importScripts\(\s*["']{EXTERNAL}"""),
    "wasm fetch": re.compile(r"""["']https?://[^"']+\.wasm["']"""),
}


SCANNED = {".html", ".htm", ".svg", ".css", ".js", ".mjs"}


def scan(path, text):
    rules = {}
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm", ".svg"}:
        rules = {**HTML_RULES, **CSS_RULES, **JS_RULES}
    elif suffix == ".css":
        rules = CSS_RULES
    elif suffix in {".js", ".mjs"}:
        rules = {**JS_RULES, **CSS_RULES}
    return [
        f"{path}: {name}: {match.group(0)[:120]}"
        for name, rule in rules.items()
        for match in rule.finditer(text)
    ]


def test_no_external_asset_in_any_built_file(site):
    problems = []
    scanned = 0
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix.lower() in SCANNED:
            text = path.read_text(encoding="utf-8", errors="replace")
            problems += scan(path.relative_to(site), text)
            scanned += 1
    assert scanned > 10
    assert not problems, "\n".join(problems[:20])


def test_the_rules_catch_what_they_should():
    from pathlib import Path

    bad = {
        "a.html": '<script src="https://cdn.example/x.js"></script>',
        "b.html": '<link rel="stylesheet" href="https://fonts.example/css">',
        "c.css": "@font-face { src: url(https://fonts.example/f.woff2) }",
        "d.css": '@import "https://cdn.example/a.css";',
        "e.js": 'import x from "https://cdn.example/m.mjs";',
        "f.js": 'fetch("https://cdn.example/pyodide.asm.wasm")',
        "g.html": '<img src="//cdn.example/i.png" alt="x">',
    }
    for name, text in bad.items():
        assert scan(Path(name), text), name
    assert not scan(Path("ok.html"), '<a href="https://example.org/paper.pdf">paper</a>')
