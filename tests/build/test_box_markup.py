"""Golden tests of the box markup: a ``pyrun`` fence in, the exact HTML of the DOM contract out.

Each ``golden/<name>.md`` is rendered by Python-Markdown with the site's fence
(:mod:`coursekit.boxes`), its outputs filled in by running the boxes as the build does, and
compared with ``golden/<name>.html``. The runner (``web/src/box.js``) and the browser tests rely on
this markup: a change here is a change of the contract, to be made in both on purpose.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from pymdownx.superfences import SuperFencesException
from sitebuild import ROOT

from coursekit.boxes import BoxFence, fill_outputs

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(path.stem for path in GOLDEN.glob("*.md"))


def render(text: str, page: str = "page.md") -> tuple[str, BoxFence]:
    fence = BoxFence(ROOT)
    fence.start_build()
    fence.start_page(page)
    md = markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [fence.fence()]}},
    )
    html = md.convert(text)
    stand_in = SimpleNamespace(file=SimpleNamespace(src_path=page))
    return fill_outputs(html, stand_in, fence) + "\n", fence


@pytest.mark.parametrize("name", CASES)
def test_a_fence_renders_to_its_golden_markup(name):
    html, _ = render((GOLDEN / f"{name}.md").read_text(encoding="utf-8"))
    assert html == (GOLDEN / f"{name}.html").read_text(encoding="utf-8")


def test_there_are_golden_cases():
    assert {"titled", "untitled", "id-and-chart"} <= set(CASES)


def test_ids_are_fixed_when_the_fence_is_parsed():
    _, fence = render((GOLDEN / "untitled.md").read_text(encoding="utf-8"))
    assert [box.box_id for box in fence.pages["page.md"]] == ["box-1", "box-2"]
    assert fence.runnable_ids("page.md") == ["box-1"]  # the static box has no Run button


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('```pyrun title="a"\nx = 1\n```\n\n```pyrun id="a"\nx = 2\n```\n', "share the id 'a'"),
        (
            '```pyrun timeout="1"\nx = 1\n```\n',
            "page.md: pyrun box without a title: unknown option 'timeout'",
        ),
        ('```pyrun build_timeout="soon"\nx = 1\n```\n', "build_timeout must be a number"),
        ('```pyrun id="no spaces"\nx = 1\n```\n', "may hold letters, digits"),
    ],
)
def test_a_bad_fence_stops_the_build_with_a_message(text, message):
    with pytest.raises(SuperFencesException, match=re.escape(message)):
        render(text)
