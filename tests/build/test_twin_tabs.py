"""The "On a real engine" tabs: one per twin, beside its box, showing the pipeline file as it is.

A tab is plain HTML and CSS (Material's content tabs), so what is checked here is what a reader
without JavaScript, or offline, gets: the labels, the box in the first tab, the pipeline's source
in the second, and download links that resolve inside the site to the very files.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

import pytest
from sitebuild import article, built_path

from coursekit.twin_tab import calls, twin_job
from coursekit.twins import ENGINES, FENCE_CODE, PIPELINES, TWINS, run_box

DOCS = Path(__file__).resolve().parents[2] / "docs"
TABS = re.compile(r'<div class="tabbed-set.*?(?=<div class="tabbed-set|</article>)', re.S)


def tab_set(site: Path, page: str, box: str) -> str:
    found = TABS.findall(article(built_path(site, page).read_text()))
    sets = [s for s in found if f'data-box="{box}"' in s]
    assert len(sets) == 1, f"{page}: box {box!r} is in {len(sets)} tab sets, not 1"
    return sets[0]


def code_text(fragment: str, filename: str) -> str:
    m = re.search(
        rf'<span class="filename">{re.escape(filename)}</span><pre>.*?<code>(.*?)</code></pre>',
        fragment,
        re.S,
    )
    assert m, f"no code block titled {filename}"
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: t.box)
def test_each_twin_box_has_its_tab(site, twin):
    tabs = tab_set(site, twin.page, twin.box)
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", tabs)
    assert labels[:2] == ["Simulation", "On a real engine"]
    first, second = tabs.index('data-box="'), tabs.index(f">{twin.pipeline}</span>")
    assert first < second, "the box comes first, the pipeline in the second tab"


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: t.box)
def test_tab_code_is_the_pipeline_file(site, twin):
    shown = code_text(tab_set(site, twin.page, twin.box), twin.pipeline)
    assert shown.rstrip("\n") == (PIPELINES / twin.pipeline).read_text().rstrip("\n")


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: t.box)
def test_downloads_resolve_inside_the_site(site, twin):
    tabs = tab_set(site, twin.page, twin.box)
    page_dir = built_path(site, twin.page).parent
    links = re.findall(r'<a download href="([^"]+)"', tabs)
    assert len(links) == 2, links
    files = [Path(posixpath.normpath(page_dir / link)) for link in links]
    pipeline, events = files
    assert pipeline.read_bytes() == (PIPELINES / twin.pipeline).read_bytes()
    rows = [json.loads(line) for line in events.read_text().splitlines()]
    fields = {"key", "value", "event_time", "arrival_time"} | ({"side"} if twin.join else set())
    assert rows and all(set(row) == fields for row in rows)
    if twin.join:  # both inputs of the join, in one file
        assert {row["side"] for row in rows} == {"left", "right"}
    assert events.name == f"{twin.box}.jsonl"
    assert all(site.resolve() in f.resolve().parents for f in files), "links leave the site"


WITH_FLINK = [t for t in TWINS if t.flink]


@pytest.mark.parametrize("twin", WITH_FLINK, ids=lambda t: t.box)
def test_flink_reference_tab_shows_the_sql_file_and_links_flink(site, twin):
    tabs = tab_set(site, twin.page, twin.box)
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", tabs)
    assert "Flink SQL (reference)" in labels
    name = posixpath.basename(twin.flink)
    shown = code_text(tabs, name)
    assert shown.rstrip("\n") == (ENGINES / twin.flink).read_text().rstrip("\n")
    docs = "https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/table/sql/queries/"
    assert f'href="{docs}{"joins/#interval-joins" if twin.join else "window-tvf/"}"' in tabs


@pytest.mark.parametrize("twin", [t for t in WITH_FLINK if t.join], ids=lambda t: t.box)
def test_flink_join_tab_lays_out_both_tables_and_names_the_box_join(site, twin):
    """The tab's shell lines split the box's events file into the folders the SQL file reads,
    and the tab gives the number of pairs the batch run prints: the box's join without a
    watermark, run here on the box's events."""
    tabs = tab_set(site, twin.page, twin.box)
    sql = (ENGINES / twin.flink).read_text()
    folders = re.findall(r"'path' = '(events/\w+/)'", sql)
    assert sorted(folders) == ["events/clicks/", "events/shows/"]
    text = html.unescape(re.sub(r"<[^>]+>", "", tabs))
    for side, folder in (("left", "events/shows/"), ("right", "events/clicks/")):
        grep = f'grep \'"side": "{side}"\' {twin.box}.jsonl > {folder}'
        assert grep in text, grep
    box = [body for b, body in calls((DOCS / twin.page).read_text()) if b == twin.box]
    every = run_box(FENCE_CODE.search(box[0])["code"])["every"]
    assert every.watermark_delay is None, "the box's join without a watermark"
    assert f"without a watermark, every, {len(every.matches):,} pairs" in text


BEAM_PANE = re.compile(r"^\S+ \[[-0-9.e+]+, [-0-9.e+]+\) -?[0-9.e+]+ (ON_TIME|LATE)$")


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: t.box)
def test_tab_lists_what_the_pipeline_prints(site, twin):
    """The tab's output block holds the job's lines as the pipeline prints them: a windowed
    pane with its value and timing (``k0 [0, 10) 160 ON_TIME``), never a bare window."""
    body = [b for box, b in calls((DOCS / twin.page).read_text()) if box == twin.box]
    j = twin_job(twin.box, body[0])
    shown = j.shown[:12]
    text = html.unescape(re.sub(r"<[^>]+>", "", tab_set(site, twin.page, twin.box)))
    assert "\n".join(shown) in text, shown[:3]
    if twin.pipeline == "windowed.py":
        assert all(BEAM_PANE.match(line) for line in shown), shown[:3]


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: t.box)
def test_tab_commands_run_on_a_stock_debian_or_ubuntu(site, twin):
    """Their Python is "externally managed" (PEP 668) and has no `python`: the commands make a
    virtual environment before `pip install`, and call `python3`."""
    text = html.unescape(re.sub(r"<[^>]+>", "", tab_set(site, twin.page, twin.box)))
    commands = [line for line in text.splitlines() if re.match(r"(python|pip)", line)]
    install = next(i for i, line in enumerate(commands) if line.startswith("pip install"))
    assert commands[install - 1].startswith("python3 -m venv "), commands
    run = f"python3 {twin.pipeline} --events {twin.box}.jsonl"
    assert any(line.startswith(run) for line in commands[install:]), commands
    assert not [line for line in commands if line.startswith("python ")], commands


@pytest.mark.parametrize("twin", TWINS, ids=lambda t: t.box)
def test_tab_names_where_the_offline_copy_holds_its_files(site, twin):
    """From a folder (file://) Chromium opens the download links as text: the tab names the
    files' place in the offline copy, which packs the site as it is built under site/."""
    text = html.unescape(re.sub(r"<[^>]+>", "", tab_set(site, twin.page, twin.box)))
    named = re.findall(r"site/(engines/beam/\S+?\.(?:py|jsonl))", text)
    assert named == [f"engines/beam/{twin.pipeline}", f"engines/beam/events/{twin.box}.jsonl"]
    assert all((site / path).is_file() for path in named)
