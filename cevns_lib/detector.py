"""Detector response: the COHERENT CsI[Na] photoelectron yield and efficiency, eqs. (29)-(31), and flat efficiencies.

An efficiency is a small frozen object with ``__call__(T_keV)`` returning the detection
probability at nuclear-recoil energy T_N (keV) and ``breaks_keV()`` listing recoil energies where
it jumps (integration grids put nodes there).
"""

from dataclasses import dataclass

import numpy as np

from ._checks import check_finite_scalar, check_nonnegative_array

#: CsI[Na] light yield (PE per keVee) and the quenching factor behind eq. (29) (COHERENT 2017).
CSI_LIGHT_YIELD_PE_PER_KEVEE = 13.348
CSI_QUENCHING_FACTOR = 0.0878
#: Photoelectrons per keV of nuclear recoil, eq. (29): 13.348 x 0.0878 = 1.172, rounded as in the paper.
CSI_PE_PER_KEV = 1.17
#: Logistic efficiency parameters of eq. (30) (COHERENT data release, arXiv:1804.09459).
CSI_EFF_A, CSI_EFF_K, CSI_EFF_X0 = 0.6655, 0.4942, 10.8507


def csi_photoelectrons(T_keV, pe_per_keV=CSI_PE_PER_KEV):
    """Number of photoelectrons N_PE = 1.17 T_N/keV, eq. (29)."""
    return pe_per_keV * check_nonnegative_array(T_keV, "recoil energy T_keV")


def csi_step(x):
    """The step function of eq. (31): 0 below 5 PE, 0.5 for 5 <= x < 6, 1 from 6 PE."""
    x = np.asarray(x, dtype=float)
    return np.where(x < 5, 0.0, np.where(x < 6, 0.5, 1.0))


def csi_efficiency_pe(x):
    """COHERENT CsI efficiency as a function of photoelectrons x, eq. (30)."""
    x = np.asarray(x, dtype=float)
    return CSI_EFF_A / (1.0 + np.exp(-CSI_EFF_K * (x - CSI_EFF_X0))) * csi_step(x)


@dataclass(frozen=True)
class CsIEfficiency:
    """Eq. (30)-(31) in recoil energy, with an analysis window N_PE <= ``pe_max`` (inferred: 30 PE)."""

    pe_per_keV: float = CSI_PE_PER_KEV
    pe_max: float = 30.0

    def __post_init__(self):
        if check_finite_scalar(self.pe_per_keV, "pe_per_keV") <= 0:
            raise ValueError(f"pe_per_keV must be positive, got {self.pe_per_keV!r}")
        if check_finite_scalar(self.pe_max, "pe_max") <= 6:
            raise ValueError(f"pe_max must exceed 6 PE, got {self.pe_max!r}")

    def __call__(self, T_keV):
        x = csi_photoelectrons(T_keV, self.pe_per_keV)
        return np.where(x <= self.pe_max, csi_efficiency_pe(x), 0.0)

    def breaks_keV(self):
        return (5.0 / self.pe_per_keV, 6.0 / self.pe_per_keV, self.pe_max / self.pe_per_keV)

    def describe(self):
        return f"Eq. (30)-(31), N_PE = {self.pe_per_keV} T/keV, window N_PE <= {self.pe_max:g}"


@dataclass(frozen=True)
class FlatEfficiency:
    """A constant efficiency (0.5 for the paper's current setups, 1.0 for future ones)."""

    value: float

    def __post_init__(self):
        v = check_finite_scalar(self.value, "efficiency")
        if not 0 < v <= 1:
            raise ValueError(f"a flat efficiency must be in (0, 1], got {self.value!r}")

    def __call__(self, T_keV):
        return np.full_like(check_nonnegative_array(T_keV, "T_keV"), self.value, dtype=float)

    def breaks_keV(self):
        return ()

    def describe(self):
        return f"flat {100 * self.value:g}%"
