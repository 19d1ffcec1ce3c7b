"""COHERENT CsI[Na] full dataset (arXiv:2110.07730): coincidence and anti-coincidence events in (PE, time).

The release (arXiv ancillary files) gives the selected events of the beam-on coincidence (C) and
anti-coincidence (AC) windows, unbinned in (PE, t_rec), for PE < 250 and t < 6 us; 1-D PE and time PDFs of
beam-related neutrons (BRN) and neutrino-induced neutrons (NIN); the quenching polynomial
E_ee = a x + b x^2 + c x^3 + d x^4 (x = E_nr in MeV) and the PE efficiency a / (1 + exp(-b (x - c))) + d, each
nominal and +-1 sigma. Its SNS flux file (energy x time) is missing from our copies, and the supplement with
the light yield, the PE smearing and the time efficiency: we take those from secondary sources (tag V2 in
``parameters.toml``) and build the neutrino timing from the decay-at-rest lifetimes (:mod:`.timing`).

Likelihood (choices D9-D12): Poisson in (PE, t) bins of the C events with PE < 60 and t < 6 us,

    mu = a sum_f N_f(PE) p_f(t) + r_BRN BRN + r_NIN NIN + r_SS SS,

with the CEvNS counts from our engine (Gamma-smeared PE, release efficiency, time efficiency), quenching
(two modes) and efficiency (one mode) as shape nuisances interpolated between their released +-1 sigma
curves, the BRN and NIN normalisations with the priors used by others (25%, 36%), the neutrino flux prior (10%)
on a, and a smooth steady-state template from the AC events, normalised by a Poisson term for their count.
"""

from functools import lru_cache
from types import MappingProxyType

import numpy as np
from scipy.optimize import minimize_scalar

from ...physics.model import DEFAULT_PHYSICS
from ...sources.sns import sns_fluence
from ...statistics.likelihood import Background, Model, SignalShape, rate_model
from . import prediction, timing
from .dataset import Dataset, pe_response, steady_state_template
from .releases import read_coefficient_sets, read_table, release_parameters

__all__ = [
    "NAME", "RELEASE", "PE_FINE_STEP", "T_FINE_STEP_US", "events", "quenching_curves", "efficiency_curves",
    "electron_equivalent_keV", "pe_efficiency", "time_efficiency", "neutron_pdf", "fit_pulse_mean", "build"
]


NAME = "coherent-csi-2021"


RELEASE = "csi2021"


#: Fine grids on which the response and the time PDFs are built before grouping into analysis bins.
PE_FINE_STEP = 0.5


T_FINE_STEP_US = 0.01


def events(window):
    """Released events of the "C" (coincidence) or "AC" (anti-coincidence) window: array (n, 2) of (PE, t_us)."""
    if window not in ("C", "AC"):
        raise ValueError(f"unknown CsI 2021 window {window!r}; allowed: 'C', 'AC'")
    a = read_table(RELEASE, f"dataBeamOn{window}.txt", 2)
    if np.any(a[:, 0] < 0) or np.any(a[:, 1] < 0):
        raise ValueError(f"dataBeamOn{window}.txt: negative PE or time")
    return a


def quenching_curves():
    """Released light-response polynomials: {"nominal", "mode0+", "mode0-", "mode1+", "mode1-"} -> (a, b, c, d)."""
    rows = read_coefficient_sets(RELEASE, "scintRespCoefficients.txt")
    if len(rows) != 5 or any(len(r) != 4 for _, r in rows):
        raise ValueError("scintRespCoefficients.txt: expected 5 rows of 4 coefficients (nominal, 2 modes x +-1 sigma)")
    return MappingProxyType(dict(zip(("nominal", "mode0+", "mode0-", "mode1+", "mode1-"), (r for _, r in rows))))


def efficiency_curves():
    """Released PE efficiencies: {"nominal", "+", "-"} -> (a, b, c, d).

    The file labels both variants "+1 sigma"; they move the turn-on c to either side of the nominal, so we read
    them as the +1 and -1 sigma curves of one mode (choice D11): "+" is the one with the earlier turn-on.
    """
    rows = read_coefficient_sets(RELEASE, "effCoefficients.txt")
    if len(rows) != 3 or any(len(r) != 4 for _, r in rows):
        raise ValueError("effCoefficients.txt: expected 3 rows of 4 coefficients")
    nominal, v1, v2 = (r for _, r in rows)
    plus, minus = (v1, v2) if v1[2] < v2[2] else (v2, v1)
    return MappingProxyType({"nominal": nominal, "+": plus, "-": minus})


def electron_equivalent_keV(T_keV, coefficients):
    """E_ee (keVee) of a nuclear recoil T (keVnr) from a light-response polynomial (x = E_nr in MeV)."""
    x = np.asarray(T_keV, dtype=float) * 1e-3
    a, b, c, d = coefficients
    return 1e3 * (a * x + b * x**2 + c * x**3 + d * x**4)


def pe_efficiency(pe, coefficients):
    """Released PE efficiency a / (1 + exp(-b (x - c))) + d, clipped to [0, 1] (it is negative below ~5 PE)."""
    a, b, c, d = coefficients
    x = np.asarray(pe, dtype=float)
    return np.clip(a / (1.0 + np.exp(-b * (x - c))) + d, 0.0, 1.0)


def time_efficiency(t_us):
    """Time efficiency (V2): 1 before the onset, then exp(-slope (t - onset))."""
    onset, slope = release_parameters(RELEASE).fact("time_efficiency")
    t = np.asarray(t_us, dtype=float)
    return np.where(t < onset, 1.0, np.exp(-slope * (t - onset)))


def neutron_pdf(kind):
    """Released PDFs of beam-related ("brn") or neutrino-induced ("nin") neutrons: (PE table, time table) arrays
    of rows (bin centre, value)."""
    if kind not in ("brn", "nin"):
        raise ValueError(f"unknown neutron background {kind!r}; allowed: brn, nin")
    pe = read_table(RELEASE, f"{kind}PE.txt", 2)
    tr = read_table(RELEASE, f"{kind}Trec.txt", 2)
    if np.any(pe[:, 1] < 0) or np.any(tr[:, 1] < 0):
        raise ValueError(f"{kind}PE.txt / {kind}Trec.txt: negative PDF values")
    return pe, tr


def fit_pulse_mean(sigma_us):
    """Mean of the proton pulse in the release's time axis, fitted to the NIN time PDF (choice D10).

    NIN are neutrons knocked out of the lead shielding by nu_e charged-current scattering, so they follow the
    delayed-neutrino timing; the NIN time PDF (before the time efficiency) is fitted by least squares with the
    delayed arrival-time distribution of :mod:`.timing`, pulse width fixed.
    """
    _, tr = neutron_pdf("nin")
    centres = tr[:, 0]
    edges = np.append(centres - 0.5 * T_FINE_STEP_US, centres[-1] + 0.5 * T_FINE_STEP_US)
    y = tr[:, 1] / tr[:, 1].sum()

    def loss(t0):
        d = np.diff(timing.delayed_cdf(edges, t0, sigma_us))
        return float(np.sum((d / d.sum() - y) ** 2))

    return float(minimize_scalar(loss, bounds=(0.0, 2.0), method="bounded", options={"xatol": 1e-6}).x)


def _group(fine_centres, edges):
    idx = np.searchsorted(edges, fine_centres, side="right") - 1
    return np.where((fine_centres >= edges[0]) & (fine_centres < edges[-1]), idx, -1)


@lru_cache(maxsize=None)
def build(t0_us=None, pulse_sigma_us=None, physics=DEFAULT_PHYSICS):
    """The CsI 2021 :class:`~.dataset.Dataset`. ``t0_us`` and ``pulse_sigma_us`` override the neutrino timing
    (choice D10), ``physics`` the cross-section choices (choice D14)."""
    par = release_parameters(RELEASE)
    pe_edges = np.array(par.setting("pe_edges"))
    t_edges = np.array(par.setting("t_edges_us"))
    if np.any(np.diff(pe_edges) <= 0) or np.any(np.diff(t_edges) <= 0):
        raise ValueError(f"{RELEASE}/parameters.toml: pe_edges and t_edges_us must increase")
    n_pe, n_t = pe_edges.size - 1, t_edges.size - 1
    c_ev, ac_ev = events("C"), events("AC")
    data = np.histogram2d(c_ev[:, 0], c_ev[:, 1], bins=(pe_edges, t_edges))[0]
    ac = np.histogram2d(ac_ev[:, 0], ac_ev[:, 1], bins=(pe_edges, t_edges))[0]

    # fine grids
    pe_fine = np.arange(0.0, pe_edges[-1] + PE_FINE_STEP / 2, PE_FINE_STEP)
    pe_fc = 0.5 * (pe_fine[1:] + pe_fine[:-1])
    pe_index = _group(pe_fc, pe_edges)
    t_fine = np.arange(t_edges[0], t_edges[-1] + T_FINE_STEP_US / 2, T_FINE_STEP_US)
    t_fc = 0.5 * (t_fine[1:] + t_fine[:-1])
    t_index = _group(t_fc, t_edges)
    t_eff = time_efficiency(t_fc)

    def to_coarse_t(fine):
        return np.array([fine[t_index == j].sum() for j in range(n_t)])

    # neutrino timing: decay at rest with the pulse mean fitted to the NIN PDF (or given)
    sigma = pulse_sigma_us or par.fact("pulse_sigma_us")
    t0 = fit_pulse_mean(sigma) if t0_us is None else float(t0_us)
    p_fine, d_fine = timing.binned_time_pdfs(t_fine, t0, sigma)
    t_pdf = {"nu_mu_prompt": to_coarse_t(p_fine * t_eff), "nu_e": to_coarse_t(d_fine * t_eff),
             "nu_mu_bar": to_coarse_t(d_fine * t_eff)}

    # CEvNS basis (nominal and the +-1 sigma response variants)
    fluence = sns_fluence(par.fact("n_pot"), par.fact("baseline_m"), par.fact("nu_per_pot"))
    rates = prediction.recoil_rates("CsI", par.fact("mass_kg"), fluence, par.setting("t_min_keV"), physics=physics)
    ly = par.fact("light_yield_pe_per_keVee")
    gamma = (par.fact("gamma_a_keVee"), par.fact("gamma_b_per_keVee"), ly)
    qf, eff = quenching_curves(), efficiency_curves()

    def basis_for(q_key="nominal", e_key="nominal"):
        resp = lambda T, iso: pe_response(ly * electron_equivalent_keV(T, qf[q_key]), pe_fine,  # noqa: E731
                                          pe_efficiency(pe_fc, eff[e_key]), pe_index, n_pe, "gamma", gamma)
        pe_counts = prediction.binned(rates, resp)
        out = {}
        for (f, k), v in pe_counts.items():
            arr = np.outer(v, t_pdf[f]).ravel()
            arr.flags.writeable = False
            out[(f, k)] = arr
        return out

    nominal = basis_for()

    def delta(variant):
        return MappingProxyType({k: variant[k] - nominal[k] for k in nominal})

    shapes = tuple(SignalShape(f"quenching_mode{m}", delta(basis_for(q_key=f"mode{m}+")),
                               delta(basis_for(q_key=f"mode{m}-")))
                   for m in (0, 1))
    shapes += (SignalShape("efficiency", delta(basis_for(e_key="+")), delta(basis_for(e_key="-"))),)

    # beam-related and neutrino-induced neutrons: released 1-D PDFs (time PDF x time efficiency), normalised
    backgrounds = []
    for kind, fact in (("brn", "brn_events"), ("nin", "nin_events")):
        pe, tr = neutron_pdf(kind)
        pe_c = np.array([pe[(pe[:, 0] >= lo) & (pe[:, 0] < hi), 1].sum()
                         for lo, hi in zip(pe_edges[:-1], pe_edges[1:])])
        t_c = np.array([(tr[:, 1] * time_efficiency(tr[:, 0]))[(tr[:, 0] >= lo) & (tr[:, 0] < hi)].sum()
                        for lo, hi in zip(t_edges[:-1], t_edges[1:])])
        value, err = par.fact(fact)
        tmpl = np.outer(pe_c, t_c)
        backgrounds.append(Background(kind, (tmpl / tmpl.sum() * value).ravel(), "gauss", err / value))

    # steady state: AC events (energy shape summed over time, exponential time slope), Poisson normalisation
    n_ac = float(ac.sum())
    t_cent = 0.5 * (t_edges[1:] + t_edges[:-1])
    ac_t = np.histogram(ac_ev[ac_ev[:, 0] < pe_edges[-1], 1], bins=t_fine)[0]
    ss, slope = steady_state_template(ac.sum(axis=1), t_fc, ac_t, t_cent, 1.0)
    ss = ss * (t_edges[1:] - t_edges[:-1])[None, :]          # non-uniform time bins: density x width
    ss = ss / ss.sum() * n_ac
    backgrounds.append(Background("steady_state", ss.ravel(), "poisson", aux_count=n_ac, aux_expected=n_ac))

    pub = par.published
    model = Model(NAME, data.ravel(), MappingProxyType(nominal), tuple(backgrounds),
                  signal_sigma=par.fact("nu_per_pot_rel_sigma"), signal_shapes=shapes)
    n_pred = float(sum(v.sum() for (f, k), v in nominal.items() if k == "sm"))
    info = {"t0_us": t0, "pulse_sigma_us": sigma, "n_c": float(data.sum()), "n_ac": n_ac,
            "n_c_all": int(c_ev.shape[0]), "n_ac_all": int(ac_ev.shape[0]),
            "steady_state_slope_per_us": slope,
            "xsec_sm_cm2": prediction.flux_averaged_cross_section("CsI", physics=physics)}
    return Dataset(NAME, RELEASE, model, rate_model(model), n_pred,
                   MappingProxyType({"pe": pe_edges, "t_us": t_edges}), (n_pe, n_t), pub, MappingProxyType(info))
