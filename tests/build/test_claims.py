"""Corrected claims stay corrected: each engine's behaviour is stated as that engine's, and linked.

Each case names a page, statements it must make and statements it must not make again. The
sources are read as written (Markdown), because the built HTML wraps glossary terms in tooltips.
"""

from __future__ import annotations

import re

import pytest
from sitebuild import ROOT

DOCS = ROOT / "docs"


def words(page: str) -> str:
    """The page's text with line breaks and spaces folded: phrases match across lines."""
    return " ".join((DOCS / page).read_text(encoding="utf-8").split())


CLAIMS = [
    # page, must say, must not say
    (
        "glossary.md",
        ["Flink and Spark also merge windows that only touch, Beam does not"],
        ["groups events separated by less than a gap"],
    ),
    (
        "glossary.md",
        ["Flink and Beam drop it (Flink sends it to a side output only if the job sets one)"],
        ["the event is late and goes to a side output"],
    ),
    (
        "glossary.md",
        ["Flink and Beam drop late events by default"],
        ["sends them to a side output instead of dropping them silently"],
    ),
    (
        "glossary.md",
        ["a rerun gives the same results only if the same events are on time"],
        ["do not depend on when or in which order events arrive"],
    ),
    (
        "glossary.md",
        ["record by record or in small micro-batches"],
        ["continuously, record by record, as it"],
    ),
    ("glossary.md", ["Flink's AT_LEAST_ONCE checkpointing mode"], []),
    (
        "lessons/windows.md",
        ["watermark = window end + 20 s", "unless the job set `sideOutputLateData`"],
        ["arrives 20 s after the watermark passed", "it would go to the late side output"],
    ),
    (
        "lessons/windows.md",
        ["every 200 ms of processing time by default", "once per micro-batch"],
        ["does the same with a 10-minute bound"],
    ),
    (
        "lessons/windows.md",
        [
            "only the elements that arrived since the previous firing",
            "the Java SDK lists `RETRACTING_FIRED_PANES` as experimental",
        ],
        ["only the difference (discarding)"],
    ),
    (
        "lessons/windows.md",
        ["`numRowsDroppedByWatermark`", "in complete output mode it keeps all state"],
        ["Spark's watermark drops events older than the watermark"],
    ),
    (
        "lessons/windows.md",
        ["only if the same events are on time in every run", "Any bound above 3 s"],
        ["are the same whenever and however often the job runs", "A bound of 8 s or more"],
    ),
    (
        "lessons/windows.md",
        ["Beam merges only windows that overlap", "Flink merges windows that touch"],
        ["a session groups events separated by less than a *gap*"],
    ),
    (
        "lessons/choosing.md",
        ["Spark's Kafka sink is at-least-once", "`foreachBatch` is at-least-once"],
        ["natural: a micro-batch is an atomic unit"],
    ),
    (
        "lessons/state.md",
        ["that TTL is opt-in", "not when it is read"],
        ["expires with a time-to-live when nothing reads it"],
    ),
    (
        "lessons/state.md",
        ["in the state if snapshots skip alignment", "its default is `read_uncommitted`"],
        ["| yes, in the sink |"],
    ),
    (
        "lessons/state.md",
        ["the failed attempt's output was never committed"],
        ["Non-deterministic logic breaks it."],
    ),
    ("lessons/state.md", ["checkpointing is disabled until the job enables it"], []),
    (
        "lessons/kappa.md",
        ["keep at least the latest record per key"],
        ["keep only the latest record per key"],
    ),
    (
        "lessons/kappa.md",
        ["only if the same events are on time in both", "late again, however fast the replay runs"],
        [
            "Replayed results must equal what the job would have computed live",
            "a fast replay, which delivers every event without its original delay, may count them",
            "may arrive in time during a replay",
        ],
    ),
    (
        "lessons/windows.md",
        ["the records that were late live are late again", "e6 is late in every run that reads"],
        [
            "a fast replay of a log, where nothing is delayed, can count events",
            "counted in a replay that delivered it on time",
            "one late event can correct six results",
            "correct nothing",
        ],
    ),
    (
        "lessons/windows.md",
        [
            "Lateness is decided per (event, window) pair",
            "only if *all* its windows were late",
            "Spark's `startTime` argument of `window()`",
            "Flink's `offset` argument",
            "A global window therefore needs a trigger",
            "`withIdleness(timeout)`",
            "a watermark belongs to an **instance**",
        ],
        [],
    ),
    (
        "lessons/streaming.md",
        ["windowed results: the window plus the watermark delay"],
        ["| milliseconds to seconds |"],
    ),
    (
        "lessons/streaming.md",
        ["at least the latest value per key"],
        ["compacted to the latest value per key"],
    ),
    (
        "lessons/streaming.md",
        ["the counter only after the minute ends and the watermark passes it", "p50=0.002s"],
        ["A result appears a few seconds after its minute ends"],
    ),
    (
        "lessons/batch.md",
        ["lineage makes that safe", "runs every hour"],
        [
            "It keeps intermediate data in memory and recomputes lost partitions from lineage",
            "The status panel of a nightly job",
        ],
    ),
    ("lessons/ai.md", ["measures the cold start", "after the drift"], []),
    ("index.md", ["a factor of about 50"], ["orders of magnitude"]),
    ("lessons/choosing.md", ["Since Spark 4.1 a *real-time mode*"], []),
    ("faq.md", ["real-time mode (since Spark 4.1)"], []),
    ("velocity-hub.md", ["is already below the stream's"], ["for the same freshness"]),
    ("faq.md", ["Flink and Beam drop it by default"], ["well-built jobs send it to a side output"]),
]


@pytest.mark.parametrize(
    ("page", "says", "never"), CLAIMS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CLAIMS)]
)
def test_corrected_claim(page, says, never):
    text = words(page)
    for phrase in says:
        assert " ".join(phrase.split()) in text, f"{page} no longer says: {phrase}"
    for phrase in never:
        assert " ".join(phrase.split()) not in text, f"{page} says again: {phrase}"


ENGINE_DOCS = re.compile(
    r"https?://(?:nightlies\.apache\.org/flink|beam\.apache\.org|spark\.apache\.org|kafka\.apache\.org)[^\s)>]*"
)
UNPINNED = (
    "flink-docs-stable",
    "flink-docs-master",
    "spark.apache.org/docs/latest",
    "kafka.apache.org/documentation",
)


def test_engine_links_name_the_version_they_describe():
    # the lessons, and the docstrings of the simulations that state engines' rules
    pages = sorted(DOCS.rglob("*.md")) + sorted((ROOT / "simulations").glob("*.py"))
    links = [
        (p.relative_to(ROOT), url)
        for p in pages
        for url in ENGINE_DOCS.findall(p.read_text("utf-8"))
    ]
    assert len(links) > 30
    assert [(str(p), u) for p, u in links if any(x in u for x in UNPINNED)] == []


def test_where_engines_differ_links_every_row_to_the_engines_docs():
    text = (DOCS / "engines.md").read_text(encoding="utf-8")
    rows = [
        line
        for line in text.splitlines()
        if line.startswith("| **")
        or line.startswith("| Kafka")
        or line.startswith("| Flink")
        or line.startswith("| Spark")
    ]
    assert len(rows) >= 12
    for row in rows:
        assert ENGINE_DOCS.search(row), f"no link to an engine's docs in: {row[:60]}"
    for topic in (
        "Session merging",
        "Lateness boundary",
        "Late data",
        "Watermark timing",
        "Default trigger",
        "read_uncommitted",
        "Flink checkpointing is off",
        "output mode",
    ):
        assert topic in text, topic
