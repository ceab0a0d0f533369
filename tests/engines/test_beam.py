"""The simulation's "beam" profile against Apache Beam's DirectRunner, pane by pane.

Ninety seeded streams (30 per window kind, allowed lateness 0 and > 0) go through one Beam
pipeline (see beam_job.py) and through ``run_stream(..., semantics="beam")``. For every window,
the list of panes must be the same: value, count, whether it updates an earlier pane (Beam's
pane index > 0) and whether the watermark fired it (Beam's ON_TIME pane) or an arriving event;
and the events each engine dropped must be the same events.
"""

import os
from collections import defaultdict

import pytest
from jobs import run_job, time_limit
from streams import make_case, panes_by_window

from simulations import Session, run_stream

from .conftest import ROOT

PYTHON = ROOT / ".venv-beam" / "bin" / "python"
JOB_SECONDS = 1200  # the engine's run, all streams at once
pytestmark = time_limit(JOB_SECONDS)
PER_KIND = int(os.environ.get("BEAM_STREAMS_PER_KIND", "30"))
KINDS = ("tumbling", "sliding", "session")


def cases_of(kind):
    # half the streams with no allowed lateness, half with some
    return [make_case(kind, seed, lateness=5.0 * (seed % 2)) for seed in range(PER_KIND)]


@pytest.fixture(scope="module")
def beam(tmp_path_factory):
    """Every stream through Beam at once: {case name: [pane rows]}, and the seconds it took."""
    folder = tmp_path_factory.mktemp("beam")
    cases = [c.to_json() for kind in KINDS for c in cases_of(kind)]
    found, seconds = run_job(
        PYTHON, "beam_job.py", cases, folder, timeout=JOB_SECONDS, make="make test"
    )
    rows = defaultdict(list)
    for row in found:
        rows[row["case"]].append(row)
    return rows, seconds


def beam_panes(rows):
    """{(key, start, end): [(value, count, update, timing), ...]} in pane order."""
    by_window = defaultdict(list)
    for r in rows:
        by_window[(r["key"], r["start"], r["end"])].append(r)
    return {
        w: [
            (sum(r["ids"]), len(r["ids"]), r["index"] > 0, r["timing"] == "on-time")
            for r in sorted(panes, key=lambda r: r["index"])
        ]
        for w, panes in by_window.items()
    }


def on_time(panes):
    """Only on-time or not: Beam's EARLY/LATE label of a pane fired by an arriving event
    depends on how far the DirectRunner's output watermark has caught up (see the profile)."""
    return {w: [(v, n, u, t == "on-time") for v, n, u, t in ps] for w, ps in panes.items()}


def beam_dropped(case, rows):
    """What Beam dropped: (event id, window start) pairs, or event ids for sessions."""
    if type(case.window) is Session:
        kept = {i for r in rows for i in r["ids"]}
        return {e.value for e in case.events} - kept
    kept = {(i, r["start"]) for r in rows for i in r["ids"]}
    every = {(e.value, s) for e in case.events for s, _ in case.window.assign(e.event_time)}
    return every - kept


def simulation_dropped(case, report):
    if type(case.window) is Session:
        return {x.event.value for x in report.dropped}
    return {(x.event.value, x.start) for x in report.dropped}


@pytest.mark.parametrize("kind", KINDS)
def test_beam_profile_matches_apache_beam_pane_by_pane(kind, beam, capsys):
    rows, seconds = beam
    mismatches, panes, dropped = [], 0, 0
    cases = cases_of(kind)
    for case in cases:
        report = run_stream(
            case.events,
            window=case.window,
            watermark_delay=case.delay,
            allowed_lateness=case.lateness,
            semantics="beam",
        )
        ours, theirs = on_time(panes_by_window(report.emissions)), beam_panes(rows[case.name])
        panes += sum(map(len, theirs.values()))
        for w in sorted(set(ours) | set(theirs)):
            if ours.get(w) != theirs.get(w):
                mismatches.append(
                    f"{case.name} {w}: simulation {ours.get(w)}, Beam {theirs.get(w)}"
                )
        ours_dropped = simulation_dropped(case, report)
        theirs_dropped = beam_dropped(case, rows[case.name])
        dropped += len(theirs_dropped)
        if ours_dropped != theirs_dropped:
            mismatches.append(
                f"{case.name} dropped: simulation {sorted(ours_dropped)}, "
                f"Beam {sorted(theirs_dropped)}"
            )
    with capsys.disabled():
        print(
            f"\nBeam {kind}: {len(cases)} streams, {sum(len(c.events) for c in cases)} events, "
            f"{panes} panes and {dropped} dropped compared "
            f"(Beam ran all kinds in {seconds:.0f} s)"
        )
    assert panes > 0
    assert not mismatches, "\n".join(mismatches[:20]) + f"\n({len(mismatches)} in all)"
