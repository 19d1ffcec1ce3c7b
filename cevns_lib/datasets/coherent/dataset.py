"""What the three release modules share: the :class:`Dataset` they build and the steady-state template.

A :class:`Dataset` bundles the likelihood of a release (:class:`~.likelihood.Model`, with our engine's signal
basis, used for the electromagnetic limits), the model of the CEvNS rate fit (the same, or for LAr the
release's own CEvNS template), our engine's Standard-Model prediction in the analysis window, the bin axes
(to reshape flat arrays for figures) and the published numbers we compare with.
"""

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy.optimize import minimize_scalar

__all__ = ["Dataset", "exponential_slope", "steady_state_template", "pe_response"]


@dataclass(frozen=True)
class Dataset:
    """One COHERENT release, ready to fit (see the module docstring).

    ``axes``: {dimension: bin edges}; ``shape``: the shape of one channel's bins (flat arrays reshape to it);
    ``published``: {name: Published}; ``info``: further numbers (read-only mapping).
    """

    name: str
    release: str
    model: object
    rate_model: object
    n_predicted: float
    axes: MappingProxyType
    shape: tuple
    published: MappingProxyType
    info: MappingProxyType

    def reshape(self, flat):
        """A flat per-bin array of one channel as an array of shape ``self.shape``."""
        return np.asarray(flat).reshape(self.shape)


def exponential_slope(counts, centres):
    """Maximum-likelihood slope lambda (per unit of ``centres``) of counts proportional to exp(-lambda t).

    Poisson likelihood with the total fixed (a multinomial fit); lambda is searched in [-1, 1] per unit.
    """
    counts = np.asarray(counts, dtype=float)
    centres = np.asarray(centres, dtype=float)

    def nll(lam):
        g = np.exp(-lam * (centres - centres[0]))
        g = g / g.sum()
        return -np.sum(counts * np.log(g))

    return float(minimize_scalar(nll, bounds=(-1.0, 1.0), method="bounded", options={"xatol": 1e-8}).x)


def steady_state_template(pe_counts, time_centres_fit, time_counts_fit, time_centres_window, total):
    """Smooth steady-state template: an energy shape times an exponential time shape, scaled to ``total``.

    ``pe_counts``: counts per energy bin of the steady-state sample (summed over time, so that the shape has
    the sample's full statistics); ``time_counts_fit`` at ``time_centres_fit``: the time profile the
    exponential slope is fitted to; the template covers the time bins ``time_centres_window``.
    Returns (template of shape (n_pe, n_t), slope).
    """
    f = np.asarray(pe_counts, dtype=float)
    if f.sum() <= 0:
        raise ValueError("the steady-state sample is empty")
    lam = exponential_slope(time_counts_fit, time_centres_fit)
    g = np.exp(-lam * np.asarray(time_centres_window, dtype=float))
    tmpl = np.outer(f / f.sum(), g / g.sum()) * total
    return tmpl, lam


def pe_response(mean_pe, fine_edges, fine_efficiency, coarse_index, n_coarse, smearing="none", gamma=None):
    """Detection probabilities of recoils with mean photoelectron numbers ``mean_pe`` in coarse PE bins.

    The PE axis is first divided into fine bins (``fine_edges``, with the acceptance ``fine_efficiency`` of each
    fine bin); fine bin j belongs to coarse bin ``coarse_index[j]`` (-1: outside the window).

    smearing = "none": the reconstructed PE equals its mean; "gamma": it is Gamma-distributed with shape 1 + b and
    scale 1 / (a (1 + b)), a = a0 / E_ee, b = b0 E_ee, E_ee = mean_pe / light_yield (keVee), so that its mean is
    the mean PE; ``gamma`` = (a0, b0, light_yield).
    Returns an array (len(mean_pe), n_coarse).
    """
    from scipy.stats import gamma as gamma_dist

    mu = np.asarray(mean_pe, dtype=float)
    edges = np.asarray(fine_edges, dtype=float)
    if smearing == "none":
        j = np.searchsorted(edges, mu, side="right") - 1
        inside = (j >= 0) & (j < edges.size - 1)
        P = np.zeros((mu.size, edges.size - 1))
        P[np.nonzero(inside)[0], j[inside]] = 1.0
    elif smearing == "gamma":
        if gamma is None:
            raise ValueError("gamma smearing needs gamma = (a0, b0, light_yield)")
        a0, b0, ly = gamma
        e_ee = np.maximum(mu / ly, 1e-9)
        a, b = a0 / e_ee, b0 * e_ee
        cdf = gamma_dist.cdf(edges[None, :], (1.0 + b)[:, None], scale=(1.0 / (a * (1.0 + b)))[:, None])
        P = np.diff(cdf, axis=1)
    else:
        raise ValueError(f"unknown PE smearing {smearing!r}; allowed: 'none', 'gamma'")
    P = P * np.asarray(fine_efficiency, dtype=float)[None, :]
    out = np.zeros((mu.size, n_coarse))
    idx = np.asarray(coarse_index)
    for c in range(n_coarse):
        out[:, c] = P[:, idx == c].sum(axis=1)
    return out
