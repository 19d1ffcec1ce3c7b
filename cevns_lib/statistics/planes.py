"""Two-parameter regions for any two parameters: the binding of a pair, with its cross terms, and its Delta chi^2.

Two parameters x, y of :data:`cevns_lib.physics.PARAMETERS` enter the events of each (component, term) as

    N(x, y) = sum_{(c, k)} (c00 + c10 x + c20 x^2 + c01 y + c02 y^2 + c11 x y)_{c,k} B[c, k],

the one-parameter coefficients of each (:func:`~.binding.bind`) plus a cross term where the two amplitudes add
coherently (choice E17):

* two transition moments (|Lambda_i|, |Lambda_j|), real couplings: mu_eff^2 = sum_kl M_kl Lambda_k Lambda_l on
  the magnetic term, c11 = 2 M_ij (the quadratic form of :func:`cevns_lib.physics.quadratic_form`; zero for a
  neutrino arriving in a mass state);
* the millicharge and the charge radius of one flavour (q_f, <r^2_f>): both shift the proton coupling, so the
  square of the shift has the cross term "r2_q", c11 = 1 for the neutrinos of that flavour;
* every other allowed pair adds incoherently (different terms or different neutrinos): c11 = 0.

Pairs that describe one effect twice or under exclusive hypotheses are refused with the reason: a parameter
with itself, the transition moments of Majorana neutrinos with flavour-diagonal moments (mu_nue, ..., mu_eff)
or with a millicharge (Majorana neutrinos have neither), mu_eff with a flavour moment (mu_eff already is
every flavour's), and the signal strength with anything.

:func:`parameter_region` evaluates Delta chi^2 on a grid with the target's own statistic: closed form for the
counting chi-squares (they depend on the parameters only through the excess X(x, y)), the binned likelihood
profiled over its nuisances at every point (iminuit) for binned experiments and the released data. The
region at confidence level cl is {Delta chi^2 <= delta_chi2_level(cl, 2)}.
"""

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy.optimize import minimize

from ..engine.yields import check_finite_terms, event_yields
from ..experiment.experiment import BINNED_STATISTICS, Experiment
from ..physics.mixing import DE_SALAS_2018_NO
from ..physics.moments import quadratic_form
from ..physics.parameters import SIGNAL_STRENGTH, get_parameter
from ..sources.components import DEFAULT_SELECTION
from ..validation import check_finite_scalar, frozen_copy
from .binding import Binding, bind
from .binned import experiment_model
from .counting import analysis, parameter_components
from .levels import check_level, confidence_level, delta_chi2_level
from .likelihood import Likelihood
from .limits import parameter_limit

__all__ = ["check_pair", "PairBinding", "bind_pair", "Region2D", "parameter_region"]


def check_pair(a, b):
    """The two :class:`~cevns_lib.physics.parameters.Parameter` objects of names ``a``, ``b``, or a ValueError
    saying why they do not combine."""
    pa, pb = get_parameter(a), get_parameter(b)
    if pa is pb:
        raise ValueError(f"a plane needs two different parameters, got {pa.name} twice")
    kinds = {pa.kind, pb.kind}
    if SIGNAL_STRENGTH in (pa, pb):
        raise ValueError("signal_strength does not combine with an electromagnetic parameter in a plane")
    if "transition" in kinds and "magnetic" in kinds:
        raise ValueError(f"{pa.name} and {pb.name} do not combine: transition moments of Majorana neutrinos and "
                         "flavour-diagonal magnetic moments are exclusive hypotheses for the same magnetic term")
    if "transition" in kinds and "millicharge" in kinds:
        raise ValueError(f"{pa.name} and {pb.name} do not combine: Majorana neutrinos (transition moments) have no "
                         "millicharge")
    if kinds == {"magnetic"} and (pa.flavour is None or pb.flavour is None):
        raise ValueError(f"{pa.name} and {pb.name} do not combine: mu_eff is one moment for every neutrino and "
                         "already contains each flavour's moment")
    return pa, pb


@dataclass(frozen=True)
class PairBinding:
    """Two parameters bound to incident components: ``coefficients`` {(component, term): (c00, c10, c20, c01, c02,
    c11)} in the internal units (x / ``scales[0]``, y / ``scales[1]``); ``lowers``: the lower bounds (0 or -inf)."""

    parameters: tuple
    components: tuple
    coefficients: MappingProxyType
    scales: tuple
    lowers: tuple

    def at(self, y):
        """The :class:`~.binding.Binding` of the first parameter with the second fixed at ``y`` (internal units)."""
        y = check_finite_scalar(y, self.parameters[1].name)
        coef = {k: (c[0] + c[3] * y + c[4] * y * y, c[1] + c[5] * y, c[2]) for k, c in self.coefficients.items()}
        return Binding(self.parameters[0], self.components, MappingProxyType(coef), self.scales[0], self.lowers[0])

    def excess(self, counts, x, y):
        """The extra events over the Standard Model at internal (x, y) (arrays broadcast), for total counts
        {(component, term): events}."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        out = np.zeros(np.broadcast(x, y).shape)
        for key, (_, c10, c20, c01, c02, c11) in self.coefficients.items():
            n = counts.get(key, 0.0)
            if c10 or c20 or c01 or c02 or c11:
                out = out + n * (c10 * x + c20 * x * x + c01 * y + c02 * y * y + c11 * x * y)
        return out


def bind_pair(a, b, components, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0)):
    """The :class:`PairBinding` of parameters ``a`` and ``b`` (names) to ``components`` (Component objects), with
    the cross terms of the module docstring; refused pairs raise :func:`check_pair`'s error."""
    pa, pb = check_pair(a, b)
    ba, bb = bind(pa, components, params, phases), bind(pb, components, params, phases)
    coef = {}
    for key, (c0, c1, c2) in ba.coefficients.items():
        coef[key] = [c0, c1, c2, 0.0, 0.0, 0.0]
    for key, (c0, c1, c2) in bb.coefficients.items():
        row = coef.setdefault(key, [c0, 0.0, 0.0, 0.0, 0.0, 0.0])
        row[3], row[4] = c1, c2
    ua, ub = pa.to_library * ba.scale, pb.to_library * bb.scale
    for comp in components:
        if pa.kind == pb.kind == "transition":
            if getattr(comp, "mass_state", None) is None:
                m = quadratic_form(comp.species, params, phases)
                row = coef.setdefault((comp.name, "mag"), [0.0] * 6)
                row[5] += 2.0 * float(m[pa.index - 1, pb.index - 1]) * ua * ub
        elif {pa.kind, pb.kind} == {"millicharge", "charge_radius"} and pa.flavour == pb.flavour \
                and pa.applies_to(comp.species):
            row = coef.setdefault((comp.name, "r2_q"), [0.0] * 6)
            row[5] += ua * ub
    frozen = MappingProxyType({k: tuple(float(v) for v in row) for k, row in coef.items()})
    return PairBinding((pa, pb), tuple(c.name for c in components), frozen, (ba.scale, bb.scale),
                       (ba.lower, bb.lower))


@dataclass(frozen=True)
class Region2D:
    """Delta chi^2 of two parameters on a grid (values in their units; read-only arrays).

    ``parameters`` and ``units``: the names and units of x and y; ``x``, ``y``: the grids; ``delta_chi2``: shape
    (len(y), len(x)) (rows follow y, as ``plt.contour(x, y, z)`` expects); ``level``: the Delta chi^2 of the
    region at ``cl`` (two parameters); ``best_fit``: (x, y) of the smallest value found; ``statistic``,
    ``experiment``: what made it.
    """

    experiment: str
    parameters: tuple
    units: tuple
    x: np.ndarray
    y: np.ndarray
    delta_chi2: np.ndarray
    level: float
    cl: float
    best_fit: tuple
    statistic: str

    @property
    def allowed(self):
        """Boolean mask of the grid points inside the region (read-only)."""
        m = self.delta_chi2 <= self.level
        m.flags.writeable = False
        return m

    def extent(self):
        """(x_min, x_max, y_min, y_max) of the allowed grid points (the region's projections on the axes)."""
        m = self.allowed
        if not m.any():
            return (np.nan,) * 4
        xs = self.x[np.any(m, axis=0)]
        ys = self.y[np.any(m, axis=1)]
        return float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())

    def touches_edge(self):
        """True if the region reaches the edge of the grid (then widen the ranges); an edge at zero of a grid that
        starts there (the physical bound of a moment) does not count."""
        m = self.allowed
        low_x = m[:, 0].any() and not self.x[0] == 0.0
        low_y = m[0].any() and not self.y[0] == 0.0
        return bool(low_x or low_y or m[-1].any() or m[:, -1].any()) and bool((~m).any())

    def record(self):
        """A JSON-ready document: experiment, parameters, units, level, cl, best_fit, extent and the grid."""
        xl, xh, yl, yh = self.extent()
        return {"experiment": self.experiment, "parameters": list(self.parameters), "units": list(self.units),
                "level": self.level, "cl": self.cl, "statistic": self.statistic,
                "best_fit": list(self.best_fit), "extent": {f"{self.parameters[0]}_min": xl,
                                                            f"{self.parameters[0]}_max": xh,
                                                            f"{self.parameters[1]}_min": yl,
                                                            f"{self.parameters[1]}_max": yh},
                "x": self.x.tolist(), "y": self.y.tolist(), "delta_chi2": self.delta_chi2.tolist()}


def _default_range(target, p, level, beam):
    """A grid range for one parameter: its one-parameter allowed set at the two-parameter level, widened."""
    kw = {"beam": beam} if isinstance(target, Experiment) else {}
    lim = parameter_limit(target, p, level=level, **kw)
    lo, hi = lim.intervals[0][0], lim.intervals[-1][1]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"{lim.experiment}: {p.name} is unbounded at Delta chi^2 = {level}; give its range")
    if not p.two_sided:
        return 0.0, 2.5 * hi
    w = 0.75 * (hi - lo)
    return lo - w, hi + w


def _grid(rng, n, p, name):
    if rng is None:
        return None
    try:
        lo, hi = (float(v) for v in rng)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be (low, high) in {p.unit}, got {rng!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi) or (not p.two_sided and lo < 0):
        raise ValueError(f"{name} must be (low, high) with low < high{'' if p.two_sided else ' and low >= 0'} in "
                         f"{p.unit}, got {rng!r}")
    return np.linspace(lo, hi, n)


def _counting_grid(experiment, pair, beam, xs, ys, params):
    y = event_yields(experiment)
    counts = {(c, k): v for c, terms in y.terms.items() for k, v in terms.items()}
    check_finite_terms(experiment.label, {k: counts[k] for k in pair.coefficients if k in counts}, "this region")
    a = analysis(experiment, beam, params=params)
    sx, sy = pair.scales
    X = pair.excess(counts, xs[None, :] / sx, ys[:, None] / sy)
    # the smallest excess over the physical domain (the chi-square's minimum is taken over it)
    bounds = [(0.0, None) if np.isfinite(lo) else (None, None) for lo in pair.lowers]
    k = np.unravel_index(np.argmin(X), X.shape)
    start = np.array([xs[k[1]] / sx, ys[k[0]] / sy])
    res = minimize(lambda v: float(pair.excess(counts, v[0], v[1])), start, bounds=bounds, method="L-BFGS-B")
    x_min = min(float(X.min()), float(res.fun), 0.0)
    chi2 = a.chi2_of_excess(X)
    d = chi2 - a.chi2_min(x_min)
    j, i = np.unravel_index(np.argmin(d), d.shape)
    return np.maximum(d, 0.0), (float(xs[i]), float(ys[j]))


def _likelihood_grid(models, pair, xs, ys):
    sx, sy = pair.scales
    m2 = np.zeros((ys.size, xs.size))
    best = (np.inf, None)
    for j, yv in enumerate(ys):
        lik = Likelihood(models, pair.at(yv / sy))
        free = lik.minimise()
        if free.m2lnl < best[0]:
            best = (free.m2lnl, (free.x * sx, float(yv)))
        start = lik.internal(free)
        for i, xv in enumerate(xs):
            m2[j, i] = lik.minimise(x=xv / sx, start=start if i == 0 else None).m2lnl
    low = min(best[0], float(m2.min()))
    if m2.min() < best[0]:
        j, i = np.unravel_index(np.argmin(m2), m2.shape)
        best = (low, (float(xs[i]), float(ys[j])))
    return np.maximum(m2 - low, 0.0), tuple(float(v) for v in best[1])


def parameter_region(target, parameters, cl=0.90, level=None, n=41, x_range=None, y_range=None, beam=None,
                     params=DE_SALAS_2018_NO):
    """The two-parameter region of ``parameters`` = (name_x, name_y) with the target's own statistic: a
    :class:`Region2D`.

    Parameters
    ----------
    target : an :class:`~cevns_lib.experiment.Experiment` (counting or binned statistic), or a released data set
        (``cevns_lib.coherent.combination(...)``).
    cl : confidence level (Delta chi^2 from :func:`~.levels.delta_chi2_level` with two parameters), or ``level``.
    n : grid points per axis (an integer >= 5, or a pair). x_range, y_range : (low, high) in the parameters' units
        (default: each one-parameter allowed set at the region's level, widened).
    beam : selection of incident components (experiments only).
    """
    try:
        name_x, name_y = parameters
    except (TypeError, ValueError):
        raise ValueError(f"parameters must be two names, e.g. ('mu_nue', 'q_nue'), got {parameters!r}") from None
    pa, pb = check_pair(name_x, name_y)
    level = delta_chi2_level(cl, 2) if level is None else check_level(level)
    nx, ny = (n, n) if np.ndim(n) == 0 else n
    for v in (nx, ny):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 5:
            raise ValueError(f"n must be an integer >= 5 (grid points per axis), got {n!r}")
    if isinstance(target, Experiment):
        beam = DEFAULT_SELECTION if beam is None else beam
        _, comps_a = parameter_components(target, pa, beam)
        _, comps_b = parameter_components(target, pb, beam)
        comps = tuple(c for c in target.components if c in comps_a or c in comps_b)
    elif hasattr(target, "likelihood"):
        if beam is not None:
            raise ValueError("beam applies to experiments; a data set uses its own components")
        from ..sources.components import SNS_COMPONENTS

        comps = SNS_COMPONENTS
    else:
        raise TypeError(f"target must be an Experiment or a data set, got {target!r}")
    pair = bind_pair(pa, pb, comps, params)
    xs = _grid(x_range, nx, pa, "x_range")
    ys = _grid(y_range, ny, pb, "y_range")
    if xs is None:
        xs = np.linspace(*_default_range(target, pa, level, beam), nx)
    if ys is None:
        ys = np.linspace(*_default_range(target, pb, level, beam), ny)
    if isinstance(target, Experiment) and target.statistic not in BINNED_STATISTICS:
        d, best = _counting_grid(target, pair, beam, xs, ys, params)
        stat, label = target.statistic, target.name
    else:
        if isinstance(target, Experiment):
            models = [experiment_model(target, pair.at(0.0))]
            label = target.name
        else:
            models = list(target.likelihood(pa).models)
            label = "+".join(getattr(target, "names", ()))
        d, best = _likelihood_grid(models, pair, xs, ys)
        stat = "binned-poisson"
    return Region2D(label, (pa.name, pb.name), (pa.unit, pb.unit), frozen_copy(xs), frozen_copy(ys), frozen_copy(d),
                    float(level),
                    float(confidence_level(level, 2)), best, stat)
