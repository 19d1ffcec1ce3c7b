"""Tensor non-standard interactions (NSI) in CEvNS and the neutrino magnetic moments they induce.

Reproduces the analysis of D.K. Papoulias and T.S. Kosmas, HNPS 2015 proceedings ("Probing
electromagnetic neutrino properties within the tensor non-standard neutrino-nucleus interactions"),
with the equation numbers (1.4)-(1.12) of the proceedings:

* (1.4) vector coherent cross section with non-universal (NU) and flavour-changing (FC) vector NSI,
  :func:`dsigma_vector`;
* (1.5)-(1.6) tensor coherent cross section and its nuclear matrix element built from Z, N and the
  proton and neutron form factors, :func:`dsigma_tensor`, :func:`tensor_charges`; no interference
  with the SM amplitude;
* (1.7)-(1.8) magnetic moments induced at one loop by quark and charged-lepton tensor couplings,
  :func:`magnetic_moment_quark`, :func:`magnetic_moment_lepton` (cut-off ``Lambda_TeV`` and the
  Lagrangian normalisation ``c_T`` = C_T / G_F explicit);
* (1.9)-(1.10) magnetic-moment and total cross sections, :func:`dsigma_magnetic`, :func:`dsigma_total`;
* (1.11) event numbers: :func:`component_events`, :func:`beam_events`, :func:`reactor_events`;
* (1.12) the statistics-only chi-square, :func:`delta_chi2`, :func:`epsilon_limit`, and the
  two-parameter regions, :func:`region_boundary`, :func:`region_area`;
* :func:`table_records`, the project's Table-1-shaped result (``python -m cevns_lib tensor``).

Units (package convention): neutrino energies E in MeV, recoil energies T_N in keV of nuclear recoil,
differential cross sections in cm^2/keV, total cross sections in cm^2, distances in m, masses in kg,
exposures in s, fluxes in cm^-2 s^-1 (per neutrino flavour at the SNS), magnetic moments in mu_B.
Couplings epsilon are dimensionless, relative to G_F.

Event numbers are linear in the squared couplings: for every target and beam component the library
computes once (cached) the SM number N_SM, the three tensor integrals a_uu, a_ud, a_dd with

    N_T(eps_u, eps_d) = c_T^2 [a_uu eps_u^2 + 2 a_ud eps_u eps_d + a_dd eps_d^2],

and the magnetic-moment events per mu_B^2; every coupling value, limit and contour afterwards is
arithmetic on these numbers (:class:`Events`).

The proceedings' own numbers (their Table 1, their reactor event numbers) are not available; every
unknown normalisation is an explicit parameter here, and the setups are data
(``data/inputs/tensor_setups.toml``, read on first use).
"""

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

from . import constants as c
from ._checks import check_finite_array, check_finite_scalar, check_nonnegative_array, check_positive
from .cross_sections import dsigma_em, t_max_keV
from .data import read_toml
from .fluxes import SNS_SPECTRA, VOGEL_ENGEL_COEFFS, ReactorSpectrum, Spectrum
from .form_factors import FORM_FACTORS, SF_DIFFUSENESS_FM, sf_radius_fm
from .form_factors import form_factor as _form_factor
from .nuclei import MATERIALS, isotope, number_of_nuclei
from .quenching import nr_from_ee
from .rates import energy_quadrature
from .statistics import chi2_literal

# ---------------------------------------------------------------------------------------------
# Defaults (each one an explicit parameter of the functions below)
# ---------------------------------------------------------------------------------------------

#: Weak mixing angle of the tree-level couplings g_V^p = 1/2 - 2 s^2, g_V^n = -1/2 (proceedings' value unknown).
SIN2_THETA_W = 0.2312
#: Current quark masses (MeV) used in eq. (1.7) (proceedings' values unknown).
M_QUARK_MEV = {"u": 2.3, "d": 4.8}
#: Quark charges in units of e.
Q_QUARK = {"u": 2.0 / 3.0, "d": -1.0 / 3.0}
#: Number of colours.
N_COLOURS = 3
#: Charged-lepton masses (MeV) for eq. (1.8).
M_LEPTON_MEV = {"e": c.M_E, "mu": c.M_MU, "tau": 1776.86}
#: Default UV cut-off Lambda of eqs. (1.7)-(1.8), in TeV (proceedings' value unknown).
LAMBDA_TEV = 1.0
#: Delta chi^2 of a one-parameter 90% C.L. limit.
DCHI2_90_1D = 2.706
#: Delta chi^2 of two-parameter regions, by confidence level in percent.
DCHI2_2D = {68: 2.30, 90: 4.61, 99: 9.21}
#: Flavour indices alpha, beta of the couplings.
FLAVOURS = ("e", "mu", "tau")
QUARKS = ("u", "d")
#: SNS beam components (keys of cevns_lib.fluxes.SNS_SPECTRA).
SNS_COMPONENTS = ("nu_mu_prompt", "nu_e", "nu_mu_bar")
#: Analysis beams -> the components counted together.
#: "nu_e": delayed nu_e only (alpha = e, as in the proceedings); "nu_mu": prompt nu_mu + delayed
#: anti-nu_mu (alpha = mu); "prompt" and "delayed" are the two beams compared in the two-parameter
#: plane (delayed = nu_e only, choice N12); "delayed_all" = nu_e + anti-nu_mu (mixes alpha = e
#: and mu: only meaningful if both flavours have the same couplings).
BEAMS = {
    "nu_e": ("nu_e",),
    "nu_mu": ("nu_mu_prompt", "nu_mu_bar"),
    "prompt": ("nu_mu_prompt",),
    "delayed": ("nu_e",),
    "delayed_all": ("nu_e", "nu_mu_bar"),
}
#: Incoming flavour alpha probed by each beam (None: a mixture).
BEAM_FLAVOUR = {"nu_e": "e", "nu_mu": "mu", "prompt": "mu", "delayed": "e", "delayed_all": None}
#: Reactor spectra known to :func:`spectrum`.
REACTOR_SPECTRA = ("vogel_engel_235U", "project")
#: Gauss-Legendre nodes in ln T_N and in E_nu (as cevns_lib.rates).
N_T, N_E = 48, 40

_CM2_PER_KEV = c.HBARC2_CM2_MEV2 * 1e-3     # MeV^-3 -> cm^2 / keV
_ISOTOPE_RE = re.compile(r"\d+[A-Z][a-z]?")


# ---------------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------------

def _check_choice(value, allowed, name):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(map(str, allowed))}")
    return value


def _flavour_index(flavour):
    if isinstance(flavour, (int, np.integer)) and not isinstance(flavour, bool) and 0 <= flavour < 3:
        return int(flavour)
    return FLAVOURS.index(_check_choice(flavour, FLAVOURS, "neutrino flavour"))


def _coupling_matrix(eps, name):
    """A 3x3 Hermitian coupling matrix in the flavour basis (e, mu, tau); None -> zeros."""
    if eps is None:
        return np.zeros((3, 3), dtype=complex)
    m = check_finite_array(eps, name, dtype=complex)
    if m.shape != (3, 3):
        raise ValueError(f"{name} must be a 3x3 matrix in the flavour basis (e, mu, tau), got shape {m.shape}")
    if not np.allclose(m, m.conj().T, rtol=0, atol=1e-12 * max(1.0, np.max(np.abs(m)))):
        raise ValueError(f"{name} must be Hermitian (the Lagrangian is), got {eps!r}")
    return m


def _tensor_row(eps, flavour, name):
    """Tensor couplings eps_{alpha beta} over the final flavour beta, for one incoming alpha.

    ``eps``: a number (one effective coupling, already summed over beta in eq. 1.6), a 3-vector over
    beta, or a 3x3 matrix (then ``flavour`` picks the row alpha).
    """
    arr = check_finite_array(eps, name, dtype=complex)
    if arr.ndim == 0:
        return arr.reshape(1)
    if arr.shape == (3,):
        return arr
    if arr.shape == (3, 3):
        if flavour is None:
            raise ValueError(f"{name} is a 3x3 matrix: give the incoming flavour ('e', 'mu' or 'tau')")
        return arr[_flavour_index(flavour)]
    raise ValueError(f"{name} must be a number, a 3-vector over beta or a 3x3 matrix, got shape {arr.shape}")


# ---------------------------------------------------------------------------------------------
# Nuclear model and cross sections, eqs. (1.4)-(1.10)
# ---------------------------------------------------------------------------------------------

def nucleus(target, nuclear_mass="A_u"):
    """The :class:`~cevns_lib.nuclei.Isotope` of a target such as ``"76Ge"``, with the nuclear-mass convention.

    ``nuclear_mass``: "A_u" (M = A x 931.494 MeV, the chapter's default, choice N14) or "nuclear"
    (atomic mass minus Z electron masses, the convention of :func:`cevns_lib.nuclei.isotope`).
    """
    if isinstance(target, str):
        iso = isotope(target)
    elif hasattr(target, "Z") and hasattr(target, "A") and hasattr(target, "mass_MeV"):
        iso = target
    else:
        raise TypeError(f"target must be an isotope name such as '76Ge' or an Isotope, got {target!r}")
    _check_choice(nuclear_mass, ("A_u", "nuclear"), "nuclear-mass convention")
    if nuclear_mass == "A_u":
        return dataclasses.replace(iso, mass_MeV=iso.A * c.AMU_MEV)
    return isotope(f"{iso.A}{iso.symbol}")


@dataclass(frozen=True)
class CrossSectionModel:
    """Choices that enter the cross sections (every one stated beside the results).

    form_factor : "helm" (default), "sf" (symmetrized Fermi), "kn" (Klein-Nystrand) or "none" (F = 1).
        The QRPA form factors of the proceedings are not available (choice N13).
    neutron_skin_fm : R_n - R_p in fm. 0 gives F_N = F_Z; otherwise F_N(q) = F(q R_n/R_p), the proton
        distribution stretched to a larger rms radius (R_p from the Fermi parameters c, a).
    sin2_theta_w : weak mixing angle of the tree-level nucleon couplings (default 0.2312).
    nucleon_couplings : (g_V^p, g_V^n) to use instead of the tree-level ones (e.g.
        cevns_lib.cross_sections.nucleon_vector_couplings(), with radiative corrections).
    keep_T_over_E : keep the -T/E and T^2/E^2 terms of the kinematic brackets (default off, choice N9).
    nuclear_mass : "A_u" (default) or "nuclear", see :func:`nucleus`.
    """

    form_factor: str = "helm"
    neutron_skin_fm: float = 0.0
    sin2_theta_w: float = SIN2_THETA_W
    nucleon_couplings: tuple | None = None
    keep_T_over_E: bool = False
    nuclear_mass: str = "A_u"

    def __post_init__(self):
        _check_choice(self.form_factor, tuple(FORM_FACTORS), "form-factor model")
        check_finite_scalar(self.neutron_skin_fm, "neutron_skin_fm")
        s2 = check_finite_scalar(self.sin2_theta_w, "sin2_theta_w")
        if not 0 < s2 < 1:
            raise ValueError(f"sin2_theta_w must be in (0, 1), got {self.sin2_theta_w!r}")
        if self.nucleon_couplings is not None:
            g = tuple(self.nucleon_couplings)
            if len(g) != 2:
                raise ValueError(f"nucleon_couplings must be (g_V^p, g_V^n), got {self.nucleon_couplings!r}")
            object.__setattr__(self, "nucleon_couplings",
                               tuple(check_finite_scalar(x, "nucleon coupling") for x in g))
        if not isinstance(self.keep_T_over_E, bool):
            raise TypeError(f"keep_T_over_E must be True or False, got {self.keep_T_over_E!r}")
        _check_choice(self.nuclear_mass, ("A_u", "nuclear"), "nuclear-mass convention")

    def nucleus(self, target):
        """The target nucleus with this model's mass convention."""
        return nucleus(target, self.nuclear_mass)

    def vector_couplings(self):
        """(g_V^p, g_V^n): 1/2 - 2 sin^2(theta_W) and -1/2 unless overridden."""
        if self.nucleon_couplings is not None:
            return self.nucleon_couplings
        return 0.5 - 2.0 * self.sin2_theta_w, -0.5

    def form_factors(self, T_keV, iso):
        """(F_Z, F_N) at recoil energy T_N (keV), with q = sqrt(2 M T_N) / (hbar c)."""
        T = check_nonnegative_array(T_keV, "recoil energy T_keV")
        fz = _form_factor(T, iso, self.form_factor)
        if self.neutron_skin_fm == 0.0:
            return fz, fz
        c_fm = sf_radius_fm(iso.A)
        r_p = np.sqrt(0.6 * c_fm**2 + 1.4 * (np.pi * SF_DIFFUSENESS_FM) ** 2)
        stretch = (r_p + self.neutron_skin_fm) / r_p
        if stretch <= 0:
            raise ValueError(f"neutron_skin_fm = {self.neutron_skin_fm} gives a negative neutron radius")
        return fz, _form_factor(T * stretch**2, iso, self.form_factor)   # q ~ sqrt(T)

    def describe(self):
        gp, gn = self.vector_couplings()
        ff = {"helm": "Helm", "sf": "symmetrized Fermi", "kn": "Klein-Nystrand", "none": "F = 1"}[self.form_factor]
        skin = "F_Z = F_N" if self.neutron_skin_fm == 0 else f"neutron skin {self.neutron_skin_fm:g} fm"
        return (f"{ff} ({skin}); g_V^p = {gp:.4f}, g_V^n = {gn:.4f}; -T/E terms "
                f"{'kept' if self.keep_T_over_E else 'dropped'}; M = "
                f"{'A u' if self.nuclear_mass == 'A_u' else 'nuclear mass'}")


DEFAULT_MODEL = CrossSectionModel()


def _iso(target, model):
    """A name goes through the model's mass convention; an Isotope object is used as given."""
    if isinstance(target, str):
        return model.nucleus(target)
    if hasattr(target, "Z") and hasattr(target, "A") and hasattr(target, "mass_MeV"):
        return target
    raise TypeError(f"target must be an isotope name such as '76Ge' or an Isotope, got {target!r}")


def _grid(E_MeV, T_keV):
    E = check_nonnegative_array(E_MeV, "neutrino energy E_MeV")
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    return np.broadcast_arrays(E, T)


def _kinematic(E, T_keV, mass_MeV, slope, keep):
    """1 - M T / (slope E^2) [- T/E + T^2/(slope E^2)], exactly 0 above T_max(E) (slope 2: vector, 4: tensor)."""
    T = T_keV * 1e-3
    Es = np.where(E > 0, E, 1.0)
    k = 1.0 - mass_MeV * T / (slope * Es**2)
    if keep:
        k = k - T / Es + T**2 / (slope * Es**2)
    allowed = (E > 0) & (T_keV <= t_max_keV(E, mass_MeV))
    return np.where(allowed, np.maximum(k, 0.0), 0.0)


def tensor_charges(T_keV, target, model=DEFAULT_MODEL):
    """(X_u, X_d) = (2 Z F_Z + N F_N, Z F_Z + 2 N F_N) at recoil energy T_N (keV), eq. (1.6).

    For one effective coupling pair the tensor matrix element is eps_u X_u + eps_d X_d
    (valence-quark counting: proton uud, neutron udd).
    """
    iso = _iso(target, model)
    fz, fn = model.form_factors(T_keV, iso)
    return 2 * iso.Z * fz + iso.N * fn, iso.Z * fz + 2 * iso.N * fn


def degeneracy_slope(target):
    """k = (A + N) / (A + Z): with F_Z = F_N a single target cannot tell eps_u = -k eps_d from zero."""
    iso = nucleus(target)
    return (iso.A + iso.N) / (iso.A + iso.Z)


def dsigma_vector(E_MeV, T_keV, target, flavour="e", eps_uV=None, eps_dV=None, model=DEFAULT_MODEL):
    """Coherent vector cross section dsigma/dT_N in cm^2/keV, eq. (1.4), SM plus vector NSI.

    G_F^2 M / pi (1 - M T/(2E^2)) |G_V|^2, with
    |G_V|^2 = [(g_V^p + 2 e^u_aa + e^d_aa) Z F_Z + (g_V^n + e^u_aa + 2 e^d_aa) N F_N]^2
              + sum_{b != a} |(2 e^u_ab + e^d_ab) Z F_Z + (e^u_ab + 2 e^d_ab) N F_N|^2.

    Parameters
    ----------
    E_MeV, T_keV : neutrino energy (MeV) and recoil energy (keV), broadcast together.
    target : isotope name ("76Ge") or Isotope.
    flavour : incoming flavour alpha, "e", "mu" or "tau".
    eps_uV, eps_dV : 3x3 Hermitian matrices of vector couplings eps^{qV}_{alpha beta} in the flavour
        basis (e, mu, tau): the diagonal holds the non-universal (NU), the off-diagonal the
        flavour-changing (FC) couplings. None = 0 (the SM).
    model : :class:`CrossSectionModel`.

    Zero above T_max(E); identical for neutrinos and antineutrinos at this order.
    """
    E, T = _grid(E_MeV, T_keV)
    iso = _iso(target, model)
    a = _flavour_index(flavour)
    eu = _coupling_matrix(eps_uV, "eps_uV")
    ed = _coupling_matrix(eps_dV, "eps_dV")
    fz, fn = model.form_factors(T, iso)
    gp, gn = model.vector_couplings()
    zf, nf = iso.Z * fz, iso.N * fn
    diag = (gp + 2 * eu[a, a].real + ed[a, a].real) * zf + (gn + eu[a, a].real + 2 * ed[a, a].real) * nf
    g2 = diag**2
    for b in range(3):
        if b != a:
            g2 = g2 + np.abs((2 * eu[a, b] + ed[a, b]) * zf + (eu[a, b] + 2 * ed[a, b]) * nf) ** 2
    m = iso.mass_MeV
    kin = _kinematic(E, T, m, 2.0, model.keep_T_over_E)
    return c.G_F**2 * m / np.pi * kin * g2 * _CM2_PER_KEV


def dsigma_tensor(E_MeV, T_keV, target, eps_uT=0.0, eps_dT=0.0, flavour=None, c_T=1.0, model=DEFAULT_MODEL):
    """Coherent tensor-NSI cross section dsigma/dT_N in cm^2/keV, eqs. (1.5)-(1.6).

    c_T^2 4 G_F^2 M / pi (1 - M T/(4E^2)) sum_beta [eps^u_{alpha beta} X_u + eps^d_{alpha beta} X_d]^2,
    X_u = 2 Z F_Z + N F_N, X_d = Z F_Z + 2 N F_N.

    Parameters
    ----------
    eps_uT, eps_dT : tensor couplings: numbers (one effective coupling per incoming flavour), 3-vectors
        over the final flavour beta, or 3x3 matrices (then give ``flavour``).
    c_T : C_T / G_F, the normalisation of the tensor Lagrangian (1.3); kappa_T = c_T^2 (default 1,
        which gives the prefactor 4 G_F^2 M / pi).

    No interference with the SM amplitude: add it to :func:`dsigma_vector`. Identical for neutrinos
    and antineutrinos. Exactly zero above T_max(E) = 2E^2/(M + 2E) and never negative.
    """
    E, T = _grid(E_MeV, T_keV)
    c_T = check_positive(c_T, "c_T (C_T in units of G_F)")
    iso = _iso(target, model)
    ru = _tensor_row(eps_uT, flavour, "eps_uT")
    rd = _tensor_row(eps_dT, flavour, "eps_dT")
    if ru.shape != rd.shape:
        if np.all(rd == 0):
            rd = np.zeros_like(ru)
        elif np.all(ru == 0):
            ru = np.zeros_like(rd)
        else:
            raise ValueError(f"eps_uT and eps_dT must have the same shape, got {ru.shape} and {rd.shape}")
    xu, xd = tensor_charges(T, iso, model)
    g2 = sum(np.abs(u * xu + d * xd) ** 2 for u, d in zip(ru, rd))
    m = iso.mass_MeV
    kin = _kinematic(E, T, m, 4.0, model.keep_T_over_E)
    return c_T**2 * 4.0 * c.G_F**2 * m / np.pi * kin * g2 * _CM2_PER_KEV


def dsigma_magnetic(E_MeV, T_keV, target, mu_nu=0.0, model=DEFAULT_MODEL):
    """Magnetic-moment cross section dsigma/dT_N in cm^2/keV, eq. (1.9), proton form factor only.

    pi alpha^2 mu_nu^2 / m_e^2 (1/T_N - 1/E) Z^2 F_Z^2, mu_nu the effective (transition) moment in mu_B.
    Uses :func:`cevns_lib.cross_sections.dsigma_em` with the model's nucleus and form factor.
    """
    mu = check_finite_scalar(mu_nu, "mu_nu (mu_B)")
    return dsigma_em(E_MeV, T_keV, _iso(target, model), mu**2, model.form_factor)


def dsigma_total(E_MeV, T_keV, target, flavour="e", eps_uV=None, eps_dV=None, eps_uT=0.0, eps_dT=0.0,
                 mu_nu=0.0, c_T=1.0, model=DEFAULT_MODEL):
    """Total cross section (cm^2/keV), eq. (1.10): vector (SM + vector NSI) + tensor + magnetic, added incoherently."""
    return (dsigma_vector(E_MeV, T_keV, target, flavour, eps_uV, eps_dV, model)
            + dsigma_tensor(E_MeV, T_keV, target, eps_uT, eps_dT, flavour, c_T, model)
            + dsigma_magnetic(E_MeV, T_keV, target, mu_nu, model))


def total_cross_section(E_MeV, target, kind="vector", threshold_keV=0.0, c_T=1.0, model=DEFAULT_MODEL, n=64):
    """Integrated cross section sigma(E) in cm^2 from T_thres to T_max(E).

    ``kind``: "vector" (SM), "tensor_u" (eps_uT = 1) or "tensor_d" (eps_dT = 1). Zero where
    T_max(E) <= T_thres. Gauss-Legendre with ``n`` nodes in T_N.
    """
    _check_choice(kind, ("vector", "tensor_u", "tensor_d"), "cross-section kind")
    E = check_nonnegative_array(E_MeV, "neutrino energy E_MeV")
    thr = check_positive(threshold_keV, "threshold (keV)", allow_zero=True)
    iso = _iso(target, model)
    tmax = t_max_keV(E, iso.mass_MeV)
    length = np.clip(tmax - thr, 0.0, None)
    x, w = np.polynomial.legendre.leggauss(n)
    T = thr + 0.5 * length[..., None] * (x + 1.0)
    Eg = E[..., None]
    if kind == "vector":
        ds = dsigma_vector(Eg, T, iso, "e", model=model)
    else:
        ds = dsigma_tensor(Eg, T, iso, float(kind == "tensor_u"), float(kind == "tensor_d"), c_T=c_T, model=model)
    return np.sum(0.5 * length[..., None] * w * ds, axis=-1)


# ---------------------------------------------------------------------------------------------
# Induced magnetic moments, eqs. (1.7)-(1.8)
# ---------------------------------------------------------------------------------------------

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
    _check_choice(quark, QUARKS, "quark")
    e = check_finite_array(eps, "eps")
    return e * moment_per_unit_coupling(quark, c_T, Lambda_TeV, m_q_MeV, majorana_factor)


def magnetic_moment_lepton(eps, lepton="e", c_T=1.0, Lambda_TeV=LAMBDA_TEV, m_l_MeV=None, majorana_factor=1.0):
    """Neutrino magnetic moment (mu_B) induced by a charged-lepton tensor coupling, eq. (1.8).

    As eq. (1.7) with N_c = 1, Q = -1 and the lepton mass m_l (e, mu or tau).
    """
    _check_choice(lepton, tuple(M_LEPTON_MEV), "charged lepton")
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
        _check_choice(quark, QUARKS, "quark")
        m = self.m_u_MeV if quark == "u" else self.m_d_MeV
        return moment_per_unit_coupling(quark, c_T, self.Lambda_TeV, m, self.majorana_factor)


DEFAULT_MOMENTS = MomentModel()


# ---------------------------------------------------------------------------------------------
# Set-ups (data/inputs/tensor_setups.toml, read on first use)
# ---------------------------------------------------------------------------------------------

def _check_target(target):
    if not isinstance(target, str) or not _ISOTOPE_RE.fullmatch(target) or target not in MATERIALS:
        allowed = [m for m in MATERIALS if _ISOTOPE_RE.fullmatch(m)]
        raise ValueError(f"unknown mono-isotopic target {target!r}; allowed: {', '.join(allowed)}")
    return target


class _Exposure:
    """Shared by the tensor-NSI setups: fluence, number of targets and status tags."""

    @property
    def fluence_cm2(self):
        """Time-integrated flux per flavour (cm^-2)."""
        return self.flux_cm2_s * self.exposure_s

    @property
    def n_targets(self):
        """Number of target nuclei (mono-isotopic, cevns_lib.nuclei.number_of_nuclei)."""
        return number_of_nuclei(self.target, self.mass_kg)[0][1]

    def status_of(self, name):
        return dict(self.status).get(name, "")


@dataclass(frozen=True)
class TensorSetup(_Exposure):
    """A COHERENT-like detector at the SNS (units in the field names).

    The flux of each flavour at distance L is phi_20m_cm2_s (reference_distance_m / L)^2; the event
    numbers are K = N_targ Phi t_tot times the (flat) efficiency, eq. (1.11).
    """

    target: str
    distance_m: float
    mass_kg: float
    threshold_keV: float
    efficiency: float = 1.0
    exposure_s: float = 3.156e7
    phi_20m_cm2_s: float = 2.5e7
    reference_distance_m: float = 20.0
    status: tuple = field(default=(), compare=False)

    def __post_init__(self):
        _check_target(self.target)
        check_positive(self.distance_m, "distance (m)")
        check_positive(self.mass_kg, "detector mass (kg)")
        check_positive(self.threshold_keV, "threshold (keV)")
        eff = check_finite_scalar(self.efficiency, "efficiency")
        if not 0 < eff <= 1:
            raise ValueError(f"efficiency must be in (0, 1], got {self.efficiency!r}")
        check_positive(self.exposure_s, "exposure (s)")
        check_positive(self.phi_20m_cm2_s, "flux at the reference distance (cm^-2 s^-1)")
        check_positive(self.reference_distance_m, "reference distance (m)")

    @property
    def label(self):
        return f"{self.target} ({self.distance_m:g} m)"

    @property
    def flux_cm2_s(self):
        """Flux of each flavour at the detector (cm^-2 s^-1)."""
        return self.phi_20m_cm2_s * (self.reference_distance_m / self.distance_m) ** 2



@dataclass(frozen=True)
class ReactorSetup(_Exposure):
    """A TEXONO- or GEMMA-like 76Ge detector at a reactor (units in the field names)."""

    experiment: str
    reactor: str
    target: str
    power_GW: float
    distance_m: float
    flux_cm2_s: float
    mass_kg: float
    exposure_s: float
    thresholds_keV: tuple
    efficiency: float = 1.0
    spectrum: str = "vogel_engel_235U"
    mu_limit_muB: float | None = None
    mu_limit_reference: str = ""
    mu_limit_earlier_muB: float | None = None
    mu_limit_earlier_reference: str = ""
    status: tuple = field(default=(), compare=False)

    def __post_init__(self):
        _check_target(self.target)
        for name in ("power_GW", "distance_m", "flux_cm2_s", "mass_kg", "exposure_s"):
            check_positive(getattr(self, name), f"{self.experiment} {name}")
        object.__setattr__(self, "thresholds_keV",
                           tuple(check_positive(t, f"{self.experiment} threshold (keV)") for t in self.thresholds_keV))
        eff = check_finite_scalar(self.efficiency, "efficiency")
        if not 0 < eff <= 1:
            raise ValueError(f"efficiency must be in (0, 1], got {self.efficiency!r}")
        _check_choice(self.spectrum, REACTOR_SPECTRA, "reactor spectrum")

    @property
    def label(self):
        return f"{self.experiment}-like {self.target}"


@lru_cache(maxsize=None)
def _load():
    cfg = read_toml("inputs", "tensor_setups.toml")
    sns = cfg["sns"]
    norm = {k: v for k, v in sns.items() if not isinstance(v, dict)}
    sns_list = []
    for entry in cfg["sns_setup"]:
        kw = {k: v for k, v in entry.items() if k != "status"}
        kw.update(exposure_s=norm["exposure_s"], phi_20m_cm2_s=norm["phi_20m_cm2_s"],
                  reference_distance_m=norm["reference_distance_m"])
        status = dict(entry.get("status", {}))
        status.update(sns.get("status", {}))
        sns_list.append(TensorSetup(**kw, status=tuple(sorted(status.items()))))
    reactor_list = []
    for entry in cfg["reactor_setup"]:
        kw = {k: v for k, v in entry.items() if k != "status"}
        kw["thresholds_keV"] = tuple(kw["thresholds_keV"])
        reactor_list.append(ReactorSetup(**kw, status=tuple(sorted(entry.get("status", {}).items()))))
    variant = sns["beam_power_variant"]
    return (tuple(sorted(norm.items())), tuple(sorted(sns.get("status", {}).items())),
            tuple(sorted((k, v) for k, v in variant.items() if k != "status")), tuple(sns_list), tuple(reactor_list))


def sns_normalisation():
    """The SNS normalisation inputs as a dict: phi_20m_cm2_s, reference_distance_m, exposure_s, status,
    and the beam-power variant (nu_per_pot, power_MW, proton_energy_GeV, phi_20m_cm2_s)."""
    norm, status, variant, _, _ = _load()
    out = dict(norm)
    out["status"] = dict(status)
    var = dict(variant)
    var["phi_20m_cm2_s"] = beam_power_flux(var["nu_per_pot"], var["power_MW"], var["proton_energy_GeV"],
                                           out["reference_distance_m"])
    out["beam_power_variant"] = var
    return out


def beam_power_flux(nu_per_pot, power_MW, proton_energy_GeV, distance_m=20.0):
    """Flux per flavour (cm^-2 s^-1) from the beam: r (P / E_p) / (4 pi L^2)."""
    r = check_positive(nu_per_pot, "neutrinos per flavour per proton")
    p = check_positive(power_MW, "beam power (MW)")
    ep = check_positive(proton_energy_GeV, "proton energy (GeV)")
    L = check_positive(distance_m, "distance (m)")
    protons_per_s = p * 1e6 / (ep * 1e9 * 1.602176634e-19)
    return r * protons_per_s / (4 * np.pi * (100.0 * L) ** 2)


def sns_setups(phi_20m_cm2_s=None, exposure_s=None):
    """The four COHERENT-like setups (20Ne, 40Ar, 76Ge at 20 m; 132Xe at 40 m), optionally with another
    flux normalisation (cm^-2 s^-1 per flavour at 20 m) or exposure (s)."""
    out = _load()[3]
    changes = {}
    if phi_20m_cm2_s is not None:
        changes["phi_20m_cm2_s"] = check_positive(phi_20m_cm2_s, "phi_20m_cm2_s")
    if exposure_s is not None:
        changes["exposure_s"] = check_positive(exposure_s, "exposure_s")
    return tuple(dataclasses.replace(s, **changes) for s in out) if changes else out


def sns_setup(target, **changes):
    """The SNS setup of one target ("20Ne", "40Ar", "76Ge", "132Xe"), with optional field changes."""
    for s in _load()[3]:
        if s.target == target:
            return dataclasses.replace(s, **changes) if changes else s
    raise ValueError(f"no SNS setup for target {target!r}; allowed: {', '.join(s.target for s in _load()[3])}")


def reactor_setups():
    """The TEXONO- and GEMMA-like 76Ge setups."""
    return _load()[4]


def reactor_setup(experiment, **changes):
    """The reactor setup of ``experiment`` ("TEXONO" or "GEMMA"), with optional field changes."""
    for s in _load()[4]:
        if s.experiment.lower() == str(experiment).lower():
            return dataclasses.replace(s, **changes) if changes else s
    raise ValueError(f"unknown reactor experiment {experiment!r}; allowed: "
                     f"{', '.join(s.experiment for s in _load()[4])}")


def reactor_flux_estimate(power_GW, distance_m, nu_per_fission=6.0, energy_per_fission_MeV=200.0):
    """Cross-check of a reactor flux (cm^-2 s^-1): P n_nu / (E_f 4 pi L^2)."""
    P = check_positive(power_GW, "thermal power (GW)")
    L = check_positive(distance_m, "distance (m)")
    n = check_positive(nu_per_fission, "antineutrinos per fission")
    ef = check_positive(energy_per_fission_MeV, "energy per fission (MeV)")
    return P * 1e9 / (ef * 1.602176634e-13) * n / (4 * np.pi * (100.0 * L) ** 2)


# ---------------------------------------------------------------------------------------------
# Spectra
# ---------------------------------------------------------------------------------------------

_VE_EMAX = 10.0


def _ve235_shape(E):
    a0, a1, a2 = VOGEL_ENGEL_COEFFS["235U"]
    return np.exp(a0 + a1 * E + a2 * E**2)


@lru_cache(maxsize=None)
def _ve235_norm():
    x, w = np.polynomial.legendre.leggauss(200)
    E = 0.5 * _VE_EMAX * (x + 1.0)
    return float(np.sum(0.5 * _VE_EMAX * w * _ve235_shape(E)))


def vogel_engel_235u(E_MeV):
    """Vogel-Engel 235U fit exp(0.870 - 0.160 E - 0.091 E^2), normalised to 1 on 0-10 MeV (MeV^-1)."""
    E = check_nonnegative_array(E_MeV, "E_MeV")
    return np.where(E <= _VE_EMAX, _ve235_shape(E) / _ve235_norm(), 0.0)


@lru_cache(maxsize=None)
def spectrum(name):
    """A unit-area spectrum object by name: the SNS components "nu_mu_prompt" (a line), "nu_e",
    "nu_mu_bar" (cevns_lib.fluxes.SNS_SPECTRA), or the reactor spectra "vogel_engel_235U" and "project"
    (cevns_lib.fluxes.ReactorSpectrum: Mueller + Vogel-Engel + capture chain)."""
    if name in SNS_SPECTRA:
        return SNS_SPECTRA[name]
    if name == "vogel_engel_235U":
        return Spectrum("Vogel-Engel 235U", vogel_engel_235u, e_max=_VE_EMAX)
    if name == "project":
        return ReactorSpectrum()
    raise ValueError(f"unknown spectrum {name!r}; allowed: {', '.join(tuple(SNS_SPECTRA) + REACTOR_SPECTRA)}")


# ---------------------------------------------------------------------------------------------
# Event numbers, eq. (1.11)
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Events:
    """Event numbers of one count (a target and a beam or beam component).

    n_sm : SM events (eq. 1.4 with eps^V = 0), the pseudo-data of eq. (1.12).
    a_uu, a_ud, a_dd : tensor events for unit couplings at c_T = 1, so that
        N_T(eps_u, eps_d) = c_T^2 (a_uu eps_u^2 + 2 a_ud eps_u eps_d + a_dd eps_d^2).
    n_em : magnetic-moment events per mu_B^2 (eq. 1.9).
    """

    label: str
    n_sm: float
    a_uu: float
    a_ud: float
    a_dd: float
    n_em: float

    def tensor(self, eps_u, eps_d=0.0, c_T=1.0):
        """Tensor events N_T(eps_u, eps_d) (vectorised over the couplings)."""
        u = check_finite_array(eps_u, "eps_u")
        d = check_finite_array(eps_d, "eps_d")
        c_T = check_positive(c_T, "c_T")
        return c_T**2 * (self.a_uu * u**2 + 2 * self.a_ud * u * d + self.a_dd * d**2)

    def tensor_unit(self, quark):
        """N_T(1): tensor events for eps^{qT} = 1 (the other coupling zero), c_T = 1."""
        return {"u": self.a_uu, "d": self.a_dd}[_check_choice(quark, QUARKS, "quark")]

    def total(self, eps_u=0.0, eps_d=0.0, c_T=1.0, mu_nu=0.0):
        """SM + tensor + magnetic events (no interference terms), eq. (1.10) integrated."""
        mu = check_finite_array(mu_nu, "mu_nu")
        return self.n_sm + self.tensor(eps_u, eps_d, c_T) + self.n_em * mu**2

    def matrix(self, c_T=1.0):
        """The 2x2 matrix A with N_T = (eps_u, eps_d) A (eps_u, eps_d)^T."""
        return check_positive(c_T, "c_T") ** 2 * np.array([[self.a_uu, self.a_ud], [self.a_ud, self.a_dd]])

    def scaled(self, factor):
        """All numbers times ``factor`` (flux x mass x time)."""
        f = check_positive(factor, "scale factor")
        return Events(self.label, self.n_sm * f, self.a_uu * f, self.a_ud * f, self.a_dd * f, self.n_em * f)

    def __add__(self, other):
        if not isinstance(other, Events):
            return NotImplemented
        return Events(f"{self.label} + {other.label}", self.n_sm + other.n_sm, self.a_uu + other.a_uu,
                      self.a_ud + other.a_ud, self.a_dd + other.a_dd, self.n_em + other.n_em)


@lru_cache(maxsize=1024)
def unit_integrals(target, component, threshold_keV, model=DEFAULT_MODEL, n_t=N_T, n_e=N_E):
    """Per nucleus and unit fluence (cm^2): (SM, tensor uu, tensor ud, tensor dd, magnetic per mu_B^2).

    int dE eta(E) int_{T_thres}^{T_max(E)} dT dsigma/dT, with the tensor pieces at unit couplings and
    c_T = 1. Gauss-Legendre in ln T_N from the threshold to T_max(E_max); for each T_N node, in E from
    E_min(T_N) to E_max (the pattern of cevns_lib.rates.isotope_yields). A line spectrum (prompt
    nu_mu) is evaluated at its energy. Cached: computed once per target, component and model.
    """
    iso = model.nucleus(target)
    spectrum_ = spectrum(component)
    thr = check_positive(threshold_keV, "threshold (keV)")
    m = iso.mass_MeV
    e_top = spectrum_.line if spectrum_.line is not None else spectrum_.e_max
    t_hi = float(t_max_keV(e_top, m))
    if thr >= t_hi:
        return (0.0,) * 5
    xt, wt = np.polynomial.legendre.leggauss(n_t)
    a, b = np.log(thr), np.log(t_hi)
    T = np.exp(0.5 * (b - a) * xt + 0.5 * (b + a))
    wT = 0.5 * (b - a) * wt * T                        # dT = T d(ln T)
    xu, xd = tensor_charges(T, iso, model)
    fz, fn = model.form_factors(T, iso)
    gp, gn = model.vector_couplings()
    qv = gp * iso.Z * fz + gn * iso.N * fn
    keep = model.keep_T_over_E
    if spectrum_.line is not None:
        E = np.full_like(T, spectrum_.line)
        kv = _kinematic(E, T, m, 2.0, keep)
        kt = _kinematic(E, T, m, 4.0, keep)
        ke = dsigma_em(spectrum_.line, T, iso, 1.0, model.form_factor)
    else:
        E, w = energy_quadrature(T, m, spectrum_, n_e)
        kv = np.sum(w * _kinematic(E, T[:, None], m, 2.0, keep), axis=1)
        kt = np.sum(w * _kinematic(E, T[:, None], m, 4.0, keep), axis=1)
        ke = np.sum(w * dsigma_em(E, T[:, None], iso, 1.0, model.form_factor), axis=1)
    pref = c.G_F**2 * m / np.pi * _CM2_PER_KEV
    sm = np.sum(wT * pref * kv * qv**2)
    t = 4.0 * pref * wT * kt
    return (float(sm), float(np.sum(t * xu**2)), float(np.sum(t * xu * xd)), float(np.sum(t * xd**2)),
            float(np.sum(wT * ke)))


def component_events(setup, component, model=DEFAULT_MODEL, n_t=N_T, n_e=N_E):
    """:class:`Events` of one SNS beam component ("nu_mu_prompt", "nu_e", "nu_mu_bar") for a :class:`TensorSetup`.

    K_SNS = N_targ Phi(L) t_tot (times the efficiency) multiplies the integrals of :func:`unit_integrals`.
    """
    if not isinstance(setup, TensorSetup):
        raise TypeError(f"setup must be a TensorSetup, got {setup!r}")
    _check_choice(component, SNS_COMPONENTS, "SNS beam component")
    k = setup.n_targets * setup.fluence_cm2 * setup.efficiency
    vals = unit_integrals(setup.target, component, setup.threshold_keV, model, n_t, n_e)
    return Events(f"{setup.label} {component}", *(k * v for v in vals))


def beam_counts(setup, beam, model=DEFAULT_MODEL, mu_beam_mode="combined"):
    """The independent counts of a beam: one :class:`Events` (``mu_beam_mode="combined"``, the default,
    choice N11) or one per component (``"separate"``: prompt and delayed time windows)."""
    _check_choice(beam, tuple(BEAMS), "beam")
    _check_choice(mu_beam_mode, ("combined", "separate"), "mu_beam_mode")
    comps = [component_events(setup, comp, model) for comp in BEAMS[beam]]
    if mu_beam_mode == "separate":
        return tuple(comps)
    total = comps[0]
    for e in comps[1:]:
        total = total + e
    return (dataclasses.replace(total, label=f"{setup.label} {beam}"),)


def beam_events(setup, beam, model=DEFAULT_MODEL):
    """:class:`Events` of an analysis beam ("nu_e", "nu_mu", "prompt", "delayed", "delayed_all"), one combined count."""
    return beam_counts(setup, beam, model)[0]


def reactor_events(setup, threshold_keV=None, model=DEFAULT_MODEL, threshold_kind="nr"):
    """:class:`Events` of a reactor setup at one threshold (anti-nu_e, alpha = e).

    ``threshold_keV`` defaults to the setup's first threshold; ``threshold_kind`` "nr" (nuclear recoil,
    default) or "ee" (electron-equivalent, converted with the Lindhard factor of cevns_lib.quenching).
    """
    if not isinstance(setup, ReactorSetup):
        raise TypeError(f"setup must be a ReactorSetup, got {setup!r}")
    thr = setup.thresholds_keV[0] if threshold_keV is None else check_positive(threshold_keV, "threshold (keV)")
    _check_choice(threshold_kind, ("nr", "ee"), "threshold kind")
    if threshold_kind == "ee":
        iso = model.nucleus(setup.target)
        thr = float(nr_from_ee(thr, iso.Z, iso.A))
    k = setup.n_targets * setup.fluence_cm2 * setup.efficiency
    vals = unit_integrals(setup.target, setup.spectrum, thr, model)
    return Events(f"{setup.label} T > {thr:.3g} keVnr", *(k * v for v in vals))


# ---------------------------------------------------------------------------------------------
# Statistics, eq. (1.12), limits and regions
# ---------------------------------------------------------------------------------------------

def _counts(counts):
    out = (counts,) if isinstance(counts, Events) else tuple(counts)
    if not out or not all(isinstance(e, Events) for e in out):
        raise TypeError("counts must be an Events or a non-empty sequence of Events")
    for e in out:
        if not e.n_sm > 0:
            raise ValueError(f"{e.label}: no SM events, the chi-square of eq. (1.12) is undefined")
    return out


def _em_matrix(c_T, moments):
    v = np.array([moments.per_unit("u", c_T), moments.per_unit("d", c_T)])
    return np.outer(v, v)


def chi2_proceedings(n_nsi, n_sm):
    """Eq. (1.12): ((N_SM - N_NSI) / sqrt(N_SM))^2 (cevns_lib.statistics.chi2_literal without nuisance)."""
    return chi2_literal(n_nsi, n_sm, 0.0)


def delta_chi2(counts, eps_u, eps_d=0.0, c_T=1.0, include_em=False, moments=DEFAULT_MOMENTS):
    """Delta chi^2 of eq. (1.12) summed over independent counts, at tensor couplings (eps_u, eps_d).

    N_NSI = N_SM + N_T(eps) (no interference; the minimum, 0, is at eps = 0). With ``include_em`` the
    magnetic events of the induced moment mu = mu_u eps_u + mu_d eps_d (eq. 1.7) are added (choice N18).
    Vectorised over eps_u, eps_d.
    """
    counts = _counts(counts)
    u = check_finite_array(eps_u, "eps_u")
    d = check_finite_array(eps_d, "eps_d")
    em = _em_matrix(c_T, moments) if include_em else np.zeros((2, 2))
    total = 0.0
    for e in counts:
        a = e.matrix(c_T) + e.n_em * em
        x = a[0, 0] * u**2 + 2 * a[0, 1] * u * d + a[1, 1] * d**2
        total = total + chi2_proceedings(e.n_sm + x, e.n_sm)
    return total


def epsilon_limit(counts, quark="u", level=DCHI2_90_1D, c_T=1.0, include_em=False, moments=DEFAULT_MOMENTS):
    """One-parameter limit |eps^{qT}| where Delta chi^2 = ``level`` (default 2.706, 90% C.L.), the other coupling 0.

    Closed form: chi^2 = eps^4 sum_i N_T,i(1)^2 / N_SM,i, so eps = (level / sum_i N_T,i(1)^2 / N_SM,i)^(1/4);
    for one count (2.706 N_SM)^(1/4) / sqrt(N_T(1)). Scales as (flux mass time)^(-1/4) and as 1/c_T.
    """
    counts = _counts(counts)
    _check_choice(quark, QUARKS, "quark")
    level = check_positive(level, "Delta chi^2 level")
    i = QUARKS.index(quark)
    em = _em_matrix(c_T, moments) if include_em else np.zeros((2, 2))
    s = sum((e.matrix(c_T)[i, i] + e.n_em * em[i, i]) ** 2 / e.n_sm for e in counts)
    if not s > 0:
        raise ValueError("no tensor events: the coupling is unconstrained")
    return float((level / s) ** 0.25)


def epsilon_limit_numeric(counts, quark="u", level=DCHI2_90_1D, c_T=1.0):
    """The same limit found by root finding on :func:`delta_chi2` (a check of the closed form)."""
    counts = _counts(counts)
    _check_choice(quark, QUARKS, "quark")
    level = check_positive(level, "Delta chi^2 level")

    def f(x):
        args = (x, 0.0) if quark == "u" else (0.0, x)
        return float(delta_chi2(counts, *args, c_T=c_T)) - level

    hi = 1e-3
    while f(hi) < 0:
        hi *= 2.0
        if hi > 1e6:
            raise ValueError("no tensor events: the coupling is unconstrained")
    return brentq(f, 0.0, hi, xtol=1e-15, rtol=1e-13)


def moment_limit(eps_limit, quark, c_T=1.0, moments=DEFAULT_MOMENTS):
    """|mu| (mu_B) implied by a coupling limit through eq. (1.7)."""
    return float(abs(magnetic_moment_quark(eps_limit, quark, c_T, moments.Lambda_TeV,
                                           moments.m_u_MeV if quark == "u" else moments.m_d_MeV,
                                           moments.majorana_factor)))


def _g_theta(counts, theta, c_T):
    cu, sd = np.cos(theta), np.sin(theta)
    g = 0.0
    for e in counts:
        a = e.matrix(c_T)
        g = g + (a[0, 0] * cu**2 + 2 * a[0, 1] * cu * sd + a[1, 1] * sd**2) ** 2 / e.n_sm
    return g


def region_boundary(counts, level=DCHI2_2D[90], c_T=1.0, n_theta=3601):
    """Boundary of the allowed region Delta chi^2 <= level in the (eps_u, eps_d) plane.

    chi^2 = r^4 g(theta) along each ray, so the region is star-shaped with boundary
    r(theta) = (level / g(theta))^(1/4). Returns (eps_u, eps_d) arrays (inf where g = 0: a flat
    direction, as along eps_u = -k eps_d for a single target with F_Z = F_N).
    """
    counts = _counts(counts)
    level = check_positive(level, "Delta chi^2 level")
    if int(n_theta) < 8:
        raise ValueError(f"n_theta must be at least 8, got {n_theta!r}")
    theta = np.linspace(0.0, 2 * np.pi, int(n_theta))
    g = _g_theta(counts, theta, c_T)
    gmax = np.max(g)
    with np.errstate(divide="ignore"):
        r = np.where(g > 1e-14 * gmax, (level / np.where(g > 0, g, 1.0)) ** 0.25, np.inf)
    return r * np.cos(theta), r * np.sin(theta)


def is_closed(counts, rtol=1e-12):
    """True if the allowed regions of these counts are bounded.

    Each count's quadratic form A_i is positive semi-definite, so chi^2 vanishes along a direction
    only if it is a common null vector of all A_i: the region is bounded iff sum_i A_i is positive
    definite (smallest eigenvalue above ``rtol`` times the largest; a single target with F_Z = F_N
    has an exact null vector (A+N, -(A+Z)), up to rounding).
    """
    counts = _counts(counts)
    w = np.linalg.eigvalsh(sum(e.matrix() for e in counts))
    return bool(w[0] > rtol * w[-1])


def region_area(counts, level=DCHI2_2D[90], c_T=1.0, n_theta=20000):
    """Area of the allowed region, 1/2 int r(theta)^2 dtheta = 1/2 int sqrt(level / g) dtheta; inf if open
    (see :func:`is_closed`)."""
    counts = _counts(counts)
    level = check_positive(level, "Delta chi^2 level")
    if not is_closed(counts):
        return float("inf")
    theta = np.linspace(0.0, np.pi, int(n_theta), endpoint=False)   # r(theta + pi) = r(theta)
    g = _g_theta(counts, theta, c_T)
    return float(np.sum(np.sqrt(level / g)) * (np.pi / len(theta)))     # 2 x 1/2 int_0^pi


def band_half_width(events, quark="u", level=DCHI2_2D[90], c_T=1.0):
    """Half-width in eps^{qT} (at fixed other coupling) of a single-count band: the limit at ``level``."""
    return epsilon_limit(events, quark, level, c_T)


# ---------------------------------------------------------------------------------------------
# Table-1-shaped result
# ---------------------------------------------------------------------------------------------

def assumptions(model=DEFAULT_MODEL, moments=DEFAULT_MOMENTS, c_T=1.0, phi_20m_cm2_s=None, level=DCHI2_90_1D,
                mu_beam_mode="combined"):
    """The assumptions behind a table of limits, as a flat dict of scalars (printed beside every result)."""
    norm = sns_normalisation()
    phi = norm["phi_20m_cm2_s"] if phi_20m_cm2_s is None else check_positive(phi_20m_cm2_s, "phi_20m_cm2_s")
    gp, gn = model.vector_couplings()
    return {
        "flux_normalisation_cm2_s": phi,
        "flux_normalisation_note": "unconfirmed default" if phi_20m_cm2_s is None else "user value",
        "exposure_s": norm["exposure_s"],
        "form_factor": model.form_factor,
        "neutron_skin_fm": model.neutron_skin_fm,
        "g_V_p": gp,
        "g_V_n": gn,
        "keep_T_over_E": "yes" if model.keep_T_over_E else "no",
        "nuclear_mass": model.nuclear_mass,
        "C_T_over_G_F": float(c_T),
        "kappa_T": float(c_T) ** 2,
        "cutoff_Lambda_TeV": moments.Lambda_TeV,
        "m_u_MeV": moments.m_u_MeV,
        "m_d_MeV": moments.m_d_MeV,
        "majorana_factor": moments.majorana_factor,
        "delta_chi2": level,
        "mu_beam_mode": mu_beam_mode,
        "statistics": "eq. (1.12), stat. only, one coupling",
    }


def table_records(phi_20m_cm2_s=None, c_T=1.0, Lambda_TeV=LAMBDA_TEV, form_factor="helm", level=DCHI2_90_1D,
                  majorana_factor=1.0, mu_beam_mode="combined", model=None, moments=None):
    """The project's Table-1-shaped result: one JSON-serialisable dict per target, beam and quark.

    Keys: target, distance_m, beam ("nu_e": delayed nu_e, alpha = e; "nu_mu": prompt nu_mu + delayed
    anti-nu_mu, alpha = mu), alpha, quark ("u", "d"), n_sm, n_tensor_unit (N_T(1) at c_T = 1),
    epsilon_limit (90% C.L. one-parameter |eps^{qT}_alpha|), magnetic_moment_muB (|mu| from eq. 1.7),
    and the assumptions (:func:`assumptions`) as further scalar keys. The proceedings' own Table 1 is not
    available: nothing here is compared with it.
    """
    if model is None:
        model = CrossSectionModel(form_factor=form_factor)
    if moments is None:
        moments = MomentModel(Lambda_TeV=Lambda_TeV, majorana_factor=majorana_factor)
    info = assumptions(model, moments, c_T, phi_20m_cm2_s, level, mu_beam_mode)
    records = []
    for s in sns_setups(phi_20m_cm2_s):
        for beam in ("nu_e", "nu_mu"):
            counts = beam_counts(s, beam, model, mu_beam_mode if beam == "nu_mu" else "combined")
            n_sm = sum(e.n_sm for e in counts)
            for q in QUARKS:
                eps = epsilon_limit(counts, q, level, c_T)
                rec = {"target": s.target, "distance_m": s.distance_m, "beam": beam, "alpha": BEAM_FLAVOUR[beam],
                       "quark": q, "n_sm": n_sm, "n_tensor_unit": sum(e.tensor_unit(q) for e in counts),
                       "epsilon_limit": eps, "magnetic_moment_muB": moment_limit(eps, q, c_T, moments),
                       "mass_kg": s.mass_kg, "threshold_keV": s.threshold_keV}
                rec.update(info)
                records.append(rec)
    return records
