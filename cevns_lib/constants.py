"""Physical constants used throughout ``cevns_lib``.

CODATA values come from :mod:`scipy.constants`; particle masses that CODATA does not
provide (the charged pion) are PDG values (Review of Particle Physics 2018).

Units (the package-wide convention, see :mod:`cevns_lib`):
neutrino energies and masses in MeV, recoil energies in keV at the user-facing level,
cross sections in cm^2, magnetic moments in Bohr magnetons.
"""

from scipy import constants as _c

__all__ = [
    "G_F", "ALPHA_EM", "M_E", "M_MU", "M_TAU", "M_PI", "AMU_MEV", "MEV_J", "EV_J", "N_A", "CM_FM", "KM_FM",
    "HBARC_MEV_FM", "HBARC2_CM2_MEV2", "YEAR_S", "DAY_S", "MU_UNIT", "SIN2_THETA_W", "RHO_NC", "KAPPA_NC",
    "LAMBDA_UL", "LAMBDA_DL", "LAMBDA_DR", "LAMBDA_UR",
    "RED_GIANT_MU_LIMIT_MUB"
]


#: Fermi constant G_F in MeV^-2 (CODATA; 1.1663787e-5 GeV^-2).
G_F = _c.physical_constants["Fermi coupling constant"][0] * 1e-6


#: Fine-structure constant at zero momentum transfer.
ALPHA_EM = _c.fine_structure


#: Electron mass in MeV.
M_E = _c.physical_constants["electron mass energy equivalent in MeV"][0]


#: Muon mass in MeV.
M_MU = _c.physical_constants["muon mass energy equivalent in MeV"][0]
#: Tau mass in MeV (PDG 2018, the value the tensor-NSI chapters use).
M_TAU = 1776.86


#: Charged-pion mass in MeV (PDG 2018; not in CODATA).
M_PI = 139.57061


#: Atomic mass unit in MeV.
AMU_MEV = _c.physical_constants["atomic mass constant energy equivalent in MeV"][0]


#: One eV and one MeV in joules (exact since the 2019 SI: e = 1.602176634e-19 C).
EV_J = _c.electron_volt
MEV_J = 1.602176634e-13
#: Avogadro constant in mol^-1.
N_A = _c.Avogadro


#: hbar * c in MeV fm.
HBARC_MEV_FM = _c.hbar * _c.c / (_c.mega * _c.electron_volt) / _c.femto


#: (hbar c)^2 in cm^2 MeV^2, converts MeV^-2 to cm^2.
HBARC2_CM2_MEV2 = (HBARC_MEV_FM * 1e-13) ** 2


#: One cm and one km in fm.
CM_FM = 1e13
KM_FM = 1e18
#: Seconds in a (Julian) year of 365.25 days.
YEAR_S = 365.25 * 86400.0


#: Seconds per day.
DAY_S = 86400.0


#: The unit in which TMM limits are quoted: 1e-10 Bohr magnetons.
MU_UNIT = 1e-10


#: The astrophysical bound on a neutrino magnetic moment from plasmon decay in red giants, about 3e-12 Bohr
#: magnetons (G. G. Raffelt, Ann. Rev. Nucl. Part. Sci. 49 (1999) 163): the reference of the tensor chapters' claim
#: that the induced moments are "of the same order of magnitude as astrophysical limits".
RED_GIANT_MU_LIMIT_MUB = 3e-12


# Neutral-current couplings with radiative corrections, eq. (22) (PDG 2018 electroweak review).
#: sin^2 theta_W(M_Z) in the MS-bar scheme.
SIN2_THETA_W = 0.23122


RHO_NC = 1.0082


KAPPA_NC = 0.9972


LAMBDA_UL = -0.0031


LAMBDA_DL = -0.0025


LAMBDA_DR = 7.5e-5


LAMBDA_UR = LAMBDA_DR / 2.0
