"""Tables and figures for the book and the command line; nothing here computes physics.
"""

from . import detector_plots as _detector_plots
from . import formatting as _formatting
from . import plotting as _plotting
from .detector_plots import *  # noqa: F403
from .formatting import *  # noqa: F403
from .plotting import *  # noqa: F403

__all__ = [*_formatting.__all__, *_plotting.__all__, *_detector_plots.__all__]
