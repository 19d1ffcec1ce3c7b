"""Lindhard quenching, eq. (27), and conversions between nuclear-recoil and electron-equivalent energy.

Energies in keV: T_nr (keVnr) is the nuclear recoil energy, E_ee (keVee) the visible energy
E_ee = Q_f(T_nr) T_nr.
"""

import numpy as np
from scipy.optimize import brentq

from ._checks import check_nonnegative_array

THRESHOLD_KINDS = ("nr", "ee_approx", "ee_exact")


def lindhard(T_keV, Z, A):
    """Lindhard quenching factor Q_f(T_N) = k g / (1 + k g), eq. (27).

    g = 3 eps^0.15 + 0.7 eps^0.6 + eps, eps = 11.5 Z^(-7/3) T_N[keV], k = 0.133 Z^(2/3) A^(-1/2).
    ``A`` may be a non-integer mean mass number (natural element).
    """
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    if Z <= 0 or A <= 0:
        raise ValueError(f"Z and A must be positive, got Z={Z!r}, A={A!r}")
    eps = 11.5 * Z ** (-7.0 / 3.0) * T
    g = 3 * eps**0.15 + 0.7 * eps**0.6 + eps
    k = 0.133 * Z ** (2.0 / 3.0) * A ** (-0.5)
    return k * g / (1 + k * g)


def ee_from_nr(T_nr_keV, Z, A):
    """Electron-equivalent energy (keVee) of a nuclear recoil T_nr (keVnr): Q_f(T) T."""
    T = check_nonnegative_array(T_nr_keV, "T_nr_keV")
    return lindhard(T, Z, A) * T


def nr_from_ee(E_ee_keV, Z, A, method="exact"):
    """Nuclear-recoil energy (keVnr) that gives the visible energy E_ee (keVee).

    method="exact": solve Q_f(T) T = E_ee; method="approx": T = E_ee / Q_f(E_ee), the
    approximation that reproduces the paper's reactor thresholds (choice A5).
    """
    E = check_nonnegative_array(E_ee_keV, "E_ee_keV")
    if method == "approx":
        return np.where(E > 0, E / np.where(E > 0, lindhard(E, Z, A), 1.0), 0.0)
    if method != "exact":
        raise ValueError(f"unknown method {method!r}; allowed: 'exact', 'approx'")

    def solve(e):
        if e == 0:
            return 0.0
        return brentq(lambda t: ee_from_nr(t, Z, A) - e, e, 1e3 * e + 10.0, xtol=1e-12, rtol=1e-12)

    out = np.vectorize(solve, otypes=[float])(E)
    return out if out.ndim else float(out)


def threshold_nr_keV(threshold_keV, kind, Z, A):
    """Nuclear-recoil threshold from a printed threshold and its kind ("nr", "ee_approx", "ee_exact")."""
    if kind == "nr":
        return float(threshold_keV)
    if kind == "ee_approx":
        return float(nr_from_ee(threshold_keV, Z, A, "approx"))
    if kind == "ee_exact":
        return float(nr_from_ee(threshold_keV, Z, A, "exact"))
    raise ValueError(f"unknown threshold kind {kind!r}; allowed: {', '.join(THRESHOLD_KINDS)}")
