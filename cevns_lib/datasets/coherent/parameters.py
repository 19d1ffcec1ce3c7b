"""Parameters of interest of the COHERENT fits: the library's one parameter model bound to the SNS neutrinos.

Every parameter x enters the expected counts as

    N(x) = sum_{f, k} w_{f,k}(x) B[f, k],      w_{f,k}(x) = c0 + c1 x + c2 x^2,

with B[f, k] the basis counts of incident component f and term k (:mod:`.prediction`) and the coefficients of
:mod:`cevns_lib.physics.parameters` (:func:`cevns_lib.statistics.bind`) for the prompt nu_mu, delayed nu_e and
delayed anti-nu_mu. ``signal_strength`` scales the Standard-Model counts by x; it also scales a release's own
CEvNS template, stored under the key ("total", "sm"). Fits work in the unit ``unit`` times ``scale`` (1e-32 cm^2
for charge radii, 1e-8 e for millicharges) so that MIGRAD sees numbers of order one; limits are returned in
``unit``.
"""

import dataclasses
from functools import lru_cache
from types import MappingProxyType

from ...physics.parameters import PARAMETERS, SIGNAL_STRENGTH
from ...sources.components import SNS_COMPONENTS
from ...statistics.binding import bind
from ...validation import match_name

__all__ = ["EM_PARAMETERS", "parameter_names", "get_parameter"]

#: The parameters the COHERENT fits constrain: those of a neutrino the SNS beam carries (no tau neutrinos).
EM_PARAMETERS = tuple(n for n, p in PARAMETERS.items() if any(p.applies_to(c.species) for c in SNS_COMPONENTS))


@lru_cache(maxsize=None)
def _registry():
    out = {name: bind(name, SNS_COMPONENTS) for name in EM_PARAMETERS}
    signal = bind(SIGNAL_STRENGTH, SNS_COMPONENTS)
    coef = {**signal.coefficients, ("total", "sm"): (0.0, 1.0, 0.0)}
    out[SIGNAL_STRENGTH.name] = dataclasses.replace(signal, coefficients=MappingProxyType(coef))
    return MappingProxyType(out)


def parameter_names():
    """All parameter names: the electromagnetic ones and ``signal_strength``."""
    return tuple(_registry())


def get_parameter(name):
    """The :class:`~cevns_lib.statistics.Binding` of a parameter name (any case) to the SNS neutrinos."""
    reg = _registry()
    return match_name(name, reg, "COHERENT parameter")
