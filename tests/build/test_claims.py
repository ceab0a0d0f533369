"""Corrected claims stay corrected: each engine's behaviour is stated as that engine's, and linked.

Each case names a page, statements it must make and statements it must not make again. The
sources are read as written (Markdown), because the built HTML wraps glossary terms in tooltips.
"""

from __future__ import annotations

import itertools
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
    (
        "lessons/triggers.md",
        [
            "a trigger that keeps the firing at the watermark and the late firings",
            "closes the window when it fires, and every element that arrives for the window",
            "Flink's `CountTrigger` fires every *n* elements and never at the watermark",
            "`FIRE_AND_PURGE` clears the window",
            "With the default late trigger, Beam's and Flink's, that is one pane per late event",
            "`ContinuousProcessingTimeTrigger`",
            "Only the combination, early firings on a clock *plus* the on-time and late firings",
            "or, for a sink with a primary key that takes upserts",
        ],
        [
            "changing the trigger must never change what the final answer is",
            "A trigger changes when results are written, never what the final result is",
            "Early firings need a custom trigger",
            "custom trigger with processing-time timers |",
            "one per late event within the",
        ],
    ),
    (
        "lessons/joins.md",
        [
            "keeps no table in state and queries the external system",
            "for the rows and versions that are on time, it is the same on every replay",
            "a stream-stream join needs append output mode; a stream-static join does not",
            "left rate × (upper + delay) + right rate × (−lower + delay)",
        ],
        [
            "gets every one of them right",
            "The answer is the same on every replay",
            "Append output mode only, for every join in the query",
            "*rate × (upper − lower + watermark delay)* per side",
            "The **lookup join** keeps the latest value per key",
        ],
    ),
    (
        "lessons/cdc.md",
        [
            "With PostgreSQL's default `REPLICA IDENTITY`, the before image of an update",
            "`REPLICA IDENTITY FULL` makes it the whole old row",
            "when the transaction commits, after InnoDB has applied it",
            "its default is 0",
            "counted from when the cleaner first compacted the segment that holds it",
            "records go when the cleaner runs",
            "only for a table set to `REPLICA IDENTITY FULL`",
        ],
        [
            "it first writes the change to its log (the write-ahead log, the binlog)",
            "the row's values *before* and *after* the change",
            "guarantees a minimum time during which every record stays",
            "A **tombstone** stays for `delete.retention.ms`",
        ],
    ),
    (
        "lessons/training.md",
        [
            "No *feature-value* skew is possible",
            "label-selection skew",
            "not the time a value reached the online store",
        ],
        ["No skew is possible;", "the way a feature store's offline store keeps it"],
    ),
    (
        "lessons/ai.md",
        ["`feast materialize` computes nothing"],
        ["**materialisation** jobs, batch or streaming, compute each feature once"],
    ),
    (
        "faq.md",
        ["not by computing them"],
        ["A feature store computes each feature once from one definition and serves it twice"],
    ),
    (
        "engines.md",
        [
            "Beam's Java SDK drops it, as Flink does",
            "a chain of `map` and `filter` with one input each has nothing to align",
            "merges with the session of the 12 s click, which becomes `[9,17)`",
        ],
        [
            "| still accepted: dropped only once",
            "opens a session `[9,17)` instead of being late",
            "after a restore, some records are counted twice in the state, not only",
        ],
    ),
    (
        "lessons/state.md",
        [
            "an operator with a single input has nothing to align and stays exactly-once",
            "**unaligned checkpoints**",
            "`execution.checkpointing.aligned-checkpoint-timeout`",
            "a result waits half an interval on average",
            "100 ms under exactly-once",
        ],
        ["then some events after the barrier are already in the snapshot and are counted again"],
    ),
    (
        "lessons/choosing.md",
        ["`execution.buffer-timeout.interval`"],
        ["Configuration: `execution.buffer-timeout` and"],
    ),
    (
        "lessons/lambda.md",
        [
            "The speed layer starts at the cutoff, not at the publication.",
            "The newest windows of a batch view are not final.",
        ],
        [],
    ),
    (
        "index.md",
        ["Per-event work, here scoring each event as it arrives, answers in milliseconds"],
        ["p50=36.6s for the stream job"],
    ),
    # Spark's guide keeps a window "until (max event time - late threshold > T)"; Spark 4.3
    # finishes it at a watermark equal to its end (the Spark suite's edge streams meet it)
    (
        "lessons/windows.md",
        ["but Spark 4.3 finishes it at *W* = *end* already"],
        [],
    ),
    (
        "lessons/triggers.md",
        ["window's row is written once, when the watermark has reached its end"],
        ["window's row is written once, after the watermark has passed its end"],
    ),
    (
        "engines.md",
        ["at a watermark exactly equal to the end Spark already writes the window in append mode"],
        [],
    ),
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


# Sentences checked against the simulations they describe.


def test_a_replay_in_log_order_makes_the_same_events_late_again():
    """kappa.md: a replay keeps the log's order, so a per-event watermark meets the same
    stragglers at the same points; another order changes which events are late."""
    from simulations import Tumbling, events, generate_stream, run_kappa, run_stream

    changed = 0
    for seed in range(5):
        evs = generate_stream(
            rate=2, duration=900, keys=3, seed=seed, late_fraction=0.05, late_delay=30
        )
        kw = {"window": Tumbling(60), "watermark_delay": 5}
        live = run_stream(evs, **kw)
        assert live.late, "the stream must have stragglers for the claim to mean anything"
        replay = run_kappa(evs, **kw, redeploy_at=900, replay_throughput=1_000)
        assert replay.new_final == replay.old_final == live.final
        other = run_stream(events([(e.key, e.value, e.event_time) for e in evs]), **kw)
        changed += other.final != live.final
    assert changed == 5
    text = words("lessons/kappa.md")
    assert "every straggler the live job declared late is late again" in text


def test_the_as_of_join_is_exact_for_what_it_kept():
    """joins.md: the as-of box's dropped rows are 2 orders and 2 price changes, and exactly the
    31 orders placed while those prices were valid got another price; nothing else is wrong."""
    from simulations import as_of_join, generate_stream

    orders = generate_stream(rate=2, duration=300, seed=4, mean_delay=2)
    prices = generate_stream(rate=0.2, duration=300, seed=5, mean_delay=2)
    report = as_of_join(orders, prices, watermark_delay=4)
    late = {id(e) for e in report.late}
    late_orders = sum(id(e) in late for e in orders)
    late_prices = sum(id(e) in late for e in prices)

    def valid(ps, order):
        before = [p for p in ps if p.key == order.key and p.event_time <= order.event_time]
        return max(before, key=lambda p: p.event_time) if before else None

    kept = [p for p in prices if id(p) not in late]
    stale = sum(valid(prices, m.left) is not m.right for m in report.matches)
    assert sum(valid(kept, m.left) is not m.right for m in report.matches) == 0
    assert (late_orders, late_prices, stale) == (2, 2, 31)
    text = words("lessons/joins.md")
    assert "4 rows came after the watermark" in text
    assert "Two were orders, never written; two were price changes, so the 31 orders" in text


def test_interval_join_state_is_per_side():
    """joins.md: left rows live about upper + delay, right rows about -lower + delay."""
    from statistics import mean

    from simulations import generate_stream, interval_join

    shows = generate_stream(rate=4, duration=300, keys=20, seed=1, key_prefix="ad")
    clicks = generate_stream(rate=1, duration=300, keys=20, seed=2, key_prefix="ad")
    for lower, upper in [(0, 30), (-10, 20), (-30, 0)]:
        r = interval_join(shows, clicks, lower=lower, upper=upper, watermark_delay=2)
        held = mean(n for t, n in r.state if 60 < t < 280)
        per_side = 4 * (upper + 2) + 1 * (-lower + 2)
        both_sides = 5 * (upper - lower + 2)
        # the network delay adds a little to each side, hence the tolerance
        assert abs(held - per_side) < 0.2 * per_side, (lower, upper, held, per_side)
        assert abs(held - both_sides) > 5 * abs(held - per_side)
    assert "4 × 32 impressions and 1 × 2 clicks, 130 rows" in words("lessons/joins.md")


def test_each_window_decides_lateness_for_itself():
    """windows.md: in the late-updates box, 10 of the 23 stragglers are late for their oldest
    window and still update three others."""
    from collections import Counter

    from simulations import Sliding, generate_stream, run_stream

    evs = generate_stream(rate=1, duration=300, keys=2, seed=3, late_fraction=0.1, late_delay=40)
    report = run_stream(evs, window=Sliding(60, 10), watermark_delay=5, allowed_lateness=30)
    stragglers = [e for e in evs if e.arrival_time - e.event_time > 20]
    late_pairs = Counter(id(p.event) for p in report.late)
    updates = Counter((u.key, u.emitted_at) for u in report.updates)
    late_ones = [e for e in stragglers if late_pairs[id(e)]]
    assert (len(late_ones), len(stragglers)) == (10, 23)
    assert all(late_pairs[id(e)] == 1 and updates[(e.key, e.arrival_time)] == 3 for e in late_ones)
    assert "for 10 of the 23 stragglers the oldest is past its allowed lateness" in words(
        "lessons/windows.md"
    )


BEAM_BOOK_TEST = ROOT / "tests/engines/test_beam_book.py"


def beam_book_constants() -> dict:
    """test_beam_book.py's WINDOWS, DIFFERENCES and RUN_ON_BEAM, read from its source: importing
    it would need the Beam suite's conftest and Beam itself, and only the constants are read."""
    import ast

    from simulations import book

    values: dict = {"book": book}
    for node in ast.parse(BEAM_BOOK_TEST.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("WINDOWS", "DIFFERENCES", "RUN_ON_BEAM"):
                values[name] = eval(compile(ast.Expression(node.value), name, "eval"), values)
    return values


def table_row(example: str) -> str:
    """The row of engines.md's Beam Python table for ``example`` ("2-6-heuristic": "2-6")."""
    number = example.removesuffix("-heuristic")
    text = (DOCS / "engines.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith(f"| {number}, ")]
    assert len(rows) == 1, f"engines.md: no single table row for example {number}"
    return rows[0]


def span(pane: tuple) -> str:
    return f"`[{pane[0]:g}, {pane[1]:g})`"


def test_the_beam_python_differences_are_those_the_beam_test_asserts():
    """engines.md's table and the Dataflow lesson say what test_beam_book.py asserts: one row
    per example it treats apart, each saying what differs, with the windows and times."""
    from simulations import book

    constants = beam_book_constants()
    differences = constants["DIFFERENCES"]
    not_run = set(book.EXAMPLES) - set(constants["RUN_ON_BEAM"])
    assert not_run == {"2-4"}
    assert 'panes["2-4"] == ["delay"]' in BEAM_BOOK_TEST.read_text(encoding="utf-8")
    assert "takes a delay and nothing else" in table_row("2-4")
    text = (DOCS / "engines.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (\d-\d), ", text, re.M))
    assert listed == {e.removesuffix("-heuristic") for e in [*differences, *not_run]}
    for example, (ours, theirs) in differences.items():
        row = table_row(example)
        if [p[:-1] for p in ours] == [p[:-1] for p in theirs]:  # only is_last differs
            assert all(p[-1] and not q[-1] for p, q in zip(ours, theirs, strict=True))
            assert "not marked last" in row and row.count("last") >= 2, row
            if len(ours) == 1:
                assert span(ours[0]) in row, row
            continue
        # 2-5: ON_TIME panes, marked last, only in the book's Java; one EARLY pane only in Python
        assert {(p[3], p[-1]) for p in ours} == {("ON_TIME", True)}
        assert "ON_TIME pane marked last" in row and "no ON_TIME pane" in row, row
        (early,) = theirs
        nine = next(e for e in book.STREAM if e.value == 9)
        timer = f"at {nine.arrival_time + 120:g} s, in an EARLY pane of {span(early)}"
        claim = f"{timer} carrying {early[2]}"
        assert early[3] == "EARLY" and claim in row, row
        assert claim in words("lessons/dataflow.md")
    # 2-6: the heuristic watermark jumps over the end of [360, 480)
    points = [wm for _, wm in book.HEURISTIC_WATERMARK.points]
    jump = next((a, b) for a, b in itertools.pairwise(points) if a < 480 < b)
    assert f"jumps from {jump[0]:g} to {jump[1]:g}" in table_row("2-6-heuristic")
