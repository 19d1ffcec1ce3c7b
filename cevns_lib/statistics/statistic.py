"""The statistics core: one interface for every statistic of the library.

A :class:`Statistic` is Delta chi^2 (or Delta(-2 ln L)) as a function of one parameter of interest x (in the
parameter's unit), profiled over whatever nuisances it has. Every statistic answers the same four questions:

* :meth:`~Statistic.best_fit`: the x of the minimum and the minimum;
* :meth:`~Statistic.delta_chi2`: Delta chi^2 at values of x (vectorised), measured from the minimum;
* :meth:`~Statistic.intervals`: the allowed set {x : Delta chi^2(x) <= level}, as disjoint intervals;
* :meth:`~Statistic.profile`: the same as :meth:`delta_chi2`, the name a likelihood user looks for.

Two implementations cover the library:

* :class:`CountingStatistic`: the paper's counting chi-squares (eqs. 34-35), which depend on x only through
  the excess X(x) = a x + b x^2 over the Standard Model (:class:`~.counting.Analysis` gives chi^2(X)); every
  answer is closed form or a one-dimensional root;
* :class:`LikelihoodStatistic`: a binned Poisson likelihood with nuisances (:class:`~.likelihood.Likelihood`,
  the released data and the binned experiment files), profiled with iminuit.

The levels come from the one rule of :mod:`.levels`; limits from any statistic are built by
:func:`cevns_lib.statistics.limits.statistic_limit`.
"""

import numpy as np

from ..validation import check_finite_array, frozen_copy
from .levels import check_level
from .likelihood import allowed_region, profile

__all__ = ["Statistic", "CountingStatistic", "LikelihoodStatistic"]


class Statistic:
    """The interface (see the module docstring). ``binding``: the parameter bound to its components
    (:class:`~.binding.Binding`); ``name``: the statistic ("counting", "binned-poisson", ...); ``label``: what it
    belongs to (an experiment, data sets); ``method``: one line saying how limits are made."""

    binding = None
    name = ""
    label = ""
    method = ""

    @property
    def parameter(self):
        return self.binding.parameter

    def best_fit(self):
        """(x, minimum): the best-fit value in the parameter's unit and the statistic there."""
        raise NotImplementedError

    def delta_chi2(self, x):
        """Delta chi^2 (Delta(-2 ln L)) at the values ``x`` (parameter unit), from the minimum: a read-only array."""
        raise NotImplementedError

    def intervals(self, level):
        """The allowed set {x : Delta chi^2(x) <= level} as a tuple of disjoint (lo, hi) in the parameter's unit."""
        raise NotImplementedError

    def profile(self, xs):
        """Delta chi^2 on a grid ``xs`` (parameter unit), profiled over the nuisances: a read-only array."""
        return self.delta_chi2(xs)

    def _values(self, x):
        x = check_finite_array(x, f"values of {self.parameter.name} ({self.parameter.unit})")
        if not self.parameter.two_sided and np.any(x < 0):
            raise ValueError(f"{self.parameter.name} is a modulus: its values must be >= 0, got {x!r}")
        return x


class CountingStatistic(Statistic):
    """A counting chi-square of the excess X(x) = a x + b x^2 (events; x in the parameter's unit).

    ``chi2``: an :class:`~.counting.Analysis` (its ``chi2_of_excess``); the physical excesses are
    X >= x_min = -a^2 / 4b (the interference term can lower the rate below the Standard Model, but not below
    that); Delta chi^2 is measured from the minimum over them.
    """

    def __init__(self, chi2, a, b, binding, name, label, method="counting chi-square, minimised over its nuisance"):
        if not b > 0:
            raise ValueError(f"{label}: {binding.parameter.name} adds no events (b = {b!r}); it is unconstrained")
        self.chi2, self.a, self.b = chi2, float(a), float(b)
        self.binding, self.name, self.label, self.method = binding, name, label, method
        self.x_min = -self.a * self.a / (4.0 * self.b)

    def excess(self, x):
        """The extra events X(x) = a x + b x^2."""
        x = np.asarray(x, dtype=float)
        return self.a * x + self.b * x * x

    def _roots(self, X):
        """x with b x^2 + a x = X: (smaller, larger)."""
        if not np.isfinite(X):
            return -np.inf, np.inf
        r = np.sqrt(max(self.a * self.a + 4.0 * self.b * X, 0.0))
        return (-self.a - r) / (2.0 * self.b), (-self.a + r) / (2.0 * self.b)

    def best_fit(self):
        X = self.chi2.best_excess(self.x_min)
        lo, hi = self._roots(X)
        x = hi if not self.parameter.two_sided else (lo if abs(lo) < abs(hi) else hi)
        return float(max(x, 0.0) if not self.parameter.two_sided else x), self.chi2.chi2_min(self.x_min)

    def delta_chi2(self, x):
        x = self._values(x)
        return frozen_copy(self.chi2.chi2_of_excess(self.excess(x)) - self.chi2.chi2_min(self.x_min))

    def excess_interval(self, level):
        """The allowed excesses [X_lo, X_hi] (events) at ``level``."""
        return self.chi2.excess_interval(check_level(level), x_min=self.x_min)

    def intervals(self, level):
        iv = self.excess_interval(level)
        lo_hi, hi_hi = self._roots(iv.hi)
        if not self.parameter.two_sided:
            low = self._roots(iv.lo)[1] if iv.lo > 0 else 0.0
            return ((float(max(low, 0.0)), float(hi_hi)),)
        if iv.lo <= self.x_min + 1e-12 * max(abs(self.x_min), 1.0):
            return ((float(lo_hi), float(hi_hi)),)
        lo_lo, hi_lo = self._roots(iv.lo)
        return ((float(lo_hi), float(lo_lo)), (float(hi_lo), float(hi_hi)))


class LikelihoodStatistic(Statistic):
    """A binned likelihood (:class:`~.likelihood.Likelihood`, or any object with its ``minimise``, ``parameter``
    and profile interface) as a statistic: Delta(-2 ln L) profiled over the nuisances with iminuit."""

    def __init__(self, likelihood, name, label, method="profile likelihood, Wilks: Delta(-2 ln L) = the level"):
        self.likelihood = likelihood
        self.binding, self.name, self.label, self.method = likelihood.parameter, name, label, method
        self._best = None

    def _best_point(self):
        if self._best is None:
            self._best = self.likelihood.minimise()
        return self._best

    def best_fit(self):
        best = self._best_point()
        return float(best.x * self.binding.scale), float(best.m2lnl)

    def delta_chi2(self, x):
        x = self._values(x)
        values, _ = profile(self.likelihood, np.atleast_1d(x) / self.binding.scale, best=self._best_point())
        return frozen_copy(values.reshape(np.shape(x)))

    def intervals(self, level):
        region, best = allowed_region(self.likelihood, level=check_level(level))
        self._best = best
        s = self.binding.scale
        return tuple((float(lo * s), float(hi * s)) for lo, hi in region)
