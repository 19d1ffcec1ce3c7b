"""Arrival times of decay-at-rest neutrinos at the SNS: the proton pulse convolved with the pi+ and mu+ lifetimes.

The SNS proton pulse is close to a Gaussian in time (LAr 2020 release: mean 440 +- 200 ns, width 150 ns, with
respect to that detector's trigger). A pi+ produced by a proton decays after an exponential time of mean
tau_pi (the prompt nu_mu leaves then); the mu+ it makes decays after a further exponential time of mean tau_mu
(the delayed nu_e and anti-nu_mu). Hence, with G the Gaussian pulse,

    prompt(t)  = G * Exp(tau_pi),
    delayed(t) = G * Exp(tau_pi) * Exp(tau_mu)
               = [tau_mu EMG(t; tau_mu) - tau_pi EMG(t; tau_pi)] / (tau_mu - tau_pi),

where EMG(t; tau) is the exponentially modified Gaussian (``scipy.stats.exponnorm``) and the second line is the
partial-fraction form of the hypoexponential density. Times in microseconds; neutrino flight times (60-90 ns
over 20-30 m) are absorbed in the pulse mean.
"""

import numpy as np
from scipy.stats import exponnorm

from ...validation import check_finite_array, check_finite_scalar, check_positive

__all__ = ["TAU_PI_US", "TAU_MU_US", "prompt_cdf", "delayed_cdf", "binned_time_pdfs", "time_fractions"]


#: Mean lifetimes of the charged pion and the muon in microseconds (PDG 2018: 26.033 ns, 2196.981 ns).
TAU_PI_US = 26.033e-3


TAU_MU_US = 2.1969811


def _emg_cdf(t, t0, sigma, tau):
    return exponnorm.cdf(t, tau / sigma, loc=t0, scale=sigma)


def _check_edges(edges_us):
    e = check_finite_array(edges_us, "time bin edges (us)")
    if e.ndim != 1 or e.size < 2 or np.any(np.diff(e) <= 0):
        raise ValueError(f"time bin edges must be a strictly increasing 1-D array, got {edges_us!r}")
    return e


def prompt_cdf(t_us, t0_us, sigma_us):
    """Probability that a prompt nu_mu arrives before t (us): Gaussian pulse (t0, sigma) * Exp(tau_pi)."""
    t = check_finite_array(t_us, "t_us")
    t0 = check_finite_scalar(t0_us, "t0_us")
    s = check_positive(sigma_us, "sigma_us")
    return _emg_cdf(t, t0, s, TAU_PI_US)


def delayed_cdf(t_us, t0_us, sigma_us):
    """Probability that a delayed nu_e or anti-nu_mu arrives before t (us): pulse * Exp(tau_pi) * Exp(tau_mu)."""
    t = check_finite_array(t_us, "t_us")
    t0 = check_finite_scalar(t0_us, "t0_us")
    s = check_positive(sigma_us, "sigma_us")
    a, b = TAU_MU_US, TAU_PI_US
    return (a * _emg_cdf(t, t0, s, a) - b * _emg_cdf(t, t0, s, b)) / (a - b)


def binned_time_pdfs(edges_us, t0_us, sigma_us):
    """Fractions of prompt and of delayed neutrinos arriving in each time bin: (prompt, delayed) arrays.

    The fractions are NOT renormalised to the window: the part of the delayed flux that arrives after the
    last edge (or the prompt part before the first) is lost, as it is for the detector.
    """
    e = _check_edges(edges_us)
    p = np.diff(prompt_cdf(e, t0_us, sigma_us))
    d = np.diff(delayed_cdf(e, t0_us, sigma_us))
    p.flags.writeable = False
    d.flags.writeable = False
    return p, d


def time_fractions(component, edges_us, t0_us, sigma_us):
    """Arrival-time fractions per bin for an SNS component ("nu_mu_prompt", "nu_e" or "nu_mu_bar")."""
    p, d = binned_time_pdfs(edges_us, t0_us, sigma_us)
    if component == "nu_mu_prompt":
        return p
    if component in ("nu_e", "nu_mu_bar"):
        return d
    raise ValueError(f"unknown SNS component {component!r}; allowed: nu_mu_prompt, nu_e, nu_mu_bar")
