"""Detector response in the engine: the recoil window of each isotope and the detection probability.

Recoil energies T in keV of nuclear recoil; probabilities in [0, 1].
"""

import numpy as np
from scipy.special import erfc

from ..detector.quenching import threshold_nr_keV
from ..physics.cross_sections import t_max_keV
from ..validation import check_nonnegative_array

__all__ = ["recoil_threshold_keV", "recoil_range_keV", "detection_probability"]


def recoil_threshold_keV(experiment, iso):
    """The experiment's threshold as a nuclear recoil energy (keVnr) on ``iso``."""
    return threshold_nr_keV(experiment.threshold_keV, experiment.threshold_kind, iso.Z, iso.A, experiment.quenching,
                            iso)


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
    end point of the spectrum, lowered to an upper efficiency cut.
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
    if lower <= 0:
        raise ValueError(f"{experiment.label}: a zero threshold makes the magnetic-moment rate diverge; "
                         f"set threshold_keV > 0")
    e_top = spectrum.line if spectrum.line is not None else spectrum.e_max
    upper = float(t_max_keV(e_top, experiment.physics.mass_MeV(iso)))
    if eff_breaks and experiment.efficiency.closed_above:
        upper = min(upper, eff_breaks[-1])
    inner = tuple(b for b in eff_breaks if lower < b < upper)
    if smeared:
        t_sharp = recoil_threshold_keV(experiment, iso)
        if lower < t_sharp < upper:
            inner = tuple(sorted(set(inner) | {t_sharp}))
    return lower, upper, inner


def detection_probability(experiment, T_keV, iso):
    """Probability that a recoil of T (keVnr) on ``iso`` is detected: efficiency times threshold acceptance.

    With a Gaussian resolution the acceptance is the probability that the measured energy exceeds the threshold
    (choice E4); without one it is a sharp step at the recoil threshold.
    """
    T = check_nonnegative_array(T_keV, "recoil energy T_keV")
    eff_energy = T if experiment.efficiency.energy == "nr" else experiment.quenching.ee_keV(T, iso)
    p = np.asarray(experiment.efficiency(eff_energy), dtype=float)
    sigma0 = float(experiment.resolution.sigma_keV_at(experiment.threshold_keV))
    if sigma0 > 0:
        E = _visible_keV(experiment, T, iso)
        sig = experiment.resolution.sigma_keV_at(E)
        p = p * 0.5 * erfc((experiment.threshold_keV - E) / (np.sqrt(2.0) * sig))
    else:
        t_thr = recoil_threshold_keV(experiment, iso)
        p = np.where(T >= t_thr * (1 - 1e-12), p, 0.0)
    return p
