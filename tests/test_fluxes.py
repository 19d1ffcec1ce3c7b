"""Neutrino sources: SNS decay-at-rest spectra (eq. 28) and the reactor antineutrino spectrum (choice A7)."""

import numpy as np
import pytest

from cevns_lib import sources as fluxes
from cevns_lib.constants import M_MU
from cevns_lib.data import kopeikin1997_spectrum


def gauss(func, a, b, n=400):
    x, w = np.polynomial.legendre.leggauss(n)
    E = 0.5 * (b - a) * x + 0.5 * (b + a)
    return float(np.sum(0.5 * (b - a) * w * func(E)))


# -------------------------------------------------------------------------------------- SNS

def test_prompt_line_and_end_point():
    assert abs(fluxes.E_PROMPT_MEV - 29.79) < 0.005
    assert abs(fluxes.W_MEV - 52.83) < 0.005
    assert fluxes.SNS_SPECTRA["nu_mu_prompt"].line == fluxes.E_PROMPT_MEV
    assert fluxes.SNS_SPECTRA["nu_mu_prompt"].e_max == fluxes.E_PROMPT_MEV


@pytest.mark.parametrize("eta, mean_over_m_mu", [(fluxes.eta_nu_e, 0.30), (fluxes.eta_nu_mu_bar, 0.35)])
def test_delayed_spectra_unit_area_and_mean(eta, mean_over_m_mu):
    assert abs(gauss(eta, 0.0, fluxes.W_MEV) - 1.0) < 1e-12
    # analytic means of the Michel spectra: 3/10 m_mu (nu_e) and 7/20 m_mu (anti-nu_mu)
    assert abs(gauss(lambda E: E * eta(E), 0.0, fluxes.W_MEV) / M_MU - mean_over_m_mu) < 1e-12


@pytest.mark.parametrize("eta", [fluxes.eta_nu_e, fluxes.eta_nu_mu_bar])
def test_delayed_spectra_vanish_above_half_the_muon_mass(eta):
    E = np.concatenate(([fluxes.W_MEV * (1 + 1e-12)], np.linspace(53.0, 300.0, 50)))
    assert np.all(eta(E) == 0.0)
    assert np.all(eta(np.linspace(0.0, fluxes.W_MEV, 200)) >= 0.0)


def test_spectrum_objects():
    for key in ("nu_e", "nu_mu_bar"):
        s = fluxes.SNS_SPECTRA[key]
        assert s.line is None and s.e_max == fluxes.W_MEV
        assert abs(gauss(s.pdf, 0.0, s.e_max) - 1.0) < 1e-12
    with pytest.raises(ValueError, match="monochromatic"):
        fluxes.SNS_SPECTRA["nu_mu_prompt"].pdf(29.0)


def test_sns_fluence():
    # r N_POT / (4 pi L^2) = 0.08 x 1.76e23 / (4 pi (1930 cm)^2) = 3.0e14 cm^-2 for the CsI run
    phi = fluxes.sns_fluence(1.76e23, 19.3)
    assert abs(phi / 3.0e14 - 1) < 0.01
    assert np.isclose(fluxes.sns_fluence(1.76e23, 38.6), phi / 4, rtol=1e-14)
    assert np.isclose(fluxes.sns_fluence(3.52e23, 19.3), 2 * phi, rtol=1e-14)


@pytest.mark.parametrize("args", [(-1.0, 19.3), (1.76e23, 0.0), (1.76e23, float("nan")), (1.76e23, 19.3, -0.08)])
def test_bad_fluence_input_raises(args):
    with pytest.raises(ValueError):
        fluxes.sns_fluence(*args)


# ---------------------------------------------------------------------------------- reactor

DEFAULT = fluxes.ReactorSpectrum()


@pytest.mark.parametrize("iso", fluxes.REACTOR_ISOTOPES)
def test_low_energy_fit_joins_mueller_continuously(iso):
    assert np.isclose(fluxes.vogel_engel_joined(2.0, iso), fluxes.mueller(2.0, iso), rtol=1e-12)


def test_assembled_spectrum_is_continuous_at_2_mev():
    left, right = DEFAULT.per_fission(2.0 - 1e-9), DEFAULT.per_fission(2.0)
    assert abs(left / right - 1) < 1e-6
    # the Mueller mixture at 2 MeV: about 1.26 per MeV per fission
    assert abs(right - 1.26) < 0.01


@pytest.mark.parametrize("iso, expected", list(zip(fluxes.REACTOR_ISOTOPES, (1.09, 1.00, 1.11, 1.04))))
def test_join_factors_near_one(iso, expected):
    assert abs(fluxes.join_factor(iso) - expected) < 0.01


@pytest.mark.parametrize("E", [1.999, 1.0, 0.0, [1.5, 3.0]])
def test_mueller_refuses_energies_below_2_mev(E):
    with pytest.raises(ValueError, match="below 2 MeV"):
        fluxes.mueller(E, "235U")


def test_mueller_unknown_isotope_raises():
    with pytest.raises(ValueError, match="fissioning isotope"):
        fluxes.mueller(3.0, "233U")


def test_integrals_per_fission():
    frag = DEFAULT.integral_per_fission(0.0, 2.0, "fragments")
    cap = DEFAULT.integral_per_fission(0.0, 2.0, "capture")
    below = DEFAULT.integral_per_fission(0.0, 2.0)
    above = DEFAULT.integral_per_fission(2.0)
    n_nu = DEFAULT.nu_per_fission
    assert abs(frag - 3.95) < 0.05
    assert abs(cap - 2 * DEFAULT.n_capture) < 1e-9       # two antineutrinos per capture
    assert abs(below - 5.15) < 0.05
    assert abs(above - 1.59) < 0.02
    assert 6.5 < n_nu < 6.8
    assert np.isclose(below + above, n_nu, rtol=1e-12)
    assert abs(above / n_nu - 0.237) < 0.003


def test_reactor_pdf_is_normalised_non_negative_and_ends_at_e_max():
    nodes = (0.0, 0.72, 1.26, 2.0, DEFAULT.e_max)
    total = sum(gauss(DEFAULT.pdf, a, b) for a, b in zip(nodes[:-1], nodes[1:]))
    assert abs(total - 1.0) < 1e-10
    E = np.linspace(0.0, 12.0, 2401)
    assert np.all(DEFAULT.pdf(E) >= 0.0)
    assert np.all(DEFAULT.pdf(E[E > DEFAULT.e_max]) == 0.0)


def test_capture_chain_lies_below_its_end_points():
    E = np.linspace(0.0, 2.0, 2001)
    cap = fluxes.capture_chain(E)
    assert np.all(cap[E > 1.26] == 0.0) and np.all(cap >= 0.0)
    assert np.isclose(gauss(lambda x: fluxes.capture_chain(x, 0.6, fermi=False), 0.0, 0.72)
                      + gauss(lambda x: fluxes.capture_chain(x, 0.6, fermi=False), 0.72, 1.26), 1.2, rtol=1e-6)


@pytest.mark.parametrize("kw", [
    {"fission_fractions": (("235U", 0.5), ("238U", 0.07), ("239Pu", 0.30), ("241Pu", 0.05))},   # sums to 0.92
    {"fission_fractions": (("235U", 1.2), ("239Pu", -0.2))},
    {"fission_fractions": (("233U", 1.0),)},
    {"e_max": 1.5},
    {"n_capture": -0.1},
    {"n_capture": float("nan")},
])
def test_bad_reactor_spectrum_raises(kw):
    with pytest.raises(ValueError):
        fluxes.ReactorSpectrum(**kw)


def test_flux_from_power_and_baseline():
    # 1 GW thermal at 202 MeV per fission is 3.09e19 fissions per second
    phi = fluxes.reactor_flux_from_power(1.0, 10.0)
    fissions = 1e9 / (202.0 * 1.602176634e-13)
    assert abs(fissions / 3.09e19 - 1) < 1e-3
    assert np.isclose(phi, fissions * DEFAULT.nu_per_fission / (4 * np.pi * 1000.0**2), rtol=1e-12)
    assert np.isclose(fluxes.reactor_flux_from_power(2.0, 20.0), phi / 2, rtol=1e-12)
    # CONUS: 3.9 GW at 17.1 m gives 2.1-2.2e13 per cm^2 per s (choice A6)
    assert 2.1e13 < fluxes.reactor_flux_from_power(3.9, 17.1) < 2.25e13
    with pytest.raises(ValueError):
        fluxes.reactor_flux_from_power(-1.0, 10.0)


# ------------------------------------------------------------------- Kopeikin et al. (1997)

def kopeikin_table():
    """The project's copy of the Kopeikin, Mikaelyan and Sinev (1997) table (data/reference/)."""
    return kopeikin1997_spectrum()


def test_kopeikin_table_is_the_published_table():
    E, S = kopeikin_table()
    # 50 points from 0.01 to 9 MeV, spot values of the published table (antineutrinos / MeV / fission)
    assert E.shape == S.shape == (50,)
    assert (E[0], E[-1]) == (0.010, 9.000)
    assert S[np.isclose(E, 0.330)][0] == 5.97     # highest point of the low-energy sawtooth
    assert S[np.isclose(E, 2.000)][0] == 1.30
    assert S[np.isclose(E, 4.000)][0] == 0.261
    assert not E.flags.writeable and not S.flags.writeable


def test_low_energy_model_against_kopeikin():
    E, S = kopeikin_table()
    low = E <= 2.0 + 1e-9
    table_below = np.trapezoid(S[low], E[low])
    assert abs(table_below - 5.1) < 0.1
    model_below = DEFAULT.integral_per_fission(0.0, 2.0)
    assert abs(model_below / table_below - 1) < 0.05
    # the table at 2 MeV is within a few per cent of the Mueller mixture there
    assert abs(S[np.isclose(E, 2.0)][0] / DEFAULT.per_fission(2.0) - 1) < 0.05


def test_whole_spectrum_per_fission_with_kopeikin_below_2_mev():
    E, S = kopeikin_table()
    low = E <= 2.0 + 1e-9
    total = np.trapezoid(S[low], E[low]) + DEFAULT.integral_per_fission(2.0)
    assert 6.5 < total < 6.8
    assert abs(DEFAULT.nu_per_fission / total - 1) < 0.05


def test_power_based_fluxes_of_the_reactor_setups():
    """Setups carry the reactor power and distance; the power-based flux is close to the flux used (choice A6)."""
    from cevns_lib.experiment import all_setups, get_setup

    conus = get_setup("CONUS")
    assert conus.power_based_flux_cm2_s() == pytest.approx(2.2e13, rel=0.03)   # choice A6: 2.1-2.2e13
    for s in all_setups():
        if s.source == "reactor":
            ratio = s.flux_cm2_s / s.power_based_flux_cm2_s()
            assert 0.8 < ratio < 1.7, (s.label, ratio)     # TEXONO (core 1 only) is the outlier, ~1.6
    with pytest.raises(ValueError, match="no reactor power"):
        get_setup("HPGe").power_based_flux_cm2_s()
