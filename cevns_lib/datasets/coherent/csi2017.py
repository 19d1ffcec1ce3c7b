"""COHERENT CsI[Na] 2017 (first observation; release arXiv:1804.09459): the (PE, arrival time) likelihood.

The release gives four histograms in 2-PE x 0.5-us bins (coincidence and anti-coincidence windows, beam on and
beam off), the arrival-time PDFs of prompt and delayed neutrinos and of prompt neutrons, the prompt-neutron PE
spectrum (counts per GWh) and, in its YAML, the exposure, baseline, quenching factor, light yield, neutrino
yield and acceptance. The beam-on coincidence (C-on) window holds CEvNS, prompt neutrons and steady-state
events; the anti-coincidence (AC) windows and the beam-off windows hold steady-state events only.

Likelihood (choices D1, D2, D3): Poisson in the C-on bins of the window 6 <= PE < 30, 0 <= t < 6 us,

    mu = a N_CEvNS(PE) p_f(t) + r_n N_n(PE) p_n(t) + r_ss SS(PE, t),

with the CEvNS counts from our engine (flux x cross section x quenching x acceptance, PE = LY x QF x T_nr),
the released time PDFs p_f of each component, the prompt neutrons from the release (prior 25%), and a smooth
steady-state template SS = f(PE) exp(-lambda t): f from all steady-state samples summed over their 12 us,
lambda fitted to their time profile, normalised by a Poisson term for the AC-on count of the window.
"""

from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from ...physics.model import DEFAULT_PHYSICS
from ...sources.sns import sns_fluence
from ...statistics.likelihood import Background, Model
from . import prediction
from .dataset import Dataset, pe_response, steady_state_template
from .releases import read_table, release_parameters, yaml_parameter, yaml_value

__all__ = [
    "NAME", "RELEASE", "YAML", "SAMPLES", "PE_EDGES", "T_EDGES_US", "histogram", "time_pdf", "acceptance",
    "pe_per_keVnr", "build"
]


NAME = "coherent-csi-2017"


RELEASE = "csi2017"


YAML = "coherent_parameters.yaml"


SAMPLES = ("coincidence_beamOn", "anticoincidence_beamOn", "coincidence_beamOff", "anticoincidence_beamOff")


PE_EDGES = np.arange(0.0, 51.0, 2.0)


T_EDGES_US = np.arange(0.0, 12.01, 0.5)


def histogram(sample):
    """A released histogram as an array (25 PE bins, 24 time bins); the grid is checked against the file."""
    if sample not in SAMPLES:
        raise ValueError(f"unknown CsI 2017 sample {sample!r}; allowed: {', '.join(SAMPLES)}")
    a = read_table(RELEASE, f"data_{sample}.txt", 3, ",")
    pe_c, t_c = 0.5 * (PE_EDGES[1:] + PE_EDGES[:-1]), 0.5 * (T_EDGES_US[1:] + T_EDGES_US[:-1])
    if a.shape[0] != pe_c.size * t_c.size or not (np.allclose(a[:, 0], np.repeat(pe_c, t_c.size))
                                                  and np.allclose(a[:, 1], np.tile(t_c, pe_c.size))):
        raise ValueError(f"data_{sample}.txt: unexpected binning (expected 2-PE x 0.5-us bins, PE < 50, t < 12 us)")
    if np.any(a[:, 2] < 0) or np.any(a[:, 2] != np.round(a[:, 2])):
        raise ValueError(f"data_{sample}.txt: counts must be non-negative integers")
    return a[:, 2].reshape(pe_c.size, t_c.size)


def time_pdf(kind):
    """Released arrival-time PDF ("promptNeutrinos", "delayedNeutrinos", "promptNeutrons") in the 24 time bins."""
    a = read_table(RELEASE, f"arrivalTimePDF_{kind}.txt", 2, ",")
    if a.shape[0] != T_EDGES_US.size - 1 or not np.allclose(a[:, 0], 0.5 * (T_EDGES_US[1:] + T_EDGES_US[:-1])):
        raise ValueError(f"arrivalTimePDF_{kind}.txt: unexpected time bins")
    if abs(a[:, 1].sum() - 1.0) > 1e-3 or np.any(a[:, 1] < 0):
        raise ValueError(f"arrivalTimePDF_{kind}.txt: not a normalised PDF (sum {a[:, 1].sum()})")
    return a[:, 1]


def acceptance(pe):
    """Released acceptance a / (1 + exp(-k (x - x0))) H(x - 5), with H = 0, 1/2, 1 below 5, in [5, 6), from 6 PE."""
    x = np.asarray(pe, dtype=float)
    a, k, x0 = (yaml_parameter(RELEASE, YAML, "acceptanceEfficiency", n) for n in ("a", "k", "x_0"))
    step = np.where(x < 5, 0.0, np.where(x < 6, 0.5, 1.0))
    return a / (1.0 + np.exp(-k * (x - x0))) * step


def pe_per_keVnr():
    """Photoelectrons per keV of nuclear recoil: light yield (PE/keVee) x quenching factor (release YAML)."""
    return yaml_value(RELEASE, YAML, "csiLightYield") * yaml_value(RELEASE, YAML, "csiQF")


def _window(edges, lo_hi):
    lo, hi = lo_hi
    inside = (edges[:-1] >= lo - 1e-9) & (edges[1:] <= hi + 1e-9)
    if not inside.any():
        raise ValueError(f"window {lo_hi} contains no bin of {edges}")
    return inside


@lru_cache(maxsize=None)
def build(pe_smearing=None, n_pot=None, pe_window=None, t_window_us=None, steady_state_samples=None,
          physics=DEFAULT_PHYSICS):
    """The CsI 2017 :class:`~.dataset.Dataset`.

    Keywords override the settings of ``parameters.toml`` (to measure the choices): ``pe_smearing`` ("gamma" or
    "none", choice D3), ``n_pot`` (choice D4), ``pe_window`` and ``t_window_us`` (tuples, choice D1),
    ``steady_state_samples`` (tuple of sample names, choice D2), ``physics`` (choice D14).
    """
    par = release_parameters(RELEASE)
    smearing = pe_smearing or par.setting("pe_smearing")
    pe_in = _window(PE_EDGES, pe_window or par.setting("pe_window"))
    t_in = _window(T_EDGES_US, t_window_us or par.setting("t_window_us"))
    samples = steady_state_samples or par.setting("steady_state_samples")
    bad = [x for x in samples if x not in SAMPLES[1:]]
    if bad or not samples:
        raise ValueError(f"steady_state_samples must be taken from {SAMPLES[1:]}, got {samples!r}")
    hist = {s: histogram(s) for s in SAMPLES}
    data = hist["coincidence_beamOn"][np.ix_(pe_in, t_in)]
    shape = data.shape

    # CEvNS basis from the engine
    n_pot = n_pot or par.fact("n_pot")
    fluence = sns_fluence(n_pot, yaml_value(RELEASE, YAML, "distanceToTarget"),
                          yaml_value(RELEASE, YAML, "neutrinosPerProton"))
    k_pe = pe_per_keVnr()
    fine = np.arange(0.0, PE_EDGES[-1] + 0.5, 1.0)
    fine_eff = acceptance(0.5 * (fine[1:] + fine[:-1]))          # evaluated at 1-PE bin centres (release YAML)
    coarse_of_fine = np.searchsorted(PE_EDGES, 0.5 * (fine[1:] + fine[:-1])) - 1
    coarse_in = np.cumsum(pe_in) - 1
    index = np.where(pe_in[coarse_of_fine], coarse_in[coarse_of_fine], -1)
    gamma = None
    if smearing == "gamma":
        g = release_parameters("csi2021")
        gamma = (g.fact("gamma_a_keVee"), g.fact("gamma_b_per_keVee"), yaml_value(RELEASE, YAML, "csiLightYield"))
    response = lambda T, iso: pe_response(k_pe * T, fine, fine_eff, index, int(pe_in.sum()), smearing, gamma)  # noqa: E731
    breaks = (lambda iso: tuple(fine / k_pe)) if smearing == "none" else None
    rates = prediction.recoil_rates("CsI", par.fact("mass_kg"), fluence, par.setting("t_min_keV"), breaks,
                                    physics=physics)
    pe_counts = prediction.binned(rates, response)
    t_pdf = {"nu_mu_prompt": time_pdf("promptNeutrinos")[t_in], "nu_e": time_pdf("delayedNeutrinos")[t_in],
             "nu_mu_bar": time_pdf("delayedNeutrinos")[t_in]}
    basis = {}
    for (f, k), v in pe_counts.items():
        arr = np.outer(v, t_pdf[f]).ravel()
        arr.flags.writeable = False
        basis[(f, k)] = arr

    # prompt neutrons: release spectrum (counts per GWh per 1-PE bin) x acceptance x exposure, released timing
    pn = read_table(RELEASE, "promptPDF.txt", 2, ",")
    if not np.allclose(pn[:, 0], 0.5 * (fine[1:] + fine[:-1])):
        raise ValueError("promptPDF.txt: expected 1-PE bins 0.5 ... 49.5")
    pn_fine = pn[:, 1] * fine_eff * yaml_value(RELEASE, YAML, "beamExposure")
    pn_pe = np.array([pn_fine[index == c].sum() for c in range(int(pe_in.sum()))])
    pn_tmpl = np.outer(pn_pe, time_pdf("promptNeutrons")[t_in]).ravel()
    pn_sigma = yaml_value(RELEASE, YAML, "promptNeutronNormalization", "uncertainty")

    # steady state: pooled samples for the shape, AC-on count of the window for the normalisation
    pooled = sum(hist[s] for s in samples)
    t_c = 0.5 * (T_EDGES_US[1:] + T_EDGES_US[:-1])
    n_ac = float(hist["anticoincidence_beamOn"][np.ix_(pe_in, t_in)].sum())
    ss, slope = steady_state_template(pooled[pe_in].sum(axis=1), t_c, pooled[pe_in].sum(axis=0), t_c[t_in], n_ac)

    pub = par.published
    model = Model(NAME, data.ravel(), MappingProxyType(basis),
                  (Background("prompt_neutrons", pn_tmpl, "gauss", pn_sigma),
                   Background("steady_state", ss.ravel(), "poisson", aux_count=n_ac, aux_expected=n_ac)),
                  signal_sigma=pub["n_predicted"].err_high / pub["n_predicted"].value)
    n_pred = float(sum(v.sum() for (f, k), v in basis.items() if k == "sm"))
    info = {"c_minus_ac": float(data.sum() - n_ac), "n_c": float(data.sum()), "n_ac": n_ac,
            "steady_state_slope_per_us": slope, "pe_smearing": smearing, "n_pot": n_pot,
            "histograms": MappingProxyType(hist), "pe_in": pe_in, "t_in": t_in}
    return Dataset(NAME, RELEASE, model, replace(model, signal_sigma=0.0), n_pred,
                   MappingProxyType({"pe": PE_EDGES[np.append(pe_in, False) | np.append(False, pe_in)],
                                     "t_us": T_EDGES_US[np.append(t_in, False) | np.append(False, t_in)]}),
                   shape, pub, MappingProxyType(info))
