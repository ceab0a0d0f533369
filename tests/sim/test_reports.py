"""Every report prints the seed's status panel, and the default scenarios run."""

import pytest

from simulations import (
    generate_stream,
    run_batch,
    run_drift,
    run_kappa,
    run_lambda,
    run_stream,
    run_with_crash,
)

RUNS = {
    "stream": lambda evs: run_stream(evs),
    "batch": lambda evs: run_batch(evs),
    "recovery": lambda evs: run_with_crash(evs),
    "lambda": lambda evs: run_lambda(evs),
    "kappa": lambda evs: run_kappa(evs),
    "drift": lambda evs: run_drift(),
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_panel_has_the_five_lines_and_fits_a_box(name):
    report = RUNS[name](generate_stream())
    lines = report.panel().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        "Mode",
        "Trigger",
        "Volume",
        "Latency",
        "Status",
    ]
    assert all(line.split(": ", 1)[1].strip() for line in lines)
    assert max(map(len, lines)) <= 90
    assert str(report) == report.panel()


def test_default_stream_scenario_figures_are_consistent():
    evs = generate_stream()
    r = run_stream(evs)
    assert r.events == len(evs)
    assert sum(e.count for e in r.emissions) + len(r.late) == len(evs)
    assert r.machine_seconds == evs[-1].arrival_time - evs[0].arrival_time
    assert r.latency.count == len(evs) - len(r.late)


def test_batch_costs_less_machine_time_than_an_always_on_stream():
    evs = generate_stream(rate=10, duration=3600, seed=3)
    batch, stream = run_batch(evs), run_stream(evs)
    assert batch.machine_seconds < stream.machine_seconds / 100
    # and pays for it in latency: about half the hour (1800 s) against about half a minute
    # window plus the watermark delay (35 s)
    assert 1500 < batch.latency.p50 < 2100
    assert 25 < stream.latency.p50 < 45
