"""The spallation neutron source: pi+ decay-at-rest spectra (eq. 28 of arXiv:1905.03750) and fluences.

Energies in MeV; spectra unit-normalised (MeV^-1); fluences in cm^-2 per flavour.
"""

from types import MappingProxyType

import numpy as np

from ..constants import M_MU, M_PI
from ..validation import check_baseline, check_nonnegative_array, check_positive
from .spectra import Spectrum

__all__ = ["E_PROMPT_MEV", "W_MEV", "SNS_NU_PER_POT", "eta_nu_mu_bar", "eta_nu_e", "sns_fluence", "SNS_SPECTRA"]


#: Energy of the prompt nu_mu line from pi+ -> mu+ nu_mu at rest: (m_pi^2 - m_mu^2) / (2 m_pi) = 29.79 MeV.
E_PROMPT_MEV = (M_PI**2 - M_MU**2) / (2 * M_PI)


#: Endpoint of the muon-decay (Michel) spectra, W = m_mu / 2 = 52.83 MeV.
W_MEV = M_MU / 2


#: Neutrinos of each flavour per proton on target (COHERENT 2017).
SNS_NU_PER_POT = 0.08


def eta_nu_mu_bar(E_MeV):
    """Delayed anti-nu_mu spectrum, unit area on [0, m_mu/2]: 64/m_mu (E/m_mu)^2 (3/4 - E/m_mu)."""
    E = check_nonnegative_array(E_MeV, "E_MeV")
    x = E / M_MU
    return np.where(E <= W_MEV, 64.0 / M_MU * x**2 * (0.75 - x), 0.0)


def eta_nu_e(E_MeV):
    """Delayed nu_e spectrum, unit area on [0, m_mu/2]: 192/m_mu (E/m_mu)^2 (1/2 - E/m_mu)."""
    E = check_nonnegative_array(E_MeV, "E_MeV")
    x = E / M_MU
    return np.where(E <= W_MEV, 192.0 / M_MU * x**2 * (0.5 - x), 0.0)


def sns_fluence(n_pot, baseline_m, nu_per_pot=SNS_NU_PER_POT):
    """Fluence per flavour (cm^-2) at distance L: r N_POT / (4 pi L^2)."""
    n_pot = check_positive(n_pot, "protons on target")
    L = check_baseline(baseline_m)
    r = check_positive(nu_per_pot, "neutrinos per flavour per POT")
    return r * n_pot / (4 * np.pi * (100.0 * L) ** 2)


SNS_SPECTRA = MappingProxyType({
    "nu_mu_prompt": Spectrum("prompt nu_mu", None, e_max=E_PROMPT_MEV, line=E_PROMPT_MEV),
    "nu_e": Spectrum("delayed nu_e", eta_nu_e, e_max=W_MEV),
    "nu_mu_bar": Spectrum("delayed anti-nu_mu", eta_nu_mu_bar, e_max=W_MEV),
})
