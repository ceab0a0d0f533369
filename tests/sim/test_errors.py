"""Bad arguments raise ValueError or TypeError naming the parameter and the accepted range."""

import pytest

from simulations import (
    Tumbling,
    events,
    generate_stream,
    run_batch,
    run_drift,
    run_kappa,
    run_lambda,
    run_stream,
    run_with_crash,
)

EVS = events([("a", 1, 0.0), ("a", 2, 5.0)])

CASES = [
    # (call, parameter, exception, words the message must contain)
    (lambda: generate_stream(rate=-5), "rate", ValueError, "> 0 events/s, got -5"),
    (lambda: generate_stream(rate=0), "rate", ValueError, "> 0"),
    (lambda: generate_stream(duration=0), "duration", ValueError, "> 0 seconds"),
    (lambda: generate_stream(keys=0), "keys", ValueError, ">= 1"),
    (lambda: generate_stream(keys=1.5), "keys", TypeError, "int"),
    (lambda: generate_stream(seed="x"), "seed", TypeError, "int"),
    (lambda: generate_stream(delay="normal"), "delay", ValueError, "'exponential'"),
    (lambda: generate_stream(mean_delay=-1), "mean_delay", ValueError, ">= 0"),
    (lambda: generate_stream(late_fraction=1.5), "late_fraction", ValueError, "[0, 1]"),
    (lambda: generate_stream(late_delay=-1), "late_delay", ValueError, ">= 0"),
    (lambda: generate_stream(bursts=[(0, 10)]), "bursts", ValueError, "(start, length"),
    (lambda: generate_stream(bursts=[(0, 10, -2)]), "multiplier", ValueError, "> 0"),
    (lambda: run_stream(EVS, window="tumbling"), "window", TypeError, "Tumbling(size)"),
    (lambda: run_stream(EVS, window=60), "window", TypeError, "Session(gap)"),
    (lambda: run_stream(EVS, watermark_delay=-1), "watermark_delay", ValueError, ">= 0"),
    (lambda: run_stream(EVS, allowed_lateness=-1), "allowed_lateness", ValueError, ">= 0"),
    (lambda: run_stream(EVS, aggregate="median"), "aggregate", ValueError, "'sum'"),
    (lambda: run_stream(EVS, throughput=0), "throughput", ValueError, "> 0 events/s"),
    (lambda: run_stream([("a", 1, 0.0)]), "events[0]", TypeError, "must be an Event"),
    (lambda: run_stream("abc"), "events", TypeError, "list of Event"),
    (lambda: run_stream(EVS).table(limit=-1), "limit", ValueError, ">= 0"),
    (lambda: run_batch(EVS, interval=0), "interval", ValueError, "> 0 seconds"),
    (lambda: run_batch(EVS, period=-1), "period", ValueError, "> 0 seconds"),
    (lambda: run_batch(EVS, throughput=-1), "throughput", ValueError, "> 0 events/s"),
    (lambda: run_batch(EVS, first_run=-1), "first_run", ValueError, ">= 0"),
    (lambda: run_batch(EVS, aggregate="avg"), "aggregate", ValueError, "'mean'"),
    (lambda: run_batch([1]), "events[0]", TypeError, "Event"),
    (lambda: run_with_crash(EVS, checkpoint_interval=0), "checkpoint_interval", ValueError, "> 0"),
    (lambda: run_with_crash(EVS, guarantee="once"), "guarantee", ValueError, "exactly-once"),
    (lambda: run_with_crash(EVS, crash_at="soon"), "crash_at", TypeError, "number"),
    (lambda: run_with_crash(EVS, window=None), "window", TypeError, "Tumbling"),
    (lambda: run_lambda(EVS, batch_interval=-1), "batch_interval", ValueError, "> 0"),
    (lambda: run_lambda(EVS, batch_throughput=0), "batch_throughput", ValueError, "> 0"),
    (lambda: run_lambda(EVS, window="x"), "window", TypeError, "Tumbling"),
    (lambda: run_lambda(EVS).query("now"), "t", TypeError, "number"),
    (lambda: run_kappa(EVS, new_window=Tumbling), "new_window", TypeError, "Tumbling(size)"),
    (lambda: run_kappa(EVS, new_aggregate="avg"), "new_aggregate", ValueError, "'sum'"),
    (lambda: run_kappa(EVS, replay_throughput=0), "replay_throughput", ValueError, "> 0"),
    (lambda: run_kappa(EVS, redeploy_at=float("nan")), "redeploy_at", ValueError, "finite"),
    (lambda: run_drift(duration=0), "duration", ValueError, "> 0 seconds"),
    (lambda: run_drift(rate=-1), "rate", ValueError, "> 0 events/s"),
    (lambda: run_drift(drift_at=-1), "drift_at", ValueError, ">= 0"),
    (lambda: run_drift(retrain_interval=0), "retrain_interval", ValueError, "> 0"),
    (lambda: run_drift(learning_rate=0), "learning_rate", ValueError, "> 0"),
    (lambda: run_drift(eval_window=0), "eval_window", ValueError, "> 0"),
    (lambda: run_drift(seed=1.5), "seed", TypeError, "int"),
]


@pytest.mark.parametrize(
    ("call", "name", "exc", "words"), CASES, ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)]
)
def test_bad_argument_names_the_parameter_and_range(call, name, exc, words):
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    assert message.startswith(name) or f" {name} " in message
    assert words in message, message
