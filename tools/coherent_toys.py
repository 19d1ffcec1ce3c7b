#!/usr/bin/env python3
"""Pseudo-experiments for the Wilks check of a COHERENT limit, cached as JSON.

Usage (from the repository root, with the project's environment active), for example:

    python tools/coherent_toys.py --dataset coherent-csi-2017 --parameter mu_numu --toys 500 --jobs 2

writes ``coherent-csi-2017_mu_numu.json`` into the user cache folder, ``$XDG_CACHE_HOME/cevns_lib/coherent-toys``
(``~/.cache/cevns_lib/coherent-toys`` without XDG_CACHE_HOME; ``--output-dir`` chooses another): the result of
:func:`cevns_lib.datasets.coherent.wilks_check` plus the exact command that produced it.

The book reads the shipped runs in ``data/coherent/toys/`` (500 toys per point; each chapter prints the command
beside the numbers and repeats a smaller run live). A run replaces a shipped file only when asked to, with
``--write-shipped-cache``. Every file is written atomically: to a temporary file in the same folder, then moved
over the old one with ``os.replace``, so an interrupted run leaves the previous file whole.
"""

import argparse
import json
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

from cevns_lib.data import data_path
from cevns_lib.datasets import coherent

__all__ = ["user_cache_dir", "shipped_cache_dir", "cache_name", "write_cache", "run", "main"]


def user_cache_dir():
    """The folder of the runs made on this machine: $XDG_CACHE_HOME/cevns_lib/coherent-toys, or
    ~/.cache/cevns_lib/coherent-toys when XDG_CACHE_HOME is unset or not an absolute path (XDG rule)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "cevns_lib" / "coherent-toys"


def shipped_cache_dir():
    """The shipped runs that the chapters read: data/coherent/toys (the project's data folder)."""
    return data_path("coherent", "toys")


def cache_name(datasets, parameter):
    """The file name of a run: the datasets joined with '+', then the parameter, e.g. coherent-csi-2017_mu_nue.json."""
    return f"{'+'.join(datasets)}_{parameter}.json"


def write_cache(result, folder, name):
    """Write ``result`` (a JSON-serialisable dict) as ``folder/name`` atomically; return the path.

    The text goes to a temporary file in ``folder`` (same file system), is flushed to disk and then moved over
    ``folder/name`` with os.replace: a reader sees the old file or the new one, never a part. If anything fails
    before the move, the temporary file is removed and the old file is left as it was.
    """
    folder = Path(folder)
    if not name or Path(name).name != name or not name.endswith(".json"):
        raise ValueError(f"name: a file name ending in .json, got {name!r}")
    text = json.dumps(result, indent=1) + "\n"                # fails here, before any file is touched
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(f.fileno(), 0o666 & ~umask)         # as an ordinary new file (mkstemp makes it 0600)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def run(datasets, parameter, toys=500, jobs=2, points=(0.6, 0.8, 1.0, 1.25, 1.5), seed=2026, progress=True,
        command=""):
    """The Wilks check of ``parameter`` on ``datasets`` (see :func:`coherent.wilks_check`), with the command
    that made it and the wall time in seconds."""
    t0 = time.perf_counter()
    res = coherent.wilks_check(tuple(datasets), parameter, n_toys=toys, n_jobs=jobs, points=tuple(points),
                               seed=seed, progress=progress)
    res["command"] = command
    res["wall_time_s"] = round(time.perf_counter() - t0, 1)
    return res


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
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--output-dir", type=Path, default=None,
                       help="folder for the JSON file (default: the user cache folder, "
                            "$XDG_CACHE_HOME/cevns_lib/coherent-toys or ~/.cache/cevns_lib/coherent-toys)")
    where.add_argument("--write-shipped-cache", action="store_true",
                       help="replace the shipped run in data/coherent/toys/ that the book reads")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    args = parser.parse_args(argv)
    try:
        points = tuple(float(x) for x in args.points.split(","))
    except ValueError:
        parser.error(f"--points: comma-separated numbers, got {args.points!r}")
    argv = sys.argv[1:] if argv is None else list(argv)
    command = "python tools/coherent_toys.py " + " ".join(shlex.quote(a) for a in argv)
    try:
        res = run(args.dataset, args.parameter, args.toys, args.jobs, points, args.seed, not args.no_progress,
                  command)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.write_shipped_cache:
        folder = shipped_cache_dir()
    else:
        folder = args.output_dir if args.output_dir is not None else user_cache_dir()
    path = write_cache(res, folder, cache_name(args.dataset, args.parameter))
    print(f"wrote {path} in {res['wall_time_s']} s")
    if not args.write_shipped_cache:
        print("the book reads the shipped runs in data/coherent/toys/; --write-shipped-cache replaces one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
