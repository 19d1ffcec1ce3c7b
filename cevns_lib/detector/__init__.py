"""Detector response: quenching (keVnr <-> keVee), detection efficiencies and the energy resolution.
"""

from . import efficiency as _efficiency
from . import quenching as _quenching
from . import resolution as _resolution
from .efficiency import *  # noqa: F403
from .quenching import *  # noqa: F403
from .resolution import *  # noqa: F403

__all__ = [*_quenching.__all__, *_efficiency.__all__, *_resolution.__all__]
