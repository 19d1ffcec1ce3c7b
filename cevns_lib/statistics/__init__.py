"""Statistics: confidence levels and Delta chi^2, the counting chi-squares, binned Poisson likelihoods (and
their sums across data families, :mod:`.joint`), one-parameter limits, two-parameter regions, luminosity scaling
and pseudo-experiments.
"""

from . import binding as _binding
from . import counting as _counting
from . import joint as _joint
from . import levels as _levels
from . import likelihood as _likelihood
from . import limits as _limits
from . import luminosity as _luminosity
from . import regions as _regions
from . import statistic as _statistic
from . import toys as _toys
from .binding import *  # noqa: F403
from .counting import *  # noqa: F403
from .joint import *  # noqa: F403
from .levels import *  # noqa: F403
from .likelihood import *  # noqa: F403
from .limits import *  # noqa: F403
from .luminosity import *  # noqa: F403
from .regions import *  # noqa: F403
from .statistic import *  # noqa: F403
from .toys import *  # noqa: F403

__all__ = [
    *_levels.__all__, *_counting.__all__, *_binding.__all__, *_statistic.__all__, *_luminosity.__all__,
    *_limits.__all__, *_regions.__all__, *_likelihood.__all__, *_joint.__all__, *_toys.__all__
]


def __getattr__(name):
    # inputs read from data/ on first use (CSI_DATA, COHERENT_2017_SM_PREDICTION, SIGMA_ALPHA; see .counting)
    return _counting.__getattr__(name)
