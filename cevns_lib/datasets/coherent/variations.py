"""How each COHERENT limit moves with its main analysis choices (the table of Part III).

For each released data set the limit of a parameter is recomputed with one analysis choice changed at a time,
everything else as in the nominal likelihood:

* CsI 2021, time binning: the 16 time bins of choice D9, merged pairwise (8 bins), merged into 4, or summed into
  one (the PE spectrum alone). Merging sums the data, the templates and their variations bin by bin, so the
  likelihood is the same function of the same events, only coarser;
* CsI 2021, the signal-normalisation prior: its 10% flux prior, or COHERENT's 13% (the LAr release's
  normalisation);
* LAr 2020, shape nuisances: with the release's signal and background shape variations, or without them.

:func:`analysis_choice_table` returns the rows (data set, choice, parameter, limit, ratio to the nominal limit).
"""

from dataclasses import replace
from types import MappingProxyType

import numpy as np

from ...statistics.likelihood import Likelihood, SignalShape, allowed_region
from ...validation import frozen_copy
from . import dataset
from .parameters import get_parameter

__all__ = ["CHOICES", "rebin_time", "choice_models", "choice_limit", "analysis_choice_table"]


#: The choices of the table: (data set, choice label).
CHOICES = (
    ("coherent-csi-2021", "nominal (16 time bins, 10% signal prior)"),
    ("coherent-csi-2021", "8 time bins"),
    ("coherent-csi-2021", "4 time bins"),
    ("coherent-csi-2021", "no timing (1 time bin)"),
    ("coherent-csi-2021", "13% signal prior"),
    ("coherent-lar-2020", "nominal (shape nuisances)"),
    ("coherent-lar-2020", "no shape nuisances"),
)


def rebin_time(model, shape, groups):
    """The CsI 2021 model with its time bins merged: ``shape`` = (n_pe, n_t) of the flat arrays, ``groups`` a
    tuple of tuples of time-bin indices (each merged bin sums them)."""
    n_pe, n_t = shape
    flat = [i for g in groups for i in g]
    if sorted(flat) != list(range(n_t)):
        raise ValueError(f"groups must cover the {n_t} time bins once each, got {groups!r}")

    def merge(a):
        if a is None:
            return None
        m = np.asarray(a, dtype=float).reshape(n_pe, n_t)
        return frozen_copy(np.stack([m[:, list(g)].sum(axis=1) for g in groups], axis=1).ravel())

    def merge_map(d):
        return None if d is None else MappingProxyType({k: merge(v) for k, v in d.items()})

    bkgs = tuple(replace(b, template=merge(b.template),
                         shapes=tuple((n, merge(u), merge(d)) for n, u, d in b.shapes)) for b in model.backgrounds)
    shapes = tuple(SignalShape(s.nuisance, merge_map(s.up), merge_map(s.down)) for s in model.signal_shapes)
    return replace(model, data=merge(model.data), basis=merge_map(model.basis), backgrounds=bkgs,
                   signal_shapes=shapes)


def choice_models(name, choice):
    """The likelihood model of data set ``name`` with one analysis ``choice`` of :data:`CHOICES`."""
    if (name, choice) not in CHOICES:
        raise ValueError(f"unknown analysis choice {choice!r} for {name}; allowed: "
                         f"{', '.join(c for n, c in CHOICES if n == name)}")
    d = dataset(name)
    m = d.model
    if choice.startswith("nominal"):
        return m
    if choice == "13% signal prior":
        return replace(m, signal_sigma=0.13)
    if choice == "no shape nuisances":
        return replace(m, signal_shapes=(), backgrounds=tuple(replace(b, shapes=()) for b in m.backgrounds))
    n_t = d.shape[1]
    k = {"8 time bins": 2, "4 time bins": 4, "no timing (1 time bin)": n_t}[choice]
    groups = tuple(tuple(range(i, min(i + k, n_t))) for i in range(0, n_t, k))
    return rebin_time(m, d.shape, groups)


def choice_limit(name, choice, parameter, cl=0.90):
    """The Wilks limit of ``parameter`` (its unit) from data set ``name`` with one analysis ``choice``: the upper
    limit of a moment, the largest |x| of the interval around zero of a charge or radius."""
    binding = get_parameter(parameter)
    region, _ = allowed_region(Likelihood([choice_models(name, choice)], binding), cl)
    s = binding.scale
    if binding.two_sided:
        around = [iv for iv in region if iv[0] <= 0.0 <= iv[1]]
        return float(max(abs(around[0][0]), abs(around[0][1])) * s) if around else float("nan")
    return float(region[-1][1] * s)


def analysis_choice_table(parameters=("mu_numu", "mu_nue"), cl=0.90):
    """Rows (data set, choice, parameter, unit, limit, ratio to the nominal limit) for every choice of
    :data:`CHOICES` and parameter: how each COHERENT limit moves with its main analysis choices."""
    rows = []
    for p in parameters:
        unit = get_parameter(p).unit
        nominal = {}
        for name, choice in CHOICES:
            lim = choice_limit(name, choice, p, cl)
            if choice.startswith("nominal"):
                nominal[name] = lim
            rows.append((name, choice, p, unit, lim, lim / nominal[name]))
    return tuple(rows)
