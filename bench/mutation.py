"""Mutation score of the engine: how many small planted bugs the fast tests catch, per module.

Run from the repository root:

    make mutation                  # every module of simulations/ (hours on a small machine)
    make mutation MODULE=joins     # one module, minutes: what to run after changing it
    make mutation MODULE=joins RETRY=1   # only the mutants of joins that survived last time
    python bench/mutation.py PATH/TO/mutmut [--module joins] [--retry] [--report]

mutmut (configured under [tool.mutmut] in pyproject.toml) copies simulations/ into mutants/,
plants one small change at a time (``<`` to ``<=``, ``+`` to ``-``, a constant, a string, a
dropped call) and runs only the tests of tests/sim that reach the changed function. A mutant the
tests do not notice "survives": either a test is missing or the change makes no difference
(an equivalent mutant). Equivalent mutants are listed, each with the reason it cannot be told
apart, in bench/equivalent_mutants.toml; they are reported but not counted against the score.
The run uses the derandomized ``mutation`` Hypothesis profile so that a mutant's fate does not
depend on luck. Results are kept in mutants/: a second run of the whole package only retries
what changed (a run of one module retries all of its mutants), and ``--report`` prints the last
results without running anything. A figure to read, not a test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = Path(__file__).with_name("equivalent_mutants.toml")
GOAL = 0.90
# Presentation helpers: text layout and SVG drawing, where most mutants change a pixel or a
# space that no reader relies on. Their goal is lower; the engine's modules all aim at GOAL.
SMALLER_GOAL = {"_box": 0.75, "_format": 0.75, "charts": 0.60}
CAUGHT = {"killed", "timeout", "caught by type check"}
PENDING = {"not checked", "skipped", "check was interrupted by user"}


def main(
    mutmut: str, module: str | None = None, report_only: bool = False, retry: bool = False
) -> int:
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation", "PYTHONDONTWRITEBYTECODE": "1"}
    if module is not None and not (ROOT / "simulations" / f"{module}.py").exists():
        print(f"MODULE must name a file of simulations/ without .py, got {module!r}")
        return 2
    if not report_only:
        # One worker by default: the machine is usually shared; MUTATION_JOBS=4 for more.
        jobs = os.environ.get("MUTATION_JOBS", "1")
        # The package's own functions are named simulations.x_<function>__mutmut_<n>.
        pattern = "simulations.x_*" if module == "__init__" else f"simulations.{module}.*"
        names = [pattern] if module else []
        if retry:  # after new tests: only what survived, a fraction of the time
            names = [
                name
                for name, status in statuses(mutmut, env).items()
                if status not in CAUGHT and (not module or module_of(name) == module)
            ]
            if not names:
                return report(mutmut, env, module)
        # mutmut redraws a progress line many times a second: keep only its end on failure.
        start = time.monotonic()
        run = subprocess.run(
            [mutmut, "run", "--max-children", jobs, *names],
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
        what = (
            f"{len(names)} mutants not caught yet"
            if retry
            else f"the mutants of {module or 'all modules'}"
        )
        print(f"ran {what} in {time.monotonic() - start:.0f} s with {jobs} worker(s)")
    return report(mutmut, env, module)


def statuses(mutmut: str, env: dict[str, str]) -> dict[str, str]:
    """Every mutant's last status, by name (``simulations.joins.x_lookup_join__mutmut_3``)."""
    out = subprocess.run(
        [mutmut, "results", "--all", "true"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            found[name] = status
    return found


def module_of(name: str) -> str:
    """``simulations.joins.x_f__mutmut_3`` -> ``joins``; the package's own functions
    (``simulations.x___getattr____mutmut_1``, the lazy loader) -> ``__init__``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 else "__init__"


def report(mutmut: str, env: dict[str, str], only: str | None = None) -> int:
    """Print each module's score, then every survivor: equivalent ones with their reason."""
    equivalent: dict[str, str] = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8"))
    found = statuses(mutmut, env)
    by_module: dict[str, Counter[str]] = {}
    for name, status in found.items():
        if only and module_of(name) != only:
            continue
        kind = (
            "caught"
            if status in CAUGHT
            else "pending"
            if status in PENDING
            else "equivalent"
            if name in equivalent
            else "missed"
        )
        by_module.setdefault(module_of(name), Counter())[kind] += 1
    print(f"{'module':<14} {'mutants':>7} {'caught':>6} {'equiv.':>6} {'missed':>6} {'unrun':>6}")
    below = []
    for module, n in sorted(by_module.items()):
        judged = n["caught"] + n["missed"]
        goal = SMALLER_GOAL.get(module, GOAL)
        score = f"{n['caught'] / judged:7.1%}" if judged else "      -"
        mark = ""
        if judged and n["pending"] == 0 and n["caught"] / judged < goal:
            below.append(module)
            mark = f"  below the goal of {goal:.0%}"
        elif n["pending"]:
            mark = "  (not all checked)"
        print(
            f"{module:<14} {n.total():>7} {n['caught']:>6} {n['equivalent']:>6} "
            f"{n['missed']:>6} {n['pending']:>6} {score}{mark}"
        )
    if len(by_module) > 1:
        total = sum(by_module.values(), Counter())
        judged = total["caught"] + total["missed"]
        score = f"{total['caught'] / judged:7.1%}" if judged else "      -"
        print(
            f"{'all':<14} {total.total():>7} {total['caught']:>6} {total['equivalent']:>6} "
            f"{total['missed']:>6} {total['pending']:>6} {score}"
        )
    survivors = sorted(
        (name, status)
        for name, status in found.items()
        if status not in CAUGHT | PENDING and (not only or module_of(name) == only)
    )
    missed = [(n, s) for n, s in survivors if n not in equivalent]
    if missed:
        print(f"\nnot killed ({len(missed)}); `{mutmut} show NAME` prints a mutant's diff:")
        for name, status in missed:
            print(f"  {name}: {status}")
    same = [n for n, _ in survivors if n in equivalent]
    if same:
        print(f"\nequivalent ({len(same)}), from {EQUIVALENTS.name}:")
        for name in same:
            print(f"  {name}: {equivalent[name]}")
    stale = sorted(
        n for n in equivalent if (not only or module_of(n) == only) and found.get(n) in CAUGHT
    )
    if stale:
        print(f"\nlisted as equivalent but killed now (remove from {EQUIVALENTS.name}):")
        for name in stale:
            print(f"  {name}")
    if below:
        print(f"\nbelow the goal: {', '.join(below)}")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    only, retry = "--report" in args, "--retry" in args
    args = [a for a in args if a not in ("--report", "--retry")]
    module = None
    if "--module" in args:
        at = args.index("--module")
        module = args[at + 1] if at + 1 < len(args) else ""
        del args[at : at + 2]
    mutmut = args[0] if args else "mutmut"
    sys.exit(main(mutmut, module=module or None, report_only=only, retry=retry))
