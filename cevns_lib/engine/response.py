"""Detector response in the engine: the recoil window of each isotope and the detection probability.

Recoil energies T in keV of nuclear recoil; probabilities in [0, 1].
"""

import numpy as np
from scipy.special import erfc

from ..detector.quenching import threshold_nr_keV
from ..physics.cross_sections import t_max_keV
from ..validation import check_nonnegative_array

__all__ = ["recoil_threshold_keV", "recoil_upper_keV", "recoil_range_keV", "detection_probability",
           "window_probability", "efficiency_at"]


def recoil_threshold_keV(experiment, iso):
    """The experiment's threshold as a nuclear recoil energy (keVnr) on ``iso``."""
    return threshold_nr_keV(experiment.threshold_keV, experiment.threshold_kind, iso.Z, iso.A, experiment.quenching,
                            iso)


def recoil_upper_keV(experiment, iso):
    """The upper edge of the window (``upper_keV``) as a nuclear recoil energy (keVnr) on ``iso``, or inf."""
    if experiment.upper_keV is None:
        return np.inf
    return threshold_nr_keV(experiment.upper_keV, experiment.threshold_kind, iso.Z, iso.A, experiment.quenching, iso)


def _visible_keV(experiment, T, iso):
    """Energy on which the threshold acts: T (nr) or the electron-equivalent energy (ee)."""
    return T if experiment.threshold_kind == "nr" else experiment.quenching.ee_keV(T, iso)


def _efficiency_nr_breaks(experiment, iso):
    b = tuple(experiment.efficiency.breaks_keV())
    if experiment.efficiency.energy == "ee":
        b = tuple(float(experiment.quenching.nr_keV(x, iso)) for x in b)
    return b


def recoil_range_keV(experiment, iso, spectrum):
    """(T_low, T_high, inner breaks) in keVnr for one isotope and spectrum; T_low >= T_high means no events.

    T_low is the recoil threshold (or, with an energy resolution, the recoil energy whose visible energy lies
    six standard deviations below the threshold), raised to where the efficiency starts; T_high the kinematic
    end point of the spectrum, lowered to an upper efficiency cut and to the upper window edge (six standard
    deviations above it with a resolution). T_low = 0 for a zero threshold (the engine then integrates the
    terms that stay finite, see :data:`cevns_lib.engine.DIVERGENT_TERMS`).
    """
    if isinstance(experiment.resolution, type(None)) or not hasattr(experiment.resolution, "sigma_keV_at"):
        raise TypeError("experiment.resolution must be a resolution model")
    t_thr = recoil_threshold_keV(experiment, iso)
    smeared = float(experiment.resolution.sigma_keV_at(experiment.threshold_keV)) > 0
    if smeared:
        thr = experiment.threshold_keV
        e_lo = max(thr - 6.0 * float(experiment.resolution.sigma_keV_at(thr)), 1e-3 * max(thr, 1e-3))
        t_thr = e_lo if experiment.threshold_kind == "nr" else float(experiment.quenching.nr_keV(e_lo, iso))
    eff_breaks = _efficiency_nr_breaks(experiment, iso)
    lower = max(t_thr, eff_breaks[0] if eff_breaks else 0.0)
    e_top = spectrum.line if spectrum.line is not None else spectrum.e_max
    upper = float(t_max_keV(e_top, experiment.physics.mass_MeV(iso)))
    if eff_breaks and experiment.efficiency.closed_above:
        upper = min(upper, eff_breaks[-1])
    t_up = recoil_upper_keV(experiment, iso)
    if np.isfinite(t_up):
        if smeared:
            up = experiment.upper_keV
            e_hi = up + 6.0 * float(experiment.resolution.sigma_keV_at(up))
            t_up = e_hi if experiment.threshold_kind == "nr" else float(experiment.quenching.nr_keV(e_hi, iso))
        upper = min(upper, t_up)
    inner = tuple(b for b in eff_breaks if lower < b < upper)
    if smeared:
        sharp = (recoil_threshold_keV(experiment, iso), recoil_upper_keV(experiment, iso))
        inner = tuple(sorted(set(inner) | {t for t in sharp if lower < t < upper}))
    return lower, upper, inner


def window_probability(experiment, T_keV, iso, low_keV, high_keV):
    """Probability that a recoil of T (keVnr) on ``iso`` is measured between ``low_keV`` and ``high_keV`` (in
    the threshold's energy, "nr" or "ee"; ``high_keV`` may be inf), before the efficiency.

    With a Gaussian resolution it is the probability that the measured energy falls in the window (choice E4);
    without one a sharp window on the recoil energy.
    """
    T = np.asarray(T_keV, dtype=float)
    sigma0 = float(experiment.resolution.sigma_keV_at(experiment.threshold_keV))
    if sigma0 > 0:
        E = _visible_keV(experiment, T, iso)
        sig = experiment.resolution.sigma_keV_at(E)
        p = 0.5 * erfc((low_keV - E) / (np.sqrt(2.0) * sig))
        if np.isfinite(high_keV):
            p = p - 0.5 * erfc((high_keV - E) / (np.sqrt(2.0) * sig))
        return np.clip(p, 0.0, 1.0)
    kind, q = experiment.threshold_kind, experiment.quenching
    t_lo = threshold_nr_keV(low_keV, kind, iso.Z, iso.A, q, iso)
    p = np.where(T >= t_lo * (1 - 1e-12), 1.0, 0.0)
    if np.isfinite(high_keV):
        t_hi = threshold_nr_keV(high_keV, kind, iso.Z, iso.A, q, iso)
        p = np.where(T <= t_hi * (1 + 1e-12), p, 0.0)
    return p


def efficiency_at(experiment, T_keV, iso):
    """The detector efficiency at recoil energies T (keVnr) on ``iso`` (read on its own energy, nr or ee)."""
    T = np.asarray(T_keV, dtype=float)
    eff_energy = T if experiment.efficiency.energy == "nr" else experiment.quenching.ee_keV(T, iso)
    return np.asarray(experiment.efficiency(eff_energy), dtype=float)


def detection_probability(experiment, T_keV, iso):
    """Probability that a recoil of T (keVnr) on ``iso`` is detected: efficiency times the acceptance of the
    window [threshold, upper edge] (no upper edge: above the threshold).

    With a Gaussian resolution the acceptance is the probability that the measured energy lies in the window
    (choice E4); without one it is a sharp window on the recoil energy.
    """
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    eff_energy = T if experiment.efficiency.energy == "nr" else experiment.quenching.ee_keV(T, iso)
    p = np.asarray(experiment.efficiency(eff_energy), dtype=float)
    up = np.inf if experiment.upper_keV is None else experiment.upper_keV
    return p * window_probability(experiment, T, iso, experiment.threshold_keV, up)
