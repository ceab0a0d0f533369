"""Checkpoints, a crash and a replay: duplicates with at-least-once, none with exactly-once."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import (
    Emission,
    Engine,
    Session,
    Sliding,
    Tumbling,
    events,
    generate_stream,
    run_with_crash,
)
from simulations.recovery import identity
from simulations.stats import latency_stats

# on-time events at 5, 15, 25, 35; Tumbling(10), watermark delay 0: each closes the window
# before it. Checkpoints every 12 s: at 12 and 24. The crash at 30 restores the one at 24.
ROWS = [("a", 1, 5.0), ("a", 2, 15.0), ("a", 4, 25.0), ("a", 8, 35.0)]


def run(guarantee, **kw):
    args = dict(window=Tumbling(10), watermark_delay=0, checkpoint_interval=12, crash_at=30)
    args.update(kw)
    return run_with_crash(events(ROWS), guarantee=guarantee, **args)


def test_at_least_once_writes_results_since_the_checkpoint_twice():
    r = run("at-least-once")
    assert r.checkpoints == [12.0, 24.0]
    assert r.restored_from == 24.0
    assert r.replayed == 1  # the event at 25
    assert r.sink == [
        Emission("a", 0.0, 10.0, 1, 1, 15.0),
        Emission("a", 10.0, 20.0, 2, 1, 25.0),  # written before the crash ...
        Emission("a", 10.0, 20.0, 2, 1, 30.0),  # ... and again by the replay
        Emission("a", 20.0, 30.0, 4, 1, 35.0),
        Emission("a", 30.0, 40.0, 8, 1, 35.0),
    ]
    assert r.duplicates == [r.sink[2]]
    assert r.final == {
        ("a", 0.0, 10.0): 1,
        ("a", 10.0, 20.0): 2,
        ("a", 20.0, 30.0): 4,
        ("a", 30.0, 40.0): 8,
    }


def test_exactly_once_discards_uncommitted_writes():
    r = run("exactly-once")
    assert r.sink == [
        Emission("a", 0.0, 10.0, 1, 1, 15.0),  # committed with the checkpoint at 24
        Emission("a", 10.0, 20.0, 2, 1, 30.0),  # the write at 25 was rolled back
        Emission("a", 20.0, 30.0, 4, 1, 35.0),
        Emission("a", 30.0, 40.0, 8, 1, 35.0),
    ]
    assert r.duplicates == []
    assert r.restored_from == 24.0


def test_crash_before_any_checkpoint_replays_from_the_start():
    r = run("at-least-once", checkpoint_interval=50, crash_at=20)
    assert r.restored_from == 0.0
    assert r.replayed == 2  # the events at 5 and 15
    assert [(d.start, d.emitted_at) for d in r.duplicates] == [(0.0, 20.0)]


def test_checkpoints_continue_after_the_restart():
    r = run("exactly-once", checkpoint_interval=10, crash_at=22)
    # 10 and 20 before the crash; 30 after it (35 is the last event)
    assert r.checkpoints == [10.0, 20.0, 30.0]


def test_panel():
    text = run("at-least-once").panel()
    assert "Mode: STREAM_PROCESSING [at-least-once]" in text
    assert "Status: RECOVERED [from checkpoint at 24s, 1 duplicate in the sink]" in text


def test_bad_guarantee():
    with pytest.raises(ValueError, match="guarantee must be one of"):
        run("at-most-once")


def test_exactly_once_results_become_visible_at_the_next_commit():
    r = run("exactly-once")
    # written at 15 (committed at 24), 30, 35, 35 (committed at the end of the input, 35)
    assert r.visible_at == [24.0, 35.0, 35.0, 35.0]
    # latency = visible - window end: 24 - 10, 35 - 20, 35 - 30, 35 - 40
    assert r.latency.max == 15.0
    assert r.latency.count == 4


def test_at_least_once_results_are_visible_when_written():
    r = run("at-least-once")
    assert r.visible_at == [e.emitted_at for e in r.sink]


def test_exactly_once_costs_up_to_one_checkpoint_interval_of_latency():
    evs = generate_stream(rate=10, duration=300, keys=3, seed=8)
    args = dict(window=Tumbling(10), checkpoint_interval=30, crash_at=100)
    alo = run_with_crash(evs, guarantee="at-least-once", **args)
    eo = run_with_crash(evs, guarantee="exactly-once", **args)
    assert eo.latency.p50 > alo.latency.p50 + 10
    waits = [v - e.emitted_at for e, v in zip(eo.sink, eo.visible_at, strict=True)]
    assert min(waits) >= 0 and max(waits) <= 30


def _lists_and_dicts(value, found=None):
    """Every list and dict inside ``value``, by id: what a copy must not share."""
    found = {} if found is None else found
    if isinstance(value, (list, dict)):
        found[id(value)] = value
        for item in value.values() if isinstance(value, dict) else value:
            _lists_and_dicts(item, found)
    elif isinstance(value, tuple):
        for item in value:
            _lists_and_dicts(item, found)
    return found


@pytest.mark.parametrize("window", [Tumbling(10), Sliding(10, 5), Session(4)])
def test_a_snapshot_is_a_deep_copy_that_shares_nothing_with_the_job(window):
    eng = Engine(window, watermark_delay=3.0, allowed_lateness=5.0)
    for i, ev in enumerate(generate_stream(rate=5, duration=60, keys=4, seed=2)):
        eng.process(ev, ev.arrival_time)
        if i % 37:
            continue
        state = {name: getattr(eng, name) for name in eng._STATE}
        snap = eng.snapshot()
        assert snap == copy.deepcopy(state)
        assert not set(_lists_and_dicts(snap)) & set(_lists_and_dicts(state))


# -- when each write becomes visible, recomputed from the raw events ----------------------------
def test_a_checkpoint_due_exactly_at_an_arrival_after_the_restart_is_taken_before_it():
    # crash at 30 restores the checkpoint at 24; the replay reads 25 (at 30) and then 36,
    # exactly when the checkpoint at 36 is due: it commits what came before 36, not 36's result
    rows = [("a", 1, 5.0), ("a", 2, 15.0), ("a", 4, 25.0), ("a", 8, 36.0), ("a", 16, 47.0)]
    r = run_with_crash(
        events(rows),
        window=Tumbling(10),
        watermark_delay=0,
        checkpoint_interval=12,
        crash_at=30,
        guarantee="exactly-once",
    )
    assert r.checkpoints == [12.0, 24.0, 36.0]
    assert [(e.start, e.emitted_at, at) for e, at in zip(r.sink, r.visible_at, strict=True)] == [
        (0.0, 15.0, 24.0),
        (10.0, 30.0, 36.0),  # [10, 20) closed again by the replayed 25, at the restart (30)
        (20.0, 36.0, 47.0),  # written at 36, after the checkpoint at 36: the end commits it
        (30.0, 47.0, 47.0),
        (40.0, 47.0, 47.0),
    ]


def expected_visibility(evs, r, crash_at, interval, guarantee):
    """Checkpoint times and each write's visible time, from the events and the rules alone."""
    last = max([crash_at, *(e.arrival_time for e in evs)])
    if guarantee == "at-least-once":
        return [e.emitted_at for e in r.sink]
    # checkpoints: every interval before the crash; after it, while events are replayed, those
    # due by the last one read (read at the restart, if it arrived before)
    before = [
        k * interval for k in range(1, int(crash_at // interval) + 2) if k * interval < crash_at
    ]
    restored = before[-1] if before else 0.0
    replays = any(e.arrival_time >= restored for e in evs)  # offset saved with that checkpoint
    replay_end = max(crash_at, evs[-1].arrival_time) if replays else -1.0
    due = before + [
        k * interval
        for k in range(len(before) + 1, int(replay_end // interval) + 1)
        if k * interval <= replay_end
    ]
    assert r.checkpoints == due
    # a write is visible at the first checkpoint after the instant it was written, or at the end
    return [min([c for c in due if c > e.emitted_at], default=last) for e in r.sink]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ab"), st.integers(1, 9), st.integers(0, 80), st.integers(0, 6)),
        max_size=25,
    ),
    st.sampled_from([5.0, 10.0, 12.0]),
    st.integers(0, 16).map(lambda i: 5.0 * i),
    st.sampled_from(["at-least-once", "exactly-once"]),
)
def test_visible_times_equal_the_next_commit_after_each_write(rows, interval, crash_at, guarantee):
    # arrivals, checkpoints and the crash on a 1 s grid: checkpoints often fall exactly on an
    # arrival, before and after the restart
    evs = events([(k, v, float(t), float(t + d)) for k, v, t, d in rows])
    r = run_with_crash(
        evs,
        window=Tumbling(10),
        watermark_delay=2,
        checkpoint_interval=interval,
        crash_at=crash_at,
        guarantee=guarantee,
    )
    assert r.visible_at == expected_visibility(evs, r, crash_at, interval, guarantee)
    assert all(at >= e.emitted_at for e, at in zip(r.sink, r.visible_at, strict=True))
    assert r.latency == latency_stats(
        [at - e.end for e, at in zip(r.sink, r.visible_at, strict=True)]
    )


@pytest.mark.parametrize(("semantics", "sessions"), [("course", 2), ("flink", 1), ("beam", 2)])
def test_the_job_follows_its_profile_across_the_crash(semantics, sessions):
    # events exactly one gap apart: touching sessions merge under Flink's rules only, before
    # the crash (6) and in the replay alike
    rows = [("k", 1, 0.0), ("k", 2, 5.0), ("k", 4, 20.0), ("k", 8, 25.0), ("z", 0, 60.0)]
    r = run_with_crash(
        events(rows),
        window=Session(5),
        watermark_delay=0,
        checkpoint_interval=100,
        crash_at=22,
        guarantee="at-least-once",
        semantics=semantics,
    )
    assert len([k for k in r.final if k[0] == "k"]) == 2 * sessions


def test_duplicates_are_the_writes_after_the_crash_that_repeat_one_before_it():
    evs = generate_stream(rate=5, duration=120, keys=3, seed=4)
    r = run_with_crash(
        evs, window=Sliding(10, 5), checkpoint_interval=25, crash_at=70, guarantee="at-least-once"
    )
    crash = next(i for i, e in enumerate(r.sink) if e.emitted_at >= r.crash_at)
    before = [identity(e) for e in r.sink[:crash]]
    assert len(set(before)) == len(before)  # one run writes each result once
    assert r.duplicates == [e for e in r.sink[crash:] if identity(e) in set(before)]
    assert r.duplicates  # the replay rewrote something
