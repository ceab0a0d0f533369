"""The "beam" rule of interval_join against the joins lesson's Beam pipeline, row by row.

engines/beam/interval_join.py (a stateful DoFn in the global window, its state cleared by
event-time timers) runs on the DirectRunner over seeded pairs of streams with many rows that
arrive behind the watermark, with several bounds, delays and both kinds of join. Its output rows
must be ``interval_join(..., semantics="beam")``'s, and for these streams they differ from the
course's default join, which drops the late rows: the suite checks the very rule that sets the
two apart.
"""

from __future__ import annotations

import random
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from coursekit.twins import PIPELINES, Job, Twin, join_line
from simulations import events, interval_join

from .conftest import ROOT

PYTHON = ROOT / ".venv-beam" / "bin" / "python"
# (lower, upper, watermark delay, how): one seeded pair of streams each
JOBS = [(-5.0, 0.0, 1.0, "left"), (0.0, 10.0, 2.0, "inner"), (-3.0, 4.0, 0.0, "left")]


def streams(seed: int):
    """Left and right rows over three keys, on a half-second grid, a fifth of them late."""
    rng = random.Random(f"join-{seed}")

    def side(n: int):
        rows = []
        for i in range(n):
            t = round(rng.uniform(0, 120) * 2) / 2
            rows.append((rng.choice("abc"), i, t, t + rng.choice([0, 0, 0.5, 1, 2, 5, 12])))
        return events(rows)

    return side(60), side(40)


def run(seed: int, tmp: Path) -> tuple[list[str], list[str], int]:
    lower, upper, delay, how = JOBS[seed]
    left, right = streams(seed)
    twin = Twin("join", "", "interval_join.py", watermark_delay=delay, join=(lower, upper, how))
    rows = [(e.arrival_time, 1, i, "right", e) for i, e in enumerate(right)]
    rows += [(e.arrival_time, 2, i, "left", e) for i, e in enumerate(left)]
    rows.sort(key=lambda r: r[:3])  # the join's reading order, as in coursekit.twins
    job = Job(twin, [r[4] for r in rows], [], [], sides=[r[3] for r in rows])
    path = tmp / f"join-{seed}.jsonl"
    path.write_text(job.events_jsonl())
    cmd = [str(PYTHON), str(PIPELINES / "interval_join.py"), "--events", str(path)]
    cmd += ["--lower", str(lower), "--upper", str(upper), "--watermark-delay", str(delay)]
    cmd += ["--how", how]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    kw = dict(lower=lower, upper=upper, watermark_delay=delay, how=how)
    beam = interval_join(left, right, semantics="beam", **kw)
    course = interval_join(left, right, **kw)
    assert len(beam.late) > 5, "streams meant to test late rows"
    assert len(course.matches) < len(beam.matches)
    printed = sorted(line for line in proc.stdout.splitlines() if line.strip())
    return printed, sorted(join_line(m) for m in beam.matches), len(beam.late)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    if not PYTHON.exists():
        pytest.fail(f"{PYTHON} is missing: `make test` makes it")
    tmp = tmp_path_factory.mktemp("beam-joins")
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda seed: run(seed, tmp), range(len(JOBS))))


@pytest.mark.parametrize("seed", range(len(JOBS)))
def test_interval_join_beam_rule_matches_apache_beam_row_by_row(seed, outputs, capsys):
    printed, expected, late = outputs[seed]
    with capsys.disabled():
        print(f"\nBeam join {JOBS[seed]}: {len(printed)} rows compared, {late} late rows")
    assert printed == expected
