"""Property tests: the invariants that make the simulations trustworthy, on random streams."""

from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st

from simulations import (
    Session,
    Sliding,
    Tumbling,
    batch_view,
    events,
    generate_stream,
    run_batch,
    run_kappa,
    run_lambda,
    run_stream,
    run_with_crash,
)
from simulations.recovery import identity
from simulations.stream import run_general

FAST = settings(deadline=None)  # the profile (tests/conftest.py) sets how many examples

keys = st.sampled_from(["a", "b", "c"])
sizes = st.sampled_from([1.0, 2.5, 5.0, 10.0, 30.0])
aggregates = st.sampled_from(["sum", "count", "mean", "max"])


def biased_tenths(top: int) -> st.SearchStrategy[int]:
    """Times in tenths of a second, 0 .. top, half of them on a multiple of 2.5 s.

    Every window size, gap, slide, batch interval and checkpoint interval used below is a
    multiple of 2.5 s or divides one, so these land exactly on window ends, session gaps, run
    starts and cutoffs, where the engine's ``<`` versus ``<=`` decisions are made.
    """
    return st.one_of(st.integers(0, top), st.integers(0, top // 25).map(lambda i: i * 25))


def stream_of(max_delay):
    row = st.tuples(keys, st.integers(1, 9), biased_tenths(1500), biased_tenths(max_delay * 10))
    return st.lists(row, max_size=40).map(
        lambda rows: events([(k, v, t / 10, (t + d) / 10) for k, v, t, d in rows])
    )


any_stream = stream_of(60)
bounded_stream = stream_of(8)  # delays <= 8 s: with watermark_delay >= 8 nothing is late


def value_sum(report_final):
    return sum(report_final.values())


@FAST
@given(bounded_stream, sizes)
@example(events([("a", 1, 10.0), ("a", 2, 5.0, 10.0), ("b", 4, 9.9, 10.0)]), 10.0)
def test_without_late_data_stream_tumbling_equals_batch(evs, size):
    r = run_stream(evs, window=Tumbling(size), watermark_delay=8.0)
    assert r.late == []
    assert r.final == batch_view(evs, window=Tumbling(size))
    b = run_batch(evs, interval=size, period=size)
    assert {(k, s): v for (k, s, _), v in r.final.items()} == b.final
    done = 0
    for run in b.runs:  # each run takes exactly what arrived before it started
        done += run.events
        assert done == sum(e.arrival_time < run.start for e in evs)
    points = [x for x, _ in b.latencies]
    assert points == sorted(points)  # the chart's points read left to right


@FAST
@given(
    bounded_stream,
    st.sampled_from([Sliding(10, 5), Sliding(30, 10), Session(3), Session(7)]),
    aggregates,
)
@example(events([("a", 1, 0.0), ("a", 2, 3.0), ("a", 4, 5.9)]), Session(3), "sum")
@example(events([("a", 2, 3.0), ("a", 1, 0.0, 3.0)]), Session(3), "sum")
@example(events([("a", 1, 5.0), ("a", 2, 10.0)]), Sliding(10, 5), "count")
def test_without_late_data_other_windows_equal_batch(evs, window, aggregate):
    r = run_stream(evs, window=window, watermark_delay=8.0, aggregate=aggregate)
    assert r.late == []
    assert r.final == batch_view(evs, window=window, aggregate=aggregate)


@FAST
@given(
    any_stream,
    sizes,
    st.sampled_from([0.0, 2.0, 8.0]),
    st.sampled_from([0.0, 3.0, 20.0]),
    st.booleans(),
)
@example(events([("a", 1, 3.0), ("z", 1, 13.0), ("a", 2, 4.0, 14.0)]), 10.0, 0.0, 3.0, False)
@example(
    events([("a", 1, 0.0), ("a", 2, 5.0), ("z", 1, 20.0), ("a", 4, 2.5, 21.0)]), 5.0, 0.0, 0.0, True
)
def test_every_value_is_accounted_for_exactly_once(evs, size, delay, lateness, session):
    window = Session(size) if session else Tumbling(size)
    r = run_stream(evs, window=window, watermark_delay=delay, allowed_lateness=lateness)
    total = sum(e.value for e in evs)
    assert value_sum(r.final) + sum(x.event.value for x in r.late) == total
    counted = Counter()
    for e in r.emissions:
        counted[(e.key, e.start, e.end)] = e.count  # the latest emission holds the full count
    final_count = sum(counted[k] for k in r.final)
    assert final_count + len(r.late) == len(evs)
    # an update always follows an earlier emission of the same window (or a merged session)
    if not session:
        seen = set()
        for e in r.emissions:
            assert e.update == ((e.key, e.start) in seen)
            seen.add((e.key, e.start))


@FAST
@given(any_stream, sizes, st.sampled_from([0.0, 1.5, 8.0]))
def test_watermark_never_decreases(evs, size, delay):
    for run in (
        run_stream,
        lambda e, **kw: run_general(e, kw["window"], kw["watermark_delay"], 0.0, "sum"),
    ):
        r = run(evs, window=Tumbling(size), watermark_delay=delay)
        marks = [w for _, w in r.watermarks]
        times = [t for t, _ in r.watermarks]
        assert marks == sorted(marks) and times == sorted(times)
        assert len(set(marks)) == len(marks)  # recorded only when it moves
        if evs:
            assert marks[-1] == max(e.event_time for e in evs) - delay


@FAST
@given(any_stream, sizes, st.sampled_from([0.0, 2.0, 8.0]), st.sampled_from([0.0, 5.0]), aggregates)
def test_fast_path_equals_general_engine(evs, size, delay, lateness, aggregate):
    fast = run_stream(
        evs,
        window=Tumbling(size),
        watermark_delay=delay,
        allowed_lateness=lateness,
        aggregate=aggregate,
    )
    general = run_general(evs, Tumbling(size), delay, lateness, aggregate)
    assert fast == general


@FAST
@given(
    bounded_stream,
    sizes,
    sizes,
    aggregates,
    st.one_of(st.floats(0, 200), st.integers(0, 80).map(lambda i: i * 2.5)),
    st.sampled_from([1.0, 50.0]),
)
def test_kappa_replay_equals_batch_recompute(evs, size, new_size, aggregate, redeploy, speed):
    r = run_kappa(
        evs,
        window=Tumbling(size),
        new_window=Tumbling(new_size),
        new_aggregate=aggregate,
        watermark_delay=8.0,
        redeploy_at=redeploy,
        replay_throughput=speed,
    )
    assert r.new_final == batch_view(evs, window=Tumbling(new_size), aggregate=aggregate)
    assert r.caught_up_at >= redeploy


@FAST
@given(any_stream, sizes, st.sampled_from([20.0, 50.0, 100.0]), st.sampled_from([0.0, 2.0]))
@example(events([("a", 1, 5.0), ("a", 2, 6.0, 20.0), ("a", 4, 19.0, 40.0)]), 10.0, 20.0, 0.0)
def test_lambda_merged_view_equals_batch_view_after_the_last_run(evs, size, every, delay):
    r = run_lambda(evs, batch_interval=every, window=Tumbling(size), watermark_delay=delay)
    if not evs:
        assert r.batch_views == []
        return
    last = r.batch_views[-1]
    assert last.events == len(evs)
    exact = {(k, s): v for (k, s, _), v in batch_view(evs, window=Tumbling(size)).items()}
    assert last.view == exact
    assert r.query(last.published_at) == exact
    for view in r.batch_views:  # each batch view is exact for what had arrived
        arrived = [e for e in evs if e.arrival_time < view.cutoff]
        assert view.view == {
            (k, s): v for (k, s, _), v in batch_view(arrived, window=Tumbling(size)).items()
        }


@FAST
@given(
    any_stream,
    sizes,
    st.sampled_from([0.0, 3.0]),
    st.sampled_from([1.0, 7.0, 10.0, 40.0]),
    st.one_of(st.floats(0, 220), st.integers(0, 44).map(lambda i: i * 5.0)),
)
@example(
    events([("a", 1, 5.0), ("a", 2, 15.0), ("a", 4, 25.0), ("a", 8, 35.0)]), 10.0, 0.0, 10.0, 30.0
)
def test_recovery_guarantees(evs, size, delay, interval, crash_at):
    baseline = run_stream(evs, window=Tumbling(size), watermark_delay=delay)
    expected = [identity(e) for e in baseline.emissions]
    kw = dict(
        window=Tumbling(size),
        watermark_delay=delay,
        checkpoint_interval=interval,
        crash_at=crash_at,
    )
    exactly = run_with_crash(evs, guarantee="exactly-once", **kw)
    assert [identity(e) for e in exactly.sink] == expected
    assert exactly.duplicates == []
    assert exactly.final == baseline.final
    at_least = run_with_crash(evs, guarantee="at-least-once", **kw)
    dup = {id(d) for d in at_least.duplicates}
    assert [identity(e) for e in at_least.sink if id(e) not in dup] == expected
    assert at_least.final == baseline.final
    assert exactly.replayed == at_least.replayed >= 0
    # restored from the last checkpoint strictly before the crash (one due at the crash instant
    # is never taken), and every event read since then is read again
    before = [c for c in at_least.checkpoints if c < crash_at]
    assert at_least.restored_from == (before[-1] if before else 0.0)
    arrived = sum(e.arrival_time < crash_at for e in evs)
    replayed_from = sum(e.arrival_time < at_least.restored_from for e in evs)
    assert at_least.replayed == arrived - replayed_from


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from(["none", "uniform", "exponential"]))
def test_same_seed_same_output(seed, delay):
    kw = dict(rate=5, duration=20, keys=4, seed=seed, delay=delay, late_fraction=0.1)
    a, b = generate_stream(**kw), generate_stream(**kw)
    assert a == b
    assert run_stream(a) == run_stream(b)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(keys, st.integers(1, 9), st.integers(0, 60), st.integers(0, 40)), max_size=25
    ),
    st.sampled_from([2.0, 4.0]),
)
def test_session_merges_across_emitted_sessions_account_exactly(rows, gap):
    # dense, very out-of-order sessions: late events often bridge sessions already emitted
    evs = events([(k, v, t / 2, t / 2 + d / 2) for k, v, t, d in rows])
    r = run_stream(evs, window=Session(gap), watermark_delay=0.0, allowed_lateness=15.0)
    assert value_sum(r.final) + sum(x.event.value for x in r.late) == sum(e.value for e in evs)
    # Final sessions of a key may overlap: a straggler that comes after an emitted session
    # has left state opens a session of its own (as in Flink), it does not reopen the old one.
