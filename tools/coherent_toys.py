#!/usr/bin/env python3
"""Pseudo-experiments for the Wilks check of a COHERENT limit, cached as JSON for the book.

Usage (from the repository root, with the project's environment active), for example:

    python tools/coherent_toys.py --dataset coherent-csi-2017 --parameter mu_numu --toys 500 --jobs 2

writes ``data/coherent/toys/coherent-csi-2017_mu_numu.json``: the result of
:func:`cevns_lib.datasets.coherent.wilks_check` plus the exact command that produced it. The chapters read these files
and print the command beside the numbers; a smaller run is repeated live in the chapter.
"""

import argparse
import json
import shlex
import sys
import time

from cevns_lib.data import data_path
from cevns_lib.datasets import coherent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", action="append", required=True, choices=coherent.DATASETS,
                        help="dataset (repeat to combine)")
    parser.add_argument("--parameter", required=True, help="a one-sided parameter, e.g. mu_numu or Lambda1")
    parser.add_argument("--toys", type=int, default=500, help="pseudo-experiments per point (default 500)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes (joblib; default 2)")
    parser.add_argument("--points", default="0.6,0.8,1.0,1.25,1.5",
                        help="true values as multiples of the Wilks limit (default 0.6,0.8,1.0,1.25,1.5)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    points = tuple(float(x) for x in args.points.split(","))
    t0 = time.perf_counter()
    try:
        res = coherent.wilks_check(tuple(args.dataset), args.parameter, n_toys=args.toys, n_jobs=args.jobs,
                                   points=points, seed=args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    res["command"] = "python tools/coherent_toys.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    res["wall_time_s"] = round(time.perf_counter() - t0, 1)
    out = data_path("coherent", "toys")
    out.mkdir(exist_ok=True)
    path = out / f"{'+'.join(args.dataset)}_{args.parameter}.json"
    path.write_text(json.dumps(res, indent=1) + "\n")
    print(f"wrote {path} in {res['wall_time_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
