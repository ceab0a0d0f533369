"""The simulation's "spark" profile against Apache Spark Structured Streaming, batch by batch.

Seeded streams of every window kind go through ``run_stream(..., semantics="spark")`` and through
Spark (see spark_job.py) in each output mode (append, update, complete). Spark reads one file per
micro-batch; the files are cut as the simulation cuts its batches (one every trigger interval of
arrival time, a batch with no new events where the simulation runs one because the watermark
moved). Spark never finishes a window because the input ended, so the stream is followed by one
event far in the future on a key of its own, and by one more batch: the simulation's "end of the
input moves the watermark past every window". Every result must be written in the same batch with
the same value, and the same events must be dropped.
"""

import math
import os
from collections import defaultdict

import pytest
from jobs import run_job, time_limit
from streams import make_case

from simulations import Session, run_stream

from .conftest import ROOT

PYTHON = ROOT / ".venv-spark" / "bin" / "python"
JOB_SECONDS = 5400  # the engine's run, all streams at once: 30 to 60 min on a busy 2-core machine
pytestmark = time_limit(JOB_SECONDS)
PER_KIND = int(os.environ.get("SPARK_STREAMS_PER_KIND", "2"))
KINDS = ("tumbling", "sliding", "session")
MODES = ("append", "update", "complete")
INTERVAL = 5.0
PAD, END = "~pad", "~end"  # keys of the filler rows, never compared
FAR = 10_000_000.0


def cases_of(kind):
    """Seeded streams, and an edge one (``make_case(..., tick=INTERVAL)``): a third of its
    arrivals exactly on a trigger tick, batches whose own watermark is exactly a window's end
    (does append mode write the window then, or a batch later?) and events of a window ending
    exactly at the watermark of the batch before theirs (late, or still counted?). Which batch
    reads an arrival on a tick is the simulation's convention, and the files follow it (Spark
    reads one file per batch); the rest is Spark's own rule, met head on."""
    plain = [make_case(kind, seed, lateness=0.0, n=60) for seed in range(PER_KIND)]
    return [*plain, make_case(kind, 0, lateness=0.0, n=60, tick=INTERVAL)]


def modes_of(case):
    """Spark has no update mode for session windows."""
    return [m for m in MODES if not (m == "update" and type(case.window) is Session)]


def simulate(case, mode):
    return run_stream(
        case.events,
        window=case.window,
        watermark_delay=case.delay,
        semantics="spark",
        trigger_interval=INTERVAL,
        output_mode=mode,
    )


def job_of(case, mode, report):
    """The files (micro-batches) for Spark, and the simulation time of each Spark batch id."""
    batches = defaultdict(list)
    for e in case.events:
        batches[(math.floor(e.arrival_time / INTERVAL) + 1) * INTERVAL].append(
            [e.key, e.value, e.event_time]
        )
    first = min(batches)
    flush = report.machine_seconds + case.events[0].arrival_time  # when the input ends
    if mode == "complete":  # no watermark-driven batches, no flush
        ticks = sorted(batches)
        files = [batches[t] for t in ticks]
    else:
        n = round((flush - first) / INTERVAL)
        ticks = [first + i * INTERVAL for i in range(n)]
        files = [batches.get(t) or [[PAD, 0, 0.0]] for t in ticks]
        files += [[[END, 0, FAR]], [[PAD, 0, 0.0]]]
        ticks += [flush, flush]
    job = {
        "name": case.name,
        "mode": mode,
        "kind": case.kind,
        "size": getattr(case.window, "size", None),
        "slide": getattr(case.window, "slide", None),
        "gap": getattr(case.window, "gap", None),
        "delay": case.delay,
        "files": files,
    }
    return job, ticks


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spark")
    jobs, ticks, reports = [], {}, {}
    for kind in KINDS:
        for case in cases_of(kind):
            for mode in modes_of(case):
                report = simulate(case, mode)
                job, ticks[(case.name, mode)] = job_of(case, mode, report)
                jobs.append(job)
                reports[(case.name, mode)] = report
    found, seconds = run_job(
        PYTHON, "spark_job.py", jobs, folder, timeout=JOB_SECONDS, make="make test-engines"
    )
    rows = defaultdict(list)
    for row in found:
        if row["key"] not in (PAD, END):
            rows[(row["case"], row["mode"])].append(row)
    return rows, ticks, reports, seconds


def written(emissions):
    out = defaultdict(list)
    for e in emissions:
        out[(e.key, e.start, e.end)].append((e.emitted_at, e.value, e.count))
    return dict(out)


def dropped(case, kept_ids):
    if type(case.window) is Session:
        return {e.value for e in case.events} - {i for i, _ in kept_ids}
    every = {(e.value, s) for e in case.events for s, _ in case.window.assign(e.event_time)}
    return every - kept_ids


@pytest.mark.parametrize("kind", KINDS)
def test_spark_profile_matches_apache_spark_batch_by_batch(kind, spark, capsys):
    rows, ticks, reports, seconds = spark
    mismatches, results, counted = [], 0, 0
    cases = cases_of(kind)
    for case in cases:
        for mode in modes_of(case):
            report = reports[(case.name, mode)]
            times = ticks[(case.name, mode)]
            theirs = defaultdict(list)
            kept = set()
            for r in sorted(rows[(case.name, mode)], key=lambda r: r["batch"]):
                w = (r["key"], r["start"], r["end"])
                theirs[w].append((times[r["batch"]], sum(r["ids"]), len(r["ids"])))
                kept |= {(i, r["start"]) for i in r["ids"]}
            ours = written(report.emissions)
            results += sum(map(len, theirs.values()))
            for w in sorted(set(ours) | set(theirs)):
                if ours.get(w) != theirs.get(w):
                    mismatches.append(
                        f"{case.name} {mode} {w}: simulation {ours.get(w)}, Spark {theirs.get(w)}"
                    )
            ours_dropped = (
                {x.event.value for x in report.dropped}
                if type(case.window) is Session
                else {(x.event.value, x.start) for x in report.dropped}
            )
            theirs_dropped = dropped(case, kept)
            counted += len(theirs_dropped)
            if ours_dropped != theirs_dropped:
                mismatches.append(
                    f"{case.name} {mode} dropped: simulation {sorted(ours_dropped)}, "
                    f"Spark {sorted(theirs_dropped)}"
                )
    with capsys.disabled():
        print(
            f"\nSpark {kind}: {len(cases)} streams x {len(modes_of(cases[0]))} output modes, "
            f"{results} results "
            f"and {counted} dropped compared (Spark run for all kinds: {seconds:.0f} s)"
        )
    assert results > 0
    assert not mismatches, "\n".join(mismatches[:20]) + f"\n({len(mismatches)} in all)"
