"""Parameters of interest of the COHERENT fits, as polynomial weights on the basis terms of :mod:`.prediction`.

Every parameter x enters the expected counts as

    N(x) = sum_{f, k} w_{f,k}(x) B[f, k],      w_{f,k}(x) = c0 + c1 x + c2 x^2,

with B[f, k] the basis counts of incident component f and term k. The coefficients (c0, c1, c2) are fixed
numbers per parameter (names and units of :data:`cevns_lib.physics.PARAMETERS`):

* ``Lambda1``, ``Lambda2``, ``Lambda3``: Majorana transition moments |Lambda_i| (1e-10 mu_B), one at a time with the
  paper's zero phases: mu_eff^2 = C_{f,i} |Lambda_i|^2, C_{f,i} = 1 - |U_{alpha i}|^2 (section 5.3 of
  arXiv:1905.03750), so c2 = C_{f,i} (1e-10)^2 on the magnetic term;
* ``mu_nue``, ``mu_numu`` (and ``mu_eff``, every component): flavour moments (1e-10 mu_B), mu_eff^2 = mu_f^2 for
  an incident nu_f or anti-nu_f;
* ``q_nue``, ``q_numu`` (e) and ``r2_nue``, ``r2_numu`` (cm^2): millicharges and charge radii, c1 on the linear
  term and c2 on the quadratic term of the components of that flavour (the basis carries the antineutrino sign);
* ``signal_strength``: the Standard-Model CEvNS counts scaled by x (the fits of the CEvNS rate); it also scales a
  release's own CEvNS template, stored under the key ("total", "sm").

The SM term has c0 = 1 (c1 = 1 for ``signal_strength``). Fits work in the unit ``unit`` times ``scale`` (1e-32 cm^2
for charge radii, 1e-8 e for millicharges) so that MIGRAD sees numbers of order one; limits are returned in
``unit``.
"""

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from ...engine.yields import FLAVOUR_BEAM
from ...physics import em_properties
from ...physics.mixing import DE_SALAS_2018_NO
from ...physics.moments import quadratic_form
from ...sources.components import SNS_COMPONENTS
from ...validation import check_finite_scalar
from .prediction import COMPONENTS

__all__ = ["FIT_SCALE", "Parameter", "EM_PARAMETERS", "parameter_names", "get_parameter"]


#: Internal fit scale per kind of parameter (values in ``unit`` = internal value x scale).
FIT_SCALE = MappingProxyType({"transition": 1.0, "magnetic": 1.0, "millicharge": 1e-8, "charge_radius": 1e-32})


_FLAVOUR = MappingProxyType({comp.name: comp.flavour for comp in SNS_COMPONENTS})


@dataclass(frozen=True)
class Parameter:
    """A parameter of interest: name, unit, fit scale, lower bound (-inf if two-sided) and its coefficients
    {(component, term): (c0, c1, c2)} per internal unit (x_internal = x / scale)."""

    name: str
    unit: str
    scale: float
    description: str
    lower: float
    coefficients: MappingProxyType

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


def _poly(c, x):
    return c[0] + c[1] * x + c[2] * x * x


def _sm_baseline():
    return {(f, "sm"): (1.0, 0.0, 0.0) for f in COMPONENTS}


def _coefficients(p):
    coef = _sm_baseline()
    unit = p.to_library * FIT_SCALE[p.kind]          # library unit (mu_B, e, cm^2) per internal unit
    for f in COMPONENTS:
        if p.kind == "transition":
            c = float(quadratic_form(FLAVOUR_BEAM[f], DE_SALAS_2018_NO, (0.0, 0.0, 0.0))[p.index - 1, p.index - 1])
            coef[(f, "mag")] = (0.0, 0.0, c * unit**2)
        elif p.kind == "magnetic":
            on = p.flavour is None or _FLAVOUR[f] == p.flavour
            coef[(f, "mag")] = (0.0, 0.0, unit**2 if on else 0.0)
        else:
            tag = "q" if p.kind == "millicharge" else "r2"
            on = _FLAVOUR[f] == p.flavour
            coef[(f, f"{tag}_lin")] = (0.0, unit if on else 0.0, 0.0)
            coef[(f, f"{tag}_quad")] = (0.0, 0.0, unit**2 if on else 0.0)
    return MappingProxyType(coef)


#: The parameters the COHERENT fits constrain (the SNS beam has no tau neutrinos).
EM_PARAMETERS = ("Lambda1", "Lambda2", "Lambda3", "mu_nue", "mu_numu", "mu_eff", "q_nue", "q_numu", "r2_nue", "r2_numu")


@lru_cache(maxsize=None)
def _registry():
    out = {}
    for name in EM_PARAMETERS:
        p = em_properties.get_parameter(name)
        out[name] = Parameter(name, p.unit, FIT_SCALE[p.kind], p.description,
                              -np.inf if p.two_sided else 0.0, _coefficients(p))
    out["signal_strength"] = Parameter(
        "signal_strength", "", 1.0, "Standard-Model CEvNS counts scaled by x", 0.0,
        MappingProxyType({(f, "sm"): (0.0, 1.0, 0.0) for f in COMPONENTS + ("total",)}))
    return MappingProxyType(out)


def parameter_names():
    """All parameter names: the electromagnetic ones and ``signal_strength``."""
    return tuple(_registry())


def get_parameter(name):
    """The :class:`Parameter` of a name; ValueError naming the allowed ones otherwise."""
    reg = _registry()
    if not isinstance(name, str) or name not in reg:
        raise ValueError(f"unknown parameter {name!r}; allowed: {', '.join(reg)}")
    return reg[name]
