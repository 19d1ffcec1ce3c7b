"""A binned reactor experiment file against an independent hand calculation: events per bin, the Asimov limit.

The hand calculation shares only the cross section (cevns_lib.physics.dsigma, tested on its own) and the
reactor spectrum with the library: the quenching inversion, the recoil and neutrino-energy integrals, the
binning, the Poisson likelihood and its profiling over the nuisances are written here from scratch.
"""

import textwrap

import numpy as np
import pytest
from scipy.optimize import brentq, minimize

from cevns_lib.engine import binned_yields, event_yields
from cevns_lib.experiment import load_experiment
from cevns_lib.physics import number_of_nuclei
from cevns_lib.physics.em_properties import dsigma
from cevns_lib.statistics import parameter_limit
from cevns_lib.statistics.binned import binned_fit

EDGES = [0.16, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50]
FILE = textwrap.dedent("""\
    name = "hand reactor Ge"
    [target]
    material = "Ge"
    mass_kg = 3.0
    [source]
    kind = "reactor"
    cores = [ { power_GW = 3.6, baseline_m = 20.7 }, { power_GW = 3.6, baseline_m = 41.4 } ]
    [exposure]
    days = 200
    [response]
    threshold_keV = 0.16
    threshold_kind = "ee"
    quenching = { model = "lindhard", k = 0.157 }
    [analysis]
    statistic = "binned-poisson"
    bin_edges_keV = [0.16, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50]
    sigma_signal = 0.05
    [[analysis.background]]
    name = "flat"
    model = "flat"
    rate_per_kg_day_keV = 1.0
    sigma = 0.02
    """)


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    p = tmp_path_factory.mktemp("hand") / "hand.toml"
    p.write_text(FILE)
    return load_experiment(p)


def _ee(T, Z, k):
    """Lindhard electron-equivalent energy (keV) of a recoil T (keVnr), written out."""
    eps = 11.5 * Z ** (-7.0 / 3.0) * T
    g = 3 * eps**0.15 + 0.7 * eps**0.6 + eps
    return k * g / (1 + k * g) * T


def _hand_bins(e, mu_muB=0.0):
    """SM (mu = 0) or SM + magnetic events per bin by brute-force trapezoidal integration."""
    flux = e.flux_at_detector_cm2_s()
    out = np.zeros(len(EDGES) - 1)
    spectrum = e.spectrum
    u = np.linspace(0.0, 1.0, 2001)
    for iso, n in number_of_nuclei("Ge", e.mass_kg):
        m = e.physics.mass_MeV(iso)
        for b, (lo, hi) in enumerate(zip(EDGES[:-1], EDGES[1:])):
            t_lo, t_hi = (brentq(lambda t, z=iso.Z, v=v: _ee(t, z, 0.157) - v, 1e-3, 20.0, xtol=1e-12)
                          for v in (lo, hi))
            T = np.linspace(t_lo, t_hi, 201)
            e_min = 0.5 * (T * 1e-3 + np.sqrt((T * 1e-3) ** 2 + 2 * m * T * 1e-3))
            E = e_min[:, None] + (spectrum.e_max - e_min)[:, None] * u[None, :]
            xs = dsigma(E, np.broadcast_to(T[:, None], E.shape), iso, antineutrino=True, mu_muB=mu_muB,
                        model=e.physics)
            rate = np.trapezoid(spectrum.pdf(E) * xs, E, axis=1)
            out[b] += n * flux * e.exposure_s * np.trapezoid(rate, T)
    return out


@pytest.fixture(scope="module")
def hand(experiment):
    sm = _hand_bins(experiment)
    mag = (_hand_bins(experiment, 1e-10) - sm)          # events per (1e-10 mu_B)^2
    return sm, mag


def test_sm_events_per_bin_agree_with_the_hand_calculation(experiment, hand):
    ours = binned_yields(experiment).n_sm
    sm, _ = hand
    assert ours.shape == sm.shape
    assert np.all(sm > 0)
    np.testing.assert_allclose(ours, sm, rtol=0.05)
    # and much better than 5% in the bins that carry the events
    assert abs(ours[:3].sum() / sm[:3].sum() - 1) < 0.01


def _hand_limit(sm, mag, bkg, sig_s=0.05, sig_b=0.02, level=2.71):
    """The Asimov 90% C.L. mu_nue limit (1e-10 mu_B) of a Poisson likelihood profiled over a and r."""
    n = sm + bkg

    def m2lnl(mu, p):
        a, r = p
        lam = np.maximum(a * (sm + mu**2 * mag) + r * bkg, 1e-12)
        return 2 * np.sum(lam - n + n * np.log(n / lam)) + ((a - 1) / sig_s) ** 2 + ((r - 1) / sig_b) ** 2

    def profiled(mu):
        return minimize(lambda p: m2lnl(mu, p), [1.0, 1.0], method="Nelder-Mead",
                        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000}).fun

    return brentq(lambda mu: profiled(mu) - level, 0.01, 50.0, xtol=1e-6)


def test_asimov_mu_nue_limit_agrees_with_the_hand_calculation(experiment, hand):
    sm, mag = hand
    bkg = 1.0 * experiment.mass_kg * 200 * np.diff(EDGES)
    ours = parameter_limit(experiment, "mu_nue")
    assert ours.statistic == "binned-poisson" and ours.unit == "1e-10 mu_B"
    assert ours.limit == pytest.approx(_hand_limit(sm, mag, bkg), rel=0.05)
    # the nuisances matter: without the signal prior the limit is tighter
    assert _hand_limit(sm, mag, bkg, sig_s=1e-4) < _hand_limit(sm, mag, bkg)


def test_two_cores_are_the_sum_of_two_single_core_files(tmp_path, experiment):
    singles = []
    for power, L in ((3.6, 20.7), (3.6, 41.4)):
        p = tmp_path / f"core{L}.toml"
        p.write_text(FILE.replace("cores = [ { power_GW = 3.6, baseline_m = 20.7 }, "
                                  "{ power_GW = 3.6, baseline_m = 41.4 } ]", f"power_GW = {power}\nbaseline_m = {L}"))
        singles.append(load_experiment(p))
    both = binned_yields(experiment)
    for term in ("sm", "mag", "q_lin", "r2_quad"):
        total = sum(binned_yields(s).terms["nu_e_bar"][term] for s in singles)
        np.testing.assert_allclose(both.terms["nu_e_bar"][term], total, rtol=1e-12)
    assert event_yields(experiment).n_sm_total == pytest.approx(sum(event_yields(s).n_sm_total for s in singles),
                                                                rel=1e-12)
    # the far core is a quarter of the near one
    assert binned_yields(singles[1]).n_sm.sum() == pytest.approx(binned_yields(singles[0]).n_sm.sum() / 4, rel=1e-12)


def test_bins_sum_to_the_window_total(experiment):
    window = experiment.replace(statistic="counting", bin_edges_keV=(), backgrounds=(), sigma_signal=None,
                                upper_keV=EDGES[-1])
    assert binned_yields(experiment).n_sm.sum() == pytest.approx(event_yields(window).n_sm_total, rel=1e-6)
    assert binned_yields(experiment).term("mag").sum() == pytest.approx(event_yields(window).term("mag"), rel=1e-6)


def test_observed_data_and_pulls(tmp_path, experiment):
    sm = binned_yields(experiment).n_sm
    bkg = 3.0 * 200 * np.diff(EDGES)
    counts = np.round(1.3 * sm + bkg)                      # a 30% excess over the Standard Model
    p = tmp_path / "data.toml"
    p.write_text(FILE + "[data]\ncounts = [" + ", ".join(f"{c:g}" for c in counts) + "]\n")
    e = load_experiment(p)
    fit = binned_fit(e, "mu_nue")
    assert fit.best_fit > 0                             # the excess is read as a magnetic moment
    assert set(fit.pulls) == {"signal_norm", "flat"} and fit.pulls["signal_norm"] > 0
    assert fit.record()["pull_flat"] == fit.pulls["flat"]
    asimov = parameter_limit(experiment, "mu_nue").limit
    assert parameter_limit(e, "mu_nue").limit > asimov  # an excess loosens the limit
