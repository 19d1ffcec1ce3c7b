"""Tensor non-standard interactions (NSI) in CEvNS and the neutrino magnetic moments they induce.

Reproduces the analysis of D. K. Papoulias and T. S. Kosmas, HNPS 2015 proceedings ("Probing
electromagnetic neutrino properties within the tensor non-standard neutrino-nucleus interactions"). This
module gathers, under one name, the parts that live in the core library's modules:

* :mod:`cevns_lib.tensor_cross_sections`: eqs. (1.4)-(1.6), (1.9)-(1.10), :class:`CrossSectionModel`;
* :mod:`cevns_lib.tensor_moments`: eqs. (1.7)-(1.8), the induced magnetic moments, :class:`MomentModel`;
* :mod:`cevns_lib.tensor_events`: the detectors (experiment files in ``data/experiments/papoulias2015``) and
  the event numbers of eq. (1.11), from the core engine :func:`cevns_lib.rates.event_yields`;
* :mod:`cevns_lib.tensor_limits`: the chi-square (1.12), limits, two-parameter regions and the
  Table-1-shaped result, with the library's Delta chi^2 levels.

The proceedings' own numbers (their Table 1, their reactor event numbers) are not available; every unknown
normalisation is an explicit parameter (choices N1-N20 of the register).
"""

from .rates import N_E, N_T  # noqa: F401
from .tensor_cross_sections import (  # noqa: F401
    DEFAULT_MODEL,
    FLAVOURS,
    QUARKS,
    SIN2_THETA_W,
    CrossSectionModel,
    degeneracy_slope,
    dsigma_magnetic,
    dsigma_tensor,
    dsigma_total,
    dsigma_vector,
    nucleus,
    tensor_charges,
    total_cross_section,
)
from .tensor_events import (  # noqa: F401
    BEAM_FLAVOUR,
    BEAMS,
    REACTOR_SPECTRA,
    Events,
    ReactorSetup,
    TensorSetup,
    beam_counts,
    beam_events,
    beam_power_flux,
    component_events,
    reactor_events,
    reactor_flux_estimate,
    reactor_setup,
    reactor_setups,
    sns_normalisation,
    sns_setup,
    sns_setups,
    spectrum,
    unit_integrals,
    vogel_engel_235u,
)
from .tensor_events import SNS_COMPONENT_NAMES as SNS_COMPONENTS  # noqa: F401
from .tensor_limits import (  # noqa: F401
    DCHI2_2D,
    DCHI2_90_1D,
    assumptions,
    band_half_width,
    chi2_proceedings,
    delta_chi2,
    epsilon_limit,
    epsilon_limit_numeric,
    experiment_records,
    is_closed,
    moment_limit,
    region_area,
    region_boundary,
    table_records,
)
from .tensor_moments import (  # noqa: F401
    DEFAULT_MOMENTS,
    LAMBDA_TEV,
    M_LEPTON_MEV,
    M_QUARK_MEV,
    N_COLOURS,
    Q_QUARK,
    MomentModel,
    magnetic_moment_lepton,
    magnetic_moment_quark,
    moment_per_unit_coupling,
)
