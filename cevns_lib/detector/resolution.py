"""Energy resolution: none, or Gaussian with sigma(E) = sqrt(a^2 + b^2 E + (c E)^2) (keV).
"""

from dataclasses import dataclass

import numpy as np

from ..validation import check_finite_scalar, check_nonnegative_array

__all__ = ["CSI_EFF_A", "CSI_EFF_K", "CSI_EFF_X0", "NoResolution", "GaussianResolution"]


#: Logistic efficiency parameters of eq. (30) (COHERENT data release, arXiv:1804.09459).
CSI_EFF_A, CSI_EFF_K, CSI_EFF_X0 = 0.6655, 0.4942, 10.8507


@dataclass(frozen=True)
class NoResolution:
    """A perfect energy measurement: the threshold is a sharp step."""

    def sigma_keV_at(self, E_keV):
        return np.zeros_like(check_nonnegative_array(E_keV, "E_keV"), dtype=float)

    def describe(self):
        return "none"


@dataclass(frozen=True)
class GaussianResolution:
    """Gaussian smearing of the energy the threshold acts on: sigma(E)^2 = a^2 + b^2 E + (c E)^2, in keV.

    ``sigma_keV`` = a (keV), ``sigma_sqrt_keV`` = b (keV^(1/2)), ``sigma_rel`` = c (dimensionless).
    """

    sigma_keV: float = 0.0
    sigma_sqrt_keV: float = 0.0
    sigma_rel: float = 0.0

    def __post_init__(self):
        vals = [check_finite_scalar(getattr(self, n), n) for n in ("sigma_keV", "sigma_sqrt_keV", "sigma_rel")]
        if any(v < 0 for v in vals) or not any(v > 0 for v in vals):
            raise ValueError("a Gaussian resolution needs sigma_keV, sigma_sqrt_keV, sigma_rel >= 0, not all zero")

    def sigma_keV_at(self, E_keV):
        E = check_nonnegative_array(E_keV, "E_keV")
        return np.sqrt(self.sigma_keV**2 + self.sigma_sqrt_keV**2 * E + (self.sigma_rel * E) ** 2)

    def describe(self):
        return (f"Gaussian, sigma^2 = ({self.sigma_keV:g} keV)^2 + ({self.sigma_sqrt_keV:g})^2 E "
                f"+ ({self.sigma_rel:g} E)^2")
