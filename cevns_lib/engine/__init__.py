"""The event-rate engine, eqs. (32)-(33) of arXiv:1905.03750: every term of the cross section integrated
once per experiment (:func:`event_yields`).
"""

from . import binned as _binned
from . import response as _response
from . import yields as _yields
from .binned import *  # noqa: F403
from .response import *  # noqa: F403
from .yields import *  # noqa: F403

__all__ = [*_response.__all__, *_yields.__all__, *_binned.__all__]
