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
    run_with_crash,
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


def test_kappa_jobs_keep_their_own_aggregate_and_watermark_delay():
    # Old job: max per Tumbling(10), so [0, 10) holds max(1, 5) = 5 (a sum would say 6).
    # New job: Tumbling(20), delay 2, replaying from 30 at 1 event/s: the event of 23 is
    # processed at 34 and moves the watermark to 21, closing [0, 20) at 34 (a delay of 5 would
    # hold it until the event of 38 is processed, at 39).
    rows = [("a", 1, 1.0), ("a", 5, 2.0), ("a", 2, 12.0), ("a", 4, 23.0), ("a", 8, 38.0)]
    r = run_kappa(
        events(rows),
        window=Tumbling(10),
        new_window=Tumbling(20),
        aggregate="max",
        watermark_delay=2,
        redeploy_at=30.0,
        replay_throughput=1.0,
    )
    assert r.old_final[("a", 0.0, 10.0)] == 5
    assert [(e.start, e.value, e.emitted_at) for e in r.new_output] == [
        (0.0, 5, 34.0),
        (20.0, 8, 39.0),
    ]
    assert run_kappa([]).redeploy_at == 0.0  # no arrivals: halfway between 0 and 0


def test_events_takes_event_objects_as_they_are_and_sorts_them_with_the_rows():
    late = Event("b", 2, 5.0, 9.0)
    evs = events([late, ("a", 1, 0.0), ("c", 3, 6.0)])
    assert [e.key for e in evs] == ["a", "c", "b"]  # arrival order: 0, 6, then 9
    assert evs[2] is late  # an Event is a fact: kept, not copied


def test_the_recovery_panel_states_the_interval_even_with_no_checkpoint_taken():
    # the job crashes at 5 s, before the first checkpoint is due at 30 s: none was taken,
    # yet the job's interval is still 30 s, and the panel must not say "every 0s"
    evs = events([("a", 1, 1.0), ("a", 2, 2.0), ("a", 4, 12.0)])
    r = run_with_crash(evs, window=Tumbling(10), watermark_delay=0, checkpoint_interval=30,
                       crash_at=5, guarantee="at-least-once")  # fmt: skip
    assert r.checkpoints == []
    assert "checkpoint every 30s, crash at 5s" in r.panel()
