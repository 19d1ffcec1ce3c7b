"""CEvNS cross sections: Standard Model (eqs. 20-22), magnetic moment (eq. 25) and their sum (eq. 26).

Units: neutrino energy E_nu in MeV, recoil energy T_N in keV, differential cross sections in cm^2 per keV of
recoil energy, total cross sections in cm^2, magnetic moments in Bohr magnetons. Every cross section is exactly
zero above the kinematic limit T_N^max(E_nu) = 2 E_nu^2 / (m_N + 2 E_nu).

The physics choices (couplings, kinematics, form factor and radii, nuclear mass) come from a
:class:`~cevns_lib.physics.PhysicsModel`, ``model=``; the defaults are the paper's. The older keyword
``form_factor_model="helm"`` still selects the form factor alone.
"""

import numpy as np

from .. import constants as c
from ..quadrature import gauss_legendre
from ..validation import check_finite_scalar, check_nonnegative_array, check_positive
from .model import DEFAULT_PHYSICS, PhysicsModel
from .nuclei import check_isotope

__all__ = [
    "CM2_PER_KEV", "t_max_keV", "e_min_MeV", "nucleon_vector_couplings", "nucleon_axial_couplings", "weak_charges",
    "dsigma_sm", "magnetic_kinematics", "dsigma_em", "dsigma_total", "em_prefactor_cm2", "total_cross_section",
    "tensor_kinematics", "kinematic_factors", "energy_nodes_min_MeV", "resolve_model", "broadcast_grid"
]


#: (hbar c)^2 in cm^2 MeV^2 times 1e-3: converts MeV^-3 to cm^2 per keV.
CM2_PER_KEV = c.HBARC2_CM2_MEV2 * 1e-3


def _mass(mass_MeV):
    return check_positive(mass_MeV, "nuclear mass mass_MeV")


def _t_max(E, m):
    return 2.0 * E**2 / (m + 2.0 * E) * 1e3


def _e_min(T_keV, m):
    T = T_keV * 1e-3
    return 0.5 * (T + np.sqrt(T**2 + 2.0 * m * T))


def t_max_keV(E_MeV, mass_MeV):
    """Maximum recoil energy (keV) for a neutrino of energy E (MeV) on a nucleus of mass m_N (MeV)."""
    return _t_max(check_nonnegative_array(E_MeV, "neutrino energy E_MeV"), _mass(mass_MeV))


def e_min_MeV(T_keV, mass_MeV):
    """Minimum neutrino energy (MeV) that can give a recoil T_N (keV): [T + sqrt(T^2 + 2 m_N T)] / 2."""
    return _e_min(check_nonnegative_array(T_keV, "recoil energy T_keV"), _mass(mass_MeV))


def resolve_model(model, form_factor_model):
    """The PhysicsModel to use: ``model`` (default: the paper's), with ``form_factor_model`` if given."""
    if model is None:
        model = DEFAULT_PHYSICS
    if not isinstance(model, PhysicsModel):
        raise TypeError(f"model must be a cevns_lib.physics.PhysicsModel, got {model!r}")
    if form_factor_model is not None:
        model = model.replace(form_factor=form_factor_model)
    return model


def nucleon_vector_couplings(model=None):
    """(g_V^p, g_V^n) = (2(gLu+gRu) + (gLd+gRd), (gLu+gRu) + 2(gLd+gRd)): about 0.0306 and -0.5120."""
    return resolve_model(model, None).vector_couplings()


def nucleon_axial_couplings(model=None):
    """Axial combinations multiplying (Z+ - Z-) and (N+ - N-) in eq. (21)."""
    return resolve_model(model, None).axial_couplings()


def broadcast_grid(E_MeV, T_keV):
    """Neutrino energies (MeV) and recoil energies (keV), checked (finite, >= 0) and broadcast together."""
    E = check_nonnegative_array(E_MeV, "neutrino energy E_MeV")
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    return np.broadcast_arrays(E, T)


def _spin_excess(spin_excess):
    s = tuple(spin_excess)
    if len(s) != 2:
        raise ValueError(f"spin_excess must be (Z+ - Z-, N+ - N-), got {spin_excess!r}")
    return tuple(check_finite_scalar(x, "spin_excess") for x in s)


def weak_charges(T_keV, iso, form_factor_model=None, spin_excess=(0.0, 0.0), model=None):
    """Vector and axial charges Q_V, Q_A of eq. (21) at recoil energy T_N (keV).

    Q_V = g_V^p Z F_Z + g_V^n N F_N (F_Z = F_N unless the model gives separate radii);
    ``spin_excess`` = (Z+ - Z-, N+ - N-), zero by default (Q_A is negligible for every target here).
    """
    iso = check_isotope(iso)
    model = resolve_model(model, form_factor_model)
    fz, fn = model.form_factors(T_keV, iso)
    gp, gn = model.vector_couplings()
    ap, an = model.axial_couplings()
    sz, sn = _spin_excess(spin_excess)
    return gp * iso.Z * fz + gn * iso.N * fn, (ap * sz * fz + an * sn * fn)


def dsigma_sm(E_MeV, T_keV, iso, form_factor_model=None, spin_excess=(0.0, 0.0), model=None):
    """Standard-Model CEvNS cross section dsigma/dT_N in cm^2/keV, eq. (20).

    G_F^2 m_N / pi [Q_V^2 k_V + Q_A^2 k_A], with k_V = 1 - m_N T/(2E^2) (``kinematics="paper"``, eq. 20) or
    1 - m_N T/(2E^2) - T/E (``"exact"``) and k_A = k_V + m_N T / E^2; zero for T > T_max(E). Same for all
    flavours and for neutrinos and antineutrinos.
    """
    iso = check_isotope(iso)
    model = resolve_model(model, form_factor_model)
    E, T = broadcast_grid(E_MeV, T_keV)
    m = model.mass_MeV(iso)
    qv, qa = weak_charges(T, iso, spin_excess=spin_excess, model=model)
    kv = model.vector_kinematics(E, T, m)
    Es = np.where(E > 0, E, 1.0)
    ka = np.where(kv > 0, kv + m * T * 1e-3 / Es**2, 0.0)
    return c.G_F**2 * m / np.pi * (qv**2 * kv + qa**2 * ka) * c.HBARC2_CM2_MEV2 * 1e-3


def _magnetic(E, T, m):
    Ts = np.where(T > 0, T, 1.0) * 1e-3
    Es = np.where(E > 0, E, 1.0)
    allowed = (E > 0) & (T > 0) & (T <= _t_max(E, m))
    return np.where(allowed, np.maximum(1.0 / Ts - 1.0 / Es, 0.0), 0.0)


def magnetic_kinematics(E_MeV, T_keV, mass_MeV):
    """(1/T_N - 1/E_nu) in MeV^-1, the kinematic factor of eq. (25); zero above T_max(E) and at T = 0."""
    E, T = broadcast_grid(E_MeV, T_keV)
    return _magnetic(E, T, _mass(mass_MeV))


def dsigma_em(E_MeV, T_keV, iso, mu_eff_sq=1.0, form_factor_model=None, model=None):
    """Magnetic-moment (helicity-flip) cross section dsigma/dT_N in cm^2/keV, eq. (25).

    pi alpha^2 mu_eff^2 Z^2 / m_e^2 (1/T_N - 1/E_nu) F_Z^2, with mu_eff^2 in mu_B^2 (default 1, i.e. the
    cross section per unit mu_eff^2). Zero for T > T_max(E) and at T = 0.
    """
    iso = check_isotope(iso)
    model = resolve_model(model, form_factor_model)
    E, T = broadcast_grid(E_MeV, T_keV)
    mu2 = check_finite_scalar(mu_eff_sq, "mu_eff_sq")
    if mu2 < 0:
        raise ValueError(f"mu_eff_sq must be >= 0, got {mu_eff_sq!r}")
    fz, _ = model.form_factors(T, iso)
    kin = magnetic_kinematics(E, T, model.mass_MeV(iso))
    return np.pi * c.ALPHA_EM**2 * mu2 * iso.Z**2 / c.M_E**2 * kin * fz**2 * c.HBARC2_CM2_MEV2 * 1e-3


def dsigma_total(E_MeV, T_keV, iso, mu_eff_sq=0.0, form_factor_model=None, model=None):
    """Incoherent sum of the SM and magnetic-moment cross sections, eq. (26), in cm^2/keV."""
    return (dsigma_sm(E_MeV, T_keV, iso, form_factor_model, model=model)
            + dsigma_em(E_MeV, T_keV, iso, mu_eff_sq, form_factor_model, model=model))


def em_prefactor_cm2():
    """pi alpha^2 / m_e^2 (hbar c)^2 in cm^2 (about 2.495e-25)."""
    return np.pi * c.ALPHA_EM**2 / c.M_E**2 * c.HBARC2_CM2_MEV2


def total_cross_section(E_MeV, iso, threshold_keV=0.0, mu_eff_sq=0.0, model=None, n=96):
    """Cross section integrated over recoil energies, sigma(E) = int_{T_thr}^{T_max(E)} dsigma/dT dT, in cm^2.

    SM plus ``mu_eff_sq`` (mu_B^2) times the magnetic part; zero where T_max(E) <= T_thr. Gauss-Legendre with
    ``n`` nodes in T (in ln T when the magnetic part is included, whose 1/T needs a positive threshold).
    """
    iso = check_isotope(iso)
    model = resolve_model(model, None)
    E = check_nonnegative_array(E_MeV, "neutrino energy E_MeV")
    thr = check_positive(threshold_keV, "threshold_keV", allow_zero=True)
    mu2 = check_positive(mu_eff_sq, "mu_eff_sq", allow_zero=True)
    if mu2 > 0 and thr == 0:
        raise ValueError("the magnetic cross section diverges at T = 0: give threshold_keV > 0")
    tmax = t_max_keV(E, model.mass_MeV(iso))
    x, w = gauss_legendre(int(n))
    Eg = E[..., None]
    if mu2 > 0:
        a, b = np.log(thr), np.log(np.maximum(tmax, thr))
        u = 0.5 * (b - a)[..., None] * (x + 1.0) + a
        T = np.exp(u)
        wT = 0.5 * (b - a)[..., None] * w * T
    else:
        length = np.clip(tmax - thr, 0.0, None)
        T = thr + 0.5 * length[..., None] * (x + 1.0)
        wT = 0.5 * length[..., None] * w
    ds = dsigma_sm(Eg, T, iso, model=model)
    if mu2 > 0:
        ds = ds + dsigma_em(Eg, T, iso, mu2, model=model)
    return np.where(tmax > thr, np.sum(wT * ds, axis=-1), 0.0)


def _tensor(E, T, m, exact):
    t = T * 1e-3
    Es = np.where(E > 0, E, 1.0)
    k = 1.0 - m * t / (4.0 * Es**2)
    if exact:
        k = k - t / Es + t**2 / (4.0 * Es**2)
    allowed = (E > 0) & (T <= _t_max(E, m))
    return np.where(allowed, np.maximum(k, 0.0), 0.0)


def tensor_kinematics(E_MeV, T_keV, mass_MeV, exact=False):
    """(1 - M T / 4E^2), or with ``exact`` (1 - M T / 4E^2 - T/E + T^2 / 4E^2).

    The tensor bracket: >= 0, and 0 above T_max.
    """
    E, T = broadcast_grid(E_MeV, T_keV)
    return _tensor(E, T, _mass(mass_MeV), bool(exact))


def kinematic_factors(E_MeV, T_keV, mass_MeV, physics):
    """The three kinematic factors of the cross-section terms at (E, T) arrays that broadcast: (vector, magnetic
    in MeV^-1, tensor), for a :class:`~cevns_lib.physics.PhysicsModel`'s kinematics.

    For callers that have checked their inputs (the engine, on its own quadrature nodes): no validation here;
    the public :func:`magnetic_kinematics`, :func:`tensor_kinematics` and ``PhysicsModel.vector_kinematics``
    check theirs.
    """
    E, T = np.broadcast_arrays(np.asarray(E_MeV, dtype=float), np.asarray(T_keV, dtype=float))
    exact = physics.kinematics == "exact"
    Es = np.where(E > 0, E, 1.0)
    k = 1.0 - mass_MeV * T * 1e-3 / (2.0 * Es**2)
    if exact:
        k = k - T * 1e-3 / Es
    vector = np.where((E > 0) & (T <= _t_max(E, mass_MeV)), np.maximum(k, 0.0), 0.0)
    return vector, _magnetic(E, T, mass_MeV), _tensor(E, T, mass_MeV, exact)


def energy_nodes_min_MeV(T_keV, mass_MeV):
    """E_min(T) (MeV) for recoil energies T (keV) that the caller has checked (the engine's nodes)."""
    return _e_min(np.asarray(T_keV, dtype=float), mass_MeV)
