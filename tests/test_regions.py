"""Two-parameter regions and CP phases (Figures 4-7 of arXiv:1905.03750): cevns_lib.statistics.regions."""

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest

from cevns_lib import statistics as st
from cevns_lib.experiment import get_setup
from cevns_lib.physics import DE_SALAS_2018_NO, blind_direction, coefficients
from cevns_lib.statistics import DCHI2_90_1D, Analysis, analysis, regions

PLANES = [(1, 2), (1, 3), (2, 3)]
CASES = [("CsI[Na]", "current", "prompt"), ("CsI[Na]", "current", "delayed"), ("LAr", "future", "delayed"),
         ("HPGe", "current", "full"), ("CONNIE", "current", "reactor"), ("CONUS", "future", "reactor")]


def _analysis(name, experiment, beam, **kw):
    return analysis(get_setup(name, experiment), beam, **kw)


# ------------------------------------------------------------------------------- the ray construction

@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("level", [2.30, DCHI2_90_1D, 4.61, 9.21])
def test_axis_intercepts_equal_one_parameter_limits(case, level):
    a = _analysis(*case)
    for plane in PLANES:
        ri, rj = regions.region(a, plane, level, n=5).intercepts
        assert ri == pytest.approx(a.limit(np.eye(3)[plane[0] - 1], level), rel=1e-8)
        assert rj == pytest.approx(a.limit(np.eye(3)[plane[1] - 1], level), rel=1e-8)


@pytest.mark.parametrize("case", CASES)
def test_every_edge_point_sits_on_the_level(case):
    a = _analysis(*case)
    for plane in PLANES:
        reg = regions.region(a, plane, 4.61, n=91)
        m = regions.embed(reg.lambda_i, reg.lambda_j, plane)
        assert np.allclose(a.delta_chi2(m), 4.61, rtol=0, atol=1e-9)
        # just inside / outside the edge
        assert np.all(a.delta_chi2(0.999 * m) < 4.61) and np.all(a.delta_chi2(1.001 * m) > 4.61)
        assert np.all(reg.r_inner == 0) and np.all(reg.lambda_i >= 0) and np.all(reg.lambda_j >= 0)


def test_grid_helper_agrees_with_the_ray_contour():
    a = _analysis("CONNIE", "current", "reactor")
    reg = regions.region(a, (1, 2), 4.61, n=721)
    li = np.linspace(0, 4, 161)
    lj = np.linspace(0, 3, 121)
    z = regions.grid_delta_chi2(a, (1, 2), li, lj)
    assert z.shape == (len(lj), len(li))
    # inside by the ray construction <=> Delta chi^2 <= level on the grid
    L1, L2 = np.meshgrid(li, lj)
    r, t = np.hypot(L1, L2), np.arctan2(L2, L1)
    inside = r <= np.interp(t, reg.t, reg.r_outer)
    ambiguous = np.abs(z - 4.61) < 0.05
    assert np.all((z <= 4.61)[~ambiguous] == inside[~ambiguous])


def test_excess_interval_closed_form_and_monotonicity():
    for name, setup, beam in CASES:
        a = _analysis(name, setup, beam)
        iv = regions.excess_interval(a, 4.61)
        assert iv.monotonic and iv.lo == 0.0
        if a.form == "excess":
            expected = np.sqrt(4.61 * a.n_sm / (1 - 4.61 * a.sigma_alpha**2))
            assert iv.hi == pytest.approx(expected, rel=1e-10)
        assert regions.delta_chi2_of_excess(a, iv.hi) == pytest.approx(4.61, abs=1e-9)


class _BumpyAnalysis(Analysis):
    """A chi-square with a local dip above the first crossing, to exercise the non-monotonic fall-back."""

    def chi2_of_excess(self, x):
        x = np.asarray(x, dtype=float)
        return (x / 10) ** 2 - 6 * np.exp(-(((x - 28) / 2) ** 2))


def test_non_monotonic_chi2_uses_the_outermost_crossing():
    base = _analysis("CONNIE", "current", "reactor")
    a = _BumpyAnalysis(n_sm=base.n_sm, q=base.q, form="excess", sigma_alpha=0.3)
    iv = regions.excess_interval(a, 4.61)
    assert not iv.monotonic
    xs = np.linspace(0, 100, 200001)
    above = regions.delta_chi2_of_excess(a, xs) > 4.61
    assert np.count_nonzero(np.diff(above.astype(int)) == 1) >= 2      # really crosses twice upwards
    last_up = xs[np.nonzero(np.diff(above.astype(int)) == 1)[0][-1]]
    assert iv.hi == pytest.approx(last_up, abs=1e-3)
    assert regions.delta_chi2_of_excess(a, iv.hi) == pytest.approx(4.61, abs=1e-9)


def test_saturating_chi2_gives_an_unbounded_region():
    # eq. (35) saturates at 1/sigma_alpha^2 = 4 < 4.61 with sigma_alpha = 0.5
    a = _analysis("CONNIE", "current", "reactor", sigma_alpha=0.5)
    assert regions.excess_interval(a, 4.61).hi == np.inf
    assert np.all(np.isinf(regions.region(a, (1, 2), 4.61).r_outer))
    assert np.isfinite(regions.region(a, (1, 2), 2.30).r_outer).all()


def test_data_excluding_the_origin_give_an_inner_edge():
    # CsI-type chi-square with data far above the SM expectation: X = 0 is excluded
    a = _analysis("CsI[Na]", "current", "prompt", csi_data={"n_meas": 400.0})
    iv = regions.excess_interval(a, 4.61)
    assert 0 < iv.lo < regions.best_excess(a) < iv.hi
    reg = regions.region(a, (1, 2), 4.61, n=31)
    for r in (reg.r_inner, reg.r_outer):
        m = regions.embed(r * np.cos(reg.t), r * np.sin(reg.t), (1, 2))
        assert np.allclose(a.delta_chi2(m), 4.61, atol=1e-8)


def test_level_scaling_of_the_contours():
    """Statistics-dominated eq. (35): radii scale as level^(1/4) with the sigma_alpha correction (choice A13)."""
    a = _analysis("LAr", "current", "delayed")
    r1 = regions.region(a, (2, 3), DCHI2_90_1D).r_outer
    r2 = regions.region(a, (2, 3), 4.61).r_outer
    s2 = a.sigma_alpha**2
    expected = ((2.71 / 4.61) * (1 - 4.61 * s2) / (1 - 2.71 * s2)) ** 0.25
    assert np.allclose(r1 / r2, expected, rtol=1e-10)
    b = _analysis("LAr", "current", "delayed", sigma_alpha=0.0)
    ratio = regions.region(b, (2, 3), DCHI2_90_1D).r_outer / regions.region(b, (2, 3), 4.61).r_outer
    assert np.allclose(ratio, (2.71 / 4.61) ** 0.25, rtol=1e-10)
    assert st.delta_chi2_level(0.90, 2) == 4.61 and st.delta_chi2_level(0.68, 2) == 2.30   # the one rule, E5


@pytest.mark.parametrize("case", [c for c in CASES if c[0] != "CsI[Na]"])
def test_regions_shrink_with_luminosity(case):
    """Effective eq. (35): N_SM and Q both scale with the luminosity, so every radius scales as K^(-1/4)."""
    base = regions.region(_analysis(*case), (1, 3), 4.61).r_outer
    big = regions.region(_analysis(*case, scale=10), (1, 3), 4.61).r_outer
    assert np.all(big < base)
    assert np.allclose(big / base, 10 ** -0.25, rtol=1e-10)


def test_csi_asimov_regions_shrink_with_luminosity():
    """The CsI chi-square (eq. 34, Asimov data for scale != 1) is systematics limited but still shrinks."""
    r10 = regions.region(_analysis("CsI[Na]", "current", "prompt", scale=10), (2, 3), 4.61).r_outer
    r100 = regions.region(_analysis("CsI[Na]", "current", "prompt", scale=100), (2, 3), 4.61).r_outer
    assert np.all(r100 < r10)


# ------------------------------------------------------------------------------- shapes and blind direction

def test_reactor_blind_direction():
    """Eq. (14): along (c12c13, s12c13, s13) the reactor excess vanishes, so Delta chi^2 does not grow."""
    for name in ("CONUS", "CONNIE", "RED100"):
        for setup in ("current", "future"):
            a = _analysis(name, setup, "reactor")
            d = blind_direction()
            lim = a.limit(np.eye(3)[0], DCHI2_90_1D)
            for r in (lim, 10 * lim, 1e3 * lim):
                assert abs(a.delta_chi2(r * d)) < 1e-9
            # any other direction is constrained
            assert a.delta_chi2(10 * lim * np.eye(3)[0]) > 4.61
    # in every plane with one moment switched off the region is bounded
    a = _analysis("CONNIE", "current", "reactor")
    for plane in PLANES:
        assert np.all(np.isfinite(regions.region(a, plane).r_outer))


def test_reactor_12_region_stretches_along_theta12():
    """The (1,2) reactor form is weighted I - v v^T with v = c13 (c12, s12): the longest ray is at t = theta_12,
    where mu_eff^2 = s13^2 |Lambda|^2, longer than the |Lambda_1| intercept by sqrt(C_e1) / s13."""
    a = _analysis("TEXONO", "current", "reactor")
    reg = regions.region(a, (1, 2), 4.61, n=18001)
    k = np.argmax(reg.r_outer)
    assert reg.t[k] == pytest.approx(np.arcsin(np.sqrt(DE_SALAS_2018_NO.sin2_12)), abs=1e-4)
    expected = np.sqrt(coefficients("nu_e_bar")[0] / DE_SALAS_2018_NO.sin2_13)
    assert reg.r_outer[k] / reg.intercepts[0] == pytest.approx(expected, rel=1e-6)


def test_prompt_23_plane_is_the_only_sns_prompt_plane_reaching_beyond_its_intercepts():
    a = _analysis("CsI[Na]", "current", "prompt")
    for plane in PLANES:
        reg = regions.region(a, plane, 4.61, n=721)
        bulge = reg.r_outer.max() / max(reg.intercepts)
        if plane == (2, 3):
            assert bulge > 1.3
        else:
            assert bulge == pytest.approx(1.0, abs=1e-12)


# ------------------------------------------------------------------------------- phases (Figure 7)

@pytest.mark.parametrize("name,beam", [("CsI[Na]", "prompt"), ("CsI[Na]", "delayed"), ("CONNIE", "reactor")])
def test_plane_matrices_match_the_library_quadratic_form(name, beam):
    s = get_setup(name, "current")
    rng = np.random.default_rng(7)
    for plane in PLANES + [(3, 1)]:
        for _ in range(3):
            phi, delta, common, third = rng.uniform(0, 2 * np.pi, 4)
            zeta = np.full(3, third)
            zeta[plane[0] - 1], zeta[plane[1] - 1] = phi + common, common
            a = analysis(s, beam, params=dataclasses.replace(DE_SALAS_2018_NO, delta=delta), phases=tuple(zeta))
            q = regions.plane_matrices(s, beam, plane, phi, delta)
            idx = [plane[0] - 1, plane[1] - 1]
            assert np.allclose(q, a.q[np.ix_(idx, idx)], rtol=1e-12, atol=1e-15 * np.abs(a.q).max())


@pytest.mark.parametrize("name,beam", [("CsI[Na]", "prompt"), ("CONNIE", "reactor")])
@pytest.mark.parametrize("plane", PLANES)
def test_real_region_lies_between_the_phase_envelopes(name, beam, plane):
    s = get_setup(name, "current")
    sc = regions.phase_scan(s, beam, plane, 4.61, n_phase=24, n_rays=91)
    real = regions.region(analysis(s, beam), plane, 4.61, n=91).r_outer
    assert np.allclose(sc.r_real, real)
    assert np.all(sc.r_min <= real * (1 + 1e-12)) and np.all(real <= sc.r_max * (1 + 1e-12))
    # the single-choice extremes enclose the largest / smallest area of all scanned choices
    areas = np.trapezoid(sc.radii**2, sc.t, axis=-1)
    assert np.trapezoid(sc.r_outer**2, sc.t) >= areas.max() * (1 - 1e-12)
    assert np.trapezoid(sc.r_inner**2, sc.t) <= areas.min() * (1 + 1e-12)
    # and any other phase choice lies within the ray-by-ray envelopes
    r = sc.contour(1.234, 4.321)
    assert np.all(sc.r_min * (1 - 0.02) <= r) and np.all(r <= sc.r_max * (1 + 0.02))


def test_reactor_12_plane_extremes_are_xi3_0_and_pi_for_any_delta():
    sc = regions.phase_scan(get_setup("CONNIE", "current"), "reactor", (1, 2), n_phase=36, n_rays=91)
    assert sc.phase_name == "xi_3"
    assert sc.outer[0] == pytest.approx(0.0, abs=1e-9) and sc.inner[0] == pytest.approx(np.pi, abs=1e-9)
    assert "any delta" in sc.outer_text and "any delta" in sc.inner_text
    assert np.allclose(sc.r_outer, sc.r_real)          # real TMMs are the most conservative choice
    # the ray-by-ray envelopes coincide with the single choices
    assert sc.envelope_gap() == pytest.approx((0.0, 0.0), abs=1e-12)


def test_reactor_13_plane_depends_on_xi2_plus_delta_only():
    s = get_setup("CONUS", "current")
    q1 = regions.plane_matrices(s, "reactor", (1, 3), 0.7, 0.4)
    q2 = regions.plane_matrices(s, "reactor", (1, 3), 0.2, 0.9)
    assert np.allclose(q1, q2)
    sc = regions.phase_scan(s, "reactor", (1, 3), n_phase=24, n_rays=31)
    assert "xi_2 + delta = 0 deg" in sc.outer_text and "xi_2 + delta = 180 deg" in sc.inner_text


def test_phases_symmetric_under_conjugation():
    s = get_setup("CsI[Na]", "current")
    q1 = regions.plane_matrices(s, "prompt", (2, 3), 0.8, 2.1)
    q2 = regions.plane_matrices(s, "prompt", (2, 3), -0.8, -2.1)
    assert np.allclose(q1, q2)
    # a common phase of the moduli and the third (zero) moment's phase do not matter
    a1 = analysis(s, "prompt", phases=(0.3, 0.0, 1.0))
    a2 = analysis(s, "prompt", phases=(1.3, 1.0, -2.0))
    assert np.allclose(a1.q[:2, :2], a2.q[:2, :2])


def test_phase_names_follow_a10():
    assert regions.phase_name((1, 2)) == "xi_3"
    assert regions.phase_name((1, 3)) == "xi_2"
    assert regions.phase_name((2, 3)) == "xi_1"
    assert regions.phase_name((3, 2)) == "-xi_1"


# ------------------------------------------------------------------------------- record, CLI, errors

def test_region_record_structure():
    rec = regions.region_record("CONNIE", "current", plane=(1, 2), level=4.61)
    json.dumps(rec, allow_nan=False)
    assert set(rec) == {"experiment", "stage", "beam", "plane", "level", "points", "intercepts"}
    assert (rec["experiment"], rec["stage"], rec["beam"], rec["plane"], rec["level"]) == \
        ("CONNIE", "current", "all", [1, 2], 4.61)
    pts = rec["points"]
    assert all(set(p) == {"lambda_i", "lambda_j"} for p in pts)
    assert pts[0]["lambda_j"] == 0 and pts[-1]["lambda_i"] == 0
    assert pts[0]["lambda_i"] == pytest.approx(rec["intercepts"]["lambda_i"])
    assert pts[-1]["lambda_j"] == pytest.approx(rec["intercepts"]["lambda_j"])
    a = analysis(get_setup("CONNIE", "current"))
    assert rec["intercepts"]["lambda_i"] == pytest.approx(a.limit(np.eye(3)[0], 4.61), rel=1e-8)
    sns = regions.region_record("CsI", "current", beam="prompt", plane=(3, 2))
    assert sns["experiment"] == "CsI[Na]" and sns["beam"] == "prompt" and sns["plane"] == [3, 2]
    assert regions.region_record("LAr", "future")["beam"] == "all"


@pytest.mark.parametrize("plane", [(1, 1), (1, 4), (0, 2), (1, 2, 3), (1,), "12", (1.0, 2.0), None, (True, 2)])
def test_bad_plane_raises(plane):
    with pytest.raises(ValueError, match="plane"):
        regions.region_record("CONNIE", "current", plane=plane)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="unknown experiment"):
        regions.region_record("KATRIN", "current")
    with pytest.raises(ValueError, match="stage"):
        regions.region_record("CONNIE", "past")
    with pytest.raises(ValueError, match="does not belong"):
        regions.region_record("CONNIE", "current", beam="prompt")
    with pytest.raises(ValueError, match="does not belong"):
        regions.region_record("CsI", "current", beam="reactor")
    with pytest.raises(ValueError, match="unknown beam"):
        regions.region_record("CsI", "current", beam="solar")
    with pytest.raises(ValueError, match="level"):
        regions.region_record("CONNIE", "current", level=-1.0)
    with pytest.raises(ValueError, match="unbounded"):
        # eq. (35) with sigma_alpha = 0.30 saturates at 1/0.09 = 11.1
        regions.region_record("CONNIE", "current", level=12.0)
    with pytest.raises(ValueError, match="confidence"):
        st.delta_chi2_level(1.5, 2)


def test_cli_region_json():
    out = subprocess.run([sys.executable, "-m", "cevns_lib", "region", "--experiment", "CONNIE", "--stage", "current",
                          "--plane", "1,2", "--format", "json"], capture_output=True, text=True, check=True)
    rec = json.loads(out.stdout)
    assert rec["experiment"] == "CONNIE" and rec["plane"] == [1, 2] and rec["level"] == 4.61
    assert (rec.pop("unit"), rec.pop("cl")) == ("1e-10 mu_B", 0.9)      # added by the command line
    assert rec == json.loads(json.dumps(regions.region_record("CONNIE", "current", plane=(1, 2))))
    bad = subprocess.run([sys.executable, "-m", "cevns_lib", "region", "--experiment", "CONNIE", "--plane", "1,1"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "plane" in bad.stderr
