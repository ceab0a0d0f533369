"""Speed of the simulations: figures to read, not thresholds to assert.

Run from the repository root:  python bench/engine.py

1. The stream engine on tumbling windows: 1,000,000 events over 1,000 keys, best of 3 runs of
   run_stream alone (generating the events is not timed). Goal: >= 500,000 events/s in CPython.
2. Every lesson's default scenario, as a reader's code box runs it. Goal: each < 100 ms.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulations import (  # after the path is set just above
    MaterializedView,
    Tumbling,
    as_of_join,
    build_training_set,
    generate_changes,
    generate_stream,
    interval_join,
    lookup_join,
    measure_skew,
    run_batch,
    run_cdc,
    run_drift,
    run_kappa,
    run_lambda,
    run_stream,
    run_triggered,
    run_with_crash,
)

EVENTS = 1_000_000
KEYS = 1_000
ROUNDS = 3
SCENARIO_ROUNDS = 7


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def stream_throughput() -> None:
    print(f"generating {EVENTS:,} events over {KEYS:,} keys (not timed) ...", flush=True)
    evs = generate_stream(rate=1000.0, duration=1010.0, keys=KEYS, seed=1)[:EVENTS]
    assert len(evs) == EVENTS
    window = Tumbling(60)
    times = []
    for i in range(ROUNDS):
        t = timed(lambda: run_stream(evs, window=window, watermark_delay=5.0))
        times.append(t)
        print(f"  run {i + 1}: {t:.3f} s = {EVENTS / t:,.0f} events/s", flush=True)
    best = min(times)
    report = run_stream(evs, window=window)
    print(
        f"stream engine, tumbling 60 s, {KEYS:,} keys, {EVENTS:,} events: "
        f"{EVENTS / best:,.0f} events/s (best of {ROUNDS}; goal >= 500,000)"
    )
    print(f"  {len(report.emissions):,} results, {len(report.late):,} late events")


def _view(log) -> MaterializedView:
    view = MaterializedView()
    for change in log:
        view.apply(change)
    return view


def scenarios() -> None:
    evs = generate_stream()
    # the join lesson's boxes: orders and prices, ad impressions and clicks
    orders = generate_stream(rate=2, duration=300, seed=4, mean_delay=2)
    prices = generate_stream(rate=0.2, duration=300, seed=5, mean_delay=2)
    shows = generate_stream(rate=4, duration=300, keys=20, seed=1, key_prefix="ad")
    clicks = generate_stream(rate=1, duration=300, keys=20, seed=2, key_prefix="ad")
    log = generate_changes()
    cases = {
        "generate_stream()": generate_stream,
        "run_stream(generate_stream())": lambda: run_stream(evs),
        "run_batch(generate_stream())": lambda: run_batch(evs),
        "run_with_crash(generate_stream())": lambda: run_with_crash(evs),
        "run_lambda(generate_stream())": lambda: run_lambda(evs),
        "run_kappa(generate_stream())": lambda: run_kappa(evs),
        "run_drift()": run_drift,
        "lookup_join(orders, prices)": lambda: lookup_join(orders, prices),
        "as_of_join(orders, prices)": lambda: as_of_join(orders, prices, watermark_delay=4),
        "interval_join(shows, clicks)": lambda: interval_join(
            shows, clicks, lower=0, upper=30, watermark_delay=2
        ),
        "build_training_set()": build_training_set,
        "measure_skew()": measure_skew,
        "run_triggered(generate_stream(), early_every=1)": lambda: run_triggered(
            evs, early_every=1
        ),
        "generate_changes()": generate_changes,
        "run_cdc(generate_changes())": lambda: run_cdc(log),
        "MaterializedView over generate_changes()": lambda: _view(log),
    }
    print(f"default scenarios (ms, best and median of {SCENARIO_ROUNDS}; goal < 100 ms each):")
    width = max(map(len, cases))
    for name, fn in cases.items():
        runs = [timed(fn) * 1000 for _ in range(SCENARIO_ROUNDS)]
        print(f"  {name.ljust(width)}  {min(runs):7.2f}  {statistics.median(runs):7.2f}")


def main() -> None:
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}")
    scenarios()
    stream_throughput()


if __name__ == "__main__":
    main()
