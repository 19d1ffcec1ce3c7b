"""Independent likelihoods that share the parameter of interest: -2 ln L is their sum.

Data sets of different families (the COHERENT releases, the XENONnT runs) have their own likelihood classes and
nuisances; combined, they share only the parameter of interest x. For a fixed x the nuisances of each part are
profiled separately, so

    -2 ln L_joint(x) = sum_k min_{nu_k} -2 ln L_k(x, nu_k),

and the global minimum is a one-dimensional minimisation of that sum over x (:class:`JointLikelihood`). Each part
has the interface of :mod:`.likelihood` (``parameter``, ``minimise(x, start)``, ``internal``, ``scale_guess``,
``return_points``), and so has the joint likelihood: :class:`~.statistic.LikelihoodStatistic`,
:func:`~.likelihood.allowed_region` and :func:`~.limits.parameter_limit` take it as they take one part.

The parts must bind the same parameter with the same internal unit and bound. A parameter that enters only
through x^2 (a magnetic moment) is minimised in u = x^2 >= 0, where the profile is smooth at the boundary.
"""

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.optimize import minimize_scalar

from ..validation import check_finite_scalar
from .statistic import LikelihoodStatistic

__all__ = ["JointPoint", "JointLikelihood", "Combination"]


@dataclass(frozen=True)
class JointPoint:
    """A minimum of the joint -2 ln L: ``x`` (internal units), ``m2lnl`` (the sum), ``nuisances`` {part index: the
    part's nuisances}, ``valid`` (every part's fit valid) and ``parts`` (the parts' own fit points)."""

    x: float
    m2lnl: float
    nuisances: MappingProxyType
    valid: bool
    parts: tuple
    errors: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


def _same(bindings):
    first = bindings[0]
    for b in bindings[1:]:
        if (b.parameter.name != first.parameter.name or not np.isclose(b.scale, first.scale, rtol=1e-12, atol=0)
                or b.lower != first.lower):
            raise ValueError(f"the parts bind different parameters or units: {first.parameter.name} "
                             f"(scale {first.scale}, lower {first.lower}) and {b.parameter.name} (scale {b.scale}, "
                             f"lower {b.lower})")
    return first


class JointLikelihood:
    """The sum of independent likelihoods ``parts`` that share one parameter of interest (see the module docstring).

    ``parameter`` is the parts' common :class:`~.binding.Binding` (the first part's). ``quadratic`` is True when
    every part fits the parameter as x^2 (a magnetic moment).
    """

    def __init__(self, parts):
        self.parts = tuple(parts)
        if len(self.parts) < 2:
            raise ValueError("a joint likelihood needs at least two parts")
        for k, p in enumerate(self.parts):
            missing = [a for a in ("parameter", "minimise", "internal", "scale_guess", "return_points")
                       if not hasattr(p, a)]
            if missing:
                raise TypeError(f"part {k} ({type(p).__name__}) lacks {', '.join(missing)}")
        self.parameter = _same([p.parameter for p in self.parts])
        self.quadratic = all(getattr(p, "quadratic", False) for p in self.parts)

    def minimise(self, x=None, start=None):
        """The minimum of the summed -2 ln L over every part's nuisances and, unless ``x`` (internal units) is given,
        over x: a :class:`JointPoint`. ``start``: a tuple of the parts' start vectors (from :meth:`internal`)."""
        starts = (None,) * len(self.parts) if start is None else tuple(start)
        if len(starts) != len(self.parts):
            raise ValueError(f"start must hold one vector per part ({len(self.parts)}), got {len(starts)}")
        if x is not None:
            return self._at(check_finite_scalar(x, self.parameter.name), starts)
        return self._global(starts)

    def _at(self, x, starts):
        pts = tuple(p.minimise(x=x, start=s) for p, s in zip(self.parts, starts))
        return JointPoint(float(x), float(sum(pt.m2lnl for pt in pts)),
                          MappingProxyType({k: pt.nuisances for k, pt in enumerate(pts)}),
                          all(pt.valid for pt in pts), pts)

    def _global(self, starts):
        lower = self.parameter.lower
        bests = [p.minimise(start=s) for p, s in zip(self.parts, starts)]
        g = self.scale_guess()
        cand = {float(b.x) for b in bests} | {g, max(lower, 0.0) if np.isfinite(lower) else 0.0}
        if not np.isfinite(lower):
            cand |= {-g, *map(float, self.return_points())}
        cand = sorted(cand)
        # internal coordinate of the 1-d search: u = x^2 for a quadratic parameter
        to_u = (lambda x: x * x) if self.quadratic else (lambda x: x)
        to_x = (lambda u: float(np.sqrt(max(u, 0.0)))) if self.quadratic else float
        points = {x: self._at(x, starts) for x in cand}
        x0 = min(points, key=lambda x: points[x].m2lnl)
        k = cand.index(x0)
        lo = cand[k - 1] if k > 0 else (lower if np.isfinite(lower) else x0 - g)
        hi = cand[k + 1] if k + 1 < len(cand) else x0 + g
        ulo, uhi = sorted((to_u(lo), to_u(hi)))
        if self.quadratic:
            ulo = max(ulo, 0.0)
        if uhi > ulo:
            res = minimize_scalar(lambda u: self._at(to_x(u), starts).m2lnl, bounds=(ulo, uhi), method="bounded",
                                  options={"xatol": 1e-4 * max(to_u(g), 1e-12)})
            best = self._at(to_x(res.x), starts)
            if best.m2lnl < points[x0].m2lnl:
                return best
        return points[x0]

    def internal(self, point):
        """The parts' start vectors (a tuple) at a :class:`JointPoint`."""
        return tuple(p.internal(pt) for p, pt in zip(self.parts, point.parts))

    def scale_guess(self):
        """The smallest of the parts' sensitivity scales (internal units): the most sensitive part sets the step."""
        return float(min(p.scale_guess() for p in self.parts))

    def return_points(self):
        """The parts' points where their rates return to the Standard Model (internal units)."""
        return tuple(float(x) for p in self.parts for x in p.return_points())


@dataclass(frozen=True)
class Combination:
    """Data sets (``names``), observed or Asimov (``data``), as a target of
    :func:`cevns_lib.statistics.parameter_limit`: ``build(names, parameter, data)`` returns their likelihood of a
    parameter (one data set's, a family's combined one, or a :class:`JointLikelihood`), and :meth:`statistic`
    the profile-likelihood statistic of it. The data-set families provide ``build`` (``coherent.combination``,
    ``datasets.combined.combination``)."""

    names: tuple
    data: str
    build: object = field(compare=False, repr=False)

    def likelihood(self, parameter):
        """The likelihood of the data sets for a parameter."""
        return self.build(self.names, parameter, self.data)

    def statistic(self, parameter):
        """The :class:`~.statistic.LikelihoodStatistic` of a parameter (profile likelihood, Wilks)."""
        return LikelihoodStatistic(self.likelihood(parameter), "binned-poisson", "+".join(self.names),
                                   "profile likelihood, Wilks: Delta(-2 ln L) = q(cl)")
