"""The open engine on the command line: --experiment / --experiment-file everywhere, limits and xsec."""

import json
import shutil

import numpy as np
import pytest
from cli_helpers import cevns

from cevns_lib import constants as c
from cevns_lib.data import data_path, read_csv
from cevns_lib.physics import coefficients, isotope

CONUS_PLUS = data_path("experiments", "examples", "conus-plus.toml")


def run(*args, cwd=None):
    return cevns(*args, cwd=cwd)


def run_json(*args):
    proc = run(*args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    for f in fragments:
        assert f in proc.stderr, (f, proc.stderr)


@pytest.mark.parametrize("command", ["rates", "table2", "tensor", "limits", "region"])
def test_every_subcommand_takes_an_experiment_file(command):
    out = run_json(command, "--experiment-file", str(CONUS_PLUS))
    assert out, command


def test_rates_of_a_file_keep_the_record_keys():
    recs = run_json("rates", "--experiment-file", str(CONUS_PLUS))
    assert [r["flavour"] for r in recs] == ["nu_e_bar"]
    assert {"experiment", "stage", "flavour", "n_sm", "n_em_per_1e-10_muB_sq", "unit"} <= set(recs[0])
    # the same numbers by name
    assert run_json("rates", "--experiment", "CONUS+") == recs


def test_limit_on_mu_nue_is_sqrt_c_e1_times_lambda1():
    recs = run_json("limits", "--experiment-file", str(CONUS_PLUS), "--parameter", "mu_nue", "--parameter", "Lambda1")
    by = {r["parameter"]: r for r in recs}
    for r in recs:
        assert {"parameter", "limit", "unit", "cl"} <= set(r) and r["cl"] == 0.9 and r["unit"] == "1e-10 mu_B"
    assert by["mu_nue"]["limit"] == pytest.approx(np.sqrt(coefficients("nu_e_bar")[0]) * by["Lambda1"]["limit"],
                                                  rel=1e-10)


def test_limits_of_every_parameter_with_units():
    recs = run_json("limits", "--experiment", "LAr current")
    units = {r["parameter"]: r["unit"] for r in recs}
    assert units["q_numu"] == "e" and units["r2_nue"] == "cm^2" and units["mu_numu"] == "1e-10 mu_B"
    assert "mu_nutau" not in units          # no tau neutrinos at the SNS
    two_sided = [r for r in recs if r["unit"] != "1e-10 mu_B"]
    assert all(r["lower"] < 0 < r["upper"] for r in two_sided)


def test_xsec_exact_differs_from_paper_by_the_T_over_E_term():
    args = ("xsec", "--nucleus", "133Cs", "--enu-MeV", "30", "--recoil-keV", "1,5,10")
    paper, exact = run_json(*args), run_json(*args, "--kinematics", "exact")
    cs = isotope("133Cs")
    for p, e in zip(paper, exact):
        T, E = p["recoil_keV"], 30.0
        # paper: k (1 - M T / 2E^2); exact: k (1 - M T / 2E^2 - T/E), with the same prefactor k
        k = p["dsigma_dT_cm2_per_keV"] / (1 - cs.mass_MeV * T * 1e-3 / (2 * E**2))
        assert e["dsigma_dT_cm2_per_keV"] == pytest.approx(p["dsigma_dT_cm2_per_keV"] - k * T * 1e-3 / E, rel=1e-12,
                                                                 abs=0.0)
        assert e["unit"] == "cm^2/keV"


def test_xsec_standard_model_by_hand():
    """F = 1 limit at tiny recoil: G_F^2 M / (4 pi) Q_W^2 with the library's couplings; here with the form factor."""
    rec = run_json("xsec", "--nucleus", "133Cs", "--enu-MeV", "30", "--recoil-keV", "0.001", "--form-factor", "none")
    cs = isotope("133Cs")
    gp, gn = 0.0306, -0.5120          # eq. (22) with the PDG 2018 radiative corrections (4 digits)
    qv = gp * cs.Z + gn * cs.N
    ref = c.G_F**2 * cs.mass_MeV / np.pi * qv**2 * c.HBARC2_CM2_MEV2 * 1e-3
    assert rec[0]["dsigma_dT_cm2_per_keV"] == pytest.approx(ref, rel=2e-3, abs=0.0)


def test_flux_averaged_csi_cross_section_beside_coherent():
    rec = run_json("xsec", "--flux-averaged", "--source", "sns", "--target", "CsI")[0]
    assert rec["unit"] == "cm^2"
    # COHERENT's Standard-Model expectation for CsI, (189 +- 6) x 1e-40 cm^2 (arXiv:2110.07730): within 2 sigma
    assert abs(rec["sigma_cm2"] - 189e-40) < 2 * 6e-40


def test_bad_experiment_files_are_one_line_errors(tmp_path):
    good = CONUS_PLUS.read_text()
    cases = {
        "missing": (None, "experiment file not found"),
        "broken": ("name = [\n", "not valid TOML"),
        "negative mass": (good.replace("mass_kg = 2.83", "mass_kg = -1"), "target.mass_kg"),
        "unknown material": (good.replace('material = "Ge"', 'material = "Kryptonite"'), "unknown material"),
        "NaN threshold": (good.replace("threshold_keV = 0.16", "threshold_keV = nan"), "threshold_keV"),
        "unknown source": (good.replace('kind = "reactor"', 'kind = "pulsar"'), "source.kind"),
        "zero days": (good.replace("days = 119", "days = 0"), "exposure.days"),
        "zero distance": (good.replace("baseline_m = 20.7", "baseline_m = 0"), "source.baseline_m"),
    }
    for name, (text, words) in cases.items():
        path = tmp_path / f"{name.replace(' ', '_')}.toml"
        if text is not None:
            path.write_text(text)
        command = "limits" if name == "negative mass" else "rates"
        assert_one_line_error(run(command, "--experiment-file", str(path)), words)


def test_bad_options_are_one_line_errors():
    assert_one_line_error(run("limits"), "--experiment")
    assert_one_line_error(run("limits", "--experiment", "CONUS current", "--parameter", "q_numu"), "no nu_mu")
    assert_one_line_error(run("limits", "--experiment", "CONUS current", "--cl", "1.5"), "confidence level")
    assert_one_line_error(run("xsec", "--nucleus", "133Cs", "--enu-MeV", "-3", "--recoil-keV", "1"), "positive")
    assert_one_line_error(run("xsec", "--nucleus", "999Cs", "--enu-MeV", "30", "--recoil-keV", "1"), "999Cs")
    assert_one_line_error(run("xsec", "--flux-averaged"), "--target")
    assert_one_line_error(run("rates", "--experiment", "CsI[Tl] current"), "unknown experiment")


def test_a_user_copy_runs_from_anywhere(tmp_path):
    shutil.copy(CONUS_PLUS, tmp_path / "mine.toml")
    proc = run("rates", "--experiment-file", "mine.toml", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["n_sm"] == pytest.approx(run_json("rates", "--experiment", "CONUS+")[0]["n_sm"],
                                                               rel=1e-12)


def test_published_limit_table_is_well_formed():
    rows = read_csv("reference", "published_em_limits.csv")
    assert {r["unit"] for r in rows} <= {"mu_B", "e", "cm^2"}
    assert all(float(r["upper"]) > 0 for r in rows)


def test_fit_of_a_released_dataset():
    rec = run_json("fit", "--dataset", "coherent-lar-2020")[0]
    assert {"n_cevns", "n_cevns_err_low", "n_cevns_err_high", "n_cevns_predicted", "unit"} <= set(rec)
    assert rec["unit"] == "events"
    # the release's best fit, 159 +- 43 CEvNS events (LArParametersAnlA.yaml), within a tenth of its error
    assert abs(rec["n_cevns"] - 159) < 4.3 and abs(rec["n_cevns_err_low"] - 43) < 4.3
    assert abs(rec["n_cevns_predicted"] - 128) < 17          # our engine inside the release's 128 +- 17


def test_limits_from_released_data_combine():
    from cevns_lib import cli
    from cevns_lib.datasets import combined

    assert cli.DATASET_NAMES == combined.DATASETS
    recs = run_json("limits", "--dataset", "coherent-lar-2020", "--dataset", "coherent-csi-2021",
                    "--parameter", "mu_numu")
    assert recs[0]["datasets"] == "coherent-lar-2020+coherent-csi-2021"
    assert recs[0]["cl"] == 0.9 and recs[0]["unit"] == "1e-10 mu_B" and recs[0]["limit"] > 0
    assert_one_line_error(run("limits", "--dataset", "coherent-csi-2017", "--dataset", "coherent-csi-2021",
                              "--parameter", "mu_numu"), "cannot be combined")
    assert_one_line_error(run("fit", "--dataset", "coherent-nai-2030"), "unknown dataset")
