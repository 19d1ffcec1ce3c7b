#!/usr/bin/env python3
"""How long the event numbers of all Table 1 setups take in one process (not a test).

Usage (from the repository root, with the project's environment active):

    python tools/benchmark_rates.py [--repeat N]

Three timings are printed:

* cold: every cache of the library cleared (experiment files re-read from data/experiments/, isotope
  tables, reactor normalisation, event numbers), then all 18 setups computed;
* recomputed: only the event-number cache cleared (helpers warm), all setups computed again;
* cached: all setups requested once more (lru_cache hits, what later chapters pay).

With --repeat N each timing is the best of N runs.
"""

import argparse
import sys
import time

from cevns_lib import experiment as experiments
from cevns_lib.engine import yields as rates
from cevns_lib.experiment import registry
from cevns_lib.physics import nuclei
from cevns_lib.sources import reactor


def clear_all_caches():
    for func in (rates._event_yields, registry.shipped_experiments, nuclei.isotope, nuclei.molar_mass,
                 nuclei.nuclei_per_kg, nuclei.formula_units, reactor._nu_per_fission, reactor._beta_norm):
        func.cache_clear()


def compute_all():
    start = time.perf_counter()
    setups = experiments.all_setups()
    for s in setups:
        rates.event_yields(s)
    return time.perf_counter() - start, len(setups)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs for each timing (default 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    cold, recomputed, cached = [], [], []
    for _ in range(args.repeat):
        clear_all_caches()
        t, n = compute_all()
        cold.append(t)
        rates.event_yields.cache_clear()
        recomputed.append(compute_all()[0])
        cached.append(compute_all()[0])
    info = rates.event_yields.cache_info()
    print(f"event numbers of {n} setups (n_t = {rates.N_T}, n_e = {rates.N_E} Gauss-Legendre nodes per segment), "
          f"best of {args.repeat}:")
    print(f"  cold (all caches cleared):       {min(cold) * 1e3:8.1f} ms")
    print(f"  recomputed (helpers warm):       {min(recomputed) * 1e3:8.1f} ms")
    print(f"  cached (lru_cache hits):         {min(cached) * 1e3:8.3f} ms")
    print(f"  event_yields cache: {info.hits} hits, {info.misses} misses, {info.currsize} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
