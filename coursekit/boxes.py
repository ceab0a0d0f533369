"""Code-preview boxes: the one Markdown syntax for a runnable box, and its build-time output.

A contributor writes a fenced block with the language ``pyrun``::

    ```pyrun title="stream-logic"
    from simulations import generate_stream, run_stream
    print(run_stream(generate_stream(seed=1)).panel())
    ```

At build time this hook runs the code with the same harness the browser uses
(:mod:`simulations._box`), in a separate CPython process with a time limit, and writes the output
(and any chart) into the page. Every box therefore reads without JavaScript and from ``file://``;
the live runner in ``overrides/runner/`` later takes over the same element. A box that raises or
runs too long fails the build, naming the page and the box.

Options (all optional): ``title`` (shown in the mock address bar, default ``box-N``), ``id``
(the key under which a reader's edits are saved; default: the title), ``timeout`` (seconds, default
10) and ``static="1"`` (no Run button; output still pre-rendered).
"""

from __future__ import annotations

import hashlib
import html
import json
import mimetypes
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

FENCE = "pyrun"
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT = 10.0
OPTIONS = {"title", "id", "timeout", "static"}
PLACEHOLDER = re.compile(r"<!--code-preview:([0-9a-f]{16})-->")
BOX_ID = re.compile(r'(?P<head><div class="code-preview" [^>]*?)data-box="(?P<id>[^"]*)"')
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")

# Python 3.11's table lacks .mjs; `mkdocs serve` must send Pyodide's modules as JavaScript.
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("application/wasm", ".wasm")


@dataclass(frozen=True, slots=True)
class Box:
    """One box as written in Markdown."""

    code: str
    title: str
    timeout: float


_boxes: dict[str, Box] = {}
_results: dict[str, dict] = {}


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def _simulations_digest() -> str:
    """A digest of the package's source: a box's cached output is stale once it changes."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "simulations").rglob("*.py")):
        h.update(path.relative_to(ROOT).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# The fence: Markdown -> HTML with a placeholder for the output
# ---------------------------------------------------------------------------------------------


def validate(language, inputs, options, attrs, md) -> bool:
    """Accept ``title``, ``id``, ``timeout`` and ``static``; refuse anything else loudly."""
    unknown = set(inputs) - OPTIONS
    if unknown:
        raise SuperFencesException(
            f"pyrun box: unknown option(s) {sorted(unknown)}; accepted: {sorted(OPTIONS)}"
        )
    if "id" in inputs and not ID_PATTERN.match(inputs["id"]):
        raise SuperFencesException(
            f"pyrun box: id {inputs['id']!r} may hold letters, digits, . _ / - only"
        )
    if "timeout" in inputs:
        try:
            if float(inputs["timeout"]) <= 0:
                raise ValueError
        except ValueError:
            raise SuperFencesException(
                f"pyrun box: timeout must be a number of seconds > 0, got {inputs['timeout']!r}"
            ) from None
    options.update(inputs)
    return True


def format_box(src, language, class_name, options, md, **kwargs) -> str:
    """Render the box: mock address bar, highlighted code, and the output area (a placeholder)."""
    code = src if src.endswith("\n") else src + "\n"
    title = options.get("title") or ""
    timeout = float(options.get("timeout") or DEFAULT_TIMEOUT)
    key = _digest(code, title, str(timeout))
    _boxes[key] = Box(code=code, title=title, timeout=timeout)

    highlight = md.preprocessors["fenced_code_block"].extension.superfences[0]["formatter"]
    source = highlight(
        src=code.rstrip("\n"),
        class_name="highlight",
        language="python",
        md=md,
        options={},
        classes=[],
        id_value="",
        attrs={},
    )
    attrs = {
        "class": "code-preview",
        "data-state": "prerendered",
        "data-title": title,
        "data-box": options.get("id") or title,
    }
    if options.get("static"):
        attrs["data-static"] = ""
    attr_text = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    label = html.escape(f"localhost:3000/{title}" if title else "localhost:3000")
    return (
        f"<div {attr_text}>"
        '<div class="code-preview-bar">'
        '<span class="code-preview-dots" aria-hidden="true"></span>'
        f'<span class="code-preview-url">{label}</span>'
        "</div>"
        f'<div class="code-preview-source">{source}</div>'
        '<div class="code-preview-panel" data-search-exclude>'
        '<div class="code-preview-head"><span class="code-preview-heading">Execution Output</span>'
        '<span class="code-preview-status">Status: <span class="code-preview-state">'
        "Pre-rendered at build time</span></span></div>"
        f"<!--code-preview:{key}-->"
        "</div></div>"
    )


# ---------------------------------------------------------------------------------------------
# Build-time execution
# ---------------------------------------------------------------------------------------------


def run_box(box: Box) -> dict:
    """Run one box in a fresh CPython process with the box harness; return its result dict."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from simulations._box import main; main()",
            str(ROOT),
        ],
        input=box.code,
        capture_output=True,
        text=True,
        timeout=box.timeout,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"the harness exited with {proc.returncode}")
    return json.loads(proc.stdout)


def _output_html(result: dict) -> str:
    charts = "".join(
        f'<figure class="code-preview-chart">{chart["svg"]}</figure>' for chart in result["charts"]
    )
    return (
        '<pre class="code-preview-output" aria-live="polite" tabindex="0">'
        f"{html.escape(result['output'])}</pre>"
        f'<div class="code-preview-charts">{charts}</div>'
    )


def on_config(config, **kwargs):
    """Register the ``pyrun`` fence with pymdownx.superfences."""
    mdx = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = [f for f in mdx.get("custom_fences", []) if f.get("name") != FENCE]
    fences.append(
        {"name": FENCE, "class": "code-preview", "validator": validate, "format": format_box}
    )
    mdx["custom_fences"] = fences
    if "pymdownx.superfences" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.superfences")
    return config


_sim_digest = ""


def on_pre_build(config, **kwargs):
    global _sim_digest
    _sim_digest = _simulations_digest()


def on_page_content(html_text: str, page, config, files):
    """Replace each box's placeholder with the output of running it."""
    seen: set[str] = set()

    def name_box(match: re.Match) -> str:
        box_id = match.group("id") or f"box-{len(seen) + 1}"
        if box_id in seen:
            raise PluginError(
                f"{page.file.src_path}: two boxes share the id {box_id!r}; give each a title or id"
            )
        seen.add(box_id)
        return f'{match.group("head")}data-box="{box_id}"'

    html_text = BOX_ID.sub(name_box, html_text)

    count = 0

    def fill(match: re.Match) -> str:
        nonlocal count
        count += 1
        key = match.group(1)
        box = _boxes[key]
        name = box.title or f"box {count}"
        cache_key = key + _sim_digest
        if cache_key not in _results:
            try:
                result = run_box(box)
            except subprocess.TimeoutExpired:
                raise PluginError(
                    f"{page.file.src_path}: code box {name!r} ran past its {box.timeout:g} s limit"
                ) from None
            except Exception as exc:
                raise PluginError(
                    f"{page.file.src_path}: code box {name!r} failed: {exc}"
                ) from None
            if not result["ok"]:
                raise PluginError(
                    f"{page.file.src_path}: code box {name!r} raised an error:\n{result['error']}"
                )
            _results[cache_key] = result
        return _output_html(_results[cache_key])

    return PLACEHOLDER.sub(fill, html_text)
