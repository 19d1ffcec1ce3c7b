"""Locating and reading the project's ``data/`` folder (reference values of the papers and inputs).

Nothing is read at import time. The folder is found beside the package (editable install) or
through the environment variable ``CEVNS_DATA``.
"""

import csv
import os
from functools import lru_cache
from pathlib import Path


def data_dir():
    """Path of the ``data/`` folder."""
    env = os.environ.get("CEVNS_DATA")
    path = Path(env) if env else Path(__file__).resolve().parent.parent / "data"
    if not path.is_dir():
        raise FileNotFoundError(f"cannot find the data folder at {path}; install with 'pip install -e .' or set CEVNS_DATA")
    return path


def data_path(*parts):
    """Path of a file inside ``data/``."""
    return data_dir().joinpath(*parts)


def read_csv(*parts):
    """Rows of a CSV file in ``data/`` as dicts, skipping the leading '#' comment lines."""
    with open(data_path(*parts), newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=None)
def _table2():
    rows = read_csv("reference", "paper_table2_limits.csv")
    for r in rows:
        r["value"] = float(r["value"])
    return tuple(tuple(r.items()) for r in rows)


def paper_table2():
    """Table 2 of arXiv:1905.03750 as a list of dicts (block, experiment, setup, parameter, value, unit)."""
    return [dict(r) for r in _table2()]


BLOCK_OF_BEAM = {"prompt": "SNS prompt", "delayed": "SNS delayed", "reactor": "Reactor", "solar": "Solar"}


def paper_limit(experiment, beam, setup, parameter):
    """The published Table 2 value (1e-10 mu_B), or None where the paper gives none (e.g. full beam).

    ``beam``: "prompt", "delayed", "full", "reactor" or "solar"; ``parameter``: "Lambda1" ...
    """
    block = BLOCK_OF_BEAM.get(beam)
    if block is None:
        return None
    for r in _table2():
        r = dict(r)
        if (r["block"], r["experiment"], r["setup"], r["parameter"]) == (block, experiment, setup, parameter):
            return r["value"]
    return None


def paper_table1():
    """Table 1 of arXiv:1905.03750 as printed, a list of dicts."""
    return read_csv("reference", "paper_table1_setups.csv")
