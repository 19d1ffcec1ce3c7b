"""Tensor non-standard interactions: the cross sections of the HNPS 2015 proceedings, eqs. (1.4)-(1.6), (1.9)-(1.10).

D. K. Papoulias and T. S. Kosmas, "Probing electromagnetic neutrino properties within the tensor non-standard
neutrino-nucleus interactions" (HNPS 2015 proceedings). Equation numbers are the proceedings':

* (1.4) vector coherent cross section with non-universal (NU) and flavour-changing (FC) vector NSI,
  :func:`dsigma_vector`;
* (1.5)-(1.6) tensor coherent cross section and its nuclear matrix element built from Z, N and the proton
  and neutron form factors, :func:`dsigma_tensor`, :func:`tensor_charges`; no interference with the SM;
* (1.9)-(1.10) magnetic-moment and total cross sections, :func:`dsigma_magnetic`, :func:`dsigma_total`.

The physics choices are those of the core library (:class:`cevns_lib.physics.PhysicsModel`); the tensor
chapters default to tree-level couplings, the Helm form factor and M = A u (choices N9, N13, N14), collected
in :class:`CrossSectionModel`. Units: E in MeV, T_N in keV of nuclear recoil, cm^2/keV, couplings relative
to G_F.
"""

from dataclasses import dataclass

import numpy as np

from ... import constants as c
from ...physics.cross_sections import dsigma_em, t_max_keV, tensor_kinematics
from ...physics.form_factors import FORM_FACTORS
from ...physics.mixing import FLAVOURS
from ...physics.model import PhysicsModel
from ...physics.nuclei import isotope
from ...quadrature import gauss_legendre
from ...validation import check_choice, check_finite_array, check_finite_scalar, check_nonnegative_array, check_positive

__all__ = [
    "FLAVOURS", "QUARKS", "SIN2_THETA_W", "nucleus", "CrossSectionModel", "DEFAULT_MODEL", "tensor_charges",
    "degeneracy_slope", "dsigma_vector", "dsigma_tensor", "dsigma_magnetic", "dsigma_total", "total_cross_section"
]




QUARKS = ("u", "d")


#: The weak mixing angle of the tree-level couplings: the library's one value (choice N9).
SIN2_THETA_W = c.SIN2_THETA_W


def _flavour_index(flavour):
    if isinstance(flavour, (int, np.integer)) and not isinstance(flavour, bool) and 0 <= flavour < 3:
        return int(flavour)
    return FLAVOURS.index(check_choice(flavour, FLAVOURS, "neutrino flavour"))


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


def nucleus(target, nuclear_mass="A_u"):
    """The :class:`~cevns_lib.physics.Isotope` of a target such as ``"76Ge"``, with the nuclear-mass convention.

    ``nuclear_mass``: "A_u" (M = A x 931.494 MeV, the chapter's default, choice N14) or "nuclear"
    (atomic mass minus Z electron masses, the convention of :func:`cevns_lib.physics.isotope`).
    """
    import dataclasses

    if isinstance(target, str):
        iso = isotope(target)
    elif hasattr(target, "Z") and hasattr(target, "A") and hasattr(target, "mass_MeV"):
        iso = target
    else:
        raise TypeError(f"target must be an isotope name such as '76Ge' or an Isotope, got {target!r}")
    check_choice(nuclear_mass, ("A_u", "nuclear"), "nuclear-mass convention")
    if nuclear_mass == "A_u":
        return dataclasses.replace(iso, mass_MeV=iso.A * c.AMU_MEV)
    return isotope(f"{iso.A}{iso.symbol}")


@dataclass(frozen=True)
class CrossSectionModel:
    """The tensor chapters' physics choices; :meth:`physics` is the core :class:`~cevns_lib.physics.PhysicsModel`.

    form_factor : "helm" (default), "sf" (symmetrized Fermi), "kn" (Klein-Nystrand) or "none" (F = 1).
        The QRPA form factors of the proceedings are not available (choice N13).
    neutron_skin_fm : R_n - R_p in fm. 0 gives F_N = F_Z; otherwise the neutron density is the proton one
        stretched to the larger rms radius.
    sin2_theta_w : weak mixing angle of the tree-level nucleon couplings (the library's value).
    nucleon_couplings : (g_V^p, g_V^n) to use instead of the tree-level ones (e.g.
        cevns_lib.physics.nucleon_vector_couplings(), with radiative corrections).
    keep_T_over_E : keep the -T/E terms of the kinematic brackets ("exact" kinematics; default off, choice N9).
    nuclear_mass : "A_u" (default) or "nuclear", see :func:`nucleus`.
    """

    form_factor: str = "helm"
    neutron_skin_fm: float = 0.0
    sin2_theta_w: float = SIN2_THETA_W
    nucleon_couplings: tuple | None = None
    keep_T_over_E: bool = False
    nuclear_mass: str = "A_u"

    def __post_init__(self):
        check_choice(self.form_factor, tuple(FORM_FACTORS), "form-factor model")
        if not isinstance(self.keep_T_over_E, bool):
            raise TypeError(f"keep_T_over_E must be True or False, got {self.keep_T_over_E!r}")
        check_choice(self.nuclear_mass, ("A_u", "nuclear"), "nuclear-mass convention")
        check_finite_scalar(self.neutron_skin_fm, "neutron_skin_fm")
        object.__setattr__(self, "_physics", PhysicsModel(
            couplings="tree", sin2_theta_w=self.sin2_theta_w, nucleon_couplings=self.nucleon_couplings,
            kinematics="exact" if self.keep_T_over_E else "paper", form_factor=self.form_factor,
            neutron_skin_fm=self.neutron_skin_fm, nuclear_mass=self.nuclear_mass))
        if self.nucleon_couplings is not None:
            object.__setattr__(self, "nucleon_couplings", self._physics.nucleon_couplings)

    def physics(self):
        """The core :class:`~cevns_lib.physics.PhysicsModel` of these choices."""
        return self._physics

    def nucleus(self, target):
        """The target nucleus with this model's mass convention."""
        return nucleus(target, self.nuclear_mass)

    def vector_couplings(self):
        """(g_V^p, g_V^n): 1/2 - 2 sin^2(theta_W) and -1/2 unless overridden."""
        return self._physics.vector_couplings()

    def form_factors(self, T_keV, iso):
        """(F_Z, F_N) at recoil energy T_N (keV), with q = sqrt(2 M T_N) / (hbar c)."""
        return self._physics.form_factors(T_keV, iso)

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


def _mass_physics(model, iso):
    """The core physics with the isotope's own mass (an Isotope object passed in keeps its mass)."""
    return model.physics().replace(nuclear_mass="nuclear")


def tensor_charges(T_keV, target, model=DEFAULT_MODEL):
    """(X_u, X_d) = (2 Z F_Z + N F_N, Z F_Z + 2 N F_N) at recoil energy T_N (keV), eq. (1.6).

    For one effective coupling pair the tensor matrix element is eps_u X_u + eps_d X_d
    (valence-quark counting: proton uud, neutron udd; choice N6).
    """
    iso = _iso(target, model)
    fz, fn = _mass_physics(model, iso).form_factors(T_keV, iso)
    return 2 * iso.Z * fz + iso.N * fn, iso.Z * fz + 2 * iso.N * fn


def degeneracy_slope(target):
    """k = (A + N) / (A + Z): with F_Z = F_N a single target cannot tell eps_u = -k eps_d from zero."""
    iso = nucleus(target)
    return (iso.A + iso.N) / (iso.A + iso.Z)


def dsigma_vector(E_MeV, T_keV, target, flavour="e", eps_uV=None, eps_dV=None, model=DEFAULT_MODEL):
    """Coherent vector cross section dsigma/dT_N in cm^2/keV, eq. (1.4), SM plus vector NSI.

    G_F^2 M / pi k_V |G_V|^2, with k_V the vector bracket of the model's kinematics and
    |G_V|^2 = [(g_V^p + 2 e^u_aa + e^d_aa) Z F_Z + (g_V^n + e^u_aa + 2 e^d_aa) N F_N]^2
              + sum_{b != a} |(2 e^u_ab + e^d_ab) Z F_Z + (e^u_ab + 2 e^d_ab) N F_N|^2.

    ``eps_uV``, ``eps_dV``: 3x3 Hermitian matrices of vector couplings in the flavour basis (e, mu, tau):
    the diagonal holds the non-universal (NU), the off-diagonal the flavour-changing (FC) couplings; None = 0.
    Zero above T_max(E); identical for neutrinos and antineutrinos at this order.
    """
    E, T = _grid(E_MeV, T_keV)
    iso = _iso(target, model)
    a = _flavour_index(flavour)
    eu = _coupling_matrix(eps_uV, "eps_uV")
    ed = _coupling_matrix(eps_dV, "eps_dV")
    physics = _mass_physics(model, iso)
    fz, fn = physics.form_factors(T, iso)
    gp, gn = physics.vector_couplings()
    zf, nf = iso.Z * fz, iso.N * fn
    diag = (gp + 2 * eu[a, a].real + ed[a, a].real) * zf + (gn + eu[a, a].real + 2 * ed[a, a].real) * nf
    g2 = diag**2
    for b in range(3):
        if b != a:
            g2 = g2 + np.abs((2 * eu[a, b] + ed[a, b]) * zf + (eu[a, b] + 2 * ed[a, b]) * nf) ** 2
    m = iso.mass_MeV
    kin = physics.vector_kinematics(E, T, m)
    return c.G_F**2 * m / np.pi * kin * g2 * c.HBARC2_CM2_MEV2 * 1e-3


def dsigma_tensor(E_MeV, T_keV, target, eps_uT=0.0, eps_dT=0.0, flavour=None, c_T=1.0, model=DEFAULT_MODEL):
    """Coherent tensor-NSI cross section dsigma/dT_N in cm^2/keV, eqs. (1.5)-(1.6).

    c_T^2 4 G_F^2 M / pi (1 - M T/(4E^2)) sum_beta [eps^u_{alpha beta} X_u + eps^d_{alpha beta} X_d]^2,
    X_u = 2 Z F_Z + N F_N, X_d = Z F_Z + 2 N F_N.

    ``eps_uT``, ``eps_dT``: numbers (one effective coupling per incoming flavour), 3-vectors over the final
    flavour beta, or 3x3 matrices (then give ``flavour``). ``c_T`` = C_T / G_F (choice N1).
    No interference with the SM amplitude: add it to :func:`dsigma_vector`. Identical for neutrinos and
    antineutrinos (choice N20). Exactly zero above T_max(E) = 2E^2/(M + 2E) and never negative.
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
    kin = tensor_kinematics(E, T, m, model.keep_T_over_E)
    return c_T**2 * 4.0 * c.G_F**2 * m / np.pi * kin * g2 * c.HBARC2_CM2_MEV2 * 1e-3


def dsigma_magnetic(E_MeV, T_keV, target, mu_nu=0.0, model=DEFAULT_MODEL):
    """Magnetic-moment cross section dsigma/dT_N in cm^2/keV, eq. (1.9), proton form factor only.

    pi alpha^2 mu_nu^2 / m_e^2 (1/T_N - 1/E) Z^2 F_Z^2, mu_nu the effective (transition) moment in mu_B.
    Uses :func:`cevns_lib.physics.dsigma_em` with the model's nucleus and form factor.
    """
    mu = check_finite_scalar(mu_nu, "mu_nu (mu_B)")
    iso = _iso(target, model)
    return dsigma_em(E_MeV, T_keV, iso, mu**2, model=_mass_physics(model, iso))


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
    check_choice(kind, ("vector", "tensor_u", "tensor_d"), "cross-section kind")
    E = check_nonnegative_array(E_MeV, "neutrino energy E_MeV")
    thr = check_positive(threshold_keV, "threshold (keV)", allow_zero=True)
    iso = _iso(target, model)
    tmax = t_max_keV(E, iso.mass_MeV)
    length = np.clip(tmax - thr, 0.0, None)
    x, w = gauss_legendre(n)
    T = thr + 0.5 * length[..., None] * (x + 1.0)
    Eg = E[..., None]
    if kind == "vector":
        ds = dsigma_vector(Eg, T, iso, "e", model=model)
    else:
        ds = dsigma_tensor(Eg, T, iso, float(kind == "tensor_u"), float(kind == "tensor_d"), c_T=c_T, model=model)
    return np.sum(0.5 * length[..., None] * w * ds, axis=-1)
