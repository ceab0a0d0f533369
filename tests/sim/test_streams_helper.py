"""The seeded streams a check runs a reader's function on (simulations._streams): each stream is
the one its ``how`` rebuilds, the arguments are checked, and the cache of recent calls keeps
exactly the last few, most recently used last, without ever sharing a list."""

from __future__ import annotations

import pytest

from simulations import _streams, generate_stream
from simulations._streams import RECENT_CALLS, Stream, random_streams


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts and ends with no remembered calls, whatever ran before."""
    _streams._recent.clear()
    yield
    _streams._recent.clear()


def rebuilt(stream: Stream) -> list:
    """The stream its ``how`` names, generated afresh (the call a reader would type)."""
    return eval(stream.how, {"generate_stream": generate_stream})


def test_the_defaults_are_twenty_streams_from_seed_one():
    streams = random_streams(duration=2)
    assert [s.how for s in streams] == [
        f"generate_stream(seed={s}, duration=2)" for s in range(1, 21)
    ]
    assert all(list(s) == rebuilt(s) for s in streams)


def test_each_stream_is_the_one_its_how_rebuilds():
    streams = random_streams(3, seed=5, rate=2, key_prefix="u", late_fraction=0.25)
    assert [s.how for s in streams] == [
        f"generate_stream(seed={s}, rate=2, key_prefix='u', late_fraction=0.25)" for s in (5, 6, 7)
    ]
    for s in streams:
        assert isinstance(s, Stream) and list(s) == rebuilt(s) and len(s) > 0


def test_the_smallest_n_and_seed_are_accepted_and_one_below_is_refused():
    (only,) = random_streams(1, seed=0, duration=1)
    assert only.how == "generate_stream(seed=0, duration=1)"
    assert list(only) == generate_stream(seed=0, duration=1)
    with pytest.raises(ValueError, match=r"^n must be an int >= 1, got 0$"):
        random_streams(0)
    with pytest.raises(ValueError, match=r"^seed must be an int >= 0, got -1$"):
        random_streams(1, seed=-1)
    with pytest.raises(TypeError, match=r"^n must be an int, got float 2.0$"):
        random_streams(2.0)


def test_a_streams_copy_is_a_new_stream_that_still_says_how_it_was_made():
    stream = random_streams(1, seed=2, duration=3)[0]
    copy = stream.copy()
    assert type(copy) is Stream and copy is not stream
    assert copy == stream and copy.how == stream.how
    copy.pop()
    assert len(copy) == len(stream) - 1


def test_the_cache_keeps_the_last_calls_most_recently_used_last():
    calls = [(1, s, "") for s in range(RECENT_CALLS + 1)]
    for n, seed, _ in calls[:RECENT_CALLS]:
        random_streams(n, seed=seed)
    assert list(_streams._recent) == calls[:RECENT_CALLS]
    random_streams(1, seed=0)  # used again: now the most recent
    assert list(_streams._recent) == [*calls[1:RECENT_CALLS], calls[0]]
    random_streams(1, seed=RECENT_CALLS)  # one call too many: the least recent goes
    assert list(_streams._recent) == [*calls[2:RECENT_CALLS], calls[0], calls[RECENT_CALLS]]
    assert len(_streams._recent) == RECENT_CALLS


def test_the_arguments_are_part_of_what_is_remembered():
    plain = random_streams(2, seed=3)
    shorter = random_streams(2, seed=3, duration=5)
    assert list(_streams._recent) == [(2, 3, ""), (2, 3, ", duration=5")]
    assert plain != shorter and shorter[0].how == "generate_stream(seed=3, duration=5)"
    assert random_streams(2, seed=3) == plain  # from the cache, the same events


def test_a_remembered_call_gives_fresh_lists_of_the_same_events():
    first = random_streams(2, seed=9, duration=4)
    first[0].clear()
    first[1].append("not an event")
    again = random_streams(2, seed=9, duration=4)
    assert [list(s) for s in again] == [generate_stream(seed=s, duration=4) for s in (9, 10)]
    assert [s.how for s in again] == [s.how for s in first]


def test_a_remembered_call_generates_nothing_and_a_forgotten_one_generates_again(monkeypatch):
    made = []

    def counted(**kwargs):
        made.append(kwargs["seed"])
        return generate_stream(**kwargs)

    monkeypatch.setattr(_streams, "generate_stream", counted)
    first = random_streams(3, seed=4, duration=2)
    assert made == [4, 5, 6]
    assert random_streams(3, seed=4, duration=2) == first and made == [4, 5, 6]
    for seed in range(10, 10 + RECENT_CALLS):
        random_streams(1, seed=seed, duration=2)
    made.clear()
    assert random_streams(3, seed=4, duration=2) == first and made == [4, 5, 6]
