"""Effective neutrino magnetic moments of Majorana transition moments, eqs. (1)-(19) and (37)-(39).

Majorana neutrinos have an antisymmetric transition-moment matrix lambda, parametrised by a
complex 3-vector: lambda_{ab} = eps_{abc} Lambda_c in the flavour basis (Lambda_e, Lambda_mu,
Lambda_tau) and tilde-lambda_{jk} = eps_{jkl} Lambda_l in the mass basis (Lambda_1, Lambda_2,
Lambda_3), eq. (6). All moments are in units of the Bohr magneton mu_B (any common unit works:
mu_eff^2 is quadratic in Lambda).

A neutrino beam is a pair of helicity-amplitude vectors in the flavour basis: ``a_minus`` for the
negative-helicity (neutrino) part and ``a_plus`` for the positive-helicity (antineutrino) part.
The effective moment squared is the quadratic form of eq. (5),

    mu_eff^2 = a_-^dagger lambda^dagger lambda a_- + a_+^dagger lambda lambda^dagger a_+ ,

which for a pure nu_alpha or anti-nu_alpha beam reduces to |Lambda|^2 - |Lambda_alpha|^2 with
Lambda_alpha = sum_k U_{alpha k} Lambda_k (with |det U| = 1; conventions of choice A10).
"""

from types import MappingProxyType

import numpy as np

from ..constants import HBARC_MEV_FM, KM_FM
from ..validation import check_finite_array, check_finite_scalar, check_positive, check_vector3, read_only
from .mixing import DE_SALAS_2018_NO, check_params, pmns

__all__ = [
    "BEAMS", "PAPER_BEAMS", "lambda_matrix", "flavour_from_mass", "mass_from_flavour", "mu_eff_squared",
    "mu_eff_squared_mass_basis", "mu_eff_squared_beam", "lambda_from_polar", "reactor_mu_eff_squared",
    "sns_mu_mu_eff_squared", "coefficients", "cross_terms", "quadratic_form", "blind_direction",
    "reactor_mu_eff_squared_aligned", "mu_eff_squared_propagated", "solar_probabilities", "p2nu_e1_matter",
    "solar_mu_eff_squared", "borexino_limits", "mass_state_form"
]


_E = read_only(np.eye(3))


_ZERO = read_only(np.zeros(3))


#: Helicity amplitudes (a_minus, a_plus) in the flavour basis for pure beams.
BEAMS = MappingProxyType({
    "nu_e": (_E[0], _ZERO),
    "nu_mu": (_E[1], _ZERO),
    "nu_tau": (_E[2], _ZERO),
    "nu_e_bar": (_ZERO, _E[0]),
    "nu_mu_bar": (_ZERO, _E[1]),
    "nu_tau_bar": (_ZERO, _E[2]),
})


#: The beams of the paper: reactor anti-nu_e, SNS prompt nu_mu, SNS delayed nu_e and anti-nu_mu.
PAPER_BEAMS = MappingProxyType({
    "nu_e_bar": "reactor anti-nu_e (eqs. 10-12)",
    "nu_mu": "SNS prompt nu_mu (eqs. 15, 17)",
    "nu_e": "SNS delayed nu_e (eqs. 16, 18)",
    "nu_mu_bar": "SNS delayed anti-nu_mu (eqs. 16, 19)",
})


_FLAVOUR_OF_BEAM = {"nu_e": 0, "nu_mu": 1, "nu_tau": 2, "nu_e_bar": 0, "nu_mu_bar": 1, "nu_tau_bar": 2}


def _beam(beam):
    if beam not in BEAMS:
        raise ValueError(f"unknown beam {beam!r}; allowed: {', '.join(BEAMS)}")
    return BEAMS[beam]


def lambda_matrix(Lambda):
    """Antisymmetric TMM matrix lambda_{ab} = eps_{abc} Lambda_c, eq. (6).

    Parameters
    ----------
    Lambda : array_like, shape (..., 3), complex
        The TMM vector (flavour or mass basis), in mu_B.

    Returns
    -------
    numpy.ndarray, shape (..., 3, 3)
    """
    L = check_vector3(Lambda, "Lambda")
    m = np.zeros(L.shape[:-1] + (3, 3), dtype=complex)
    m[..., 0, 1], m[..., 0, 2] = L[..., 2], -L[..., 1]
    m[..., 1, 0], m[..., 1, 2] = -L[..., 2], L[..., 0]
    m[..., 2, 0], m[..., 2, 1] = L[..., 1], -L[..., 0]
    return m


def flavour_from_mass(Lambda_mass, params=DE_SALAS_2018_NO):
    """Flavour-basis vector from the mass-basis one.

    From tilde-lambda = U^T lambda U (eq. 8) one finds Lambda_flavour = U Lambda_mass / det(U);
    det(U) = 1 without Majorana phases, so Lambda_alpha = sum_k U_{alpha k} Lambda_k.
    """
    L = check_vector3(Lambda_mass, "Lambda_mass")
    U = pmns(params)
    return np.einsum("ak,...k->...a", U, L) / np.linalg.det(U)


def mass_from_flavour(Lambda_flavour, params=DE_SALAS_2018_NO):
    """Inverse of :func:`flavour_from_mass`: Lambda_mass = det(U) U^dagger Lambda_flavour."""
    L = check_vector3(Lambda_flavour, "Lambda_flavour")
    U = pmns(params)
    return np.einsum("ka,...a->...k", U.conj().T, L) * np.linalg.det(U)


def _amplitudes(a_minus, a_plus):
    a_minus = check_vector3(a_minus, "a_minus")
    a_plus = check_vector3(a_plus, "a_plus")
    if a_minus.ndim != 1 or a_plus.ndim != 1:
        raise ValueError("a_minus and a_plus must each have shape (3,)")
    return a_minus, a_plus


def mu_eff_squared(Lambda_mass, a_minus, a_plus, params=DE_SALAS_2018_NO):
    """Effective magnetic moment squared for any beam, the general quadratic form of eq. (5).

    Parameters
    ----------
    Lambda_mass : array_like, shape (..., 3), complex
        Mass-basis TMM vector (Lambda_1, Lambda_2, Lambda_3) in mu_B.
    a_minus, a_plus : array_like, shape (3,)
        Negative- and positive-helicity amplitudes in the flavour basis (e, mu, tau).
    params : OscillationParameters

    Returns
    -------
    float or numpy.ndarray: mu_eff^2 in mu_B^2.
    """
    a_minus, a_plus = _amplitudes(a_minus, a_plus)
    lam = lambda_matrix(flavour_from_mass(Lambda_mass, params))
    lam_a_minus = np.einsum("...ab,b->...a", lam, a_minus)          # lambda a_-
    lamdag_a_plus = np.einsum("...ba,b->...a", lam.conj(), a_plus)   # lambda^dagger a_+
    return np.sum(np.abs(lam_a_minus) ** 2, axis=-1) + np.sum(np.abs(lamdag_a_plus) ** 2, axis=-1)


def mu_eff_squared_mass_basis(Lambda_mass, a_minus, a_plus, params=DE_SALAS_2018_NO):
    """The same quantity evaluated in the mass basis, eq. (9), with eq. (8) for the amplitudes."""
    a_minus, a_plus = _amplitudes(a_minus, a_plus)
    U = pmns(params)
    lt = lambda_matrix(Lambda_mass)
    at_minus = U.conj().T @ a_minus
    at_plus = U.T @ a_plus
    first = np.einsum("...ab,b->...a", lt, at_minus)
    second = np.einsum("...ba,b->...a", lt.conj(), at_plus)
    return np.sum(np.abs(first) ** 2, axis=-1) + np.sum(np.abs(second) ** 2, axis=-1)


def mu_eff_squared_beam(Lambda_mass, beam, params=DE_SALAS_2018_NO):
    """mu_eff^2 (mu_B^2) for a named pure beam: one of :data:`BEAMS` (e.g. ``"nu_e_bar"``)."""
    a_minus, a_plus = _beam(beam)
    return mu_eff_squared(Lambda_mass, a_minus, a_plus, params)


def lambda_from_polar(moduli, phases):
    """Lambda_i = |Lambda_i| exp(i zeta_i), eq. (7). Moduli must be >= 0."""
    moduli = np.asarray(check_vector3(moduli, "moduli", dtype=float))
    if np.any(moduli < 0):
        raise ValueError(f"moduli must be >= 0, got {moduli!r}")
    phases = check_vector3(phases, "phases", dtype=float)
    return moduli * np.exp(1j * phases)


def _moduli(moduli):
    """(|Lambda_1|, |Lambda_2|, |Lambda_3|) along the first axis (each may be an array), finite and >= 0."""
    m = check_finite_array(moduli, "moduli")
    if m.ndim == 0 or m.shape[0] != 3:
        raise ValueError(f"moduli must be (|Lambda_1|, |Lambda_2|, |Lambda_3|) along the first axis, "
                         f"got shape {m.shape}")
    if np.any(m < 0):
        raise ValueError(f"moduli must be >= 0, got {moduli!r}")
    return m


def _xi(xi):
    x = np.asarray(xi, dtype=float) if not isinstance(xi, str) else None
    if x is None or x.shape[:1] != (2,):
        raise ValueError(f"xi must be the two relative phases (xi_1, xi_2) in radians, got {xi!r}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"xi must be finite, got {xi!r}")
    return x


def _angles(params):
    check_params(params)
    s12, s23, s13 = np.sqrt([params.sin2_12, params.sin2_23, params.sin2_13])
    c12, c23, c13 = np.sqrt([1 - params.sin2_12, 1 - params.sin2_23, 1 - params.sin2_13])
    return s12, s23, s13, c12, c23, c13


def reactor_mu_eff_squared(moduli, xi, params=DE_SALAS_2018_NO):
    """Reactor anti-nu_e effective moment squared, eq. (12) (mass basis, phases expanded).

    Also the SNS delayed nu_e expression, eq. (18).

    Parameters
    ----------
    moduli : (|Lambda_1|, |Lambda_2|, |Lambda_3|) in mu_B.
    xi : (xi_1, xi_2) with xi_1 = zeta_2 - zeta_3, xi_2 = zeta_1 - zeta_3 (xi_3 = xi_2 - xi_1).
    """
    l1, l2, l3 = _moduli(moduli)
    xi1, xi2 = _xi(xi)
    xi3 = xi2 - xi1
    s12, s23, s13, c12, c23, c13 = _angles(params)
    d = params.delta
    return (l1**2 + l2**2 + l3**2 - c12**2 * c13**2 * l1**2 - s12**2 * c13**2 * l2**2 - s13**2 * l3**2
            - 2 * c12 * s12 * c13**2 * l1 * l2 * np.cos(xi3)
            - 2 * c12 * c13 * s13 * l1 * l3 * np.cos(xi2 + d)
            - 2 * s12 * c13 * s13 * l2 * l3 * np.cos(xi1 + d))


def sns_mu_mu_eff_squared(moduli, xi, params=DE_SALAS_2018_NO):
    """SNS nu_mu (prompt) and anti-nu_mu (delayed) effective moment squared, eqs. (17) and (19)."""
    l1, l2, l3 = _moduli(moduli)
    xi1, xi2 = _xi(xi)
    xi3 = xi2 - xi1
    s12, s23, s13, c12, c23, c13 = _angles(params)
    d = params.delta
    um1 = s12**2 * c23**2 + c12**2 * s23**2 * s13**2 + 2 * s12 * c12 * s23 * c23 * s13 * np.cos(d)
    um2 = c12**2 * c23**2 + s12**2 * s23**2 * s13**2 - 2 * s12 * c12 * s23 * c23 * s13 * np.cos(d)
    x12 = ((-s12 * c12 * c23**2 + s12 * c12 * s23**2 * s13**2) * np.cos(xi3)
           + s12**2 * s23 * c23 * s13 * np.cos(xi3 - d) - c12**2 * s23 * c23 * s13 * np.cos(xi3 + d))
    x13 = s23 * c13 * (-s12 * c23 * np.cos(xi2) - c12 * s23 * s13 * np.cos(xi2 + d))
    x23 = s23 * c13 * (c12 * c23 * np.cos(xi1) - s12 * s23 * s13 * np.cos(xi1 + d))
    return (l1**2 + l2**2 + l3**2 - um1 * l1**2 - um2 * l2**2 - s23**2 * c13**2 * l3**2
            - 2 * l1 * l2 * x12 - 2 * l1 * l3 * x13 - 2 * l2 * l3 * x23)


def coefficients(beam, params=DE_SALAS_2018_NO):
    """C_{f,i} = mu_eff^2 / |Lambda_i|^2 with only Lambda_i non-zero: 1 - |U_{alpha i}|^2 (section 5.3).

    Returns numpy.ndarray of shape (3,) for i = 1, 2, 3.
    """
    _beam(beam)
    U = pmns(params)
    return 1.0 - np.abs(U[_FLAVOUR_OF_BEAM[beam]]) ** 2


def cross_terms(beam, params=DE_SALAS_2018_NO):
    """D_{f,ij} = -2 Re(U*_{alpha i} U_{alpha j}) for real, non-negative Lambdas (section 5.4).

    Returns a dict {(1, 2): D12, (1, 3): D13, (2, 3): D23}.
    """
    _beam(beam)
    row = pmns(params)[_FLAVOUR_OF_BEAM[beam]]
    return {(i + 1, j + 1): float(-2 * np.real(np.conj(row[i]) * row[j])) for i, j in ((0, 1), (0, 2), (1, 2))}


def quadratic_form(beam, params=DE_SALAS_2018_NO, phases=(0.0, 0.0, 0.0)):
    """Hermitian 3x3 matrix M with mu_eff^2 = m^T M m for moduli m = (|Lambda_1|, |Lambda_2|, |Lambda_3|).

    ``phases`` are the zeta_i of eq. (7). For real Lambdas (zero phases) the off-diagonal entries
    are D_{f,ij} / 2 and the diagonal is C_{f,i}. Used to evaluate mu_eff^2 on whole grids at once.

    For a pure nu_alpha or anti-nu_alpha beam, mu_eff^2 = |Lambda|^2 - |sum_k U_{alpha k} Lambda_k|^2
    (section 4.6; |det U| = 1), so with w_k = U_{alpha k} exp(i zeta_k) the matrix is direct:
    M_ij = delta_ij - Re(conj(w_i) w_j). This equals the polarisation identity applied to
    :func:`mu_eff_squared` (checked in the tests) and is about 50 times faster.
    """
    _beam(beam)
    zeta = check_vector3(phases, "phases", dtype=float)
    if zeta.ndim != 1:
        raise ValueError(f"phases must have shape (3,), got shape {zeta.shape}")
    w = pmns(params)[_FLAVOUR_OF_BEAM[beam]] * np.exp(1j * zeta)
    return np.eye(3) - np.real(np.conj(w)[:, None] * w[None, :])


def mass_state_form(state):
    """Quadratic form M (read-only 3x3) of a neutrino arriving in mass state ``state`` (1, 2, 3), in the moduli:
    mu_eff^2 = m^T M m with m = (|Lambda_1|, |Lambda_2|, |Lambda_3|).

    In the mass basis the neutrino's amplitude is e_j, so mu_eff^2 = sum_k |tilde-lambda_jk|^2 = |Lambda|^2 -
    |Lambda_j|^2 (eq. 38 for one state): M = 1 - e_j e_j^T, whatever the phases of the Lambdas (no interference term
    between two Lambdas survives). An incoherent mixture of mass states (solar neutrinos) adds these forms with its
    weights P_ej, so its effective moment has no phase dependence either.
    """
    if isinstance(state, bool) or state not in (1, 2, 3):
        raise ValueError(f"state must be a mass state 1, 2 or 3, got {state!r}")
    m = np.eye(3)
    m[state - 1, state - 1] = 0.0
    return read_only(m)


def blind_direction(params=DE_SALAS_2018_NO):
    """Unit vector of moduli for which the reactor mu_eff vanishes with zero phases, eq. (14).

    (|Lambda_1|, |Lambda_2|, |Lambda_3|) proportional to (c12 c13, s12 c13, s13), i.e.
    |Lambda_2| = t12 |Lambda_1| and |Lambda_3| = s13 / (c12 c13) |Lambda_1|.
    """
    s12, s23, s13, c12, c23, c13 = _angles(params)
    v = np.array([c12 * c13, s12 * c13, s13])
    return v / np.linalg.norm(v)


def reactor_mu_eff_squared_aligned(moduli, params=DE_SALAS_2018_NO):
    """Eq. (13): the reactor form with all cosine arguments zero, |Lambda|^2 - (c12c13|L1| + s12c13|L2| + s13|L3|)^2."""
    l1, l2, l3 = _moduli(moduli)
    s12, s23, s13, c12, c23, c13 = _angles(params)
    return l1**2 + l2**2 + l3**2 - (c12 * c13 * l1 + s12 * c13 * l2 + s13 * l3) ** 2


def mu_eff_squared_propagated(Lambda_mass, flavour, L_km, E_MeV, m2_eV2, params=DE_SALAS_2018_NO):
    """Eq. (37): effective moment of a nu_alpha after a baseline L (vacuum), Beacom & Vogel.

    mu^2(L, E) = sum_j | sum_k U*_{alpha k} exp(-i m_k^2 L / 2E) tilde-lambda_{jk} |^2.

    Parameters
    ----------
    flavour : "e", "mu" or "tau".
    L_km : baseline in km; E_MeV : neutrino energy in MeV; m2_eV2 : the three m_k^2 in eV^2.
    """
    index = {"e": 0, "mu": 1, "tau": 2}
    if flavour not in index:
        raise ValueError(f"unknown flavour {flavour!r}; allowed: e, mu, tau")
    L_km = check_finite_scalar(L_km, "L_km")
    E_MeV = check_finite_scalar(E_MeV, "E_MeV")
    if L_km < 0 or E_MeV <= 0:
        raise ValueError(f"need L_km >= 0 and E_MeV > 0, got {L_km}, {E_MeV}")
    m2 = check_vector3(m2_eV2, "m2_eV2", dtype=float)
    U = pmns(params)
    # phase m^2 L / 2E in natural units: 1 eV^2 km / MeV = 1e-12 MeV^2 * 1e18 fm / (hbar c = 197.327 MeV fm) / MeV
    phase = m2 * L_km / (2 * E_MeV) * 1e-12 * KM_FM / HBARC_MEV_FM
    amp = np.conj(U[index[flavour]]) * np.exp(-1j * phase)
    lt = lambda_matrix(Lambda_mass)
    # Conjugate-free form whose L -> 0 limit is |Lambda|^2 - |Lambda_alpha|^2 (det U = 1).
    vec = np.einsum("...jk,k->...j", lt, amp)
    return np.sum(np.abs(vec) ** 2, axis=-1)


def _p2nu(p2nu_e1):
    if p2nu_e1 is None:
        from ..data import paper_inputs

        return paper_inputs()["P2NU_E1_BOREXINO"]
    return p2nu_e1


def solar_probabilities(p2nu_e1=None, params=DE_SALAS_2018_NO):
    """Fractions of solar nu_e arriving in the mass states 1, 2, 3, eq. (39).

    P_e1 = c13^2 P2nu, P_e2 = c13^2 (1 - P2nu), P_e3 = s13^2. The default P2nu (0.609, read from
    data/inputs/paper_inputs.toml) is the matter-enhanced value for 7Be neutrinos that reproduces Table 2
    (choice A11).
    """
    p = check_finite_scalar(_p2nu(p2nu_e1), "p2nu_e1")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p2nu_e1 must be a probability in [0, 1], got {p!r}")
    c13sq = 1.0 - params.sin2_13
    return np.array([c13sq * p, c13sq * (1 - p), params.sin2_13])


def p2nu_e1_matter(E_MeV=0.862, n_e_per_NA_cm3=87.0, params=DE_SALAS_2018_NO):
    """cos^2 theta_12^m at production: the two-flavour nu_1 fraction of solar nu_e (section 11.4).

    n_e is given in units of N_A cm^-3 (the solar core has about 100).
    """
    from ..constants import G_F, HBARC_MEV_FM, N_A

    E_MeV = check_positive(E_MeV, "E_MeV")
    n_e_per_NA_cm3 = check_positive(n_e_per_NA_cm3, "n_e_per_NA_cm3", allow_zero=True)
    check_params(params)
    n_e = n_e_per_NA_cm3 * N_A / (1e13 ** 3) * HBARC_MEV_FM ** 3  # cm^-3 -> MeV^3
    beta = 2 * np.sqrt(2) * G_F * n_e * E_MeV / (params.dm2_21_eV2 * 1e-12)
    c2 = 1 - 2 * params.sin2_12
    s2sq = 4 * params.sin2_12 * (1 - params.sin2_12)
    cos2m = (c2 - beta) / np.sqrt((c2 - beta) ** 2 + s2sq)
    return 0.5 * (1 + cos2m)


def solar_mu_eff_squared(Lambda_mass, p2nu_e1=None, params=DE_SALAS_2018_NO):
    """Solar effective moment squared, eq. (38): sum_i P_ei (|Lambda|^2 - |Lambda_i|^2). No phases enter."""
    L = check_vector3(Lambda_mass, "Lambda_mass")
    P = solar_probabilities(p2nu_e1, params)
    a2 = np.abs(L) ** 2
    return np.sum(P * (a2.sum(axis=-1, keepdims=True) - a2), axis=-1)


def borexino_limits(mu_bound=None, p2nu_e1=None, params=DE_SALAS_2018_NO):
    """One-parameter limits |Lambda_i| < mu_bound / sqrt(1 - P_ei) (section 11.5).

    ``mu_bound`` is the Borexino 90% C.L. bound on the solar effective moment, in the same unit as
    the result (default: data/inputs/paper_inputs.toml, 0.28 x 1e-10 mu_B = 2.8e-11 mu_B, Agostini et al. 2017).
    """
    if mu_bound is None:
        from ..data import paper_inputs

        mu_bound = paper_inputs()["BOREXINO_BOUND"]
    mu_bound = check_positive(mu_bound, "mu_bound")
    return mu_bound / np.sqrt(1.0 - solar_probabilities(p2nu_e1, params))
