"""Detection efficiencies: the COHERENT CsI efficiency (eqs. 29-31 of arXiv:1905.03750), flat and tabulated ones.

An efficiency is a frozen callable of the energy (keV, nuclear recoil or electron equivalent as its ``energy``
says) returning a probability in [0, 1].
"""

from dataclasses import dataclass

import numpy as np

from ..validation import check_finite_scalar, check_nonnegative_array, check_table
from .resolution import CSI_EFF_A, CSI_EFF_K, CSI_EFF_X0

__all__ = [
    "CSI_LIGHT_YIELD_PE_PER_KEVEE", "CSI_QUENCHING_FACTOR", "CSI_PE_PER_KEV", "csi_photoelectrons", "csi_step",
    "csi_efficiency_pe", "CsIEfficiency", "FlatEfficiency", "TableEfficiency", "check_efficiency"
]


#: CsI[Na] light yield (PE per keVee) and the quenching factor behind eq. (29) (COHERENT 2017).
CSI_LIGHT_YIELD_PE_PER_KEVEE = 13.348


CSI_QUENCHING_FACTOR = 0.0878


#: Photoelectrons per keV of nuclear recoil, eq. (29): 13.348 x 0.0878 = 1.172, rounded as in the paper.
CSI_PE_PER_KEV = 1.17


def csi_photoelectrons(T_keV, pe_per_keV=CSI_PE_PER_KEV):
    """Number of photoelectrons N_PE = 1.17 T_N/keV, eq. (29)."""
    return pe_per_keV * check_nonnegative_array(T_keV, "recoil energy T_keV")


def csi_step(x):
    """The step function of eq. (31): 0 below 5 PE, 0.5 for 5 <= x < 6, 1 from 6 PE."""
    x = check_nonnegative_array(x, "photoelectrons x")
    return np.where(x < 5, 0.0, np.where(x < 6, 0.5, 1.0))


def csi_efficiency_pe(x):
    """COHERENT CsI efficiency as a function of photoelectrons x, eq. (30)."""
    x = check_nonnegative_array(x, "photoelectrons x")
    return CSI_EFF_A / (1.0 + np.exp(-CSI_EFF_K * (x - CSI_EFF_X0))) * csi_step(x)


@dataclass(frozen=True)
class CsIEfficiency:
    """Eq. (30)-(31) in recoil energy, with an analysis window N_PE <= ``pe_max`` (inferred: 30 PE)."""

    pe_per_keV: float = CSI_PE_PER_KEV
    pe_max: float = 30.0
    energy = "nr"
    closed_above = True

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
    energy = "nr"
    closed_above = False

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


@dataclass(frozen=True)
class TableEfficiency:
    """An efficiency tabulated against energy (keV, ``energy`` "nr" or "ee"), interpolated linearly.

    Zero below the first energy, the last value beyond the last energy. Values must lie in [0, 1].
    """

    E_keV: tuple
    values: tuple
    energy: str = "nr"
    source: str = ""
    closed_above = False

    def __post_init__(self):
        E, v = check_table(self.E_keV, self.values, "efficiency table", "E_keV", "values")
        if np.any(v < 0) or np.any(v > 1):
            raise ValueError("efficiency table values must lie in [0, 1]")
        if self.energy not in ("nr", "ee"):
            raise ValueError(f"unknown efficiency energy {self.energy!r}; allowed: 'nr', 'ee'")
        object.__setattr__(self, "E_keV", tuple(E))
        object.__setattr__(self, "values", tuple(v))

    def __call__(self, E_keV):
        E = check_nonnegative_array(E_keV, "E_keV")
        return np.interp(E, self.E_keV, self.values, left=0.0, right=self.values[-1])

    def breaks_keV(self):
        return (self.E_keV[0],)

    def describe(self):
        return f"table of {len(self.E_keV)} points in keV{self.energy}" + (f" ({self.source})" if self.source else "")


def check_efficiency(eff, name="efficiency"):
    """Raise unless ``eff`` has the efficiency interface (callable, breaks_keV, energy, closed_above)."""
    missing = [a for a in ("breaks_keV", "energy", "closed_above") if not hasattr(eff, a)]
    if not callable(eff) or missing:
        raise TypeError(f"{name} must be an efficiency object (callable, with breaks_keV(), energy and "
                        f"closed_above), got {type(eff).__name__}"
                        + (f" lacking {', '.join(missing)}" if missing else ""))
    if eff.energy not in ("nr", "ee"):
        raise ValueError(f"{name}.energy must be 'nr' or 'ee', got {eff.energy!r}")
    return eff
