"""Checkpoints, a crash and a replay: duplicates with at-least-once, none with exactly-once."""

import copy

import pytest

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
