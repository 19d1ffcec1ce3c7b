"""Reading the XENONnT solar-8B data release shipped in ``data/xenonnt-8b/`` (see its PROVENANCE.md).

Per science run (:data:`RUNS`: "sr0", "sr1", "sr2"):

* :func:`events`: the post-selection events, an array (n, 4) of the four observables :data:`OBSERVABLES`
  (cS2 in PE; the quantile of S2_pre / Delta t_pre; the S1-BDT and S2-BDT scores);
* :func:`binning`: the bin edges of the release's YAML file, 3 bins per observable (3^4 = 81 bins);
* :func:`observed_counts`: the events histogrammed in those bins, shape (3, 3, 3, 3);
* :func:`background_templates`: the accidental-coincidence (AC), electronic-recoil (ER) and radiogenic-neutron (RG,
  a 7 x 7 grid in the yield nuisances t_ly, t_qy) templates, in events/(t yr) per bin;
* :func:`mono_templates`: the mono-energetic nuclear-recoil templates (46 energies 0.5 ... 5.0 keVnr x 7 t_ly x 7
  t_qy), dimensionless detection probabilities per bin.

:func:`release_parameters` reads ``parameters.toml``: the facts the files do not hold (exposures, the nuisance
priors of the 2024 light-DM model, the reference 8B flux), the published numbers, and the analysis settings, each
with a provenance tag (:data:`TAGS`). Nothing is read at import time; every reader validates what it reads,
names the file at fault, and returns read-only arrays (results are cached).
"""

import csv
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import yaml

from ...data import DataFormatError, data_path
from ...validation import frozen_copy
from ..facts import ReleaseParameters, parse_parameters

__all__ = ["RELEASE_DIR", "RUNS", "OBSERVABLES", "TEMPLATE_AXES", "TAGS", "release_path", "events", "binning",
           "observed_counts", "BackgroundTemplates", "background_templates", "MonoTemplates", "mono_templates",
           "ReleaseParameters", "release_parameters"]

#: Folder of the release inside the data folder.
RELEASE_DIR = "xenonnt-8b"
#: Science runs of the release.
RUNS = ("sr0", "sr1", "sr2")
#: The four observables, as the event CSVs and the binning YAMLs name them.
OBSERVABLES = ("cs2", "s2_shadow_s2_time_shadow_quantile", "s1_bdt_score", "s2_bdt_score")
#: The same axes as the template files name them (the second without "_quantile").
TEMPLATE_AXES = ("cs2", "s2_shadow_s2_time_shadow", "s1_bdt_score", "s2_bdt_score")
#: Provenance tags of parameters.toml: read in the release or the paper's abstract; read in the earlier 2024
#: light-DM release (its statistical-model YAML); derived here from the files; seen only in a secondary source;
#: not verified.
TAGS = ("V", "V-lw", "D", "V2", "I")
#: YAML bin edges are printed with 12 decimals; the template files hold the same edges to this accuracy.
EDGE_TOLERANCE = 1e-9


def _check_run(run):
    if not isinstance(run, str) or run not in RUNS:
        raise ValueError(f"unknown XENONnT science run {run!r}; allowed: {', '.join(RUNS)}")
    return run


def release_path(*parts):
    """Path of an existing file of ``data/xenonnt-8b/`` (DataNotFoundError naming it otherwise)."""
    return data_path(RELEASE_DIR, *parts)


@lru_cache(maxsize=None)
def events(run):
    """Post-selection events of a run: a read-only array (n, 4) of :data:`OBSERVABLES`."""
    path = release_path("data", f"{_check_run(run)}.csv")
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or tuple(rows[0][1:]) != OBSERVABLES:
        raise DataFormatError(f"{path}: expected the columns (index, {', '.join(OBSERVABLES)}), got {rows[:1]}")
    try:
        arr = np.array([[float(v) for v in r[1:]] for r in rows[1:]], dtype=float).reshape(-1, 4)
    except ValueError as exc:
        raise DataFormatError(f"{path}: non-numeric entry ({exc})") from None
    if not np.all(np.isfinite(arr)):
        raise DataFormatError(f"{path}: non-finite values")
    return frozen_copy(arr, dtype=None)


@lru_cache(maxsize=None)
def binning(run):
    """Bin edges of a run: a tuple of four read-only arrays (4 edges each), in the order of :data:`OBSERVABLES`."""
    path = release_path("binning", f"{_check_run(run)}.yaml")
    with open(path) as fh:
        doc = yaml.safe_load(fh)
    if not isinstance(doc, dict) or tuple(doc) != OBSERVABLES:
        raise DataFormatError(f"{path}: expected the keys {', '.join(OBSERVABLES)} in this order")
    out = []
    for k in OBSERVABLES:
        e = np.asarray(doc[k], dtype=float)
        if e.shape != (4,) or not np.all(np.isfinite(e)) or np.any(np.diff(e) <= 0):
            raise DataFormatError(f"{path}: {k} must be 4 increasing finite edges, got {doc[k]!r}")
        out.append(frozen_copy(e, dtype=None))
    return tuple(out)


@lru_cache(maxsize=None)
def observed_counts(run):
    """Events of a run per bin, shape (3, 3, 3, 3) (read-only). Every event must lie inside the binning; events on
    an edge would belong to the upper bin (none is closer than 1e-4 to an edge, see choice D17)."""
    ev = events(run)
    edges = binning(run)
    idx = []
    for d, e in enumerate(edges):
        x = ev[:, d]
        if np.any(x < e[0]) or np.any(x > e[-1]):
            raise DataFormatError(f"{RELEASE_DIR}/data/{run}.csv: events outside the {OBSERVABLES[d]} range "
                                  f"{e[0]}-{e[-1]}")
        idx.append(np.clip(np.searchsorted(e, x, side="right") - 1, 0, 2))
    counts = np.zeros((3, 3, 3, 3))
    np.add.at(counts, tuple(idx), 1.0)
    return frozen_copy(counts, dtype=None)


def _load_npz(path):
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError) as exc:
        raise DataFormatError(f"cannot read {path}: {exc}") from None


def _check_edges(path, arrays, run):
    names = tuple(str(x) for x in arrays["axis_names"])
    if names != TEMPLATE_AXES:
        raise DataFormatError(f"{path}: axis names {names}, expected {TEMPLATE_AXES}")
    edges = tuple(frozen_copy(arrays[f"bin_edges_{i}"], dtype=None) for i in range(4))
    for i, (a, b) in enumerate(zip(edges, binning(run))):
        if a.shape != b.shape or np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0)) > EDGE_TOLERANCE:
            raise DataFormatError(f"{path}: bin edges of {names[i]} differ from binning/{run}.yaml")
    return edges


def _check_grid(path, arrays):
    for k in ("t_ly", "t_qy"):
        if not np.array_equal(arrays[k], np.arange(-3.0, 4.0)):
            raise DataFormatError(f"{path}: {k} must be the anchors -3 ... 3, got {arrays[k]}")
    return frozen_copy(arrays["t_ly"], dtype=None), frozen_copy(arrays["t_qy"], dtype=None)


@dataclass(frozen=True)
class BackgroundTemplates:
    """Background templates of one run in events/(t yr) per bin (read-only arrays).

    ``ac``, ``er``: shape (3, 3, 3, 3); ``rg``: shape (7, 7, 3, 3, 3, 3), rg[i, j] at (t_ly[i], t_qy[j]);
    ``edges``: the template files' bin edges; ``files``: {component: original file names}.
    """

    run: str
    ac: np.ndarray
    er: np.ndarray
    rg: np.ndarray
    t_ly: np.ndarray
    t_qy: np.ndarray
    edges: tuple
    files: MappingProxyType


@lru_cache(maxsize=None)
def background_templates(run):
    """:class:`BackgroundTemplates` of a run, from ``templates/<run>/background_<run>.npz``."""
    path = release_path("templates", _check_run(run), f"background_{run}.npz")
    z = _load_npz(path)
    edges = _check_edges(path, z, run)
    t_ly, t_qy = _check_grid(path, z)
    shapes = {"ac": (3, 3, 3, 3), "er": (3, 3, 3, 3), "rg": (7, 7, 3, 3, 3, 3)}
    for k, s in shapes.items():
        a = z[k]
        if a.shape != s or a.dtype != np.float64 or not np.all(np.isfinite(a)) or np.any(a < 0):
            raise DataFormatError(f"{path}: {k} must be finite float64 counts >= 0 of shape {s}")
    files = MappingProxyType({k: frozen_copy(z[f"file_name_{k}"], dtype=None) for k in shapes})
    return BackgroundTemplates(run, frozen_copy(z["ac"], dtype=None), frozen_copy(z["er"], dtype=None),
                               frozen_copy(z["rg"], dtype=None), t_ly, t_qy, edges, files)


@dataclass(frozen=True)
class MonoTemplates:
    """Mono-energetic NR templates of one run (read-only): ``template[iE, i_ly, i_qy]`` of shape (3, 3, 3, 3) is the
    probability that a recoil of energy ``energy_keV[iE]`` (keVnr) is detected in each bin at (t_ly, t_qy)."""

    run: str
    energy_keV: np.ndarray
    t_ly: np.ndarray
    t_qy: np.ndarray
    template: np.ndarray
    edges: tuple

    def efficiency(self, i_ly=3, i_qy=3):
        """Detection efficiency (the template summed over bins) at each energy, at the anchor (i_ly, i_qy)."""
        return frozen_copy(self.template[:, i_ly, i_qy].reshape(self.energy_keV.size, -1).sum(axis=1))


@lru_cache(maxsize=None)
def mono_templates(run):
    """:class:`MonoTemplates` of a run, from ``templates/<run>/mono_<run>.npz``."""
    path = release_path("templates", _check_run(run), f"mono_{run}.npz")
    z = _load_npz(path)
    edges = _check_edges(path, z, run)
    t_ly, t_qy = _check_grid(path, z)
    E = z["energy_keVnr"]
    if E.ndim != 1 or E.size < 2 or np.any(np.diff(E) <= 0) or E[0] <= 0:
        raise DataFormatError(f"{path}: energy_keVnr must increase from a positive value")
    t = z["template"]
    if t.shape != (E.size, 7, 7, 3, 3, 3, 3) or not np.all(np.isfinite(t)) or np.any(t < 0):
        raise DataFormatError(f"{path}: template must be finite and >= 0 with shape ({E.size}, 7, 7, 3, 3, 3, 3)")
    if np.any(t.reshape(E.size, 7, 7, -1).sum(axis=-1) > 1.0 + 1e-9):
        raise DataFormatError(f"{path}: a detection probability summed over bins exceeds 1")
    return MonoTemplates(run, frozen_copy(E, dtype=None), t_ly, t_qy, frozen_copy(t, dtype=None), edges)


@lru_cache(maxsize=None)
def release_parameters():
    """:class:`ReleaseParameters` read from ``data/xenonnt-8b/parameters.toml`` and validated."""
    path = release_path("parameters.toml")
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataFormatError(f"cannot parse {path}: {exc}") from None
    return parse_parameters(raw, path, RELEASE_DIR, TAGS)
