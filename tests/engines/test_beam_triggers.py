"""The "beam" profile of run_triggered against Apache Beam, pane by pane, early panes included.

Seeded streams (see streams.py) go through the ``Triggered`` transform that the triggers
lesson's "On a real engine" tab shows (engines/beam/triggered.py: ``AfterWatermark`` with
``AfterCount(n)`` early firings and ``AfterCount(1)`` late firings), in both accumulation
modes, on the DirectRunner; and through ``run_triggered(..., early_count=n, semantics="beam")``.
For every window the panes must be the same: value, count, pane index and timing (EARLY,
ON_TIME, LATE); and the dropped events the same.
"""

from __future__ import annotations

import os
from collections import defaultdict

import pytest
from jobs import run_job, time_limit
from streams import make_case

from simulations import Sliding, Tumbling
from simulations.triggers import run_triggered

from .conftest import ROOT

PYTHON = ROOT / ".venv-beam" / "bin" / "python"
JOB_SECONDS = 900  # the engine's run, all streams at once
pytestmark = time_limit(JOB_SECONDS)
PER_JOB = int(os.environ.get("BEAM_TRIGGER_STREAMS_PER_JOB", "3"))
# (window kind, allowed lateness, an early pane every ... events): one pipeline each
JOBS = [("tumbling", 0.0, 1), ("tumbling", 5.0, 2), ("sliding", 5.0, 1), ("sliding", 0.0, 3)]
MODES = ("accumulating", "discarding")


def spec(window) -> str:
    if type(window) is Tumbling:
        return f"fixed:{window.size:g}"
    assert type(window) is Sliding
    return f"sliding:{window.size:g}:{window.slide:g}"


def cases():
    out = []
    for kind, lateness, early_count in JOBS:
        for seed in range(PER_JOB):
            case = make_case(kind, 1000 + seed, lateness=lateness, n=50)
            name = f"{case.name}-L{lateness:g}-N{early_count}"
            out.append((name, case, early_count))
    return out


@pytest.fixture(scope="module")
def beam(tmp_path_factory):
    folder = tmp_path_factory.mktemp("beam-triggers")
    jobs = []
    for name, case, early_count in cases():
        row = case.to_json()
        row.update(name=name, window=spec(case.window), early_count=early_count)
        jobs.append(row)
    found, seconds = run_job(
        PYTHON, "beam_trigger_job.py", jobs, folder, timeout=JOB_SECONDS, make="make test"
    )
    rows = defaultdict(list)
    for row in found:
        rows[(row["case"], row["mode"])].append(row)
    return rows, seconds


def beam_panes(rows):
    by_window = defaultdict(list)
    for r in rows:
        by_window[(r["key"], r["start"], r["end"])].append(r)
    return {
        w: [
            (sum(r["ids"]), len(r["ids"]), r["index"], r["timing"])
            for r in sorted(ps, key=lambda r: r["index"])
        ]
        for w, ps in by_window.items()
    }


@pytest.mark.parametrize("mode", MODES)
def test_triggered_beam_profile_matches_apache_beam_pane_by_pane(mode, beam, capsys):
    rows, seconds = beam
    mismatches, panes, early, dropped = [], 0, 0, 0
    for name, case, early_count in cases():
        report = run_triggered(
            case.events,
            window=case.window,
            watermark_delay=case.delay,
            allowed_lateness=case.lateness,
            early_count=early_count,
            accumulation=mode,
            semantics="beam",
        )
        ours: dict = defaultdict(list)
        for p in report.panes:
            ours[(p.key, p.start, p.end)].append((p.value, p.count, p.index, p.timing))
        theirs = beam_panes(rows[(name, mode)])
        panes += sum(map(len, theirs.values()))
        early += sum(t == "EARLY" for ps in theirs.values() for *_, t in ps)
        for w in sorted(set(ours) | set(theirs)):
            if ours.get(w) != theirs.get(w):
                mismatches.append(f"{name} {w}: simulation {ours.get(w)}, Beam {theirs.get(w)}")
        kept = {(i, r["start"]) for r in rows[(name, mode)] for i in r["ids"]}
        every = {(e.value, s) for e in case.events for s, _ in case.window.assign(e.event_time)}
        theirs_dropped = every - kept
        ours_dropped = {(x.event.value, x.start) for x in report.dropped}
        dropped += len(theirs_dropped)
        if ours_dropped != theirs_dropped:
            mismatches.append(
                f"{name} dropped: simulation {sorted(ours_dropped)}, Beam {sorted(theirs_dropped)}"
            )
    with capsys.disabled():
        print(
            f"\nBeam triggers, {mode}: {len(cases())} streams, {panes} panes ({early} early) and "
            f"{dropped} dropped compared (Beam ran both modes in {seconds:.0f} s)"
        )
    assert early > 0 and panes > early
    assert not mismatches, "\n".join(mismatches[:20]) + f"\n({len(mismatches)} in all)"
