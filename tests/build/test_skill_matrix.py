"""The skill matrix page, the course data for the browser and the XP placeholder, as built."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from sitebuild import article, built_path, text_of

STATUSES = {"locked", "available", "unlocked"}
TRANSLATE = re.compile(r"translate\(([-\d.]+) ([-\d.]+)\)")


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def elements(fragment: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(fragment)
    return parser.tags


@pytest.fixture(scope="module")
def page(site: Path) -> str:
    return built_path(site, "skills.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def svg(page: str) -> str:
    match = re.search(r'<div class="skill-graph">(<svg\b.*?</svg>)</div>', page, re.S)
    assert match, "no skill graph on the skill matrix page"
    return match.group(1)


@pytest.fixture(scope="module")
def nodes(svg: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for tag, attrs in elements(svg):
        if "data-skill" in attrs:
            assert tag == "a", f"skill node {attrs['data-skill']} is a <{tag}>, not a link"
            assert attrs["data-skill"] not in found, f"two nodes for {attrs['data-skill']}"
            found[attrs["data-skill"]] = attrs
    return found


def test_every_skill_has_one_node_with_a_valid_status(course, nodes):
    assert set(nodes) == {s["name"] for s in course["skills"]}
    for skill in course["skills"]:
        status = nodes[skill["name"]]["data-status"]
        assert status in STATUSES
        # before the reader has done anything: only skills without prerequisites are open
        assert status == ("locked" if skill["requires"] else "available"), skill["name"]


def test_every_node_links_to_its_lessons_built_page(site, course, nodes):
    for skill in course["skills"]:
        href = nodes[skill["name"]]["href"]
        assert not href.startswith(("/", "http:", "https:")), href  # works from file://
        target = (built_path(site, "skills.md").parent / href).resolve()
        assert target == built_path(site, skill["lesson"]).resolve(), (skill["name"], href)
        assert target.is_file()


def test_every_node_is_named_for_screen_readers(course, nodes):
    titles = {lesson["page"]: lesson["title"] for lesson in course["lessons"]}
    for skill in course["skills"]:
        label = nodes[skill["name"]]["aria-label"]
        assert skill["label"] in label and nodes[skill["name"]]["data-status"] in label
        assert titles[skill["lesson"]] in label


def test_the_status_shows_as_text_and_outline_not_only_colour(svg):
    for name, status in re.findall(r'data-skill="([^"]+)" data-status="([^"]+)"', svg):
        node = re.search(rf'data-skill="{name}".*?</a>', svg, re.S).group(0)
        visible = re.search(rf'class="skill-mark skill-mark-{status}"(?! display)', node)
        assert visible, f"{name}: the mark for {status} is hidden"
        assert f">{status}</text>" in node
        dashed = 'stroke-dasharray="5 3"' in node
        assert dashed == (status == "locked"), name


def test_each_skill_sits_below_all_its_prerequisites(course, nodes):
    y = {name: float(TRANSLATE.search(a["transform"]).group(2)) for name, a in nodes.items()}
    for skill in course["skills"]:
        for req in skill["requires"]:
            assert y[req] < y[skill["name"]], f"{skill['name']} is not below {req}"


def test_nodes_in_a_row_do_not_overlap(svg, nodes):
    width = float(re.search(r'class="skill-box"[^>]* width="([\d.]+)"', svg).group(1))
    rows: dict[float, list[float]] = {}
    for attrs in nodes.values():
        x, y = map(float, TRANSLATE.search(attrs["transform"]).groups())
        rows.setdefault(y, []).append(x)
    for xs in rows.values():
        xs.sort()
        assert all(b - a >= width for a, b in pairwise(xs)), xs


def test_the_svg_is_labelled_self_contained_and_script_free(svg):
    assert '<title id="skill-graph-title">' in svg and '<desc id="skill-graph-desc">' in svg
    assert 'aria-labelledby="skill-graph-title"' in svg
    assert "<script" not in svg.lower() and "javascript:" not in svg.lower()
    assert "<image" not in svg and "<foreignObject" not in svg and "@import" not in svg
    assert "xlink:href" not in svg
    assert re.findall(r"url\((?!#)", svg) == []  # only the arrowhead marker, inside the SVG
    hrefs = re.findall(r'href="([^"]*)"', svg)
    assert hrefs and all(not re.match(r"[a-z]+:|//", h) for h in hrefs), hrefs


def test_the_text_equivalent_lists_every_skill_by_lesson(page, course):
    match = re.search(r'<ol class="skill-list">.*?</ol>', page, re.S)
    assert match, "no text equivalent under the graph"
    listing = match.group(0)
    by_name = {s["name"]: s for s in course["skills"]}
    for skill in course["skills"]:
        item = re.search(rf'<li id="skill-{skill["name"]}" data-skill-item=.*?</li>', listing)
        assert item, f"{skill['name']} is missing from the list"
        text = text_of(item.group(0))
        assert skill["label"] in text
        assert ("(locked)" if skill["requires"] else "(available)") in text
        for req in skill["requires"]:
            assert by_name[req]["label"] in text, (skill["name"], req)
    for lesson in course["lessons"]:
        assert lesson["title"] in text_of(listing)


def test_the_course_data_for_the_browser_matches_the_skills_file(page, course):
    match = re.search(
        r'<script type="application/json" id="course-data">(.*?)</script>', page, re.S
    )
    assert match, "no course data on the skill matrix page"
    data = json.loads(match.group(1))
    assert [lesson["page"] for lesson in data["lessons"]] == [
        lesson["page"] for lesson in course["lessons"]
    ]
    assert [lesson["skills"] for lesson in data["lessons"]] == [
        lesson["skills"] for lesson in course["lessons"]
    ]
    assert {s["name"]: s["requires"] for s in data["skills"]} == {
        s["name"]: s["requires"] for s in course["skills"]
    }
    assert set(data["statuses"]) == STATUSES


def test_every_page_shows_total_xp_zero_before_any_progress(site):
    for path in sorted(site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        if "md-banner" not in page:  # redirects and fragments have no theme
            continue
        badges = re.findall(r'<span[^>]*data-xp="total"[^>]*>(.*?)</span>', page, re.S)
        assert len(badges) == 1, f"{path.name}: {len(badges)} total-XP elements"
        assert re.search(r"\b0\b", text_of(badges[0])), badges[0]


def test_the_home_page_links_both_new_pages_from_its_course_map(site):
    home = article(built_path(site, "index.md").read_text(encoding="utf-8"))
    after_map = home[home.index('id="course-map"') :]
    assert 'href="skills.html"' in after_map and 'href="velocity-hub.html"' in after_map
