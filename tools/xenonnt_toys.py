#!/usr/bin/env python3
"""Background-only pseudo-experiments for the significance of a XENONnT 8B dataset, cached as JSON.

Usage (from the repository root, with the project's environment active), for example:

    python tools/xenonnt_toys.py --dataset xenonnt-8b-2024 --toys 20000 --jobs 2

writes ``xenonnt-8b-2024_significance.json`` into the user cache folder, ``$XDG_CACHE_HOME/cevns_lib/xenonnt-toys``
(``~/.cache/cevns_lib/xenonnt-toys`` without XDG_CACHE_HOME; ``--output-dir`` chooses another): the result of
:func:`cevns_lib.datasets.xenonnt.significance_toys` (choice D25) plus the exact command that produced it.

The book reads the shipped runs in ``data/xenonnt-8b/toys/`` and repeats a small run live. A run replaces a shipped
file only with ``--write-shipped-cache``. Files are written atomically (``write_cache`` of tools/coherent_toys.py).
"""

import argparse
import os
import shlex
import sys
from pathlib import Path

from coherent_toys import write_cache

from cevns_lib.data import data_path
from cevns_lib.datasets import xenonnt

__all__ = ["user_cache_dir", "shipped_cache_dir", "cache_name", "main"]


def user_cache_dir():
    """$XDG_CACHE_HOME/cevns_lib/xenonnt-toys, or ~/.cache/cevns_lib/xenonnt-toys (XDG rule)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "cevns_lib" / "xenonnt-toys"


def shipped_cache_dir():
    """The shipped runs that the chapters read: data/xenonnt-8b/toys."""
    return data_path("xenonnt-8b") / "toys"


def cache_name(dataset):
    """The file name of a run, e.g. xenonnt-8b-2024_significance.json."""
    return f"{dataset}_significance.json"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True, choices=xenonnt.DATASETS)
    parser.add_argument("--toys", type=int, default=20000, help="pseudo-experiments (default 20000)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes (joblib; default 2)")
    parser.add_argument("--seed", type=int, default=2026)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--output-dir", type=Path, default=None, help="folder for the JSON file (default: the user "
                       "cache folder, $XDG_CACHE_HOME/cevns_lib/xenonnt-toys or ~/.cache/cevns_lib/xenonnt-toys)")
    where.add_argument("--write-shipped-cache", action="store_true",
                       help="replace the shipped run in data/xenonnt-8b/toys/ that the book reads")
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        res = xenonnt.significance_toys(args.dataset, n_toys=args.toys, n_jobs=args.jobs, seed=args.seed, batch=100)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    res["command"] = "python tools/xenonnt_toys.py " + " ".join(shlex.quote(a) for a in argv)
    folder = shipped_cache_dir() if args.write_shipped_cache else (
        args.output_dir if args.output_dir is not None else user_cache_dir())
    path = write_cache(res, folder, cache_name(args.dataset))
    print(f"wrote {path} in {res['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
