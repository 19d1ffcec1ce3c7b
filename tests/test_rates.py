"""Event numbers, eq. (33) of arXiv:1905.03750, and the setups of Table 1 they are computed for."""

import dataclasses

import numpy as np
import pytest
from scipy.integrate import quad

from cevns_lib import engine as rates
from cevns_lib.detector import CsIEfficiency, FlatEfficiency, threshold_nr_keV
from cevns_lib.experiment import Experiment, all_setups, get_setup
from cevns_lib.physics import dsigma_em, dsigma_sm, e_min_MeV, number_of_nuclei, t_max_keV
from cevns_lib.sources import ReactorSpectrum

SETUPS = all_setups()


def test_all_table1_setups_are_present():
    assert len(SETUPS) == 18
    names = {(s.experiment, s.stage) for s in SETUPS}
    for exp in ("CsI[Na]", "HPGe", "LAr", "NaI[Tl]", "CONUS", "CONNIE", "MINER", "TEXONO", "RED100"):
        assert {(exp, "current"), (exp, "future")} <= names


# ------------------------------------------------------------------------- numerical accuracy

def test_refined_grids_change_event_numbers_by_less_than_0p1_percent():
    worst = 0.0
    for s in SETUPS:
        base = rates.event_yields(s)
        fine = rates.event_yields(s, n_t=2 * rates.N_T, n_e=2 * rates.N_E)
        for f in s.flavours:
            assert base.n_sm[f] > 0 and base.n_em[f] > 0, (s.label, f)
            worst = max(worst, abs(base.n_sm[f] / fine.n_sm[f] - 1), abs(base.n_em[f] / fine.n_em[f] - 1))
    assert worst < 1e-3


def brute_force(experiment, iso, spectrum, mu2):
    """Eq. (33) for one isotope with adaptive scipy quadrature (independent of rates' Gauss-Legendre grids)."""
    lo, hi, inner = rates.recoil_range_keV(experiment, iso, spectrum)

    def inner_integral(T, cross_section):
        if spectrum.line is not None:
            return float(cross_section(spectrum.line, T))
        e_lo = float(e_min_MeV(T, iso.mass_MeV))
        pts = [b for b in spectrum.breaks if e_lo < b < spectrum.e_max]
        return quad(lambda E: float(spectrum.pdf(E) * cross_section(E, T)), e_lo, spectrum.e_max,
                    points=pts or None, limit=200, epsrel=1e-8)[0]

    def outer(cross_section):
        # the T integrand has kinks where E_min(T) crosses a break of the spectrum: give them to quad
        kinks = tuple(float(t_max_keV(b, iso.mass_MeV)) for b in spectrum.breaks)
        edges = tuple(sorted({lo, hi} | {t for t in inner + kinks if lo < t < hi}))
        total = 0.0
        for a, b in zip(edges[:-1], edges[1:]):
            # integrate in ln T like the EM integrand's 1/T demands
            total += quad(lambda u: np.exp(u) * float(experiment.efficiency(np.exp(u)))
                          * inner_integral(np.exp(u), cross_section),
                          np.log(a), np.log(b), limit=200, epsrel=1e-7)[0]
        return total

    n_x = dict((i.name, n) for i, n in number_of_nuclei(experiment.material, experiment.mass_kg))[iso.name]
    k = n_x * experiment.fluence_cm2()
    return (k * outer(lambda E, T: dsigma_sm(E, T, iso)),
            k * outer(lambda E, T: dsigma_em(E, T, iso, mu2)))


@pytest.mark.parametrize("exp, flavour, iso_name", [("CsI", "nu_mu_prompt", "133Cs"), ("CsI", "nu_mu_bar", "127I"),
                                                    ("CONUS", "nu_e_bar", "74Ge"), ("MINER", "nu_e_bar", "28Si")])
def test_event_numbers_against_adaptive_quadrature(exp, flavour, iso_name):
    s = get_setup(exp)
    iso = [i for i, _ in number_of_nuclei(s.material, 1.0) if i.name == iso_name][0]
    spectrum = s.spectrum_of(flavour)
    mu2 = 4e-20                                   # (2e-10 mu_B)^2: the EM number is linear in mu^2
    sm, em = brute_force(s, iso, spectrum, mu2)
    y = rates.event_yields(s)
    # the default grids are accurate to about 1e-5 (ten times better than the 0.1% required)
    assert abs(y.per_isotope[iso_name][0][flavour] / sm - 1) < 1e-4
    assert abs(mu2 * y.per_isotope[iso_name][1][flavour] / em - 1) < 1e-4


def test_recoil_spectrum_integrates_to_the_event_numbers():
    x, w = np.polynomial.legendre.leggauss(64)
    for exp in ("CsI", "CONUS"):
        s = get_setup(exp)
        y = rates.event_yields(s)
        # every isotope's recoil range ends and every efficiency jump is a segment boundary
        ends = {t for iso, _ in number_of_nuclei(s.material, 1.0) for f in s.flavours
                for t in rates.recoil_range_keV(s, iso, s.spectrum_of(f))[:2]}
        nodes = np.log(sorted(ends | {b for b in s.efficiency.breaks_keV() if min(ends) < b < max(ends)}))
        u = np.concatenate([0.5 * (b - a) * x + 0.5 * (b + a) for a, b in zip(nodes[:-1], nodes[1:])])
        wu = np.concatenate([0.5 * (b - a) * w for a, b in zip(nodes[:-1], nodes[1:])])
        sm, em = rates.recoil_spectrum(s, np.exp(u))
        for f in s.flavours:
            assert abs(np.sum(wu * np.exp(u) * sm[f]) / y.n_sm[f] - 1) < 1e-4, (exp, f)
            assert abs(np.sum(wu * np.exp(u) * em[f]) / y.n_em[f] - 1) < 1e-4, (exp, f)


def test_recoil_spectrum_without_detector_response():
    s = get_setup("CsI")
    T = np.array([1.0, 3.0, 20.0, 40.0])
    sm, em = rates.recoil_spectrum(s, T, efficiency=False)
    sm_eff, _ = rates.recoil_spectrum(s, T)
    assert np.all(sm["nu_e"] > 0) and np.all(em["nu_mu_bar"] > 0)       # no window, no 5 PE step
    assert sm_eff["nu_e"][0] == 0.0 and sm_eff["nu_e"][-1] == 0.0
    assert sm["nu_mu_prompt"][-1] == 0.0                                 # above T_max of the prompt line
    assert np.isclose(sm_eff["nu_e"][2], s.efficiency(20.0) * sm["nu_e"][2], rtol=1e-12)


# -------------------------------------------------------------------------------- structure

def test_flavours_and_per_isotope_sums():
    for s in SETUPS:
        y = rates.event_yields(s)
        expected = ("nu_mu_prompt", "nu_e", "nu_mu_bar") if s.source == "SNS" else ("nu_e_bar",)
        assert tuple(y.n_sm) == expected == tuple(y.n_em)
        assert set(y.per_isotope) == {i.name for i, _ in number_of_nuclei(s.material, 1.0)}
        for f in expected:
            assert np.isclose(sum(v[0][f] for v in y.per_isotope.values()), y.n_sm[f], rtol=1e-12)
            assert np.isclose(sum(v[1][f] for v in y.per_isotope.values()), y.n_em[f], rtol=1e-12)


def test_em_events_are_linear_in_mu_squared():
    y = rates.event_yields(get_setup("HPGe"))
    mu2 = {"nu_mu_prompt": 1e-20, "nu_e": 4e-20, "nu_mu_bar": 9e-20}
    one = y.n_em_for(mu2)
    assert np.isclose(one, sum(mu2[f] * y.n_em[f] for f in mu2), rtol=1e-14)
    for k in (0.0, 0.5, 3.0, 100.0):
        assert np.isclose(y.n_em_for({f: k * v for f, v in mu2.items()}), k * one, rtol=1e-14, atol=0)


def test_luminosity_scalings():
    csi = get_setup("CsI")
    base = rates.event_yields(csi)
    heavy = rates.event_yields(dataclasses.replace(csi, mass_kg=2 * csi.mass_kg))
    far = rates.event_yields(dataclasses.replace(csi, baseline_m=2 * csi.baseline_m))
    for f in csi.flavours:
        assert np.isclose(heavy.n_sm[f], 2 * base.n_sm[f], rtol=1e-12)
        assert np.isclose(far.n_em[f], base.n_em[f] / 4, rtol=1e-12)
    # reactor current -> future: mass x efficiency x years, same flux and threshold
    cur, fut = get_setup("CONUS", "current"), get_setup("CONUS", "future")
    gain = (fut.mass_kg * fut.efficiency.value * fut.years) / (cur.mass_kg * cur.efficiency.value * cur.years)
    assert np.isclose(rates.event_yields(fut).n_sm_total, gain * rates.event_yields(cur).n_sm_total, rtol=1e-12)
    double_flux = dataclasses.replace(cur, flux_cm2_s=2 * cur.flux_cm2_s)
    assert np.isclose(rates.event_yields(double_flux).n_em["nu_e_bar"], 2 * rates.event_yields(cur).n_em["nu_e_bar"],
                      rtol=1e-12)


def test_threshold_above_the_kinematic_end_point_gives_no_events():
    # RED100 read as electron-equivalent: about 3.6 keVnr on Xe needs E_nu > 10 MeV (choice A5)
    red = dataclasses.replace(get_setup("RED100"), threshold_kind="ee_approx")
    y = rates.event_yields(red)
    assert y.n_sm_total == 0.0 and y.n_em["nu_e_bar"] == 0.0


def test_thresholds_and_ranges_follow_the_setup():
    conus = get_setup("CONUS")
    for iso, _ in number_of_nuclei("Ge", 1.0):
        lo, hi, inner = rates.recoil_range_keV(conus, iso, conus.reactor_spectrum)
        assert lo == threshold_nr_keV(0.1, "ee_approx", iso.Z, iso.A)
        assert np.isclose(hi, t_max_keV(10.0, iso.mass_MeV)) and inner == ()
    csi = get_setup("CsI")
    for iso, _ in number_of_nuclei("CsI", 1.0):
        lo, hi, inner = rates.recoil_range_keV(csi, iso, csi.spectrum_of("nu_e"))
        assert np.isclose(lo, 5 / 1.17) and np.isclose(hi, 30 / 1.17) and np.allclose(inner, (6 / 1.17,))


def test_wider_csi_window_adds_delayed_events_only():
    csi = get_setup("CsI")
    wide = dataclasses.replace(csi, efficiency=CsIEfficiency(pe_max=50.0))
    a, b = rates.event_yields(csi), rates.event_yields(wide)
    assert np.isclose(a.n_em["nu_mu_prompt"], b.n_em["nu_mu_prompt"], rtol=1e-12)
    assert b.n_em["nu_mu_bar"] > 1.05 * a.n_em["nu_mu_bar"]


# -------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("change", [{"mass_kg": -1.0}, {"mass_kg": 0.0}, {"mass_kg": float("nan")},
                                    {"threshold_keV": -0.1}, {"baseline_m": -19.3}, {"n_pot": -1e23},
                                    {"n_pot": None}])
def test_bad_sns_setup_raises(change):
    with pytest.raises(ValueError):
        dataclasses.replace(get_setup("CsI"), **change)


@pytest.mark.parametrize("change", [{"exposure_s": -1.0}, {"exposure_s": None}, {"flux_cm2_s": -2.3e13},
                                    {"flux_cm2_s": float("inf")}, {"threshold_keV": float("nan")},
                                    {"threshold_kind": "keVee"}, {"material": "Xx2O"}, {"source": "solar"},
                                    {"statistic": "chi2"}, {"sigma_alpha": -0.1}, {"baseline_m": 0.0}])
def test_bad_reactor_setup_raises(change):
    with pytest.raises(ValueError):
        dataclasses.replace(get_setup("CONUS"), **change)


def test_bad_setup_types_raise():
    with pytest.raises(TypeError):
        dataclasses.replace(get_setup("CONUS"), efficiency=0.5)
    with pytest.raises(TypeError):
        dataclasses.replace(get_setup("CONUS"), mass_kg="3.85")


def test_setup_constructor_validates():
    with pytest.raises(ValueError, match="mass"):
        Experiment(experiment="X", stage="current", source="reactor", material="Ge", mass_kg=-1.0, threshold_keV=0.1,
              threshold_kind="nr", efficiency=FlatEfficiency(0.5), baseline_m=10.0, exposure_s=3e7, flux_cm2_s=1e13)


def test_unknown_experiment_raises():
    with pytest.raises(ValueError, match="unknown experiment"):
        get_setup("GEMMA")
    with pytest.raises(ValueError, match="unknown stage"):
        get_setup("CONUS", "next")
    with pytest.raises(TypeError):
        get_setup(None)


def test_zero_threshold_with_flat_efficiency_raises():
    zero = dataclasses.replace(get_setup("CONUS"), threshold_keV=0.0)
    with pytest.raises(ValueError, match="zero threshold"):
        rates.event_yields(zero)


def test_bad_fission_fractions_in_a_setup_raise():
    with pytest.raises(ValueError, match="add up to 1"):
        dataclasses.replace(get_setup("CONUS"),
                            reactor_spectrum=ReactorSpectrum(fission_fractions=(("235U", 0.6), ("239Pu", 0.3))))


def test_recoil_spectrum_rejects_bad_energies():
    with pytest.raises(ValueError, match="finite"):
        rates.recoil_spectrum(get_setup("CONUS"), [1.0, np.nan])
    with pytest.raises(ValueError, match=">= 0"):
        rates.recoil_spectrum(get_setup("CONUS"), -1.0)
