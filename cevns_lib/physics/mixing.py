"""Lepton mixing: the PDG parametrisation of the mixing matrix U.

The oscillation inputs live in one place, :data:`DE_SALAS_2018_NO`; every function
takes an :class:`OscillationParameters` so that changing the inputs is a one-line edit
(``dataclasses.replace(DE_SALAS_2018_NO, delta=1.32 * np.pi)``).

Conventions (arXiv:1905.03750; choice A10 of the register): flavour index
alpha = e, mu, tau (0, 1, 2); mass index k = 1, 2, 3 (0, 1, 2); the Dirac phase enters
U_e3 as exp(-i delta).
"""

from dataclasses import dataclass

import numpy as np

from ..validation import check_finite_scalar

__all__ = ["FLAVOURS", "OscillationParameters", "DE_SALAS_2018_NO", "DELTA_BEST_FIT_NO", "pmns", "check_params"]


FLAVOURS = ("e", "mu", "tau")


@dataclass(frozen=True)
class OscillationParameters:
    """Mixing angles (as sin^2) and phases in radians.

    ``majorana`` holds two Majorana phases (phi_2, phi_3): U -> U diag(1, e^{i phi_2}, e^{i phi_3}).
    """

    sin2_12: float
    sin2_23: float
    sin2_13: float
    delta: float = 0.0
    majorana: tuple = (0.0, 0.0)
    dm2_21_eV2: float = 7.55e-5
    dm2_31_eV2: float = 2.55e-3
    source: str = ""

    def __post_init__(self):
        for name in ("sin2_12", "sin2_23", "sin2_13"):
            value = check_finite_scalar(getattr(self, name), name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} = {value!r} is not a valid sin^2 of a mixing angle "
                                 f"(allowed: 0 <= sin^2 <= 1)")
        check_finite_scalar(self.delta, "delta")
        if len(self.majorana) != 2:
            raise ValueError(f"majorana must hold two phases (phi_2, phi_3), got {self.majorana!r}")
        for phi in self.majorana:
            check_finite_scalar(phi, "Majorana phase")
        if check_finite_scalar(self.dm2_21_eV2, "dm2_21_eV2") <= 0:
            raise ValueError(f"dm2_21_eV2 must be positive, got {self.dm2_21_eV2!r}")


#: de Salas et al., Phys. Lett. B 782 (2018) 633, normal-ordering best fit, with delta = 0
#: as used for Table 2 of arXiv:1905.03750 (choice A9).
DE_SALAS_2018_NO = OscillationParameters(
    sin2_12=0.320, sin2_23=0.547, sin2_13=0.0216, delta=0.0, dm2_21_eV2=7.55e-5, dm2_31_eV2=2.55e-3,
    source="de Salas et al. 2018 (NO best fit), delta = 0 as in Table 2",
)


#: The de Salas et al. best-fit Dirac phase for normal ordering (not used for Table 2).
DELTA_BEST_FIT_NO = 1.32 * np.pi


def pmns(params=DE_SALAS_2018_NO):
    """The 3x3 lepton mixing matrix U_{alpha k} in the PDG parametrisation.

    Parameters
    ----------
    params : OscillationParameters
        Angles (sin^2) and phases (radians).

    Returns
    -------
    numpy.ndarray of complex, shape (3, 3); rows are flavours (e, mu, tau), columns mass states.
    """
    check_params(params)
    s12, s23, s13 = (np.sqrt(params.sin2_12), np.sqrt(params.sin2_23), np.sqrt(params.sin2_13))
    c12, c23, c13 = (np.sqrt(1 - params.sin2_12), np.sqrt(1 - params.sin2_23), np.sqrt(1 - params.sin2_13))
    ed = np.exp(1j * params.delta)
    u = np.array([
        [c12 * c13, s12 * c13, s13 / ed],
        [-s12 * c23 - c12 * s23 * s13 * ed, c12 * c23 - s12 * s23 * s13 * ed, s23 * c13],
        [s12 * s23 - c12 * c23 * s13 * ed, -c12 * s23 - s12 * c23 * s13 * ed, c23 * c13],
    ], dtype=complex)
    phi2, phi3 = params.majorana
    return u * np.exp(1j * np.array([0.0, phi2, phi3]))[None, :]


def check_params(params, name="params"):
    """An OscillationParameters object (cevns_lib.physics.mixing), or a TypeError naming the argument."""

    if not isinstance(params, OscillationParameters):
        raise TypeError(f"{name} must be a cevns_lib.physics.OscillationParameters, got {params!r}")
    return params
