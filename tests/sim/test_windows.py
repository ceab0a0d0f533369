"""Window kinds: which window(s) an event time belongs to, and argument checks."""

import pytest

from simulations import ProcessingTime, Session, Sliding, Tumbling


def test_tumbling_is_half_open():
    w = Tumbling(10)
    assert w.assign(0) == [(0, 10)]
    assert w.assign(9.999) == [(0.0, 10.0)]
    assert w.assign(10) == [(10, 20)]  # the end belongs to the next window
    assert w.assign(-1) == [(-10, 0)]


def test_sliding_windows_containing_a_time():
    w = Sliding(10, 5)
    assert w.assign(7) == [(0, 10), (5, 15)]
    assert w.assign(10) == [(5, 15), (10, 20)]
    assert Sliding(30, 10).assign(25) == [(0, 30), (10, 40), (20, 50)]
    assert Sliding(10, 10).assign(3) == [(0, 10)]  # slide == size is tumbling


def test_processing_time_assigns_like_tumbling():
    assert ProcessingTime(10).assign(25) == [(20, 30)]


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: Tumbling(0), "size"),
        (lambda: Tumbling(-5), "size"),
        (lambda: Sliding(10, 0), "slide"),
        (lambda: Sliding(10, 20), "slide"),
        (lambda: Sliding(0, 1), "size"),
        (lambda: Session(0), "gap"),
        (lambda: ProcessingTime(-1), "size"),
    ],
)
def test_bad_window_arguments(make, name):
    with pytest.raises(ValueError, match=name):
        make()


def test_window_size_must_be_a_number():
    with pytest.raises(TypeError, match="size must be a number"):
        Tumbling("60")  # type: ignore[arg-type]


def test_str():
    assert str(Tumbling(60)) == "tumbling 60s"
    assert str(Sliding(60, 30)) == "sliding 60s every 30s"
    assert str(Session(30)) == "session gap 30s"
    assert str(ProcessingTime(10)) == "processing-time 10s"
