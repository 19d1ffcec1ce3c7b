"""Inputs that cannot mislead: bad values raise an error that names the argument; results cannot be changed.

Every case is a call that once returned a silently wrong number, a NaN, an infinity or a complex number, or
that a user could plausibly make by mistake (a swapped pair of bounds, a name with a typo, a negative mass).
"""

import dataclasses
import math

import numpy as np
import pytest

from cevns_lib import engine as rates
from cevns_lib import sources as fluxes
from cevns_lib import statistics
from cevns_lib.detector import csi_efficiency_pe, quenching
from cevns_lib.experiment import get_experiment, get_setup
from cevns_lib.physics import (
    DE_SALAS_2018_NO,
    MATERIALS,
    em_properties,
    form_factors,
    get_parameter,
    isotope,
    moments,
    number_of_nuclei,
    pmns,
)
from cevns_lib.physics import cross_sections as xs
from cevns_lib.statistics import parameter_limit

NAN = float("nan")
CS = isotope("133Cs")

CASES = [
    # (call, exception, words the message must contain)
    (lambda: xs.t_max_keV(10.0, -20.0), ValueError, "mass_MeV"),
    (lambda: xs.t_max_keV(10.0, NAN), ValueError, "mass_MeV"),
    (lambda: xs.e_min_MeV(1.0, 0.0), ValueError, "mass_MeV"),
    (lambda: xs.dsigma_sm(-1.0, 1.0, CS), ValueError, "E_MeV"),
    (lambda: xs.dsigma_sm(10.0, NAN, CS), ValueError, "T_keV"),
    (lambda: xs.dsigma_sm(10.0, 1.0, "133Xx"), ValueError, "unknown"),
    (lambda: xs.dsigma_sm(10.0, 1.0, 133), TypeError, "iso"),
    (lambda: xs.dsigma_em(10.0, 1.0, CS, -1.0), ValueError, "mu_eff_sq"),
    (lambda: xs.total_cross_section(10.0, CS, threshold_keV=0.0, mu_eff_sq=1e-20), ValueError, "threshold_keV"),
    (lambda: quenching.lindhard(1.0, NAN, 74), ValueError, "Z"),
    (lambda: quenching.lindhard(1.0, 32, -74), ValueError, "A"),
    (lambda: quenching.threshold_nr_keV(0.1, "keVee", 32, 74), ValueError, "threshold kind"),
    (lambda: quenching.Lindhard(k=-0.1), ValueError, "k"),
    (lambda: quenching.PolynomialQuenching((0.1,)), ValueError, "coefficients"),
    (lambda: fluxes.ReactorSpectrum().integral_per_fission(5.0, 2.0), ValueError, "e_hi"),
    (lambda: fluxes.ReactorSpectrum().integral_per_fission(-1.0), ValueError, "e_lo"),
    (lambda: fluxes.ReactorSpectrum().integral_per_fission(part="fragment"), ValueError, "part"),
    (lambda: fluxes.ReactorSpectrum(fission_fractions={"235U": 0.5}), ValueError, "add up to 1"),
    (lambda: fluxes.ReactorSpectrum(fission_fractions={"236U": 1.0}), ValueError, "fissioning isotope"),
    (lambda: fluxes.join_factor("U235"), ValueError, "fissioning isotope"),
    (lambda: fluxes.capture_chain(1.0, n_capture=-0.6), ValueError, "n_capture"),
    (lambda: fluxes.sns_fluence(1e23, -19.3), ValueError, "baseline"),
    (lambda: fluxes.reactor_flux_from_power(3.9, 0.0), ValueError, "baseline"),
    (lambda: fluxes.select(fluxes.SNS_COMPONENTS, "delayd"), ValueError, "unknown beam selection"),
    (lambda: fluxes.TableSpectrum((1.0, 0.5), (1.0, 1.0)), ValueError, "increase"),
    (lambda: form_factors.sf_radius_fm(-5), ValueError, "mass number"),
    (lambda: form_factors.helm(0.1, NAN), ValueError, "mass number"),
    (lambda: form_factors.form_factor(1.0, CS, "sf", rms_radius_fm=-4.8), ValueError, "rms_radius_fm"),
    (lambda: csi_efficiency_pe(NAN), ValueError, "photoelectrons"),
    (lambda: number_of_nuclei("CsI", -14.57), ValueError, "mass"),
    (lambda: pmns("normal"), TypeError, "params"),
    (lambda: moments.reactor_mu_eff_squared((1.0, -1.0, 0.0), (0.0, 0.0)), ValueError, "moduli"),
    (lambda: moments.reactor_mu_eff_squared((1.0, 1.0, 0.0), (NAN, 0.0)), ValueError, "xi"),
    (lambda: moments.borexino_limits(mu_bound=-0.28), ValueError, "mu_bound"),
    (lambda: moments.p2nu_e1_matter(E_MeV=-0.862), ValueError, "E_MeV"),
    (lambda: moments.coefficients("nu_sterile"), ValueError, "unknown beam"),
    (lambda: statistics.closed_form_limit(n_sm=-1.0, n_em_per_unit=0.1, sigma_alpha=0.3), ValueError, "n_sm"),
    (lambda: statistics.delta_chi2_level(90), ValueError, "confidence level"),
    (lambda: statistics.analysis("CONUS"), TypeError, "Experiment"),
    (lambda: statistics.analysis(get_setup("CONUS"), "prompt"), ValueError, "beam"),
    (lambda: rates.event_yields("CONUS"), TypeError, "Experiment"),
    (lambda: rates.event_yields(get_setup("CONUS"), n_t=0), ValueError, "n_t"),
    (lambda: get_setup("CsI[Tl]"), ValueError, "unknown experiment"),
    (lambda: get_setup("CONUS", "next"), ValueError, "unknown stage"),
    (lambda: get_experiment("CONUS plus"), ValueError, "unknown experiment"),
    (lambda: get_parameter("mu_e"), ValueError, "unknown electromagnetic parameter"),
    (lambda: em_properties.millicharge_shift(1e-8, 0.0, 1e5), ValueError, "T = 0"),
    (lambda: em_properties.dsigma(30.0, 1.0, CS, antineutrino="yes"), TypeError, "antineutrino"),
    (lambda: parameter_limit(get_setup("CONUS"), "mu_nue", cl=1.5), ValueError, "confidence level"),
    (lambda: dataclasses.replace(get_setup("CONUS"), baseline_m=0.0), ValueError, "baseline_m"),
    (lambda: dataclasses.replace(get_setup("CONUS"), exposure_s=NAN), ValueError, "exposure_s"),
    (lambda: dataclasses.replace(get_setup("CONUS"), threshold_kind="ee_approx",
                                 resolution=__import__("cevns_lib.detector").detector.GaussianResolution(0.02)),
     ValueError, "ee_approx"),
]


@pytest.mark.parametrize("call, exc, words", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_bad_input_raises_a_clear_error(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert words in str(info.value), str(info.value)


def test_results_handed_to_callers_are_read_only():
    conus = get_setup("CONUS")
    y = rates.event_yields(conus)
    with pytest.raises(TypeError):
        y.n_sm["nu_e_bar"] = 1.0
    with pytest.raises(TypeError):
        y.per_isotope["70Ge"][0]["nu_e_bar"] = 1.0
    a = statistics.analysis(conus)
    with pytest.raises(ValueError):
        a.q[0, 0] = 0.0
    with pytest.raises(TypeError):
        MATERIALS["CsI"] = (("Cs", 2),)
    with pytest.raises(TypeError):
        fluxes.MUELLER_COEFFS["235U"] = (0.0,)
    with pytest.raises(ValueError):
        moments.BEAMS["nu_e"][0][0] = 0.0
    with pytest.raises(TypeError):
        statistics.CSI_DATA["b_ss"] = 400.0
    assert math.isfinite(rates.event_yields(conus).n_sm_total)


def test_no_silent_nan_from_the_engine():
    for s in (get_setup("CsI[Na]"), get_setup("CONNIE"), get_experiment("CONUS+")):
        y = rates.event_yields(s)
        vals = [v for t in y.terms.values() for v in t.values()]
        assert all(np.isfinite(vals))
    assert np.all(np.isfinite(pmns(DE_SALAS_2018_NO)))
