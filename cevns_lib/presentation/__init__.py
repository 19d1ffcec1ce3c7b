"""Tables and figures for the book and the command line; nothing here computes physics.
"""

from . import formatting as _formatting
from . import plotting as _plotting
from .formatting import *  # noqa: F403
from .plotting import *  # noqa: F403

__all__ = [*_formatting.__all__, *_plotting.__all__]
