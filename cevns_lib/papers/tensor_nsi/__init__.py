"""Tensor non-standard interactions (NSI) in CEvNS and the neutrino magnetic moments they induce.

Reproduces the analysis of D. K. Papoulias and T. S. Kosmas, HNPS 2015 proceedings ("Probing
electromagnetic neutrino properties within the tensor non-standard neutrino-nucleus interactions"). This
module gathers, under one name, the parts that live in the core library's modules:

* :mod:`.cross_sections`: eqs. (1.4)-(1.6), (1.9)-(1.10), :class:`CrossSectionModel`;
* :mod:`.moments`: eqs. (1.7)-(1.8), the induced magnetic moments, :class:`MomentModel`;
* :mod:`.events`: the detectors (experiment files in ``data/experiments/papoulias2015``) and
  the event numbers of eq. (1.11), from the core engine :func:`cevns_lib.engine.event_yields`;
* :mod:`.limits`: the chi-square (1.12), limits, two-parameter regions and the
  Table-1-shaped result, with the library's Delta chi^2 levels;
* :mod:`.claims`: the proceedings' statements tested with these inputs, one record each.

The proceedings' own numbers (their Table 1, their reactor event numbers) are not available; every unknown
normalisation is an explicit parameter (choices N1-N20 of the register).
"""

from ...engine.yields import N_E, N_T
from ...statistics.levels import DCHI2_90_1D
from . import claims as _claims
from . import cross_sections as _cross_sections
from . import events as _events
from . import limits as _limits
from . import moments as _moments
from .claims import *  # noqa: F403
from .cross_sections import *  # noqa: F403
from .events import *  # noqa: F403
from .events import SNS_COMPONENT_NAMES as SNS_COMPONENTS
from .limits import *  # noqa: F403
from .moments import *  # noqa: F403

__all__ = ["N_E", "N_T", "DCHI2_90_1D", "SNS_COMPONENTS", *_cross_sections.__all__, *_moments.__all__, *_events.__all__,
           *_limits.__all__, *_claims.__all__]
