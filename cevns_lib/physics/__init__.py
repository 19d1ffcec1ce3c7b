"""Physics: lepton mixing and effective moments, nuclei and form factors, the physics model, cross sections
and the terms of the electromagnetic properties. Imports only the base modules (constants, data,
validation, quadrature).
"""

from . import cross_sections as _cross_sections
from . import em_properties as _em_properties
from . import form_factors as _form_factors
from . import mixing as _mixing
from . import model as _model
from . import moments as _moments
from . import nuclei as _nuclei
from . import parameters as _parameters
from .cross_sections import *  # noqa: F403
from .em_properties import *  # noqa: F403
from .form_factors import *  # noqa: F403
from .mixing import *  # noqa: F403
from .model import *  # noqa: F403
from .moments import *  # noqa: F403
from .nuclei import *  # noqa: F403
from .parameters import *  # noqa: F403

__all__ = [
    *_mixing.__all__, *_moments.__all__, *_nuclei.__all__, *_form_factors.__all__, *_model.__all__,
    *_cross_sections.__all__, *_em_properties.__all__, *_parameters.__all__
]
