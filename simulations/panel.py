"""The status panel: five lines that say what a job is, what triggers it and how it is doing.

It is the course's recurring picture of a pipeline, in the same form for batch, stream, Lambda,
Kappa and the ML jobs, so a reader can compare them line by line::

    Mode: BATCH_PROCESSING
    Trigger: SCHEDULED [every 01:00:00]
    Volume: 3,600 events
    Latency: p50=1799.5s p95=3419.1s p99=3563.5s (HIGH)
    Status: DONE
"""

from __future__ import annotations

from .stats import LatencyStats

LOW_BELOW = 1.0  # seconds: a person perceives the result as immediate
MEDIUM_BELOW = 60.0  # seconds: within the minute; anything slower is HIGH


def latency_level(latency: LatencyStats | float) -> str:
    """LOW (p95 < 1s), MEDIUM (< 60s) or HIGH: a label readers can compare at a glance.

    >>> latency_level(0.2), latency_level(12.0), latency_level(1800.0)
    ('LOW', 'MEDIUM', 'HIGH')
    """
    p95 = latency.p95 if isinstance(latency, LatencyStats) else float(latency)
    if p95 < LOW_BELOW:
        return "LOW"
    if p95 < MEDIUM_BELOW:
        return "MEDIUM"
    return "HIGH"


def status_panel(
    *,
    mode: str,
    trigger: str,
    volume: int | str,
    latency: LatencyStats | float | str,
    status: str,
    latency_of: str = "",
    **extra: object,
) -> str:
    """Format the status panel; extra keyword arguments become extra lines after Status.

    An int ``volume`` is written as a count of events; a :class:`LatencyStats` or a number of
    seconds gets its level (LOW/MEDIUM/HIGH) appended. ``latency_of`` says what the Latency line
    measures, from what to what (``"event → window result"``): a per-event decision and a windowed
    aggregate have latencies of different kinds, and a bare "Latency" would compare them as one.

    >>> print(status_panel(mode="BATCH_PROCESSING", trigger="SCHEDULED [every 01:00:00]",
    ...                    volume=3600, latency=1800.0, status="DONE", cost="0.4 machine-s"))
    Mode: BATCH_PROCESSING
    Trigger: SCHEDULED [every 01:00:00]
    Volume: 3,600 events
    Latency: 1800.0s (HIGH)
    Status: DONE
    Cost: 0.4 machine-s
    """
    if isinstance(volume, int) and not isinstance(volume, bool):
        volume = f"{volume:,} events"
    label = f", {latency_of}" if latency_of else ""
    if isinstance(latency, LatencyStats):
        level = f" ({latency_level(latency)}{label})" if latency.count else ""
        text = f"{latency}{level}"
    elif isinstance(latency, (int, float)) and not isinstance(latency, bool):
        text = f"{float(latency):.1f}s ({latency_level(latency)}{label})"
    else:
        text = f"{latency} ({latency_of})" if latency_of else str(latency)
    lines = [
        f"Mode: {mode}",
        f"Trigger: {trigger}",
        f"Volume: {volume}",
        f"Latency: {text}",
        f"Status: {status}",
    ]
    lines += [f"{name.replace('_', ' ').capitalize()}: {value}" for name, value in extra.items()]
    return "\n".join(lines)
