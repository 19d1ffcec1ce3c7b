"""Confidence levels and Delta chi^2: the one rule of the library.
"""

from types import MappingProxyType

from scipy.stats import chi2 as _chi2

from ..validation import check_finite_scalar

__all__ = ["DCHI2_LEVELS", "DCHI2_90_1D", "DCHI2_90_2D", "delta_chi2_level"]


#: Delta chi^2 of the usual confidence levels, rounded as the papers use them: (confidence, parameters) -> level.
DCHI2_LEVELS = MappingProxyType({(0.68, 1): 1.0, (0.90, 1): 2.71, (0.95, 1): 3.84, (0.99, 1): 6.63,
                                 (0.68, 2): 2.30, (0.90, 2): 4.61, (0.95, 2): 5.99, (0.99, 2): 9.21})


#: Delta chi^2 for 90% C.L. with one and two parameters.
DCHI2_90_1D = DCHI2_LEVELS[(0.90, 1)]


DCHI2_90_2D = DCHI2_LEVELS[(0.90, 2)]


def delta_chi2_level(cl=0.90, n_params=1):
    """Delta chi^2 of a confidence level ``cl`` in (0, 1) for ``n_params`` parameters (Wilks).

    The usual levels are the rounded values of :data:`DCHI2_LEVELS` (2.71 for 90% and one parameter, as in the
    paper; choice E5); any other is the exact chi-square quantile.
    """
    cl = check_finite_scalar(cl, "cl (confidence level)")
    if not 0 < cl < 1:
        raise ValueError(f"cl (confidence level) must lie in (0, 1), got {cl!r}")
    if n_params not in (1, 2, 3):
        raise ValueError(f"n_params must be 1, 2 or 3, got {n_params!r}")
    key = (round(cl, 6), n_params)
    return DCHI2_LEVELS.get(key, float(_chi2.ppf(cl, n_params)))
