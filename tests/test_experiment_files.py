"""Experiments as files: the schema, its validation, the shipped files, and the scaling of event numbers."""

import dataclasses
import shutil
import textwrap

import numpy as np
import pytest

from cevns_lib import constants as c
from cevns_lib.engine import event_yields
from cevns_lib.experiment import (
    Experiment,
    all_setups,
    experiment_names,
    get_experiment,
    get_setup,
    load_experiment,
    shipped_experiments,
)
from cevns_lib.sources import reactor_flux_from_power

CONUS_PLUS = textwrap.dedent("""\
    name = "my CONUS+"
    [target]
    material = "Ge"
    mass_kg = 2.83
    [source]
    kind = "reactor"
    power_GW = 3.6
    baseline_m = 20.7
    [exposure]
    days = 119
    [response]
    threshold_keV = 0.16
    threshold_kind = "ee"
    quenching = { model = "lindhard", k = 0.157 }
    efficiency = 1.0
    """)


def write(tmp_path, text, name="exp.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


# ------------------------------------------------------------------------------------ shipped files

def test_shipped_experiments_load_with_unique_names():
    exps = shipped_experiments()
    assert len(all_setups()) == 18
    assert len(exps) == 18 + 6 + 1
    assert len(set(experiment_names())) == len(exps)
    # Table 1 order: COHERENT CsI, HPGe, LAr, NaI, then the reactors
    assert [s.experiment for s in all_setups()[::2]] == ["CsI[Na]", "HPGe", "LAr", "NaI[Tl]", "CONUS", "CONNIE",
                                                         "MINER", "TEXONO", "RED100"]


def test_table1_inputs_in_the_files():
    """Absolute inputs of Table 1 and of the register (choices A3, A6): a 2% change of a file fails here."""
    expected_flux = {"CONUS": 2.3e13, "CONNIE": 7.8e12, "MINER": 5e11, "TEXONO": 1.0e13, "RED100": 1.35e13}
    for s in all_setups():
        if s.source == "reactor":
            assert s.flux_cm2_s == expected_flux[s.experiment]
            assert s.exposure_s == (1.0 if s.stage == "current" else 10.0) * 365.25 * 86400
            assert s.sigma_alpha == (0.30 if s.stage == "current" else 0.20)
        else:
            assert s.n_pot == (1.76e23 if s.stage == "current" else 2.085e24)
            assert s.nu_per_pot == 0.08
    assert get_setup("CsI[Na]").statistic == "coherent-csi-2017"
    assert (get_setup("CsI[Na]").mass_kg, get_setup("CsI[Na]").baseline_m) == (14.57, 19.3)


def test_year_length_and_fluence_by_hand():
    # a year of 365.25 days, and the CONUS fluence 2.3e13 cm^-2 s^-1 x 1 yr = 7.2583e20 cm^-2
    assert c.YEAR_S == 31557600.0
    assert get_setup("CONUS").fluence_cm2() == pytest.approx(7.258248e20, rel=1e-6)
    # SNS: 0.08 x 1.76e23 / (4 pi (1930 cm)^2) = 3.0080e14 cm^-2 per flavour
    assert get_setup("CsI[Na]").fluence_cm2() == pytest.approx(3.00800e14, rel=1e-5)


def test_aliases_are_declared_names_only():
    assert get_setup("CsI").name == "CsI[Na] current"
    assert get_experiment("CONUS+").name == "CONUS+ (Leibstadt)"
    # one matching rule, case-insensitive (validation.match_name): "csi" and "Conus" name shipped setups
    assert get_setup("csi").name == "CsI[Na] current" and get_setup("Conus", "FUTURE").name == "CONUS future"
    for bad in ("CsI[Tl]", "CONUS-current"):
        with pytest.raises(ValueError, match="unknown experiment"):
            get_setup(bad) if "-" not in bad else get_experiment(bad)


# ------------------------------------------------------------------------------------ user files

def test_user_file_identical_to_a_shipped_file_gives_identical_numbers(tmp_path):
    src = get_setup("CONUS").file
    from cevns_lib.data import data_path
    p = tmp_path / "conus.toml"
    shutil.copy(data_path("experiments", src), p)
    mine = load_experiment(p)
    a, b = event_yields(mine), event_yields(get_setup("CONUS"))
    assert a.n_sm == b.n_sm and a.n_em == b.n_em


def test_power_and_baseline_scaling(tmp_path):
    base = load_experiment(write(tmp_path, CONUS_PLUS))
    n0 = event_yields(base).n_sm_total
    far = load_experiment(write(tmp_path, CONUS_PLUS.replace("baseline_m = 20.7", "baseline_m = 41.4"), "far.toml"))
    assert event_yields(far).n_sm_total == pytest.approx(n0 / 4, rel=1e-12)
    heavy = load_experiment(write(tmp_path, CONUS_PLUS.replace("mass_kg = 2.83", "mass_kg = 5.66"), "heavy.toml"))
    assert event_yields(heavy).n_sm_total == pytest.approx(2 * n0, rel=1e-12)
    long = load_experiment(write(tmp_path, CONUS_PLUS.replace("days = 119", "days = 238"), "long.toml"))
    assert event_yields(long).n_sm_total == pytest.approx(2 * n0, rel=1e-12)
    # the flux from power: P / <E_f> x n_nu / (4 pi L^2), 202 MeV per fission
    assert base.flux_at_detector_cm2_s() == pytest.approx(reactor_flux_from_power(3.6, 20.7), rel=1e-14)


def test_a_given_flux_is_the_flux_at_its_baseline():
    conus = get_setup("CONUS")
    twice = dataclasses.replace(conus, baseline_m=2 * conus.baseline_m)
    assert event_yields(twice).n_sm_total == pytest.approx(event_yields(conus).n_sm_total / 4, rel=1e-12)


def test_table_source_and_efficiency_files(tmp_path):
    (tmp_path / "spec.txt").write_text("# E_MeV dN/dE\n0 0\n2 1\n4 1\n6 0\n")
    (tmp_path / "eff.csv").write_text("0.1, 0.0\n0.2, 0.5\n0.4, 1.0\n")
    text = CONUS_PLUS.replace('kind = "reactor"\npower_GW = 3.6\nbaseline_m = 20.7',
                              'kind = "table"\nfile = "spec.txt"\nspecies = "nu_e_bar"\nflux_cm2_s = 1e13')
    text = text.replace("efficiency = 1.0", 'efficiency = { model = "table", file = "eff.csv", energy = "ee" }')
    e = load_experiment(write(tmp_path, text))
    assert e.flavours == ("nu_e_bar",) and e.spectrum.e_max == 6.0
    assert e.efficiency(np.array([0.15, 0.3, 1.0])) == pytest.approx([0.25, 0.75, 1.0])
    assert event_yields(e).n_sm_total > 0


BAD = [
    ("", "missing"),
    ("name = \"x\"\n[target\n", "not valid TOML"),
    (CONUS_PLUS.replace("mass_kg = 2.83", "mass_kg = -2.83"), "target.mass_kg: must be > 0"),
    (CONUS_PLUS.replace('material = "Ge"', 'material = "Unobtainium"'), "unknown material"),
    (CONUS_PLUS.replace("threshold_keV = 0.16", "threshold_keV = nan"), "threshold_keV: must be finite"),
    (CONUS_PLUS.replace('kind = "reactor"', 'kind = "supernova"'), "source.kind: unknown value 'supernova'"),
    (CONUS_PLUS.replace("days = 119", "days = 0"), "exposure.days: must be > 0"),
    (CONUS_PLUS.replace("baseline_m = 20.7", "baseline_m = 0"), "source.baseline_m: must be > 0"),
    (CONUS_PLUS.replace("mass_kg = 2.83", "mass_kg = \"2.83 kg\""), "target.mass_kg: must be a number"),
    (CONUS_PLUS.replace("mass_kg = 2.83", "mass_kg = 2.83\nmass_g = 2830"), "target.mass_g: unknown key"),
    (CONUS_PLUS.replace('threshold_kind = "ee"', 'threshold_kind = "keVee"'), "unknown value 'keVee'"),
    (CONUS_PLUS.replace('model = "lindhard", k = 0.157', 'model = "birks"'), "unknown value 'birks'"),
    (CONUS_PLUS.replace("efficiency = 1.0", "efficiency = 1.5"), "efficiency"),
    (CONUS_PLUS.replace("[exposure]\ndays = 119", "[exposure]\ndays = 119\nyears = 1"), "exactly one of"),
    (CONUS_PLUS.replace("power_GW = 3.6\n", ""), "flux_cm2_s, or power_GW and baseline_m"),
    (CONUS_PLUS + "[analysis]\nstatistic = \"bayes\"\n", "analysis.statistic: unknown value 'bayes'"),
    (CONUS_PLUS + "[physics]\nkinematics = \"relativistic\"\n", "unknown kinematics 'relativistic'"),
    (CONUS_PLUS + "[physics]\nform_factor = \"qrpa\"\n", "form-factor model"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_files_name_the_file_and_key(tmp_path, text, message):
    p = write(tmp_path, text)
    with pytest.raises(ValueError) as info:
        load_experiment(p)
    assert str(p) in str(info.value) and message in str(info.value)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="experiment file not found"):
        load_experiment(tmp_path / "nothing.toml")


def test_experiments_are_immutable_and_validated():
    conus = get_setup("CONUS")
    with pytest.raises(dataclasses.FrozenInstanceError):
        conus.mass_kg = 1.0
    with pytest.raises(ValueError, match="give either protons on target or flux_cm2_s"):
        dataclasses.replace(get_setup("CsI"), flux_cm2_s=1e7)
    with pytest.raises(TypeError, match="efficiency"):
        dataclasses.replace(conus, efficiency=lambda T: 1.0)
    assert isinstance(conus, Experiment)
