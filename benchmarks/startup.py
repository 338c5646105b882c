"""Benchmark of start-up: what ``import microgov`` costs over a bare interpreter.

Usage::

    python benchmarks/startup.py                 # median of 10 runs of each command
    python benchmarks/startup.py --repeat 30
    python benchmarks/startup.py --quick         # 3 runs (smoke test)

Every embedding service and every ``microgov allocate`` pays the import, so the goals are
relative to the interpreter itself (``python -c "pass"``), measured in the same run:

* ``python -c "import microgov"`` within 150 ms of the bare interpreter (subpackages load on
  first use);
* ``python -c "import microgov.funds"`` within 250 ms (money, ledger, allocation rules and
  the pabulib reader: no networkx, no cattrs, no calendar data);
* ``python -c "import microgov.hierarchy"``, ``python -m microgov --version`` and
  ``python -c "import attrs, fractions, re"`` (the floor under funds: what it cannot do
  without) are shown for reference, without a goal.

Each command runs as a fresh process (``subprocess``, the same interpreter, ``-I`` left
out so that the installed package is found); the runs of the commands are interleaved so
that a busy machine slows them alike.  What is timed is the wall time from start to exit
(``time.perf_counter``); the figure is the median of ``--repeat`` runs, and the overhead is
the command's median minus the bare interpreter's.  The script prints a table with "met" or
"NOT met" per goal; like every benchmark here it exits non-zero only when a command fails,
never because of time (``--check`` makes a missed goal an error too).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS: tuple[tuple[str, tuple[str, ...], float | None], ...] = (
    ("bare interpreter", ("-c", "pass"), None),
    ("import microgov", ("-c", "import microgov"), 0.150),
    ("import microgov.funds", ("-c", "import microgov.funds"), 0.250),
    ("import microgov.hierarchy", ("-c", "import microgov.hierarchy"), None),
    # The floor under funds: the third-party and standard modules it cannot do without.
    ("import attrs, fractions, re", ("-c", "import attrs, fractions, re"), None),
    ("microgov --version", ("-m", "microgov", "--version"), None),
)


def _once(args: tuple[str, ...]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr.decode(errors='replace')}")
    return elapsed


def measure(repeat: int) -> dict[str, float]:
    """Median wall time (seconds) of each command over ``repeat`` interleaved runs."""
    times: dict[str, list[float]] = {name: [] for name, _, _ in COMMANDS}
    for name, args, _ in COMMANDS:  # warm the file cache and the bytecode once
        _once(args)
        del name
    for _ in range(repeat):
        for name, args, _ in COMMANDS:
            times[name].append(_once(args))
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs of each command (10)")
    parser.add_argument("--quick", action="store_true", help="3 runs: a smoke test")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else max(args.repeat, 1)
    medians = measure(repeat)
    bare = medians["bare interpreter"]
    print(f"Start-up, median of {repeat} runs ({sys.executable}, Python {sys.version.split()[0]})")
    print(f"{'command':<28}{'median':>10}{'over bare':>12}{'goal':>10}  status")
    missed = 0
    for name, _, goal in COMMANDS:
        over = medians[name] - bare
        status = ""
        if goal is not None:
            met = over <= goal
            missed += not met
            status = "met" if met else "NOT met"
        print(
            f"{name:<28}{medians[name] * 1000:>8.1f}ms"
            f"{'' if name == 'bare interpreter' else f'{over * 1000:+.1f}ms':>12}"
            f"{'' if goal is None else f'≤{goal * 1000:.0f}ms':>10}  {status}"
        )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
