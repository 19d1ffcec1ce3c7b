"""Other electromagnetic properties: flavour magnetic moments, millicharges, charge radii, and their limits."""

import numpy as np
import pytest

from cevns_lib import constants as c
from cevns_lib.datasets.coherent import prediction
from cevns_lib.engine import event_yields, isotope_term_integrals
from cevns_lib.experiment import get_experiment, get_setup
from cevns_lib.physics import PhysicsModel, coefficients, dsigma_em, dsigma_sm, isotope, nucleon_vector_couplings
from cevns_lib.physics import em_properties as em
from cevns_lib.statistics import excess_coefficients, one_parameter_limits, parameter_limit

CS = isotope("133Cs")
# Cross sections are ~1e-39 cm^2/keV: every pytest.approx on them sets abs=0 (the default 1e-12 would pass anything).


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


def test_antineutrino_sees_the_neutrino_shift():
    """Choice E1: with the neutrino's own <r^2> and q, nu and anti-nu have the same cross section."""
    E, T = 30.0, np.linspace(0.5, 14.0, 30)
    for kw in ({"r2_cm2": 3e-32}, {"q_e": 2e-8}, {"r2_cm2": -4e-32, "q_e": 5e-8}):
        np.testing.assert_allclose(em.dsigma(E, T, CS, antineutrino=True, **kw), em.dsigma(E, T, CS, **kw),
                                   rtol=1e-14)
        assert not np.allclose(em.dsigma(E, T, CS, **kw), dsigma_sm(E, T, CS), rtol=1e-3, atol=0.0)


def _table_source(species):
    """The CONUS current setup with its reactor spectrum declared as a tabulated source of one species."""
    conus = get_setup("CONUS", "current")
    return conus.replace(source="table", species=species, flux_cm2_s=conus.flux_at_detector_cm2_s(),
                         flux_reference_m=None, power_GW=None)


def test_nu_and_nubar_of_one_spectrum_give_the_same_excess():
    """A pure anti-nu_e source and a pure nu_e source of the same spectrum and flux: the same X = a x + b x^2
    for the same <r^2_nue> and q_nue (the old reading, a sign flip for anti-nu, gives a_nubar = -a_nu)."""
    nubar, nue = _table_source("nu_e_bar"), _table_source("nu_e")
    for p in ("r2_nue", "q_nue"):
        a_bar, b_bar = excess_coefficients(nubar, p)
        a_nu, b_nu = excess_coefficients(nue, p)
        assert a_bar == pytest.approx(a_nu, rel=1e-12) and b_bar == pytest.approx(b_nu, rel=1e-12)
        # and the reactor source itself is the anti-nu_e table source
        assert excess_coefficients(get_setup("CONUS", "current"), p)[0] == pytest.approx(a_bar, rel=1e-9)
    # Q_V < 0: a positive radius lowers g_V^p and raises |Q_V| (more events); a positive charge raises g_V^p
    assert excess_coefficients(nubar, "r2_nue")[0] > 0 > excess_coefficients(nubar, "q_nue")[0]


def test_millicharge_shift_falls_as_one_over_T_and_raises_the_proton_coupling():
    """The photon propagator 1/q^2 at the space-like q^2 = -2MT: a charge of the proton's sign adds repulsion."""
    gp, gn = nucleon_vector_couplings()
    E, q_e = 30.0, 1e-8
    for T in (1.0, 5.0, 12.0):
        k = em.MILLICHARGE_SHIFT_MEV2 * q_e / (2 * CS.mass_MeV * T * 1e-3)
        assert em.millicharge_shift(q_e, T, CS.mass_MeV) == pytest.approx(-k, rel=1e-14)
        ref = dsigma_sm(E, T, CS, model=PhysicsModel(nucleon_couplings=(gp + k, gn)))
        assert em.dsigma(E, T, CS, q_e=q_e) == pytest.approx(ref, rel=1e-12, abs=0.0)


def test_the_charge_form_factor_can_vanish():
    """F_Q(q^2) = q_nu + q^2 <r^2> / 6 vanishes at q^2 = -2 M T0 for q_nu = 2 M T0 <r^2> / 6: the photon amplitude
    is zero there and the cross section is the Standard Model's (with equal signs of the two terms it doubles)."""
    E, r2 = 30.0, 4e-32
    for T0 in (0.8, 3.0, 6.0):            # and 2 T0 below the end point of E = 30 MeV on 133Cs (14.5 keV)
        q_e = 2.0 * CS.mass_MeV * T0 * 1e-3 * r2 / (6.0 * c.HBARC2_CM2_MEV2)
        for anti in (False, True):
            got = em.dsigma(E, T0, CS, antineutrino=anti, q_e=q_e, r2_cm2=r2)
            assert got == pytest.approx(dsigma_sm(E, T0, CS), rel=1e-12, abs=0.0)
        # away from T0 the photon amplitude is back
        away = em.dsigma(E, 2 * T0, CS, q_e=q_e, r2_cm2=r2)
        assert away != pytest.approx(dsigma_sm(E, 2 * T0, CS), rel=1e-4, abs=0.0)


def test_reversed_weak_charge_returns_the_standard_model_for_nu_and_nubar():
    """On 40Ar (F_Z = F_N, choice A12), r2* = 2 Q_V^0 / (Z k_r) turns Q_V F into -Q_V F at every recoil energy, so
    the prompt nu_mu and the delayed anti-nu_mu both give the Standard-Model counts (the old sign: 9 times)."""
    ar = isotope("40Ar")
    gp, gn = nucleon_vector_couplings()
    r2_star = 2.0 * (gp * ar.Z + gn * ar.N) / (ar.Z * em.CHARGE_RADIUS_SHIFT_PER_CM2)
    assert r2_star == pytest.approx(-50.0e-32, rel=2e-3, abs=0.0)
    T = np.array([2.0, 10.0, 30.0, 60.0])
    lar = get_setup("LAr", "current")
    for comp in ("nu_mu_prompt", "nu_mu_bar"):
        f = prediction.folded(T, ar, comp)
        np.testing.assert_allclose(f["sm"] + r2_star * f["r2_lin"] + r2_star**2 * f["r2_quad"], f["sm"], rtol=1e-9)
        t = isotope_term_integrals(lar, ar, comp)
        assert t["sm"] + r2_star * t["r2_lin"] + r2_star**2 * t["r2_quad"] == pytest.approx(t["sm"], rel=1e-9, abs=0.0)


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
    shifted = event_yields(lar, physics=lar.physics.replace(nucleon_couplings=(gp - q, gn)))
    for f in ("nu_mu_prompt", "nu_e", "nu_mu_bar"):
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
