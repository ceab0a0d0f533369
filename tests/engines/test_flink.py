"""The simulation's "flink" profile against Apache Flink's window operator, firing by firing.

Seeded streams of every window kind, with allowed lateness 0 and > 0, go through one PyFlink job
(see flink_job.py) and through ``run_stream(..., semantics="flink")``. For every window, the list
of firings must be the same (value and count, in order), the same (event, window) pairs must be
dropped, and the events Flink sends to its late side output (those too late for every window they
fall in) must be exactly the events the simulation dropped from every window.

Flink's watermark is its bounded-out-of-orderness one, emitted after every event rather than on
its timer, and PyFlink's operators run bundles of one element, so that each event meets the same
watermark in Flink as in the simulation (see flink_job.py). Run by ``make test-engines``.
"""

import os
from collections import defaultdict

import pytest
from jobs import run_job, time_limit
from streams import make_case

from simulations import Session, run_stream

from .conftest import ROOT

PYTHON = ROOT / ".venv-flink" / "bin" / "python"
JOB_SECONDS = 3600  # the engine's run, all streams at once
pytestmark = time_limit(JOB_SECONDS)
JAR = ROOT / ".venv-flink" / "per-event-watermarks.jar"  # flink/PerEventWatermarks.java
PER_KIND = int(os.environ.get("FLINK_STREAMS_PER_KIND", "30"))
KINDS = ("tumbling", "sliding", "session")


def cases_of(kind):
    """Streams of ``kind``, with allowed lateness 0 and 5 s, and seeded watermark delays; two
    more whose watermark lands exactly on window ends (and arrivals on a 5 s clock)."""
    plain = [make_case(kind, seed, lateness=5.0 * (seed % 2)) for seed in range(PER_KIND)]
    edge = [make_case(kind, seed, lateness=5.0 * seed, tick=5.0) for seed in range(2)]
    return plain + edge


@pytest.fixture(scope="module")
def flink(tmp_path_factory):
    if not JAR.exists():
        pytest.fail(f"{JAR} is missing: `make test-engines` compiles it")
    folder = tmp_path_factory.mktemp("flink")
    cases = [c.to_json() for kind in KINDS for c in cases_of(kind)]
    found, seconds = run_job(
        PYTHON, "flink_job.py", cases, folder, timeout=JOB_SECONDS, make="make test-engines"
    )
    rows = defaultdict(list)
    for row in found:
        rows[row["case"]].append(row)
    return rows, seconds


def pairs(case, ids_by_window):
    """(event id, window start) pairs, or event ids for sessions."""
    if type(case.window) is Session:
        return {i for ids in ids_by_window for _, i in ids}
    return {(i, start) for ids in ids_by_window for start, i in ids}


@pytest.mark.parametrize("kind", KINDS)
def test_flink_profile_matches_apache_flink_firing_by_firing(kind, flink, capsys):
    rows, seconds = flink
    mismatches, firings, counted = [], 0, 0
    cases = cases_of(kind)
    session = kind == "session"
    for case in cases:
        report = run_stream(
            case.events,
            window=case.window,
            watermark_delay=case.delay,
            allowed_lateness=case.lateness,
            semantics="flink",
        )
        ours = defaultdict(list)
        for e in report.emissions:
            ours[(e.key, e.start, e.end)].append((e.value, e.count))
        theirs, kept, side = defaultdict(list), set(), set()
        for r in rows[case.name]:
            if "late" in r:
                side.add(r["late"])
                continue
            theirs[(r["key"], r["start"], r["end"])].append((sum(r["ids"]), len(r["ids"])))
            kept |= set(r["ids"]) if session else {(i, r["start"]) for i in r["ids"]}
        firings += sum(map(len, theirs.values()))
        for w in sorted(set(ours) | set(theirs)):
            if ours.get(w) != theirs.get(w):
                mismatches.append(
                    f"{case.name} {w}: simulation {ours.get(w)}, Flink {theirs.get(w)}"
                )
        if session:
            every = {e.value for e in case.events}
            ours_dropped = {x.event.value for x in report.dropped}
        else:
            every = {(e.value, s) for e in case.events for s, _ in case.window.assign(e.event_time)}
            ours_dropped = {(x.event.value, x.start) for x in report.dropped}
        theirs_dropped = every - kept
        counted += len(theirs_dropped)
        whole = {e.value for e in case.events} - (
            kept if session else {i for i, _ in kept}
        )  # events no window kept: Flink's side output
        if ours_dropped != theirs_dropped or side != whole:
            mismatches.append(
                f"{case.name} dropped: simulation {sorted(ours_dropped)}, Flink "
                f"{sorted(theirs_dropped)}, side output {sorted(side)}"
            )
    with capsys.disabled():
        print(
            f"\nFlink {kind}: {len(cases)} streams, {firings} firings and {counted} dropped "
            f"compared (Flink ran all kinds in {seconds:.0f} s)"
        )
    assert firings > 0
    assert not mismatches, "\n".join(mismatches[:20]) + f"\n({len(mismatches)} in all)"
