"""CEvNS cross sections: Standard Model (eqs. 20-22), magnetic moment (eq. 25) and their sum (eq. 26).

Units: neutrino energy E_nu in MeV, recoil energy T_N in keV, differential cross sections in
cm^2 per keV of recoil energy, magnetic moments in Bohr magnetons. Every cross section is exactly
zero above the kinematic limit T_N^max(E_nu) = 2 E_nu^2 / (m_N + 2 E_nu).
"""

import numpy as np

from . import constants as c
from ._checks import check_finite_scalar, check_nonnegative_array
from .form_factors import form_factor


def t_max_keV(E_MeV, mass_MeV):
    """Maximum recoil energy (keV) for a neutrino of energy E (MeV) on a nucleus of mass m_N (MeV)."""
    E = check_nonnegative_array(E_MeV, "neutrino energy E_MeV")
    return 2.0 * E**2 / (mass_MeV + 2.0 * E) * 1e3


def e_min_MeV(T_keV, mass_MeV):
    """Minimum neutrino energy (MeV) that can give a recoil T_N (keV): [T + sqrt(T^2 + 2 m_N T)] / 2."""
    T = check_nonnegative_array(T_keV, "recoil energy T_keV") * 1e-3
    return 0.5 * (T + np.sqrt(T**2 + 2.0 * mass_MeV * T))


def quark_couplings(rho=c.RHO_NC, kappa=c.KAPPA_NC, s2w=c.SIN2_THETA_W,
                    lam_uL=c.LAMBDA_UL, lam_dL=c.LAMBDA_DL, lam_uR=c.LAMBDA_UR, lam_dR=c.LAMBDA_DR):
    """Neutral-current quark couplings with radiative corrections, eq. (22): (gLu, gLd, gRu, gRd)."""
    gLu = rho * (0.5 - 2.0 / 3.0 * kappa * s2w) + lam_uL
    gLd = rho * (-0.5 + 1.0 / 3.0 * kappa * s2w) + lam_dL
    gRu = rho * (-2.0 / 3.0 * kappa * s2w) + lam_uR
    gRd = rho * (1.0 / 3.0 * kappa * s2w) + lam_dR
    return gLu, gLd, gRu, gRd


def nucleon_vector_couplings():
    """(g_V^p, g_V^n) = (2(gLu+gRu) + (gLd+gRd), (gLu+gRu) + 2(gLd+gRd)): about 0.0306 and -0.5120."""
    gLu, gLd, gRu, gRd = quark_couplings()
    return 2 * (gLu + gRu) + (gLd + gRd), (gLu + gRu) + 2 * (gLd + gRd)


def nucleon_axial_couplings():
    """Axial combinations multiplying (Z+ - Z-) and (N+ - N-) in eq. (21)."""
    gLu, gLd, gRu, gRd = quark_couplings()
    return 2 * (gLu - gRu) + (gLd - gRd), (gLu - gRu) + 2 * (gLd - gRd)


def _grid(E_MeV, T_keV):
    E = check_nonnegative_array(E_MeV, "neutrino energy E_MeV")
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    return np.broadcast_arrays(E, T)


def weak_charges(T_keV, iso, form_factor_model="sf", spin_excess=(0.0, 0.0)):
    """Vector and axial charges Q_V, Q_A of eq. (21) at recoil energy T_N, with F_Z = F_N.

    ``spin_excess`` = (Z+ - Z-, N+ - N-); zero by default (Q_A is negligible for every target here).
    """
    F = form_factor(T_keV, iso, form_factor_model)
    gp, gn = nucleon_vector_couplings()
    ap, an = nucleon_axial_couplings()
    qv = (gp * iso.Z + gn * iso.N) * F
    qa = (ap * spin_excess[0] + an * spin_excess[1]) * F
    return qv, qa


def dsigma_sm(E_MeV, T_keV, iso, form_factor_model="sf", spin_excess=(0.0, 0.0)):
    """Standard-Model CEvNS cross section dsigma/dT_N in cm^2/keV, eq. (20).

    G_F^2 m_N / pi [Q_V^2 (1 - m_N T/(2E^2)) + Q_A^2 (1 + m_N T/(2E^2))], zero for T > T_max(E).
    Same for all flavours and for neutrinos and antineutrinos.
    """
    E, T = _grid(E_MeV, T_keV)
    m = iso.mass_MeV
    qv, qa = weak_charges(T, iso, form_factor_model, spin_excess)
    Es = np.where(E > 0, E, 1.0)
    x = m * T * 1e-3 / (2.0 * Es**2)
    val = c.G_F**2 * m / np.pi * (qv**2 * (1 - x) + qa**2 * (1 + x))  # MeV^-3
    allowed = (E > 0) & (T <= t_max_keV(E, m))
    return np.where(allowed, np.maximum(val, 0.0), 0.0) * c.HBARC2_CM2_MEV2 * 1e-3


def dsigma_em(E_MeV, T_keV, iso, mu_eff_sq=1.0, form_factor_model="sf"):
    """Magnetic-moment (helicity-flip) cross section dsigma/dT_N in cm^2/keV, eq. (25).

    pi alpha^2 mu_eff^2 Z^2 / m_e^2 (1/T_N - 1/E_nu) F_Z^2, with mu_eff^2 in mu_B^2
    (default 1, i.e. the cross section per unit mu_eff^2). Zero for T > T_max(E) and at T = 0.
    """
    E, T = _grid(E_MeV, T_keV)
    mu2 = check_finite_scalar(mu_eff_sq, "mu_eff_sq")
    if mu2 < 0:
        raise ValueError(f"mu_eff_sq must be >= 0, got {mu_eff_sq!r}")
    m = iso.mass_MeV
    F = form_factor(T, iso, form_factor_model)
    Ts = np.where(T > 0, T, 1.0) * 1e-3
    Es = np.where(E > 0, E, 1.0)
    val = np.pi * c.ALPHA_EM**2 * mu2 * iso.Z**2 / c.M_E**2 * (1.0 / Ts - 1.0 / Es) * F**2  # MeV^-3
    allowed = (E > 0) & (T > 0) & (T <= t_max_keV(E, m))
    return np.where(allowed, np.maximum(val, 0.0), 0.0) * c.HBARC2_CM2_MEV2 * 1e-3


def dsigma_total(E_MeV, T_keV, iso, mu_eff_sq=0.0, form_factor_model="sf"):
    """Incoherent sum of the SM and magnetic-moment cross sections, eq. (26), in cm^2/keV."""
    return dsigma_sm(E_MeV, T_keV, iso, form_factor_model) + dsigma_em(E_MeV, T_keV, iso, mu_eff_sq, form_factor_model)


def em_prefactor_cm2():
    """pi alpha^2 / m_e^2 (hbar c)^2 in cm^2 (about 2.495e-25)."""
    return np.pi * c.ALPHA_EM**2 / c.M_E**2 * c.HBARC2_CM2_MEV2
