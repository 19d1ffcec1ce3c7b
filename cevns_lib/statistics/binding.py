"""A parameter of interest bound to the incident neutrinos of an experiment or a data set.

The expected counts (in total or per bin) are a polynomial in the parameter of interest x,

    N(x) = sum_{(c, k)} (c0 + c1 x + c2 x^2)_{c,k} B[c, k],

with B[c, k] the events of term k of incident component c per unit coupling (integrated once by the engine, or
binned by a data set) and the coefficients of :meth:`cevns_lib.physics.parameters.Parameter.coefficients`
(c0 = 1 on the Standard-Model term). A :class:`Binding` holds these coefficients for a tuple of components, in
the fit's internal unit (x_internal = x / ``scale``), so that every statistic of the library (the counting
chi-squares and the binned likelihoods) reads the same numbers: the counting excess is X(x) = a x + b x^2 with
a = sum c1 N and b = sum c2 N, a likelihood folds the coefficients into its basis once.
"""

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..physics.mixing import DE_SALAS_2018_NO
from ..physics.parameters import SIGNAL_STRENGTH, get_parameter
from ..validation import check_finite_scalar

__all__ = ["Binding", "bind"]


@dataclass(frozen=True)
class Binding:
    """A parameter bound to incident components (see the module docstring).

    ``parameter``: the :class:`~cevns_lib.physics.parameters.Parameter`; ``components``: the component names;
    ``coefficients``: {(component, term): (c0, c1, c2)} per internal unit, with the Standard-Model baseline
    (c0 = 1 on "sm") unless the parameter is the signal strength; ``scale``: the internal unit in ``unit``;
    ``lower``: the lower bound in internal units (0 for a one-sided parameter, -inf otherwise).
    """

    parameter: object
    components: tuple
    coefficients: MappingProxyType
    scale: float
    lower: float

    @property
    def name(self):
        return self.parameter.name

    @property
    def unit(self):
        return self.parameter.unit

    @property
    def description(self):
        return self.parameter.description

    @property
    def two_sided(self):
        """True if the parameter can be negative (millicharges and charge radii)."""
        return not np.isfinite(self.lower)

    def weights(self, x, keys):
        """Weights w(x) for basis keys (tuple of (component, term)) at an internal value x, as an array."""
        x = check_finite_scalar(x, self.name)
        return np.array([_poly(self.coefficients.get(k, (0.0, 0.0, 0.0)), x) for k in keys])

    def terms(self):
        """Basis terms the parameter needs (e.g. ("sm", "mag"))."""
        return tuple(dict.fromkeys(k for _, k in self.coefficients))

    def excess_coefficients(self, counts):
        """(a, b), in events per unit and per unit squared of the parameter in ``unit``, of the extra events
        X(x) = a x + b x^2 over the Standard Model, for total counts {(component, term): events}."""
        a = b = 0.0
        for key, (_, c1, c2) in self.coefficients.items():
            n = counts.get(key, 0.0)
            a += c1 * n
            b += c2 * n
        return a / self.scale, b / self.scale**2


def _poly(c, x):
    return c[0] + c[1] * x + c[2] * x * x


def bind(parameter, components, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0), scale=None):
    """The :class:`Binding` of ``parameter`` (a name or a Parameter) to ``components`` (cevns_lib.sources
    Component objects: name, species and, for mass states, ``mass_state``).

    ``params``, ``phases``: the mixing and the phases of the Lambda_i (transition moments); ``scale``: the
    internal unit (default: the parameter's ``fit_scale``).
    """
    p = get_parameter(parameter)
    scale = p.fit_scale if scale is None else scale
    coef = {}
    signal = p is SIGNAL_STRENGTH
    for comp in components:
        if not signal:
            coef[(comp.name, "sm")] = (1.0, 0.0, 0.0)
        per = p.coefficients(comp.species, getattr(comp, "mass_state", None), params, phases, per=scale)
        for term, (c1, c2) in per.items():
            c0 = coef.get((comp.name, term), (0.0, 0.0, 0.0))[0]
            coef[(comp.name, term)] = (c0, c1, c2)
    return Binding(p, tuple(c.name for c in components), MappingProxyType(coef), float(scale),
                   -np.inf if p.two_sided else 0.0)
