"""Other electromagnetic properties: flavour magnetic moments, millicharges, charge radii, and their limits."""

import numpy as np
import pytest

from cevns_lib.engine import event_yields
from cevns_lib.experiment import get_experiment, get_setup
from cevns_lib.physics import PhysicsModel, coefficients, dsigma_em, dsigma_sm, isotope, nucleon_vector_couplings
from cevns_lib.physics import em_properties as em
from cevns_lib.statistics import excess_coefficients, one_parameter_limits, parameter_limit

CS = isotope("133Cs")


def test_shift_constants_by_hand():
    # sqrt(2) pi alpha / (3 G_F) = 926.6 GeV^2; / (hbar c)^2 = 3.8938e-28 GeV^2 cm^2 -> 2.3796e30 per cm^2
    assert em.CHARGE_RADIUS_SHIFT_PER_CM2 == pytest.approx(2.3796e30, rel=2e-4)
    # 2 sqrt(2) pi alpha / G_F = 5559.6 GeV^2 = 5.5596e9 MeV^2
    assert em.MILLICHARGE_SHIFT_MEV2 == pytest.approx(5.5596e9, rel=2e-4)


def test_charge_radius_is_a_shift_of_the_proton_coupling():
    gp, gn = nucleon_vector_couplings()
    E, T = 30.0, np.linspace(0.5, 14.0, 30)
    r2 = 3e-32
    q = em.charge_radius_shift(r2)
    shifted = PhysicsModel(nucleon_couplings=(gp - q, gn))
    np.testing.assert_allclose(em.dsigma(E, T, CS, r2_cm2=r2), dsigma_sm(E, T, CS, model=shifted), rtol=1e-12)
    # an antineutrino sees the opposite shift
    np.testing.assert_allclose(em.dsigma(E, T, CS, antineutrino=True, r2_cm2=r2), em.dsigma(E, T, CS, r2_cm2=-r2),
                               rtol=1e-14)


def test_millicharge_shift_falls_as_one_over_T():
    gp, gn = nucleon_vector_couplings()
    E, q_e = 30.0, 1e-8
    for T in (1.0, 5.0, 12.0):
        k = em.millicharge_shift(q_e, T, CS.mass_MeV)
        assert k == pytest.approx(em.MILLICHARGE_SHIFT_MEV2 * q_e / (2 * CS.mass_MeV * T * 1e-3), rel=1e-14)
        ref = dsigma_sm(E, T, CS, model=PhysicsModel(nucleon_couplings=(gp - k, gn)))
        assert em.dsigma(E, T, CS, q_e=q_e) == pytest.approx(ref, rel=1e-12)


def test_magnetic_moment_adds_incoherently():
    E, T = 30.0, np.linspace(0.5, 14.0, 30)
    diff = em.dsigma(E, T, CS, mu_muB=1e-9) - em.dsigma(E, T, CS)
    np.testing.assert_allclose(diff, dsigma_em(E, T, CS, 1e-18), rtol=1e-9)


def test_event_terms_are_the_expansion_of_the_shifted_rate():
    """N(x) = N_SM + x N_1 + x^2 N_2 per component, checked against a recomputation with the shifted coupling."""
    lar = get_setup("LAr", "current")
    y = event_yields(lar)
    gp, gn = lar.physics.vector_couplings()
    r2 = 2e-32
    q = em.charge_radius_shift(r2)
    for sign, comps in ((+1, ("nu_mu_prompt", "nu_e")), (-1, ("nu_mu_bar",))):
        shifted = event_yields(lar, physics=lar.physics.replace(nucleon_couplings=(gp - sign * q, gn)))
        for f in comps:
            t = y.terms[f]
            assert t["sm"] + r2 * t["r2_lin"] + r2**2 * t["r2_quad"] == pytest.approx(shifted.n_sm[f], rel=1e-10)


def test_yields_are_read_only():
    y = event_yields(get_setup("CONUS"))
    with pytest.raises(TypeError):
        y.n_sm["nu_e_bar"] = 0.0
    with pytest.raises(TypeError):
        y.terms["nu_e_bar"]["sm"] = 0.0
    assert event_yields(get_setup("CONUS")).n_sm_total > 0


def test_flavour_moment_and_transition_moment_limits_agree():
    """A reactor sees only anti-nu_e: mu_eff^2 = C_e1 |Lambda_1|^2, so mu_nue = sqrt(C_e1) |Lambda_1| at the limit."""
    for name in ("CONUS current", "CONUS+"):
        e = get_experiment(name)
        lam = parameter_limit(e, "Lambda1").limit
        assert parameter_limit(e, "mu_nue").limit == pytest.approx(np.sqrt(coefficients("nu_e_bar")[0]) * lam,
                                                                    rel=1e-10)
        assert parameter_limit(e, "mu_eff").limit == pytest.approx(parameter_limit(e, "mu_nue").limit, rel=1e-12)


def test_transition_limits_equal_table2():
    for s in (get_setup("CsI[Na]"), get_setup("LAr", "future"), get_setup("TEXONO")):
        beam = "reactor" if s.source == "reactor" else "prompt"
        ref = one_parameter_limits(s, beam)
        for i in range(3):
            assert parameter_limit(s, f"Lambda{i + 1}", beam=beam).limit == pytest.approx(ref[i], rel=1e-9)


def test_two_sided_regions_contain_the_standard_model():
    lar = get_setup("LAr", "current")
    for p in ("q_nue", "q_numu", "r2_nue", "r2_numu"):
        lim = parameter_limit(lar, p)
        assert lim.lower < 0 < lim.upper and lim.limit == max(-lim.lower, lim.upper)
        rec = lim.record()
        assert {"parameter", "limit", "unit", "cl", "lower", "upper", "intervals"} <= set(rec)
        assert rec["cl"] == 0.9 and rec["unit"] in ("e", "cm^2")
    # a tighter confidence level gives a narrower interval
    assert parameter_limit(lar, "r2_nue", cl=0.68).limit < parameter_limit(lar, "r2_nue").limit


def test_excess_is_quadratic_and_flavour_selective():
    conus = get_setup("CONUS")
    a, b = excess_coefficients(conus, "r2_nue")
    assert b > 0 and a != 0
    with pytest.raises(ValueError, match="no nu_mu"):
        parameter_limit(conus, "q_numu")
    with pytest.raises(ValueError, match="unknown electromagnetic parameter"):
        parameter_limit(conus, "mu_nu_e")
    # prompt-only SNS beam: no nu_e component
    with pytest.raises(ValueError, match="no nu_e"):
        parameter_limit(get_setup("LAr"), "mu_nue", beam="prompt")
