"""The binned Poisson likelihood of the XENONnT 8B release: per science run, 81 bins, templates interpolated in the
yield nuisances; several runs combined with shared nuisances.

For science run r with exposure X_r (t yr), observed counts n_rb in its 81 bins (3^4) and a parameter of interest
x, the expected counts are (choice D18 for the interpolation, D19/D20 for the nuisances)

    lambda_rb = X_r [ a_AC,r AC_rb + a_ER ER_rb + a_NR RG_rb(t) + eps sum_j x^j P_rjb(t) ],

* AC, ER: the accidental-coincidence and electronic-recoil templates (events/(t yr) per bin), no t dependence;
* RG(t) and P_j(t): the radiogenic-neutron template and the signal, interpolated bilinearly between the 7 x 7
  anchors of t = (t_ly, t_qy) in {-3, ..., 3}^2 (bilinear in the per-bin counts);
* P_j = sum_k c_j[k] S_k: the signal basis S_k (one folded template per (component, term), :mod:`.signal`)
  weighted with the coefficients (c0, c1, c2) of the parameter (:class:`~cevns_lib.statistics.Binding`),
  folded once when the likelihood is built;
* a_AC,r (one per run), a_ER, a_NR, eps (the signal efficiency) and t_ly, t_qy (shared by the runs) are the
  nuisances, with Gaussian constraints of widths sigma_k around centres c_k (1 for the multipliers, 0 for t).

The statistic is the Poisson deviance plus the constraints,

    -2 ln L = 2 sum_{r,b} [lambda_rb - n_rb + n_rb ln(n_rb / lambda_rb)] + sum_k ((theta_k - c_k) / sigma_k)^2,

minimised with iminuit's MIGRAD with the analytic gradient, within the fit limits of the 2024 model (multipliers
in [0, 100], eps in [0.5, 1.5], t in [-3, 3]) and x >= the parameter's lower bound. For pseudo-experiments the
counts n and the centres c (the global observables) are replaced (:meth:`Likelihood.with_observations`).

A parameter that enters only through x^2 (a magnetic moment: P_1 = 0) is fitted as u = x^2 >= 0, as in
:class:`cevns_lib.statistics.Likelihood` (MIGRAD would stall at the stationary point x = 0); fit points still report
x. The likelihood has the interface of the statistics core (:mod:`cevns_lib.statistics.likelihood`: ``parameter``,
``minimise(x, start)``, ``internal``, ``scale_guess``, ``return_points``), so that
:class:`~cevns_lib.statistics.LikelihoodStatistic`, :func:`~cevns_lib.statistics.allowed_region` and
:func:`~cevns_lib.statistics.parameter_limit` work on it unchanged.
"""

import copy
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from iminuit import Minuit

from ...validation import check_finite_scalar, frozen_copy

__all__ = ["RunModel", "Nuisance", "FitPoint", "Likelihood", "bilinear", "T_ANCHORS"]

#: Anchors of the yield nuisances t_ly and t_qy.
T_ANCHORS = np.arange(-3.0, 4.0)
_N_CELLS = T_ANCHORS.size - 1


@dataclass(frozen=True)
class RunModel:
    """One science run (read-only arrays, bins flattened in C order of the (3, 3, 3, 3) histograms).

    ``data``: observed counts (81,); ``ac``, ``er``: templates (81,) and ``rg``: (7, 7, 81), events/(t yr) per bin;
    ``signal``: {(component, term): (7, 7, 81)} the folded signal basis in events/(t yr) per bin per unit term
    parameter; ``exposure_t_yr``; ``ac_sigma``: the relative width of the run's AC-rate constraint.
    """

    name: str
    exposure_t_yr: float
    data: np.ndarray
    ac: np.ndarray
    er: np.ndarray
    rg: np.ndarray
    signal: MappingProxyType
    ac_sigma: float

    def __post_init__(self):
        n = self.data
        if n.shape != (81,) or np.any(n < 0):
            raise ValueError(f"{self.name}: data must be 81 counts >= 0")
        for k in ("ac", "er"):
            if getattr(self, k).shape != (81,):
                raise ValueError(f"{self.name}: {k} must have 81 bins")
        if self.rg.shape != (7, 7, 81) or any(v.shape != (7, 7, 81) for v in self.signal.values()):
            raise ValueError(f"{self.name}: rg and the signal basis must have shape (7, 7, 81)")
        if not self.exposure_t_yr > 0 or not self.ac_sigma > 0:
            raise ValueError(f"{self.name}: exposure and AC prior must be > 0")

    def background_events(self):
        """Nominal background events (t = 0, every multiplier 1): {"ac", "er", "rg"}."""
        X = self.exposure_t_yr
        return {"ac": float(self.ac.sum() * X), "er": float(self.er.sum() * X), "rg": float(self.rg[3, 3].sum() * X)}


@dataclass(frozen=True)
class Nuisance:
    """A nuisance parameter: Gaussian constraint (centre, sigma; sigma = 0 means unconstrained), fit limits."""

    name: str
    centre: float
    sigma: float
    lower: float
    upper: float


@dataclass(frozen=True)
class FitPoint:
    """A minimum of -2 ln L: the parameter (internal units), the statistic, the nuisances {name: value}, MIGRAD's
    validity, and (with ``errors``) the MINOS errors of the parameter {"x_low", "x_high", "x_hesse"}."""

    x: float
    m2lnl: float
    nuisances: MappingProxyType
    valid: bool
    errors: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


def bilinear(t_ly, t_qy):
    """Cell (i, j) and fractions (fx, fy) of the bilinear interpolation at (t_ly, t_qy), clipped to [-3, 3]:
    the value is (1-fx)(1-fy) A[i,j] + fx(1-fy) A[i+1,j] + (1-fx) fy A[i,j+1] + fx fy A[i+1,j+1]."""
    u = min(max(float(t_ly), -3.0), 3.0) + 3.0
    v = min(max(float(t_qy), -3.0), 3.0) + 3.0
    i, j = min(int(u), _N_CELLS - 1), min(int(v), _N_CELLS - 1)
    return i, j, u - i, v - j


class Likelihood:
    """-2 ln L of one or several runs for one parameter (see the module docstring).

    ``runs``: :class:`RunModel` objects; ``parameter``: a :class:`~cevns_lib.statistics.Binding` whose
    coefficient keys are signal-basis keys; ``priors``: {"er", "nr", "efficiency", "t"} relative widths (t:
    absolute); ``limits``: {"rate", "efficiency", "t"} fit limits; ``efficiency``: whether the signal-efficiency
    nuisance exists (choice D29); ``separate``: names of runs (not the first) that get their own ER, NR and
    efficiency nuisances instead of sharing those of the first run (choice D20; none by default).
    """

    def __init__(self, runs, parameter, priors, limits, efficiency=True, separate=()):
        self.runs = tuple(runs)
        if not self.runs:
            raise ValueError("a likelihood needs at least one run")
        self.parameter = parameter
        missing = [k for k in parameter.coefficients if k not in self.runs[0].signal]
        if missing or not parameter.coefficients:
            raise ValueError(f"parameter {parameter.name}: basis keys {missing} are not in the signal basis "
                             f"({', '.join(map(str, self.runs[0].signal))})")
        R = len(self.runs)
        self.n = np.array([r.data for r in self.runs])
        self.X = np.array([r.exposure_t_yr for r in self.runs])
        self.AC = np.array([r.ac for r in self.runs])
        self.ER = np.array([r.er for r in self.runs])
        keys = tuple(parameter.coefficients)
        C = np.array([parameter.coefficients[k] for k in keys])                      # (K, 3)
        grids = []
        # expected events per unit x^j of the parameter (t at 0, efficiency 1): the scale of its sensitivity
        self._n_poly = np.zeros(3)
        for r in self.runs:
            S = np.array([r.signal[k] for k in keys])                                # (K, 7, 7, 81)
            P = np.einsum("kj,kabn->jabn", C, S)                                     # (3, 7, 7, 81)
            grids.append(np.concatenate([r.rg[None], P], axis=0))                    # (4, 7, 7, 81)
            self._n_poly += r.exposure_t_yr * P[:, 3, 3].sum(axis=-1)
        G = np.moveaxis(np.array(grids), (2, 3), (0, 1))                             # (7, 7, R, 4, 81)
        # bilinear coefficients per cell: value = c0 + fx cx + fy cy + fx fy cxy
        c0 = G[:-1, :-1]
        cx = G[1:, :-1] - G[:-1, :-1]
        cy = G[:-1, 1:] - G[:-1, :-1]
        cxy = G[1:, 1:] - G[1:, :-1] - G[:-1, 1:] + G[:-1, :-1]
        self._cells = np.stack([c0, cx, cy, cxy], axis=2)                            # (6, 6, 4, R, 4, 81)
        # nuisances
        sep = set(separate)
        unknown = sep - {r.name for r in self.runs[1:]}
        if unknown:
            names = [r.name for r in self.runs]
            raise ValueError(f"separate: {sorted(unknown)} are not runs after the first of {names}")
        rate, eff_lim, t_lim = limits["rate"], limits["efficiency"], limits["t"]
        nuis = [Nuisance(f"ac_{r.name}", 1.0, r.ac_sigma, *rate) for r in self.runs]
        self._ac = np.arange(R) + 1
        idx = {}

        def add(name, centre, sigma, lo, hi):
            nuis.append(Nuisance(name, centre, sigma, lo, hi))
            return len(nuis)                                                          # index in p (p[0] = x)

        groups = {}
        for k, r in enumerate(self.runs):
            g = r.name if r.name in sep else "shared"
            if g not in groups:
                suffix = "" if g == "shared" else f"_{g}"
                groups[g] = (add(f"er{suffix}", 1.0, priors["er"], *rate), add(f"nr{suffix}", 1.0, priors["nr"], *rate),
                             add(f"efficiency{suffix}", 1.0, priors["efficiency"], *eff_lim) if efficiency else None)
            idx[k] = groups[g]
        self._er = np.array([idx[k][0] for k in range(R)])
        self._nr = np.array([idx[k][1] for k in range(R)])
        self._eff = None if not efficiency else np.array([idx[k][2] for k in range(R)])
        self._tly = add("t_ly", 0.0, priors["t"], *t_lim)
        self._tqy = add("t_qy", 0.0, priors["t"], *t_lim)
        self.nuisances = tuple(nuis)
        #: a parameter entering only through x^2 is fitted as u = x^2 (the first entry of the parameter vector)
        self.quadratic = bool(parameter.lower == 0.0 and not np.any(C[:, 1]))
        self.names = ("x2" if self.quadratic else "x",) + tuple(n.name for n in nuis)
        self._centres = np.array([0.0] + [n.centre for n in nuis])
        sig = np.array([0.0] + [n.sigma for n in nuis])
        self._constrained = sig > 0
        self._inv_var = np.where(self._constrained, 1.0 / np.where(sig > 0, sig, 1.0) ** 2, 0.0)
        self._set_data(self.n)

    # ------------------------------------------------------------------------------------------ observations
    def _set_data(self, n):
        self.n = np.asarray(n, dtype=float)
        self._nlogn = float(np.sum(np.where(self.n > 0, self.n * np.log(np.where(self.n > 0, self.n, 1.0)), 0.0)))

    def with_observations(self, counts, centres=None):
        """The same likelihood with other bin counts (array (runs, 81)) and constraint centres {nuisance: centre}
        (the global observables of a pseudo-experiment); shares every precomputed array."""
        new = copy.copy(self)
        counts = np.asarray(counts, dtype=float)
        if counts.shape != self.n.shape or np.any(counts < 0):
            raise ValueError(f"counts must be an array {self.n.shape} of counts >= 0")
        new._set_data(counts)
        new._centres = self._centres.copy()
        for name, c in (centres or {}).items():
            new._centres[self.names.index(name)] = float(c)
        return new

    @property
    def centres(self):
        """Constraint centres {nuisance: centre} (read-only)."""
        return MappingProxyType({n: float(c) for n, c, s in zip(self.names[1:], self._centres[1:],
                                                                  self._constrained[1:]) if s})

    # ------------------------------------------------------------------------------------------ the model
    def _interp(self, p):
        i, j, fx, fy = bilinear(p[self._tly], p[self._tqy])
        c0, cx, cy, cxy = self._cells[i, j]                                            # (R, 4, 81) each
        V = c0 + fx * cx + fy * cy + (fx * fy) * cxy
        dVx = cx + fy * cxy
        dVy = cy + fx * cxy
        return V, dVx, dVy

    def _parts(self, p):
        x = p[0]
        V, dVx, dVy = self._interp(p)
        powers = np.array([1.0, 0.0, x]) if self.quadratic else np.array([1.0, x, x * x])
        sig = np.einsum("j,rjb->rb", powers, V[:, 1:])
        eff = p[self._eff][:, None] if self._eff is not None else 1.0
        a_ac, a_er, a_nr = p[self._ac][:, None], p[self._er][:, None], p[self._nr][:, None]
        per_t = a_ac * self.AC + a_er * self.ER + a_nr * V[:, 0] + eff * sig
        lam = self.X[:, None] * per_t
        return lam, sig, V, dVx, dVy, powers, eff

    def expected(self, p):
        """Expected counts per run and bin (array (runs, 81)) at a parameter vector ``p`` (internal units)."""
        return self._parts(np.asarray(p, dtype=float))[0]

    def components(self, p):
        """Expected counts per component at ``p``: {"signal", "ac", "er", "rg"} -> arrays (runs, 81), read-only."""
        p = np.asarray(p, dtype=float)
        lam, sig, V, _, _, _, eff = self._parts(p)
        X = self.X[:, None]
        out = {"signal": X * eff * sig, "ac": X * p[self._ac][:, None] * self.AC,
               "er": X * p[self._er][:, None] * self.ER, "rg": X * p[self._nr][:, None] * V[:, 0]}
        return MappingProxyType({k: frozen_copy(v) for k, v in out.items()})

    def _lam(self, p):
        """The expected counts alone (the value path of :meth:`_parts`, without the derivatives)."""
        i, j, fx, fy = bilinear(p[self._tly], p[self._tqy])
        c0, cx, cy, cxy = self._cells[i, j]
        V = c0 + fx * cx + fy * cy + (fx * fy) * cxy
        x = p[0]
        powers = np.array([1.0, 0.0, x]) if self.quadratic else np.array([1.0, x, x * x])
        sig = np.einsum("j,rjb->rb", powers, V[:, 1:])
        eff = p[self._eff][:, None] if self._eff is not None else 1.0
        a_ac, a_er, a_nr = p[self._ac][:, None], p[self._er][:, None], p[self._nr][:, None]
        per_t = a_ac * self.AC + a_er * self.ER + a_nr * V[:, 0] + eff * sig
        return self.X[:, None] * per_t

    def __call__(self, p):
        p = np.asarray(p, dtype=float)
        lam = np.maximum(self._lam(p), 1e-300)
        d = p - self._centres
        return float(2.0 * (np.sum(lam) - np.sum(self.n * np.log(lam)) - self.n.sum()) + 2.0 * self._nlogn
                     + np.sum(d * d * self._inv_var))

    def grad(self, p):
        """Gradient of -2 ln L with respect to the parameter vector (analytic; one-sided at the t anchors)."""
        p = np.asarray(p, dtype=float)
        lam, sig, V, dVx, dVy, powers, eff = self._parts(p)
        w = 2.0 * (1.0 - self.n / np.maximum(lam, 1e-300)) * self.X[:, None]      # d(-2lnL)/d(lam) x X
        g = 2.0 * (p - self._centres) * self._inv_var
        x = p[0]
        dsig_dx = V[:, 3] if self.quadratic else V[:, 2] + 2.0 * x * V[:, 3]
        g[0] += np.sum(w * eff * dsig_dx)
        np.add.at(g, self._ac, np.sum(w * self.AC, axis=1))
        np.add.at(g, self._er, np.sum(w * self.ER, axis=1))
        np.add.at(g, self._nr, np.sum(w * V[:, 0], axis=1))
        if self._eff is not None:
            np.add.at(g, self._eff, np.sum(w * sig, axis=1))
        a_nr = p[self._nr][:, None]
        for k, dV in ((self._tly, dVx), (self._tqy, dVy)):
            dsig = np.einsum("j,rjb->rb", powers, dV[:, 1:])
            g[k] += np.sum(w * (a_nr * dV[:, 0] + eff * dsig))
        return g

    # ------------------------------------------------------------------------------------------ fitting
    def start(self):
        """Default start: x at 1 (internal units), multipliers at 1, t at 0."""
        return np.array([max(self.parameter.lower, 0.0) + 1.0] + [n.centre for n in self.nuisances])

    def _limits(self):
        lo = self.parameter.lower if np.isfinite(self.parameter.lower) else None
        return [(lo, None)] + [(n.lower, n.upper) for n in self.nuisances]

    def _to_internal(self, x):
        return x * x if self.quadratic else x

    def _to_x(self, u):
        return float(np.sqrt(max(u, 0.0))) if self.quadratic else float(u)

    @property
    def _signal_kind(self):
        return getattr(self.parameter.parameter, "kind", "") == "signal"

    def scale_guess(self):
        """A first |x| (internal units) where the parameter's extra events reach three standard deviations of the
        observed counts: the smaller of the values from its quadratic and its linear events (t = 0, efficiency 1)."""
        n1, n2 = abs(self._n_poly[1]), max(self._n_poly[2], 0.0)
        target = 3.0 * np.sqrt(max(self.n.sum(), 1.0))
        guesses = ([np.sqrt(target / n2)] if n2 > 0 else []) + ([target / n1] if n1 > 0 else [])
        if not guesses:
            raise ValueError(f"parameter {self.parameter.name} does not change the expected counts")
        return float(min(guesses))

    def return_points(self):
        """x* = -N_1 / N_2 (internal units) where the expected signal of a two-sided parameter returns to the
        Standard Model (t = 0), or ()."""
        if np.isfinite(self.parameter.lower):
            return ()
        n1, n2 = self._n_poly[1], self._n_poly[2]
        return (float(-n1 / n2),) if n2 > 0 and n1 != 0 else ()

    def _seeds(self):
        g = self.scale_guess()
        return [None, g] + ([-g, *self.return_points()] if not np.isfinite(self.parameter.lower) else [])

    def minimise(self, x=None, start=None, errors=False):
        """Minimum of -2 ln L over the nuisances (and over x unless ``x`` is given, in internal units):
        a :class:`FitPoint` (its ``x`` in internal units, also for a parameter fitted as x^2). ``errors``: run MINOS
        on x (68.3%, Delta(-2 ln L) = 1; parameters entering linearly). With x free, an electromagnetic parameter is
        fitted from several starts (the start, its sensitivity scale, both signs for a two-sided parameter, and
        the point where its rate returns to the Standard Model), and the lowest minimum is kept; the 8B flux (a
        signal parameter) from the start alone."""
        if x is None and not self._signal_kind:
            base = np.array(self.start() if start is None else start, dtype=float)
            fits = []
            for seed in self._seeds():
                p0 = base.copy()
                if seed is not None:
                    p0[0] = self._to_internal(seed)
                fits.append(self._minimise_from(p0, None, errors))
            return min(fits, key=lambda f: f.m2lnl)
        return self._minimise_from(np.array(self.start() if start is None else start, dtype=float), x, errors)

    def _minimise_from(self, p0, x, errors):
        if x is not None:
            p0[0] = self._to_internal(check_finite_scalar(x, self.parameter.name))
        p0 = np.clip(p0, [a if a is not None else -np.inf for a, _ in self._limits()],
                     [b if b is not None else np.inf for _, b in self._limits()])
        m = Minuit(self, p0, grad=self.grad, name=self.names)
        m.errordef = Minuit.LEAST_SQUARES
        m.strategy = 1 if x is None else 0
        m.tol = 0.01
        for name, lim in zip(self.names, self._limits()):
            m.limits[name] = lim
        poi = self.names[0]
        m.errors[poi] = 0.3 if self._signal_kind else max(0.1 * abs(p0[0]),
                                                          0.1 * self._to_internal(self.scale_guess()))
        for n in self.nuisances:
            m.errors[n.name] = 0.3 if n.name.startswith("t_") else 0.05
        m.fixed[poi] = x is not None
        m.migrad()
        if not m.valid:
            m.simplex().migrad()
        errs = {}
        if errors and x is None:
            if self.quadratic:
                raise ValueError("MINOS errors are available for parameters that enter linearly only")
            m.minos(poi)
            me = m.merrors[poi]
            errs = {"x_low": -me.lower, "x_high": me.upper, "x_hesse": m.errors[poi]}
        vals = np.array(m.values)
        nuis = MappingProxyType(dict(zip(self.names[1:], map(float, vals[1:]))))
        return FitPoint(self._to_x(vals[0]), float(m.fval), nuis, bool(m.valid), MappingProxyType(errs))

    def vector(self, point):
        """The parameter vector (internal parametrisation: x, or x^2 for a quadratic parameter) of a
        :class:`FitPoint`, e.g. as a start."""
        return np.array([self._to_internal(point.x)] + [point.nuisances[n] for n in self.names[1:]])

    def internal(self, point):
        """The parameter vector of a :class:`FitPoint` (the statistics core's name for :meth:`vector`)."""
        return self.vector(point)

    def profile(self, xs, best=None):
        """Delta(-2 ln L) at each x of ``xs`` (internal units), nuisances profiled, relative to the global minimum
        (``best``, found if not given): (read-only array, best FitPoint)."""
        best = self.minimise() if best is None else best
        start = self.vector(best)
        out = [self.minimise(x=float(x), start=start).m2lnl - best.m2lnl for x in np.atleast_1d(xs)]
        return frozen_copy(np.maximum(out, 0.0)), best
