"""Cross sections (eqs. 20-26) and form factors (eqs. 23-24) of arXiv:1905.03750."""

import numpy as np
import pytest
from scipy.optimize import brentq

from cevns_lib import constants as c
from cevns_lib.physics import cross_sections as xs
from cevns_lib.physics import form_factors as ff
from cevns_lib.physics import isotope, quark_couplings

TARGETS = ["133Cs", "127I", "23Na", "70Ge", "74Ge", "28Si", "40Ar", "132Xe"]
MODELS = ["sf", "helm", "kn", "none"]
RNG = np.random.default_rng(1905)
MEV2_TO_CM2_PER_KEV = c.HBARC2_CM2_MEV2 * 1e-3   # MeV^-3 -> cm^2 / keV


# --------------------------------------------------------------------------------- couplings

def test_nucleon_vector_couplings():
    gp, gn = xs.nucleon_vector_couplings()
    assert abs(gp - 0.0306) < 1e-4
    assert abs(gn + 0.5120) < 1e-4


def test_couplings_reduce_to_tree_level_without_radiative_corrections():
    gLu, gLd, gRu, gRd = quark_couplings(rho=1.0, kappa=1.0, lam_uL=0.0, lam_dL=0.0, lam_uR=0.0, lam_dR=0.0)
    s2 = c.SIN2_THETA_W
    assert np.isclose(2 * (gLu + gRu) + (gLd + gRd), 0.5 - 2 * s2, rtol=1e-14)
    assert np.isclose((gLu + gRu) + 2 * (gLd + gRd), -0.5, rtol=1e-14)


def test_em_prefactor():
    assert abs(xs.em_prefactor_cm2() / 2.495e-25 - 1) < 1e-3


# ------------------------------------------------------------------------------ form factors

@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name", ["133Cs", "23Na", "74Ge"])
def test_form_factors_are_one_at_zero_momentum(model, name):
    iso = isotope(name)
    assert ff.form_factor(0.0, iso, model) == 1.0
    assert ff.FORM_FACTORS[model](0.0, iso.A) == 1.0


@pytest.mark.parametrize("model", MODELS)
def test_form_factors_are_bounded_by_one(model):
    q = np.linspace(0.0, 3.0, 3001)
    for A in (23, 40, 73, 133):
        assert np.all(np.abs(ff.FORM_FACTORS[model](q, A)) <= 1.0 + 1e-12)


@pytest.mark.parametrize("A", [23, 73, 133])
def test_sf_series_joins_closed_form(A):
    # the series is used for q c < 1e-3; both sides of the switch agree and match 1 - q^2 <r^2>/6
    c_fm = ff.sf_radius_fm(A)
    below, above = ff.symmetrized_fermi(0.999e-3 / c_fm, A), ff.symmetrized_fermi(1.001e-3 / c_fm, A)
    assert abs(below - above) < 1e-8
    q = 0.05
    r2 = 0.6 * c_fm**2 + 1.4 * (np.pi * ff.SF_DIFFUSENESS_FM) ** 2
    assert abs(ff.symmetrized_fermi(q, A) - (1 - q**2 * r2 / 6)) < 1e-4


@pytest.mark.parametrize("A, expected", [(133, 4.39), (73, 4.34), (23, 4.19)])
def test_sf_first_zero_below_the_hard_sphere_value(A, expected):
    c_fm = ff.sf_radius_fm(A)
    x0 = brentq(lambda x: float(ff.symmetrized_fermi(x / c_fm, A)), 3.5, 4.9, xtol=1e-12)
    assert abs(x0 - expected) < 0.01
    assert x0 < 4.4934  # first zero of the hard-sphere j1(x)


def test_sf_radius_rule():
    assert np.isclose(ff.sf_radius_fm(133), 1.23 * 133 ** (1 / 3) - 0.60)


def test_helm_and_sf_agree_at_low_momentum():
    q = np.linspace(0.0, 0.5, 51)
    for A in (23, 73, 133):
        assert np.allclose(ff.helm(q, A), ff.symmetrized_fermi(q, A), atol=0.01)


def test_momentum_transfer():
    iso = isotope("133Cs")
    q = ff.momentum_transfer_fm(10.0, iso.mass_MeV)
    assert np.isclose(q, np.sqrt(2 * iso.mass_MeV * 0.01) / c.HBARC_MEV_FM, rtol=1e-14)


# ---------------------------------------------------------------------------------- kinematics

@pytest.mark.parametrize("name", TARGETS)
def test_e_min_inverts_t_max(name):
    m = isotope(name).mass_MeV
    E = np.array([0.5, 2.0, 8.0, 29.79, 52.83, 100.0])
    assert np.allclose(xs.e_min_MeV(xs.t_max_keV(E, m), m), E, rtol=1e-10)
    T = np.array([0.01, 0.3, 5.0, 40.0])
    assert np.allclose(xs.t_max_keV(xs.e_min_MeV(T, m), m), T, rtol=1e-10)


def test_t_max_values():
    # CsI at the prompt line: about 14.3 keV (Cs) and 15.0 keV (I)
    assert abs(xs.t_max_keV(29.79, isotope("133Cs").mass_MeV) - 14.33) < 0.01
    assert abs(xs.t_max_keV(29.79, isotope("127I").mass_MeV) - 15.01) < 0.01


# -------------------------------------------------------------------------------- SM, eq. (20)

@pytest.mark.parametrize("name", TARGETS)
def test_sm_without_form_factor_is_the_weak_charge_formula(name):
    """With F = 1: G_F^2 M Q_W^2 / (4 pi) (1 - M T / (2 E^2)), Q_W = -2 (g_V^p Z + g_V^n N), exactly."""
    iso = isotope(name)
    gp, gn = xs.nucleon_vector_couplings()
    qw = -2 * (gp * iso.Z + gn * iso.N)
    E = 10.0
    T = np.linspace(0.0, float(xs.t_max_keV(E, iso.mass_MeV)), 50)
    expected = c.G_F**2 * iso.mass_MeV * qw**2 / (4 * np.pi) * (1 - iso.mass_MeV * T * 1e-3 / (2 * E**2))
    assert np.allclose(xs.dsigma_sm(E, T, iso, "none"), expected * MEV2_TO_CM2_PER_KEV, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", TARGETS)
def test_sm_against_the_tree_level_weak_charge(name):
    """Q_W^tree = N - (1 - 4 sin^2 theta_W) Z.

    The radiative corrections of eq. (22) raise |g_V^n| from 0.5 to 0.512, so with the MS-bar value
    sin^2 = 0.23122 the cross section is 7-9% above the tree-level one; with the low-energy weak angle
    sin^2 theta_W(0) = 0.2386 (which absorbs most of the proton-coupling running) the two agree to 3%.
    """
    iso = isotope(name)
    E, T = 10.0, 0.2
    ours = xs.dsigma_sm(E, T, iso, "none")
    for s2, lo, hi in ((c.SIN2_THETA_W, 1.06, 1.09), (0.2386, 1.0, 1.03)):
        qw = iso.N - (1 - 4 * s2) * iso.Z
        tree = c.G_F**2 * iso.mass_MeV * qw**2 / (4 * np.pi) * (1 - iso.mass_MeV * T * 1e-3 / (2 * E**2))
        assert lo < ours / (tree * MEV2_TO_CM2_PER_KEV) < hi


def test_axial_term_enters_with_opposite_recoil_dependence():
    iso = isotope("23Na")
    ap, _ = xs.nucleon_axial_couplings()
    E, T = 30.0, 20.0
    x = iso.mass_MeV * T * 1e-3 / (2 * E**2)
    F = ff.form_factor(T, iso)
    extra = xs.dsigma_sm(E, T, iso, spin_excess=(1, 0)) - xs.dsigma_sm(E, T, iso)
    assert np.isclose(extra, c.G_F**2 * iso.mass_MeV / np.pi * (ap * F) ** 2 * (1 + x) * MEV2_TO_CM2_PER_KEV,
                      rtol=1e-10)


# -------------------------------------------------------------------------------- EM, eq. (25)

def test_em_without_form_factor_matches_eq25():
    iso = isotope("74Ge")
    E, T = 5.0, np.array([0.01, 0.1, 0.5])
    mu2 = 1e-20
    expected = np.pi * c.ALPHA_EM**2 * mu2 * iso.Z**2 / c.M_E**2 * (1 / (T * 1e-3) - 1 / E)
    assert np.allclose(xs.dsigma_em(E, T, iso, mu2, "none"), expected * MEV2_TO_CM2_PER_KEV, rtol=1e-12, atol=0.0)


def test_em_is_linear_in_mu_squared_and_total_is_the_sum():
    iso = isotope("133Cs")
    E, T = 29.79, np.geomspace(0.01, 14.0, 20)
    one = xs.dsigma_em(E, T, iso)
    for mu2 in (1e-22, 3.7e-20, 1e-18):
        assert np.allclose(xs.dsigma_em(E, T, iso, mu2), mu2 * one, rtol=1e-13, atol=0.0)
        assert np.allclose(xs.dsigma_total(E, T, iso, mu2), xs.dsigma_sm(E, T, iso) + mu2 * one, rtol=1e-13,
                           atol=0.0)


# --------------------------------------------------------------------- kinematic bound, sign

@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name", ["133Cs", "23Na", "28Si", "132Xe"])
def test_cross_sections_vanish_above_t_max_and_are_non_negative_below(model, name):
    iso = isotope(name)
    E = RNG.uniform(0.5, 60.0, size=200)
    tmax = xs.t_max_keV(E, iso.mass_MeV)
    above = tmax * RNG.uniform(1.0 + 1e-9, 3.0, size=E.size)
    below = tmax * RNG.uniform(0.0, 1.0, size=E.size)
    for func in (lambda e, t: xs.dsigma_sm(e, t, iso, model), lambda e, t: xs.dsigma_em(e, t, iso, 1e-20, model)):
        assert np.all(func(E, above) == 0.0)
        assert np.all(func(E, below) >= 0.0)
        assert np.all(np.isfinite(func(E, below)))
    # just below the end point both are still positive (a zero there would lose events)
    assert np.all(xs.dsigma_sm(E, tmax * (1 - 1e-6), iso, "none") > 0)
    assert np.all(xs.dsigma_em(E, tmax * (1 - 1e-6), iso, 1.0, "none") > 0)


def test_zero_neutrino_energy_and_zero_recoil():
    iso = isotope("74Ge")
    assert xs.dsigma_sm(0.0, 0.1, iso) == 0.0
    assert xs.dsigma_em(5.0, 0.0, iso) == 0.0   # the 1/T pole is excluded at T = 0 exactly


# ----------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("func", [xs.dsigma_sm, xs.dsigma_em, xs.dsigma_total])
@pytest.mark.parametrize("E, T", [(np.nan, 1.0), (np.inf, 1.0), (10.0, np.nan), (10.0, -np.inf), ([1.0, np.nan], 1.0)])
def test_non_finite_energies_raise(func, E, T):
    with pytest.raises(ValueError, match="finite"):
        func(E, T, isotope("133Cs"))


@pytest.mark.parametrize("E, T", [(-1.0, 1.0), (10.0, -0.5)])
def test_negative_energies_raise(E, T):
    with pytest.raises(ValueError, match=">= 0"):
        xs.dsigma_sm(E, T, isotope("133Cs"))
    with pytest.raises(ValueError, match=">= 0"):
        xs.t_max_keV(-1.0, 1e5)
    with pytest.raises(ValueError, match=">= 0"):
        xs.e_min_MeV(-1.0, 1e5)


def test_non_numeric_energy_raises():
    with pytest.raises(TypeError):
        xs.dsigma_sm("ten", 1.0, isotope("133Cs"))


@pytest.mark.parametrize("mu2", [-1e-20, np.nan, "1e-20"])
def test_bad_moment_raises(mu2):
    with pytest.raises((ValueError, TypeError)):
        xs.dsigma_em(10.0, 1.0, isotope("133Cs"), mu2)


def test_unknown_form_factor_model_raises():
    with pytest.raises(ValueError, match="form-factor model"):
        xs.dsigma_sm(10.0, 1.0, isotope("133Cs"), "woods-saxon")
