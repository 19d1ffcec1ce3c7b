"""Confidence levels and Delta chi^2: the one rule of the library (choice E5).

Every limit, region and profile of the library (the paper's counting chi-squares, the likelihoods of the
released data, the tensor part, the command line and the chapters) turns a confidence level into a
Delta chi^2 (or Delta(-2 ln L)) with :func:`delta_chi2_level`, and back with :func:`confidence_level`:

    Delta chi^2(CL, n) = the chi-square quantile with n degrees of freedom, rounded to three significant digits,

with "0.68" read as one standard deviation (CL = 0.6827). This gives the values the papers use: 1.00, 2.71,
3.84, 6.63 for one parameter at 68%, 90%, 95%, 99% and 2.30, 4.61, 5.99, 9.21 for two.
"""

import math
from types import MappingProxyType

from scipy.special import gammainc, gammaincinv

from ..validation import check_finite_scalar

__all__ = ["ONE_SIGMA", "DCHI2_LEVELS", "DCHI2_90_1D", "DCHI2_90_2D", "delta_chi2_level", "confidence_level",
           "check_level"]

#: The confidence level of one standard deviation, erf(1/sqrt(2)); a requested CL of 0.68 means this.
ONE_SIGMA = math.erf(1.0 / math.sqrt(2.0))
#: The parameters a level can have.
_N_PARAMS = (1, 2, 3)


def _round3(x):
    return float(f"{x:.3g}")


def delta_chi2_level(cl=0.90, n_params=1):
    """Delta chi^2 of a confidence level ``cl`` in (0, 1) for ``n_params`` (1, 2 or 3) parameters (Wilks).

    The chi-square quantile rounded to three significant digits, with 0.68 read as one standard deviation
    (see the module docstring): 2.71 for 90% and one parameter, 4.61 for two.
    """
    cl = check_finite_scalar(cl, "cl (confidence level)")
    if not 0.0 < cl < 1.0:
        raise ValueError(f"cl (confidence level) must lie strictly between 0 and 1, got {cl!r}")
    if isinstance(n_params, bool) or n_params not in _N_PARAMS:
        raise ValueError(f"n_params must be 1, 2 or 3, got {n_params!r}")
    if round(cl, 6) == 0.68:
        cl = ONE_SIGMA
    level = _round3(float(2.0 * gammaincinv(n_params / 2.0, cl)))     # the chi^2 quantile
    if not level > 0:
        raise ValueError(f"cl (confidence level) = {cl!r} is too small: its Delta chi^2 is 0")
    return level


def confidence_level(delta_chi2, n_params=1):
    """The confidence level of a Delta chi^2 with 1, 2 or 3 parameters, rounded to three decimals (2.71 -> 0.9,
    4.61 -> 0.9), the inverse of :func:`delta_chi2_level`."""
    d = check_level(delta_chi2, "delta_chi2")
    if isinstance(n_params, bool) or n_params not in _N_PARAMS:
        raise ValueError(f"n_params must be 1, 2 or 3, got {n_params!r}")
    return round(float(gammainc(n_params / 2.0, d / 2.0)), 3)     # the chi^2 distribution function


def check_level(level, name="level"):
    """A Delta chi^2 level as a float in (0, inf), or an error naming ``name``."""
    level = check_finite_scalar(level, f"{name} (Delta chi^2)")
    if not level > 0:
        raise ValueError(f"{name} (Delta chi^2) must be > 0, got {level!r}")
    return level


#: The usual levels, (confidence, parameters) -> Delta chi^2, from the rule above (read-only).
DCHI2_LEVELS = MappingProxyType({(cl, n): delta_chi2_level(cl, n) for n in (1, 2) for cl in (0.68, 0.90, 0.95, 0.99)})
#: Delta chi^2 for 90% C.L. with one and two parameters (2.71, 4.61).
DCHI2_90_1D = DCHI2_LEVELS[(0.90, 1)]
DCHI2_90_2D = DCHI2_LEVELS[(0.90, 2)]
