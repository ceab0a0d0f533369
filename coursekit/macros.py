"""Build-time macros for the Markdown pages (rendered by mkdocs-macros-plugin): the one place.

The course plugin registers them (:func:`macros`); pages call:

* ``{{ course_map() }}``: the lessons in order with the skills each teaches (home page);
* ``{{ continue_learning() }}``: the card at the end of a lesson: the next lesson and the skills it
  unlocks, from ``course.yml``;
* ``{{ api_reference() }}``: the public API of ``simulations``, from its signatures and docstrings;
* ``{{ skill_matrix() }}`` and ``{{ skill_list() }}``: the skill graph as SVG and its text
  equivalent (drawn by :mod:`coursekit.skill_graph`);
* ``{% call on_a_real_engine("box-id") %}`` a box ``{% endcall %}``: the box in a tab, and
  beside it the same job as an Apache Beam pipeline (:mod:`coursekit.twin_tab`);
* ``{{ velocity_controls() }}``, ``{{ velocity_output() }}`` and ``{{ velocity_box() }}``: the
  Velocity Hub's dials, its figures pre-rendered with ``simulations.compare`` and its code box
  (:mod:`coursekit.velocity_hub`).
"""

from __future__ import annotations

import html
import importlib
import inspect
import posixpath
import re
import sys
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from pathlib import Path

from . import skill_graph, twin_tab, velocity_hub
from .rebuild import fresh_simulations

# Modules of `simulations` in teaching order; any other public module follows, sorted.
MODULE_ORDER = (
    "events",
    "stats",
    "windows",
    "batch",
    "stream",
    "triggers",
    "trigger_specs",
    "watermarks",
    "dataflow",
    "book",
    "recovery",
    "joins",
    "changelog",
    "lambda_arch",
    "kappa",
    "ml",
    "training",
    "hub",
    "panel",
    "charts",
    "diagrams",
    "display",
)


# ---------------------------------------------------------------------------------------------
# The course map and "Continue learning"
# ---------------------------------------------------------------------------------------------


def relative_link(target: str, current: str) -> str:
    """A Markdown link target from page ``current`` to page ``target`` (both under docs/)."""
    return posixpath.relpath(target, posixpath.dirname(current) or ".")


def skill_chips(names: list[str], by_name: dict) -> str:
    chips = "".join(
        f'<li class="skill-chip">{html.escape(by_name[name]["label"])}</li>' for name in names
    )
    return f'<ul class="skill-chips">{chips}</ul>'


def render_continue(course: dict, current: str) -> str:
    """The "Continue learning" section for the lesson at ``current``."""
    lessons = course["lessons"]
    by_name = {skill["name"]: skill for skill in course["skills"]}
    index = next((i for i, lesson in enumerate(lessons) if lesson["page"] == current), None)
    if index is None:
        raise ValueError(
            f"continue_learning(): {current} is not a lesson in course.yml: add it under "
            "lessons there, or remove the call"
        )
    lesson = lessons[index]
    parts = [
        "## Continue learning",
        "",
        '<div class="continue-learning" markdown>',
        "",
        "**Skills from this lesson**",
        "",
        skill_chips(lesson["skills"], by_name),
        "",
    ]
    if index + 1 < len(lessons):
        nxt = lessons[index + 1]
        unlocked = nxt["skills"]
        parts += [
            f"**Next: lesson {index + 2} of {len(lessons)}** · "
            f"[{nxt['title']}]({relative_link(nxt['page'], current)})",
            "",
            html.escape(nxt["summary"]),
            "",
            "**Skills it unlocks**",
            "",
            skill_chips(unlocked, by_name),
            "",
        ]
    else:
        parts += [
            "**You have reached the end of the course.** Revisit the "
            f"[course map]({relative_link(lessons[0]['page'], current)}), test yourself in the "
            f"[FAQ]({relative_link('faq.md', current)}) or browse the "
            f"[glossary]({relative_link('glossary.md', current)}).",
            "",
        ]
    parts.append("</div>")
    return "\n".join(parts) + "\n"


def render_course_map(course: dict, current: str) -> str:
    """The lessons in order, each with its link, what it covers and the skills it teaches."""
    by_name = {skill["name"]: skill for skill in course["skills"]}
    items = []
    for lesson in course["lessons"]:
        if lesson["page"] == current:
            link = f"**{lesson['title']}** (this page)"
        else:
            link = f"**[{lesson['title']}]({relative_link(lesson['page'], current)})**"
        chips = "".join(
            f'<span class="skill-chip">{html.escape(by_name[name]["label"])}</span>'
            for name in lesson["skills"]
        )
        items.append(
            f"1. {link}: {lesson['summary']}\n"
            f'   <span class="skill-chips" aria-label="Skills">{chips}</span>'
        )
    return '<div class="course-map" markdown>\n\n' + "\n".join(items) + "\n\n</div>\n"


# ---------------------------------------------------------------------------------------------
# The API reference of `simulations`
# ---------------------------------------------------------------------------------------------

ROLE = re.compile(r":(?:mod|func|class|data|meth|attr|obj):`~?([^`]+)`")
DOUBLE_TICKS = re.compile(r"``([^`]+)``")


def docstring_markdown(doc: str | None) -> str:
    """Turn a docstring (reST-flavoured, with doctest examples) into Markdown."""
    if not doc:
        return ""
    text = inspect.cleandoc(doc)
    text = ROLE.sub(r"`\1`", text)
    text = DOUBLE_TICKS.sub(r"`\1`", text)
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>>"):
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i].strip() if lines[i].lstrip().startswith(">>>") else lines[i])
                i += 1
            out += ["", "```pycon", *block, "```", ""]
            continue
        if line.rstrip().endswith("::") and i + 1 < len(lines):
            out.append(line.rstrip()[:-1])
            i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i])
                i += 1
            out += ["", "```text", *inspect.cleandoc("\n".join(block)).splitlines(), "```", ""]
            continue
        out.append(line.replace("<", "&lt;") if not line.startswith("    ") else line)
        i += 1
    return "\n".join(out).strip() + "\n"


def signature_block(name: str, obj: object) -> str:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = _params(sig)
    if inspect.isclass(obj) or sig.return_annotation is inspect.Signature.empty:
        ret = ""
    else:
        ret = f" -> {_annotation(sig.return_annotation)}"
    one_line = f"{name}({', '.join(params)}){ret}"
    if len(one_line) <= 90:
        code = one_line
    else:
        code = f"{name}(\n" + "".join(f"    {p},\n" for p in params) + f"){ret}"
    return f"```python\n{code}\n```\n"


def _annotation(ann: object) -> str:
    """An annotation as written in the source (they are strings under postponed evaluation)."""
    return ann if isinstance(ann, str) else inspect.formatannotation(ann)


def _params(sig: inspect.Signature) -> list[str]:
    """Parameters as the source spells them: ``name: type = default``, with ``*`` and ``/``."""
    P = inspect.Parameter
    out: list[str] = []
    kinds = [p.kind for p in sig.parameters.values()]
    for i, p in enumerate(sig.parameters.values()):
        if p.kind is P.KEYWORD_ONLY and P.VAR_POSITIONAL not in kinds and "*" not in out:
            out.append("*")
        text = {P.VAR_POSITIONAL: "*", P.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        if p.annotation is not P.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not P.empty:
            text += (" = " if p.annotation is not P.empty else "=") + repr(p.default)
        out.append(text)
        if p.kind is P.POSITIONAL_ONLY and (i + 1 == len(kinds) or kinds[i + 1] is not p.kind):
            out.append("/")
    return out


def _members(cls: type) -> list[tuple[str, object]]:
    """Public methods and properties defined on ``cls`` itself, in source order."""
    out = []
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property) or inspect.isfunction(value):
            out.append((name, value))
        elif isinstance(value, (staticmethod, classmethod)):
            out.append((name, value.__func__))
    return out


def render_object(name: str, obj: object) -> list[str]:
    kind = "class" if inspect.isclass(obj) else "function"
    parts = [f"### `{name}` {{ #{name.lower()} }}", "", f"*{kind}*", ""]
    parts.append(signature_block(name, obj))
    parts.append(docstring_markdown(inspect.getdoc(obj) if kind == "function" else obj.__doc__))
    if inspect.isclass(obj):
        if is_dataclass(obj):
            rows = ["| Field | Type |", "|---|---|"]
            for f in fields(obj):
                if f.name.startswith("_"):
                    continue
                typ = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", f.type)
                rows.append(f"| `{f.name}` | `{typ}` |")
            if len(rows) > 2:
                parts += ["", *rows, ""]
        for member, value in _members(obj):
            if isinstance(value, property):
                parts += [f"#### `{name}.{member}` {{ #{name.lower()}-{member.lower()} }}", ""]
                parts.append("*property*\n")
                parts.append(docstring_markdown(value.__doc__))
            else:
                parts += [f"#### `{name}.{member}()` {{ #{name.lower()}-{member.lower()} }}", ""]
                parts.append(
                    signature_block(member, value).replace("(self, ", "(").replace("(self)", "()")
                )
                parts.append(docstring_markdown(value.__doc__))
    return parts


def _source_line(obj: object) -> int:
    """Where ``obj`` is defined in its module, so the reference follows the source's order."""
    try:
        return inspect.getsourcelines(obj)[1]
    except (OSError, TypeError):
        return 0


def load_simulations(root: Path):
    """`simulations` from the project at ``root``, as this build imported it.

    The plugin imports it afresh before each build (:func:`~coursekit.rebuild.fresh_simulations`),
    so `mkdocs serve` sees edits; importing it again here, mid-build, would leave the twins of
    the next build holding the objects of an older import.
    """
    return sys.modules.get("simulations") or fresh_simulations(root)


def render_api_reference(root: Path) -> str:
    package = load_simulations(root)
    names = getattr(package, "__all__", None) or [n for n in vars(package) if not n.startswith("_")]
    groups: dict[str, list[tuple[str, object]]] = {}
    for name in names:
        obj = getattr(package, name)
        module = getattr(obj, "__module__", "") or ""
        if not module.startswith("simulations.") or not (inspect.isclass(obj) or callable(obj)):
            continue
        short = module.split(".", 1)[1]
        if short.startswith("_"):
            continue
        groups.setdefault(short, []).append((name, obj))
    for members in groups.values():
        members.sort(key=lambda item: _source_line(item[1]))
    order = [m for m in MODULE_ORDER if m in groups] + sorted(set(groups) - set(MODULE_ORDER))
    parts: list[str] = []
    for short in order:
        module = importlib.import_module(f"simulations.{short}")
        parts += [f"## `simulations.{short}` {{ #mod-{short.replace('_', '-')} }}", ""]
        summary = (inspect.getdoc(module) or "").split("\n\n")
        if summary[0]:
            parts += [docstring_markdown("\n\n".join(summary[:2])), ""]
        for name, obj in groups[short]:
            parts += render_object(name, obj)
            parts.append("")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# The Velocity Hub
# ---------------------------------------------------------------------------------------------


def render_velocity(part: str, root: Path) -> str:
    """One part of the Velocity Hub page: "controls", "output" or "box"."""
    compare = load_simulations(root).compare
    values = velocity_hub.defaults(compare)
    if part == "controls":
        return velocity_hub.render_controls(values)
    if part == "output":
        return velocity_hub.render_output(compare(), values)
    return velocity_hub.render_box(values)


# ---------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------


def macros(
    course: dict,
    root: Path,
    page: Callable[[], str],
    directory_urls: bool,
    twin_jobs: dict | None = None,
) -> dict:
    """The course's macros, for mkdocs-macros' ``register_macros``.

    ``course`` is the parsed course file, ``root`` the project folder, ``page()`` the source path
    of the page being rendered and ``directory_urls`` the site's ``use_directory_urls``.
    ``twin_jobs`` holds the real-engine twins of each page, found by the plugin's ``on_files``.
    """

    def course_map() -> str:
        """The course map: every lesson in order with its skills."""
        return render_course_map(course, page())

    def continue_learning() -> str:
        """The "Continue learning" card for the current lesson."""
        return render_continue(course, page())

    def api_reference() -> str:
        """The public API of `simulations`, grouped by module."""
        return render_api_reference(root)

    def skill_matrix() -> str:
        """The skill graph: arrows drawn in SVG, skills as links to their lessons."""
        drawing = skill_graph.render_graph(course, page(), directory_urls)
        return (
            f'<div class="skill-graph">{drawing}</div>'
            '<p class="skill-graph-hint">On a narrow screen, scroll the graph sideways, or read '
            "the list of skills by lesson below.</p>"
        )

    def skill_list() -> str:
        """The skill graph as text: skills by lesson, with status and prerequisites."""
        return skill_graph.render_list(course, page(), directory_urls)

    def velocity_controls() -> str:
        """The Velocity Hub's labelled sliders, at compare()'s defaults."""
        return render_velocity("controls", root)

    def velocity_output() -> str:
        """The Velocity Hub's figures and chart for the default setting, computed now."""
        return render_velocity("output", root)

    def velocity_box() -> str:
        """A code box holding the default setting as a call to compare()."""
        return render_velocity("box", root)

    def on_a_real_engine(box: str, caller: Callable[[], str]) -> str:
        """Tabs around a box: the box, and the same job as an Apache Beam pipeline."""
        body = caller()
        job = (twin_jobs or {}).get(page(), {}).get(box) or twin_tab.twin_job(box, body)
        return twin_tab.render(box, body, job, page(), directory_urls)

    return {
        f.__name__: f
        for f in (
            on_a_real_engine,
            course_map,
            continue_learning,
            api_reference,
            skill_matrix,
            skill_list,
            velocity_controls,
            velocity_output,
            velocity_box,
        )
    }
