"""Lambda (batch + speed + serving) and Kappa (replay a log) on hand-written streams."""

import pytest

from simulations import Event, Log, Session, Tumbling, events, run_kappa, run_lambda

# a1 at 5 and a2 at 30 arrive on time; a4 happened at 8 but arrives at 40, after [0, 10)
# closed in the speed layer (watermark delay 0): the speed layer drops it, the batch run fixes it.
LAMBDA_ROWS = [("a", 1, 5.0), ("a", 2, 30.0), ("a", 4, 8.0, 40.0)]


def lambda_report(**kw):
    args = dict(batch_interval=100, window=Tumbling(10), watermark_delay=0)
    args.update(kw)
    return run_lambda(events(LAMBDA_ROWS), **args)


def test_lambda_serving_layer_before_and_after_the_batch_run():
    r = lambda_report()
    assert [(v.cutoff, v.events) for v in r.batch_views] == [(100.0, 3)]
    assert r.batch_views[0].published_at == pytest.approx(100.0003)
    assert r.query(29.0) == {}  # nothing emitted by the speed layer yet
    assert r.query(30.0) == {("a", 0.0): 1}  # [0, 10) closed when 30 arrived
    assert r.query(45.0) == {("a", 0.0): 1, ("a", 30.0): 2}  # flushed at 40; a4 dropped
    assert r.query(101.0) == {("a", 0.0): 5, ("a", 30.0): 2}  # the batch view has a4
    assert r.speed_late[0.0] == 1


def test_lambda_staleness_and_corrections():
    r = lambda_report()
    assert r.staleness(45.0) == 45.0  # no batch view yet: everything is from the speed layer
    assert r.staleness(101.0) == 1.0
    assert [(c.key, c.start, c.before, c.after, c.run) for c in r.corrections] == [
        ("a", 0.0, 1, 5, 0)
    ]
    assert r.corrections[0].at == r.batch_views[0].published_at  # the serving layer changed then


def test_lambda_speed_layer_covers_arrivals_after_the_cutoff():
    rows = [("a", 1, 5.0), ("a", 2, 150.0)]
    r = run_lambda(events(rows), batch_interval=100, window=Tumbling(10), watermark_delay=0)
    assert [v.cutoff for v in r.batch_views] == [100.0, 200.0]
    # at 160 the batch view (cutoff 100) has a1; the speed layer since 100 has a2 (flushed
    # at 150, the end of its input)
    assert r.query(160.0) == {("a", 0.0): 1, ("a", 150.0): 2}
    assert r.staleness(160.0) == pytest.approx(60.0)


def test_lambda_panel():
    lines = lambda_report().panel().splitlines()
    assert lines[0] == "Mode: LAMBDA [batch layer + speed layer]"
    assert lines[1] == "Trigger: SCHEDULED [every 00:01:40] + EVENT"
    assert lines[3].startswith("Latency: p50=") and lines[3].endswith(
        ", event → speed-layer result)"
    )
    assert "1 correction," in lines[4]


KAPPA_ROWS = [("a", 1, 1.0), ("a", 2, 12.0), ("a", 4, 25.0), ("a", 8, 38.0)]


def kappa_report(**kw):
    args = dict(
        window=Tumbling(10),
        new_window=Tumbling(20),
        watermark_delay=0,
        redeploy_at=30.0,
        replay_throughput=1.0,
    )
    args.update(kw)
    return run_kappa(events(KAPPA_ROWS), **args)


def test_kappa_old_job():
    r = kappa_report()
    assert [(e.start, e.value, e.emitted_at) for e in r.old_output] == [
        (0.0, 1, 12.0),
        (10.0, 2, 25.0),
        (20.0, 4, 38.0),
        (30.0, 8, 38.0),
    ]


def test_kappa_replay_catches_up_then_switches():
    r = kappa_report()
    # replay at 1 event/s from 30: offsets 0, 1, 2 done at 31, 32, 33; the event of 38 has
    # not arrived at 33, so the new job is caught up at 33; it processes 38 at 39
    assert r.caught_up_at == 33.0 and r.switched_at == 33.0
    assert r.replay_seconds == 3.0
    assert [(e.start, e.end, e.value, e.emitted_at) for e in r.new_output] == [
        (0.0, 20.0, 3, 33.0),
        (20.0, 40.0, 12, 39.0),
    ]
    assert r.serving(32.9) == "old" and r.serving(33.0) == "new"
    assert r.read(20.0) == {("a", 0.0, 10.0): 1}
    assert r.read(35.0) == {("a", 0.0, 20.0): 3}


def test_kappa_new_aggregate_and_default_logic():
    r = kappa_report(new_window=None, new_aggregate="count")
    assert sorted(r.new_final.values()) == [1, 1, 1, 1]
    same = kappa_report(new_window=None)
    assert same.new_final == same.old_final


def test_kappa_panel():
    lines = kappa_report().panel().splitlines()
    assert lines[0] == "Mode: KAPPA [one stream job, replayable log]"
    assert lines[4] == "Status: SWITCHED [at 33s, replay took 3s]"


def test_log_is_append_only_with_offsets():
    log = Log()
    assert log.append(Event("a", 1, 0.0)) == 0
    assert log.append(Event("b", 1, 1.0)) == 1
    assert [e.key for e in log.read(0)] == ["a", "b"]
    assert len(log) == 2 and log[1].key == "b"
    with pytest.raises(TypeError, match="event must be an Event"):
        log.append(("a", 1, 0.0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="offset"):
        log.read(-1)


def test_kappa_redeploys_halfway_by_default_and_keeps_each_jobs_settings():
    # arrivals 1 .. 38: the default redeploy is halfway, at 19.5. The old job keeps its own
    # aggregate (max) and the new one the watermark delay (2 s: [0, 20) closes at event 25).
    r = kappa_report(redeploy_at=None, aggregate="max", watermark_delay=2, replay_throughput=4.0)
    assert r.redeploy_at == 19.5
    assert r.old_final == {("a", 0.0, 10.0): 1, ("a", 10.0, 20.0): 2, ("a", 20.0, 30.0): 4,
                           ("a", 30.0, 40.0): 8}  # fmt: skip
    # 4 events/s: offsets 0 and 1 done at 19.75 and 20.0; the event of 25 arrives later
    assert r.caught_up_at == 20.0
    assert [(e.start, e.value, e.emitted_at) for e in r.new_output] == [
        (0.0, 2, 25.25),
        (20.0, 8, 38.25),
    ]


# -- boundaries and profiles -------------------------------------------------------------------
def test_lambda_runs_a_batch_for_an_arrival_exactly_at_a_cutoff():
    # the last event arrives at 200, exactly the second cutoff: a view with cutoff 200 does not
    # hold it (strictly before), so a third run, at 300, must cover it
    evs = events([("a", 1, 5.0), ("a", 2, 150.0, 200.0)])
    r = run_lambda(evs, batch_interval=100, window=Tumbling(10), watermark_delay=0)
    assert [(v.cutoff, v.events) for v in r.batch_views] == [(100.0, 1), (200.0, 1), (300.0, 2)]
    assert r.query(r.batch_views[-1].published_at) == {("a", 0.0): 1, ("a", 150.0): 2}


def test_lambda_answers_in_key_then_window_order():
    evs = events([("b", 1, 35.0), ("a", 2, 31.0), ("b", 4, 5.0, 120.0), ("a", 8, 1.0, 130.0)])
    r = run_lambda(evs, batch_interval=100, window=Tumbling(10), watermark_delay=0)
    for t in (40.0, 135.0, 1000.0):  # at 135: the view of cutoff 100 and [0, 10) since
        answer = r.query(t)
        assert list(answer) == sorted(answer)
    assert r.query(1000.0) == {("a", 0.0): 8, ("a", 30.0): 2, ("b", 0.0): 4, ("b", 30.0): 1}


@pytest.mark.parametrize(("semantics", "late"), [("course", 1), ("flink", 1), ("beam", 0)])
def test_lambda_speed_layer_counts_late_events_kept_or_dropped(semantics, late):
    # a4 happened at 8 and arrives when the watermark (delay 20) is at 10, exactly [0, 10)'s
    # end: late under the course's rules (kept) and Flink's (dropped), still on time under Beam's
    rows = [("a", 1, 5.0), ("a", 2, 30.0), ("a", 4, 8.0, 40.0)]
    r = run_lambda(
        events(rows), batch_interval=100, window=Tumbling(10), watermark_delay=20,
        semantics=semantics,
    )  # fmt: skip
    assert r.speed_late[0.0] == late
    assert r.speed_late[100.0] == 0


def test_lambda_speed_layer_follows_the_profile():
    rows = [("k", 1, 0.0), ("k", 2, 5.0), ("z", 0, 30.0)]  # one gap apart: Flink merges them
    flink = run_lambda(events(rows), window=Session(5), watermark_delay=0, semantics="flink")
    course = run_lambda(events(rows), window=Session(5), watermark_delay=0)
    assert [k for k in flink.query(30.0) if k[0] == "k"] == [("k", 0.0)]
    assert [k for k in course.query(30.0) if k[0] == "k"] == [("k", 0.0), ("k", 5.0)]


def test_kappa_jobs_follow_the_profile():
    rows = [("k", 1, 0.0), ("k", 2, 5.0), ("z", 0, 30.0)]
    r = run_kappa(events(rows), window=Session(5), watermark_delay=0, semantics="flink")
    assert sorted(k for k in r.old_final if k[0] == "k") == [("k", 0.0, 10.0)]
    assert sorted(k for k in r.new_final if k[0] == "k") == [("k", 0.0, 10.0)]


def test_kappa_reads_a_result_from_the_instant_it_is_written():
    r = kappa_report()
    assert r.read(11.999) == {}
    assert r.read(12.0) == {("a", 0.0, 10.0): 1}  # the old job wrote [0, 10) at 12
    assert r.read(39.0) == {("a", 0.0, 20.0): 3, ("a", 20.0, 40.0): 12}


def test_kappa_reads_in_key_then_window_order():
    # b's window [0, 10) is written first, then a's [10, 20): a reader still gets them sorted
    evs = events([("b", 1, 1.0), ("a", 2, 15.0), ("b", 4, 25.0)])
    r = run_kappa(evs, window=Tumbling(10), watermark_delay=0, redeploy_at=100.0)
    assert [e.key for e in r.old_output] == ["b", "a", "b"]
    assert list(r.read(30.0)) == [("a", 10.0, 20.0), ("b", 0.0, 10.0), ("b", 20.0, 30.0)]


def test_kappa_on_an_empty_log():
    r = run_kappa([], redeploy_at=5.0)
    assert (r.caught_up_at, r.switched_at, r.replay_seconds) == (5.0, 5.0, 0.0)
    assert r.old_output == r.new_output == [] and r.latency.count == 0
    assert run_kappa([]).redeploy_at == 0.0


def test_kappa_latency_is_the_new_jobs():
    r = kappa_report()
    # the new job writes [0, 20) at 33 (events at 1 and 12) and [20, 40) at 39 (25 and 38)
    # latencies 33 - 1, 33 - 12, 39 - 25, 39 - 38 = 32, 21, 14, 1
    assert (r.latency.count, r.latency.max, r.latency.mean) == (4, 32.0, 17.0)


def test_a_log_equals_a_log_of_the_same_events_and_is_not_hashable():
    evs = events(KAPPA_ROWS)
    assert Log(evs) == Log(evs) and Log(evs) != Log(evs[:2]) and Log(evs) != list(evs)
    assert repr(Log(evs)) == "Log(4 events)"
    assert [e.value for e in Log(evs).read()] == [1, 2, 4, 8]
    with pytest.raises(TypeError):
        hash(Log())


def test_kappa_names_a_bad_profile_before_its_other_arguments():
    with pytest.raises(ValueError, match="semantics must be one of"):
        run_kappa(events(KAPPA_ROWS), semantics="storm", replay_throughput=0)
