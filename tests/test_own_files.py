"""The experiment-file schema (one table drives validation and the book's key table), the new keys, the guards
against unit mistakes, and the command-line face of a binned experiment."""

import json
import textwrap
import warnings

import numpy as np
import pytest
from cli_helpers import cevns

from cevns_lib.engine import event_yields
from cevns_lib.experiment import get_experiment, load_experiment
from cevns_lib.experiment.files import SCHEMA, SECTION_KEYS, SOURCE_KEYS, TOP_KEYS, ExperimentFileWarning, key_table
from cevns_lib.statistics import binned_spectrum, parameter_limit, parameter_profile, parameter_region

BASE = textwrap.dedent("""\
    name = "guarded"
    [target]
    material = "Ge"
    mass_kg = 1.0
    [source]
    kind = "reactor"
    power_GW = 3.0
    baseline_m = 20.0
    [exposure]
    days = 100
    [response]
    threshold_keV = 0.3
    threshold_kind = "ee"
    quenching = { model = "lindhard", k = 0.157 }
    """)
BINNED = BASE + textwrap.dedent("""\
    [analysis]
    statistic = "binned-poisson"
    bin_edges_keV = [0.3, 0.4, 0.6]
    sigma_signal = 0.05
    [[analysis.background]]
    name = "flat"
    model = "flat"
    rate_per_kg_day_keV = 2.0
    sigma = 0.1
    """)


def write(tmp_path, text, name="exp.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


# ------------------------------------------------------------------------------------------- the schema

def test_key_table_lists_every_key_the_loader_accepts():
    rows = key_table()
    listed = {(r[0], r[1]) for r in rows}
    for table, keys in SECTION_KEYS.items():
        for k in keys:
            assert (f"[{table}]", k) in listed, (table, k)
    for kind, keys in SOURCE_KEYS.items():
        assert all(("[source]", k) in listed for k in keys), kind
    assert all(("(top)", k) in listed for k in TOP_KEYS if k not in {"target", "source", "exposure", "response",
                                                                     "analysis", "data", "physics", "status",
                                                                     "comparison"})
    # the seven keys the chapter's hand-written table lacked, and the new ones
    for table, key in (("(top)", "experiment"), ("(top)", "stage"), ("(top)", "description"),
                       ("[source]", "flux_reference_m"), ("[source]", "power_baseline_m"), ("[source]", "spectrum"),
                       ("[source]", "energy_per_fission_MeV"), ("[source]", "cores"), ("[response]", "upper_keV"),
                       ("[exposure]", "off_days"), ("[analysis]", "bin_edges_keV"), ("[data]", "counts"),
                       ("[analysis.background[]]", "rate_per_kg_day_keV"), ("[response.quenching]", "sigma_k")):
        assert (table, key) in listed, (table, key)
    units = {(r[0], r[1]): r[3] for r in rows}
    assert units[("[target]", "mass_kg")] == "kg" and units[("[source.cores[]]", "power_GW")] == "GW"
    assert all(len(r) == 8 and r[7] for r in rows)


def test_the_schema_drives_validation(tmp_path):
    # every numeric key with a check is refused when out of range, naming its table and key
    text = BASE.replace("mass_kg = 1.0", "mass_kg = 0")
    with pytest.raises(ValueError, match=r"target\.mass_kg: must be > 0"):
        load_experiment(write(tmp_path, text))
    assert {k.type for k in SCHEMA} >= {"number", "text", "numbers", "table", "tables"}


BAD = [
    (BINNED.replace("bin_edges_keV = [0.3, 0.4, 0.6]", 'bin_edges_keV = "0.3-0.6"'), "analysis.bin_edges_keV"),
    (BINNED.replace("bin_edges_keV = [0.3, 0.4, 0.6]", "bin_edges_keV = [0.2, 0.4, 0.6]"),
     "analysis.bin_edges_keV: .*below threshold_keV"),
    (BINNED.replace("sigma = 0.1\n", ""), r"analysis\.background\.flat\.sigma: missing"),
    (BINNED.replace('model = "flat"', 'model = "exponential"'), "unknown value 'exponential'"),
    (BINNED + "[data]\ncounts = [1, -2]\n", r"data\.counts: must be counts >= 0"),
    (BINNED + "[data]\ncounts = [1, 2, 3]\n", r"data\.counts: .*one per bin"),
    (BASE.replace("power_GW = 3.0\nbaseline_m = 20.0", "power_GW = 3.0\nbaseline_m = 20.0\n"
                  "cores = [ { power_GW = 3, baseline_m = 20 } ]"), r"source\.power_GW: give either cores"),
    (BASE.replace("power_GW = 3.0\nbaseline_m = 20.0", "cores = [ { power_GW = 3 } ]"),
     r"source\.cores\[0\]\.baseline_m: missing"),
    (BASE.replace("days = 100", "days = 100\non_days = 100"), "exposure.on_days: give on_days"),
    (BASE.replace("threshold_keV = 0.3", "threshold_keV = 0.3\nupper_keV = 0.2"), "response.upper_keV"),
    (BASE + "[analysis]\nbin_edges_keV = [0.3, 0.5]\n", "analysis.bin_edges_keV: .*binned statistic"),
    (BASE.replace("k = 0.157 }", "k = 0.157, sigma_k = 0.2 }"), "sigma_k: must be smaller than k"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_new_keys_name_the_file_and_key(tmp_path, text, message):
    p = write(tmp_path, text)
    with pytest.raises(ValueError) as info:
        load_experiment(p)
    assert str(p) in str(info.value)
    assert __import__("re").search(message, str(info.value)), str(info.value)


def test_on_off_exposure_and_off_data(tmp_path):
    text = BINNED.replace("days = 100", "on_days = 100\noff_days = 50")
    e = load_experiment(write(tmp_path, text))
    assert e.exposure_s == 100 * 86400 and e.off_exposure_s == 50 * 86400
    assert e.off_kg_days == pytest.approx(50.0)
    wide = load_experiment(write(tmp_path, BINNED.replace("sigma = 0.1", "sigma = 0.5"), "wide.toml"))
    wide_off = load_experiment(write(tmp_path, text.replace("sigma = 0.1", "sigma = 0.5"), "wideoff.toml"))
    # the off data constrain a poorly known background: the limit improves
    assert parameter_limit(wide_off, "mu_nue").limit < parameter_limit(wide, "mu_nue").limit
    with pytest.raises(ValueError, match="data_off_counts|off_counts"):
        load_experiment(write(tmp_path, text + "[data]\ncounts = [10, 20]\n", "nooff.toml"))


# ------------------------------------------------------------------------------------------- guards

def test_threshold_above_every_recoil_is_an_error_naming_the_key(tmp_path):
    p = write(tmp_path, BASE.replace("threshold_keV = 0.3", "threshold_keV = 300"))
    with pytest.raises(ValueError, match=r"response\.threshold_keV: 300 keVee is above the largest recoil") as info:
        load_experiment(p)
    assert "\n" not in str(info.value)
    run = cevns("rates", "--experiment-file", str(p))
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "threshold_keV" in run.stderr


@pytest.mark.parametrize("change, key", [
    (("power_GW = 3.0", "power_GW = 3000"), "source.power_GW"),
    (("power_GW = 3.0\nbaseline_m = 20.0", "cores = [ { power_GW = 3.0, baseline_m = 20 }, "
                                           "{ power_GW = 12.0, baseline_m = 30 } ]"), "source.cores[1].power_GW"),
])
def test_unit_mistakes_warn_in_one_line_naming_the_key(tmp_path, change, key):
    p = write(tmp_path, BASE.replace(*change))
    with pytest.warns(ExperimentFileWarning, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_experiment(p)
    run = cevns("rates", "--experiment-file", str(p), "--format", "json")
    assert run.returncode == 0
    assert run.stderr.startswith("cevns: warning: ") and run.stderr.count("\n") == 1 and key in run.stderr


def test_sns_and_spectrum_range_guards(tmp_path):
    sns = textwrap.dedent("""\
        name = "sns"
        [target]
        material = "CsI"
        mass_kg = 14.6
        [source]
        kind = "sns"
        baseline_m = 19.3
        nu_per_pot = 8.0
        [exposure]
        pot = 1.76e23
        [response]
        threshold_keV = 5.0
        """)
    with pytest.warns(ExperimentFileWarning, match=r"source\.nu_per_pot"):
        load_experiment(write(tmp_path, sns, "sns.toml"))
    (tmp_path / "spec.txt").write_text("0 0\n10 1\n80 0\n")
    table = BASE.replace('kind = "reactor"\npower_GW = 3.0\nbaseline_m = 20.0',
                         'kind = "table"\nfile = "spec.txt"\nspecies = "nu_e"\nflux_cm2_s = 1e10')
    with pytest.warns(ExperimentFileWarning, match=r"source\.file: the spectrum reaches 80 MeV"):
        load_experiment(write(tmp_path, table, "table.toml"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        get_experiment("CONUS+ binned")                       # the shipped files give no warning


def test_zero_threshold_sm_rates_allowed_diverging_terms_refused(tmp_path):
    p = write(tmp_path, BASE.replace("threshold_keV = 0.3\nthreshold_kind = \"ee\"", "threshold_keV = 0.0"))
    e = load_experiment(p)
    y = event_yields(e)
    assert np.isfinite(y.n_sm_total) and y.n_sm_total > 0
    with pytest.raises(ValueError, match=r"threshold_keV = 0 .*magnetic term .*diverges"):
        parameter_limit(e, "mu_nue")
    with pytest.raises(ValueError, match=r"millicharge"):
        parameter_limit(e, "q_nue")
    assert np.isfinite(parameter_limit(e, "r2_nue").limit)       # the charge-radius terms stay finite
    run = cevns("limits", "--experiment-file", str(p), "--parameter", "mu_nue")
    assert run.returncode == 2 and "threshold_keV = 0" in run.stderr and run.stderr.count("\n") == 1


# ------------------------------------------------------------------------------------------- spectra, profiles, planes

def test_spectrum_records_and_plot(tmp_path):
    run = cevns("spectrum", "--experiment", "CONUS+ binned", "--format", "json", "--plot", str(tmp_path / "s.png"),
                "--example", "mu_nue=3")
    assert run.returncode == 0, run.stderr
    recs = json.loads(run.stdout)
    assert len(recs) == 8 and recs[0]["bin_low_keV"] == 0.16 and recs[-1]["bin_high_keV"] == 1.0
    for key in ("n_sm", "n_background", "mu_nue_per_1e-10_muB_sq", "q_nue_per_e", "q_nue_per_e_sq",
                "r2_nue_per_cm2", "r2_nue_per_cm4", "unit"):
        assert key in recs[0]
    assert "mu_nue_per_1e-10_muB" not in recs[0]          # a moment has no linear term
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    spec = binned_spectrum(get_experiment("CONUS+ binned"))
    assert [r["n_sm"] for r in recs] == pytest.approx(list(spec.n_sm))
    assert spec.extra_events("mu_nue", 2.0) == pytest.approx(4 * spec.new_physics["mu_nue"][1])


def test_profile_matches_the_limit():
    e = get_experiment("CONUS+ binned")
    lim = parameter_limit(e, "mu_nue")
    prof = parameter_profile(e, "mu_nue", [0.0, lim.limit, 1.5 * lim.limit])
    assert prof.delta_chi2[0] == pytest.approx(0.0, abs=1e-6)
    assert prof.delta_chi2[1] == pytest.approx(lim.level, abs=0.02)
    assert prof.delta_chi2[2] > lim.level
    run = cevns("profile", "--experiment", "CONUS+ binned", "--parameter", "q_nue", "--range=-2e-9,2e-9",
                "--points", "5", "--format", "json")
    recs = json.loads(run.stdout)
    assert [r["allowed"] for r in recs] == [False, True, True, True, False]


def test_region_of_any_two_parameters():
    e = get_experiment("CONUS+ binned")
    reg = parameter_region(e, ("q_nue", "r2_nue"), n=11, x_range=(-3e-9, 3e-9), y_range=(-6e-32, 6e-32))
    assert reg.delta_chi2.shape == (11, 11) and reg.allowed[5, 5]        # the Standard Model is allowed
    # the cross term: with q = 0 the row is the one-parameter r2 profile
    prof = parameter_profile(e, "r2_nue", reg.y)
    np.testing.assert_allclose(reg.delta_chi2[:, 5], prof.delta_chi2, atol=0.05)
    with pytest.raises(ValueError, match="Majorana"):
        parameter_region(e, ("Lambda1", "q_nue"))
    with pytest.raises(ValueError, match="mu_eff"):
        parameter_region(e, ("mu_eff", "mu_nue"))
    run = cevns("region", "--experiment", "CONUS+ binned", "--plane", "mu_nue,q_nue", "--points", "7",
                "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["parameters"] == ["mu_nue", "q_nue"] and doc["cl"] == 0.9 and len(doc["delta_chi2"]) == 7
    run = cevns("region", "--experiment", "CONUS+ binned", "--plane", "mu_nue,mu_eff")
    assert run.returncode == 2 and "mu_eff" in run.stderr


def test_new_options_have_help_with_units_and_defaults():
    for command, options in (("limits", ("--toys", "--jobs", "--seed", "--scheduler")),
                             ("spectrum", ("--bin-edges-keV", "--plot", "--example", "--parameter")),
                             ("profile", ("--values", "--range", "--points", "--cl")),
                             ("region", ("--plane", "--x-range", "--y-range", "--points"))):
        text = " ".join(cevns(command, "--help").stdout.split())
        for opt in options:
            assert opt in text, (command, opt)
            after = text.rsplit(f" {opt} ", 1)[1][:300]
            assert "default" in after or "unit" in after or "keV" in after, (command, opt, after)
