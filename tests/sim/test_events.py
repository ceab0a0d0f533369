"""Events: validation, hand-written rows and the seeded generator."""

import importlib

import pytest

from simulations import Event, events, generate_stream


def test_event_delay_and_default_arrival():
    e = Event("k", 2, 10.0, 12.5)
    assert e.delay == 2.5
    assert Event("k", 2, 10.0).arrival_time == 10.0


def test_event_is_frozen():
    e = Event("k", 2, 10.0)
    with pytest.raises(AttributeError):
        e.value = 3  # type: ignore[misc]


def test_event_cannot_arrive_before_it_happens():
    with pytest.raises(ValueError, match="arrival_time must be >= event_time"):
        Event("k", 1, 10.0, 9.0)


@pytest.mark.parametrize(
    ("args", "name", "exc"),
    [
        ((1, 1, 0.0), "key", TypeError),
        (("k", "1", 0.0), "value", TypeError),
        (("k", True, 0.0), "value", TypeError),
        (("k", 1, "0"), "event_time", TypeError),
        (("k", 1, float("nan")), "event_time", ValueError),
        (("k", 1, 0.0, float("inf")), "arrival_time", ValueError),
    ],
)
def test_event_rejects_bad_fields(args, name, exc):
    with pytest.raises(exc, match=name):
        Event(*args)


def test_events_builds_and_orders_by_arrival_keeping_ties_in_order():
    evs = events([("a", 1, 0.0), ("b", 2, 5.0, 9.0), ("c", 3, 7.0), ("d", 4, 8.0, 9.0)])
    # arrivals: a 0, c 7, b 9, d 9 (b before d: given in that order)
    assert [e.key for e in evs] == ["a", "c", "b", "d"]
    assert evs[2] == Event("b", 2, 5.0, 9.0)


def test_events_rejects_malformed_rows():
    with pytest.raises(ValueError, match=r"rows\[1\]"):
        events([("a", 1, 0.0), ("b", 2)])


def test_generate_stream_shape():
    evs = generate_stream(rate=10, duration=60, keys=3, seed=4)
    assert 450 < len(evs) < 750  # Poisson(600): 6 standard deviations either side
    assert {e.key for e in evs} == {"k0", "k1", "k2"}
    assert all(1 <= e.value <= 9 and isinstance(e.value, int) for e in evs)
    assert all(0 <= e.event_time < 60 for e in evs)
    assert all(e.arrival_time >= e.event_time for e in evs)
    order = [(e.arrival_time, e.event_time, e.key) for e in evs]
    assert order == sorted(order)


def test_generate_stream_is_deterministic_per_seed():
    assert generate_stream(seed=7) == generate_stream(seed=7)
    assert generate_stream(seed=7) != generate_stream(seed=8)


def test_generate_stream_delay_kinds():
    none = generate_stream(seed=1, delay="none")
    assert all(e.delay == 0 for e in none)
    uniform = generate_stream(seed=1, delay="uniform", mean_delay=2.0)
    assert all(0 <= e.delay <= 4.0 + 1e-9 for e in uniform)
    assert 1.5 < sum(e.delay for e in uniform) / len(uniform) < 2.5
    expo = generate_stream(seed=1, delay="exponential", mean_delay=2.0)
    assert 1.5 < sum(e.delay for e in expo) / len(expo) < 2.5
    assert max(e.delay for e in expo) > 4.0  # an exponential has a tail past 2x the mean


def test_generate_stream_stragglers():
    evs = generate_stream(seed=2, delay="none", late_fraction=1.0, late_delay=30.0)
    assert all(e.delay == pytest.approx(30.0) for e in evs)
    some = generate_stream(seed=2, delay="none", late_fraction=0.2, late_delay=30.0)
    share = sum(e.delay > 0 for e in some) / len(some)
    assert 0.12 < share < 0.28


def test_generate_stream_bursts_raise_the_rate_inside_the_span():
    evs = generate_stream(rate=10, duration=60, seed=3, bursts=[(20.0, 10.0, 5.0)])
    inside = sum(20 <= e.event_time < 30 for e in evs)
    before = sum(0 <= e.event_time < 10 for e in evs)
    assert 350 < inside < 650  # about 500 expected
    assert 50 < before < 160  # about 100 expected


def test_generate_stream_key_prefix():
    assert {e.key for e in generate_stream(keys=2, key_prefix="user-")} == {"user-0", "user-1"}


def test_generate_stream_hands_out_a_new_list_each_time(monkeypatch):
    module = importlib.import_module("simulations.events")  # simulations.events is a function
    monkeypatch.setattr(module, "_recent", {})
    first = generate_stream(seed=5)
    fresh = list(first)
    first.clear()  # what one caller does to its list...
    again = generate_stream(seed=5)
    assert again == fresh and again is not first  # ...another never sees
    monkeypatch.setattr(module, "_recent", {})
    assert generate_stream(seed=5) == fresh  # kept or generated: the same stream


def test_generate_stream_keeps_only_a_few_small_streams(monkeypatch):
    module = importlib.import_module("simulations.events")  # simulations.events is a function
    monkeypatch.setattr(module, "_recent", {})
    monkeypatch.setattr(module, "RECENT_MAX_EVENTS", 100)
    generate_stream(rate=1, duration=60, seed=1)  # about 60 events: kept
    generate_stream(rate=10, duration=60, seed=1)  # about 600: not kept
    assert [len(s) for s in module._recent.values()] == [
        len(generate_stream(rate=1, duration=60, seed=1))
    ]
    for seed in range(module.RECENT_STREAMS + 3):
        generate_stream(rate=1, duration=10, seed=seed)
    assert len(module._recent) == module.RECENT_STREAMS
