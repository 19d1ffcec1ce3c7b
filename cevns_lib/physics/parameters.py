"""The electromagnetic parameters CEvNS constrains: one model for the paper's experiments and the released data.

Every parameter x enters the event numbers of an incident neutrino through the terms of the cross section
(:func:`cevns_lib.physics.em_properties.recoil_terms`) with fixed coefficients,

    N(x) = N_SM + sum_k (c1_k x + c2_k x^2) N_k ,

where N_k is the number of events of term k per unit of its coupling (the engine integrates each term once)
and (c1_k, c2_k) depend only on the parameter and on the incident neutrino (its species, or its mass state
for the Sun): :meth:`Parameter.coefficients`. A new property is one entry of :data:`PARAMETERS` plus its
recoil term.

* ``Lambda1``, ``Lambda2``, ``Lambda3``: Majorana transition moments |Lambda_i| (1e-10 mu_B), one at a time with
  real couplings: mu_eff^2 = C_i |Lambda_i|^2 on the magnetic term, C_i = the diagonal of the quadratic form of
  the incident species (:func:`cevns_lib.physics.moments.quadratic_form`, 1 - |U_alpha i|^2 for a pure beam;
  for a neutrino arriving in mass state j, C_i = 1 for i != j and 0 for i = j, eq. 38 of arXiv:1905.03750);
* ``mu_nue``, ``mu_numu``, ``mu_nutau`` (1e-10 mu_B): flavour moments, mu_eff^2 = mu_l^2 for an incident nu_l or
  anti-nu_l; ``mu_eff``: one effective moment for every incident neutrino;
* ``q_nue``, ... (e) and ``r2_nue``, ... (cm^2): millicharges and charge radii, c1 on the linear and c2 on the
  quadratic term of the neutrinos of that flavour.

Values are in the parameter's ``unit`` (1e-10 mu_B, e, cm^2); ``fit_scale`` (in the same unit) is the size the
fits work in, so that a minimiser sees numbers of order one. :data:`SIGNAL_STRENGTH` is the Standard-Model
rate scaled by x (the rate fits of the released data).
"""

from dataclasses import dataclass
from types import MappingProxyType

from .. import constants as c
from ..validation import match_name
from .mixing import DE_SALAS_2018_NO, FLAVOURS
from .moments import quadratic_form

__all__ = ["KINDS", "Parameter", "PARAMETERS", "SIGNAL_STRENGTH", "get_parameter", "parameter_names"]

#: The kinds of parameter: what they couple to.
KINDS = ("transition", "magnetic", "millicharge", "charge_radius", "signal")
#: The terms each kind enters (names of cevns_lib.physics.em_properties.recoil_terms): (linear, quadratic).
_TERMS = {"transition": (None, "mag"), "magnetic": (None, "mag"), "millicharge": ("q_lin", "q_quad"),
          "charge_radius": ("r2_lin", "r2_quad"), "signal": ("sm", None)}
_SPECIES = ("nu_e", "nu_mu", "nu_tau", "nu_e_bar", "nu_mu_bar", "nu_tau_bar")


@dataclass(frozen=True)
class Parameter:
    """An electromagnetic parameter (see the module docstring).

    ``kind``: one of :data:`KINDS`; ``flavour``: "e", "mu", "tau", or None for every neutrino (``mu_eff``) and
    for the transition moments; ``index``: 1, 2, 3 for |Lambda_i|; ``unit``: the unit of values in limits and
    on the command line; ``to_library``: the factor that turns a value in ``unit`` into the library unit (mu_B
    for moments, e, cm^2); ``two_sided``: True if the parameter can be negative (it interferes with the weak
    amplitude); ``fit_scale``: the internal unit of fits, in ``unit``.
    """

    name: str
    kind: str
    flavour: str | None
    unit: str
    to_library: float
    two_sided: bool
    description: str
    index: int | None = None
    fit_scale: float = 1.0

    @property
    def terms(self):
        """The recoil terms the parameter enters: (linear term or None, quadratic term or None)."""
        return _TERMS[self.kind]

    def applies_to(self, species):
        """True if an incident neutrino of ``species`` ("nu_e", "nu_mu_bar", ...) feels the parameter."""
        return self.flavour is None or species.split("_")[1] == self.flavour

    def coefficients(self, species, mass_state=None, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0), per=1.0):
        """{term: (c1, c2)}: the coefficients of the parameter's terms for an incident neutrino of ``species``
        ("nu_e", "nu_mu_bar", ...; or arriving in ``mass_state`` 1, 2, 3, for the transition moments of solar
        neutrinos), per ``per`` units of the parameter (in ``unit``) and its square: the term's events per unit
        coupling times c1 x + c2 x^2 are its events at x (in units of ``per``). Read-only."""
        if species not in _SPECIES:
            raise ValueError(f"unknown neutrino species {species!r}; allowed: {', '.join(_SPECIES)}")
        if mass_state is not None:
            if isinstance(mass_state, bool) or mass_state not in (1, 2, 3):
                raise ValueError(f"mass_state must be 1, 2, 3 or None, got {mass_state!r}")
            if self.flavour is not None:
                raise ValueError(f"{self.name} couples to nu_{self.flavour}, a flavour: a neutrino given by its mass "
                                 f"state has no definite flavour (use its flavour components)")
        lin, quad = self.terms
        unit = self.to_library * per         # library unit (mu_B, e, cm^2) per step of x
        if self.kind == "signal":
            return MappingProxyType({"sm": (per, 0.0)})
        if self.kind == "transition":
            if mass_state is not None:
                cq = 0.0 if mass_state == self.index else 1.0
            else:
                cq = float(quadratic_form(species, params, phases)[self.index - 1, self.index - 1])
            return MappingProxyType({quad: (0.0, cq * unit**2)})
        on = self.applies_to(species)
        if self.kind == "magnetic":
            return MappingProxyType({quad: (0.0, unit**2 if on else 0.0)})
        return MappingProxyType({lin: (unit if on else 0.0, 0.0), quad: (0.0, unit**2 if on else 0.0)})


def _make():
    out = {}
    for i in (1, 2, 3):
        out[f"Lambda{i}"] = Parameter(f"Lambda{i}", "transition", None, "1e-10 mu_B", c.MU_UNIT, False,
                                      f"|Lambda_{i}|, Majorana transition moment in the mass basis "
                                      f"(real, other two zero)", index=i)
    names = {"e": "nue", "mu": "numu", "tau": "nutau"}
    for fl in FLAVOURS:
        tag = names[fl]
        out[f"mu_{tag}"] = Parameter(f"mu_{tag}", "magnetic", fl, "1e-10 mu_B", c.MU_UNIT, False,
                                     f"magnetic moment of nu_{fl} and anti-nu_{fl} (flavour-diagonal, effective)")
    out["mu_eff"] = Parameter("mu_eff", "magnetic", None, "1e-10 mu_B", c.MU_UNIT, False,
                              "one effective magnetic moment for every incident component of the source")
    for fl in FLAVOURS:
        tag = names[fl]
        out[f"q_{tag}"] = Parameter(f"q_{tag}", "millicharge", fl, "e", 1.0, True,
                                    f"electric charge of nu_{fl} in units of e (choice E1)", fit_scale=1e-8)
        out[f"r2_{tag}"] = Parameter(f"r2_{tag}", "charge_radius", fl, "cm^2", 1.0, True,
                                     f"charge radius <r^2> of nu_{fl} in cm^2 (choice E1)", fit_scale=1e-32)
    return MappingProxyType(out)


#: Every electromagnetic parameter by name (read-only).
PARAMETERS = _make()
#: The Standard-Model CEvNS rate scaled by x (rate fits of the released data; not an electromagnetic property).
SIGNAL_STRENGTH = Parameter("signal_strength", "signal", None, "", 1.0, False,
                            "Standard-Model CEvNS counts scaled by x")


def parameter_names():
    """The names of :data:`PARAMETERS`, in order."""
    return tuple(PARAMETERS)


def get_parameter(name):
    """The :class:`Parameter` of a name such as ``"mu_nue"``, ``"q_numu"``, ``"r2_nue"``, ``"Lambda1"`` (any case),
    or ``"signal_strength"``."""
    if isinstance(name, Parameter):
        return name
    if isinstance(name, str) and name.strip().casefold() == SIGNAL_STRENGTH.name:
        return SIGNAL_STRENGTH
    return match_name(name, PARAMETERS, "electromagnetic parameter")

