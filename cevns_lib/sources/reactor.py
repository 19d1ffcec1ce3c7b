"""Reactor antineutrinos (choice A7): the project's spectrum model, the Vogel-Engel 235U fit, fluxes from power.

Mueller et al. (2011) above 2 MeV, Vogel-Engel fits joined continuously below 2 MeV, plus the 238U capture
chain. Energies in MeV; spectra per fission (MeV^-1 fission^-1) or unit-normalised (MeV^-1); fluxes in
cm^-2 s^-1; thermal powers in GW.
"""

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from ..constants import ALPHA_EM, M_E, MEV_J
from ..quadrature import gauss_interval
from ..validation import check_baseline, check_finite_scalar, check_nonnegative_array, check_positive

__all__ = [
    "REACTOR_ISOTOPES", "MUELLER_COEFFS", "VOGEL_ENGEL_COEFFS", "CAPTURE_CHAIN", "DEFAULT_FISSION_FRACTIONS",
    "E_JOIN_MEV", "mueller", "join_factor", "vogel_engel_joined", "allowed_beta_shape", "capture_chain",
    "ReactorSpectrum", "ENERGY_PER_FISSION_MEV", "reactor_flux_from_power", "VogelEngel235U"
]


REACTOR_ISOTOPES = ("235U", "238U", "239Pu", "241Pu")


#: Mueller et al. (2011) exp-polynomial coefficients alpha_0..alpha_5 (valid 2-8 MeV).
MUELLER_COEFFS = MappingProxyType({
    "235U": (3.217, -3.111, 1.395, -3.690e-1, 4.445e-2, -2.053e-3),
    "238U": (4.833e-1, 1.927e-1, -1.283e-1, -6.762e-3, 2.233e-3, -1.536e-4),
    "239Pu": (6.413, -7.432, 3.535, -8.820e-1, 1.025e-1, -4.550e-3),
    "241Pu": (3.251, -3.204, 1.428, -3.675e-1, 4.254e-2, -1.896e-3),
})


#: Vogel & Engel (1989) exp-quadratic fits a_0, a_1, a_2, used below 2 MeV after a continuous join.
VOGEL_ENGEL_COEFFS = MappingProxyType({
    "235U": (0.870, -0.160, -0.0910),
    "238U": (0.976, -0.162, -0.0790),
    "239Pu": (0.896, -0.239, -0.0981),
    "241Pu": (0.793, -0.080, -0.1085),
})


#: 238U neutron-capture chain: (endpoint Q in MeV, daughter Z) for 239U -> 239Np and 239Np -> 239Pu.
CAPTURE_CHAIN = ((1.26, 93), (0.72, 94))


#: Default fission fractions (typical power reactor; not given by the paper).
DEFAULT_FISSION_FRACTIONS = (("235U", 0.58), ("238U", 0.07), ("239Pu", 0.30), ("241Pu", 0.05))


E_JOIN_MEV = 2.0


def mueller(E_MeV, iso):
    """Mueller et al. spectrum per fission (MeV^-1) of one fissioning isotope, for 2 <= E <= E_max only.

    Raises ValueError below 2 MeV: the exp-polynomials blow up there (choice A7).
    """
    if iso not in MUELLER_COEFFS:
        raise ValueError(f"unknown fissioning isotope {iso!r}; allowed: {', '.join(REACTOR_ISOTOPES)}")
    E = check_nonnegative_array(E_MeV, "E_MeV")
    if np.any(E < E_JOIN_MEV - 1e-12):
        raise ValueError("the Mueller parametrisation must not be evaluated below 2 MeV")
    return np.exp(np.polynomial.polynomial.polyval(E, MUELLER_COEFFS[iso]))


def _fissioning(iso):
    if iso not in MUELLER_COEFFS:
        raise ValueError(f"unknown fissioning isotope {iso!r}; allowed: {', '.join(REACTOR_ISOTOPES)}")
    return iso


def join_factor(iso):
    """s_i: scale of the Vogel-Engel fit that makes it equal the Mueller spectrum at 2 MeV."""
    _fissioning(iso)
    a0, a1, a2 = VOGEL_ENGEL_COEFFS[iso]
    return float(mueller(E_JOIN_MEV, iso)) / np.exp(a0 + a1 * E_JOIN_MEV + a2 * E_JOIN_MEV**2)


def vogel_engel_joined(E_MeV, iso):
    """Fission-fragment spectrum below 2 MeV: s_i exp(a0 + a1 E + a2 E^2) (MeV^-1 fission^-1)."""
    E = check_nonnegative_array(E_MeV, "E_MeV")
    a0, a1, a2 = VOGEL_ENGEL_COEFFS[_fissioning(iso)]
    return join_factor(iso) * np.exp(a0 + a1 * E + a2 * E**2)


def allowed_beta_shape(E_MeV, q_MeV, z_daughter, fermi=True):
    """Unnormalised allowed beta-minus spectrum in the antineutrino energy E: F(Z, W) p W E^2.

    W = Q - E + m_e is the total electron energy, p its momentum; F is the non-relativistic Fermi
    function 2 pi eta / (1 - exp(-2 pi eta)), eta = alpha Z W / p (or 1 with ``fermi=False``).
    """
    E = check_nonnegative_array(E_MeV, "E_MeV")
    q_MeV = check_positive(q_MeV, "q_MeV (beta endpoint)")
    z_daughter = check_positive(z_daughter, "z_daughter")
    W = q_MeV - E + M_E
    p = np.sqrt(np.clip(W**2 - M_E**2, 0.0, None))
    inside = (E <= q_MeV) & (p > 0)
    if fermi:
        ps = np.where(inside, p, 1.0)
        two_pi_eta = 2 * np.pi * ALPHA_EM * z_daughter * W / ps
        pF = two_pi_eta * ps / (-np.expm1(-two_pi_eta))      # p F, finite as p -> 0
    else:
        pF = p
    return np.where(inside, pF * W * E**2, 0.0)


@lru_cache(maxsize=None)
def _beta_norm(q_MeV, z_daughter, fermi):
    x, w = gauss_interval(0.0, q_MeV, 200)
    return float(np.sum(w * allowed_beta_shape(x, q_MeV, z_daughter, fermi)))


def capture_chain(E_MeV, n_capture=0.6, fermi=True):
    """Antineutrinos per MeV per fission from 238U(n,gamma)239U -> 239Np -> 239Pu: 2 n_capture in total."""
    E = check_nonnegative_array(E_MeV, "E_MeV")
    n_capture = check_positive(n_capture, "n_capture (captures per fission)", allow_zero=True)
    return n_capture * sum(allowed_beta_shape(E, q, z, fermi) / _beta_norm(q, z, fermi) for q, z in CAPTURE_CHAIN)


@dataclass(frozen=True)
class ReactorSpectrum:
    """The project's reactor antineutrino spectrum (choice A7).

    Mueller et al. (2011) above 2 MeV, Vogel-Engel fits joined continuously below 2 MeV, plus the
    238U capture chain; normalised as a whole. Call :meth:`per_fission` for S(E) in
    antineutrinos / (MeV fission) and :meth:`pdf` for the unit-area shape.
    """

    fission_fractions: tuple = DEFAULT_FISSION_FRACTIONS
    n_capture: float = 0.6
    e_max: float = 10.0
    fermi_function: bool = True
    name: str = "reactor anti-nu_e"
    line = None

    def __post_init__(self):
        ff = self.fission_fractions
        if isinstance(ff, dict) or hasattr(ff, "items"):
            ff = tuple(ff.items())
        try:
            ff = tuple((str(iso), f) for iso, f in ff)
        except (TypeError, ValueError):
            raise TypeError(f"fission_fractions must be pairs (isotope, fraction) or a mapping, got {ff!r}") from None
        object.__setattr__(self, "fission_fractions", ff)
        total = 0.0
        for iso, f in self.fission_fractions:
            if iso not in MUELLER_COEFFS:
                raise ValueError(f"unknown fissioning isotope {iso!r}; allowed: {', '.join(REACTOR_ISOTOPES)}")
            if check_finite_scalar(f, "fission fraction") < 0:
                raise ValueError(f"fission fractions must be >= 0, got {f!r}")
            total += f
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"fission fractions must add up to 1, got {total}")
        check_positive(self.n_capture, "captures per fission", allow_zero=True)
        if check_finite_scalar(self.e_max, "e_max") <= E_JOIN_MEV:
            raise ValueError(f"e_max must exceed 2 MeV, got {self.e_max!r}")

    @property
    def breaks(self):
        return tuple(sorted({q for q, _ in CAPTURE_CHAIN} | {E_JOIN_MEV}))

    def fragments_per_fission(self, E_MeV):
        """Fission-fragment part of S(E) (MeV^-1 fission^-1), without the capture chain."""
        E = check_nonnegative_array(E_MeV, "E_MeV")
        low = E < E_JOIN_MEV
        out = np.zeros_like(E, dtype=float)
        Ehi = np.where(low, E_JOIN_MEV, np.minimum(E, self.e_max))
        for iso, f in self.fission_fractions:
            out = out + f * np.where(low, vogel_engel_joined(E, iso), mueller(Ehi, iso))
        return np.where(E <= self.e_max, out, 0.0)

    def per_fission(self, E_MeV):
        """S(E): antineutrinos per MeV per fission."""
        E = check_nonnegative_array(E_MeV, "E_MeV")
        return self.fragments_per_fission(E) + capture_chain(E, self.n_capture, self.fermi_function)

    def integral_per_fission(self, e_lo=0.0, e_hi=None, part="all"):
        """Antineutrinos per fission between e_lo and e_hi (MeV); part = "all", "fragments" or "capture"."""
        e_lo = check_positive(e_lo, "e_lo (MeV)", allow_zero=True)
        e_hi = self.e_max if e_hi is None else check_positive(e_hi, "e_hi (MeV)", allow_zero=True)
        if e_hi < e_lo:
            raise ValueError(f"e_hi = {e_hi} MeV lies below e_lo = {e_lo} MeV; give the bounds in increasing order")
        parts = {"all": self.per_fission, "fragments": self.fragments_per_fission,
                 "capture": lambda E: capture_chain(E, self.n_capture, self.fermi_function)}
        if part not in parts:
            raise ValueError(f"unknown part {part!r}; allowed: {', '.join(parts)}")
        func = parts[part]
        nodes = sorted({e_lo, e_hi} | {b for b in self.breaks if e_lo < b < e_hi})
        total = 0.0
        for a, b in zip(nodes[:-1], nodes[1:]):
            x, w = gauss_interval(a, b, 96)
            total += float(np.sum(w * func(x)))
        return total

    @property
    def nu_per_fission(self):
        """n_nu = integral of S(E) over [0, e_max] (about 6.7 with the defaults)."""
        return _nu_per_fission(self)

    def pdf(self, E_MeV):
        """Unit-area spectrum lambda_reactor(E) = S(E) / n_nu (MeV^-1)."""
        return self.per_fission(E_MeV) / self.nu_per_fission

    @property
    def density(self):
        return self.pdf


@lru_cache(maxsize=None)
def _nu_per_fission(spectrum):
    return spectrum.integral_per_fission()


#: Mean thermal energy released per fission (MeV), for power-based fluxes.
ENERGY_PER_FISSION_MEV = 202.0


def reactor_flux_from_power(power_GW, baseline_m, spectrum=ReactorSpectrum(),
                            energy_per_fission_MeV=ENERGY_PER_FISSION_MEV):
    """Total antineutrino flux (cm^-2 s^-1) at distance L from a reactor of thermal power P.

    Phi = P / <E_f> * n_nu / (4 pi L^2). For several cores, add the results.
    """
    P = check_positive(power_GW, "thermal power (GW)")
    L = check_baseline(baseline_m)
    ef = check_positive(energy_per_fission_MeV, "energy per fission (MeV)")
    if not hasattr(spectrum, "nu_per_fission"):
        raise TypeError(f"spectrum must be a reactor spectrum per fission (ReactorSpectrum), got {spectrum!r}")
    fissions_per_s = P * 1e9 / (ef * MEV_J)
    return fissions_per_s * spectrum.nu_per_fission / (4 * np.pi * (100.0 * L) ** 2)


@dataclass(frozen=True)
class VogelEngel235U:
    """Vogel-Engel (1989) 235U fit exp(0.870 - 0.160 E - 0.091 E^2), normalised to 1 on [0, e_max] (MeV^-1).

    A simple reactor spectrum (used by the tensor-NSI proceedings' reactor estimates, choice N16); it is
    unreliable below about 2 MeV.
    """

    e_max: float = 10.0
    name: str = "Vogel-Engel 235U"
    breaks: tuple = ()
    line = None

    def __post_init__(self):
        check_positive(self.e_max, "e_max (MeV)")

    def _shape(self, E):
        a0, a1, a2 = VOGEL_ENGEL_COEFFS["235U"]
        return np.exp(a0 + a1 * E + a2 * E**2)

    def pdf(self, E_MeV):
        E = check_nonnegative_array(E_MeV, "E_MeV")
        return np.where(E <= self.e_max, self._shape(E) / _ve_norm(self), 0.0)

    @property
    def density(self):
        return self.pdf


@lru_cache(maxsize=None)
def _ve_norm(spectrum):
    x, w = gauss_interval(0.0, spectrum.e_max, 200)
    return float(np.sum(w * spectrum._shape(x)))
