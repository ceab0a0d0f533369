"""Micro-batches worked by hand: the state a batch keeps, what it drops and with which window, the
report's own dials, and the machine time from the first arrival to the end of the input.

The trigger ticks every 5 s: batch n runs at 5n over what arrived in [5(n - 1), 5n); the
watermark moves after a batch, and a window is finished by a batch whose starting watermark has
reached its end. Companion cases live in test_semantics.py (ticks, append mode, late rows).
"""

import pytest

from simulations import ProcessingTime, Session, Tumbling, events, run_stream


def spark(rows, window=None, mode="append", **dials):
    return run_stream(
        events(rows),
        window=window or Tumbling(10),
        watermark_delay=0,
        semantics="spark",
        trigger_interval=5,
        output_mode=mode,
        **dials,
    )


def test_update_mode_evicts_a_window_when_the_watermark_is_exactly_at_its_end():
    # batch 5 opens k's [0, 10) and moves the watermark to 1; batch 15 opens z's [10, 20) and
    # moves it to exactly 10; the no-data batch at 20 starts at 10 and evicts [0, 10); the end
    # of the input (at 25) releases the rest
    r = spark([("k", 1, 1.0, 1.0), ("z", 0, 10.0, 11.0)], mode="update")
    assert r.state_sizes == [(5, 1), (15, 2), (20, 1), (25, 0)]
    assert r.watermarks == [(5, 1.0), (15, 10.0)]


def test_a_dropped_row_names_its_whole_window():
    # batch 15 moves the watermark to 12; batch 25 filters with it, and [0, 10) ended before
    rows = [("k", 1, 1.0, 1.0), ("z", 0, 12.0, 12.0), ("k", 4, 2.0, 21.0)]
    r = spark(rows)
    assert [(x.event.value, x.start, x.end) for x in r.dropped] == [(4, 0.0, 10.0)]


def test_a_late_session_row_does_not_stop_the_rows_read_after_it():
    # batch 25 reads the straggler k@8 (its own window [8, 10) ended at the watermark 10 of the
    # batch before) and then k@22, which is on time and opens a session of its own
    rows = [
        ("k", 1, 1.0, 1.0),
        ("z", 0, 10.0, 11.0),
        ("z", 0, 16.0),
        ("k", 4, 8.0, 21.0),
        ("k", 8, 22.0, 22.0),
    ]
    r = spark(rows, window=Session(2))
    assert [(x.event.value, x.start, x.end) for x in r.dropped] == [(4, 8.0, 10.0)]
    assert r.final[("k", 22.0, 24.0)] == 8


def test_complete_mode_keeps_only_the_merged_session_as_final():
    # k@1 is written alone as [1, 4) at 5, then k@2 merges into it: [1, 5) replaces it
    rows = [("k", 1, 1.0, 1.0), ("k", 2, 2.0, 6.0), ("k", 4, 8.0, 11.0)]
    r = spark(rows, window=Session(3), mode="complete")
    assert r.final == {("k", 1.0, 5.0): 3, ("k", 8.0, 11.0): 4}


@pytest.mark.parametrize("mode", ["append", "update", "complete"])
def test_machine_time_runs_from_the_first_arrival_to_the_end_of_the_input(mode):
    # batch 5 reads k@1 at arrival 2 and moves the watermark; the no-data batch at 10 moves
    # nothing, so the end of the input comes one interval later, at 15 (complete mode runs no
    # no-data batch: its last batch is at 5, the end at 10)
    r = spark([("k", 1, 1.0, 2.0)], mode=mode)
    end = 10 if mode == "complete" else 15
    assert r.machine_seconds == end - 2.0
    assert r.emissions[-1].emitted_at == (5 if mode != "append" else 15)


def test_no_events_cost_no_machine_time():
    r = run_stream([], semantics="spark", trigger_interval=5)
    assert r.machine_seconds == 0.0 and r.emissions == [] and r.state_sizes == []


def test_the_report_carries_the_dials_it_ran_with():
    r = spark([("k", 1, 1.0)], window=Tumbling(10), aggregate="max")
    assert (str(r.window), r.watermark_delay, r.allowed_lateness, r.aggregate) == (
        "tumbling 10s",
        0,
        0,
        "max",
    )
    assert r.semantics == "spark"


def test_a_processing_time_window_is_refused_with_the_reason():
    with pytest.raises(ValueError) as info:
        spark([("k", 1, 1.0)], window=ProcessingTime(10))
    assert str(info.value) == (
        "window must be an event-time window with semantics='spark', got ProcessingTime"
    )
