"""The skill matrix: the course's skills as a layered graph, drawn as SVG at build time.

The page must read without JavaScript and from ``file://``, so the whole drawing is computed here
from ``course.yml`` and written into the page; the browser only changes each node's
``data-status`` later. The layout is the classic layered one (Sugiyama): a skill's layer is the
length of its longest prerequisite chain, so every skill sits below all of its prerequisites;
edges that skip layers get invisible waypoints, so they bend around nodes instead of crossing
them; the order within a layer is improved by barycentre sweeps, which keep the number of edge
crossings low; x positions are then pulled towards connected nodes (an isotonic regression
keeps the order and the spacing).

Statuses differ in shape and text as well as colour: a locked skill has a dashed outline, a
padlock and the word "locked"; an available one a solid outline, a ring and "available"; an
unlocked one is filled, with a check mark and "unlocked". Every node holds all three marks and CSS
shows the one matching its ``data-status``, so the browser only has to change that attribute
(and the link's ``aria-label``).
"""

from __future__ import annotations

import html
import posixpath
import textwrap
from dataclasses import dataclass, field
from itertools import pairwise

STATUSES = ("locked", "available", "unlocked")
NODE_W, LINE_H, WRAP = 128, 14, 17
LAYER_GAP = 44  # vertical room between layers, for the arrows
NODE_GAP, DUMMY_GAP = 14, 8  # horizontal room next to a node, next to a waypoint
MARGIN = 12
SWEEPS = 12


@dataclass
class Node:
    """A skill, or a waypoint (``skill`` is None) of an edge that skips layers."""

    key: str
    layer: int
    skill: dict | None = None
    x: float = 0.0
    up: list[str] = field(default_factory=list)  # neighbours one layer above
    down: list[str] = field(default_factory=list)  # neighbours one layer below

    @property
    def width(self) -> float:
        return NODE_W if self.skill else 0.0


@dataclass
class Layout:
    """Positions: ``rows`` holds each layer's node keys left to right; ``chains`` each edge."""

    nodes: dict[str, Node]
    rows: list[list[str]]
    chains: list[tuple[str, str, list[str]]]  # (prerequisite, skill, keys from one to the other)
    node_h: float
    width: float
    height: float

    def y(self, layer: int) -> float:
        """The centre line of a layer."""
        return MARGIN + self.node_h / 2 + layer * (self.node_h + LAYER_GAP)


def layers(skills: list[dict]) -> dict[str, int]:
    """Each skill's layer: 0 without prerequisites, else 1 + the deepest prerequisite's layer.

    >>> layers([{"name": "a", "requires": []}, {"name": "b", "requires": ["a"]},
    ...         {"name": "c", "requires": ["a", "b"]}])
    {'a': 0, 'b': 1, 'c': 2}
    """
    by_name = {s["name"]: s for s in skills}
    depth: dict[str, int] = {}

    def visit(name: str) -> int:
        if name not in depth:
            reqs = by_name[name].get("requires") or []
            depth[name] = 1 + max(visit(r) for r in reqs) if reqs else 0
        return depth[name]

    for skill in skills:
        visit(skill["name"])
    return {s["name"]: depth[s["name"]] for s in skills}


def wrap(label: str) -> list[str]:
    """A label in lines short enough for a node."""
    return textwrap.wrap(label, WRAP, break_on_hyphens=False) or [label]


def layout(skills: list[dict]) -> Layout:
    """Place every skill and every edge waypoint (see the module docstring)."""
    depth = layers(skills)
    nodes: dict[str, Node] = {}
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for skill in skills:  # the file's order (lesson order) is the starting order
        name = skill["name"]
        nodes[name] = Node(name, depth[name], skill)
        rows[depth[name]].append(name)
    chains = []
    for skill in skills:
        for req in skill.get("requires") or []:
            chain = [req]
            for layer in range(depth[req] + 1, depth[skill["name"]]):
                key = f"{req}>{skill['name']}@{layer}"
                nodes[key] = Node(key, layer)
                rows[layer].append(key)
                chain.append(key)
            chain.append(skill["name"])
            for a, b in pairwise(chain):
                nodes[a].down.append(b)
                nodes[b].up.append(a)
            chains.append((req, skill["name"], chain))
    rows = _order(rows, nodes)
    _place(rows, nodes)
    lines = max((len(wrap(s["label"])) for s in skills), default=1)
    node_h = 16 + LINE_H * (lines + 1)
    width = max((nodes[k].x + nodes[k].width / 2 for k in nodes), default=0) + MARGIN
    roots = [nodes[k].x for k in rows[0]] if rows else []
    if roots and sum(roots) / len(roots) > width / 2:
        # Mirror, so the first skills are on the left: where a phone shows a wide graph first.
        for n in nodes.values():
            n.x = width - n.x
        rows = [row[::-1] for row in rows]
    height = 2 * MARGIN + len(rows) * node_h + (len(rows) - 1) * LAYER_GAP
    return Layout(nodes, rows, chains, node_h, width, height)


def crossings(rows: list[list[str]], nodes: dict[str, Node]) -> int:
    """The number of pairs of edges that cross between adjacent layers."""
    total = 0
    for upper, lower in pairwise(rows):
        pos = {k: i for i, k in enumerate(lower)}
        edges = [(i, pos[d]) for i, k in enumerate(upper) for d in nodes[k].down]
        for n, (a1, b1) in enumerate(edges):
            for a2, b2 in edges[n + 1 :]:
                total += (a1 - a2) * (b1 - b2) < 0
    return total


def _order(rows: list[list[str]], nodes: dict[str, Node]) -> list[list[str]]:
    """Barycentre sweeps, down then up, keeping the order with the fewest crossings seen."""
    best, best_count = [list(r) for r in rows], crossings(rows, nodes)
    current = [list(r) for r in rows]
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        indices = range(1, len(current)) if down else range(len(current) - 2, -1, -1)
        for i in indices:
            ref = current[i - 1] if down else current[i + 1]
            pos = {k: j for j, k in enumerate(ref)}

            def centre(k: str, pos: dict = pos, down: bool = down, row: list = current[i]) -> float:
                links = nodes[k].up if down else nodes[k].down
                if not links:
                    return row.index(k) * len(pos) / max(len(row), 1)
                return sum(pos[n] for n in links) / len(links)

            current[i] = sorted(current[i], key=centre)
        count = crossings(current, nodes)
        if count < best_count:
            best, best_count = [list(r) for r in current], count
    return best


def _gap(a: Node, b: Node) -> float:
    between = NODE_GAP if a.skill and b.skill else DUMMY_GAP
    return a.width / 2 + between + b.width / 2


def _place(rows: list[list[str]], nodes: dict[str, Node]) -> None:
    """x positions: packed rows, then pulled towards their neighbours, order and gaps kept."""
    for row in rows:
        x = 0.0
        for i, k in enumerate(row):
            x += _gap(nodes[row[i - 1]], nodes[k]) if i else 0.0
            nodes[k].x = x
    widest = max(
        (nodes[r[-1]].x for r in rows if r),
        default=0.0,
    )
    for row in rows:  # centre every row on the widest one
        if row:
            shift = (widest - nodes[row[-1]].x) / 2
            for k in row:
                nodes[k].x += shift
    for sweep in range(8):
        order = rows if sweep % 2 == 0 else rows[::-1]
        for row in order:
            wanted = []
            for k in row:
                links = nodes[k].up + nodes[k].down
                n = nodes[k]
                wanted.append(sum(nodes[m].x for m in links) / len(links) if links else n.x)
            gaps = [_gap(nodes[a], nodes[b]) for a, b in pairwise(row)]
            for k, x in zip(row, _spaced(wanted, gaps), strict=True):
                nodes[k].x = x
    left = min((n.x - n.width / 2 for n in nodes.values()), default=0.0)
    for n in nodes.values():
        n.x += MARGIN - left


def _spaced(wanted: list[float], gaps: list[float]) -> list[float]:
    """The positions closest to ``wanted`` (least squares) with x[i+1] - x[i] >= gaps[i].

    Subtracting the cumulative gaps turns this into isotonic regression, solved by pooling
    adjacent violators.

    >>> _spaced([0, 0, 10], [4, 4])
    [-2.0, 2.0, 10.0]
    """
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    values = [w - o for w, o in zip(wanted, offsets, strict=True)]
    blocks: list[list[float]] = []  # [mean, size]
    for v in values:
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, n2 = blocks.pop()
            m1, n1 = blocks.pop()
            blocks.append([(m1 * n1 + m2 * n2) / (n1 + n2), n1 + n2])
    fitted = [m for m, n in blocks for _ in range(int(n))]
    return [float(f + o) for f, o in zip(fitted, offsets, strict=True)]


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------

GLYPHS = {
    # a padlock: shackle and body
    "locked": '<path d="M3.5,6 v-2.5 a3.5,3.5 0 0 1 7,0 v2.5" fill="none"/>'
    '<rect x="2" y="6" width="10" height="7" rx="1" stroke="none" fill="currentColor"/>',
    # an open ring: ready to start
    "available": '<circle cx="7" cy="8" r="4" fill="none"/>',
    # a check mark
    "unlocked": '<path d="M2.5,8 l3,3 l6,-7" fill="none"/>',
}


def page_url(src: str, use_directory_urls: bool) -> str:
    """The URL of the page written as docs/``src``, relative to the site root."""
    stem = src.removesuffix(".md")
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(target: str, current: str, use_directory_urls: bool) -> str:
    """A link from page ``current`` to page ``target`` (both sources under docs/).

    With directory URLs off (the offline build) this ends in ``.html``, which ``file://`` needs.

    >>> relative_url("lessons/batch.md", "skills.md", False)
    'lessons/batch.html'
    >>> relative_url("index.md", "lessons/ai.md", False)
    '../index.html'
    """
    here = posixpath.dirname(page_url(current, use_directory_urls).rstrip("/") + "x")
    there = page_url(target, use_directory_urls)
    rel = posixpath.relpath(there or ".", here or ".")
    if there.endswith("/") or not there:
        rel = rel.rstrip("/") + "/"
    return rel


def initial_status(skill: dict) -> str:
    """The status before the reader has done anything: no prerequisites means available."""
    return "locked" if skill.get("requires") else "available"


def lesson_numbers(course: dict) -> dict[str, tuple[int, str]]:
    return {
        lesson["page"]: (i, lesson["title"]) for i, lesson in enumerate(course["lessons"], start=1)
    }


def aria_label(skill: dict, status: str, lessons: dict[str, tuple[int, str]]) -> str:
    number, title = lessons[skill["lesson"]]
    # Starts with the visible text (name, then status) so speech input finds it by what it shows.
    return f"{skill['label']} {status}. Lesson {number}: {title}"


def render_graph(course: dict, current: str, use_directory_urls: bool) -> str:
    """The skill graph: an SVG of the arrows, with the skills as HTML links laid over it.

    The nodes are HTML links rather than SVG ``<a>`` elements because Material's instant
    navigation handles every ``a`` on the page as an HTML link (it reads and writes ``a.href``,
    a read-only object on SVG links), which throws on SVG links; HTML links also get the
    browser's usual focus, hover and screen-reader behaviour. The SVG keeps what is a picture:
    the arrows, with ``role="img"``, a title and a description.
    """
    skills = course["skills"]
    lay = layout(skills)
    lessons = lesson_numbers(course)
    w, h = round(lay.width), round(lay.height)
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="skill-edges" viewBox="0 0 {w} {h}" '
        f'width="{w}" height="{h}" role="img" aria-labelledby="skill-graph-title" '
        'aria-describedby="skill-graph-desc">',
        '<title id="skill-graph-title">Skill matrix: the course\'s skills and their '
        "prerequisites</title>",
        '<desc id="skill-graph-desc">Arrows point from each prerequisite to the skill that needs '
        "it, so every skill sits below all of its prerequisites. Each skill is a link to the "
        "lesson that teaches it; the list after the graph gives the same information as "
        "text.</desc>",
        '<defs><marker id="skill-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto">'
        '<path class="skill-arrowhead" d="M0,1 L9,5 L0,9 z" fill="currentColor"/>'
        "</marker></defs>",
    ]
    svg += [_edge(req, name, chain) for req, name, chain in _attached(lay)]
    svg.append("</svg>")
    reading_order = sorted(
        (n for n in lay.nodes.values() if n.skill), key=lambda n: (n.layer, n.x)
    )  # keyboard focus moves row by row, left to right
    links = [
        _node(node, lay.y(node.layer), lay.node_h, current, use_directory_urls, lessons)
        for node in reading_order
    ]
    return (
        f'<div class="skill-graph-canvas" style="width:{w}px;height:{h}px">'
        + "".join(svg)
        + '<nav class="skill-nodes" aria-label="Skills">'
        + "".join(links)
        + "</nav></div>"
    )


def _attached(lay: Layout) -> list[tuple[str, str, list[tuple[float, float]]]]:
    """Each edge as points, its ends spread along the nodes' edges so arrows stay apart."""
    starts: dict[str, list[tuple[float, int]]] = {}
    ends: dict[str, list[tuple[float, int]]] = {}
    for i, (req, name, chain) in enumerate(lay.chains):
        starts.setdefault(req, []).append((lay.nodes[chain[1]].x, i))
        ends.setdefault(name, []).append((lay.nodes[chain[-2]].x, i))
    start_x, end_x = {}, {}
    for table, out in ((starts, start_x), (ends, end_x)):
        for key, items in table.items():
            items.sort()
            span = NODE_W * 0.7
            for j, (_, i) in enumerate(items):
                out[i] = lay.nodes[key].x - span / 2 + span * (j + 1) / (len(items) + 1)
    result = []
    half = lay.node_h / 2
    for i, (req, name, chain) in enumerate(lay.chains):
        top = lay.nodes[req]
        points = [(start_x[i], lay.y(top.layer) + half)]
        for key in chain[1:-1]:
            n = lay.nodes[key]
            points += [(n.x, lay.y(n.layer) - half), (n.x, lay.y(n.layer) + half)]
        bottom = lay.nodes[name]
        points.append((end_x[i], lay.y(bottom.layer) - half - 2))
        result.append((req, name, points))
    return result


def _edge(req: str, name: str, points: list[tuple[float, float]]) -> str:
    d = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for (x0, y0), (x1, y1) in pairwise(points):
        if x0 == x1:  # straight down through a waypoint's layer
            d.append(f"V{y1:.1f}")
        else:
            m = (y0 + y1) / 2
            d.append(f"C{x0:.1f},{m:.1f} {x1:.1f},{m:.1f} {x1:.1f},{y1:.1f}")
    return (
        f'<path class="skill-edge" data-from="{html.escape(req)}" data-to="{html.escape(name)}" '
        f'd="{" ".join(d)}" fill="none" stroke="currentColor" stroke-opacity="0.45" '
        'marker-end="url(#skill-arrow)"/>'
    )


def _node(
    node: Node,
    y: float,
    h: float,
    current: str,
    use_directory_urls: bool,
    lessons: dict[str, tuple[int, str]],
) -> str:
    skill = node.skill
    assert skill is not None
    status = initial_status(skill)
    # Spaces where lines and parts meet, so the text reads as words ("Event time available").
    lines = " <br>".join(html.escape(line) for line in wrap(skill["label"]))
    marks = "".join(
        f'<span class="skill-mark skill-mark-{state}" aria-hidden="true">'
        f'<svg class="skill-glyph" viewBox="0 0 14 14" width="14" height="14" '
        f'stroke="currentColor" stroke-width="1.6">{GLYPHS[state]}</svg>{state}</span>'
        for state in STATUSES
    )
    attrs = {
        "class": "skill-node",
        "href": relative_url(skill["lesson"], current, use_directory_urls),
        "data-skill": skill["name"],
        "data-status": status,
        "data-lesson": skill["lesson"],
        "data-requires": " ".join(skill.get("requires") or []),
        "data-layer": str(node.layer),
        "aria-label": aria_label(skill, status, lessons),
        "style": (
            f"left:{node.x - NODE_W / 2:.0f}px;top:{y - h / 2:.0f}px;"
            f"width:{NODE_W}px;height:{h:.0f}px"
        ),
    }
    attr_text = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f'<a {attr_text}><span class="skill-name">{lines}</span> {marks}</a>'


# ---------------------------------------------------------------------------------------------
# The text equivalent
# ---------------------------------------------------------------------------------------------


def render_list(course: dict, current: str, use_directory_urls: bool) -> str:
    """The same graph as text: lessons in order, each skill with its status and prerequisites."""
    by_name = {s["name"]: s for s in course["skills"]}
    out = ['<ol class="skill-list">']
    for lesson in course["lessons"]:
        href = relative_url(lesson["page"], current, use_directory_urls)
        out.append(f'<li><a href="{html.escape(href)}">{html.escape(lesson["title"])}</a><ul>')
        for name in lesson["skills"]:
            skill = by_name[name]
            status = initial_status(skill)
            reqs = skill.get("requires") or []
            needs = (
                "needs "
                + ", ".join(
                    f'<a href="#skill-{r}">{html.escape(by_name[r]["label"])}</a>' for r in reqs
                )
                if reqs
                else "no prerequisites"
            )
            out.append(
                f'<li id="skill-{html.escape(name)}" data-skill-item="{html.escape(name)}" '
                f'data-status="{status}"><strong>{html.escape(skill["label"])}</strong> '
                f'(<span class="skill-item-status">{status}</span>): {needs}</li>'
            )
        out.append("</ul></li>")
    out.append("</ol>")
    return "\n".join(out)
