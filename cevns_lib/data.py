"""Locating and reading the project's ``data/`` folder (reference values of the papers and inputs).

Nothing is read at import time. Where the folder is, in order:

1. the environment variable ``CEVNS_DATA``, if set (an override: a copy of ``data/`` you edit);
2. the package resources ``cevns_lib/_data``, found with :mod:`importlib.resources` (an install from
   a wheel or an sdist: the build maps the repository's top-level ``data/`` there, see
   ``pyproject.toml``);
3. the repository's top-level ``data/`` beside the package (a source checkout, editable install).

A missing folder or file raises :class:`DataNotFoundError`, a file that cannot be parsed
:class:`DataFormatError`; both name the path.
"""

import csv
import importlib.resources
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from .validation import check_positive

__all__ = [
    "ENV_VAR", "DataError", "DataNotFoundError", "DataFormatError", "data_dir", "data_path", "read_toml",
    "read_csv", "paper_table2", "BLOCK_OF_BEAM", "paper_limit", "paper_table1", "KOPEIKIN_FILE",
    "kopeikin1997_spectrum", "paper_inputs"
]


#: Environment variable that points the library at another data folder.
ENV_VAR = "CEVNS_DATA"


class DataError(Exception):
    """The data folder, or a file in it, is missing or cannot be read."""


class DataNotFoundError(DataError, FileNotFoundError):
    """The data folder or one of its files does not exist."""


class DataFormatError(DataError, ValueError):
    """A data file exists but its content cannot be parsed."""


def _package_dir():
    return Path(__file__).resolve().parent


def _default_dir():
    """The data shipped with the package, else the source checkout's ``data/`` (and which one)."""
    packaged = importlib.resources.files("cevns_lib") / "_data"
    if packaged.is_dir():
        return Path(str(packaged)), "installed package"
    return _package_dir().parent / "data", "source checkout"


def data_dir():
    """Path of the data folder (see the module docstring for where it is looked for)."""
    env = os.environ.get(ENV_VAR)
    if env:
        path, where = Path(env).expanduser(), f"set by {ENV_VAR}"
    else:
        path, where = _default_dir()
    if not path.is_dir():
        hint = (f"point {ENV_VAR} at a copy of the project's data/ folder" if env
                else f"reinstall cevns_lib or set {ENV_VAR} to a copy of the project's data/ folder")
        raise DataNotFoundError(f"data folder not found: {path} ({where}); {hint}")
    return path


def data_path(*parts):
    """Path of an existing file or folder inside the data folder, e.g. ``data_path("reference", "x.csv")``."""
    if not parts or not all(isinstance(p, str) and p for p in parts):
        raise ValueError(f"data_path needs one or more non-empty path components, got {parts!r}")
    path = data_dir().joinpath(*parts)
    if not path.exists():
        raise DataNotFoundError(f"data file or folder not found: {path}")
    return path


def read_toml(*parts):
    """A TOML file of the data folder as a dict."""
    path = data_path(*parts)
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"cannot parse {path}: {exc}") from None


def read_csv(*parts):
    """Rows of a CSV file in ``data/`` as dicts, skipping the leading '#' comment lines."""
    path = data_path(*parts)
    try:
        with open(path, newline="") as fh:
            lines = [line for line in fh if not line.startswith("#")]
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"cannot read {path}: {exc}") from None
    rows = list(csv.DictReader(lines))
    for i, r in enumerate(rows, start=2):
        if None in r or None in r.values():
            raise DataFormatError(f"{path}: data row {i} does not have one value per column")
    return rows


@lru_cache(maxsize=None)
def _table2():
    rows = read_csv("reference", "paper_table2_limits.csv")
    for r in rows:
        try:
            r["value"] = float(r["value"])
        except (KeyError, ValueError):
            raise DataFormatError(f"{data_path('reference', 'paper_table2_limits.csv')}: "
                                  f"bad or missing 'value' in row {r}") from None
    return tuple(tuple(r.items()) for r in rows)


def paper_table2():
    """Table 2 of arXiv:1905.03750 as a list of dicts (block, experiment, stage, parameter, value, unit)."""
    return [dict(r) for r in _table2()]


BLOCK_OF_BEAM = {"prompt": "SNS prompt", "delayed": "SNS delayed", "reactor": "Reactor", "solar": "Solar"}


def paper_limit(experiment, beam, stage, parameter):
    """The published Table 2 value (1e-10 mu_B), or None where the paper gives none (e.g. full beam).

    ``beam``: "prompt", "delayed", "full", "reactor" or "solar"; ``parameter``: "Lambda1" ...
    """
    block = BLOCK_OF_BEAM.get(beam)
    if block is None:
        return None
    for r in _table2():
        r = dict(r)
        if (r["block"], r["experiment"], r["stage"], r["parameter"]) == (block, experiment, stage, parameter):
            return r["value"]
    return None


def paper_table1():
    """Table 1 of arXiv:1905.03750 as printed, a list of dicts."""
    return read_csv("reference", "paper_table1_setups.csv")


KOPEIKIN_FILE = ("reference", "kopeikin1997_reactor_antineutrino_lowE.txt")


@lru_cache(maxsize=None)
def _kopeikin():
    path = data_path(*KOPEIKIN_FILE)
    try:
        table = np.loadtxt(path, comments="#", ndmin=2)
    except ValueError as exc:
        raise DataFormatError(f"cannot parse {path}: {exc}") from None
    if table.shape[1] != 2 or len(table) < 2:
        raise DataFormatError(f"{path}: expected two columns (E in MeV, dN/dE), got shape {table.shape}")
    E, S = table[:, 0].copy(), table[:, 1].copy()
    if not (np.all(np.isfinite(table)) and np.all(np.diff(E) > 0) and E[0] > 0 and np.all(S > 0)):
        raise DataFormatError(f"{path}: energies must increase and be positive, the spectrum positive and finite")
    E.flags.writeable = False
    S.flags.writeable = False
    return E, S


def kopeikin1997_spectrum():
    """Reactor antineutrino spectrum of Kopeikin, Mikaelyan and Sinev, Phys. Atom. Nucl. 60 (1997) 172.

    Returns read-only arrays ``(E, dN_dE)``: energy E in MeV (0.01-9 MeV) and the spectrum in
    antineutrinos per MeV per fission. Source and provenance are in the file's header
    (``data/reference/kopeikin1997_reactor_antineutrino_lowE.txt``).
    """
    return _kopeikin()


@lru_cache(maxsize=None)
def paper_inputs():
    """The single-number inputs of the paper's Table 2 (data/inputs/paper_inputs.toml), read on first use."""
    raw = read_toml("inputs", "paper_inputs.toml")
    try:
        return MappingProxyType({
            "BOREXINO_BOUND": check_positive(raw["borexino"]["mu_bound_1e-10_muB"], "borexino.mu_bound_1e-10_muB"),
            "P2NU_E1_BOREXINO": check_positive(raw["borexino"]["p2nu_e1"], "borexino.p2nu_e1"),
            "MINER_ALTERNATIVE_GAIN": check_positive(raw["table2_alternatives"]["miner_luminosity_gain"],
                                                     "table2_alternatives.miner_luminosity_gain"),
            "RED100_ALTERNATIVE_MASS_KG": check_positive(raw["table2_alternatives"]["red100_mass_kg"],
                                                         "table2_alternatives.red100_mass_kg"),
        })
    except KeyError as exc:
        raise ValueError(f"data/inputs/paper_inputs.toml: missing key {exc}") from None
