"""One-parameter limits on any electromagnetic parameter, from any statistic: one :class:`Limit` type.

For an experiment, :func:`experiment_statistic` binds the parameter to the experiment's incident neutrinos
(:func:`~.binding.bind`) and builds its statistic from the event numbers of the engine: the extra events over
the Standard Model are X(x) = a x + b x^2, with a = 0 for the magnetic moments and a != 0 for millicharges and
charge radii, whose amplitude interferes with the weak one. A data set (the released data) provides its own
statistic (an object with a ``statistic(parameter)`` method). :func:`statistic_limit` turns any statistic into a
:class:`Limit` the same way:

1. the allowed set {x : Delta chi^2(x) <= level} (:meth:`~.statistic.Statistic.intervals`): one interval around
   the best fit, or two when the data exclude the Standard Model (the second is the well-known "other" solution
   where the interference flips the sign of the amplitude);
2. the limit: the upper end for a one-sided parameter (moments); for a two-sided one, the largest |x| of the
   interval containing 0 (nan if 0 is excluded).

:func:`parameter_limit` does both for an experiment or a data set; :meth:`Limit.record` is what ``cevns limits``
prints.
"""

from dataclasses import dataclass, field

import numpy as np

from ..engine.yields import event_yields
from ..experiment.experiment import Experiment
from ..physics.mixing import DE_SALAS_2018_NO
from ..physics.parameters import get_parameter
from ..sources.components import DEFAULT_SELECTION
from ..validation import check_finite_scalar
from .binding import bind
from .counting import analysis, beam_components, mass_state_beam, require_mass_states
from .levels import check_level, delta_chi2_level
from .statistic import CountingStatistic

__all__ = ["Limit", "statistic_limit", "experiment_statistic", "excess_coefficients", "parameter_limit",
           "constrained_parameters"]


@dataclass(frozen=True)
class Limit:
    """A one-parameter confidence region (values in ``unit``).

    ``intervals``: the allowed intervals ((lo, hi), ...); ``limit``: the upper limit of a one-sided parameter
    (moments), or for a two-sided one the largest |x| of the interval containing 0 (inf if unbounded, nan if 0 is
    excluded); ``lower``/``upper``: the ends of that interval (or of the whole allowed set when 0 is excluded);
    ``level``: the Delta chi^2 used, for the confidence level ``cl``; ``best_fit``: x at the minimum;
    ``experiment``: what the limit belongs to (an experiment's name, or the data sets joined by "+");
    ``statistic`` and ``method``: how it was made; ``beam``: the incident components used (experiments);
    ``datasets`` and ``data`` ("observed" or "asimov"): for the released data; ``excess_interval``: the allowed
    extra events [X_lo, X_hi] of a counting statistic.
    """

    experiment: str
    parameter: str
    unit: str
    cl: float
    level: float
    statistic: str
    intervals: tuple
    limit: float
    lower: float
    upper: float
    best_fit: float
    method: str = ""
    beam: str | None = None
    datasets: tuple = ()
    data: str = ""
    excess_interval: tuple | None = field(default=None, compare=False)

    def record(self):
        """A JSON-ready dict: experiment, parameter, limit, lower, upper, intervals, unit, cl, delta_chi2,
        best_fit, statistic, method, beam, datasets, data (non-finite numbers are None)."""
        def clean(v):
            return float(v) if v is not None and np.isfinite(v) else None
        return {"experiment": self.experiment, "parameter": self.parameter, "limit": clean(self.limit),
                "lower": clean(self.lower), "upper": clean(self.upper),
                "intervals": [[clean(a), clean(b)] for a, b in self.intervals], "unit": self.unit, "cl": self.cl,
                "delta_chi2": self.level, "best_fit": clean(self.best_fit), "statistic": self.statistic,
                "method": self.method, "beam": self.beam, "datasets": list(self.datasets) or None,
                "data": self.data or None}


def statistic_limit(stat, cl=0.90, level=None, **labels):
    """The :class:`Limit` of a statistic (:mod:`.statistic`) at confidence level ``cl`` (or at a Delta chi^2
    ``level``). ``labels``: fields of the Limit to set (beam, datasets, data)."""
    cl = check_finite_scalar(cl, "cl")
    level = delta_chi2_level(cl, 1) if level is None else check_level(level)
    intervals = stat.intervals(level)
    if not stat.parameter.two_sided:
        lower, upper = intervals[0][0], intervals[-1][1]
        value = upper
    else:
        around = [iv for iv in intervals if iv[0] <= 0.0 <= iv[1]]
        lower, upper = around[0] if around else (intervals[0][0], intervals[-1][1])
        value = max(abs(lower), abs(upper)) if around else np.nan
    excess = None
    if hasattr(stat, "excess_interval"):
        iv = stat.excess_interval(level)
        excess = (iv.lo, iv.hi)
    best, _ = stat.best_fit()
    return Limit(experiment=stat.label, parameter=stat.parameter.name, unit=stat.parameter.unit, cl=cl, level=level,
                 statistic=stat.name, intervals=tuple((float(a), float(b)) for a, b in intervals), limit=float(value),
                 lower=float(lower), upper=float(upper), best_fit=float(best), method=stat.method,
                 excess_interval=excess, **labels)


def _components(experiment, parameter, beam):
    p = get_parameter(parameter)
    if p.kind == "transition":
        require_mass_states(experiment)
        if experiment.mass_state_components:
            return p, mass_state_beam(experiment, beam)
    comps = beam_components(experiment, beam)
    if p.flavour is not None:
        comps = tuple(c for c in comps if c.flavour == p.flavour)
        if not comps:
            raise ValueError(f"{experiment.name} (beam {beam!r}) has no nu_{p.flavour} or anti-nu_{p.flavour}: "
                             f"{p.name} is unconstrained by it")
    return p, comps


def excess_coefficients(experiment, parameter, beam=None, params=DE_SALAS_2018_NO):
    """(a, b) with X(x) = a x + b x^2 (events) for ``parameter`` in its own unit, summed over the beam selection."""
    beam = DEFAULT_SELECTION if beam is None else beam
    p, comps = _components(experiment, parameter, beam)
    counts = event_yields(experiment).counts()
    return bind(p, comps, params, scale=1.0).excess_coefficients(counts)


def experiment_statistic(experiment, parameter, beam=None, params=DE_SALAS_2018_NO):
    """The statistic of an experiment for one parameter: its own ``statistic`` (counting, or the COHERENT 2017 CsI
    chi-square) applied to the extra events of the parameter over the selected components (default: all)."""
    beam = DEFAULT_SELECTION if beam is None else beam
    p, comps = _components(experiment, parameter, beam)
    a, b = excess_coefficients(experiment, p, beam, params)
    chi2 = analysis(experiment, beam, params=params)
    return CountingStatistic(chi2, a, b, bind(p, comps, params, scale=1.0), experiment.statistic, experiment.name)


def parameter_limit(target, parameter, cl=0.90, beam=None, params=DE_SALAS_2018_NO, level=None):
    """The one-parameter confidence region of ``parameter`` (a :class:`Limit`), with the target's own statistic.

    Parameters
    ----------
    target : an :class:`~cevns_lib.experiment.Experiment`, or a data set (anything with a ``statistic(parameter)``
        method, e.g. ``cevns_lib.coherent.combination("coherent-lar-2020")``).
    parameter : a name of :data:`cevns_lib.physics.PARAMETERS` ("Lambda1", "mu_nue", "q_numu", "r2_nue", ...).
    cl : confidence level (0.90 by default; Delta chi^2 from :func:`cevns_lib.statistics.delta_chi2_level`).
    beam : selection of incident components ("all", "prompt", "delayed", "e-flavour", ...; experiments only).
    level : a Delta chi^2 to use instead of the one of ``cl``.
    """
    if isinstance(target, Experiment):
        beam = DEFAULT_SELECTION if beam is None else beam
        stat = experiment_statistic(target, parameter, beam, params)
        return statistic_limit(stat, cl, level, beam=beam)
    if not hasattr(target, "statistic"):
        raise TypeError(f"target must be a cevns_lib.experiment.Experiment or a data set with a statistic(parameter) "
                        f"method, got {target!r}")
    if beam is not None:
        raise ValueError("beam applies to experiments; a data set uses its own components")
    stat = target.statistic(parameter)
    return statistic_limit(stat, cl, level, datasets=tuple(getattr(target, "names", ())),
                           data=getattr(target, "data", ""))


def constrained_parameters(experiment):
    """The names of the parameters an experiment's neutrinos can constrain (its default list of limits): those of a
    flavour its source carries, and the transition moments only where the mass-state content is known."""
    from ..physics.parameters import PARAMETERS

    out = []
    for name, p in PARAMETERS.items():
        if p.kind == "transition":
            try:
                require_mass_states(experiment)
            except ValueError:
                continue
        if p.flavour is None or any(c.flavour == p.flavour for c in experiment.components):
            out.append(name)
    return tuple(out)
