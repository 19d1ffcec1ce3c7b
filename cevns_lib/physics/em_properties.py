"""Neutrino electromagnetic properties in CEvNS: magnetic moments, millicharges and charge radii.

Besides the Majorana transition moments of the paper (:mod:`cevns_lib.physics.moments`), CEvNS constrains

* **magnetic moments** of each flavour (Dirac or effective moments): an incident nu_l or anti-nu_l adds the
  helicity-flip cross section of eq. (25) with mu_eff = mu_nul, incoherently,

      dsigma/dT += pi alpha^2 / m_e^2 (1/T - 1/E) Z^2 F_Z^2 mu_nul^2 ;

  ``mu_eff`` is one effective moment shared by every incident component of a source;
* **millicharges** q_nul (in units of the elementary charge e) and **charge radii** <r^2_nul> (in cm^2). Both
  enter the charge form factor of the neutrino, F_Q(q^2) = q_nul + q^2 <r^2_nul> / 6 at the four-momentum
  transfer q^2 = -2 M T (space-like), and the photon exchange with the protons adds to the Z exchange as a
  shift of the proton vector coupling (choice E1, derived in the book chapter "Other electromagnetic properties"):

      g_V^p  ->  g_V^p + (2 sqrt(2) pi alpha / G_F) F_Q(-2MT) / (2MT)  =  g_V^p - Q_r - Q_q,
      Q_r = sqrt(2) pi alpha / (3 G_F) <r^2_nul>,
      Q_q = 2 sqrt(2) pi alpha / (G_F q^2) q_nul = -2 sqrt(2) pi alpha q_nul / (G_F 2 M T).

  A positive charge (the proton's sign) raises g_V^p, a positive radius lowers it. The shift is the same for
  nu_l and anti-nu_l written with the neutrino's parameters: between antineutrino states the photon vertex and
  the V-A current both change sign (the antineutrino's charge, radius and weak charge are all opposite), so the
  relative sign of the two amplitudes, and the cross section, is the neutrino's. The cross section
  G_F^2 M / pi k(E, T) [(g_V^p - Q_r - Q_q) Z F_Z + g_V^n N F_N]^2 is a quadratic polynomial in the parameters,
  with an interference term linear in them. Only the diagonal (flavour-conserving) millicharges and charge radii
  are implemented; transition ones would add incoherently, Z^2 F_Z^2 |Q_ll'|^2.

The parameters themselves (names, units, coefficients) are in :mod:`cevns_lib.physics.parameters`. The library unit of a
magnetic moment in limits and on the command line is 1e-10 mu_B (as in Table 2); millicharges are in e and
charge radii in cm^2.
"""

from types import MappingProxyType

import numpy as np

from .. import constants as c
from ..validation import check_finite_scalar, check_nonnegative_array
from .cross_sections import broadcast_grid, magnetic_kinematics, resolve_model
from .nuclei import check_isotope

__all__ = [
    "CHARGE_RADIUS_SHIFT_PER_CM2", "MILLICHARGE_SHIFT_MEV2", "charge_radius_shift", "millicharge_shift", "dsigma",
    "recoil_terms", "TERM_KINEMATICS"
]




#: Dimensionless proton-coupling shift per cm^2 of charge radius: sqrt(2) pi alpha / (3 G_F) / (hbar c)^2.
CHARGE_RADIUS_SHIFT_PER_CM2 = np.sqrt(2.0) * np.pi * c.ALPHA_EM / (3.0 * c.G_F) / c.HBARC2_CM2_MEV2


#: Proton-coupling shift of a millicharge q (in e) times |q^2| (MeV^2): 2 sqrt(2) pi alpha / G_F. With the
#: space-like q^2 = -2 M T, Q_q = -MILLICHARGE_SHIFT_MEV2 q / (2 M T) (:func:`millicharge_shift`).
MILLICHARGE_SHIFT_MEV2 = 2.0 * np.sqrt(2.0) * np.pi * c.ALPHA_EM / c.G_F


def charge_radius_shift(r2_cm2):
    """Q_r = sqrt(2) pi alpha / (3 G_F) <r^2> (dimensionless) for a charge radius <r^2> in cm^2."""
    return CHARGE_RADIUS_SHIFT_PER_CM2 * check_finite_scalar(r2_cm2, "r2_cm2")


def millicharge_shift(q_e, T_keV, mass_MeV):
    """Q_q = 2 sqrt(2) pi alpha q / (G_F q^2) at the four-momentum transfer q^2 = -2 M T (dimensionless), at
    recoil energies T (keV) > 0: negative for q > 0, so that g_V^p - Q_q is larger (choice E1)."""
    q = check_finite_scalar(q_e, "q_e")
    mass_MeV = check_finite_scalar(mass_MeV, "mass_MeV")
    if mass_MeV <= 0:
        raise ValueError(f"mass_MeV must be > 0, got {mass_MeV!r}")
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    if np.any(T <= 0):
        raise ValueError("the millicharge amplitude diverges at T = 0: recoil energies must be > 0")
    return -MILLICHARGE_SHIFT_MEV2 * q / (2.0 * mass_MeV * T * 1e-3)


def _check_antineutrino(antineutrino):
    if not isinstance(antineutrino, (bool, np.bool_)):
        raise TypeError(f"antineutrino must be True or False, got {antineutrino!r}")


def dsigma(E_MeV, T_keV, iso, antineutrino=False, mu_muB=0.0, q_e=0.0, r2_cm2=0.0, model=None):
    """CEvNS cross section dsigma/dT (cm^2/keV) of one neutrino with electromagnetic properties.

    Weak amplitude with the proton coupling shifted by the millicharge ``q_e`` (e) and the charge radius
    ``r2_cm2`` (cm^2) of the neutrino, g_V^p - Q_r - Q_q, plus the magnetic term of a moment ``mu_muB`` (mu_B).
    ``antineutrino`` (True or False) is accepted for the record and does not change the result: written with the
    neutrino's parameters, the shift is the same for nu and anti-nu (choice E1), and so are the magnetic term and
    the Standard-Model term on a spin-zero nucleus. With all three zero this is
    :func:`cevns_lib.physics.dsigma_sm`.
    """
    iso = check_isotope(iso)
    model = resolve_model(model, None)
    E, T = broadcast_grid(E_MeV, T_keV)
    _check_antineutrino(antineutrino)
    mu = check_finite_scalar(mu_muB, "mu_muB")
    m = model.mass_MeV(iso)
    fz, fn = model.form_factors(T, iso)
    gp, gn = model.vector_couplings()
    shift = charge_radius_shift(r2_cm2) * np.ones_like(T, dtype=float)
    if check_finite_scalar(q_e, "q_e") != 0.0:
        shift = shift + millicharge_shift(q_e, np.where(T > 0, T, 1.0), m) * (T > 0)
    qv = (gp - shift) * iso.Z * fz + gn * iso.N * fn
    weak = c.G_F**2 * m / np.pi * qv**2 * model.vector_kinematics(E, T, m)
    mag = np.pi * c.ALPHA_EM**2 * mu**2 * iso.Z**2 / c.M_E**2 * magnetic_kinematics(E, T, m) * fz**2
    return (weak + mag) * c.HBARC2_CM2_MEV2 * 1e-3


def recoil_terms(T_keV, iso, model=None):
    """The recoil-energy dependence of every term of the event rate, per unit kinematic factor.

    Returns a read-only dict of arrays over T (keV > 0):

    * ``"sm"``: Q_V^2, the weak charge squared (Q_V = g_V^p Z F_Z + g_V^n N F_N);
    * ``"r2_lin"``, ``"r2_quad"``: -2 Q_V Z F_Z k_r and (Z F_Z k_r)^2, per cm^2 and cm^4 of charge radius
      (k_r = :data:`CHARGE_RADIUS_SHIFT_PER_CM2`);
    * ``"q_lin"``, ``"q_quad"``: +2 Q_V Z F_Z k_q and (Z F_Z k_q)^2, per e and e^2, with
      k_q(T) = 2 sqrt(2) pi alpha / (G_F 2 M T) > 0 (a charge enters with the opposite sign of a radius, choice E1);
    * ``"r2_q"``: -2 (Z F_Z)^2 k_r k_q, the cross term, per cm^2 e;
    * ``"mag"``: pi alpha^2 Z^2 F_Z^2 / (m_e^2 G_F^2 M / pi), the magnetic term per mu_B^2 relative to the
      weak prefactor;
    * ``"tensor_uu"``, ``"tensor_ud"``, ``"tensor_dd"``: 4 X_u^2, 4 X_u X_d, 4 X_d^2 with the valence-quark
      tensor charges X_u = 2 Z F_Z + N F_N, X_d = Z F_Z + 2 N F_N (tensor NSI, choice N6).

    Multiplying the weak and tensor terms by G_F^2 M / pi times their kinematic factors (vector, tensor) and
    the magnetic term by G_F^2 M / pi times (1/T - 1/E) gives cross sections in MeV^-3. Every term is the same
    for neutrinos and antineutrinos (choice E1).
    """
    iso = check_isotope(iso)
    model = resolve_model(model, None)
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    if np.any(T <= 0):
        raise ValueError("recoil energies must be > 0")
    m = model.mass_MeV(iso)
    fz, fn = model.form_factors(T, iso)
    gp, gn = model.vector_couplings()
    zf, nf = iso.Z * fz, iso.N * fn
    qv = gp * zf + gn * nf
    kr = CHARGE_RADIUS_SHIFT_PER_CM2
    kq = MILLICHARGE_SHIFT_MEV2 / (2.0 * m * T * 1e-3)       # -Q_q per e: Q_q is negative at q^2 = -2 M T
    xu, xd = 2 * zf + nf, zf + 2 * nf
    weak_pref = c.G_F**2 * m / np.pi
    out = {
        "sm": qv**2,
        "r2_lin": -2.0 * qv * zf * kr, "r2_quad": (zf * kr) ** 2,
        "q_lin": 2.0 * qv * zf * kq, "q_quad": (zf * kq) ** 2,
        "r2_q": -2.0 * zf**2 * kr * kq,
        "mag": np.pi * c.ALPHA_EM**2 * zf**2 / c.M_E**2 / weak_pref,
        "tensor_uu": 4.0 * xu**2, "tensor_ud": 4.0 * xu * xd, "tensor_dd": 4.0 * xd**2,
    }
    for v in out.values():
        v.flags.writeable = False
    return MappingProxyType(out)


#: Which kinematic factor multiplies each term of :func:`recoil_terms`.
TERM_KINEMATICS = MappingProxyType({
    "sm": "vector", "r2_lin": "vector", "r2_quad": "vector", "q_lin": "vector", "q_quad": "vector",
    "r2_q": "vector", "mag": "magnetic", "tensor_uu": "tensor", "tensor_ud": "tensor", "tensor_dd": "tensor",
})
