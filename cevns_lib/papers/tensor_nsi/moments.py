"""Neutrino magnetic moments induced by tensor couplings at one loop, eqs. (1.7)-(1.8) of the HNPS 2015 proceedings.

mu / mu_B = majorana_factor c_T G_F m_e m_f N_c Q_f / pi^2 eps ln(Lambda^2 / m_f^2) for a tensor coupling eps of
the neutrino to a fermion f (u, d quarks: eq. 1.7; charged leptons: eq. 1.8). The printed prefactor, the
cut-off Lambda and the quark masses of the proceedings are not available (choices N2, N3): every one is a
parameter, with Lambda = 1 TeV and current quark masses by default.
"""

from dataclasses import dataclass

import numpy as np

from ... import constants as c
from ...validation import check_choice, check_finite_array, check_positive
from .cross_sections import QUARKS

__all__ = [
    "M_QUARK_MEV", "Q_QUARK", "N_COLOURS", "M_LEPTON_MEV", "LAMBDA_TEV", "moment_per_unit_coupling",
    "magnetic_moment_quark", "magnetic_moment_lepton", "MomentModel", "DEFAULT_MOMENTS"
]


#: Current quark masses (MeV) used in eq. (1.7) (proceedings' values unknown, choice N2).
M_QUARK_MEV = {"u": 2.3, "d": 4.8}


#: Quark charges in units of e.
Q_QUARK = {"u": 2.0 / 3.0, "d": -1.0 / 3.0}


#: Number of colours.
N_COLOURS = 3


#: Charged-lepton masses (MeV) for eq. (1.8).
M_LEPTON_MEV = {"e": c.M_E, "mu": c.M_MU, "tau": c.M_TAU}


#: Default UV cut-off Lambda of eqs. (1.7)-(1.8), in TeV (proceedings' value unknown, choice N2).
LAMBDA_TEV = 1.0


def moment_per_unit_coupling(fermion="u", c_T=1.0, Lambda_TeV=LAMBDA_TEV, mass_MeV=None, majorana_factor=1.0,
                             n_colours=None):
    """mu / (mu_B eps) induced by a tensor coupling to ``fermion`` ("u", "d", "e", "mu", "tau").

    majorana_factor x c_T G_F m_e m_f N_c Q_f / pi^2 ln(Lambda^2 / m_f^2)   (dimensionless)

    c_T = C_T / G_F is the same normalisation as in :func:`dsigma_tensor`; N_c = 3 for quarks and 1
    for charged leptons; Q_f in units of e; ``mass_MeV`` overrides the default fermion mass
    (:data:`M_QUARK_MEV`, :data:`M_LEPTON_MEV`); Lambda in TeV must exceed the fermion mass. The sign
    follows Q_f (negative for d quarks and charged leptons). The printed prefactor of the proceedings
    is not known: this is the leading-logarithm one-loop form (choice N2).
    """
    if fermion in QUARKS:
        n_c, q_f, m_f = N_COLOURS, Q_QUARK[fermion], M_QUARK_MEV[fermion]
    elif fermion in M_LEPTON_MEV:
        n_c, q_f, m_f = 1, -1.0, M_LEPTON_MEV[fermion]
    else:
        raise ValueError(f"unknown fermion {fermion!r}; allowed: u, d, e, mu, tau")
    if n_colours is not None:
        n_c = check_positive(n_colours, "n_colours")
    if mass_MeV is not None:
        m_f = check_positive(mass_MeV, f"mass of {fermion} (MeV)")
    c_T = check_positive(c_T, "c_T (C_T in units of G_F)")
    lam = check_positive(Lambda_TeV, "cut-off Lambda (TeV)") * 1e6
    if lam <= m_f:
        raise ValueError(f"the cut-off Lambda = {Lambda_TeV} TeV must exceed the {fermion} mass {m_f} MeV")
    maj = check_positive(majorana_factor, "majorana_factor")
    return maj * c_T * c.G_F * c.M_E * m_f * n_c * q_f / np.pi**2 * np.log(lam**2 / m_f**2)


def magnetic_moment_quark(eps, quark="u", c_T=1.0, Lambda_TeV=LAMBDA_TEV, m_q_MeV=None, majorana_factor=1.0):
    """Neutrino magnetic moment (mu_B) induced by a quark tensor coupling eps^{qT}_{alpha beta}, eq. (1.7).

    mu / mu_B = majorana_factor c_T G_F m_e m_q N_c Q_q / pi^2 eps ln(Lambda^2 / m_q^2), c_T = C_T/G_F.
    The derived sensitivity mu(eps_90) does not depend on c_T: eps_90 scales as 1/c_T.
    """
    check_choice(quark, QUARKS, "quark")
    e = check_finite_array(eps, "eps")
    return e * moment_per_unit_coupling(quark, c_T, Lambda_TeV, m_q_MeV, majorana_factor)


def magnetic_moment_lepton(eps, lepton="e", c_T=1.0, Lambda_TeV=LAMBDA_TEV, m_l_MeV=None, majorana_factor=1.0):
    """Neutrino magnetic moment (mu_B) induced by a charged-lepton tensor coupling, eq. (1.8).

    As eq. (1.7) with N_c = 1, Q = -1 and the lepton mass m_l (e, mu or tau).
    """
    check_choice(lepton, tuple(M_LEPTON_MEV), "charged lepton")
    e = check_finite_array(eps, "eps")
    return e * moment_per_unit_coupling(lepton, c_T, Lambda_TeV, m_l_MeV, majorana_factor)


@dataclass(frozen=True)
class MomentModel:
    """Inputs of eq. (1.7) other than C_T: cut-off (TeV), quark masses (MeV), Majorana factor."""

    Lambda_TeV: float = LAMBDA_TEV
    m_u_MeV: float = M_QUARK_MEV["u"]
    m_d_MeV: float = M_QUARK_MEV["d"]
    majorana_factor: float = 1.0

    def __post_init__(self):
        for name in ("Lambda_TeV", "m_u_MeV", "m_d_MeV", "majorana_factor"):
            check_positive(getattr(self, name), name)
        self.per_unit("u")
        self.per_unit("d")

    def per_unit(self, quark, c_T=1.0):
        """mu / (mu_B eps^{qT}) for q = "u" or "d"."""
        check_choice(quark, QUARKS, "quark")
        m = self.m_u_MeV if quark == "u" else self.m_d_MeV
        return moment_per_unit_coupling(quark, c_T, self.Lambda_TeV, m, self.majorana_factor)


DEFAULT_MOMENTS = MomentModel()
