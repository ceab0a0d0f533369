"""The "On a real engine" tab: a box and, beside it, the same job as an Apache Beam pipeline.

A page wraps a box in ``{% call on_a_real_engine("box-id") %} ... {% endcall %}``; the macro
puts the box in a first tab and renders the second from the twin registry
(:mod:`coursekit.twins`): the pipeline's source (included from ``engines/beam/``), download links
to it and to the box's events, how to run it, and the lines it prints. Material's content tabs
are plain HTML and CSS, so the tab reads without JavaScript, and offline.
"""

from __future__ import annotations

import posixpath
import re
import textwrap

from .twins import BEAM_VERSION, BY_BOX, ENGINES, FENCE_CODE, PIPELINES, Job, job, run_box

# A page's call of the macro, around one box.
CALL = re.compile(
    r'\{%\s*call\s+on_a_real_engine\(\s*"(?P<box>[^"]+)"\s*\)\s*%\}(?P<body>.*?)'
    r"\{%\s*endcall\s*%\}",
    re.S,
)

DOWNLOADS = "engines/beam"  # where the build publishes pipelines and events, under the site root
BEAM_DOCS = "https://beam.apache.org/documentation"
# A virtual environment first: Debian's and Ubuntu's Python is "externally managed" (PEP 668)
# and has `python3`, not `python`.
INSTALL = (
    "python3 -m venv beam-venv && . beam-venv/bin/activate",
    f"pip install apache-beam=={BEAM_VERSION}",
)
RUNNERS = (
    ("Flink", "--runner=FlinkRunner --flink_master=HOST:8081", "runners/flink/"),
    ("Spark", "--runner=SparkRunner --spark_master_url=spark://HOST:7077", "runners/spark/"),
    (
        "Dataflow",
        "--runner=DataflowRunner --project=PROJECT --region=REGION --temp_location=gs://BUCKET/tmp",
        "runners/dataflow/",
    ),
)


def download_url(name: str, page: str, directory_urls: bool) -> str:
    """A link from ``page`` (a docs/ source path) to a published download."""
    here = posixpath.dirname(page)
    if directory_urls and not page.endswith("index.md"):
        here = posixpath.join(here, posixpath.splitext(posixpath.basename(page))[0])
    return posixpath.relpath(f"{DOWNLOADS}/{name}", here or ".")


def render(box: str, body: str, job: Job, page: str, directory_urls: bool) -> str:
    """The two tabs, as Markdown: ``body`` (the box as written) and its Beam twin."""
    return "\n".join(
        [
            '=== "Simulation"',
            "",
            textwrap.indent(body.strip("\n"), "    "),
            "",
            '=== "On a real engine"',
            "",
            textwrap.indent(_engine_tab(box, job, page, directory_urls), "    "),
            "",
            *(_spark_tab(job) if job.twin.spark else []),
            *(_flink_tab(job) if job.twin.flink else []),
        ]
    )


SPARK_DOCS = "https://spark.apache.org/docs/4.3.0/streaming/apis-on-dataframes-and-datasets.html"


def _spark_tab(job: Job) -> list[str]:
    """A third tab: the job in Spark Structured Streaming, the engine many readers run."""
    path = job.twin.spark
    text = [
        "For reference, the same windows and watermark in [Spark Structured Streaming]"
        f"({SPARK_DOCS}#handling-late-data-and-watermarking). Spark has no allowed lateness, "
        "moves its watermark once per micro-batch, and in `update` mode writes every window a "
        f"micro-batch changed ([output modes]({SPARK_DOCS}#output-modes)).",
        "",
        f'```python title="{posixpath.basename(path)}"',
        (ENGINES / path).read_text().rstrip("\n"),
        "```",
        "",
        "```sh",
        f"mkdir events && cp {job.events_file} events/",
        f"python3 {posixpath.basename(path)} --events events/ --size "
        f"{job.twin.window.size:g} --watermark-delay {job.twin.watermark_delay:g}",
        "```",
        "",
        "With the box's events in one file, Spark reads them in one micro-batch, so no event is "
        "late, and each window's last line is the total this box prints. The course's "
        "`make test-engines` runs it and checks that.",
    ]
    return ['=== "Spark (reference)"', "", textwrap.indent("\n".join(text), "    "), ""]


FLINK_DOCS = "https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/table/sql/queries"
FLINK_JOINS = (
    "https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/table/sql/queries/joins/"
)
SQL_CLIENT = "https://nightlies.apache.org/flink/flink-docs-release-2.3/docs/dev/table/sqlclient/"
SIDES = (("left", "shows"), ("right", "clicks"))  # a join's events file, split by side


def flink_setup(job: Job) -> list[str]:
    """The shell lines that lay out a Flink SQL file's events/ folder from the box's events file.

    A window's file reads every file in ``events/``; the interval join reads its two tables from
    ``events/shows/`` and ``events/clicks/``, each side picked from the one events file.
    """
    if not job.twin.join:
        return [f"mkdir events && cp {job.events_file} events/"]
    return [
        "mkdir -p " + " ".join(f"events/{table}" for _, table in SIDES),
        *(
            f'grep \'"side": "{side}"\' {job.events_file} > events/{table}/{table}.jsonl'
            for side, table in SIDES
        ),
    ]


def _flink_tab(job: Job) -> list[str]:
    """A tab with the job in Flink SQL, the engine many readers would write it in."""
    path = job.twin.flink
    name = posixpath.basename(path)
    intro, checked = _flink_join_text(job) if job.twin.join else _flink_window_text(job)
    text = [
        *intro,
        "",
        f'```sql title="{name}"',
        (ENGINES / path).read_text().rstrip("\n"),
        "```",
        "",
        f"Run it in Flink's [SQL client]({SQL_CLIENT}), next to a folder of events:",
        "",
        "```sh",
        *flink_setup(job),
        f"./bin/sql-client.sh -f {name}",
        "```",
        "",
        *checked,
    ]
    return ['=== "Flink SQL (reference)"', "", textwrap.indent("\n".join(text), "    "), ""]


def _flink_window_text(job: Job) -> tuple[list[str], list[str]]:
    intro = [
        f"For reference, the same windows in Flink SQL: a `TUMBLE` [window table-valued function]"
        f"({FLINK_DOCS}/window-tvf/) over a table whose watermark is "
        f"{job.twin.watermark_delay:g} s behind the newest event time. A [window aggregation]"
        f"({FLINK_DOCS}/window-agg/) emits only a final result per window, once the watermark "
        "has passed its end, and then purges the window's state: there is no allowed lateness."
    ]
    checked = [
        "The window size and the watermark delay are written in the SQL: edit them for another "
        "job. Read as a bounded input (`SET 'execution.runtime-mode' = 'batch';`), the file "
        "gives each window its final total; the course's `make test-engines` runs it that way on "
        "this box's events and checks every window's total against this box's."
    ]
    return intro, checked


def _flink_join_text(job: Job) -> tuple[list[str], list[str]]:
    lower, upper, _ = job.twin.join
    left, right = job.twin.inputs
    intro = [
        f"For reference, the same join in Flink SQL: an [interval join]({FLINK_JOINS}#interval-"
        f"joins) of two tables, `{left}` and `{right}`, on equal keys, with a click from "
        f"{lower:g} to {upper:g} s after its impression. SQL's `BETWEEN` includes both bounds, "
        f"as the box's join does. Each table has its own watermark, {job.twin.watermark_delay:g} "
        "s behind its newest event time, as each input has in the box."
    ]
    checked = [
        "This file is reference, not a twin checked line by line in both modes. Read as a "
        "bounded input (`SET 'execution.runtime-mode' = 'batch';`), nothing is late: it prints "
        f"the box's join without a watermark, `every`, {job.no_watermark:,} pairs. The course's "
        "`make test-engines` runs it that way on this box's events and checks every pair (ad, "
        "impression time and value, click time and value) against `every`'s, and that the "
        "bounds and the watermark delay written in the SQL are the box's.",
        "",
        "In streaming mode the watermarks matter: Flink's interval join keeps a row in state "
        "only until the watermark has passed the last time a partner can have "
        f'([interval joins]({FLINK_JOINS}#interval-joins): "Flink can remove old values from its '
        'state"). A row that arrives behind the watermark can then find its partners gone, as '
        f"the box's `{job.twin.report}` join drops such rows. How many pairs a streaming run "
        "writes depends on when its watermarks and clean-ups come; the course checks only the "
        "batch run.",
    ]
    return intro, checked


TRANSFORMS = {
    "windowed.py": "The `Windowed` transform",
    "triggered.py": "The `Triggered` transform",
    "interval_join.py": "The `IntervalJoin` DoFn",
}
SHOWN = 40  # a job with a summary shows this many lines in full; beyond, the first dozen


def _checked_against(job: Job) -> str:
    twin = job.twin
    if twin.pipeline == "triggered.py":
        return (
            f"the course's `run_triggered` with `early_count={twin.early_count}` and "
            '`semantics="beam"`, and that these are the panes this box prints'
        )
    if twin.pipeline == "interval_join.py":
        return 'the course\'s `interval_join` with `semantics="beam"`'
    return 'this box\'s engine run with `semantics="beam"`'


def _engine_tab(box: str, job: Job, page: str, directory_urls: bool) -> str:
    twin = job.twin
    source = (PIPELINES / twin.pipeline).read_text()
    streaming = twin.pipeline != "batch_totals.py"
    link_pipeline = download_url(twin.pipeline, page, directory_urls)
    link_events = download_url(f"events/{job.events_file}", page, directory_urls)
    runners = "\n".join(
        f"- {name}: `{flags}` ([{name} runner]({BEAM_DOCS}/{doc}))" for name, flags, doc in RUNNERS
    )
    if streaming:
        scale = (
            f"{TRANSFORMS[twin.pipeline]} runs unchanged on other runners. The replay source, "
            f"[`TestStream`]({BEAM_DOCS}/pipelines/test-your-pipeline/), is for tests on the "
            "DirectRunner: at scale, read an unbounded source such as Kafka "
            "([`ReadFromKafka`](https://beam.apache.org/releases/pydoc/current/"
            "apache_beam.io.kafka.html)) "
            "whose timestamps and watermark the runner tracks, and add the runner's flags:"
        )
    else:
        scale = (
            "A bounded file needs nothing else: the same pipeline runs on other runners with "
            "their flags (and `--events` pointing at a path they can read):"
        )
    long = bool(job.summary) and len(job.shown) > SHOWN
    shown = [*job.shown[:12], "…"] if long else job.shown
    output = "\n".join(shown)
    if long:
        prints = f"It prints {job.summary}. In any order; sorted, they begin:"
    elif job.final is None:
        prints = "It prints (in any order):"
    elif job.final == job.expected:
        prints = "It prints one pane per window, so each window's final value (in any order):"
    else:
        prints = (
            f"It prints {len(job.expected):,} panes; each window's last one, what an upsert "
            "sink keeps, is (in any order):"
        )
    parts = [
        f"The same job as an [Apache Beam]({BEAM_DOCS}/programming-guide/) pipeline in Python. "
        f"It reads this box's events from a file of JSON lines and uses no code from this course.",
        "",
        *([twin.note, ""] if twin.note else []),
        f'```python title="{twin.pipeline}"',
        source.rstrip("\n"),
        "```",
        "",
        f"[:material-download: {twin.pipeline}]({link_pipeline}){{ download }} · "
        f"[:material-download: {job.events_file}]({link_events}){{ download }} "
        "(this box's default events). In the offline copy of this course, both are in its "
        f"folder: `site/{DOWNLOADS}/{twin.pipeline}` and "
        f"`site/{DOWNLOADS}/events/{job.events_file}`.",
        "",
        f"**Run it** with Beam's [DirectRunner]({BEAM_DOCS}/runners/direct/), on one machine, in "
        "a virtual environment of its own (Debian and Ubuntu refuse `pip install` outside one):",
        "",
        "```sh",
        *INSTALL,
        job.command(),
        "```",
        "",
        prints,
        "",
        "```text",
        output,
        "```",
        "",
        f"The course's tests run this pipeline on Beam {BEAM_VERSION}'s DirectRunner with these "
        f"events and check every line, values included, against {_checked_against(job)}.",
    ]
    parts += ["", "**At scale.** " + scale, "", runners]
    return "\n".join(parts)


def calls(markdown: str) -> list[tuple[str, str]]:
    """Each ``(box id, body)`` a page's Markdown wraps in ``on_a_real_engine``."""
    return [(m["box"], m["body"]) for m in CALL.finditer(markdown)]


def twin_job(box: str, body: str) -> Job:
    """Run the box written in ``body`` and return its twin's job."""
    twin = twin_for(box)
    fences = FENCE_CODE.findall(body)
    if len(fences) != 1:
        raise ValueError(f"on_a_real_engine({box!r}) must wrap exactly one pyrun box")
    return job(twin, run_box(fences[0]))


def twin_for(box: str):
    """The registry's twin of ``box``, or a ValueError naming the box."""
    try:
        return BY_BOX[box]
    except KeyError:
        raise ValueError(
            f"on_a_real_engine({box!r}): no twin for this box in coursekit/twins.py"
        ) from None


def page_jobs(markdown: str) -> dict[str, Job]:
    """The twins a page's Markdown calls for, by box id, each with its job."""
    return {box: twin_job(box, body) for box, body in calls(markdown)}


def downloads(jobs: dict[str, Job]) -> dict[str, str | bytes]:
    """The files a page's twins link to: site path -> content."""
    out: dict[str, str | bytes] = {}
    for j in jobs.values():
        out[f"{DOWNLOADS}/{j.twin.pipeline}"] = (PIPELINES / j.twin.pipeline).read_bytes()
        out[f"{DOWNLOADS}/events/{j.events_file}"] = j.events_jsonl()
    return out
