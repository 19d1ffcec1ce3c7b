"""Chi-square functions and limit setting (eqs. 34-35 of arXiv:1905.03750; choices A1, A2, A4)."""

import dataclasses

import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar

from cevns_lib import statistics as st
from cevns_lib.data import paper_limit
from cevns_lib.engine import event_yields
from cevns_lib.experiment import get_setup
from cevns_lib.papers.miranda2019 import alternative_future_setups, borexino_ellipse
from cevns_lib.physics import blind_direction, borexino_limits

D = st.CSI_DATA


def _printed(experiment, setup):
    """The published reactor limits on |Lambda_1..3| (Table 2, read from data/)."""
    return [paper_limit(experiment, "reactor", setup, p) for p in st.PARAMETERS]


# ------------------------------------------------------------------------------------------------
# Reduction without nuisances
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_th", [50.0, 136.0, 180.0, 400.0])
def test_csi_chi2_without_nuisances_is_gaussian(n_th):
    s2 = D["n_meas"] + 2 * D["b_ss"] + D["b_on"]
    expected = (D["n_meas"] - n_th - D["b_on"]) ** 2 / s2
    assert st.chi2_csi(n_th, sigma_alpha=0.0, sigma_beta=0.0) == pytest.approx(expected, rel=1e-14)
    # and the closed form is continuous in the widths (sigma -> 0 limit)
    assert st.chi2_csi(n_th, sigma_alpha=1e-7, sigma_beta=1e-7) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("n_sm,x", [(10.0, 3.0), (2.5e3, 70.0), (1e6, 4e3)])
def test_single_nuisance_forms_without_nuisance(n_sm, x):
    assert st.chi2_excess(x, n_sm, 0.0) == pytest.approx(x**2 / n_sm, rel=1e-14)
    assert st.chi2_literal(n_sm + x, n_sm, 0.0) == pytest.approx(x**2 / n_sm, rel=1e-14)
    assert st.chi2_excess(x, n_sm, 1e-8) == pytest.approx(x**2 / n_sm, rel=1e-9)
    # the nuisance can only lower the chi-square
    assert st.chi2_excess(x, n_sm, 0.3) < x**2 / n_sm
    assert st.chi2_literal(n_sm + x, n_sm, 0.3) < x**2 / n_sm


# ------------------------------------------------------------------------------------------------
# Closed-form minimisation over the nuisances
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_th", [60.0, 136.0, 180.3, 250.0, 600.0])
@pytest.mark.parametrize("widths", [(0.28, 0.25), (0.05, 0.6), (0.5, 0.1)])
def test_csi_closed_form_equals_brute_force(n_th, widths):
    sa, sb = widths
    res = minimize(lambda p: st.chi2_csi_nuisances(n_th, p[0], p[1], sigma_alpha=sa, sigma_beta=sb),
                   x0=[0.1, -0.1], method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 40000})
    closed = st.chi2_csi(n_th, sigma_alpha=sa, sigma_beta=sb)
    assert res.fun == pytest.approx(closed, rel=1e-8, abs=1e-12)
    # location of the minimum: alpha = sa^2 N d / D, beta = sb^2 B d / D
    d = D["n_meas"] - n_th - D["b_on"]
    big_d = D["n_meas"] + 2 * D["b_ss"] + D["b_on"] + (sa * n_th) ** 2 + (sb * D["b_on"]) ** 2
    assert res.x == pytest.approx([sa**2 * n_th * d / big_d, sb**2 * D["b_on"] * d / big_d], abs=1e-6)


def test_csi_closed_form_on_a_grid_is_a_lower_envelope():
    """The minimised chi2 is below the unminimised one everywhere and touches it on a fine grid."""
    n_th = 180.0
    a, b = np.meshgrid(np.linspace(-0.8, 0.4, 601), np.linspace(-0.5, 0.5, 201), indexing="ij")
    grid = st.chi2_csi_nuisances(n_th, a, b)
    closed = st.chi2_csi(n_th)
    assert np.all(grid >= closed - 1e-12)
    assert grid.min() == pytest.approx(closed, rel=1e-3)


@pytest.mark.parametrize("n_sm,x,sigma", [(177.0, 40.0, 0.30), (2.5e3, 90.0, 0.30), (9e5, 1.6e3, 0.20),
                                          (50.0, 200.0, 0.20)])
def test_effective_form_minimum(n_sm, x, sigma):
    """min_a (X(1+a))^2/N + (a/s)^2 = X^2 / (N + s^2 X^2)."""
    res = minimize_scalar(lambda a: (x * (1 + a)) ** 2 / n_sm + (a / sigma) ** 2, bracket=(-1.0, 0.0),
                          tol=1e-12)
    assert res.fun == pytest.approx(x**2 / (n_sm + sigma**2 * x**2), rel=1e-9)
    assert st.chi2_excess(x, n_sm, sigma) == pytest.approx(res.fun, rel=1e-9)


@pytest.mark.parametrize("n_sm,x,sigma", [(177.0, 40.0, 0.30), (9e5, 1.6e3, 0.20)])
def test_literal_form_minimum(n_sm, x, sigma):
    n_th = n_sm + x
    res = minimize_scalar(lambda a: (n_sm - n_th * (1 + a)) ** 2 / n_sm + (a / sigma) ** 2, bracket=(-1.0, 0.0),
                          tol=1e-12)
    assert st.chi2_literal(n_th, n_sm, sigma) == pytest.approx(res.fun, rel=1e-8)


# ------------------------------------------------------------------------------------------------
# Limits: root finding versus closed form, Delta chi^2 at the limit
# ------------------------------------------------------------------------------------------------

EFFECTIVE_CASES = [("HPGe", "current", "prompt"), ("LAr", "future", "delayed"), ("NaI[Tl]", "current", "full"),
                   ("CONUS", "current", "reactor"), ("CONNIE", "future", "reactor"), ("RED100", "current", "reactor")]


@pytest.mark.parametrize("experiment,kind,beam", EFFECTIVE_CASES)
def test_root_finder_matches_closed_form(experiment, kind, beam):
    a = st.analysis(get_setup(experiment, kind), beam)
    assert a.form == "excess"
    for i in range(3):
        e = np.eye(3)[i]
        lim = a.limit(e)
        assert a.delta_chi2(lim * e) == pytest.approx(st.DCHI2_90_1D, rel=1e-9)
        assert lim == pytest.approx(st.closed_form_limit(a.n_sm, a.q[i, i], a.sigma_alpha), rel=1e-9)


@pytest.mark.parametrize("beam", ["prompt", "delayed", "full"])
def test_csi_data_limit_sits_at_delta_chi2_2_71(beam):
    a = st.analysis(get_setup("CsI[Na]", "current"), beam)
    assert a.form == "csi"
    # the SM prediction exceeds N_meas - B_on: the minimum is at Lambda = 0
    assert a.chi2_min() == pytest.approx(float(a.chi2(np.zeros(3))), rel=1e-14)
    for i in range(3):
        e = np.eye(3)[i]
        lim = a.limit(e)
        assert a.delta_chi2(lim * e) == pytest.approx(st.DCHI2_90_1D, rel=1e-9)
        assert a.delta_chi2(0.99 * lim * e) < st.DCHI2_90_1D < a.delta_chi2(1.01 * lim * e)


def test_csi_minimum_away_from_zero_with_an_excess():
    """With more events than predicted the minimum is at X > 0 and Delta chi^2 is measured from there."""
    setup = get_setup("CsI[Na]", "current")
    a = st.analysis(setup, "delayed", csi_data={"n_meas": 300.0})
    x_best = 300.0 - D["b_on"] - a.n_sm
    assert x_best > 0
    assert a.chi2_min() == pytest.approx(0.0, abs=1e-12)
    lim = a.limit([1, 0, 0])
    assert a.delta_chi2([lim, 0, 0]) == pytest.approx(st.DCHI2_90_1D, rel=1e-9)
    assert a.excess([lim, 0, 0]) > x_best


def test_systematic_factors():
    assert st.systematic_factor(0.30) == pytest.approx(1.072, abs=5e-4)
    assert st.systematic_factor(0.20) == pytest.approx(1.029, abs=5e-4)
    assert st.systematic_factor(0.30) / st.systematic_factor(0.20) == pytest.approx(1.042, abs=5e-4)
    assert st.closed_form_limit(100.0, 1.0, 0.7) == np.inf      # 2.71 * 0.49 > 1: never reached
    assert st.systematic_factor(0.7) == np.inf


def test_blind_direction_gives_no_limit():
    """Reactor mu_eff vanishes along eq. (14): no excess, no limit."""
    a = st.analysis(get_setup("CONUS", "current"))
    d = blind_direction()
    assert abs(a.excess(d)) < 1e-12 * a.q.max()
    assert a.limit(d) == np.inf


# ------------------------------------------------------------------------------------------------
# Luminosity scaling
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("experiment,kind,beam", EFFECTIVE_CASES)
def test_effective_limits_scale_as_luminosity_to_minus_one_quarter(experiment, kind, beam):
    setup = get_setup(experiment, kind)
    base = st.one_parameter_limits(setup, beam)
    for k in (3.0, 50.0, 1e4):
        assert st.one_parameter_limits(setup, beam, scale=k) == pytest.approx(base * k**-0.25, rel=1e-9)
    scan = st.luminosity_scan(setup, beam, [1.0, 10.0, 1e3])
    assert scan == pytest.approx(np.outer([1.0, 10.0**-0.25, 1e3**-0.25], base), rel=1e-9)


def test_mass_scaling_of_the_setup_equals_the_scale_factor():
    """Setup.scaled (a real change of the detector mass) agrees with analysis(scale=...)."""
    setup = get_setup("TEXONO", "current")
    assert st.one_parameter_limits(setup.scaled(16.0)) == pytest.approx(
        st.one_parameter_limits(setup, scale=16.0), rel=1e-9)
    assert st.one_parameter_limits(setup.scaled(16.0)) == pytest.approx(st.one_parameter_limits(setup) / 2, rel=1e-9)


def test_csi_luminosity_scan_is_not_a_power_law():
    scan = st.luminosity_scan(get_setup("CsI[Na]", "current"), "prompt", [1.0, 10.0, 1e4])
    assert np.all(np.diff(scan[:, 0]) < 0)
    # systematics limited: a factor 1e4 in luminosity gains less than 10% (the F^-1/4 law would give 10x)
    assert scan[-1, 0] / scan[0, 0] > 0.9
    # at F = 1 the Asimov limit is weaker than the data limit (the data show a deficit)
    assert scan[0, 0] > st.one_parameter_limits(get_setup("CsI[Na]", "current"), "prompt")[0]


@pytest.mark.parametrize("experiment", ["CONUS", "CONNIE", "MINER", "TEXONO", "RED100"])
def test_luminosity_factor_inverts_the_current_to_future_ratio(experiment):
    cur, fut = get_setup(experiment, "current"), get_setup(experiment, "future")
    f = st.luminosity_factor_from_limits(st.one_parameter_limits(cur), st.one_parameter_limits(fut))
    assert f == pytest.approx(np.full(3, st.luminosity_gain(cur, fut)), rel=1e-9)


def test_luminosity_gains_of_table1():
    gains = {e: st.luminosity_gain(get_setup(e, "current"), get_setup(e, "future"))
             for e in ("CONUS", "CONNIE", "MINER", "TEXONO", "RED100")}
    assert gains["MINER"] == pytest.approx(2000.0)
    assert gains["RED100"] == pytest.approx(20.0)
    assert gains["CONUS"] == pytest.approx(100 / 3.85 * 20)
    # the paper's printed MINER and RED100 future entries imply very different gains (choice A8)
    f_miner = st.luminosity_factor_from_limits(_printed("MINER", "current"), _printed("MINER", "future"))
    f_red = st.luminosity_factor_from_limits(_printed("RED100", "current"), _printed("RED100", "future"))
    assert np.all((f_miner > 55) & (f_miner < 70))
    assert np.all((f_red > 2000) & (f_red < 3000))


def test_alternative_future_setups_reproduce_the_paper_within_their_stated_accuracy():
    alt = alternative_future_setups()
    assert len(alt) == 2 and all("alternative" in label for label in alt)
    miner = next(s for label, s in alt.items() if label.startswith("MINER"))
    red = next(s for label, s in alt.items() if label.startswith("RED100"))
    assert st.one_parameter_limits(miner) == pytest.approx(_printed("MINER", "future"), rel=0.03)
    assert red.mass_kg == 1e4
    assert st.one_parameter_limits(red) == pytest.approx(_printed("RED100", "future"), rel=0.10)
    # Table 1 itself is untouched
    assert get_setup("RED100", "future").mass_kg == 100.0


def test_borexino_ellipse_intercepts_and_equation():
    for plane in ((1, 2), (1, 3), (2, 3)):
        e = borexino_ellipse(plane, n_points=50)
        lims = borexino_limits()
        assert e[0] == pytest.approx([lims[plane[0] - 1], 0.0], abs=1e-12)
        assert e[-1] == pytest.approx([0.0, lims[plane[1] - 1]], abs=1e-12)
        assert (e[:, 0] / lims[plane[0] - 1]) ** 2 + (e[:, 1] / lims[plane[1] - 1]) ** 2 == pytest.approx(
            np.ones(50), rel=1e-12)


# ------------------------------------------------------------------------------------------------
# Bad input
# ------------------------------------------------------------------------------------------------

def test_bad_inputs_raise():
    conus = get_setup("CONUS", "current")
    lar = get_setup("LAr", "current")
    with pytest.raises(ValueError, match="beam"):
        st.analysis(conus, "prompt")
    with pytest.raises(ValueError, match="beam"):
        st.analysis(lar, "reactor")
    with pytest.raises(ValueError, match="unknown beam"):
        st.em_matrix(event_yields(conus), "sideways")
    with pytest.raises(ValueError, match="chi-square form"):
        st.analysis(conus, form="bayesian")
    with pytest.raises(ValueError, match="luminosity scale"):
        st.analysis(conus, scale=-2.0)
    with pytest.raises(ValueError):
        st.analysis(conus, sigma_alpha=float("nan"))
    with pytest.raises(TypeError):
        st.analysis(conus, sigma_alpha="0.3")
    a = st.analysis(conus)
    with pytest.raises(ValueError, match="direction"):
        a.limit([0, 0, 0])
    with pytest.raises(ValueError, match="direction"):
        a.limit([1, -1, 0])
    with pytest.raises(ValueError, match="direction"):
        a.limit([1, 0])
    with pytest.raises(ValueError, match="level"):
        a.limit([1, 0, 0], level=-2.71)
    with pytest.raises(ValueError, match="luminosity factors"):
        st.luminosity_scan(conus, factors=[1.0, 0.0])
    with pytest.raises(ValueError, match="positive"):
        st.luminosity_factor_from_limits([1.0, -1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match="flat efficiency"):
        st.luminosity_gain(get_setup("CsI[Na]", "current"), get_setup("CsI[Na]", "future"))
    with pytest.raises(ValueError, match="threshold"):
        st.luminosity_gain(lar, get_setup("LAr", "future"))
    with pytest.raises(ValueError, match="plane"):
        borexino_ellipse((1, 1))
    with pytest.raises(ValueError, match="plane"):
        borexino_ellipse((0, 4))


def test_analysis_is_immutable_and_default_forms():
    a = st.analysis(get_setup("CsI[Na]", "current"), "prompt")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.form = "excess"
    assert a.sigma_alpha == D["sigma_alpha"]
    assert st.analysis(get_setup("CsI[Na]", "future"), "prompt").sigma_alpha == st.SIGMA_ALPHA["future"]
    assert st.analysis(get_setup("HPGe", "current"), "prompt").sigma_alpha == st.SIGMA_ALPHA["current"]


def test_csi_measurement_inputs_pinned_by_hand():
    """Eq. (34) at N_th = 180 with the published inputs typed here (142, 6, 405, 0.28, 0.25), not read from data/:
    (142 - 180 - 6)^2 / (142 + 2 x 405 + 6 + (0.28 x 180)^2 + (0.25 x 6)^2) = 1936 / 3500.41."""
    assert st.chi2_csi(180.0) == pytest.approx(1936.0 / 3500.41, rel=1e-12)
    assert dict(st.CSI_DATA) == {"n_meas": 142.0, "b_on": 6.0, "b_ss": 405.0, "sigma_alpha": 0.28, "sigma_beta": 0.25}
    assert st.COHERENT_2017_SM_PREDICTION == 173.0


def test_bad_closed_form_inputs_raise():
    for bad in ({"n_sm": -1.0}, {"n_sm": float("nan")}, {"n_em_per_unit": 0.0}, {"sigma_alpha": -0.1}):
        kw = {"n_sm": 100.0, "n_em_per_unit": 0.1, "sigma_alpha": 0.3, **bad}
        with pytest.raises(ValueError):
            st.closed_form_limit(**kw)


def test_delta_chi2_levels():
    assert st.delta_chi2_level(0.90, 1) == 2.71 == st.DCHI2_90_1D
    assert st.delta_chi2_level(0.90, 2) == 4.61
    assert st.delta_chi2_level(0.80, 1) == 1.64          # chi2.ppf(0.8, 1) = 1.6424, three digits (choice E5)
    assert st.delta_chi2_level(0.68, 1) == 1.0 and st.delta_chi2_level(0.68, 2) == 2.3   # 68% = one sigma
    assert st.delta_chi2_level(0.95, 1) == 3.84 and st.delta_chi2_level(0.99, 2) == 9.21
    assert st.confidence_level(2.71) == 0.9 and st.confidence_level(4.61, 2) == 0.9
    for bad in (0.0, 1.0, float("nan"), 90):
        with pytest.raises(ValueError, match="confidence level"):
            st.delta_chi2_level(bad)


def test_measured_counts_only_at_their_exposure():
    csi = get_setup("CsI[Na]", "current")
    with pytest.raises(ValueError, match="coherent-csi-2017-asimov"):
        st.analysis(dataclasses.replace(csi, mass_kg=2 * csi.mass_kg))
    # scaled() switches to Asimov data at the new exposure: the luminosity scan of Figure 3 (choice A15)
    assert st.one_parameter_limits(csi.scaled(4.0), "prompt") == pytest.approx(
        st.luminosity_scan(csi, "prompt", factors=(4.0,))[0], rel=1e-10)
