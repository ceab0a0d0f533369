"""Hand cases for what the boundary and property tests leave open (found by `make mutation`).

Each pins one observable detail whose change no other test noticed: state sizes of
processing-time windows, an update due the instant the watermark reaches a session's end, a
checkpoint restored twice, the throughput of a short batch job, a batch view by arrival time.
"""

from simulations import (
    Event,
    ProcessingTime,
    Session,
    Tumbling,
    batch_view,
    events,
    run_batch,
    run_kappa,
    run_stream,
)
from simulations.kappa import Log
from simulations.stream import Engine


def test_processing_time_state_is_counted_when_windows_open_and_close():
    # a's [0, 10) opens at 3 and closes at 10, when a's [10, 20) opens (still 1 window);
    # b joins [10, 20) at 14 (2 windows); the end of the input closes both at 20
    evs = events([("a", 1, 0.0, 3.0), ("a", 2, 1.0, 10.0), ("b", 4, 2.0, 14.0)])
    r = run_stream(evs, window=ProcessingTime(10))
    assert r.state_sizes == [(3.0, 1), (10.0, 1), (14.0, 2), (20.0, 0)]


def test_a_session_update_is_emitted_when_the_watermark_is_exactly_at_its_end():
    # a's session [0, 5) is emitted at 5 (watermark 5). The straggler at 0.0 arriving at 6
    # joins it; the watermark (5) is exactly at the session's end, so the update is due at
    # once, at 6, not when the watermark next moves (20).
    evs = events([("a", 1, 0.0), ("z", 1, 5.0), ("a", 2, 0.0, 6.0), ("z", 1, 20.0)])
    r = run_stream(evs, window=Session(5), watermark_delay=0, allowed_lateness=10)
    a = [(e.value, e.emitted_at, e.update) for e in r.emissions if e.key == "a"]
    assert a == [(1, 5.0, False), (3, 6.0, True)]


def test_a_snapshot_can_be_restored_twice():
    # restoring must copy the snapshot: processing after the first restore must not change it
    eng = Engine(Tumbling(10), watermark_delay=0.0)
    first, second = events([("a", 1, 5.0), ("b", 2, 15.0)])
    eng.process(first, 5.0)
    snap = eng.snapshot()
    eng.restore(snap)
    eng.process(second, 15.0)
    eng.restore(snap)
    assert list(eng.accs) == [("a", 0.0, 10.0)] and eng.offset == 1


def test_batch_throughput_of_a_short_job_and_of_no_job():
    # one event at 10,000 events/s: 0.0001 machine-seconds, so 10,000 events/s
    r = run_batch(events([("a", 1, 0.0)]), interval=10, aggregate="max")
    assert round(r.throughput) == 10_000 and r.aggregate == "max"
    assert run_batch([]).throughput == 0.0


def test_batch_view_of_processing_time_windows_groups_by_arrival():
    evs = events([("a", 1, 1.0, 12.0)])  # happened in [0, 10), arrived in [10, 20)
    assert batch_view(evs, window=ProcessingTime(10)) == {("a", 10.0, 20.0): 1}


def test_kappa_read_includes_an_emission_at_that_very_instant():
    rows = [("a", 1, 1.0), ("a", 2, 12.0), ("a", 4, 25.0), ("a", 8, 38.0)]
    r = run_kappa(
        events(rows),
        window=Tumbling(10),
        new_window=Tumbling(20),
        watermark_delay=0,
        redeploy_at=30.0,
        replay_throughput=1.0,
    )
    assert r.read(33.0) == {("a", 0.0, 20.0): 3}  # emitted at 33.0, readable at 33.0


def test_a_log_equals_only_a_log():
    log = Log([Event("a", 1, 0.0)])
    assert log == Log([Event("a", 1, 0.0)])
    assert log != [Event("a", 1, 0.0)]
