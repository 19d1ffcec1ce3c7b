#!/usr/bin/env python3
"""Time the computation behind Table 2 (not a test: nothing is asserted).

Usage (from the repository root, with the project's environment active):

    python tools/benchmark_table2.py [--repeat N]

Prints three timings:

* cold library call: ``cevns_lib.papers.miranda2019.table2()`` after clearing the event-number cache
  (``rates.event_yields``), i.e. every setup's SM and magnetic-moment yields are integrated again;
* warm library call: the same with the cache filled (only the chi-squares and root finding);
* the whole command ``python -m cevns_lib table2 --format json`` in a fresh interpreter, start-up included.

Targets: library well under a second, command a few seconds. Each figure is the best of ``--repeat`` runs.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_of(n, func):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (the best is reported)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")

    t0 = time.perf_counter()
    from cevns_lib import engine as rates
    from cevns_lib.papers import miranda2019 as limits
    t_import = time.perf_counter() - t0

    def cold():
        rates.event_yields.cache_clear()
        limits.table2()

    t_cold = best_of(args.repeat, cold)
    limits.table2()
    t_warm = best_of(args.repeat, limits.table2)
    n_rows = len(limits.table2())

    def command():
        subprocess.run([sys.executable, "-m", "cevns_lib", "table2", "--format", "json"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    t_cmd = best_of(args.repeat, command)

    print(f"Table 2: {n_rows} limits (best of {args.repeat} runs)")
    print(f"  import cevns_lib.papers.miranda2019 (first import)     {t_import:8.3f} s")
    print(f"  limits.table2(), cold (yields recomputed)  {t_cold:8.3f} s   target: well under 1 s")
    print(f"  limits.table2(), warm (yields cached)      {t_warm:8.3f} s")
    print(f"  python -m cevns_lib table2 (whole command) {t_cmd:8.3f} s   target: a few seconds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
