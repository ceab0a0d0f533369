"""The Velocity Hub page's build-time HTML: the dials, the pre-rendered figures and chart, the box.

The page must read without JavaScript and from ``file://``, so the default setting is run here,
at build time, with :func:`simulations.compare`, and its figures and chart are written into the
page. The dials' defaults come from ``compare``'s own signature, so the page, the box and the
function cannot disagree; the browser later reruns ``compare`` with the dials' values and replaces
the figures in place (the element keeps ``data-velocity-output``; ``data-state`` says whose
figures are shown, as on a code box).
"""

from __future__ import annotations

import html
import inspect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dial:
    """One slider: ``name`` is the keyword argument of ``compare`` it sets."""

    name: str
    label: str
    unit: str
    minimum: float
    maximum: float
    step: float
    comment: str  # for the box's code
    help: str
    percent: bool = False

    def text(self, value: float) -> str:
        """The value as the ``<output>`` beside the slider shows it."""
        if self.percent:
            return f"{value * 100:g}%"
        return f"{value:g} {self.unit}"


DIALS = (
    Dial(
        "rate", "Event rate", "events/s", 1, 20, 1, "events per second",
        "How many events arrive per second, across all keys.",
    ),
    Dial(
        "batch_interval", "Batch interval", "s", 10, 900, 10, "seconds between batch runs",
        "How often the batch job runs; each run processes what arrived since the last one.",
    ),
    Dial(
        "window", "Window size", "s", 10, 300, 10, "seconds per tumbling window",
        "The length of the periods both jobs sum over (tumbling windows of event time).",
    ),
    Dial(
        "watermark_delay", "Watermark delay", "s", 0, 60, 1, "seconds the watermark lags",
        "How far the stream job's watermark stays behind the latest event time it has seen.",
    ),
    Dial(
        "out_of_order", "Out-of-orderness", "s", 0, 10, 0.5, "mean network delay, seconds",
        "The mean delay between an event happening and arriving: the source of disorder.",
    ),
    Dial(
        "late_fraction", "Late fraction", "", 0, 0.2, 0.01, "share of stragglers (30 s late)",
        "The share of events that are stragglers, arriving 30 s later still.",
        percent=True,
    ),
)  # fmt: skip


def defaults(compare) -> dict[str, float]:
    """The dials' values at ``compare``'s defaults; fails the build if one is off its slider."""
    params = inspect.signature(compare).parameters
    out = {}
    for dial in DIALS:
        if dial.name not in params:
            raise ValueError(f"Velocity Hub: compare() has no parameter {dial.name!r}")
        value = params[dial.name].default
        steps = (value - dial.minimum) / dial.step
        if not dial.minimum <= value <= dial.maximum or abs(steps - round(steps)) > 1e-9:
            raise ValueError(
                f"Velocity Hub: the default {dial.name}={value!r} is not a position of its slider "
                f"({dial.minimum}..{dial.maximum} step {dial.step})"
            )
        out[dial.name] = value
    return out


def render_controls(values: dict[str, float]) -> str:
    """The dials: a form of labelled range inputs, each with an ``<output>`` and a hint."""
    parts = [
        '<form class="velocity-controls" id="velocity-form" data-velocity-form '
        'aria-label="Velocity Hub dials">'
    ]
    for dial in DIALS:
        ident = f"dial-{dial.name.replace('_', '-')}"
        value = values[dial.name]
        percent = ' data-format="percent"' if dial.percent else ""
        text = html.escape(dial.text(value))
        parts.append(
            '<div class="velocity-dial">'
            f'<label for="{ident}">{html.escape(dial.label)}</label>'
            f'<input type="range" id="{ident}" name="{dial.name}" min="{dial.minimum:g}" '
            f'max="{dial.maximum:g}" step="{dial.step:g}" value="{value:g}" '
            f'data-unit="{html.escape(dial.unit)}"{percent} aria-valuetext="{text}" '
            f'aria-describedby="{ident}-help">'
            f'<output id="{ident}-value" for="{ident}">{text}</output>'
            f'<p class="velocity-hint" id="{ident}-help">{html.escape(dial.help)}</p>'
            "</div>"
        )
    parts.append("</form>")
    return "".join(parts)


def render_output(report, values: dict[str, float]) -> str:
    """The figures table and the chart of ``report``, marked as pre-rendered."""
    setting = ", ".join(f"{d.label.lower()} {d.text(values[d.name])}" for d in DIALS)
    rows = "".join(
        f'<tr data-metric="{html.escape(metric)}"><th scope="row">{html.escape(metric)}</th>'
        f'<td data-side="batch">{html.escape(b)}</td><td data-side="stream">{html.escape(s)}</td>'
        "</tr>"
        for metric, (b, s) in report.figures().items()
    )
    chart = report.chart()
    return (
        '<div class="velocity-output" data-velocity-output data-state="prerendered">'
        '<div class="velocity-table-wrap">'
        '<table class="velocity-figures">'
        f"<caption>Batch vs stream, same events: <span data-velocity-setting>{html.escape(setting)}"
        "</span></caption>"
        '<thead><tr><th scope="col">Metric</th><th scope="col">Batch</th>'
        '<th scope="col">Stream</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        f'<figure class="velocity-chart" data-velocity-chart>{chart.svg}'
        "<figcaption>The share of all events whose result is out after a given time. A curve "
        "that rises early means fresh results; the stream curve stops below 100% by the share "
        "of late events, which never reached a result.</figcaption></figure>"
        f'<p class="velocity-state" data-velocity-status>Computed when this site was built, for '
        f"the default setting.</p>"
        "</div>"
    )


def box_code(values: dict[str, float]) -> str:
    """The Python a reader can run for a setting: what the dials do, as code."""
    args = [f"{d.name}={values[d.name]:g}," for d in DIALS]
    width = max(len(a) for a in args)
    lines = [
        "from simulations import compare, show",
        "",
        "report = compare(",
        *(f"    {a.ljust(width)}  # {d.comment}" for a, d in zip(args, DIALS, strict=True)),
        ")",
        "print(report.table())",
        "show(report.chart())",
    ]
    return "\n".join(lines) + "\n"


def render_box(values: dict[str, float]) -> str:
    """The runnable box with the default setting (a ``pyrun`` fence, see :mod:`coursekit.boxes`)."""
    return f'```pyrun title="velocity-hub" id="velocity-hub"\n{box_code(values)}```\n'
