"""Every bad or edge input of the audit in the issue "Checks that hold on any machine": a correct result, or a clear
error naming the argument (library: an exception; command line: exit status 2 and one line)."""

import dataclasses
import math

import numpy as np
import pytest
from cli_helpers import cevns

from cevns_lib import get_experiment, get_setup, parameter_limit
from cevns_lib.engine import event_yields
from cevns_lib.papers.miranda2019 import borexino_ellipse, round_as_printed
from cevns_lib.papers.tensor_nsi import beam_events, region_boundary, sns_setups
from cevns_lib.physics import get_parameter
from cevns_lib.sources import reactor_flux_from_power, sns_fluence
from cevns_lib.statistics import analysis, chi2_csi, chi2_excess, regions

CONUS = get_setup("CONUS", "current")
CSI = get_setup("CsI[Na]", "current")


def one_line_error(proc, *fragments):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == "" and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    for f in fragments:
        assert f in proc.stderr, (f, proc.stderr)


# ------------------------------------------------------------------------------ silently wrong before

@pytest.mark.parametrize("kw, name", [({"n_e": 2.5}, "n_e"), ({"n_t": 2.7}, "n_t"), ({"n_t": True}, "n_t")])
def test_quadrature_orders_are_integers(kw, name):
    with pytest.raises(TypeError, match=name):
        event_yields(CONUS, **kw)


def test_grids_are_bounded_and_say_so():
    with pytest.raises(ValueError, match="n_t.*at most 5000"):
        event_yields(CONUS, n_t=20000)
    with pytest.raises(ValueError, match="n_t.*at most 5000"):
        event_yields(CONUS, n_t=10**9)


@pytest.mark.parametrize("call, match", [
    (lambda: chi2_excess(10.0, -100.0, 0.3), "n_sm"),
    (lambda: chi2_excess(0.0, 0.0, 0.0), "n_sm"),
    (lambda: chi2_excess(10.0, 100.0, -0.3), "sigma_alpha"),
    (lambda: chi2_excess(np.nan, 100.0, 0.3), "x"),
    (lambda: chi2_csi(-50.0), "n_th"),
    (lambda: chi2_csi(np.nan), "n_th"),
    (lambda: chi2_csi(100.0, n_meas=-10.0), "n_meas"),
    (lambda: analysis(CONUS, sigma_alpha=-0.3), "sigma_alpha"),
    (lambda: analysis(CSI, csi_data={"b_ss": -1000.0}), "b_ss"),
    (lambda: analysis(CSI, csi_data={"b_sss": 1.0}), "b_sss"),
])
def test_chi_square_inputs_are_checked(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_chi_square_values_are_finite_and_non_negative():
    assert chi2_excess(10.0, 100.0, 0.3) >= 0 and math.isfinite(chi2_excess(1e6, 100.0, 0.3))
    assert chi2_csi(0.0) >= 0


@pytest.mark.parametrize("level", [0.0, -1.0, np.inf, np.nan])
def test_levels_must_lie_in_zero_to_infinity(level):
    with pytest.raises(ValueError, match="level"):
        parameter_limit(CONUS, "mu_nue", level=level)
    with pytest.raises(ValueError, match="level"):
        analysis(CONUS).limit([1, 0, 0], level=level)


def test_tiny_levels_give_the_closed_form_not_zero():
    """The effective chi-square's limit is (level N_SM)^(1/4) / sqrt(n_em) (1 - level sa^2)^(-1/4), at any level."""
    a = analysis(CONUS)
    y = event_yields(CONUS)
    for level in (1e-300, 1e-20, 1e-6, 2.71):
        lim = a.limit([1, 0, 0], level=level)
        closed = (level * a.n_sm) ** 0.25 / np.sqrt(a.q[0, 0]) * (1 - level * a.sigma_alpha**2) ** -0.25
        assert lim > 0 and lim == pytest.approx(closed, rel=1e-9), level
    assert y.n_sm_total > 0


def test_region_intercepts_at_tiny_levels_are_the_one_parameter_limits():
    a = analysis(get_setup("CONNIE", "current"))
    for level in (1e-20, 1e-8, 4.61):
        reg = regions.region(a, (1, 2), level)
        for axis, r in zip((0, 1), reg.intercepts):
            assert r == pytest.approx(a.limit(np.eye(3)[axis], level), rel=1e-9), level


def test_directions_are_scale_free():
    a = analysis(CONUS)
    assert a.limit([1e-300, 0, 0]) == pytest.approx(a.limit([1, 0, 0]) * 1e300, rel=1e-12)


def test_integer_arguments_are_integers():
    with pytest.raises(TypeError, match="n_points"):
        borexino_ellipse((1, 2), n_points=2.7)
    with pytest.raises(TypeError, match="n_theta"):
        region_boundary(beam_events(sns_setups()[0], "nu_e"), n_theta=8.9)


def test_grid_delta_chi2_refuses_negative_moduli():
    a = analysis(CONUS)
    with pytest.raises(ValueError, match="moduli"):
        regions.grid_delta_chi2(a, (1, 2), [-1.0, 1.0], [0.5, 1.0])


def test_round_as_printed_reads_the_printed_text():
    assert round_as_printed(0.9, "0.90") == "0.90"
    with pytest.raises(ValueError, match="printed"):
        round_as_printed(0.9, "1e-3")


# ------------------------------------------------------------------------------ tracebacks before

def test_sns_fluence_at_an_absurd_baseline():
    with pytest.raises(ValueError, match="baseline"):
        sns_fluence(1.76e23, 1e-200)


def test_reactor_flux_needs_a_spectrum_object():
    with pytest.raises(TypeError, match="spectrum"):
        reactor_flux_from_power(1.0, 10.0, spectrum="abc")


# ------------------------------------------------------------------------------ names: one matching rule

@pytest.mark.parametrize("name", ["conus current", "CONUS CURRENT", "conus+", "Conus+"])
def test_experiment_names_any_case(name):
    assert get_experiment(name).name.casefold().startswith("conus")


def test_parameter_and_dataset_names_any_case():
    assert get_parameter("MU_NUE").name == "mu_nue"
    proc = cevns("limits", "--dataset", "COHERENT-LAR-2020", "--parameter", "MU_NUE", "--format", "json")
    assert proc.returncode == 0, proc.stderr


def test_unknown_names_list_the_allowed_ones():
    with pytest.raises(ValueError, match="unknown experiment 'KATRIN'.*CONUS"):
        get_experiment("KATRIN")


# ------------------------------------------------------------------------------ the command line

@pytest.mark.parametrize("argv, fragments", [
    (("xsec", "--nucleus", "133Cs", "--enu-MeV", "30", "--recoil-keV", "1,,2"), ("--recoil-keV", "empty")),
    (("xsec", "--nucleus", "133Cs", "--enu-MeV", "30", "--recoil-keV", "1", "--mu-muB", "1e-10"),
     ("--mu-muB", "--model mu")),
    (("xsec", "--flux-averaged", "--target", "CsI", "--nucleus", "133Cs"), ("--nucleus", "--flux-averaged")),
    (("region", "--experiment", "CONNIE", "--level", "1e-300"), ()),
    (("region", "--experiment", "CONNIE", "--level", "0"), ("--level",)),
    (("limits", "--experiment", "CONUS current", "--cl", "0"), ("--cl",)),
])
def test_cli_probes(argv, fragments):
    proc = cevns(*argv)
    if fragments:
        one_line_error(proc, *fragments)
    else:
        assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr and proc.stderr.count("\n") <= 1
        assert "Geometric sequence" not in proc.stderr


def test_cli_cl_rule_is_the_same_for_experiments_and_datasets():
    import json

    a = json.loads(cevns("limits", "--experiment", "CONUS current", "--parameter", "mu_nue", "--cl", "0.68",
                         "--format", "json").stdout)[0]
    b = json.loads(cevns("limits", "--dataset", "coherent-lar-2020", "--parameter", "mu_nue", "--cl", "0.68",
                         "--format", "json").stdout)[0]
    assert a["delta_chi2"] == b["delta_chi2"] == 1.0


def test_region_on_a_solar_file_names_the_reason(tmp_path):
    """A solar source given by one flavour fraction p_ee carries no mass-state content (choice E6)."""
    from test_solar_source import SOLAR, write

    proc = cevns("region", "--experiment-file", str(write(tmp_path, SOLAR)))
    one_line_error(proc, "mass-state")


def test_replaced_experiment_field_still_validated():
    with pytest.raises(ValueError, match="mass_kg"):
        dataclasses.replace(CONUS, mass_kg=-1.0)


def test_reactor_file_with_a_flux_and_a_power_says_which(tmp_path):
    """A flux and a power together: the power was silently ignored; now it needs its comparison distance."""
    from cevns_lib import load_experiment

    text = """name = "probe"
[target]
material = "Ge"
mass_kg = 1.0
[source]
kind = "reactor"
flux_cm2_s = 1e13
power_GW = 3.9
baseline_m = 17.0
[exposure]
days = 100
[response]
threshold_keV = 0.3
"""
    p = tmp_path / "r.toml"
    p.write_text(text)
    with pytest.raises(ValueError, match="power_GW.*one of flux_cm2_s or power_GW"):
        load_experiment(p)
    p.write_text(text.replace("baseline_m = 17.0", "baseline_m = 17.0\npower_baseline_m = 17.0"))
    e = load_experiment(p)
    assert e.flux_at_detector_cm2_s() == 1e13 and e.power_based_flux_cm2_s() > 0


def test_non_utf8_file_names_the_file(tmp_path):
    from cevns_lib import load_experiment

    p = tmp_path / "latin1.toml"
    p.write_bytes('name = "d\xe9tecteur"\n'.encode("latin-1"))
    with pytest.raises(ValueError, match="latin1.toml.*UTF-8"):
        load_experiment(p)
    proc = cevns("rates", "--experiment-file", str(p))
    one_line_error(proc, "latin1.toml", "UTF-8")
