"""Solar sources in experiment files: flavour fractions (choice E6), fluences, limits and bad files."""

import numpy as np
import pytest

from cevns_lib import constants as c
from cevns_lib.engine import event_yields
from cevns_lib.experiment import load_experiment
from cevns_lib.statistics import one_parameter_limits, parameter_limit

SOLAR = """name = "Xe solar test"
[target]
material = "Xe"
mass_kg = 1000.0
[source]
kind = "solar"
p_ee = 0.36
[source.components.8B]
file = "b8.csv"
flux_cm2_s = 5.16e6
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

TABLE = SOLAR.replace('kind = "solar"\np_ee = 0.36\n[source.components.8B]\nfile = "b8.csv"\nflux_cm2_s = 5.16e6',
                      'kind = "table"\nfile = "b8.csv"\nspecies = "nu_e"\nflux_cm2_s = 5.16e6')


def write(tmp_path, text):
    E = np.linspace(0.5, 16.0, 80)
    np.savetxt(tmp_path / "b8.csv", np.c_[E, E**2 * (16.0 - E) ** 2], delimiter=",", header="E_MeV, dN/dE")
    p = tmp_path / "exp.toml"
    p.write_text(text)
    return p


def test_flavour_fractions_use_theta23_and_sum_to_one(tmp_path):
    e = load_experiment(write(tmp_path, SOLAR))
    fr = e.flavour_fractions()
    # sin^2 theta_23 = 0.547 (de Salas et al. 2018, normal ordering): 0.64 x 0.453 and 0.64 x 0.547
    assert fr == pytest.approx({"e": 0.36, "mu": 0.28992, "tau": 0.35008}, rel=1e-12)
    assert sum(fr.values()) == pytest.approx(1.0)
    assert e.flavours == ("8B nu_e", "8B nu_mu", "8B nu_tau")


def test_fluence_is_flux_times_fraction_times_julian_year(tmp_path):
    e = load_experiment(write(tmp_path, SOLAR))
    assert c.YEAR_S == pytest.approx(365.25 * 86400)
    assert e.component_fluence_cm2("8B nu_e") == pytest.approx(5.16e6 * 0.36 * 365.25 * 86400, rel=1e-12)
    assert e.fluence_cm2() == pytest.approx(5.16e6 * 365.25 * 86400, rel=1e-12)
    with pytest.raises(ValueError, match="no component '8B nu_e_bar'"):
        e.component_fluence_cm2("8B nu_e_bar")


def test_all_electron_flavour_equals_the_same_table_source(tmp_path):
    # p_ee = 1 puts the whole flux in nu_e: the event numbers of a nu_e table source with that flux
    solar = load_experiment(write(tmp_path, SOLAR.replace("p_ee = 0.36", "p_ee = 1.0")))
    table = load_experiment(write(tmp_path, TABLE))
    ys, yt = event_yields(solar), event_yields(table)
    assert ys.n_sm["8B nu_e"] == pytest.approx(yt.n_sm["nu_e"], rel=1e-12)
    assert ys.n_sm["8B nu_mu"] == ys.n_sm["8B nu_tau"] == 0.0
    assert ys.n_em["8B nu_e"] == pytest.approx(yt.n_em["nu_e"], rel=1e-12)
    # and the same limit (a table source analyses all its components, as a solar one does)
    assert parameter_limit(solar, "mu_nue").limit == pytest.approx(parameter_limit(table, "mu_nue").limit, rel=1e-9)


def test_events_split_by_fractions_and_scale_with_flux(tmp_path):
    y1 = event_yields(load_experiment(write(tmp_path, SOLAR)))
    y2 = event_yields(load_experiment(write(tmp_path, SOLAR.replace("5.16e6", "10.32e6"))))
    assert y2.n_sm_total == pytest.approx(2 * y1.n_sm_total, rel=1e-12)
    # the SM cross section is flavour blind at this order: the split follows the fractions
    assert y1.n_sm["8B nu_mu"] / y1.n_sm["8B nu_e"] == pytest.approx(0.28992 / 0.36, rel=1e-12)


def test_flavour_moment_limits_and_refused_transition_moments(tmp_path):
    """One flavour fraction (choice E6) carries no mass-state content: the transition moments are refused (a file
    without p_ee converts its components in the Sun instead, choice E26, tests/test_sun.py)."""
    e = load_experiment(write(tmp_path, SOLAR))
    lim_e = parameter_limit(e, "mu_nue").limit
    lim_mu = parameter_limit(e, "mu_numu").limit
    # X = b mu^2: the limits scale as 1 / sqrt(flavour fraction)
    assert lim_mu / lim_e == pytest.approx(np.sqrt(0.36 / 0.28992), rel=1e-9)
    with pytest.raises(ValueError, match="mass-state content"):
        parameter_limit(e, "Lambda1")
    with pytest.raises(ValueError, match="mass-state content"):
        one_parameter_limits(e)
    none_e = load_experiment(write(tmp_path, SOLAR.replace("p_ee = 0.36", "p_ee = 0.0")))
    with pytest.raises(ValueError, match="mu_nue adds no events.*unconstrained"):
        parameter_limit(none_e, "mu_nue")


BAD = [
    (SOLAR.replace("p_ee = 0.36", "p_ee = 1.2"), "source.p_ee: must be a probability"),
    (SOLAR.replace("p_ee = 0.36\n", "").replace("components.8B]", "components.B8]"), "name them 8B, hep, 7Be"),
    (SOLAR.replace("p_ee = 0.36", "p_ee = \"high\""), "source.p_ee: must be a number"),
    (SOLAR.replace("flux_cm2_s = 5.16e6", "flux_cm2_s = -1"), "source.components.8B.flux_cm2_s: must be > 0"),
    (SOLAR.replace("flux_cm2_s = 5.16e6", ""), "source.components.8B.flux_cm2_s: missing"),
    (SOLAR.replace('file = "b8.csv"', 'file = "hep.csv"'), "source.components.8B.file"),
    (SOLAR.replace("flux_cm2_s = 5.16e6", "flux_cm2_s = 5.16e6\nflux = 1"), "source.components.8B.flux: unknown key"),
    (SOLAR.replace("[source.components.8B]\nfile = \"b8.csv\"\nflux_cm2_s = 5.16e6\n", ""),
     "source.components: needs at least one component"),
    (SOLAR.replace("p_ee = 0.36", "p_ee = 0.36\nbaseline_m = 1.5e11"), "source.baseline_m: unknown key"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_solar_files_name_the_key(tmp_path, text, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        load_experiment(write(tmp_path, text))
