"""Neutrino sources: spallation-source decay-at-rest spectra (eq. 28) and the reactor antineutrino spectrum.

Energies in MeV; spectra are unit-normalised (MeV^-1) unless stated "per fission"; fluxes in
cm^-2 s^-1 and fluences in cm^-2.

A spectrum is a frozen object with ``pdf(E_MeV)``, ``e_max`` (MeV), ``breaks`` (energies where the
shape has a kink or jump, used as integration nodes) and ``line`` (the energy of a monochromatic
line, or None): the SNS decay-at-rest spectra, :class:`ReactorSpectrum` (the project's reactor model),
:class:`VogelEngel235U` and :class:`TableSpectrum` (a user's tabulated spectrum).

Flux components: one vocabulary for the incident neutrinos of every source. A :class:`Component` has a
name, a species ("nu_e", "nu_mu_bar", ...) and a time window ("prompt" or "delayed" at the SNS, "steady"
otherwise). The SNS has three (:data:`SNS_COMPONENTS`: "nu_mu_prompt", "nu_e", "nu_mu_bar"), a reactor one
("nu_e_bar"), a tabulated source one, named by its species. Selections of components (:func:`select`):
"all" (aliases "full" and "reactor"), "prompt", "delayed", "e-flavour", "mu-flavour", "tau-flavour", or a
tuple of component names.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from ._checks import check_finite_scalar, check_nonnegative_array, check_positive, check_table
from .constants import ALPHA_EM, M_E, M_MU, M_PI

# ---------------------------------------------------------------------------------------------
# Spallation source (pi+ decay at rest), eq. (28)
# ---------------------------------------------------------------------------------------------

#: Energy of the prompt nu_mu line from pi+ -> mu+ nu_mu at rest: (m_pi^2 - m_mu^2) / (2 m_pi) = 29.79 MeV.
E_PROMPT_MEV = (M_PI**2 - M_MU**2) / (2 * M_PI)
#: Endpoint of the muon-decay (Michel) spectra, W = m_mu / 2 = 52.83 MeV.
W_MEV = M_MU / 2
#: Neutrinos of each flavour per proton on target (COHERENT 2017).
SNS_NU_PER_POT = 0.08


def eta_nu_mu_bar(E_MeV):
    """Delayed anti-nu_mu spectrum, unit area on [0, m_mu/2]: 64/m_mu (E/m_mu)^2 (3/4 - E/m_mu)."""
    E = check_nonnegative_array(E_MeV, "E_MeV")
    x = E / M_MU
    return np.where(E <= W_MEV, 64.0 / M_MU * x**2 * (0.75 - x), 0.0)


def eta_nu_e(E_MeV):
    """Delayed nu_e spectrum, unit area on [0, m_mu/2]: 192/m_mu (E/m_mu)^2 (1/2 - E/m_mu)."""
    E = check_nonnegative_array(E_MeV, "E_MeV")
    x = E / M_MU
    return np.where(E <= W_MEV, 192.0 / M_MU * x**2 * (0.5 - x), 0.0)


def sns_fluence(n_pot, baseline_m, nu_per_pot=SNS_NU_PER_POT):
    """Fluence per flavour (cm^-2) at distance L: r N_POT / (4 pi L^2)."""
    n_pot = check_positive(n_pot, "protons on target")
    L = check_positive(baseline_m, "baseline (m)")
    r = check_positive(nu_per_pot, "neutrinos per flavour per POT")
    return r * n_pot / (4 * np.pi * (100.0 * L) ** 2)


@dataclass(frozen=True)
class Spectrum:
    """A unit-normalised neutrino spectrum (see the module docstring)."""

    name: str
    density: object = field(compare=True)
    e_max: float = 0.0
    breaks: tuple = ()
    line: float | None = None

    def pdf(self, E_MeV):
        if self.line is not None:
            raise ValueError(f"{self.name} is a monochromatic line at {self.line:.4f} MeV; it has no density")
        return self.density(E_MeV)


SNS_SPECTRA = MappingProxyType({
    "nu_mu_prompt": Spectrum("prompt nu_mu", None, e_max=E_PROMPT_MEV, line=E_PROMPT_MEV),
    "nu_e": Spectrum("delayed nu_e", eta_nu_e, e_max=W_MEV),
    "nu_mu_bar": Spectrum("delayed anti-nu_mu", eta_nu_mu_bar, e_max=W_MEV),
})

# ---------------------------------------------------------------------------------------------
# Flux components and selections
# ---------------------------------------------------------------------------------------------

SPECIES = ("nu_e", "nu_mu", "nu_tau", "nu_e_bar", "nu_mu_bar", "nu_tau_bar")


@dataclass(frozen=True)
class Component:
    """One incident neutrino component: ``name``, ``species`` (one of :data:`SPECIES`) and time ``window``."""

    name: str
    species: str
    window: str = "steady"

    def __post_init__(self):
        if self.species not in SPECIES:
            raise ValueError(f"unknown neutrino species {self.species!r}; allowed: {', '.join(SPECIES)}")
        if self.window not in ("prompt", "delayed", "steady"):
            raise ValueError(f"unknown time window {self.window!r}; allowed: prompt, delayed, steady")

    @property
    def flavour(self):
        """"e", "mu" or "tau"."""
        return self.species.split("_")[1]

    @property
    def antineutrino(self):
        return self.species.endswith("_bar")


#: The SNS components: the prompt nu_mu line and the delayed nu_e and anti-nu_mu of muon decay.
SNS_COMPONENTS = (Component("nu_mu_prompt", "nu_mu", "prompt"), Component("nu_e", "nu_e", "delayed"),
                  Component("nu_mu_bar", "nu_mu_bar", "delayed"))
#: The reactor component.
REACTOR_COMPONENTS = (Component("nu_e_bar", "nu_e_bar", "steady"),)

#: Named selections of components (aliases: "full" and "reactor" mean "all").
SELECTIONS = ("all", "prompt", "delayed", "e-flavour", "mu-flavour", "tau-flavour")
SELECTION_ALIASES = MappingProxyType({"full": "all", "reactor": "all"})


def select(components, selection="all"):
    """The components (a tuple) picked by a selection: a name of :data:`SELECTIONS` (or an alias) or a
    tuple of component names. Raises if the selection is unknown or picks nothing."""
    comps = tuple(components)
    if isinstance(selection, str):
        sel = SELECTION_ALIASES.get(selection, selection)
        if sel == "all":
            out = comps
        elif sel in ("prompt", "delayed"):
            out = tuple(c for c in comps if c.window == sel)
        elif sel.endswith("-flavour") and sel in SELECTIONS:
            out = tuple(c for c in comps if c.flavour == sel.split("-")[0])
        else:
            raise ValueError(f"unknown beam selection {selection!r}; allowed: {', '.join(SELECTIONS)} "
                             f"(aliases: full, reactor) or a tuple of component names")
    else:
        names = tuple(selection)
        known = {c.name: c for c in comps}
        bad = [n for n in names if n not in known]
        if bad or not names:
            raise ValueError(f"unknown component(s) {bad or names!r}; this source has {', '.join(known)}")
        out = tuple(known[n] for n in names)
    if not out:
        raise ValueError(f"beam selection {selection!r} picks none of the components {[c.name for c in comps]}")
    return out

# ---------------------------------------------------------------------------------------------
# Reactor antineutrinos (choice A7)
# ---------------------------------------------------------------------------------------------

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


def _gauss(a, b, n=96):
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (b - a) * x + 0.5 * (b + a), 0.5 * (b - a) * w


@lru_cache(maxsize=None)
def _beta_norm(q_MeV, z_daughter, fermi):
    x, w = _gauss(0.0, q_MeV, 200)
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
            x, w = _gauss(a, b)
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
    L = check_positive(baseline_m, "baseline (m)")
    ef = check_positive(energy_per_fission_MeV, "energy per fission (MeV)")
    fissions_per_s = P * 1e9 / (ef * 1.602176634e-13)
    return fissions_per_s * spectrum.nu_per_fission / (4 * np.pi * (100.0 * L) ** 2)


# ---------------------------------------------------------------------------------------------
# Other spectra: the Vogel-Engel 235U fit and tabulated spectra
# ---------------------------------------------------------------------------------------------

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
    x, w = _gauss(0.0, spectrum.e_max, 200)
    return float(np.sum(w * spectrum._shape(x)))


@dataclass(frozen=True)
class TableSpectrum:
    """A tabulated spectrum: energies (MeV, increasing) and dN/dE in any normalisation, interpolated linearly and
    normalised to unit area (trapezoid on the table's points). Zero outside the table."""

    E_MeV: tuple
    dN_dE: tuple
    name: str = "tabulated spectrum"
    line = None

    def __post_init__(self):
        E, f = check_table(self.E_MeV, self.dN_dE, f"spectrum table {self.name}", "E_MeV", "dN/dE")
        if np.any(f < 0):
            raise ValueError(f"{self.name}: dN/dE must be >= 0")
        area = float(np.trapezoid(f, E))
        if not area > 0:
            raise ValueError(f"{self.name}: the spectrum has zero area")
        object.__setattr__(self, "E_MeV", tuple(E))
        object.__setattr__(self, "dN_dE", tuple(f / area))

    @property
    def e_max(self):
        return self.E_MeV[-1]

    @property
    def breaks(self):
        return (self.E_MeV[0],) if self.E_MeV[0] > 0 else ()

    def pdf(self, E_MeV):
        E = check_nonnegative_array(E_MeV, "E_MeV")
        return np.interp(E, self.E_MeV, self.dN_dE, left=0.0, right=0.0)

    @property
    def density(self):
        return self.pdf


def read_spectrum_table(path, name=None):
    """A :class:`TableSpectrum` from a text file of two columns, E (MeV) and dN/dE, separated by commas or
    blanks; lines starting with '#' are comments."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"spectrum file {path} does not exist")
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.replace(",", " ").split()
        try:
            vals = [float(p) for p in parts]
        except ValueError:
            raise ValueError(f"{path}, line {n}: expected two numbers (E_MeV, dN/dE), got {line!r}") from None
        if len(vals) != 2:
            raise ValueError(f"{path}, line {n}: expected two numbers (E_MeV, dN/dE), got {line!r}")
        rows.append(vals)
    if not rows:
        raise ValueError(f"spectrum file {path} holds no rows")
    E, f = zip(*rows)
    try:
        return TableSpectrum(E, f, name=name or path.name)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def check_spectrum(spectrum, name="spectrum"):
    """Raise unless ``spectrum`` has the spectrum interface (pdf, e_max, breaks, line)."""
    missing = [a for a in ("pdf", "e_max", "breaks", "line") if not hasattr(spectrum, a)]
    if missing:
        raise TypeError(f"{name} must be a spectrum object with pdf(E), e_max, breaks and line; "
                        f"{type(spectrum).__name__} lacks {', '.join(missing)}")
    e_max = check_positive(spectrum.e_max, f"{name}.e_max (MeV)")
    if spectrum.line is not None and check_positive(spectrum.line, f"{name}.line (MeV)") > e_max + 1e-12:
        raise ValueError(f"{name}: the line energy lies above e_max")
    return spectrum
