"""The skill matrix page, the course data for the browser and the XP placeholder, as built."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitebuild import ROOT, article, built_path, text_of

STATUSES = {"locked", "available", "unlocked"}
BOX = re.compile(r"left:([-\d.]+)px;top:([-\d.]+)px;width:([\d.]+)px;height:([\d.]+)px")


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
def graph(page: str) -> str:
    match = re.search(r'<div class="skill-graph">(.*?)</nav></div></div>', page, re.S)
    assert match, "no skill graph on the skill matrix page"
    return match.group(1)


@pytest.fixture(scope="module")
def svg(graph: str) -> str:
    match = re.search(r"<svg\b.*?</svg>", graph, re.S)
    assert match, "the skill graph has no SVG"
    return match.group(0)


@pytest.fixture(scope="module")
def nodes(graph: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for tag, attrs in elements(graph):
        if "data-skill" in attrs:
            assert tag == "a", f"skill node {attrs['data-skill']} is a <{tag}>, not a link"
            assert attrs["data-skill"] not in found, f"two nodes for {attrs['data-skill']}"
            found[attrs["data-skill"]] = attrs
    return found


def box(attrs: dict[str, str]) -> tuple[float, float, float, float]:
    """A node's left, top, width and height in pixels."""
    return tuple(map(float, BOX.search(attrs["style"]).groups()))


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


def test_the_status_shows_as_text_and_outline_not_only_colour(graph, nodes):
    for name in nodes:
        node = re.search(rf'data-skill="{name}".*?</a>', graph, re.S).group(0)
        for status in STATUSES:  # every mark is there; the stylesheet shows the current one
            assert re.search(rf'class="skill-mark skill-mark-{status}".*?{status}</span>', node)
    css = (ROOT / "overrides/assets/stylesheets/course.css").read_text(encoding="utf-8")
    for status in STATUSES:
        assert f'[data-status="{status}"] .skill-mark-{status}' in css
    locked = re.search(r'a\.skill-node\[data-status="locked"\] \{[^}]*\}', css).group(0)
    assert "border-style: dashed" in locked
    unlocked = re.search(r'a\.skill-node\[data-status="unlocked"\] \{[^}]*\}', css).group(0)
    assert "background:" in unlocked


def test_each_skill_sits_below_all_its_prerequisites(course, nodes):
    for skill in course["skills"]:
        _, top, _, _ = box(nodes[skill["name"]])
        for req in skill["requires"]:
            _, req_top, _, req_height = box(nodes[req])
            assert req_top + req_height < top, f"{skill['name']} is not below {req}"


def test_nodes_do_not_overlap(nodes):
    boxes = sorted(box(attrs) for attrs in nodes.values())
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            apart = x2 >= x1 + w1 or x1 >= x2 + w2 or y2 >= y1 + h1 or y1 >= y2 + h2
            assert apart, ((x1, y1), (x2, y2))


def test_the_graph_is_labelled_self_contained_and_script_free(graph, svg):
    assert 'role="img"' in svg.split(">", 1)[0]
    assert '<title id="skill-graph-title">' in svg and '<desc id="skill-graph-desc">' in svg
    assert 'aria-labelledby="skill-graph-title"' in svg
    assert "<script" not in graph.lower() and "javascript:" not in graph.lower()
    assert "<image" not in graph and "<foreignObject" not in graph and "@import" not in graph
    assert "href" not in svg  # the links are HTML, over the drawing
    assert re.findall(r"url\((?!#)", graph) == []  # only the arrowhead marker, inside the SVG
    hrefs = re.findall(r'href="([^"]*)"', graph)
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


def test_the_course_data_for_the_browser_matches_the_skills_file(site, course):
    script = (site / "assets/javascripts/course-data.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"window\.courseData=(.*);\n", script, re.S)
    assert match, "course-data.js does not set window.courseData"
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
