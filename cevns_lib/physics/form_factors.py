"""Nuclear form factors, eqs. (23)-(24) of arXiv:1905.03750, and two alternatives for comparison.

All functions take the momentum transfer q in fm^-1 and the mass number A, and return F(q)
with F(0) = 1. :func:`momentum_transfer_fm` converts a recoil energy to q = sqrt(2 m_N T_N).
"""

from types import MappingProxyType

import numpy as np
from scipy.special import spherical_jn

from ..constants import HBARC_MEV_FM
from ..validation import check_nonnegative_array, check_positive
from .nuclei import check_isotope

__all__ = [
    "SF_DIFFUSENESS_FM", "HELM_SKIN_FM", "KN_RANGE_FM", "momentum_transfer_fm", "sf_radius_fm", "symmetrized_fermi",
    "helm", "klein_nystrand", "unity", "FORM_FACTORS", "default_rms_radius_fm", "form_factor"
]


#: Diffuseness a (fm) and the half-density radius rule c = 1.23 A^(1/3) - 0.60 fm (Lewin & Smith 1996).
SF_DIFFUSENESS_FM = 0.52


HELM_SKIN_FM = 0.9


KN_RANGE_FM = 0.7


def momentum_transfer_fm(T_keV, mass_MeV):
    """q = sqrt(2 m_N T_N) / (hbar c) in fm^-1 for recoil energy T_N in keV."""
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    return np.sqrt(2.0 * check_positive(mass_MeV, "mass_MeV") * T * 1e-3) / HBARC_MEV_FM


def _mass_number(A):
    A = check_positive(A, "mass number A")
    if A < 1:
        raise ValueError(f"mass number A must be >= 1, got {A!r}")
    return A


def sf_radius_fm(A):
    """Half-density radius c = 1.23 A^(1/3) - 0.60 fm."""
    return 1.23 * np.cbrt(_mass_number(A)) - 0.60


def symmetrized_fermi(q_fm, A, a_fm=SF_DIFFUSENESS_FM):
    """Symmetrized-Fermi form factor, eq. (23) (Sprung & Martorell 1997).

    F(q) = 3 / (qc [(qc)^2 + (pi q a)^2]) * (pi q a / sinh(pi q a)) * [pi q a / tanh(pi q a) sin(qc) - qc cos(qc)]

    A series expansion is used for qc < 1e-3, where the closed form is 0/0.
    """
    q = check_nonnegative_array(q_fm, "q_fm")
    c = sf_radius_fm(A)
    x = q * c
    y = np.pi * q * a_fm
    small = x < 1e-3
    xs = np.where(small, 1.0, x)
    ys = np.where(small, 1.0, y)
    full = (3.0 / (xs * (xs**2 + ys**2)) * (ys / np.sinh(ys))
            * (ys / np.tanh(ys) * np.sin(xs) - xs * np.cos(xs)))
    # F = 1 - q^2 <r^2>/6 + ...; <r^2> = 3/5 c^2 + 7/5 (pi a)^2 for the SF distribution
    series = 1.0 - q**2 * (0.6 * c**2 + 1.4 * (np.pi * a_fm) ** 2) / 6.0
    return np.where(small, series, full)


def helm(q_fm, A, s_fm=HELM_SKIN_FM):
    """Helm form factor with the Lewin-Smith radius R0^2 = c^2 + 7/3 pi^2 a^2 - 5 s^2."""
    q = check_nonnegative_array(q_fm, "q_fm")
    c = sf_radius_fm(A)
    r0 = np.sqrt(c**2 + 7.0 / 3.0 * np.pi**2 * SF_DIFFUSENESS_FM**2 - 5 * s_fm**2)
    x = q * r0
    xs = np.where(x < 1e-4, 1.0, x)
    j = np.where(x < 1e-4, 1.0 - x**2 / 10.0, 3 * spherical_jn(1, xs) / xs)
    return j * np.exp(-(q * s_fm) ** 2 / 2)


def klein_nystrand(q_fm, A, r_fm=None, a_k_fm=KN_RANGE_FM):
    """Klein-Nystrand form factor: hard sphere (R_A = 1.2 A^(1/3) fm) folded with a Yukawa of range 0.7 fm."""
    q = check_nonnegative_array(q_fm, "q_fm")
    r = 1.2 * np.cbrt(_mass_number(A)) if r_fm is None else check_positive(r_fm, "r_fm")
    x = q * r
    xs = np.where(x < 1e-4, 1.0, x)
    j = np.where(x < 1e-4, 1.0 - x**2 / 10.0, 3 * spherical_jn(1, xs) / xs)
    return j / (1 + (q * a_k_fm) ** 2)


def unity(q_fm, A):
    """No nuclear structure: F = 1."""
    _mass_number(A)
    return np.ones_like(check_nonnegative_array(q_fm, "q_fm"), dtype=float)


FORM_FACTORS = MappingProxyType({"sf": symmetrized_fermi, "helm": helm, "kn": klein_nystrand, "none": unity})


def default_rms_radius_fm(model, A):
    """Root-mean-square radius (fm) of the density behind a form-factor model with its default parameters.

    Symmetrized Fermi: <r^2> = 3/5 c^2 + 7/5 (pi a)^2; Helm with the Lewin-Smith R0 has the same radius by
    construction (3/5 R0^2 + 3 s^2); Klein-Nystrand: 3/5 R_A^2 + 6 a_k^2. ``"none"`` (a point nucleus): 0.
    """
    if model not in FORM_FACTORS:
        raise ValueError(f"unknown form-factor model {model!r}; allowed: {', '.join(FORM_FACTORS)}")
    if model == "none":
        return 0.0
    if model == "kn":
        return float(np.sqrt(0.6 * (1.2 * np.cbrt(A)) ** 2 + 6.0 * KN_RANGE_FM**2))
    c = sf_radius_fm(A)
    return float(np.sqrt(0.6 * c**2 + 1.4 * (np.pi * SF_DIFFUSENESS_FM) ** 2))


def form_factor(T_keV, iso, model="sf", rms_radius_fm=None, mass_MeV=None):
    """F(q(T_N)) for an :class:`~cevns_lib.physics.Isotope` at recoil energy T_N (keV).

    ``model``: "sf" (symmetrized Fermi, the paper's choice), "helm", "kn" (Klein-Nystrand) or "none".
    ``rms_radius_fm``: the rms radius of the density (fm); None keeps the model's default
    (:func:`default_rms_radius_fm`). Another radius rescales the whole density, F(q) -> F(q R / R_default),
    which keeps its shape (for the symmetrized Fermi form, c and a scale together).
    ``mass_MeV``: the nuclear mass used in q = sqrt(2 M T) (default ``iso.mass_MeV``).
    """
    if model not in FORM_FACTORS:
        raise ValueError(f"unknown form-factor model {model!r}; allowed: {', '.join(FORM_FACTORS)}")
    iso = check_isotope(iso)
    q = momentum_transfer_fm(T_keV, iso.mass_MeV if mass_MeV is None else mass_MeV)
    if rms_radius_fm is not None and model != "none":
        r = check_positive(rms_radius_fm, "rms_radius_fm")
        q = q * (r / default_rms_radius_fm(model, iso.A))
    return FORM_FACTORS[model](q, iso.A)
