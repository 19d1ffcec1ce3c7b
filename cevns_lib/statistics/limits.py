"""One-parameter limits on any electromagnetic parameter of an experiment, with its own statistic.

For one parameter x (the others zero) the extra events over the Standard Model, summed over the selected
incident components, are a quadratic polynomial

    X(x) = a x + b x^2 ,

with a = 0 for the magnetic moments (X grows with mu^2) and a != 0 for millicharges and charge radii, whose
amplitude interferes with the weak one (:mod:`cevns_lib.physics.em_properties`). Every chi-square of the project
depends on the parameter only through X (:mod:`cevns_lib.statistics`), so a limit takes two steps:

1. the allowed excesses {X : Delta chi^2(X) <= level} with Delta chi^2 measured from the minimum over the
   physical excesses X >= min_x X(x) = -a^2 / 4b, an interval [X_lo, X_hi] (X_hi may be infinite when the
   systematic uncertainty saturates the chi-square);
2. the parameter values with X(x) in that interval: one interval around the SM point, or two when the data
   exclude the Standard Model (the second one is the well-known "other" solution where the interference
   flips the sign of the amplitude).

The result is a :class:`Limit`, whose :meth:`Limit.record` is what ``cevns limits`` prints.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from ..engine.yields import event_yields
from ..experiment.experiment import check_experiment
from ..physics.em_properties import get_parameter
from ..physics.mixing import DE_SALAS_2018_NO
from ..sources.components import select
from ..validation import check_finite_scalar
from .counting import analysis, em_matrix
from .levels import delta_chi2_level

__all__ = ["DEFAULT_BEAM", "Limit", "excess_coefficients", "parameter_limit"]


#: Beam selection of the transition-moment analyses for each source (as in Table 2).
DEFAULT_BEAM = {"SNS": "full", "reactor": "reactor", "table": "all", "solar": "all"}


@dataclass(frozen=True)
class Limit:
    """A one-parameter confidence region.

    ``intervals``: the allowed intervals ((lo, hi), ...) in ``unit``; ``limit``: the upper limit of a one-sided
    parameter (moments), or for a two-sided one the largest |x| of the interval containing 0 (inf if
    unbounded, nan if 0 is excluded); ``lower``/``upper``: the ends of that interval (or of the whole allowed
    set when 0 is excluded).
    """

    experiment: str
    parameter: str
    unit: str
    cl: float
    level: float
    beam: str
    statistic: str
    intervals: tuple
    limit: float
    lower: float
    upper: float
    excess_interval: tuple

    def record(self):
        """A JSON-ready dict: parameter, limit, lower, upper, intervals, unit, cl, level, experiment, beam,
        statistic."""
        def clean(v):
            return None if not np.isfinite(v) else float(v)
        return {"experiment": self.experiment, "parameter": self.parameter, "limit": clean(self.limit),
                "lower": clean(self.lower), "upper": clean(self.upper),
                "intervals": [[clean(a), clean(b)] for a, b in self.intervals], "unit": self.unit, "cl": self.cl,
                "delta_chi2": self.level, "beam": self.beam, "statistic": self.statistic}


def excess_coefficients(setup, parameter, beam=None, params=DE_SALAS_2018_NO):
    """(a, b) with X(x) = a x + b x^2 (events) for ``parameter`` in its own unit, summed over the beam selection."""
    p = get_parameter(parameter)
    beam = DEFAULT_BEAM[setup.source] if beam is None else beam
    y = event_yields(setup)
    if p.kind == "transition":
        q = em_matrix(y, beam, params)
        return 0.0, float(q[p.index - 1, p.index - 1])
    comps = select(setup.components, beam)
    if p.flavour is not None:
        comps = tuple(c for c in comps if c.flavour == p.flavour)
        if not comps:
            raise ValueError(f"{setup.name} (beam {beam!r}) has no nu_{p.flavour} or anti-nu_{p.flavour}: "
                             f"{parameter} is unconstrained by it")
    names = tuple(c.name for c in comps)
    s = p.to_library
    if p.kind == "magnetic":
        return 0.0, y.term("mag", names) * s**2
    key = "r2" if p.kind == "charge_radius" else "q"
    return y.term(f"{key}_lin", names) * s, y.term(f"{key}_quad", names) * s**2


def _allowed_excess(a_chi2, x_min, level):
    """[X_lo, X_hi] with Delta chi^2(X) <= level, Delta chi^2 from the minimum over X >= x_min."""
    f = a_chi2.chi2_of_excess
    scale = max(a_chi2.n_sm, 1.0)
    if a_chi2.form == "csi":
        d = dict(a_chi2.csi)
        x_best = max(d["n_meas"] - d["b_on"] - a_chi2.n_sm, x_min)
    else:
        x_best = max(0.0, x_min)
    c_min = float(f(x_best))
    g = lambda x: float(f(x)) - c_min - level  # noqa: E731
    lo = x_min
    if g(x_min) > 0:
        lo = brentq(g, x_min, x_best, xtol=1e-12 * scale, rtol=1e-13)
    if g(1e30 * scale) < 0:
        return lo, np.inf
    left, right = x_best, x_best + max(1e-3 * scale, 1e-9)
    while g(right) < 0:
        left, right = right, right + 2.0 * (right - x_best)
    return lo, brentq(g, left, right, xtol=1e-12 * scale, rtol=1e-13)


def _roots(a, b, X):
    """x with b x^2 + a x = X (b > 0): (smaller, larger)."""
    if not np.isfinite(X):
        return -np.inf, np.inf
    disc = max(a * a + 4.0 * b * X, 0.0)
    r = np.sqrt(disc)
    return (-a - r) / (2.0 * b), (-a + r) / (2.0 * b)


def parameter_limit(setup, parameter, cl=0.90, beam=None, params=DE_SALAS_2018_NO, level=None):
    """The one-parameter confidence region of ``parameter`` for an experiment, with its own statistic.

    Parameters
    ----------
    setup : cevns_lib.experiment.Experiment
    parameter : a name of :data:`cevns_lib.physics.PARAMETERS` ("Lambda1", "mu_nue", "q_numu", "r2_nue", ...).
    cl : confidence level (0.90 by default; Delta chi^2 from :func:`cevns_lib.statistics.delta_chi2_level`).
    beam : selection of incident components ("full", "prompt", "delayed", ... as in Table 2); default: all.
    level : a Delta chi^2 to use instead of the one of ``cl``.
    """
    check_experiment(setup)
    p = get_parameter(parameter)
    cl = check_finite_scalar(cl, "cl")
    level = delta_chi2_level(cl, 1) if level is None else check_finite_scalar(level, "level")
    beam = DEFAULT_BEAM[setup.source] if beam is None else beam
    a, b = excess_coefficients(setup, parameter, beam, params)
    if not b > 0:
        raise ValueError(f"{setup.name}: no {parameter} events for beam {beam!r}; the parameter is unconstrained")
    x_min = -a * a / (4.0 * b)
    chi2 = analysis(setup, beam if p.kind == "transition" else DEFAULT_BEAM[setup.source], params=params)
    X_lo, X_hi = _allowed_excess(chi2, x_min, level)
    lo_hi, hi_hi = _roots(a, b, X_hi)
    if not p.two_sided:
        low = _roots(a, b, X_lo)[1] if X_lo > 0 else 0.0
        intervals = ((max(low, 0.0), hi_hi),)
        limit = hi_hi
        lower, upper = intervals[0]
    else:
        if X_lo <= x_min * (1 - 1e-12) or X_lo <= x_min + 1e-12 * max(abs(x_min), 1.0):
            intervals = ((lo_hi, hi_hi),)
        else:
            lo_lo, hi_lo = _roots(a, b, X_lo)
            intervals = ((lo_hi, lo_lo), (hi_lo, hi_hi))
        around_zero = [iv for iv in intervals if iv[0] <= 0.0 <= iv[1]]
        if around_zero:
            lower, upper = around_zero[0]
            limit = max(abs(lower), abs(upper))
        else:
            lower, upper = intervals[0][0], intervals[-1][1]
            limit = np.nan
    return Limit(experiment=setup.name, parameter=parameter, unit=p.unit, cl=cl, level=level, beam=beam,
                 statistic=setup.statistic, intervals=tuple((float(x), float(y)) for x, y in intervals),
                 limit=float(limit), lower=float(lower), upper=float(upper),
                 excess_interval=(float(X_lo), float(X_hi)))
