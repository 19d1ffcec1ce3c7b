"""Binned Poisson likelihoods of the COHERENT releases, their profiles and limits (iminuit).

A :class:`Model` is a dataset: observed counts n_b in analysis bins, the signal basis of
:mod:`.prediction` (counts per incident component and basis term), and backgrounds with their priors. For a
parameter x of :mod:`.parameters` and nuisances nu, the expectation per bin is

    mu_b = a [sum_j x^j P_j + sum_s h(theta_s; U_s(x), D_s(x))]_b + sum_c r_c [T_c + sum_s h(theta_s; U_cs, D_cs)]_b,

with P_j = sum_{f,k} c_j[f,k] B[f,k] (the parameter's polynomial weights folded into the basis once), a the
signal normalisation (flux, cross-section and quenching uncertainties; Gaussian prior of relative width
``signal_sigma``), r_c the background normalisations (Gaussian prior, Poisson auxiliary count or free) and
theta_s shape nuisances (unit Gaussian priors) that move a template towards its +-1 sigma variant by
piecewise-linear interpolation: h(theta; U, D) = theta U for theta > 0 and -theta D otherwise (U, D the
differences of the variants from the nominal template). The statistic is

    -2 ln L = 2 sum_b [mu_b - n_b + n_b ln(n_b / mu_b)] + sum of the priors' -2 ln,

which is a Poisson deviance (zero for a perfect fit). Profiles minimise it over the nuisances with iminuit's
MIGRAD; limits solve Delta(-2 ln L) = q(cl), q = the chi-square quantile with one degree of freedom, rounded
to two decimals as everywhere in the book (2.71 at 90% C.L.).

:func:`profile`, :func:`allowed_region` and :class:`~.statistic.LikelihoodStatistic` accept any likelihood with
this interface (the XENONnT likelihood and :class:`~.joint.JointLikelihood` have it too):

* ``parameter``: the :class:`~.binding.Binding` of the parameter of interest (``scale``, ``lower``);
* ``minimise(x=None, start=None)``: a :class:`FitPoint` (``x`` in internal units, ``m2lnl``), over the nuisances
  and, unless ``x`` is given, over x (the global minimum); ``start``: a vector from ``internal``;
* ``internal(point)``: the start vector of a fit point;
* ``scale_guess()``: the size of x (internal units) at which the data become sensitive to it;
* ``return_points()``: values of x (internal units) where the expected rate returns to the Standard Model (the
  second minimum of a charge radius), or ().
"""

from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType

import numpy as np
from iminuit import Minuit
from scipy.optimize import brentq

from ..validation import check_finite_scalar, frozen_copy
from .levels import check_level, delta_chi2_level

__all__ = [
    "PRIORS", "Background", "SignalShape", "Model", "rate_model", "asimov", "FitPoint", "Likelihood",
    "profile", "allowed_region", "upper_limit"
]


PRIORS = ("gauss", "poisson", "free")


@dataclass(frozen=True)
class Background:
    """A background: name, template (expected counts per bin at normalisation 1), prior and shape variations.

    ``prior``: "gauss" (relative width ``sigma``), "poisson" (an auxiliary measurement of ``aux_count`` events
    whose expectation at normalisation 1 is ``aux_expected``) or "free". ``shapes``: tuple of
    (nuisance name, up - nominal, down - nominal or None for a one-sided variation mirrored).
    """

    name: str
    template: np.ndarray
    prior: str = "gauss"
    sigma: float = 0.0
    aux_count: float = 0.0
    aux_expected: float = 0.0
    shapes: tuple = ()

    def __post_init__(self):
        if self.prior not in PRIORS:
            raise ValueError(f"background {self.name}: prior must be one of {PRIORS}, got {self.prior!r}")
        t = np.asarray(self.template, dtype=float)
        if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0):
            raise ValueError(f"background {self.name}: template must be a 1-D array of finite counts >= 0")
        if self.prior == "gauss" and not (check_finite_scalar(self.sigma, f"{self.name} sigma") > 0):
            raise ValueError(f"background {self.name}: a Gaussian prior needs sigma > 0")
        if self.prior == "poisson" and not (self.aux_expected > 0 and self.aux_count >= 0):
            raise ValueError(f"background {self.name}: a Poisson prior needs aux_expected > 0 and aux_count >= 0")


@dataclass(frozen=True)
class SignalShape:
    """A shape variation of the signal basis: nuisance name, {key: up - nominal}, {key: down - nominal} or None."""

    nuisance: str
    up: MappingProxyType
    down: MappingProxyType | None = None


@dataclass(frozen=True)
class Model:
    """One dataset's binned likelihood (see the module docstring). Arrays are read-only."""

    name: str
    data: np.ndarray
    basis: MappingProxyType
    backgrounds: tuple
    signal_sigma: float = 0.0
    signal_shapes: tuple = ()
    shape_aux: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    gauss_aux: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        n = np.asarray(self.data, dtype=float)
        if n.ndim != 1 or not np.all(np.isfinite(n)) or np.any(n < 0):
            raise ValueError(f"{self.name}: data must be a 1-D array of counts >= 0")
        for k, v in self.basis.items():
            if np.shape(v) != n.shape:
                raise ValueError(f"{self.name}: basis {k} has shape {np.shape(v)}, data {n.shape}")
        for b in self.backgrounds:
            if b.template.shape != n.shape:
                raise ValueError(f"{self.name}: background {b.name} has shape {b.template.shape}, data {n.shape}")

    @cached_property
    def nuisances(self):
        """Nuisance names: the signal normalisation (if it has a prior), the background normalisations, the shapes."""
        names = (["signal_norm"] if self.signal_sigma > 0 else []) + [b.name for b in self.backgrounds]
        shapes = [s.nuisance for s in self.signal_shapes] + [s[0] for b in self.backgrounds for s in b.shapes]
        return tuple(names + list(dict.fromkeys(shapes)))

    @cached_property
    def shape_nuisances(self):
        return tuple(n for n in self.nuisances if n != "signal_norm" and n not in {b.name for b in self.backgrounds})

    def with_observations(self, data, aux_counts=None, gauss_centres=None, shape_centres=None):
        """The same model with other observations (pseudo-experiments): bin counts, auxiliary Poisson counts
        {background: count}, Gaussian prior centres {nuisance: centre} and shape-prior centres {nuisance: centre}."""
        bkgs = tuple(replace(b, aux_count=float(aux_counts[b.name])) if aux_counts and b.name in aux_counts else b
                     for b in self.backgrounds)
        return replace(self, data=frozen_copy(data), backgrounds=bkgs,
                       gauss_aux=MappingProxyType(dict(self.gauss_aux if gauss_centres is None else gauss_centres)),
                       shape_aux=MappingProxyType(dict(self.shape_aux if shape_centres is None else shape_centres)))


def rate_model(model):
    """The model of a CEvNS rate fit: no prior on the signal normalisation (the rate is what is measured) and
    the signal shape variations renormalised so that they move events between bins but keep the total."""
    shapes = []
    for s in model.signal_shapes:
        def norm(deltas):
            if deltas is None:
                return None
            out = {}
            for k, dv in deltas.items():
                nominal = model.basis[k]
                varied = nominal + dv
                total = varied.sum()
                out[k] = frozen_copy((varied * (nominal.sum() / total) if total > 0 else varied) - nominal)
            return MappingProxyType(out)
        shapes.append(SignalShape(s.nuisance, norm(s.up), norm(s.down)))
    return replace(model, signal_sigma=0.0, signal_shapes=tuple(shapes))


def asimov(model):
    """The model with Asimov observations: the bin counts, auxiliary counts and prior centres expected in the
    Standard Model with every nuisance at its nominal value (for expected limits)."""
    data = sum(v for (f, k), v in model.basis.items() if k == "sm") + sum(b.template for b in model.backgrounds)
    aux = {b.name: b.aux_expected for b in model.backgrounds if b.prior == "poisson"}
    return model.with_observations(data, aux, {}, {})


def _h(theta, up, down):
    return theta * up if theta >= 0 else -theta * (down if down is not None else -up)


class _Evaluator:
    """-2 ln L of one model for one parameter, with the parameter's weights folded into the basis once."""

    def __init__(self, model, parameter):
        self.model = model
        self.n = np.asarray(model.data, dtype=float)
        self.nlogn = np.where(self.n > 0, self.n * np.log(np.where(self.n > 0, self.n, 1.0)), 0.0)
        keys = tuple(model.basis)
        B = np.array([model.basis[k] for k in keys])
        C = np.array([parameter.coefficients.get(k, (0.0, 0.0, 0.0)) for k in keys])   # (K, 3)
        self.P = C.T @ B                                                                  # (3, nbins)
        self.sig_shapes = []
        for s in model.signal_shapes:
            up = np.array([s.up.get(k, np.zeros_like(self.n)) for k in keys])
            dn = None if s.down is None else C.T @ np.array([s.down.get(k, np.zeros_like(self.n)) for k in keys])
            self.sig_shapes.append((s.nuisance, C.T @ up, dn))
        self.names = model.nuisances
        self.index = {name: i for i, name in enumerate(self.names)}
        self.bkg = [(self.index[b.name], b) for b in model.backgrounds]
        self.norm = self.index.get("signal_norm")
        # the priors in the order -2 ln L sums them: ("gauss", index, centre, sigma), ("poisson", index, expected,
        # count) and ("shape", index, centre, 1): precomputed once, as the model is frozen
        priors = []
        if self.norm is not None:
            priors.append(("gauss", self.norm, model.gauss_aux.get("signal_norm", 1.0), model.signal_sigma))
        for i, b in self.bkg:
            if b.prior == "gauss":
                priors.append(("gauss", i, model.gauss_aux.get(b.name, 1.0), b.sigma))
            elif b.prior == "poisson":
                priors.append(("poisson", i, b.aux_expected, b.aux_count))
        priors += [("shape", self.index[name], model.shape_aux.get(name, 0.0), 1.0) for name in model.shape_nuisances]
        self.priors = tuple(priors)
        self.nlogn_term = 2.0 * np.sum(self.nlogn)

    def expected(self, x, nu, x2=None):
        """Expected counts per bin, and the signal part alone (``x2`` overrides x^2 when given)."""
        powers = np.array([1.0, x, x * x if x2 is None else x2])
        sig = powers @ self.P
        for name, up, dn in self.sig_shapes:
            th = nu[self.index[name]]
            sig = sig + _h(th, powers @ up, None if dn is None else powers @ dn)
        a = nu[self.norm] if self.norm is not None else 1.0
        sig = a * sig
        mu = sig.copy()
        for i, b in self.bkg:
            t = b.template
            for name, up, dn in b.shapes:
                t = t + _h(nu[self.index[name]], up, dn)
            mu = mu + nu[i] * t
        return mu, sig

    def components(self, x, nu):
        """Expected counts per bin of each component: {"signal": ..., background name: ...}."""
        _, sig = self.expected(x, nu)
        out = {"signal": sig}
        for i, b in self.bkg:
            t = b.template
            for name, up, dn in b.shapes:
                t = t + _h(nu[self.index[name]], up, dn)
            out[b.name] = nu[i] * t
        return out

    def _priors(self, nu, grad=None):
        """The priors' -2 ln (and, with ``grad``, their gradient added into it)."""
        val = 0.0
        for kind, i, c, w in self.priors:
            r = nu[i]
            if kind == "poisson":
                e = max(r * c, 1e-12)
                val += 2.0 * (e - w + (w * np.log(w / e) if w > 0 else 0.0))
                if grad is not None:
                    grad[i] += 2.0 * (c - w / max(r, 1e-12))
            elif kind == "gauss":
                d = r - c
                val += (d / w) ** 2
                if grad is not None:
                    grad[i] += 2.0 * d / w**2
            else:
                d = r - c
                val += d * d
                if grad is not None:
                    grad[i] += 2.0 * d
        return val

    def m2lnl(self, x, nu, x2=None):
        mu, _ = self.expected(x, nu, x2)
        mu = np.maximum(mu, 1e-12)
        val = 2.0 * np.sum(mu - self.n - self.n * np.log(mu)) + self.nlogn_term
        return val + self._priors(nu)

    def gradient(self, x, nu, x2=None):
        """Gradient of :meth:`m2lnl` with respect to (the parameter, the nuisances). With ``x2`` given, the first
        entry is the derivative with respect to x^2 (the internal parameter of a quadratic parameter)."""
        quad = x2 is not None
        powers = np.array([1.0, x, x * x if x2 is None else x2])
        dpow = np.array([0.0, 0.0, 1.0]) if quad else np.array([0.0, 1.0, 2.0 * x])
        raw = powers @ self.P
        draw = dpow @ self.P
        grad_nu = np.zeros(len(self.names))
        d_sig, d_shape = {}, {}
        for name, up, dn in self.sig_shapes:
            th = nu[self.index[name]]
            U, D = powers @ up, None if dn is None else powers @ dn
            dU, dD = dpow @ up, None if dn is None else dpow @ dn
            raw = raw + _h(th, U, D)
            draw = draw + _h(th, dU, dD)
            d_sig[name] = U if th >= 0 or D is None else -D
        a = nu[self.index["signal_norm"]] if "signal_norm" in self.index else 1.0
        for name, ds in d_sig.items():
            d_shape[name] = a * ds
        mu = a * raw
        bkg_t = []
        for i, b in self.bkg:
            t = b.template
            for name, up, dn in b.shapes:
                th = nu[self.index[name]]
                t = t + _h(th, up, dn)
                d = up if th >= 0 or dn is None else -dn
                d_shape[name] = d_shape.get(name, 0.0) + nu[i] * d
            bkg_t.append((i, t))
            mu = mu + nu[i] * t
        w = 2.0 * (1.0 - self.n / np.maximum(mu, 1e-12))
        g_poi = float(w @ (a * draw))
        if "signal_norm" in self.index:
            grad_nu[self.index["signal_norm"]] = float(w @ raw)
        for i, t in bkg_t:
            grad_nu[i] = float(w @ t)
        for name, dmu in d_shape.items():
            grad_nu[self.index[name]] += float(w @ dmu)
        self._priors(nu, grad_nu)
        return g_poi, grad_nu


@dataclass(frozen=True)
class FitPoint:
    """A minimum of -2 ln L: the parameter value, the statistic, the nuisances {model: {name: value}} and status."""

    x: float
    m2lnl: float
    nuisances: MappingProxyType
    valid: bool
    errors: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


class Likelihood:
    """-2 ln L of one or several models (summed) as a function of one parameter and all nuisances."""

    def __init__(self, models, parameter):
        self.models = tuple(models)
        self.parameter = parameter
        self.evals = [_Evaluator(m, parameter) for m in self.models]
        self.slices, names, start = [], [], 1
        for m, e in zip(self.models, self.evals):
            self.slices.append(slice(start, start + len(e.names)))
            names += [f"{m.name}:{n}" if len(self.models) > 1 else n for n in e.names]
            start += len(e.names)
        #: a parameter that enters only through x^2 (a magnetic moment) is fitted as u = x^2 >= 0, so that
        #: MIGRAD does not stall at the stationary point x = 0
        self._shape_names = frozenset(n for e in self.evals for n in e.model.shape_nuisances)
        self.quadratic = parameter.lower == 0.0 and all(not np.any(e.P[1]) for e in self.evals)
        self.names = ("x2" if self.quadratic else "x",) + tuple(names)
        self._last = None

    def _to_internal(self, x):
        return x * x if self.quadratic else x

    def _to_x(self, u):
        return float(np.sqrt(max(u, 0.0))) if self.quadratic else float(u)

    def __call__(self, p):
        p = np.asarray(p, dtype=float)
        if self.quadratic:
            return float(sum(e.m2lnl(0.0, p[s], x2=p[0]) for e, s in zip(self.evals, self.slices)))
        return float(sum(e.m2lnl(p[0], p[s]) for e, s in zip(self.evals, self.slices)))

    def grad(self, p):
        """Gradient of -2 ln L with respect to the internal parameter vector (for MIGRAD)."""
        p = np.asarray(p, dtype=float)
        g = np.zeros_like(p)
        for e, s in zip(self.evals, self.slices):
            if self.quadratic:
                g0, gn = e.gradient(0.0, p[s], x2=p[0])
            else:
                g0, gn = e.gradient(p[0], p[s])
            g[0] += g0
            g[s] = gn
        return g

    def _start(self):
        p = [max(self.parameter.lower, 0.0) + (1.0 if self.parameter.name == "signal_strength" else 0.0)]
        for e in self.evals:
            for n in e.names:
                p.append(0.0 if n in e.model.shape_nuisances else 1.0)
        return np.array(p)

    def minimise(self, x=None, start=None, errors=False):
        """Minimum over the nuisances (and over x unless x is given). Returns a :class:`FitPoint`.

        With x free, MIGRAD runs from the start and from x at the scale of the data's sensitivity
        (:func:`_scale_guess`); the lower minimum is kept (the statistic can have a local minimum at x = 0).
        """
        p0 = np.array(start if start is not None else (self._last if self._last is not None else self._start()), float)
        if x is None and self.parameter.name != "signal_strength":
            results = []
            for seed in self._seeds():
                p1 = p0.copy()
                if seed is not None:
                    p1[0] = self._to_internal(seed)
                results.append(self._minimise_from(p1, None, errors))
            best = min(results, key=lambda r: r.m2lnl)
            self._last = self.internal(best)
            return best
        return self._minimise_from(p0, x, errors)

    def _seeds(self):
        """Starting values of x for the global minimum: the start, the sensitivity scale (both signs for a
        two-sided parameter) and, for a parameter with linear and quadratic terms, the point x* = -N_1 / N_2 where
        the total rate returns to the Standard Model (the second minimum of a charge radius)."""
        g = _scale_guess(self)
        seeds = [None, g]
        if not np.isfinite(self.parameter.lower):
            seeds.append(-g)
            seeds += list(self.return_points())
        return seeds

    def scale_guess(self):
        """A first |x| (internal units) where the parameter's extra events reach a few standard deviations of the
        data."""
        return _scale_guess(self)

    def return_points(self):
        """x* = -N_1 / N_2 (internal units), where the total rate of a two-sided parameter returns to the Standard
        Model, or () (one-sided parameters, or no linear term)."""
        if np.isfinite(self.parameter.lower):
            return ()
        n1 = sum(e.P[1].sum() for e in self.evals)
        n2 = sum(e.P[2].sum() for e in self.evals)
        return (-n1 / n2,) if n2 > 0 and n1 != 0 else ()

    def _minimise_from(self, p0, x, errors):
        p0 = np.array(p0, dtype=float)
        if x is not None:
            p0[0] = self._to_internal(check_finite_scalar(x, self.parameter.name))
        m = Minuit(self, p0, grad=self.grad, name=self.names)
        m.errordef = Minuit.LEAST_SQUARES
        # profile points (x fixed) use MIGRAD's fast strategy with a tight tolerance; global fits the careful one
        m.strategy = 1 if x is None else 0
        m.tol = 0.1 if x is None else 0.001
        poi = self.names[0]
        m.limits[poi] = (self.parameter.lower if np.isfinite(self.parameter.lower) else None, None)
        for e, s in zip(self.evals, self.slices):
            for i, n in enumerate(e.names):
                full = self.names[s.start + i]
                m.errors[full] = 0.3 if n in e.model.shape_nuisances else 0.05
                if n not in e.model.shape_nuisances:
                    m.limits[full] = (0.0, None)
        m.errors[poi] = max(0.1 * abs(p0[0]), 0.1 * self._to_internal(_scale_guess(self)))
        m.fixed[poi] = x is not None
        m.migrad()
        if not m.valid:
            self._recover(m)
        if errors and x is None:
            m.minos(poi)
        vals = np.array(m.values)
        if m.valid:
            self._last = vals.copy()
        nuis = {}
        for mod, e, s in zip(self.models, self.evals, self.slices):
            nuis[mod.name] = MappingProxyType(dict(zip(e.names, vals[s])))
        errs = {}
        if errors and x is None:
            if self.quadratic:
                raise ValueError("MINOS errors are available for parameters that enter linearly only")
            me = m.merrors[poi]
            errs = {"x_low": -me.lower, "x_high": me.upper, "x_hesse": m.errors[poi]}
        return FitPoint(self._to_x(vals[0]), float(m.fval), MappingProxyType(nuis), bool(m.valid),
                        MappingProxyType(errs))

    def _recover(self, m):
        """A MIGRAD run that did not converge: the usual cause is a shape nuisance at its kink, theta = 0, where
        the piecewise-linear interpolation has no derivative and MIGRAD's distance to the minimum stays above its
        target. Such nuisances are fixed at 0 and MIGRAD runs again (released afterwards); the result is kept when
        it is valid and a minimum at the kink: moving any of them by +-1e-3 does not lower -2 ln L. Otherwise (or with
        no nuisance at a kink) SIMPLEX and MIGRAD run from there."""
        kinks = [i for i, name in enumerate(self.names)
                 if not m.fixed[i] and name.split(":")[-1] in self._shape_names and abs(m.values[i]) < 1e-4]
        if kinks:
            before, values = m.fval, np.array(m.values)
            for i in kinks:
                m.values[i] = 0.0
                m.fixed[i] = True
            m.migrad()
            ok = m.valid and m.fval <= before + 1e-9 and self._kink_minimum(np.array(m.values), m.fval, kinks)
            for i in kinks:
                m.fixed[i] = False
            if ok:
                return
            m.values = values
        m.simplex().migrad()

    def _kink_minimum(self, p, fval, kinks, step=1e-3):
        """Whether -2 ln L rises on both sides of each nuisance of ``kinks`` (indices into ``p``) held at 0."""
        for i in kinks:
            for t in (step, -step):
                q = p.copy()
                q[i] = t
                if self(q) < fval - 1e-9:
                    return False
        return True

    def internal(self, point):
        """The parameter vector (internal parametrisation) of a :class:`FitPoint`, e.g. as a start."""
        return np.array([self._to_internal(point.x)]
                        + [v for m in self.models for v in point.nuisances[m.name].values()])

    def components(self, point):
        """Expected counts of each component per model at a :class:`FitPoint`: tuple of dicts of arrays."""
        out = []
        for mod, e in zip(self.models, self.evals):
            nu = np.array([point.nuisances[mod.name][n] for n in e.names])
            out.append(MappingProxyType({k: frozen_copy(v) for k, v in e.components(point.x, nu).items()}))
        return tuple(out)

    def expected(self, point):
        """Expected counts and signal per model at a :class:`FitPoint`: tuple of (mu, signal) arrays."""
        out = []
        for mod, e in zip(self.models, self.evals):
            nu = np.array([point.nuisances[mod.name][n] for n in e.names])
            out.append(e.expected(point.x, nu))
        return tuple(out)



def profile(lik, xs, best=None):
    """Delta(-2 ln L) profiled over the nuisances at each x of ``xs`` (array), relative to the global minimum."""
    best = best or lik.minimise()
    out = []
    for x in np.atleast_1d(xs):
        out.append(lik.minimise(x=float(x)).m2lnl - best.m2lnl)
    return np.maximum(np.array(out), 0.0), best


def _scale_guess(lik):
    """A first |x| where the parameter's extra events reach a few standard deviations of the data: the smaller
    of the values from its quadratic and from its linear terms."""
    n2 = sum(max(e.P[2].sum(), 0.0) for e in lik.evals)
    n1 = abs(sum(e.P[1].sum() for e in lik.evals))
    target = 3.0 * np.sqrt(sum(e.n.sum() for e in lik.evals))
    guesses = ([np.sqrt(target / n2)] if n2 > 0 else []) + ([target / n1] if n1 > 0 else [])
    if not guesses:
        raise ValueError(f"parameter {lik.parameter.name} does not change the expected counts")
    return float(min(guesses))


def _crossing(f, start, step, bound=None, linear_steps=16):
    """First x beyond ``start`` in the direction of ``step`` with f(x) > 0, refined by brentq.

    The search walks in equal steps first (so that it cannot jump over a barrier between two allowed regions),
    then doubles the step. With a ``bound`` (the physical limit of a one-sided parameter) that is still allowed,
    returns (bound, True). Returns (inf or -inf, False) if no crossing is found.
    """
    prev, k, h = start, 0, step
    while True:
        k += 1
        x = start + (k * step if k <= linear_steps else h)
        if k > linear_steps:
            h = 2.0 * h
        else:
            h = k * step
        if bound is not None and (x - bound) * np.sign(step) >= 0:
            if f(bound) <= 0:
                return bound, True
            x = bound
        if f(x) > 0:
            lo, hi = sorted((prev, x))
            return brentq(f, lo, hi, xtol=1e-5 * abs(step) + 1e-12, rtol=1e-7), False
        if abs(x - start) > 1e8 * abs(step):
            return np.sign(step) * np.inf, False
        prev = x


def allowed_region(lik, cl=0.9, level=None):
    """The set {x : Delta(-2 ln L)(x) <= level} (``level`` = the Delta chi^2 of ``cl``, one parameter) as a tuple
    of disjoint intervals (lo, hi) in internal units, and the best fit. Intervals are searched around the global
    minimum, around x = 0 (the Standard Model) and, for a parameter with linear and quadratic terms, around
    x* = -N_1 / N_2 (where the total rate returns to the Standard Model), each when it is allowed."""
    q = delta_chi2_level(cl, 1) if level is None else check_level(level)
    best = lik.minimise()
    start = lik.internal(best)

    def f(x):
        return lik.minimise(x=x, start=start).m2lnl - best.m2lnl - q

    lower = lik.parameter.lower if np.isfinite(lik.parameter.lower) else None
    # two-sided parameters can have two allowed regions: walk in smaller steps so as not to jump over the gap
    step = (0.25 if lower is None else 0.5) * lik.scale_guess()
    candidates = [best.x, max(0.0, lower if lower is not None else 0.0)] + list(lik.return_points())
    intervals = []
    for c in candidates:
        if any(lo <= c <= hi for lo, hi in intervals) or (c != best.x and f(c) > 0):
            continue
        hi, _ = _crossing(f, c, step)
        lo = lower if (lower is not None and c <= lower) else _crossing(f, c, -step, lower)[0]
        intervals.append((lo, hi))
    intervals.sort()
    merged = [intervals[0]]
    for lo, hi in intervals[1:]:
        if lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    if isinstance(lik, Likelihood):
        lik._last = start            # later fits start from the best fit again
    return tuple((float(a), float(b)) for a, b in merged), best


def upper_limit(lik, cl=0.9, best=None):
    """Largest allowed x, Delta(-2 ln L)(x) <= delta_chi2_level(cl, 1) (profile likelihood, Wilks): (limit, best)."""
    region, best = allowed_region(lik, cl)
    return region[-1][1], best
