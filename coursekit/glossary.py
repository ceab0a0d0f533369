"""Glossary terms as tooltips and links in every lesson, from the one glossary page.

``docs/glossary.md`` is the single source of truth. Each term is a level-2 heading with an
explicit id, followed by its code key and its definition::

    ## Watermark { #watermark }

    **Code key:** `WM_DELAY`

    An assertion, carried in the stream, that no more events older than time *t* are expected.

    **Also:** watermarks

At build time the course plugin (:mod:`coursekit.plugin`):

1. parses the glossary (a term without a code key or a definition fails the build);
2. appends an abbreviation (``*[watermark]: An assertion ...``) for every spelling of every term
   to each page's Markdown, so Python-Markdown's ``abbr`` extension wraps each occurrence in
   ``<abbr title="...">`` and Material shows the definition as a tooltip (``content.tooltips``);
   code spans, code blocks and code boxes are never touched;
3. keeps the mark (tooltip and dotted underline) on the first occurrence of each term in each
   section, the content under one heading, and unwraps the repeats: marked at every occurrence,
   a paragraph about windows carries a dozen underlines and reads as a page of spelling errors,
   while one mark per section still puts the definition where a reader meets the term;
4. links the first occurrence of each term on a page to its glossary entry, and removes the
   tooltip markup from headings, from the ``<summary>`` of collapsible blocks and from the
   course map and the "Continue learning" card (so the table of contents stays plain, no link sits
   inside a control that toggles, and navigation reads as navigation).

The glossary page itself, the API reference, and any page whose front matter says
``glossary: false`` are left alone.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

GLOSSARY = "glossary.md"
SKIP_PAGES = {GLOSSARY, "reference.md"}
HEADING = re.compile(r"^## +(?P<term>[^{\n]+?)\s*\{\s*#(?P<anchor>[\w-]+)\s*\}\s*$", re.M)
CODE_KEY = re.compile(r"^\*\*Code key:\*\*\s*`(?P<key>[A-Z][A-Z0-9_]*)`\s*$", re.M)
ALSO = re.compile(r"^\*\*Also:\*\*\s*(?P<aliases>.+)$", re.M)
ABBR = re.compile(r'<abbr title="(?P<title>[^"]*)">(?P<text>[^<]*)</abbr>')
NAVIGATION = re.compile(r'<div class="(?:continue-learning|course-map)">.*?</div>', re.S)
TAG = re.compile(r"<(?P<close>/?)(?P<name>a|h[1-6]|summary)\b[^>]*>", re.I)


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry."""

    term: str
    anchor: str
    key: str
    definition: str
    aliases: tuple[str, ...]

    @property
    def spellings(self) -> list[str]:
        """Every form of the term that gets a tooltip: as written, lower case, plural."""
        forms: list[str] = []
        for base in (self.term, *self.aliases):
            for form in (base, base.lower(), base[:1].upper() + base[1:]):
                forms.append(form)
                if not form.endswith("s"):
                    forms.append(form + "s")
        return list(dict.fromkeys(forms))


def plain(markdown: str) -> str:
    """Markdown inline text as plain text, for a tooltip."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split())


def parse_glossary(text: str) -> list[Term]:
    """Parse the glossary page; raise ValueError naming the first entry that is incomplete."""
    terms: list[Term] = []
    matches = list(HEADING.finditer(text))
    for i, match in enumerate(matches):
        body = text[match.end() : matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        term = match["term"].strip()
        key = CODE_KEY.search(body)
        if not key:
            raise ValueError(f"glossary term {term!r} has no line **Code key:** `UPPER_CASE`")
        also = ALSO.search(body)
        aliases = tuple(a.strip() for a in also["aliases"].split(",") if a.strip()) if also else ()
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        definition = next(
            (
                p
                for p in paragraphs
                if not CODE_KEY.match(p) and not ALSO.match(p) and not p.startswith(("#", "!!!"))
            ),
            "",
        )
        if not definition:
            raise ValueError(f"glossary term {term!r} has no definition paragraph")
        terms.append(Term(term, match["anchor"], key["key"], plain(definition), aliases))
    by_key: dict[str, str] = {}
    for t in terms:
        if t.key in by_key:
            raise ValueError(
                f"glossary terms {by_key[t.key]!r} and {t.term!r} share the code key {t.key!r}; "
                "a code key names one term"
            )
        by_key[t.key] = t.term
    return terms


def load_glossary(docs_dir: Path) -> list[Term]:
    """The terms of ``docs/glossary.md``; a PluginError names the entry that is incomplete."""
    path = Path(docs_dir) / GLOSSARY
    try:
        return parse_glossary(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PluginError(f"{GLOSSARY}: {exc}") from None


def applies(page) -> bool:
    """Whether a page gets tooltips: not the glossary, not the API reference, not opted out."""
    return page.file.src_uri not in SKIP_PAGES and page.meta.get("glossary", True) is not False


def add_abbreviations(markdown: str, terms: list[Term]) -> str:
    """Append the abbreviations: one line per spelling of each term."""
    if not terms:
        return markdown
    lines = []
    for term in terms:
        title = term.definition.replace("\n", " ")
        lines += [f"*[{form}]: {title}" for form in term.spellings]
    # One abbreviation a block: Python-Markdown rescans a block per definition it removes, so
    # blank lines between them keep the cost linear (the output is the same).
    return markdown.rstrip("\n") + "\n\n" + "\n\n".join(lines) + "\n"


def link_terms(html_text: str, page, files, terms: list[Term]) -> str:
    """Mark each term once per section, link its first occurrence, keep headings plain.

    A term's spellings share its definition, so "window" and "windows" count as one term. A
    section starts at every heading, ``h1`` to ``h6``.
    """
    if not terms:
        return html_text
    glossary = files.get_file_from_path(GLOSSARY)
    if glossary is None:
        return html_text
    base = glossary.url_relative_to(page.file)
    # The course map and the "Continue learning" card are navigation: plain text there.
    html_text = NAVIGATION.sub(lambda m: ABBR.sub(r"\g<text>", m.group(0)), html_text)
    anchors = {t.definition: t.anchor for t in terms}
    linked: set[str] = set()
    marked: set[str] = set()  # definitions already marked in the current section
    out: list[str] = []
    pos = 0
    depth = {"a": 0, "h": 0}
    events = sorted(
        [(m.start(), "tag", m) for m in TAG.finditer(html_text)]
        + [(m.start(), "abbr", m) for m in ABBR.finditer(html_text)],
        key=lambda e: e[0],
    )
    for start, kind, match in events:
        if kind == "tag":
            name = "a" if match["name"].lower() == "a" else "h"
            if match["name"].lower().startswith("h") and not match["close"]:
                marked.clear()
            depth[name] += -1 if match["close"] else 1
            depth[name] = max(depth[name], 0)
            continue
        definition = html.unescape(match["title"])
        anchor = anchors.get(definition)
        out.append(html_text[pos:start])
        pos = match.end()
        if depth["h"] or definition in marked:
            out.append(match["text"])
            continue
        marked.add(definition)
        if anchor and anchor not in linked and not depth["a"]:
            linked.add(anchor)
            out.append(f'<a class="glossary-link" href="{base}#{anchor}">{match.group(0)}</a>')
        else:
            out.append(match.group(0))
    out.append(html_text[pos:])
    return "".join(out)
