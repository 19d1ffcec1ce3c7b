"""Neutrino sources: flux components and their selections, spectra, the spallation source, reactors
and the Sun.
Energies in MeV, spectra unit-normalised (MeV^-1), fluxes in cm^-2 s^-1, fluences in cm^-2.
"""

from . import components as _components
from . import reactor as _reactor
from . import sns as _sns
from . import solar as _solar
from . import spectra as _spectra
from .components import *  # noqa: F403
from .reactor import *  # noqa: F403
from .sns import *  # noqa: F403
from .solar import *  # noqa: F403
from .spectra import *  # noqa: F403

__all__ = [*_components.__all__, *_spectra.__all__, *_sns.__all__, *_reactor.__all__, *_solar.__all__]
