"""Quenching: the visible (electron-equivalent) energy of a nuclear recoil, Lindhard's eq. (27) and other models.

Energies in keV: T_nr (keVnr) is the nuclear recoil energy, E_ee (keVee) the visible energy E_ee = Q_f(T_nr) T_nr.

A quenching model is a frozen object with ``ee_keV(T_nr_keV, iso)`` (the visible energy of a recoil of the
isotope ``iso``), ``factor(T_nr_keV, iso)`` (Q_f = E_ee / T_nr) and ``nr_keV(E_ee_keV, iso)`` (the inverse):

* :class:`Lindhard` (the paper's eq. 27), with k = 0.133 Z^(2/3) A^(-1/2) per isotope unless k is given;
* :class:`ConstantQuenching`, a fixed factor (COHERENT's 2017 CsI analysis used 0.0878);
* :class:`PolynomialQuenching`, E_ee = sum_i c_i T^i with T and E in keV (or in MeV, ``unit="MeV"``);
* :class:`TableQuenching`, Q_f tabulated against T_nr, interpolated linearly.

Thresholds: a printed threshold is a nuclear-recoil energy (``"nr"``), an electron-equivalent energy converted
exactly by solving E_ee(T) = E_thr (``"ee"``), or converted with the approximation T = E_thr / Q_f(E_thr) that
reproduces the paper's reactor thresholds (``"ee_approx"``, choice A5).
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from ..validation import check_finite_array, check_finite_scalar, check_nonnegative_array, check_positive, check_table

__all__ = [
    "THRESHOLD_KINDS", "THRESHOLD_ALIASES", "threshold_kind", "lindhard", "ee_from_nr", "nr_from_ee", "Lindhard",
    "ConstantQuenching", "PolynomialQuenching", "TableQuenching", "QUENCHING_MODELS", "threshold_nr_keV"
]


#: Threshold readings; "ee_exact" is a declared alias of "ee".
THRESHOLD_KINDS = ("nr", "ee", "ee_approx")


THRESHOLD_ALIASES = {"ee_exact": "ee"}


def threshold_kind(kind):
    """The canonical threshold kind ("nr", "ee", "ee_approx"); "ee_exact" is accepted as an alias of "ee"."""
    kind = THRESHOLD_ALIASES.get(kind, kind)
    if kind not in THRESHOLD_KINDS:
        raise ValueError(f"unknown threshold kind {kind!r}; allowed: {', '.join(THRESHOLD_KINDS)} (alias: ee_exact)")
    return kind


def _zA(Z, A):
    Z = check_positive(Z, "Z")
    A = check_positive(A, "A")
    return Z, A


def lindhard(T_keV, Z, A, k=None):
    """Lindhard quenching factor Q_f(T_N) = k g / (1 + k g), eq. (27).

    g = 3 eps^0.15 + 0.7 eps^0.6 + eps, eps = 11.5 Z^(-7/3) T_N[keV], k = 0.133 Z^(2/3) A^(-1/2) unless given.
    ``A`` may be a non-integer mean mass number (natural element).
    """
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    Z, A = _zA(Z, A)
    eps = 11.5 * Z ** (-7.0 / 3.0) * T
    g = 3 * eps**0.15 + 0.7 * eps**0.6 + eps
    k = 0.133 * Z ** (2.0 / 3.0) * A ** (-0.5) if k is None else check_positive(k, "Lindhard k")
    return k * g / (1 + k * g)


def ee_from_nr(T_nr_keV, Z, A):
    """Electron-equivalent energy (keVee) of a nuclear recoil T_nr (keVnr): Q_f(T) T (Lindhard)."""
    T = check_nonnegative_array(T_nr_keV, "T_nr_keV")
    return lindhard(T, Z, A) * T


def _invert(ee_of_nr, E):
    """Solve ee_of_nr(T) = e for each e >= 0 (monotonic visible energy)."""

    def solve(e):
        if e == 0:
            return 0.0
        hi = max(e, 1e-6)
        while ee_of_nr(hi) < e:
            hi *= 2.0
            if hi > 1e9:
                raise ValueError(f"no recoil energy gives a visible energy of {e} keV")
        return brentq(lambda t: ee_of_nr(t) - e, 0.0, hi, xtol=1e-14, rtol=1e-12)

    out = np.vectorize(solve, otypes=[float])(E)
    return out if out.ndim else float(out)


def nr_from_ee(E_ee_keV, Z, A, method="exact"):
    """Nuclear-recoil energy (keVnr) that gives the visible energy E_ee (keVee), Lindhard quenching.

    method="exact": solve Q_f(T) T = E_ee; method="approx": T = E_ee / Q_f(E_ee), the
    approximation that reproduces the paper's reactor thresholds (choice A5).
    """
    E = check_nonnegative_array(E_ee_keV, "E_ee_keV")
    Z, A = _zA(Z, A)
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


class _Model:
    def factor(self, T_keV, iso):
        """Q_f = E_ee / T_nr at nuclear recoil energies T (keV); 0 at T = 0 is replaced by the limit."""
        T = check_nonnegative_array(T_keV, "recoil energy T_keV")
        Ts = np.where(T > 0, T, 1e-9)
        return self.ee_keV(Ts, iso) / Ts

    def nr_keV(self, E_ee_keV, iso):
        """Recoil energy (keVnr) whose visible energy is E_ee (keVee), by root finding."""
        E = check_nonnegative_array(E_ee_keV, "E_ee_keV")
        return _invert(lambda t: float(self.ee_keV(t, iso)), E)


@dataclass(frozen=True)
class Lindhard(_Model):
    """Lindhard quenching, eq. (27); ``k`` None means 0.133 Z^(2/3) A^(-1/2) for each isotope."""

    k: float | None = None

    def __post_init__(self):
        if self.k is not None:
            check_positive(self.k, "Lindhard k")

    def ee_keV(self, T_keV, iso):
        T = check_nonnegative_array(T_keV, "recoil energy T_keV")
        return lindhard(T, iso.Z, iso.A, self.k) * T

    def factor(self, T_keV, iso):
        return lindhard(T_keV, iso.Z, iso.A, self.k)

    def nr_keV(self, E_ee_keV, iso):
        if self.k is None:
            return nr_from_ee(E_ee_keV, iso.Z, iso.A, "exact")
        return super().nr_keV(E_ee_keV, iso)

    def describe(self):
        return "Lindhard, k = 0.133 Z^(2/3) A^(-1/2)" if self.k is None else f"Lindhard, k = {self.k:g}"


@dataclass(frozen=True)
class ConstantQuenching(_Model):
    """A fixed quenching factor, E_ee = value x T_nr."""

    value: float

    def __post_init__(self):
        v = check_positive(self.value, "quenching factor value")
        if v > 1:
            raise ValueError(f"a quenching factor must lie in (0, 1], got {self.value!r}")

    def ee_keV(self, T_keV, iso):
        return self.value * check_nonnegative_array(T_keV, "recoil energy T_keV")

    def nr_keV(self, E_ee_keV, iso):
        return check_nonnegative_array(E_ee_keV, "E_ee_keV") / self.value

    def describe(self):
        return f"constant Q_f = {self.value:g}"


@dataclass(frozen=True)
class PolynomialQuenching(_Model):
    """E_ee = sum_i c_i T^i (c_0 first), T and E_ee in ``unit`` ("keV" or "MeV"); must rise with T."""

    coefficients: tuple
    unit: str = "keV"

    def __post_init__(self):
        coeffs = tuple(check_finite_array(self.coefficients, "quenching polynomial coefficients").ravel())
        if len(coeffs) < 2:
            raise ValueError("a quenching polynomial needs at least two coefficients (c_0, c_1, ...)")
        object.__setattr__(self, "coefficients", coeffs)
        if self.unit not in ("keV", "MeV"):
            raise ValueError(f"unknown polynomial unit {self.unit!r}; allowed: 'keV', 'MeV'")

    def ee_keV(self, T_keV, iso):
        T = check_nonnegative_array(T_keV, "recoil energy T_keV")
        s = 1e-3 if self.unit == "MeV" else 1.0
        return np.polynomial.polynomial.polyval(T * s, self.coefficients) / s

    def describe(self):
        return f"polynomial E_ee(T) in {self.unit}, coefficients {self.coefficients}"


@dataclass(frozen=True)
class TableQuenching(_Model):
    """Q_f tabulated against T_nr (keV), linear interpolation, constant beyond the ends."""

    T_keV: tuple
    values: tuple
    source: str = ""

    def __post_init__(self):
        T, v = check_table(self.T_keV, self.values, "quenching table", "T_keV", "values")
        if np.any(v <= 0) or np.any(v > 1):
            raise ValueError("quenching table values must lie in (0, 1]")
        object.__setattr__(self, "T_keV", tuple(T))
        object.__setattr__(self, "values", tuple(v))

    def factor(self, T_keV, iso):
        return np.interp(check_nonnegative_array(T_keV, "recoil energy T_keV"), self.T_keV, self.values)

    def ee_keV(self, T_keV, iso):
        T = check_nonnegative_array(T_keV, "recoil energy T_keV")
        return self.factor(T, iso) * T

    def describe(self):
        return f"table of {len(self.T_keV)} points" + (f" ({self.source})" if self.source else "")


QUENCHING_MODELS = {"lindhard": Lindhard, "constant": ConstantQuenching, "polynomial": PolynomialQuenching,
                    "table": TableQuenching}


def threshold_nr_keV(threshold_keV, kind, Z, A, quenching=None, iso=None):
    """Nuclear-recoil threshold (keVnr) from a printed threshold and its kind ("nr", "ee", "ee_approx").

    Lindhard quenching for (Z, A) unless a ``quenching`` model (with its ``iso``) is given. "ee_approx" uses
    T = E / Q_f(E) (choice A5) and needs a model with a factor (Lindhard, constant or table).
    """
    thr = check_finite_scalar(threshold_keV, "threshold_keV")
    if thr < 0:
        raise ValueError(f"threshold_keV must be >= 0, got {threshold_keV!r}")
    kind = threshold_kind(kind)
    if kind == "nr" or thr == 0:
        return float(thr)
    if quenching is None or iso is None:
        return float(nr_from_ee(thr, Z, A, "approx" if kind == "ee_approx" else "exact"))
    if kind == "ee_approx":
        return float(thr / quenching.factor(thr, iso))
    return float(quenching.nr_keV(thr, iso))
