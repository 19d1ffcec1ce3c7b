"""Parameters of interest of the COHERENT fits, as polynomial weights on the basis terms of :mod:`.prediction`.

Every parameter x enters the expected counts as

    N(x) = sum_{f, k} w_{f,k}(x) B[f, k],      w_{f,k}(x) = c0 + c1 x + c2 x^2,

with B[f, k] the basis counts of incident component f and term k. The coefficients (c0, c1, c2) are fixed
numbers per parameter:

* ``Lambda1``, ``Lambda2``, ``Lambda3``: Majorana transition moments |Lambda_i| (in 1e-10 mu_B), one at a time
  with the paper's zero phases: mu_eff^2 = C_{f,i} |Lambda_i|^2 with C_{f,i} = 1 - |U_{alpha i}|^2 (section 5.3 of
  arXiv:1905.03750), so c2 = C_{f,i} x 1e-20 on the magnetic term;
* ``mu_nue``, ``mu_numu``: flavour-diagonal (effective) moments (1e-10 mu_B): mu_eff^2 = mu_f^2 for an incident
  nu_f or anti-nu_f; nu_e only for mu_nue, prompt nu_mu and delayed anti-nu_mu for mu_numu;
* ``signal_strength``: the Standard-Model CEvNS counts scaled by x (the fits of the CEvNS rate); it also scales a
  release's own CEvNS template, stored under the key ("total", "sm").

The SM term always has c0 = 1 (except for ``signal_strength``, where it is c1 = 1).
"""

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from .._checks import check_finite_scalar
from ..constants import MU_UNIT
from ..mixing import DE_SALAS_2018_NO
from ..moments import quadratic_form
from ..rates import FLAVOUR_BEAM
from .prediction import COMPONENTS


@dataclass(frozen=True)
class Parameter:
    """A parameter of interest: name, unit, lower bound, and its coefficients {(component, term): (c0, c1, c2)}."""

    name: str
    unit: str
    description: str
    lower: float
    coefficients: MappingProxyType

    def weights(self, x, keys):
        """Weights w(x) for the basis keys ``keys`` (tuple of (component, term)), as an array."""
        x = check_finite_scalar(x, self.name)
        return np.array([_poly(self.coefficients.get(k, (0.0, 0.0, 0.0)), x) for k in keys])

    def terms(self):
        """Basis terms the parameter needs (e.g. ("sm", "em"))."""
        return tuple(dict.fromkeys(k for _, k in self.coefficients))


def _poly(c, x):
    return c[0] + c[1] * x + c[2] * x * x


def _sm_baseline():
    return {(f, "sm"): (1.0, 0.0, 0.0) for f in COMPONENTS}


def _transition(i):
    coef = _sm_baseline()
    for f in COMPONENTS:
        c = float(quadratic_form(FLAVOUR_BEAM[f], DE_SALAS_2018_NO, (0.0, 0.0, 0.0))[i, i])
        coef[(f, "em")] = (0.0, 0.0, c * MU_UNIT**2)
    return coef


def _flavour(components):
    coef = _sm_baseline()
    for f in COMPONENTS:
        coef[(f, "em")] = (0.0, 0.0, MU_UNIT**2 if f in components else 0.0)
    return coef


@lru_cache(maxsize=None)
def _registry():
    out = {}
    for i in range(3):
        out[f"Lambda{i + 1}"] = Parameter(
            f"Lambda{i + 1}", "1e-10 mu_B", f"Majorana transition moment |Lambda_{i + 1}| (zero phases)", 0.0,
            MappingProxyType(_transition(i)))
    out["mu_nue"] = Parameter("mu_nue", "1e-10 mu_B", "effective magnetic moment of nu_e", 0.0,
                              MappingProxyType(_flavour(("nu_e",))))
    out["mu_numu"] = Parameter("mu_numu", "1e-10 mu_B", "effective magnetic moment of nu_mu", 0.0,
                               MappingProxyType(_flavour(("nu_mu_prompt", "nu_mu_bar"))))
    out["signal_strength"] = Parameter(
        "signal_strength", "", "Standard-Model CEvNS counts scaled by x", 0.0,
        MappingProxyType({(f, "sm"): (0.0, 1.0, 0.0) for f in COMPONENTS + ("total",)}))
    return MappingProxyType(out)


#: Names of the electromagnetic parameters (limits); ``signal_strength`` is the rate fit's parameter.
EM_PARAMETERS = ("Lambda1", "Lambda2", "Lambda3", "mu_nue", "mu_numu")


def parameter_names():
    """All parameter names: the electromagnetic ones and ``signal_strength``."""
    return tuple(_registry())


def get_parameter(name):
    """The :class:`Parameter` of a name; ValueError naming the allowed ones otherwise."""
    reg = _registry()
    if not isinstance(name, str) or name not in reg:
        raise ValueError(f"unknown parameter {name!r}; allowed: {', '.join(reg)}")
    return reg[name]
