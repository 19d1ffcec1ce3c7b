"""Effective magnetic moments, eqs. (1)-(19) and (37)-(39) of arXiv:1905.03750."""

import dataclasses

import numpy as np
import pytest

from cevns_lib.physics import DE_SALAS_2018_NO, OscillationParameters, mixing, moments, pmns

RNG = np.random.default_rng(20190509)


def random_params():
    return dataclasses.replace(DE_SALAS_2018_NO, delta=RNG.uniform(0, 2 * np.pi))


def random_lambda(shape=()):
    return RNG.normal(size=shape + (3,)) + 1j * RNG.normal(size=shape + (3,))


# ------------------------------------------------------------------------------------ mixing

def test_pmns_is_unitary_with_unit_determinant():
    for _ in range(5):
        U = pmns(random_params())
        assert np.allclose(U @ U.conj().T, np.eye(3), atol=1e-14)
        assert np.isclose(np.linalg.det(U), 1.0)


def test_pmns_moduli_follow_the_angles():
    U = pmns(DE_SALAS_2018_NO)
    assert np.isclose(abs(U[0, 2]) ** 2, 0.0216)
    assert np.isclose(abs(U[0, 1]) ** 2, 0.320 * (1 - 0.0216))
    assert np.isclose(abs(U[1, 2]) ** 2, 0.547 * (1 - 0.0216))


def test_majorana_phases_multiply_columns():
    p = dataclasses.replace(DE_SALAS_2018_NO, majorana=(0.3, 1.1))
    assert np.allclose(pmns(p), pmns(DE_SALAS_2018_NO) * np.exp(1j * np.array([0, 0.3, 1.1])))


@pytest.mark.parametrize("kw", [dict(sin2_12=1.2), dict(sin2_23=-0.1), dict(sin2_13=float("nan")),
                                dict(delta=float("inf")), dict(majorana=(0.1,))])
def test_bad_mixing_input_raises(kw):
    base = dict(sin2_12=0.32, sin2_23=0.547, sin2_13=0.0216)
    base.update(kw)
    with pytest.raises((ValueError, TypeError)):
        OscillationParameters(**base)


# ----------------------------------------------------------------------- general quadratic form

def test_general_form_equals_identity_for_random_inputs():
    """Eq. (5) equals |Lambda|^2 - |sum_k U_ak Lambda_k|^2 for pure beams, any complex Lambda and delta."""
    for _ in range(20):
        p = random_params()
        L = random_lambda()
        U = pmns(p)
        for beam, (a_minus, a_plus) in moments.BEAMS.items():
            alpha = int(np.argmax(np.abs(a_minus) + np.abs(a_plus)))
            expected = np.sum(np.abs(L) ** 2) - abs(U[alpha] @ L) ** 2
            assert np.isclose(moments.mu_eff_squared_beam(L, beam, p), expected, rtol=1e-12)


def test_flavour_and_mass_basis_agree_for_mixed_beams():
    """Eq. (5) in the flavour basis equals eq. (9) in the mass basis, also with Majorana phases."""
    for _ in range(10):
        p = dataclasses.replace(random_params(), majorana=tuple(RNG.uniform(0, 2 * np.pi, 2)))
        L = random_lambda()
        a_minus, a_plus = random_lambda(), random_lambda()
        assert np.isclose(moments.mu_eff_squared(L, a_minus, a_plus, p),
                          moments.mu_eff_squared_mass_basis(L, a_minus, a_plus, p), rtol=1e-12)


def test_lambda_tilde_is_u_transpose_lambda_u():
    """Eq. (8): tilde-lambda = U^T lambda U with Lambda_flavour = U Lambda_mass / det U."""
    p = dataclasses.replace(random_params(), majorana=(0.7, 2.1))
    L = random_lambda()
    U = pmns(p)
    lam = moments.lambda_matrix(moments.flavour_from_mass(L, p))
    assert np.allclose(U.T @ lam @ U, moments.lambda_matrix(L), atol=1e-13)
    assert np.allclose(moments.mass_from_flavour(moments.flavour_from_mass(L, p), p), L)


def test_norm_is_basis_independent():
    p = random_params()
    L = random_lambda((7,))
    assert np.allclose(np.sum(np.abs(moments.flavour_from_mass(L, p)) ** 2, axis=-1), np.sum(np.abs(L) ** 2, axis=-1))


def test_neutrino_and_antineutrino_of_a_flavour_agree():
    p = random_params()
    L = random_lambda()
    for f in ("e", "mu", "tau"):
        assert np.isclose(moments.mu_eff_squared_beam(L, f"nu_{f}", p),
                          moments.mu_eff_squared_beam(L, f"nu_{f}_bar", p))


def test_lambda_matrix_is_antisymmetric():
    lam = moments.lambda_matrix(random_lambda((4,)))
    assert np.allclose(lam, -np.swapaxes(lam, -1, -2))


# -------------------------------------------------------------------------- expanded formulas

def test_reactor_expansion_eq12_equals_general_form():
    for _ in range(20):
        p = random_params()
        L = random_lambda()
        z = np.angle(L)
        xi = (z[1] - z[2], z[0] - z[2])
        assert np.isclose(moments.reactor_mu_eff_squared(np.abs(L), xi, p),
                          moments.mu_eff_squared_beam(L, "nu_e_bar", p), rtol=1e-12)
        assert np.isclose(moments.reactor_mu_eff_squared(np.abs(L), xi, p),
                          moments.mu_eff_squared_beam(L, "nu_e", p), rtol=1e-12)     # eq. (18)


def test_sns_muon_expansion_eq17_eq19_equals_general_form():
    for _ in range(20):
        p = random_params()
        L = random_lambda()
        z = np.angle(L)
        xi = (z[1] - z[2], z[0] - z[2])
        expanded = moments.sns_mu_mu_eff_squared(np.abs(L), xi, p)
        assert np.isclose(expanded, moments.mu_eff_squared_beam(L, "nu_mu", p), rtol=1e-12)
        assert np.isclose(expanded, moments.mu_eff_squared_beam(L, "nu_mu_bar", p), rtol=1e-12)


# --------------------------------------------------------------- coefficients and cross terms

def test_coefficient_table_matches_hand_values():
    assert np.allclose(moments.coefficients("nu_e_bar"), [0.3347, 0.6869, 0.9784], atol=5e-5)
    assert np.allclose(moments.coefficients("nu_e"), [0.3347, 0.6869, 0.9784], atol=5e-5)
    assert np.allclose(moments.coefficients("nu_mu"), [0.7788, 0.7564, 0.4648], atol=5e-5)
    assert np.allclose(moments.coefficients("nu_mu_bar"), [0.7788, 0.7564, 0.4648], atol=5e-5)


def test_cross_terms_match_hand_values():
    e = moments.cross_terms("nu_e_bar")
    mu = moments.cross_terms("nu_mu")
    assert np.allclose([e[(1, 2)], e[(1, 3)], e[(2, 3)]], [-0.9128, -0.2398, -0.1645], atol=5e-5)
    assert np.allclose([mu[(1, 2)], mu[(1, 3)], mu[(2, 3)]], [0.4643, 0.6882, -0.7221], atol=5e-5)


def test_quadratic_form_reproduces_mu_eff_squared_with_phases():
    p = random_params()
    for beam in moments.PAPER_BEAMS:
        zeta = RNG.uniform(0, 2 * np.pi, 3)
        M = moments.quadratic_form(beam, p, zeta)
        m = np.abs(RNG.normal(size=3))
        assert np.isclose(m @ M @ m, moments.mu_eff_squared_beam(m * np.exp(1j * zeta), beam, p), rtol=1e-12)


def test_electron_coefficients_do_not_depend_on_delta_but_muon_ones_do():
    p = dataclasses.replace(DE_SALAS_2018_NO, delta=mixing.DELTA_BEST_FIT_NO)
    assert np.allclose(moments.coefficients("nu_e_bar", p), moments.coefficients("nu_e_bar"))
    ratio = np.sqrt(moments.coefficients("nu_mu", p)[0] / moments.coefficients("nu_mu", p)[1])
    assert ratio == pytest.approx(1.16, abs=0.01)      # Table 2 (ratio 1.014) excludes this: delta = 0


def test_single_flavour_limit_ratios():
    ce, cm = moments.coefficients("nu_e_bar"), moments.coefficients("nu_mu")
    assert np.sqrt(ce[0] / ce[1]) == pytest.approx(0.698, abs=1e-3)
    assert np.sqrt(ce[0] / ce[2]) == pytest.approx(0.585, abs=1e-3)
    assert np.sqrt(cm[0] / cm[1]) == pytest.approx(1.015, abs=1e-3)
    assert np.sqrt(cm[0] / cm[2]) == pytest.approx(1.294, abs=1e-3)


# ---------------------------------------------------------------------------- blind direction

def test_reactor_blind_direction_gives_zero():
    b = moments.blind_direction()
    assert moments.mu_eff_squared_beam(b, "nu_e_bar") == pytest.approx(0.0, abs=1e-15)
    assert moments.reactor_mu_eff_squared_aligned(b) == pytest.approx(0.0, abs=1e-15)
    s12, s13 = np.sqrt(0.320), np.sqrt(0.0216)
    c12, c13 = np.sqrt(1 - 0.320), np.sqrt(1 - 0.0216)
    assert b[1] / b[0] == pytest.approx(s12 / c12)          # eq. (14)
    assert b[2] / b[0] == pytest.approx(s13 / (c12 * c13))
    # but the SNS muon-flavour beams are not blind there
    assert moments.mu_eff_squared_beam(b, "nu_mu") > 0.5


def test_eq13_is_non_negative():
    m = np.abs(RNG.normal(size=(1000, 3)))
    assert np.all(moments.reactor_mu_eff_squared_aligned(m.T) >= -1e-14)


# ---------------------------------------------------------------------- propagation and solar

def test_propagated_moment_reduces_to_short_baseline_form():
    p = random_params()
    L = random_lambda()
    for f, beam in (("e", "nu_e"), ("mu", "nu_mu"), ("tau", "nu_tau")):
        assert np.isclose(moments.mu_eff_squared_propagated(L, f, 0.0, 10.0, [0, 7.55e-5, 2.5e-3], p),
                          moments.mu_eff_squared_beam(L, beam, p))


def test_solar_probabilities_sum_to_one_and_reproduce_borexino_row():
    for p2 in (0.0, 0.3, 0.609, 1.0):
        assert moments.solar_probabilities(p2).sum() == pytest.approx(1.0, abs=1e-15)
    assert [round(x, 2) for x in moments.borexino_limits(0.28, 0.609)] == [0.44, 0.36, 0.28]
    assert [round(x, 2) for x in moments.borexino_limits(0.28, 0.68)] != [0.44, 0.36, 0.28]


def test_solar_form_eq38_expanded():
    L = random_lambda()
    p2 = 0.609
    c13sq = 1 - 0.0216
    a2 = np.abs(L) ** 2
    expected = a2.sum() - c13sq * a2[1] + (c13sq - 1) * a2[2] + c13sq * p2 * (a2[1] - a2[0])
    assert moments.solar_mu_eff_squared(L, p2) == pytest.approx(expected)


def test_matter_enhanced_solar_fraction():
    assert moments.p2nu_e1_matter(0.862, 87.0) == pytest.approx(0.609, abs=0.002)
    assert moments.p2nu_e1_matter(0.862, 100.0) == pytest.approx(0.598, abs=0.002)
    assert moments.p2nu_e1_matter(0.862, 0.0) == pytest.approx(0.68, abs=1e-9)   # vacuum cos^2 theta_12


# --------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("bad", [[1, 2], [[1, 2, 3, 4]], [1, np.nan, 0], [np.inf, 0, 0], "abc"])
def test_bad_lambda_raises(bad):
    with pytest.raises((ValueError, TypeError)):
        moments.mu_eff_squared_beam(bad, "nu_e_bar")


def test_unknown_beam_and_bad_amplitudes_raise():
    with pytest.raises(ValueError, match="unknown beam"):
        moments.mu_eff_squared_beam([1, 0, 0], "nu_sterile")
    with pytest.raises(ValueError):
        moments.mu_eff_squared([1, 0, 0], [1, 0], [0, 0, 0])
    with pytest.raises(ValueError):
        moments.solar_probabilities(1.5)
    with pytest.raises(ValueError):
        moments.lambda_from_polar([-1, 0, 0], [0, 0, 0])
