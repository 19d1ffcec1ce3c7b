"""Limits on electromagnetic properties from the COHERENT likelihoods: sanity, exact relations, inputs, toys."""

import dataclasses
import time
from types import MappingProxyType

import numpy as np
import pytest

from cevns_lib.datasets import coherent
from cevns_lib.datasets.coherent.parameters import EM_PARAMETERS, get_parameter
from cevns_lib.physics import coefficients
from cevns_lib.statistics import delta_chi2_level
from cevns_lib.statistics import likelihood as lk


def test_limits_are_finite_positive_and_grow_with_the_confidence_level():
    for name in ("coherent-csi-2017", "coherent-csi-2021"):
        values = [coherent.limit(name, "mu_numu", cl).limit for cl in (0.68, 0.9, 0.95)]
        assert all(np.isfinite(v) and v > 0 for v in values), values
        assert values[0] < values[1] < values[2], (name, values)


def test_limit_record_and_critical_value():
    r = coherent.limit("coherent-lar-2020", "Lambda2").record()
    assert {"parameter", "limit", "lower", "upper", "intervals", "unit", "cl", "datasets", "method"} <= set(r)
    assert r["unit"] == "1e-10 mu_B" and r["cl"] == 0.9 and r["delta_chi2"] == 2.71
    assert delta_chi2_level(0.95) == 3.84   # the one rule (choice E5)
    assert r["intervals"][-1][1] == r["limit"] == r["upper"] and r["intervals"][0][0] == 0.0


def test_combination_is_at_least_as_strong_as_each_dataset():
    both = coherent.limit(("coherent-lar-2020", "coherent-csi-2021"), "Lambda1").limit
    assert both <= coherent.limit("coherent-csi-2021", "Lambda1").limit + 1e-6
    assert both <= coherent.limit("coherent-lar-2020", "Lambda1").limit + 1e-6


def _only(model, keep):
    """The model with the magnetic basis of every component outside ``keep`` set to zero."""
    basis = {k: (v if k[1] != "mag" or k[0] in keep else np.zeros_like(v)) for k, v in model.basis.items()}
    return dataclasses.replace(model, basis=MappingProxyType(basis), signal_shapes=())


@pytest.mark.parametrize("keep", [("nu_mu_prompt",), ("nu_mu_prompt", "nu_mu_bar")])
def test_mu_numu_limit_is_sqrt_c_mu_times_the_lambda_limit_for_muon_neutrinos(keep):
    """With magnetic events from nu_mu and anti-nu_mu only, mu_eff^2 = C_mu,i |Lambda_i|^2 = mu_numu^2: exact."""
    model = _only(coherent.dataset("coherent-csi-2017").model, keep)
    mu = lk.upper_limit(lk.Likelihood([model], get_parameter("mu_numu")))[0]
    c_mu = coefficients("nu_mu")
    for i in range(3):
        lam = lk.upper_limit(lk.Likelihood([model], get_parameter(f"Lambda{i + 1}")))[0]
        assert lam * np.sqrt(c_mu[i]) == pytest.approx(mu, rel=1e-4), i


def test_mu_nue_only_sees_the_delayed_nu_e():
    model = _only(coherent.dataset("coherent-csi-2021").model, ("nu_e",))
    full = coherent.dataset("coherent-csi-2021").model
    a = lk.upper_limit(lk.Likelihood([dataclasses.replace(full, signal_shapes=())], get_parameter("mu_nue")))[0]
    b = lk.upper_limit(lk.Likelihood([model], get_parameter("mu_nue")))[0]
    assert a == pytest.approx(b, rel=1e-6)


def test_charge_radius_and_millicharge_intervals_contain_the_best_fit():
    for p in ("r2_numu", "q_numu"):
        r = coherent.limit("coherent-csi-2021", p).record()
        assert r["unit"] == ("cm^2" if p.startswith("r2") else "e")
        lo, hi = r["lower"], r["upper"]
        assert lo < r["best_fit"] < hi and lo < 0 < hi and r["limit"] == max(-lo, hi)
    r2 = coherent.limit("coherent-csi-2021", "r2_numu").record()
    assert 1e-33 < r2["limit"] < 1e-30                  # the scale of published CEvNS charge-radius limits


def test_a_profiled_limit_takes_a_few_seconds():
    coherent.dataset("coherent-lar-2020")
    t = time.perf_counter()
    coherent.limit("coherent-lar-2020", "mu_numu")
    assert time.perf_counter() - t < 5.0


def test_inputs_are_validated():
    with pytest.raises(ValueError, match="unknown dataset 'lar'.*coherent-csi-2017"):
        coherent.limit("lar", "mu_nue")
    with pytest.raises(ValueError, match="unknown .*parameter 'mu_nutau'.*Lambda1"):
        coherent.limit("coherent-lar-2020", "mu_nutau")
    with pytest.raises(ValueError, match="cannot be combined"):
        coherent.limit(("coherent-csi-2017", "coherent-csi-2021"), "Lambda1")
    with pytest.raises(ValueError, match="given twice"):
        coherent.limit(("coherent-lar-2020", "coherent-lar-2020"), "Lambda1")
    with pytest.raises(ValueError, match="given twice"):
        coherent.limit(("coherent-lar-2020", "COHERENT-LAR-2020"), "Lambda1")     # the same name in another case
    with pytest.raises(ValueError, match="datasets must be a name or a sequence of names"):
        coherent.limit(("coherent-lar-2020", 7), "Lambda1")                        # was a bare TypeError
    with pytest.raises(ValueError, match="no dataset given"):
        coherent.limit((), "Lambda1")
    with pytest.raises(ValueError, match="confidence level"):
        coherent.limit("coherent-lar-2020", "Lambda1", cl=1.5)
    with pytest.raises(ValueError, match="one-sided parameter"):
        coherent.wilks_check("coherent-csi-2017", "q_nue", n_toys=10)
    with pytest.raises(ValueError, match="n_toys"):
        coherent.wilks_check("coherent-csi-2017", "mu_nue", n_toys=3)
    with pytest.raises(ValueError, match="xs must be"):
        coherent.profile_curve("coherent-csi-2017", "mu_nue", [np.nan])
    assert set(EM_PARAMETERS) >= {"Lambda1", "Lambda2", "Lambda3", "mu_nue", "mu_numu", "q_nue", "q_numu",
                                  "r2_nue", "r2_numu"}


def test_models_refuse_bad_templates():
    with pytest.raises(ValueError, match="template"):
        lk.Background("b", np.array([1.0, -1.0]), "gauss", 0.1)
    with pytest.raises(ValueError, match="prior must be one of"):
        lk.Background("b", np.array([1.0, 1.0]), "flat", 0.1)
    with pytest.raises(ValueError, match="basis"):
        lk.Model("m", np.array([1.0, 2.0]), MappingProxyType({("nu_e", "sm"): np.ones(3)}), ())


def test_pseudo_experiments_are_reproducible_and_sensible():
    a = coherent.wilks_check("coherent-csi-2017", "mu_nue", n_toys=12, n_jobs=1, points=(0.8, 1.0), progress=False,
                             batch=6)
    b = coherent.wilks_check("coherent-csi-2017", "mu_nue", n_toys=12, n_jobs=1, points=(0.8, 1.0), progress=False,
                             batch=6)
    assert a == b
    assert a["wilks_limit"] == pytest.approx(coherent.limit("coherent-csi-2017", "mu_nue").limit)
    for row in a["points"]:
        assert 0.0 <= row["wilks_coverage"] <= 1.0 and row["critical_value"] >= 0.0
    assert a["points"][1]["t_obs"] == pytest.approx(2.71, abs=1e-3)





def _lar_csi(parameter):
    from cevns_lib.datasets.coherent import dataset

    return lk.Likelihood([dataset("coherent-lar-2020").model, dataset("coherent-csi-2021").model],
                         get_parameter(parameter))


def test_a_fit_stuck_at_a_shape_kink_is_recovered_without_simplex(monkeypatch):
    """LAr 2020 + CsI 2021, r2_nue at x = 9.8: the profiled minimum has the LAr pulse_mean nuisance at theta = 0,
    the kink of the piecewise-linear interpolation, and MIGRAD started there stops above its distance target. The
    recovery fixes the nuisance at the kink and runs MIGRAD again, without a SIMPLEX restart (thousands of calls),
    and finds the same minimum."""
    lik = _lar_csi("r2_nue")
    reference = lik._minimise_from(lik._start(), 9.8, False)
    start = lik.internal(reference)
    start[lik.names.index("coherent-lar-2020:pulse_mean")] = 0.0

    def no_simplex(self, *a, **k):
        raise AssertionError("SIMPLEX restart")

    monkeypatch.setattr(lk.Minuit, "simplex", no_simplex)
    point = lik._minimise_from(start, 9.8, False)
    assert point.valid
    assert point.m2lnl == pytest.approx(reference.m2lnl, abs=1e-5)


def test_a_stopped_fit_away_from_a_minimum_is_not_taken_for_a_kink():
    """A MIGRAD run stopped by a call limit next to its start, with every shape nuisance still at 0, is not a
    minimum at the kinks: fixing them there gives a valid fit 40 units of -2 ln L too high, which the recovery
    refuses (both sides of a kink must rise); it restarts with SIMPLEX and reaches at least the plain MIGRAD fit."""
    lik = _lar_csi("r2_nue")
    p0 = lik._start()
    p0[0] = 9.8
    fits = []
    for ncall in (None, 5):
        m = lk.Minuit(lik, p0, grad=lik.grad, name=lik.names)
        m.errordef, m.fixed["x"] = lk.Minuit.LEAST_SQUARES, True
        m.migrad(ncall=ncall)
        fits.append(m)
    full, stopped = fits
    assert full.valid and not stopped.valid
    lik._recover(stopped)
    assert stopped.valid and stopped.fval <= full.fval + 1e-6
    assert [n for n, f in zip(lik.names, stopped.fixed) if f] == ["x"]


def test_the_kink_recovery_keeps_the_region():
    """LAr 2020 + CsI 2021, r2_nue, where two profile points stop at the LAr pulse_mean kink: the region is the one
    found with a SIMPLEX restart at those points, (-64.61, -46.51) and (-9.649, 7.613) x 1e-32 cm^2."""
    from cevns_lib.datasets.coherent import dataset

    lik = lk.Likelihood([dataset("coherent-lar-2020").model, dataset("coherent-csi-2021").model],
                        get_parameter("r2_nue"))
    region, _ = lk.allowed_region(lik, 0.90)
    assert np.allclose(region, [(-64.6056, -46.5064), (-9.64909, 7.61291)], rtol=2e-6, atol=0.0)
