"""Experiments as data: the frozen :class:`Experiment`, the experiment-file reader and the shipped
experiments.
"""

from . import experiment as _experiment
from . import files as _files
from . import registry as _registry
from .experiment import *  # noqa: F403
from .files import *  # noqa: F403
from .registry import *  # noqa: F403

__all__ = [*_experiment.__all__, *_files.__all__, *_registry.__all__]
