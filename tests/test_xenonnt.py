"""XENONnT solar-8B release: reading, the signal fold, the interpolated likelihood, and the published numbers.

The spectrum-dependent numbers (the Standard-Model prediction, the flux and the cross section) are computed with
the solar spectra of cevns_lib.datasets.xenonnt.solar.solar_spectra: the library's solar source (Winter et al. 8B,
Bahcall hep; choice D23).
"""

import json
import subprocess
import sys
import time
from dataclasses import FrozenInstanceError, replace
from types import MappingProxyType

import numpy as np
import pytest

from cevns_lib.constants import YEAR_S
from cevns_lib.datasets import xenonnt as X
from cevns_lib.datasets.xenonnt import release as R
from cevns_lib.datasets.xenonnt import signal as S
from cevns_lib.datasets.xenonnt import solar
from cevns_lib.datasets.xenonnt.likelihood import Likelihood, bilinear
from cevns_lib.physics import PhysicsModel, dsigma_sm, number_of_nuclei
from cevns_lib.sources import TableSpectrum, allowed_beta_shape

Y24, Y26 = "xenonnt-8b-2024", "xenonnt-8b-2026"


def beta_shape(endpoint_MeV, name="test shape", n=600):
    """An allowed beta spectrum without Coulomb factor, tabulated (a smooth test spectrum of the right scale)."""
    E = np.linspace(0.0, endpoint_MeV, n)
    return TableSpectrum(tuple(E), tuple(allowed_beta_shape(E, endpoint_MeV, 1.0, fermi=False)), name=name)


@pytest.fixture(scope="module")
def fit24():
    return X.fit(Y24)


@pytest.fixture(scope="module")
def fit26():
    return X.fit(Y26)


# --------------------------------------------------------------------------------------------- the release files

def test_observed_events_and_binning():
    counts = {r: R.observed_counts(r) for r in R.RUNS}
    assert {r: int(c.sum()) for r, c in counts.items()} == {"sr0": 9, "sr1": 28, "sr2": 25}
    assert all(c.shape == (3, 3, 3, 3) for c in counts.values())
    for r in R.RUNS:
        ev, edges = R.events(r), R.binning(r)
        assert ev.shape[0] == counts[r].sum()
        # no event within 1e-5 of an edge, so the YAML and template edges (equal to 5e-13) bin alike (choice D17)
        assert min(np.min(np.abs(ev[:, d, None] - edges[d][None, :])) for d in range(4)) > 1e-5
    assert R.binning("sr0")[0][1] == pytest.approx(170.161773681641)
    assert R.binning("sr1")[0][1] == pytest.approx(155.937850952148)


def test_nominal_backgrounds_per_run():
    pars = R.release_parameters()
    expected = {"sr0": (7.482, 0.126, 0.171), "sr1": (17.767, 0.549, 0.405), "sr2": (14.865, 0.524, 0.175)}
    for run, d in expected.items():
        b = R.background_templates(run)
        X_ = pars.fact(f"exposure_{run}_t_yr")
        got = (b.ac.sum() * X_, b.er.sum() * X_, b.rg[3, 3].sum() * X_)
        assert got == pytest.approx(d, abs=6e-4)


def test_packed_grids_follow_the_file_names():
    for run in R.RUNS:
        b = R.background_templates(run)
        for i, a in enumerate(b.t_ly):
            for j, c in enumerate(b.t_qy):
                assert str(b.files["rg"][i, j]).endswith(f"_tly_{a:.1f}_tqy_{c:.1f}.h5")
        with np.load(R.release_path("templates", run, f"mono_{run}.npz"), allow_pickle=False) as z:
            names, E = z["file_name"], z["energy_keVnr"]
            for i, j, k in [(0, 0, 0), (13, 2, 5), (45, 6, 1)]:
                assert str(names[i, j, k]).endswith(
                    f"_mono_{E[i]:.3f}_cevns_tly_{z['t_ly'][j]:.1f}_tqy_{z['t_qy'][k]:.1f}.h5")
            assert len(str(z["file_sha256"][0, 0, 0])) == 64


def test_mono_efficiency_matches_the_survey():
    m = R.mono_templates("sr0")
    eff = dict(zip(np.round(m.energy_keV, 1), m.efficiency()))
    assert eff[1.0] == pytest.approx(0.0073, abs=2e-4)
    assert eff[2.0] == pytest.approx(0.069, abs=1e-3)
    assert eff[3.0] == pytest.approx(0.136, abs=1e-3)
    assert eff[4.0] == pytest.approx(0.153, abs=1e-3)
    assert m.energy_keV[0] == pytest.approx(0.5) and m.energy_keV[-1] == pytest.approx(5.0)
    assert np.all(np.diff(m.energy_keV) == pytest.approx(0.1))


def test_library_reads_the_release_without_h5py():
    code = ("import sys; from cevns_lib.datasets import xenonnt as X; X.dataset('xenonnt-8b-2024'); "
            "print('h5py' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_results_are_read_only():
    with pytest.raises(ValueError):
        R.events("sr0")[0, 0] = 1.0
    with pytest.raises(ValueError):
        R.mono_templates("sr1").template[0, 0, 0, 0, 0, 0, 0] = 1.0
    with pytest.raises(ValueError):
        X.dataset(Y24).runs[0].signal[("8B", "sm")][0, 0, 0] = 1.0
    with pytest.raises(TypeError):
        X.dataset(Y24).basis[("8B", "sm")] = None


# --------------------------------------------------------------------------------------------- the signal fold

def test_fold_weights_are_the_trapezoid_on_the_anchor_grid():
    E = R.mono_templates("sr0").energy_keV
    A = S.fold_weights(E, E)
    assert np.allclose(A, np.diag(np.diag(A)))
    w = np.diag(A)
    assert w[0] == pytest.approx(0.05) and w[-1] == pytest.approx(0.05) and np.allclose(w[1:-1], 0.1)
    Ef = np.linspace(0.5, 5.0, 451)
    Af = S.fold_weights(Ef, E)
    assert Af.sum() == pytest.approx(4.5)                      # int 1 dE over the range
    with pytest.raises(ValueError, match="must run from 0.5"):
        S.fold_weights(np.linspace(0.6, 5.0, 10), E)


def test_delta_like_spectrum_returns_the_mono_template():
    mono = R.mono_templates("sr1")
    E = mono.energy_keV
    w = np.diag(S.fold_weights(E, E))
    for i in (0, 17, 45):
        rate = np.zeros(E.size)
        rate[i] = 1.0 / w[i]                                   # one recoil per (t yr), all at E_i
        folded = S.fold_basis({("delta", "sm"): rate}, mono)[("delta", "sm")]
        assert np.allclose(folded, mono.template[i].reshape(7, 7, -1), rtol=1e-12, atol=0)


def test_fold_is_linear():
    mono = R.mono_templates("sr2")
    E = mono.energy_keV
    f, g = np.exp(-E), E**2
    out = S.fold_basis({"f": f, "g": g, "h": 2.0 * f - 3.0 * g}, mono)
    assert np.allclose(out["h"], 2.0 * out["f"] - 3.0 * out["g"], rtol=1e-12, atol=1e-18)


def test_nr_basis_equals_the_direct_cross_section_integral():
    spec = beta_shape(12.0)
    flux = 1e6
    T = np.array([0.7, 2.0, 4.5])
    got = S.nr_basis({"x": (spec, flux)}, T, terms=("sm", "r2_lin"))
    E = np.linspace(0.0, 12.0, 24001)[1:]
    want = np.zeros(T.size)
    for iso, n in number_of_nuclei("Xe", 1000.0):
        ds = dsigma_sm(E[:, None], T[None, :], iso)                                 # cm^2/keV
        want += n * flux * YEAR_S * np.trapezoid(spec.pdf(E)[:, None] * ds, E, axis=0)
    assert got[("x", "sm")] == pytest.approx(want, rel=2e-4)
    # an antineutrino of the same spectrum has the same charge-radius term (choice E1)
    anti = S.nr_basis({"x": (spec, flux, True)}, T, terms=("r2_lin",))
    assert got[("x", "r2_lin")][0] > 0
    assert anti[("x", "r2_lin")] == pytest.approx(got[("x", "r2_lin")], rel=1e-12)


def test_finer_integral_changes_the_8B_count_by_half_a_percent():
    spectra = dict(solar.solar_spectra().components)
    mono = R.mono_templates("sr0")
    coarse = S.fold_basis(S.nr_basis(spectra, mono.energy_keV, terms=("sm",)), mono)[("8B", "sm")][3, 3].sum()
    Ef = np.linspace(0.5, 5.0, 451)
    fine = S.fold_basis(S.nr_basis(spectra, Ef, terms=("sm",)), mono, Ef)[("8B", "sm")][3, 3].sum()
    assert 0.003 < fine / coarse - 1.0 < 0.008


def test_bad_spectra_are_refused():
    E = R.mono_templates("sr0").energy_keV
    with pytest.raises(ValueError, match="non-empty mapping"):
        S.nr_basis({}, E)
    with pytest.raises(ValueError, match="flux_cm2_s"):
        S.nr_basis({"8B": (beta_shape(14.0, "x"), -1.0)}, E)
    with pytest.raises(ValueError, match="terms"):
        S.nr_basis({"8B": (beta_shape(14.0, "x"), 1.0)}, E, terms=("nope",))
    with pytest.raises(ValueError, match="E_nr_keV"):
        S.nr_basis({"8B": (beta_shape(14.0, "x"), 1.0)}, [0.0, 1.0])


# --------------------------------------------------------------------------------------------- the likelihood

def _p(lik, x=1.0, t=(0.0, 0.0)):
    p = lik.start()
    p[0] = x
    p[lik.names.index("t_ly")], p[lik.names.index("t_qy")] = t
    return p


def test_interpolation_returns_the_anchor_templates_at_the_anchors():
    d = X.dataset(Y26)
    lik = d.likelihood
    for a, b in [(-3, -3), (0, 0), (1, -2), (3, 3), (2, 3)]:
        c = lik.components(_p(lik, t=(a, b)))
        for k, run in enumerate(d.runs):
            # exact where the anchor is a cell's lower corner; to rounding at t = 3 (the last cell's upper corner)
            assert np.allclose(c["rg"][k], run.exposure_t_yr * run.rg[a + 3, b + 3], rtol=1e-12, atol=0)
            if a < 3 and b < 3:
                assert np.array_equal(c["rg"][k], run.exposure_t_yr * run.rg[a + 3, b + 3])
            s8, shep = run.signal[("8B", "sm")][a + 3, b + 3], run.signal[("hep", "sm")][a + 3, b + 3]
            sig = s8 / d.flux_reference_cm2_s * 1e6 + shep
            assert c["signal"][k] == pytest.approx(run.exposure_t_yr * sig, rel=1e-12)


def test_interpolation_is_bilinear_between_anchors():
    d = X.dataset(Y24)
    lik = d.likelihood
    mid = lik.components(_p(lik, t=(0.5, -1.5)))["rg"]
    corners = sum(lik.components(_p(lik, t=t))["rg"] for t in [(0, -1), (1, -1), (0, -2), (1, -2)]) / 4
    assert np.allclose(mid, corners, rtol=1e-12)
    assert bilinear(3.0, -3.0) == (5, 0, 1.0, 0.0)
    assert bilinear(9.0, -9.0) == (5, 0, 1.0, 0.0)


def test_swapping_the_yield_axes_changes_the_result():
    d = X.dataset(Y24)
    swapped = [replace(r, rg=np.swapaxes(r.rg, 0, 1),
                       signal=MappingProxyType({k: np.swapaxes(v, 0, 1) for k, v in r.signal.items()}))
               for r in d.runs]
    lik = d.likelihood
    lik_s = Likelihood(swapped, lik.parameter, d.priors, d.limits, d.efficiency, d.separate)
    a = lik.expected(_p(lik, t=(1.0, -2.0)))
    b = lik_s.expected(_p(lik_s, t=(1.0, -2.0)))
    assert not np.allclose(a, b, rtol=1e-3)
    assert np.allclose(lik_s.expected(_p(lik_s, t=(-2.0, 1.0))), a, rtol=1e-12)
    # the priors are symmetric in (t_ly, t_qy): the minimum is the same with the fitted yields exchanged, and the
    # two fitted yields differ, so exchanged axes would be reported as the wrong pulls
    best, best_s = lik.minimise(), lik_s.minimise()
    assert best_s.m2lnl == pytest.approx(best.m2lnl, abs=1e-6)
    assert best_s.nuisances["t_ly"] == pytest.approx(best.nuisances["t_qy"], abs=1e-3)
    assert abs(best.nuisances["t_ly"] - best.nuisances["t_qy"]) > 0.1


def test_exposure_doubling_doubles_the_expected_counts():
    d = X.dataset(Y26)
    lik = d.likelihood
    doubled = [replace(r, exposure_t_yr=2.0 * r.exposure_t_yr) for r in d.runs]
    lik2 = Likelihood(doubled, lik.parameter, d.priors, d.limits, d.efficiency, d.separate)
    p = _p(lik, x=3.0, t=(0.4, -0.7))
    assert np.allclose(lik2.expected(p), 2.0 * lik.expected(p), rtol=1e-13)


def test_gradient_is_the_derivative():
    lik = X.dataset(Y26).likelihood
    p = _p(lik, x=4.0, t=(0.3, -0.6))
    p[1:4] = (0.9, 1.1, 1.05)
    g = lik.grad(p)
    for k in range(p.size):
        h = 1e-6
        a, b = p.copy(), p.copy()
        a[k] += h
        b[k] -= h
        assert g[k] == pytest.approx((lik(a) - lik(b)) / (2 * h), rel=1e-5, abs=1e-6)


def test_nuisances_are_shared_as_in_the_2024_model():
    assert X.dataset(Y24).likelihood.names == ("x", "ac_sr0", "ac_sr1", "er", "nr", "efficiency", "t_ly", "t_qy")
    assert X.dataset(Y26).likelihood.names[:4] == ("x", "ac_sr0", "ac_sr1", "ac_sr2")
    sep = X.build(Y26, separate=("sr2",)).likelihood.names
    assert {"er_sr2", "nr_sr2", "efficiency_sr2"} <= set(sep)
    assert "efficiency" not in X.build(Y24, efficiency=False).likelihood.names
    centres = X.dataset(Y24).likelihood.centres
    assert centres["t_ly"] == 0.0 and centres["er"] == 1.0


# --------------------------------------------------------------------------------------------- the published numbers

def test_sr0_sr1_observed_and_background(fit24):
    pub = X.dataset(Y24).published
    assert fit24.n_observed == 37 == pub["n_observed"].value
    assert fit24.n_background == pytest.approx(26.50, abs=0.01)         # the survey: 26.50 with these templates
    b = pub["n_background"]
    assert b.value - b.err_low < fit24.n_background < b.value + b.err_high
    # prior-propagated error: published +1.4 -1.3
    assert 1.2 < fit24.n_background_err < 1.7
    assert 0.9 < fit24.n_background_err_low < 1.5 and 1.2 < fit24.n_background_err_high < 1.8


def test_sr0_sr1_significance_flux_and_events(fit24):
    pub = X.dataset(Y24).published
    assert 2.4 < fit24.significance_sigma < 3.1
    assert abs(fit24.significance_sigma - pub["significance"].value) < 0.15
    f = pub["flux_8B_cm2_s"]
    assert f.value - f.err_low < fit24.flux_8B_cm2_s < f.value + f.err_high
    assert fit24.flux_8B_cm2_s_err_high > fit24.flux_8B_cm2_s_err_low > 0
    # the survey's fit of these mono templates: 11.07 fitted 8B events
    assert fit24.n_cevns == pytest.approx(11.07, abs=0.5)
    assert fit24.n_cevns_err_high > fit24.n_cevns_err_low > 3.0
    assert fit24.valid


def test_flux_averaged_cross_section(fit24):
    pub = X.dataset(Y24).published["xsec_cm2"]
    assert pub.value - pub.err_low < fit24.xsec_cm2 < pub.value + pub.err_high
    assert fit24.xsec_cm2 - fit24.xsec_cm2_err_low < pub.value < fit24.xsec_cm2 + fit24.xsec_cm2_err_high
    assert fit24.xsec_cm2 == pytest.approx(fit24.signal_strength * fit24.xsec_sm_cm2, rel=1e-12)
    # <sigma>_SM of the 8B spectrum on xenon: G_F^2 N^2 <E^2> / 4 pi is about 1.3e-39 cm^2
    assert 1.1e-39 < fit24.xsec_sm_cm2 < 1.5e-39


def test_sm_expectation_against_the_survey():
    """The survey folded the 2024 8B recoil spectrum with these mono templates: 9.14 SM events (SR0+SR1). Our
    tree-level-coupling prediction of 8B alone reproduces it with the Winter spectrum (choice D23)."""
    d = X.build(Y24, physics=PhysicsModel(couplings="tree"))
    n_8b = d.n_predicted - d.n_predicted_hep
    ref = R.release_parameters().fact("check_2026_mono_fit")[0]
    assert ref == 9.14
    assert n_8b / ref == pytest.approx(1.0, abs=0.03)
    # the allowed-shape stand-in used before the solar source existed (Q = 13.93 MeV) predicted 23% more
    stand_in = X.solar.SolarSpectra(MappingProxyType({"8B": (beta_shape(13.93), 5.25e6, False)}), "stand-in")
    n_stand_in = X.build(Y24, spectra=stand_in, physics=PhysicsModel(couplings="tree")).n_predicted
    assert 1.15 < n_stand_in / n_8b < 1.35
    # the book's radiatively corrected couplings predict 7% more (choice D24)
    assert X.dataset(Y24).n_predicted / d.n_predicted == pytest.approx(1.072, abs=0.01)
    assert 0.1 < X.dataset(Y24).n_predicted_hep < 0.2


def test_all_three_runs(fit26):
    assert fit26.n_observed == 62
    assert fit26.n_background == pytest.approx(42.06, abs=0.01)
    assert fit26.n_cevns == pytest.approx(16.7, abs=1.0)
    assert 2.9 < fit26.significance_sigma < 3.6                      # the survey: about 3.3 (SR2 AC prior 5%)
    assert fit26.n_background_err > X.fit(Y24).n_background_err


def test_profile_agrees_with_the_fit(fit24):
    best = fit24.flux_8B_cm2_s
    dl = X.profile(Y24, [0.0, best, best - fit24.flux_8B_cm2_s_err_low, best + fit24.flux_8B_cm2_s_err_high])
    assert dl[0] == pytest.approx(fit24.q0, rel=1e-3)
    assert dl[1] == pytest.approx(0.0, abs=1e-3)
    assert dl[2:] == pytest.approx([1.0, 1.0], abs=0.02)
    with pytest.raises(ValueError, match="fluxes_cm2_s"):
        X.profile(Y24, [-1.0])
    with pytest.raises(ValueError):
        dl[0] = 1.0


def test_record_is_json_ready_and_frozen(fit24):
    rec = json.loads(json.dumps(fit24.record()))
    for k in ("n_observed", "n_background", "n_background_err", "n_cevns", "n_cevns_err_low", "n_cevns_err_high",
              "n_cevns_predicted", "significance_sigma", "flux_8B_cm2_s", "flux_8B_cm2_s_err_low",
              "flux_8B_cm2_s_err_high", "nuisances"):
        assert k in rec
    assert set(rec["nuisances"]) == {"ac_sr0", "ac_sr1", "er", "nr", "efficiency", "t_ly", "t_qy"}
    with pytest.raises(FrozenInstanceError):
        fit24.n_cevns = 0.0
    with pytest.raises(TypeError):
        fit24.nuisances["er"] = 0.0


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="unknown dataset 'xenon'"):
        X.fit("xenon")
    with pytest.raises(ValueError, match="n_toys"):
        X.significance_toys(Y24, n_toys=3)
    with pytest.raises(ValueError, match="n_jobs"):
        X.significance_toys(Y24, n_toys=20, n_jobs=0)
    with pytest.raises(ValueError, match="ac_sigma_sr2"):
        X.build(Y26, ac_sigma_sr2=-0.1)
    with pytest.raises(TypeError, match="spectra"):
        X.build(Y24, spectra={"8B": None})
    with pytest.raises(ValueError, match="separate"):
        X.build(Y24, separate=("sr2",))


# --------------------------------------------------------------------------------------------- speed and toys

def test_fit_and_profile_are_fast():
    d = X.dataset(Y26)
    t = time.perf_counter()
    X.dataset_fit(d)
    assert time.perf_counter() - t < 1.0
    lik = d.likelihood
    best = lik.minimise()
    xs = np.linspace(0.5, 12.0, 20)
    t = time.perf_counter()
    lik.profile(xs, best)
    assert (time.perf_counter() - t) / xs.size < 0.05


def test_background_only_toys():
    t = time.perf_counter()
    r = X.significance_toys(Y24, n_toys=200, n_jobs=1, seed=7)
    assert time.perf_counter() - t < 60.0
    assert r["n_toys"] == 200 and r["q0_obs"] == pytest.approx(X.fit(Y24).q0, rel=1e-3)
    # asymptotically q0 ~ 1/2 chi2(1): half the toys at q0 = 0, 15.9% above 1 (binomial 3 sigma for 200 toys)
    assert abs(r["fraction_q0_zero"] - 0.5) < 3 * np.sqrt(0.25 / 200)
    assert abs(r["fraction_q0_above_1"] - r["asymptotic_above_1"]) < 3 * np.sqrt(0.16 * 0.84 / 200)
    assert r["n_exceed"] <= 10                                      # p ~ 0.003: a few toys at most
    again = X.significance_toys(Y24, n_toys=20, n_jobs=1, seed=7)
    first = X.significance_toys(Y24, n_toys=20, n_jobs=1, seed=7)
    assert again["fraction_q0_above_1"] == first["fraction_q0_above_1"] and again["n_exceed"] == first["n_exceed"]
