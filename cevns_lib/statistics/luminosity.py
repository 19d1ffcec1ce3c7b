"""Luminosity scaling of limits: the F^(-1/4) law of the effective chi-square, Figure 3 and choice A8.
"""

import numpy as np

from ..engine.yields import event_yields
from ..physics.mixing import DE_SALAS_2018_NO
from ..validation import check_finite_scalar, check_positive
from .counting import analysis, csi_inputs, default_form, sigma_alpha_by_stage
from .levels import DCHI2_90_1D

__all__ = ["systematic_factor", "luminosity_factor_from_limits", "luminosity_gain", "luminosity_scan"]


def systematic_factor(sigma_alpha, level=DCHI2_90_1D):
    """(1 - level sa^2)^(-1/4): the effective chi-square's limit over the pure-statistics limit.

    1.072 for sa = 0.30 and 1.029 for sa = 0.20 at level 2.71.
    """
    sigma_alpha = check_finite_scalar(sigma_alpha, "sigma_alpha")
    level = check_positive(level, "Delta chi^2 level")
    if level * sigma_alpha**2 >= 1:
        return np.inf
    return (1 - level * sigma_alpha**2) ** -0.25


def luminosity_factor_from_limits(limit_current, limit_future, sigma_current=None, sigma_future=None,
                                  level=DCHI2_90_1D):
    """Luminosity gain F implied by a current and a future limit of the same detector (effective eq. 35).

    With N_SM and the EM yield both proportional to the luminosity,
    Lambda_cur / Lambda_fut = F^(1/4) x systematic_factor(sa_cur) / systematic_factor(sa_fut)
    (the second factor is 1.042 for 0.30 / 0.20), so F = (ratio x s_fut / s_cur)^4. Used to read
    the MINER and RED100 future entries of Table 2 (choice A8). Works element-wise on arrays.
    ``sigma_current`` and ``sigma_future`` default to the paper's values (choice A2, read from the setup files).
    """
    sa = sigma_alpha_by_stage()
    sigma_current = sa["current"] if sigma_current is None else sigma_current
    sigma_future = sa["future"] if sigma_future is None else sigma_future
    cur = np.asarray(limit_current, dtype=float)
    fut = np.asarray(limit_future, dtype=float)
    if np.any(~np.isfinite(cur)) or np.any(~np.isfinite(fut)) or np.any(cur <= 0) or np.any(fut <= 0):
        raise ValueError(f"limits must be finite and positive, got {limit_current!r} and {limit_future!r}")
    ratio = cur / fut * systematic_factor(sigma_future, level) / systematic_factor(sigma_current, level)
    return ratio**4


def luminosity_gain(current, future):
    """Luminosity ratio K_future / K_current of two setups of one detector (mass x efficiency x fluence).

    Only meaningful when target, threshold and spectrum are the same (the reactor rows of Table 1);
    both setups must have flat efficiencies (the COHERENT CsI data efficiency is energy dependent).
    """
    from ..detector.efficiency import FlatEfficiency

    for s in (current, future):
        if not isinstance(s.efficiency, FlatEfficiency):
            raise ValueError(f"{s.label}: luminosity_gain needs a flat efficiency, got {s.efficiency.describe()}")
    if (current.material, current.threshold_keV, current.threshold_kind) != (future.material, future.threshold_keV,
                                                                              future.threshold_kind):
        raise ValueError(f"{current.label} and {future.label} differ in target or threshold; "
                         "their event numbers do not scale with the luminosity alone")

    def k(s):
        return s.mass_kg * s.efficiency.value * s.fluence_cm2()

    return k(future) / k(current)


def luminosity_scan(experiment, beam=None, factors=(1.0,), level=DCHI2_90_1D, params=DE_SALAS_2018_NO,
                    phases=(0.0, 0.0, 0.0), form=None, sigma_alpha=None):
    """One-parameter limits versus a luminosity scale factor (Figure 3), shape (len(factors), 3), 1e-10 mu_B.

    Every factor multiplies N_SM and the EM yield (mass x time x flux). For the COHERENT CsI data
    form (eq. 34) the measured counts cannot be scaled, so every point, factor 1 included, uses
    Asimov data N_meas = F (N_SM + B_on) with both backgrounds multiplied by F (choice A15;
    the paper does not say what it did). The effective eq. (35) gives exactly F^(-1/4).
    """
    factors = np.atleast_1d(np.asarray(factors, dtype=float))
    if factors.ndim != 1 or not np.all(np.isfinite(factors)) or np.any(factors <= 0):
        raise ValueError(f"luminosity factors must be finite and positive, got {factors!r}")
    form = default_form(experiment) if form is None else form
    out = np.empty((factors.size, 3))
    n_sm = event_yields(experiment).n_sm_total if form == "csi" else None
    for n, f in enumerate(factors):
        csi_data = None
        if form == "csi":
            d = csi_inputs()
            csi_data = {"n_meas": f * (n_sm + d["b_on"]), "b_on": f * d["b_on"], "b_ss": f * d["b_ss"]}
        a = analysis(experiment, beam, form=form, sigma_alpha=sigma_alpha, params=params, phases=phases,
                     scale=float(f), csi_data=csi_data)
        out[n] = [a.limit(np.eye(3)[i], level) for i in range(3)]
    return out
