"""Part IV, the Sun: solar sources converted in the Sun (flavour and mass-state parts), the XENONnT datasets on the
statistics core (electromagnetic limits, projections), combinations across data families, and the command line.

The published XENONnT numbers themselves (37 observed, background, flux, significance, all three runs, toys) are
tested in tests/test_xenonnt.py, P_ee(10 MeV) against SNO in tests/test_solar_msw.py.
"""

import dataclasses
import json
import time

import numpy as np
import pytest
from cli_helpers import cevns

from cevns_lib.datasets import coherent, combined
from cevns_lib.datasets import xenonnt as X
from cevns_lib.engine import event_yields
from cevns_lib.experiment import load_experiment
from cevns_lib.physics import mass_state_form, pmns, quadratic_form
from cevns_lib.physics.mixing import DE_SALAS_2018_NO
from cevns_lib.physics.parameters import get_parameter
from cevns_lib.sources import Component, solar
from cevns_lib.statistics import (
    JointLikelihood,
    em_matrix,
    one_parameter_limits,
    parameter_limit,
    phase_scan,
    plane_matrices,
    transition_coefficients,
)

Y24, Y26 = "xenonnt-8b-2024", "xenonnt-8b-2026"

SUN = """name = "Xe solar converted"
[target]
material = "Xe"
mass_kg = 1000.0
[source]
kind = "solar"
[source.components.8B]
flux_cm2_s = 5.46e6
[source.components.hep]
flux_cm2_s = 7.98e3
[exposure]
years = 1
[response]
threshold_keV = 1.0
threshold_kind = "nr"
efficiency = 1.0
[analysis]
statistic = "counting"
sigma_alpha = 0.1
"""
FLAT = SUN.replace('kind = "solar"\n', 'kind = "solar"\np_ee = 0.36\n')


def load(tmp_path, text, name="exp.toml"):
    p = tmp_path / name
    p.write_text(text)
    return load_experiment(p)


# --------------------------------------------------------------------------------------------- the decomposition

def test_decomposition_adds_up_to_the_component():
    d = solar.decompose(solar.b8_spectrum(), "8B")
    for parts, averaged in ((d.flavours, solar.flux_averaged_flavour_fractions()),
                            (d.mass_states, solar.flux_averaged_mass_state_fractions())):
        shares = np.array([s for s, _ in parts.values()])
        assert shares.sum() == pytest.approx(1.0, abs=1e-12)                        # the fractions sum to 1
        assert shares == pytest.approx(np.asarray(averaged), abs=2e-4)               # two quadratures of one average
        E = np.linspace(0.0, 16.0, 161)
        total = sum(s * spec.pdf(E) for s, spec in parts.values())
        assert total == pytest.approx(solar.b8_spectrum().pdf(E), abs=1e-12)
    # each part is a distorted spectrum: nu_e is enhanced at low energy (vacuum-like), nu_2 at high energy
    e, two = d.flavours["nu_e"][1], d.mass_states[2][1]
    assert e.pdf(2.0) / e.pdf(12.0) > solar.b8_spectrum().pdf(2.0) / solar.b8_spectrum().pdf(12.0)
    assert two.pdf(12.0) / two.pdf(2.0) > solar.b8_spectrum().pdf(12.0) / solar.b8_spectrum().pdf(2.0)
    assert solar.decompose(solar.b8_spectrum(), "8B") is d                          # cached
    with pytest.raises(ValueError, match="component"):
        solar.decompose(solar.b8_spectrum(), "pp")


# --------------------------------------------------------------------------------------------- solar experiments

def test_flat_p_ee_keeps_the_old_numbers(tmp_path):
    """With one flavour fraction (choice E6) every term of every component is the fraction times the events of the
    unconverted spectrum, as before the conversion existed; no mass-state content, Lambda_i refused."""
    flat = load(tmp_path, FLAT)
    one = load(tmp_path, FLAT.replace("p_ee = 0.36", "p_ee = 1.0"), "one.toml")
    y, y1 = event_yields(flat), event_yields(one)
    fr = flat.flavour_fractions()
    for src in ("8B", "hep"):
        for fl in ("e", "mu", "tau"):
            for term, v in y.terms[f"{src} nu_{fl}"].items():
                assert v == pytest.approx(fr[fl] * y1.terms[f"{src} nu_e"][term], rel=1e-13, abs=0.0)
    assert flat.mass_state_components == () and dict(y.mass_states) == {}
    with pytest.raises(ValueError, match="mass-state content"):
        parameter_limit(flat, "Lambda1")


def test_converted_source_carries_both_decompositions(tmp_path):
    sun, flat = load(tmp_path, SUN), load(tmp_path, FLAT, "flat.toml")
    y, yf = event_yields(sun), event_yields(flat)
    assert [c.name for c in sun.mass_state_components] == ["8B nu_1", "8B nu_2", "8B nu_3", "hep nu_1", "hep nu_2",
                                                           "hep nu_3"]
    assert all(c.species == "nu_e" and c.mass_state == j + 1 for c, j in zip(sun.mass_state_components, (0, 1, 2) * 2))
    U2 = np.abs(pmns(DE_SALAS_2018_NO)) ** 2
    for src in ("8B", "hep"):
        for term in ("sm", "mag", "q_quad", "r2_lin"):
            fl = np.array([y.terms[f"{src} nu_{f}"][term] for f in ("e", "mu", "tau")])
            ms = np.array([y.mass_states[f"{src} nu_{j}"][term] for j in (1, 2, 3)])
            total = sum(yf.terms[f"{src} nu_{f}"][term] for f in ("e", "mu", "tau"))
            # both decompositions add up to the unconverted total; flavours are |U|^2 times mass states
            assert fl.sum() == pytest.approx(total, rel=1e-9)
            assert ms.sum() == pytest.approx(total, rel=1e-9)
            assert fl == pytest.approx(U2 @ ms, rel=1e-9)
    # the flavour shares at the detector are not the flux-averaged ones: the response favours high energies
    assert sun.flavour_fractions("8B")["e"] == pytest.approx(float(solar.flux_averaged_flavour_fractions()[0]),
                                                             abs=2e-4)
    detected_e = y.terms["8B nu_e"]["sm"] / sum(y.terms[f"8B nu_{f}"]["sm"] for f in ("e", "mu", "tau"))
    assert detected_e < sun.flavour_fractions("8B")["e"] - 0.02


def test_transition_moments_are_weighted_by_the_response(tmp_path):
    """C_i = 1 - (share of mass state i in the detected magnetic events): with a 1 keV threshold on xenon only the
    upper part of the 8B spectrum is seen, where nu_2 dominates more than in the flux average."""
    sun = load(tmp_path, SUN)
    C = transition_coefficients(sun)
    C_flux = solar.flux_averaged_transition_moment_coefficients()
    assert C[1] < C_flux[1] - 0.05 and C[0] > C_flux[0] + 0.05
    assert C[2] == pytest.approx(1.0 - DE_SALAS_2018_NO.sin2_13, rel=1e-9)        # P_e3 = s13^2 at every energy
    hi = load(tmp_path, SUN.replace("threshold_keV = 1.0", "threshold_keV = 3.0"), "hi.toml")
    assert transition_coefficients(hi)[1] < C[1]                    # a higher threshold sees yet more nu_2
    # one Lambda at a time: X = C_i n_mag Lambda_i^2, so the limits scale as 1 / sqrt(C_i)
    lims = one_parameter_limits(sun)
    assert np.all(np.isfinite(lims)) and np.all(lims > 0)
    assert lims[1] / lims[0] == pytest.approx(np.sqrt(C[0] / C[1]), rel=1e-6)
    assert [parameter_limit(sun, f"Lambda{i}").limit for i in (1, 2, 3)] == pytest.approx(lims, rel=1e-9)
    # mu_eff couples to every neutrino: C = 1
    assert parameter_limit(sun, "mu_eff").limit < lims.min()


def test_phases_drop_out_for_an_incoherent_mass_state_mixture(tmp_path):
    sun = load(tmp_path, SUN)
    y = event_yields(sun)
    q0 = em_matrix(y, "all")
    assert np.allclose(q0, np.diag(np.diag(q0)), atol=0)                           # no cross terms at all
    assert em_matrix(y, "all", phases=(0.3, 1.7, 2.9)) == pytest.approx(q0, rel=0, abs=0)
    blocks = plane_matrices(sun, None, (1, 2), np.linspace(0, 6, 7), np.linspace(0, 6, 7))
    assert np.ptp(blocks, axis=0) == pytest.approx(np.zeros((2, 2)), abs=0)
    scan = phase_scan(sun, plane=(1, 2), n_phase=8, refine=False)
    assert scan.envelope_gap() == pytest.approx((0.0, 0.0), abs=1e-12)
    # a mass state's form is 1 - e_j e_j^T; a flavour beam's is not diagonal once the phases are non-zero
    assert mass_state_form(2) == pytest.approx(np.diag([1.0, 0.0, 1.0]))
    q_reactor = quadratic_form("nu_e_bar", DE_SALAS_2018_NO, (0.0, 1.0, 2.0))
    assert abs(q_reactor[0, 1]) > 0.05


def test_solar_files_without_p_ee(tmp_path):
    sun = load(tmp_path, SUN)
    assert sun.converts_in_the_sun and sun.spectrum_of("8B nu_1").base == solar.b8_spectrum()
    (tmp_path / "t.csv").write_text("1,1\n2,1\n3,0\n")
    mine = SUN.replace("components.hep]", 'components.mine]\nfile = "t.csv"')
    with pytest.raises(ValueError, match="name them 8B, hep, 7Be.*or give one flavour fraction p_ee"):
        load(tmp_path, mine, "bad.toml")
    assert load(tmp_path, mine.replace('kind = "solar"\n', 'kind = "solar"\np_ee = 0.5\n'), "ok.toml").p_ee == 0.5
    with pytest.raises(ValueError, match="give the solar component"):
        sun.flavour_fractions()
    with pytest.raises(ValueError, match="selects flavours"):
        parameter_limit(sun, "Lambda1", beam="e-flavour")
    only_8b = parameter_limit(sun, "Lambda1", beam=("8B",)).limit
    assert only_8b >= parameter_limit(sun, "Lambda1").limit
    with pytest.raises(ValueError, match="mass state has no definite flavour"):
        get_parameter("mu_nue").coefficients("nu_e", mass_state=2)
    with pytest.raises(ValueError, match="mass_state"):
        Component("x", "nu_e", mass_state=4)


# --------------------------------------------------------------------------------------------- XENONnT on the core

def test_basis_parts_add_up_to_the_components():
    d = X.dataset(Y24)
    for run in d.runs:
        for src in ("8B", "hep"):
            for term in ("sm", "mag", "q_lin", "r2_quad"):
                total = run.signal[(src, term)]
                fl = sum(run.signal[(f"{src} {s}", term)] for s in ("nu_e", "nu_mu", "nu_tau"))
                ms = sum(run.signal[(f"{src} nu_{j}", term)] for j in (1, 2, 3))
                assert fl == pytest.approx(total, rel=1e-9, abs=1e-30)
                assert ms == pytest.approx(total, rel=1e-9, abs=1e-30)


def test_em_likelihood_is_the_standard_model_at_zero():
    d = X.dataset(Y24)
    flux = d.likelihood
    p_sm = flux.start()
    p_sm[0] = d.flux_reference_cm2_s / X.FLUX_SCALE_CM2_S
    for name in ("mu_eff", "Lambda2", "q_nue", "r2_numu"):
        lik = d.likelihood_for(name)
        p = lik.start()
        p[0] = 0.0
        assert lik.expected(p) == pytest.approx(flux.expected(p_sm), rel=1e-12)
    assert d.likelihood_for("mu_eff").quadratic and d.likelihood_for("mu_eff").names[0] == "x2"
    assert not d.likelihood_for("q_nue").quadratic and not flux.quadratic


def test_quadratic_fit_and_its_gradient():
    lik = X.dataset(Y26).likelihood_for("mu_eff")
    p = lik.start()
    p[0] = 40.0                                                       # u = mu_eff^2 = 40 (1e-10 mu_B)^2
    p[lik.names.index("t_ly")], p[lik.names.index("t_qy")] = 0.3, -0.4   # inside a cell (one-sided at anchors)
    g = lik.grad(p)
    h = 1e-4
    num = [(lik(p + h * e) - lik(p - h * e)) / (2 * h) for e in np.eye(p.size)]
    assert g == pytest.approx(num, rel=1e-4, abs=1e-6)
    pt = lik.minimise(x=5.0)
    assert pt.x == pytest.approx(5.0) and lik.internal(pt)[0] == pytest.approx(25.0)
    with pytest.raises(ValueError, match="MINOS"):
        lik.minimise(errors=True)


def test_em_limits_from_xenonnt_are_finite_and_fast():
    t0 = time.perf_counter()
    lims = {p: X.limit(Y24, p) for p in ("mu_eff", "Lambda1", "Lambda2", "Lambda3", "q_nue", "q_numu", "q_nutau")}
    assert time.perf_counter() - t0 < 20.0
    for p, lim in lims.items():
        assert np.isfinite(lim.limit) and lim.limit > 0, p
        assert lim.datasets == (Y24,) and lim.data == "observed"
    for i in (1, 2, 3):
        assert lims[f"Lambda{i}"].unit == "1e-10 mu_B"
    # nu_2 dominates the detected flux: its moment is the least constrained, by about sqrt(C_1 / C_2)
    C = X.dataset(Y24).transition_coefficients()
    assert C[1] < 0.2 < 0.8 < C[0] and C[2] == pytest.approx(1 - DE_SALAS_2018_NO.sin2_13, abs=1e-12)
    assert lims["Lambda2"].limit / lims["Lambda1"].limit == pytest.approx(np.sqrt(C[0] / C[1]), rel=0.05)
    # the charges are two-sided intervals around 0
    q = lims["q_nue"]
    assert q.lower < 0 < q.upper and q.unit == "e"
    t = time.perf_counter()
    X.limit(Y26, "Lambda3")
    assert time.perf_counter() - t < 5.0                               # a profiled limit in a few seconds


def test_phases_do_not_change_the_xenonnt_limits():
    a = X.limit(Y24, "Lambda1")
    b = X.limit(Y24, "Lambda1", phases=(0.4, 2.1, 5.0))
    assert a.limit == b.limit
    assert X.dataset(Y24).binding("Lambda3", phases=(1.0, 2.0, 3.0)).coefficients == \
        X.dataset(Y24).binding("Lambda3").coefficients


def test_parameter_limit_takes_a_dataset():
    d = X.dataset(Y24)
    assert parameter_limit(d, "mu_nue").limit == pytest.approx(X.limit(Y24, "mu_nue").limit, rel=1e-12)
    with pytest.raises(ValueError, match="XENONnT parameter"):
        X.limit(Y24, "mu_nux")


def test_projection_scales_the_exposure_with_asimov_data():
    d = X.dataset(Y26)
    p = X.projection(200.0)
    k = 200.0 / d.exposure_t_yr
    assert p.exposure_t_yr == pytest.approx(200.0) and p.data == "asimov"
    assert p.n_observed == pytest.approx(k * X.projection(d.exposure_t_yr).n_observed, rel=1e-12)
    fit = X.dataset_fit(p)
    assert fit.signal_strength == pytest.approx(1.0, abs=1e-3)        # Asimov: the truth is the best fit
    now, later = X.limit(Y26, "mu_eff").limit, X.limit(p, "mu_eff").limit
    # a statistics-limited moment limit would scale as k^(-1/4); the priors of the backgrounds and the efficiency
    # keep it from improving faster
    assert later < now and later > now * k ** -0.25 * 0.8
    with pytest.raises(ValueError, match="exposure_t_yr"):
        X.projection(-1.0)


# --------------------------------------------------------------------------------------------- combinations

def test_combination_across_families():
    a = combined.limit("coherent-csi-2021", "Lambda1")
    assert a.limit == coherent.limit("coherent-csi-2021", "Lambda1").limit        # one family: its own likelihood
    b = combined.limit(Y26, "Lambda1")
    both = combined.limit(("coherent-csi-2021", Y26), "Lambda1")
    assert both.limit <= min(a.limit, b.limit) + 1e-9
    assert both.datasets == ("coherent-csi-2021", Y26)
    lik = combined.combination(("coherent-csi-2021", Y26)).likelihood("Lambda2")
    assert isinstance(lik, JointLikelihood)
    at = lik.minimise(x=10.0)
    assert at.m2lnl == pytest.approx(sum(part.minimise(x=10.0).m2lnl for part in lik.parts), rel=1e-9)
    assert "q_nutau" in combined.parameters(Y24) and "q_nutau" not in combined.parameters(("coherent-lar-2020", Y24))
    with pytest.raises(ValueError, match="do.*not constrain q_nutau"):
        combined.limit(("coherent-lar-2020", Y24), "q_nutau")
    with pytest.raises(ValueError, match="share events"):
        combined.combination((Y24, Y26))


def test_joint_likelihood_needs_one_parameter():
    d = X.dataset(Y24)
    with pytest.raises(ValueError, match="different parameters"):
        JointLikelihood([d.likelihood_for("mu_nue"), d.likelihood_for("mu_numu")])
    with pytest.raises(ValueError, match="at least two"):
        JointLikelihood([d.likelihood_for("mu_nue")])


# --------------------------------------------------------------------------------------------- the command line

def test_cli_fit_and_limits_of_xenonnt():
    from cevns_lib import cli

    assert cli.DATASET_NAMES == combined.DATASETS
    r = cevns("fit", "--dataset", Y24, "--format", "json")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)[0]
    for key in ("n_observed", "n_background", "n_background_err", "n_cevns", "n_cevns_err_low", "n_cevns_err_high",
                "n_cevns_predicted", "significance_sigma", "flux_8B_cm2_s", "flux_8B_cm2_s_err_low",
                "flux_8B_cm2_s_err_high", "ac_sr0", "ac_sr1", "er", "nr", "efficiency", "t_ly", "t_qy"):
        assert key in rec, key
    assert rec["n_observed"] == 37 and 2.4 < rec["significance_sigma"] < 3.1
    r = cevns("limits", "--dataset", Y26, "--dataset", "coherent-csi-2021", "--parameter", "Lambda2",
              "--parameter", "q_nue", "--format", "json")
    assert r.returncode == 0, r.stderr
    recs = json.loads(r.stdout)
    assert [x["parameter"] for x in recs] == ["Lambda2", "q_nue"]
    assert recs[0]["datasets"] == f"{Y26}+coherent-csi-2021" and recs[0]["limit"] > 0
    r = cevns("limits", "--dataset", "coherent-lar-2020", "--dataset", Y24, "--parameter", "mu_nutau")
    assert r.returncode == 2 and "not constrain mu_nutau" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_dataset_records_are_frozen():
    d = X.dataset(Y24)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.data = "asimov"
    with pytest.raises(ValueError):
        d.transition_coefficients()[0] = 0.0


# --------------------------------------------------------------------------------------------- the acceptance

def test_acceptance_of_part_iv():
    """The acceptance list of Part IV in one place (the detailed checks are above and in test_xenonnt.py)."""
    from cevns_lib.data import data_path

    d24, d26 = X.dataset(Y24), X.dataset(Y26)
    t = time.perf_counter()
    f24 = X.dataset_fit(d24)
    assert time.perf_counter() - t < 1.0                               # a fit under a second
    f26 = X.dataset_fit(d26)
    # SR0+SR1: 37 observed, background 26.4-26.5, significance 2.4-3.1 sigma, flux inside the published interval
    assert f24.n_observed == 37 and 26.4 <= round(f24.n_background, 2) <= 26.5
    assert 2.4 < f24.significance_sigma < 3.1
    toys = json.loads((data_path("xenonnt-8b") / "toys" / f"{Y24}_significance.json").read_text())
    assert toys["n_toys"] >= 10000 and 2.4 < toys["z_toys"] < 3.1
    pub = d24.published["flux_8B_cm2_s"]
    assert pub.value - pub.err_low < f24.flux_8B_cm2_s < pub.value + pub.err_high
    # all three runs: 62 observed over about 42
    assert f26.n_observed == 62 and 41.0 < f26.n_background < 43.0
    # P_ee(10 MeV) of 8B inside SNO's measurement (2 sigma); mass-state fractions sum to 1
    assert abs(float(solar.flavour_fractions(10.0)[0]) - 0.317) < 2 * np.hypot(0.016, 0.009)
    P = solar.mass_state_fractions(np.geomspace(0.1, 18.0, 50))
    assert np.sum(P, axis=-1) == pytest.approx(np.ones(50), abs=1e-12)
    # finite limits for mu_eff, Lambda_1-3 and the millicharges, each in a few seconds
    for p in ("mu_eff", "Lambda1", "Lambda2", "Lambda3", "q_nue", "q_numu", "q_nutau"):
        t = time.perf_counter()
        lim = X.limit(Y26, p)
        assert time.perf_counter() - t < 5.0, p
        assert np.isfinite(lim.limit) and lim.limit > 0, p
