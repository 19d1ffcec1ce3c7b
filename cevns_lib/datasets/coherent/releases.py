"""Reading the COHERENT data releases shipped in ``data/coherent/<release>/``.

Each release folder holds the release's own files (unchanged), a ``PROVENANCE.md`` and a
``parameters.toml`` with what the files do not hold: facts about the dataset, each with its source and a tag
saying how sure we are of it, the published results we compare with, and our analysis settings (each
pointing to its entry in the register of choices). Tags:

* ``V``  read in the release files or in the paper's own abstract;
* ``V2`` seen only in a secondary source (another group's code or summary);
* ``I``  widely quoted but not verified here.

Nothing is read at import time; every reader validates what it reads and names the file and key at fault.
"""

import tomllib
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import yaml

from ...data import data_path
from ..facts import Fact, Published, ReleaseParameters, parse_parameters

__all__ = [
    "RELEASES", "TAGS", "release_path", "read_table", "read_coefficient_sets", "read_yaml", "yaml_value",
    "yaml_parameter", "Fact", "Published", "ReleaseParameters", "release_parameters"
]


RELEASES = ("csi2017", "lar2020", "csi2021")


TAGS = ("V", "V2", "I")


def _check_release(release):
    if release not in RELEASES:
        raise ValueError(f"unknown COHERENT release {release!r}; allowed: {', '.join(RELEASES)}")


def release_path(release, *parts):
    """Path of a file of a release folder (``data/coherent/<release>/...``); the file must exist."""
    _check_release(release)
    path = data_path("coherent", release, *parts)
    if not path.is_file():
        raise FileNotFoundError(f"missing release file {path}")
    return path


@lru_cache(maxsize=None)
def read_table(release, relpath, ncols, delimiter=None, skiprows=0):
    """Numeric table of a release file as a read-only float array of shape (rows, ncols).

    Lines starting with '#' and the first ``skiprows`` lines (a header) are skipped; every value must be finite.
    """
    path = release_path(release, *relpath.split("/"))
    try:
        arr = np.loadtxt(path, delimiter=delimiter, comments="#", ndmin=2, skiprows=skiprows)
    except ValueError as exc:
        raise ValueError(f"{path}: cannot read a numeric table ({exc})") from exc
    if arr.shape[1] != ncols:
        raise ValueError(f"{path}: expected {ncols} columns, found {arr.shape[1]}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{path}: non-finite values")
    arr.flags.writeable = False
    return arr


@lru_cache(maxsize=None)
def read_coefficient_sets(release, relpath):
    """Coefficient rows of a release file whose non-comment lines are whitespace-separated numbers.

    Returns a tuple of (label, coefficients) where label is the last comment line before the row.
    """
    path = release_path(release, *relpath.split("/"))
    out, label = [], ""
    for line in path.read_text().splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            label = s.lstrip("# ").strip()
            continue
        try:
            row = tuple(float(v) for v in s.split())
        except ValueError as exc:
            raise ValueError(f"{path}: cannot read coefficients from line {line!r}") from exc
        if not all(np.isfinite(row)):
            raise ValueError(f"{path}: non-finite coefficient in line {line!r}")
        out.append((label, row))
    if not out:
        raise ValueError(f"{path}: no coefficient rows found")
    return tuple(out)


@lru_cache(maxsize=None)
def read_yaml(release, relpath):
    """A release's YAML parameter file as a (read-only) mapping."""
    path = release_path(release, *relpath.split("/"))
    with open(path) as fh:
        doc = yaml.safe_load(fh)
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return MappingProxyType(doc)


def yaml_value(release, relpath, key, field="value"):
    """A number from a release YAML: ``key`` -> ``field`` (e.g. "value", "uncertainty")."""
    doc = read_yaml(release, relpath)
    if key not in doc or not isinstance(doc[key], dict) or field not in doc[key]:
        raise ValueError(f"{release}/{relpath}: no {key}.{field}")
    v = doc[key][field]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
        raise ValueError(f"{release}/{relpath}: {key}.{field} is not a finite number ({v!r})")
    return float(v)


def yaml_parameter(release, relpath, key, name, field="value"):
    """A number from the ``parameters`` list of a YAML entry (e.g. the acceptance's ``a``, ``k``, ``x_0``)."""
    doc = read_yaml(release, relpath)
    for p in (doc.get(key) or {}).get("parameters", ()):
        if p.get("name") == name and field in p:
            return float(p[field])
    raise ValueError(f"{release}/{relpath}: no parameter {name!r} ({field}) in {key}")


@lru_cache(maxsize=None)
def release_parameters(release):
    """:class:`ReleaseParameters` of a release, read from its ``parameters.toml`` and validated."""
    path = release_path(release, "parameters.toml")
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    return parse_parameters(raw, path, release, TAGS)
