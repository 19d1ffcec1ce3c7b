"""Delta chi^2 profiles of one parameter for any target: an experiment (counting or binned) or released data.

:func:`parameter_profile` evaluates the target's own statistic (:func:`cevns_lib.statistics.experiment_statistic`
for an experiment, ``target.statistic(parameter)`` for a data set) at given values of the parameter, profiled
over its nuisances, and returns a :class:`Profile` beside the one-parameter limit at the same level.
"""

from dataclasses import dataclass

import numpy as np

from ..experiment.experiment import Experiment
from ..physics.mixing import DE_SALAS_2018_NO
from ..sources.components import DEFAULT_SELECTION
from ..validation import check_finite_array
from .levels import delta_chi2_level
from .limits import experiment_statistic

__all__ = ["Profile", "target_statistic", "parameter_profile"]


@dataclass(frozen=True)
class Profile:
    """Delta chi^2 (Delta(-2 ln L)) at ``values`` of ``parameter`` (in ``unit``; read-only arrays), from the
    minimum at ``best_fit``; ``level``: the Delta chi^2 of ``cl`` (one parameter), for the allowed set."""

    experiment: str
    parameter: str
    unit: str
    values: np.ndarray
    delta_chi2: np.ndarray
    best_fit: float
    statistic: str
    cl: float
    level: float

    def records(self):
        """One JSON-ready dict per value: experiment, parameter, value, delta_chi2, allowed, unit, cl."""
        return [{"experiment": self.experiment, "parameter": self.parameter, "value": float(v),
                 "delta_chi2": float(d), "allowed": bool(d <= self.level), "unit": self.unit, "cl": self.cl}
                for v, d in zip(self.values, self.delta_chi2)]


def target_statistic(target, parameter, beam=None, params=DE_SALAS_2018_NO):
    """The statistic of a parameter for an experiment (its own statistic) or a data set (``statistic(...)``)."""
    if isinstance(target, Experiment):
        return experiment_statistic(target, parameter, DEFAULT_SELECTION if beam is None else beam, params)
    if not hasattr(target, "statistic"):
        raise TypeError(f"target must be a cevns_lib.experiment.Experiment or a data set with a statistic(parameter) "
                        f"method, got {target!r}")
    if beam is not None:
        raise ValueError("beam applies to experiments; a data set uses its own components")
    return target.statistic(parameter)


def parameter_profile(target, parameter, values, cl=0.90, beam=None, params=DE_SALAS_2018_NO):
    """Delta chi^2 of ``parameter`` at ``values`` (a 1-D array in the parameter's unit; >= 0 for a moment) with
    the target's own statistic, profiled over its nuisances: a :class:`Profile`."""
    stat = target_statistic(target, parameter, beam, params)
    values = check_finite_array(values, f"values of {stat.parameter.name} ({stat.parameter.unit})")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a 1-D array of {stat.parameter.name} values, got shape {values.shape}")
    d = np.array(stat.profile(values), dtype=float)
    d.flags.writeable = False
    v = values.copy()
    v.flags.writeable = False
    best, _ = stat.best_fit()
    return Profile(stat.label, stat.parameter.name, stat.parameter.unit, v, d, float(best), stat.name, float(cl),
                   delta_chi2_level(cl, 1))
