"""The nine TeamX scores of *Streaming Systems*, and the book's twelve jobs as engine calls.

*Streaming Systems* (Akidau, Chernyak and Lax, O'Reilly 2018) teaches windows, triggers,
watermarks and accumulation with one small input: nine scores of one team, each with the event
time it was scored and the processing time the pipeline saw it. The book's companion code,
[takidau/streamingbook](https://github.com/takidau/streamingbook), builds that input in
``src/test/java/net/streamingbook/BeamModelTest.java`` (``createBatch`` and ``createStream``) and
states in ``src/main/java/net/streamingbook/BeamModel.java`` exactly which panes each figure's
Beam pipeline writes. This module gives the same input (times in seconds after 12:00:00) and each
job as the call a reader would write; the course's tests check every pane against the book's.

>>> report = run_example("2-7-heuristic")
>>> [(p.start, p.value, p.timing, p.index) for p in report.history("TeamX", 0)]
[(0.0, 5, 'EARLY', 0), (0.0, 5, 'ON_TIME', 1), (0.0, 14, 'LATE', 2)]
"""

from __future__ import annotations

import functools
import sys

from .dataflow import GlobalWindow
from .events import Event
from .trigger_specs import AfterCount, AfterProcessingTime, AfterWatermark, Repeatedly
from .triggers import TriggerReport, run_triggered
from .watermarks import BatchWatermark, WatermarkTrace
from .windows import Session, Tumbling

TEAM = "TeamX"
ONE_MINUTE = 60.0
TWO_MINUTES = 120.0
FOREVER = 1000 * 24 * 3600.0  # the book's allowed lateness of 1000 days: nothing is dropped
END = 600.0  # 12:10:00, when the book's test streams end and the watermark jumps to infinity


# Each score is written out as the Event it is (value, event time, processing time): the inputs
# are data, checked pane by pane against the book, and read best as the book's own lines.
# createBatch(): a bounded input, no processing times (each score is there from the start).
BATCH = [
    Event(TEAM, 5, 26.0),  # 12:00:26
    Event(TEAM, 9, 86.0),  # 12:01:26
    Event(TEAM, 7, 146.0),  # 12:02:26
    Event(TEAM, 8, 186.0),  # 12:03:06
    Event(TEAM, 3, 219.0),  # 12:03:39
    Event(TEAM, 4, 259.0),  # 12:04:19
    Event(TEAM, 3, 399.0),  # 12:06:39
    Event(TEAM, 8, 446.0),  # 12:07:26
    Event(TEAM, 1, 466.0),  # 12:07:46
]

# createStream(): the same scores in the order they arrive, at processing times 12:04:59 to
# 12:09:00. The 7 and the 9 have event times moved by a second (12:02:24, 12:01:25), as in the
# book's code, so that the session windows of example 4-3 connect.
STREAM = [
    Event(TEAM, 5, 26.0, 299.0),  # event 12:00:26, seen 12:04:59
    Event(TEAM, 7, 144.0, 339.0),  # 12:02:24, seen 12:05:39
    Event(TEAM, 3, 219.0, 373.0),  # 12:03:39, seen 12:06:13
    Event(TEAM, 4, 259.0, 399.0),  # 12:04:19, seen 12:06:39
    Event(TEAM, 8, 186.0, 426.0),  # 12:03:06, seen 12:07:06
    Event(TEAM, 3, 399.0, 439.0),  # 12:06:39, seen 12:07:19
    Event(TEAM, 9, 85.0, 499.0),  # 12:01:25, seen 12:08:19
    Event(TEAM, 8, 446.0, 519.0),  # 12:07:26, seen 12:08:39
    Event(TEAM, 1, 466.0, 540.0),  # 12:07:46, seen 12:09:00
]

# createStream(..., extraSix=true): a score of 6 at 12:00:53, seen with the 4 at 12:06:39, for
# the allowed-lateness example (2-8).
SIX = Event(TEAM, 6, 53.0, 399.0)
STREAM_WITH_SIX = [*STREAM[:4], SIX, *STREAM[4:]]

# The watermarks of createStream, as (processing time, watermark) points. Both start at 12:00:00.
PERFECT_WATERMARK = WatermarkTrace(
    [(0, 0), (519, 120), (540, 240), (550, 360), (560, 480)], ends_at=END
)
HEURISTIC_WATERMARK = WatermarkTrace(
    [(0, 0), (360, 120), (450, 240), (460, 360), (570, 510)], ends_at=END
)
# The "batch" stream of examples 2-3 to 2-5: the watermark moves only when the input ends.
BATCH_WATERMARK = BatchWatermark(ends_at=END)

IMPORTS = (
    "from simulations import (AfterCount, AfterProcessingTime, AfterWatermark, BatchWatermark,\n"
    "                         GlobalWindow, Repeatedly, Session, Tumbling, book, run_triggered)\n"
)
_EARLY_ON_TIME_LATE = "AfterWatermark(early=AfterProcessingTime(60), late=AfterCount(1))"

# Each example as the call that runs it: example id -> source (it assigns ``report``).
EXAMPLES: dict[str, str] = {
    "2-1": """\
report = run_triggered(
    book.BATCH,
    window=GlobalWindow(),
    watermark=BatchWatermark(),
)
""",
    "2-2": """\
report = run_triggered(
    book.BATCH,
    window=Tumbling(120),
    watermark=BatchWatermark(),
)
""",
    "2-3": """\
report = run_triggered(
    book.STREAM,
    window=Tumbling(120),
    trigger=Repeatedly(AfterCount(1)),
    watermark=book.BATCH_WATERMARK,
    allowed_lateness=book.FOREVER,
)
""",
    "2-4": """\
report = run_triggered(
    book.STREAM,
    window=Tumbling(120),
    trigger=Repeatedly(AfterProcessingTime(period=120, offset=300)),
    watermark=book.BATCH_WATERMARK,
    allowed_lateness=book.FOREVER,
)
""",
    "2-5": """\
report = run_triggered(
    book.STREAM,
    window=Tumbling(120),
    trigger=Repeatedly(AfterProcessingTime(120)),
    watermark=book.BATCH_WATERMARK,
    allowed_lateness=book.FOREVER,
)
""",
    "2-6-perfect": """\
report = run_triggered(
    book.STREAM,
    window=Tumbling(120),
    watermark=book.PERFECT_WATERMARK,
)
""",
    "2-6-heuristic": """\
report = run_triggered(
    book.STREAM,
    window=Tumbling(120),
    watermark=book.HEURISTIC_WATERMARK,
)
""",
    "2-7-perfect": f"""\
report = run_triggered(
    book.STREAM,
    window=Tumbling(120),
    trigger={_EARLY_ON_TIME_LATE},
    watermark=book.PERFECT_WATERMARK,
    allowed_lateness=book.FOREVER,
)
""",
    "2-7-heuristic": f"""\
report = run_triggered(
    book.STREAM,
    window=Tumbling(120),
    trigger={_EARLY_ON_TIME_LATE},
    watermark=book.HEURISTIC_WATERMARK,
    allowed_lateness=book.FOREVER,
)
""",
    "2-8": f"""\
report = run_triggered(
    book.STREAM_WITH_SIX,
    window=Tumbling(120),
    trigger={_EARLY_ON_TIME_LATE},
    watermark=book.HEURISTIC_WATERMARK,
    allowed_lateness=120,
)
""",
    "2-9": f"""\
report = run_triggered(
    book.STREAM,
    window=Tumbling(120),
    trigger={_EARLY_ON_TIME_LATE},
    watermark=book.HEURISTIC_WATERMARK,
    allowed_lateness=book.FOREVER,
    accumulation="discarding",
)
""",
    "4-3": f"""\
report = run_triggered(
    book.STREAM,
    window=Session(60),
    trigger={_EARLY_ON_TIME_LATE},
    watermark=book.HEURISTIC_WATERMARK,
    allowed_lateness=book.FOREVER,
)
""",
}

TITLES = {
    "2-1": "Example 2-1 / Figure 2-3: classic batch",
    "2-2": "Example 2-2 / Figure 2-5: windowed batch",
    "2-3": "Example 2-3 / Figure 2-6: per-record triggering",
    "2-4": "Example 2-4 / Figure 2-7: aligned delay (micro-batch)",
    "2-5": "Example 2-5 / Figure 2-8: unaligned delay",
    "2-6-perfect": "Example 2-6 / Figure 2-10, left: watermark trigger, perfect watermark",
    "2-6-heuristic": "Example 2-6 / Figure 2-10, right: watermark trigger, heuristic watermark",
    "2-7-perfect": "Example 2-7 / Figure 2-11, left: early, on-time and late, perfect watermark",
    "2-7-heuristic": "Example 2-7 / Figure 2-11, right: early, on-time, late, heuristic watermark",
    "2-8": "Example 2-8 / Figure 2-12: allowed lateness",
    "2-9": "Example 2-9 / Figure 2-13: discarding mode",
    "4-3": "Example 4-3 / Figure 4-7: session windows, early and late firings",
}


def source(example_id: str) -> str:
    """The whole program of one example, imports included, as a code box would show it.

    >>> print(source("2-6-heuristic"))  # doctest: +ELLIPSIS
    from simulations import (...)
    <BLANKLINE>
    report = run_triggered(
        book.STREAM,
        window=Tumbling(120),
        watermark=book.HEURISTIC_WATERMARK,
    )
    <BLANKLINE>
    """
    _check_id(example_id)
    return IMPORTS + "\n" + EXAMPLES[example_id]


def run_example(example_id: str, *, semantics: str = "course") -> TriggerReport:
    """Run one of the book's examples (an id of :data:`EXAMPLES`) and return its report.

    The job is exactly the source of ``EXAMPLES[example_id]``, run with the ``semantics``
    profile ("course" or "beam": where Beam's Python SDK differs from the book's Java).

    >>> [(p.value, p.timing) for p in run_example("2-6-perfect").panes]
    [(14, 'ON_TIME'), (18, 'ON_TIME'), (4, 'ON_TIME'), (12, 'ON_TIME')]
    """
    _check_id(example_id)
    namespace = {
        "AfterCount": AfterCount,
        "AfterProcessingTime": AfterProcessingTime,
        "AfterWatermark": AfterWatermark,
        "BatchWatermark": BatchWatermark,
        "GlobalWindow": GlobalWindow,
        "Repeatedly": Repeatedly,
        "Session": Session,
        "Tumbling": Tumbling,
        "book": sys.modules[__name__],
        "run_triggered": functools.partial(run_triggered, semantics=semantics),
    }
    exec(compile(EXAMPLES[example_id], f"<example {example_id}>", "exec"), namespace)
    return namespace["report"]


def _check_id(example_id: object) -> None:
    if example_id not in EXAMPLES:
        raise ValueError(
            f"example_id must be one of {', '.join(map(repr, EXAMPLES))}, got {example_id!r}"
        )


__all__ = [
    "BATCH",
    "BATCH_WATERMARK",
    "EXAMPLES",
    "HEURISTIC_WATERMARK",
    "PERFECT_WATERMARK",
    "SIX",
    "STREAM",
    "STREAM_WITH_SIX",
    "TITLES",
    "run_example",
    "source",
]
