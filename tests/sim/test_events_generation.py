"""generate_stream's promises checked one by one: the millisecond grid, every value 1..9, delays
of each kind, stragglers, bursts below the base rate, and the small cache of recent streams."""

import importlib

import pytest

from simulations import Event, events, generate_stream


def test_times_are_on_the_millisecond_grid():
    evs = generate_stream(rate=50, duration=20, seed=11, delay="uniform", mean_delay=0.7)
    assert all(round(e.event_time, 3) == e.event_time for e in evs)
    assert all(round(e.arrival_time, 3) == e.arrival_time for e in evs)
    assert any(e.event_time != round(e.event_time, 2) for e in evs)  # not a coarser grid


def test_values_are_every_int_from_1_to_9_and_keys_every_name():
    evs = generate_stream(rate=50, duration=20, keys=4, seed=3)
    assert {e.value for e in evs} == set(range(1, 10))
    assert {e.key for e in evs} == {"k0", "k1", "k2", "k3"}


@pytest.mark.parametrize("kind", ["uniform", "exponential"])
def test_a_mean_delay_of_zero_is_the_stream_of_no_delay(kind):
    # no delay draws no random number: the event times are the same as with delay="none"
    assert generate_stream(seed=6, delay=kind, mean_delay=0) == generate_stream(
        seed=6, delay="none"
    )


def test_a_mean_delay_of_one_second_delays():
    evs = generate_stream(rate=20, duration=60, seed=6, delay="exponential", mean_delay=1.0)
    assert 0.8 < sum(e.delay for e in evs) / len(evs) < 1.2


def test_uniform_delays_start_at_zero():
    evs = generate_stream(rate=20, duration=60, seed=6, delay="uniform", mean_delay=2.0)
    assert min(e.delay for e in evs) < 0.05
    assert max(e.delay for e in evs) > 3.95


def test_a_straggler_waits_the_late_delay_on_top_of_its_network_delay():
    evs = generate_stream(seed=2, delay="uniform", mean_delay=1.0, late_fraction=1.0, late_delay=30)
    assert all(30.0 <= e.delay <= 32.0 + 1e-9 for e in evs)
    assert min(e.delay for e in evs) < 30.05


def test_a_burst_below_one_lowers_the_rate_inside_its_span():
    evs = generate_stream(rate=20, duration=60, seed=3, bursts=[(20.0, 20.0, 0.25)])
    inside = sum(20 <= e.event_time < 40 for e in evs)  # about 100 expected
    outside = sum(e.event_time < 20 or e.event_time >= 40 for e in evs)  # about 800
    assert 60 < inside < 140
    assert 700 < outside < 900


def test_a_burst_ends_at_start_plus_length():
    evs = generate_stream(rate=10, duration=60, seed=3, bursts=[(10.0, 10.0, 8.0)])
    after = sum(20 <= e.event_time < 30 for e in evs)  # about 100 expected, not 800
    assert 50 < after < 160


def test_events_exactly_on_time_are_valid():
    e = Event("a", 1, 5.0, 5.0)
    assert e.delay == 0.0
    assert events([e, ("b", 2, 1.0)]) == [Event("b", 2, 1.0), e]  # an Event row is kept as is


# -- the cache of recent streams ------------------------------------------------------------------
@pytest.fixture
def recent(monkeypatch):
    module = importlib.import_module("simulations.events")  # simulations.events is a function
    monkeypatch.setattr(module, "_recent", {})
    return module


def test_a_stream_exactly_at_the_size_limit_is_kept(recent, monkeypatch):
    n = len(generate_stream(rate=1, duration=30, seed=1))
    recent._recent.clear()
    monkeypatch.setattr(recent, "RECENT_MAX_EVENTS", n)
    generate_stream(rate=1, duration=30, seed=1)
    assert [len(s) for s in recent._recent.values()] == [n]
    monkeypatch.setattr(recent, "RECENT_MAX_EVENTS", n - 1)
    recent._recent.clear()
    generate_stream(rate=1, duration=30, seed=1)
    assert recent._recent == {}


def test_the_stream_asked_for_least_recently_is_forgotten_first(recent):
    def ask(seed):
        return generate_stream(rate=1, duration=5, seed=seed)

    ask(0)
    for seed in range(1, recent.RECENT_STREAMS):
        ask(seed)
    ask(0)  # used again: now the most recent
    ask(100)  # one too many: seed 1 goes, not seed 0
    seeds = [args[3] for args in recent._recent]
    assert len(seeds) == recent.RECENT_STREAMS
    assert seeds[-2:] == [0, 100] and 1 not in seeds
