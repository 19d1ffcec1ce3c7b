"""Pseudo-experiments: does Wilks' theorem hold for a limit, and what is the limit if it does not?

A profile-likelihood limit at confidence level cl assumes (Wilks) that t(x) = Delta(-2 ln L)(x) follows a
chi-square distribution with one degree of freedom when x is true, so that {x : t(x) <= q(cl)} covers the
truth with probability cl. Near a physical boundary (a magnetic moment enters as x^2 >= 0) and with a
signal quadratic in x this can fail (Denton and Gehrlein, arXiv:2008.06062, for COHERENT CsI).

For a true value x we draw pseudo-experiments from the model at x with the nuisances profiled on the data
(Poisson bin counts, Poisson auxiliary counts, Gaussian-prior centres drawn around the profiled values),
compute t(x) for each, and take its cl-quantile c(x): the critical value that gives exact coverage (the
Neyman construction with the likelihood-ratio ordering of Feldman and Cousins). The corrected limit is the
largest x with t_obs(x) <= c(x), c interpolated linearly between the x points tested.
"""

import numpy as np

from .likelihood import Likelihood

__all__ = ["toy_models", "toy_statistics", "corrected_limit"]


def _toy_models(lik, truth, rng):
    models = []
    for model, ev in zip(lik.models, lik.evals):
        nu = np.array([truth.nuisances[model.name][n] for n in ev.names])
        mu, _ = ev.expected(truth.x, nu)
        vals = dict(zip(ev.names, nu))
        aux = {b.name: rng.poisson(max(vals[b.name], 0.0) * b.aux_expected) for b in model.backgrounds
               if b.prior == "poisson"}
        gauss = {b.name: rng.normal(vals[b.name], b.sigma) for b in model.backgrounds if b.prior == "gauss"}
        if model.signal_sigma > 0:
            gauss["signal_norm"] = rng.normal(vals["signal_norm"], model.signal_sigma)
        shapes = {n: rng.normal(vals[n], 1.0) for n in model.shape_nuisances}
        models.append(model.with_observations(rng.poisson(np.maximum(mu, 0.0)), aux, gauss, shapes))
    return models


def toy_models(lik, truth, rng):
    """The models of one pseudo-experiment of a :class:`~.likelihood.Likelihood` drawn at a :class:`FitPoint`
    ``truth`` with the generator ``rng``: Poisson bin and auxiliary counts, Gaussian-prior centres around the
    truth's nuisances."""
    return _toy_models(lik, truth, rng)


def toy_statistics(models, parameter, x, seeds):
    """t(x) = Delta(-2 ln L)(x) for pseudo-experiments generated at x, one per seed (np.random.SeedSequence).

    ``models``: the observed :class:`~.likelihood.Model` objects (combined if several). Returns an array.
    """
    lik = Likelihood(models, parameter)
    truth = lik.minimise(x=x)
    out = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        toy = Likelihood(_toy_models(lik, truth, rng), parameter)
        start = lik.internal(truth)
        best = toy.minimise(start=start)
        fixed = toy.minimise(x=x, start=start)
        out.append(max(fixed.m2lnl - best.m2lnl, 0.0))
    return np.array(out)


def corrected_limit(xs, t_obs, crit):
    """First x (upwards) where t_obs(x) - c(x) changes sign from <= 0 to > 0, from values at increasing points
    ``xs`` (linear interpolation between them). None when the crossing lies outside the points tested.
    """
    xs, d = np.asarray(xs, float), np.asarray(t_obs, float) - np.asarray(crit, float)
    if np.any(np.diff(xs) <= 0):
        raise ValueError(f"points must increase, got {xs!r}")
    for k in range(1, xs.size):
        if d[k - 1] <= 0 < d[k]:
            return float(xs[k - 1] + (xs[k] - xs[k - 1]) * (-d[k - 1]) / (d[k] - d[k - 1]))
    return None
