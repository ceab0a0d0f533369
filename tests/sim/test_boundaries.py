"""Exact boundaries: every rule the engine states, tried at the instant where it flips.

The subtlest lessons of the course live on boundaries: a window is half-open, an event exactly
one gap after another starts a new session, a window fires when the watermark *reaches* its
end, an event is late when the watermark has reached end + allowed lateness, a batch run takes
what arrived *before* its start, a checkpoint due at the crash instant is never taken. Each test
below states the rule, the hand-worked answer, and why; each would fail if ``<`` became ``<=``
(or the reverse) in the line that implements the rule.

Stream cases run on both engines (the tumbling fast path and the general Engine) where the
window kind allows it. Sessions are checked with the default conventions only: touching sessions
stay apart, late events are kept in ``.late``.
"""

import pytest

from simulations import (
    Emission,
    LateEvent,
    ProcessingTime,
    Session,
    Sliding,
    Tumbling,
    batch_view,
    events,
    run_batch,
    run_kappa,
    run_lambda,
    run_stream,
    run_with_crash,
)
from simulations.stream import Engine, run_general


def general(evs, *, window, watermark_delay=5.0, allowed_lateness=0.0, aggregate="sum"):
    return run_general(evs, window, watermark_delay, allowed_lateness, aggregate)


ENGINES = pytest.mark.parametrize("run", [run_stream, general], ids=["fast", "general"])


def finals(report):
    return sorted(report.final.items())


# -- windows: half-open [start, end) ----------------------------------------------------------


@ENGINES
def test_an_event_exactly_at_a_window_end_belongs_to_the_next_window(run):
    # 10.0 is the end of [0, 10) and the start of [10, 20): half-open windows put it in the
    # second one only, so the first holds 1 and the second 2 (never 3, never counted twice).
    evs = events([("a", 1, 9.9), ("a", 2, 10.0)])
    r = run(evs, window=Tumbling(10), watermark_delay=0.0)
    assert finals(r) == [(("a", 0.0, 10.0), 1), (("a", 10.0, 20.0), 2)]


def test_sliding_windows_at_a_slide_boundary():
    # Sliding(10, 5): 5.0 starts [5, 15) and ends [-5, 5), so it is in [0, 10) and [5, 15).
    r = run_stream(events([("a", 1, 5.0)]), window=Sliding(10, 5), watermark_delay=0.0)
    assert finals(r) == [(("a", 0.0, 10.0), 1), (("a", 5.0, 15.0), 1)]
    assert Sliding(10, 5).assign(10.0) == [(5.0, 15.0), (10.0, 20.0)]


def test_processing_time_window_closes_before_an_arrival_exactly_at_its_end():
    # ProcessingTime(10): an arrival at 10.0 is in [10, 20); [0, 10) closes at 10 with 1.
    evs = events([("a", 1, 0.0, 3.0), ("a", 2, 1.0, 10.0)])
    r = run_stream(evs, window=ProcessingTime(10))
    assert r.emissions == [
        Emission("a", 0.0, 10.0, 1, 1, 10.0),
        Emission("a", 10.0, 20.0, 2, 1, 20.0),  # at the end of the input: at its own end
    ]


# -- the watermark reaching a window's end ------------------------------------------------------


@ENGINES
def test_a_window_fires_when_the_watermark_reaches_its_end_not_before(run):
    # delay 2: the event at 11.9 moves the watermark to 9.9 (< 10: [0, 10) stays open); the
    # event at 12.0 moves it to exactly 10.0, which closes [0, 10) at that arrival, 13.0.
    evs = events([("a", 1, 1.0, 1.0), ("b", 5, 11.9, 12.0), ("b", 7, 12.0, 13.0)])
    r = run(evs, window=Tumbling(10), watermark_delay=2.0)
    assert r.emissions[0] == Emission("a", 0.0, 10.0, 1, 1, 13.0)
    assert r.watermarks == [(1.0, -1.0), (12.0, 9.9), (13.0, 10.0)]


@ENGINES
def test_an_event_exactly_at_the_watermark_is_still_on_time(run):
    # The watermark is 10 after the event at 10; an event at 10.0 arriving next is in [10, 20),
    # whose end (20) the watermark has not reached: on time, no late output.
    evs = events([("a", 1, 10.0, 10.0), ("a", 2, 10.0, 11.0)])
    r = run(evs, window=Tumbling(10), watermark_delay=0.0)
    assert r.late == []
    assert finals(r) == [(("a", 10.0, 20.0), 3)]


# -- allowed lateness: late exactly at watermark == end + allowed_lateness ---------------------


@ENGINES
@pytest.mark.parametrize("lateness", [0.0, 2.5, 5.0])
def test_late_exactly_at_end_plus_allowed_lateness(run, lateness):
    # Window [0, 10); the "z" events move the watermark (delay 0). A straggler at 3.0 arriving
    # when the watermark is just below 10 + lateness is an update (or, with no lateness, it
    # lands before the window closed); at exactly 10 + lateness it is late.
    edge = 10.0 + lateness
    evs = events(
        [
            ("a", 1, 3.0, 20.0),
            ("z", 1, edge - 0.5, 21.0),
            ("a", 2, 3.0, 22.0),  # watermark edge - 0.5: on time or an update
            ("z", 1, edge, 23.0),
            ("a", 4, 3.0, 24.0),  # watermark == edge: late
        ]
    )
    r = run(evs, window=Tumbling(10), watermark_delay=0.0, allowed_lateness=lateness)
    assert [(x.event.value, x.start, x.end) for x in r.late] == [(4, 0.0, 10.0)]
    assert r.final[("a", 0.0, 10.0)] == 3


def test_an_update_exactly_at_the_window_end_within_lateness_is_an_update_of_the_full_value():
    # Watermark exactly 10 closes [0, 10) (emitted with 1); a straggler arriving then, with
    # lateness 5, is folded in: an update carrying the full value 1 + 2 = 3.
    evs = events([("a", 1, 3.0, 3.0), ("z", 1, 10.0, 10.0), ("a", 2, 4.0, 11.0)])
    for run in (run_stream, general):
        r = run(evs, window=Tumbling(10), watermark_delay=0.0, allowed_lateness=5.0)
        a = [e for e in r.emissions if e.key == "a"]
        assert a == [
            Emission("a", 0.0, 10.0, 1, 1, 10.0),
            Emission("a", 0.0, 10.0, 3, 2, 11.0, update=True),
        ]


@pytest.mark.parametrize(("z_time", "late"), [(6.9, False), (7.0, True)])
def test_session_late_exactly_at_end_plus_allowed_lateness(z_time, late):
    # Session(5) of "a" is [0, 5); lateness 2, so its edge is watermark 7. A second "a" event
    # at 0.0 (own window [0, 5), overlapping the session) arriving at watermark 6.9 updates the
    # session to 1 + 2 = 3; arriving at watermark 7.0 it is late and the session stays 1.
    evs = events([("a", 1, 0.0, 0.0), ("z", 1, z_time, 8.0), ("a", 2, 0.0, 9.0)])
    r = run_stream(evs, window=Session(5), watermark_delay=0.0, allowed_lateness=2.0)
    if late:
        assert r.late == [LateEvent(evs[2], 0.0, 5.0)]
        assert r.final[("a", 0.0, 5.0)] == 1
    else:
        assert r.late == []
        assert r.final[("a", 0.0, 5.0)] == 3
        assert r.updates == [Emission("a", 0.0, 5.0, 3, 2, 9.0, update=True)]


# -- sessions: exactly one gap apart ------------------------------------------------------------


@pytest.mark.parametrize("order", ["in order", "reversed"])
def test_events_exactly_one_gap_apart_are_two_sessions(order):
    # Session(5): the event at 0 opens [0, 5); the event at 5.0 opens [5, 10). The windows
    # touch but do not overlap (half-open), so there are two sessions, in whichever order the
    # events arrive. 4.9 apart they would merge into [0, 9.9).
    rows = [("k", 1, 0.0), ("k", 2, 5.0)]
    if order == "reversed":
        rows = [("k", 2, 5.0, 5.0), ("k", 1, 0.0, 6.0)]
    evs = events(rows)
    r = run_stream(evs, window=Session(5), watermark_delay=10.0)
    assert finals(r) == [(("k", 0.0, 5.0), 1), (("k", 5.0, 10.0), 2)]
    assert r.final == batch_view(evs, window=Session(5))


def test_events_just_under_one_gap_apart_merge():
    evs = events([("k", 1, 0.0), ("k", 2, 4.9)])
    r = run_stream(evs, window=Session(5), watermark_delay=10.0)
    assert finals(r) == [(("k", 0.0, 9.9), 3)]
    assert r.final == batch_view(evs, window=Session(5))


def test_a_bridge_exactly_one_gap_from_both_sides_merges_nothing():
    # Sessions [0, 5) and [10, 15); an event at 5.0 opens [5, 10), touching both: three
    # sessions. Half-open windows that only touch never merge, on either side.
    evs = events([("k", 1, 0.0), ("k", 4, 10.0), ("k", 2, 5.0, 10.5)])
    r = run_stream(evs, window=Session(5), watermark_delay=20.0)
    assert finals(r) == [(("k", 0.0, 5.0), 1), (("k", 5.0, 10.0), 2), (("k", 10.0, 15.0), 4)]


def test_batch_view_sessions_exactly_one_gap_apart():
    evs = events([("k", 1, 0.0), ("k", 2, 5.0), ("k", 4, 9.9)])
    # 5.0 is exactly one gap after 0: new session; 9.9 is 4.9 after 5.0: same session.
    assert batch_view(evs, window=Session(5)) == {("k", 0.0, 5.0): 1, ("k", 5.0, 14.9): 6}


# -- ties: equal arrival times and equal event times --------------------------------------------


@ENGINES
def test_ties_in_arrival_are_processed_in_the_given_order(run):
    # Both arrive at 12.0. Given first, the event at 12 closes [0, 10) (delay 2) before the
    # straggler at 5.0 is seen: late. Given in the other order, the straggler is on time.
    closer, straggler = ("a", 1, 12.0, 12.0), ("a", 2, 5.0, 12.0)
    first = run(events([closer, straggler]), window=Tumbling(10), watermark_delay=2.0)
    assert [x.event.value for x in first.late] == [2]
    second = run(events([straggler, closer]), window=Tumbling(10), watermark_delay=2.0)
    assert second.late == []
    assert second.final[("a", 0.0, 10.0)] == 2


@ENGINES
def test_equal_event_times_move_the_watermark_once(run):
    evs = events([("a", 1, 4.0, 4.0), ("b", 1, 4.0, 5.0), ("c", 1, 3.0, 6.0)])
    r = run(evs, window=Tumbling(10), watermark_delay=1.0)
    assert r.watermarks == [(4.0, 3.0)]


# -- batch: a run takes what arrived strictly before its start -----------------------------------


def test_an_arrival_exactly_at_a_batch_run_start_waits_for_the_next_run():
    # Runs every 60 s. The event arriving at exactly 60.0 is not in the run that starts at 60
    # (it reads what arrived before it started): it is processed by the run at 120, so its
    # latency is 120 + 1 (one event at 1 event/s) - 50 = 71.
    evs = events([("a", 1, 10.0, 10.0), ("a", 2, 50.0, 60.0)])
    r = run_batch(evs, interval=60, throughput=1)
    assert [(run.start, run.events) for run in r.runs] == [(60.0, 1), (120.0, 1)]
    assert [(x.value, x.published_at, x.run) for x in r.results] == [(1, 61.0, 0), (3, 121.0, 1)]
    assert r.latencies == ((10.0, 51.0), (50.0, 71.0))


def test_a_run_exactly_when_the_previous_one_ends_starts_on_time():
    # Two events take 2 s at 1 event/s; the next run is scheduled at 2 (interval 2): the job is
    # free exactly then, so the run starts at 2.0, not later.
    evs = events([("a", 1, 0.0), ("a", 1, 0.5), ("a", 1, 1.5)])
    r = run_batch(evs, interval=1, first_run=1, throughput=1)
    assert [(run.start, run.end, run.events) for run in r.runs] == [(1.0, 3.0, 2), (3.0, 4.0, 1)]


def test_batch_latencies_are_sorted_by_event_time():
    # The event that happened first (at 10) arrives last, so it is processed by the second run:
    # the chart's points must still be in event-time order for the sawtooth to read left to right.
    evs = events([("a", 1, 50.0, 50.0), ("a", 2, 10.0, 70.0)])
    r = run_batch(evs, interval=60, throughput=1)
    assert r.latencies == ((10.0, 111.0), (50.0, 11.0))
    xs = [x for x, _ in r.latencies]
    assert xs == sorted(xs)


def test_the_first_run_exactly_at_an_arrival_skips_it():
    # first_run=5 and the only event arrives at 5.0: the run at 5 has nothing before it and is
    # skipped; the event goes to the run at 5 + 10 = 15.
    r = run_batch(events([("a", 1, 5.0)]), interval=10, first_run=5, throughput=1)
    assert [(run.start, run.events) for run in r.runs] == [(15.0, 1)]


# -- Lambda: the batch view holds arrivals before its cutoff, the speed layer the rest ---------


def test_an_arrival_exactly_at_the_lambda_cutoff_is_counted_once():
    # Cutoff 100. The event arriving at exactly 100.0 belongs to the speed layer from 100 on,
    # not to the batch view with cutoff 100: after that view is published, the serving layer
    # answers 1 + 2 = 3 for [0, 10), not 5 (counted twice) or 1 (lost).
    evs = events([("a", 1, 5.0, 5.0), ("a", 2, 6.0, 100.0)])
    r = run_lambda(evs, batch_interval=100, window=Tumbling(10), watermark_delay=0)
    first = r.batch_views[0]
    assert (first.cutoff, first.events, first.view) == (100.0, 1, {("a", 0.0): 1})
    assert r.query(first.published_at) == {("a", 0.0): 3}
    assert r.query(1000.0) == {("a", 0.0): 3}
    assert [e.value for e in r.speed[100.0]] == [2]


def test_lambda_serves_a_view_from_the_instant_it_is_published():
    evs = events([("a", 1, 5.0, 5.0), ("a", 2, 7.0, 50.0)])
    r = run_lambda(evs, batch_interval=100, window=Tumbling(10), watermark_delay=0)
    published = r.batch_views[0].published_at  # 100 + 2 events / 10,000 events/s
    assert published == 100.0002
    assert r.staleness(published) == pytest.approx(0.0002)
    assert r.staleness(published - 1e-9) == pytest.approx(published - 1e-9)  # still cutoff 0


# -- checkpoints and the crash instant ----------------------------------------------------------


def test_a_checkpoint_due_at_the_crash_instant_is_never_taken():
    # Checkpoints every 10 s, crash at 30: the checkpoint due at 30 would start at the very
    # instant the job dies, so the last complete one is at 20. Restoring it replays the event
    # that arrived at 25, and at-least-once writes [10, 20) twice.
    evs = events([("a", 1, 5.0), ("a", 2, 15.0), ("a", 4, 25.0), ("a", 8, 35.0)])
    kw = dict(window=Tumbling(10), watermark_delay=0, checkpoint_interval=10, crash_at=30)
    r = run_with_crash(evs, guarantee="at-least-once", **kw)
    assert r.checkpoints == [10.0, 20.0, 30.0]  # the one at 30 is taken after the restart
    assert r.restored_from == 20.0
    assert r.replayed == 1
    assert [(d.start, d.value, d.emitted_at) for d in r.duplicates] == [(10.0, 2, 30.0)]


def test_an_arrival_exactly_at_the_crash_is_processed_after_the_restart():
    # The event arriving at 30.0 is not processed before a crash at 30: it is read once, by the
    # restarted job, and not counted as replayed.
    evs = events([("a", 1, 5.0), ("a", 2, 15.0), ("a", 4, 30.0)])
    kw = dict(window=Tumbling(10), watermark_delay=0, checkpoint_interval=12, crash_at=30)
    r = run_with_crash(evs, guarantee="at-least-once", **kw)
    assert r.restored_from == 24.0
    assert r.replayed == 0
    assert r.duplicates == []


def test_a_checkpoint_at_an_arrival_instant_is_taken_before_that_event():
    # A checkpoint due at 12 with an event arriving at 12.0: the snapshot is taken first, so it
    # does not hold that event and a crash at 20 replays it.
    evs = events([("a", 1, 5.0), ("a", 2, 12.0), ("a", 4, 25.0)])
    kw = dict(window=Tumbling(10), watermark_delay=0, checkpoint_interval=12, crash_at=20)
    r = run_with_crash(evs, guarantee="at-least-once", **kw)
    assert r.restored_from == 12.0
    assert r.replayed == 1


def test_engine_restore_keeps_the_exact_offset():
    eng = Engine(Tumbling(10), watermark_delay=0.0)
    evs = events([("a", 1, 5.0), ("a", 2, 15.0)])
    eng.process(evs[0], 5.0)
    snap = eng.snapshot()
    eng.process(evs[1], 15.0)
    eng.restore(snap)
    assert eng.offset == 1
    assert eng.max_t == 5.0


# -- Kappa: catching up exactly when the next event arrives -------------------------------------


def test_kappa_catches_up_when_the_replay_reaches_an_arrival_exactly():
    # Replay at 1 event/s from 10: the first event is done at 11.0, exactly when the second
    # arrives (11.0 is not later than 11.0, so it is not yet caught up); the second is done
    # at 12.0 and nothing else has arrived: caught up at 12.
    evs = events([("a", 1, 1.0), ("a", 2, 11.0)])
    r = run_kappa(
        evs, window=Tumbling(10), watermark_delay=0, redeploy_at=10.0, replay_throughput=1.0
    )
    assert r.caught_up_at == 12.0
    assert r.serving(11.999) == "old"
    assert r.serving(12.0) == "new"


def test_sliding_slide_may_be_any_positive_fraction_up_to_the_size():
    # (0, size]: a slide under one second and a slide equal to the size (tumbling) are valid
    assert Sliding(10, 0.5).assign(0.2)[-1] == (0.0, 10.0)
    assert Sliding(10, 10).assign(10.0) == [(10, 20)]
