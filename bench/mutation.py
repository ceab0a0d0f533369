"""Mutation score of the engine: how many small planted bugs the fast tests catch.

Run from the repository root:  make mutation   (or: python bench/mutation.py PATH/TO/mutmut)

mutmut (configured under [tool.mutmut] in pyproject.toml) copies simulations/ into mutants/,
plants one small change at a time (``<`` to ``<=``, ``+`` to ``-``, a constant, a string, a
dropped call) and runs the tests of tests/sim that reach the changed function. A mutant the
tests do not notice "survives": either a test is missing or the change makes no difference
(an equivalent mutant). The run uses the derandomized ``mutation`` Hypothesis profile so that
a mutant's fate does not depend on luck. It prints the score and every survivor; a figure to
read, not a test. Results are kept in mutants/: a second run only retries what changed, and
``--report`` prints the last results without running anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.90


def main(mutmut: str, report_only: bool = False) -> int:
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation", "PYTHONDONTWRITEBYTECODE": "1"}
    if not report_only:
        cores = str(max(1, (os.cpu_count() or 1)))
        # mutmut redraws a progress line many times a second: keep only its end on failure.
        run = subprocess.run(
            [mutmut, "run", "--max-children", cores],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            sys.stdout.write(run.stdout[-3000:])
            sys.stderr.write(run.stderr[-3000:])
            return run.returncode
    return report(mutmut, env)


def report(mutmut: str, env: dict[str, str]) -> int:
    """Print the score and every mutant not killed, from the results kept in mutants/."""
    subprocess.run(
        [mutmut, "export-cicd-stats"], cwd=ROOT, env=env, check=True, text=True, capture_output=True
    )
    stats = json.loads((ROOT / "mutants/mutmut-cicd-stats.json").read_text(encoding="utf-8"))
    caught = stats["killed"] + stats["timeout"]
    missed = stats["survived"] + stats["no_tests"] + stats["suspicious"] + stats["segfault"]
    unchecked = stats["total"] - caught - missed - stats["skipped"]
    score = caught / (caught + missed) if caught + missed else 0.0
    print(f"mutants: {stats['total']}  killed: {stats['killed']}  timeout: {stats['timeout']}")
    print(
        f"survived: {stats['survived']}  no tests: {stats['no_tests']}  "
        f"suspicious: {stats['suspicious']}  not checked yet: {unchecked}"
    )
    print(f"mutation score: {score:.1%} of the mutants checked (goal {GOAL:.0%})")
    results = subprocess.run(
        [mutmut, "results"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    survivors = [
        line.strip()
        for line in results.stdout.splitlines()
        if line.strip() and not line.strip().endswith(("not checked", "timeout"))
    ]
    if survivors:
        print(f"\nnot killed ({len(survivors)}); `{mutmut} show NAME` prints a mutant's diff:")
        for line in survivors:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    only = "--report" in args
    args = [a for a in args if a != "--report"]
    sys.exit(main(args[0] if args else "mutmut", report_only=only))
