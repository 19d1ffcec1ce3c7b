"""The binned experiment: an experiment file with bins, backgrounds and data as one more statistic of the core.

An experiment whose ``statistic`` is "binned-poisson" is analysed with the binned Poisson likelihood of
:mod:`.likelihood` (the one the released COHERENT data use), built from the engine's events per bin
(:func:`cevns_lib.engine.binned_yields`):

    mu_b(x, nu) = a [sum_{c,k} (c0 + c1 x + c2 x^2)_{c,k} B_b[c, k] + h(theta_q; U_b, D_b)] + sum_j r_j T_jb,

with B_b[c, k] the events of term k of component c in bin b, the parameter's coefficients of
:func:`~.binding.bind`, a the signal normalisation (Gaussian prior of width ``sigma_signal``: flux and cross
section, multiplying SM and new-physics events), r_j the background normalisations (Gaussian prior of width
``sigma``, or free) and theta_q the quenching nuisance (unit Gaussian prior; U, D the changes of the signal
with k +- sigma_k). With a source-off exposure the bins are doubled: the off bins hold the backgrounds alone
(scaled by the off exposure) and share their normalisations, so the off data constrain them. Every nuisance
is profiled with iminuit (MIGRAD); :func:`binned_fit` records their pulls.

``data``: "observed" (the file's ``[data]``), "asimov" (the Standard-Model expectation with every nuisance at
its nominal value: the expected result), or None (observed if the file has data, else Asimov).
"""

import dataclasses
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..engine.binned import binned_yields
from ..engine.yields import check_finite_terms
from ..experiment.experiment import BINNED_STATISTICS, check_experiment
from ..physics.mixing import DE_SALAS_2018_NO
from ..validation import frozen_copy
from .binding import bind
from .counting import parameter_components
from .likelihood import Background, Likelihood, Model, SignalShape, asimov
from .statistic import LikelihoodStatistic

__all__ = ["DATA_KINDS", "METHOD", "experiment_model", "bound_parameter", "asimov_experiment", "binned_likelihood",
           "binned_statistic", "BinnedFit", "binned_fit", "pulls", "Spectrum", "binned_spectrum"]


#: What data a binned experiment is analysed with.
DATA_KINDS = ("observed", "asimov")


#: How a binned experiment's limits are made.
METHOD = "binned Poisson likelihood, nuisances profiled (iminuit), Wilks: Delta(-2 ln L) = q(cl)"


def _check_binned(experiment):
    check_experiment(experiment)
    if experiment.statistic not in BINNED_STATISTICS:
        raise ValueError(f"{experiment.name}: statistic {experiment.statistic!r} is not binned; set "
                         f"[analysis] statistic = \"binned-poisson\" with bin_edges_keV")


def _data_kind(experiment, data):
    if data is None:
        return "observed" if experiment.data_counts is not None else "asimov"
    if data not in DATA_KINDS:
        raise ValueError(f"unknown data {data!r}; allowed: {', '.join(DATA_KINDS)}")
    if data == "observed" and experiment.data_counts is None:
        raise ValueError(f"{experiment.name}: no observed data (a [data] table with counts); use data='asimov'")
    return data


def _basis(experiment, keys, pad):
    """Per-bin events of (component, term) keys from the engine, with ``pad`` zero bins appended (off bins)."""
    by = binned_yields(experiment)
    out = {}
    for comp, term in keys:
        v = by.terms[comp][term]
        out[(comp, term)] = frozen_copy(np.concatenate([v, np.zeros(pad)]))
    check_finite_terms(experiment.label, {k: v for (_, k), v in out.items()})
    return out


def experiment_model(experiment, binding, data=None):
    """The :class:`~.likelihood.Model` of a binned experiment for a parameter bound to its components
    (a :class:`~.binding.Binding`, or anything with ``coefficients``): see the module docstring."""
    _check_binned(experiment)
    kind = _data_kind(experiment, data)
    by = binned_yields(experiment)
    n = by.n_bins
    edges = by.edges_keV
    off = experiment.off_exposure_s is not None
    pad = n if off else 0
    keys = tuple(k for k in binding.coefficients if k[0] in by.terms)
    basis = _basis(experiment, keys, pad)
    shapes = []
    for name, up, down in experiment.quenching_variations:
        deltas = []
        for q in (up, down):
            varied = _basis(dataclasses.replace(experiment, quenching=q, quenching_variations=()), keys, pad)
            deltas.append(MappingProxyType({k: frozen_copy(varied[k] - basis[k]) for k in keys}))
        shapes.append(SignalShape(name, deltas[0], deltas[1]))
    backgrounds = []
    for b in experiment.backgrounds:
        on = b.expected(edges, experiment.kg_days)
        t = on
        if off:
            ratio = experiment.off_exposure_s / experiment.exposure_s
            t = np.concatenate([on, on * ratio if b.model == "counts" else b.expected(edges, experiment.off_kg_days)])
        if b.prior == "gauss":
            backgrounds.append(Background(b.name, frozen_copy(t), "gauss", b.sigma))
        else:
            backgrounds.append(Background(b.name, frozen_copy(t), "free"))
    model = Model(experiment.name, frozen_copy(np.zeros(n + pad)), MappingProxyType(basis), tuple(backgrounds),
                  signal_sigma=experiment.signal_sigma, signal_shapes=tuple(shapes))
    if kind == "asimov":
        return asimov(model)
    counts = np.array(experiment.data_counts, dtype=float)
    if off:
        counts = np.concatenate([counts, np.array(experiment.data_off_counts, dtype=float)])
    return model.with_observations(counts)


def bound_parameter(experiment, parameter, beam=None, params=DE_SALAS_2018_NO):
    """The :class:`~.binding.Binding` of a parameter (name or Parameter) to the components of a beam selection
    (default: all) of an experiment."""
    from ..sources.components import DEFAULT_SELECTION

    p, comps = parameter_components(experiment, parameter, DEFAULT_SELECTION if beam is None else beam)
    return bind(p, comps, params)


def asimov_experiment(experiment):
    """The same binned experiment without its observed data: its results are the expected (Asimov) ones."""
    _check_binned(experiment)
    return experiment.replace(data_counts=None, data_off_counts=None)


def binned_likelihood(experiment, binding, data=None):
    """The :class:`~.likelihood.Likelihood` of a binned experiment for a bound parameter."""
    return Likelihood([experiment_model(experiment, binding, data)], binding)


def binned_statistic(experiment, binding, data=None):
    """The statistic of a binned experiment for a bound parameter (:class:`~.statistic.LikelihoodStatistic`);
    :func:`cevns_lib.statistics.parameter_limit` uses it for every binned experiment."""
    return LikelihoodStatistic(binned_likelihood(experiment, binding, data), "binned-poisson", experiment.name,
                               METHOD)


def pulls(likelihood, point):
    """{nuisance: (value - prior centre) / prior width} at a :class:`~.likelihood.FitPoint` of a one-model
    likelihood: the signal normalisation, the Gaussian background normalisations and the shape nuisances (free
    normalisations have no pull). Read-only."""
    model = likelihood.models[0]
    nu = point.nuisances[model.name]
    out = {}
    if model.signal_sigma > 0:
        out["signal_norm"] = (nu["signal_norm"] - model.gauss_aux.get("signal_norm", 1.0)) / model.signal_sigma
    for b in model.backgrounds:
        if b.prior == "gauss":
            out[b.name] = (nu[b.name] - model.gauss_aux.get(b.name, 1.0)) / b.sigma
    for s in model.shape_nuisances:
        out[s] = nu[s] - model.shape_aux.get(s, 0.0)
    return MappingProxyType({k: float(v) for k, v in out.items()})


@dataclass(frozen=True)
class BinnedFit:
    """The best fit of a binned experiment for one parameter: ``best_fit`` (parameter unit), ``m2lnl`` (the
    Poisson deviance plus the priors' -2 ln, at ``n_bins`` bins), the fitted ``nuisances`` and their ``pulls``
    (read-only), the expected counts per bin of each component (``components``: "signal" and each background,
    source-on bins first) and the ``data`` fitted; ``valid``: MIGRAD's verdict."""

    experiment: str
    parameter: str
    unit: str
    best_fit: float
    m2lnl: float
    n_bins: int
    nuisances: MappingProxyType
    pulls: MappingProxyType
    components: MappingProxyType
    data: np.ndarray
    valid: bool

    def record(self):
        """A JSON-ready dict: experiment, parameter, best_fit, unit, m2lnl, n_bins, and the pulls (pull_<name>)."""
        return {"experiment": self.experiment, "parameter": self.parameter, "best_fit": self.best_fit,
                "unit": self.unit, "m2lnl": self.m2lnl, "n_bins": self.n_bins,
                **{f"pull_{k}": v for k, v in self.pulls.items()}}


def binned_fit(experiment, parameter, data=None, beam=None, params=DE_SALAS_2018_NO):
    """The best fit of a binned experiment for a parameter (a name), with every nuisance profiled: a
    :class:`BinnedFit`."""
    lik = binned_likelihood(experiment, bound_parameter(experiment, parameter, beam, params), data)
    best = lik.minimise()
    comps = {k: frozen_copy(v) for k, v in lik.components(best)[0].items()}
    model = lik.models[0]
    return BinnedFit(experiment.name, lik.parameter.name, lik.parameter.unit, float(best.x * lik.parameter.scale),
                     float(best.m2lnl), int(model.data.size), best.nuisances[model.name], pulls(lik, best),
                     MappingProxyType(comps), frozen_copy(model.data), bool(best.valid))


#: Record-key spelling of each parameter unit, to the first and the second power.
_UNIT_KEYS = {"1e-10 mu_B": ("1e-10_muB", "1e-10_muB_sq"), "e": ("e", "e_sq"), "cm^2": ("cm2", "cm4")}


def _unit_key(unit, power):
    first, second = _UNIT_KEYS.get(unit, (unit.replace(" ", "_"), unit.replace(" ", "_") + "_sq"))
    return f"per_{first if power == 1 else second}"


@dataclass(frozen=True)
class Spectrum:
    """Events per bin of an experiment (read-only arrays; energies in keV of ``energy``, "nr" or "ee").

    ``n_sm``: Standard-Model events; ``backgrounds``: {name: expected events} (source-on exposure);
    ``new_physics``: {parameter: (a, b)} with the extra events a x + b x^2 per bin for x in the parameter's unit
    (``units``: {parameter: unit}); ``data``: the observed counts or None.
    """

    experiment: str
    energy: str
    edges_keV: np.ndarray
    n_sm: np.ndarray
    backgrounds: MappingProxyType
    new_physics: MappingProxyType
    units: MappingProxyType
    data: np.ndarray | None

    @property
    def n_background(self):
        """All backgrounds per bin."""
        return frozen_copy(sum(self.backgrounds.values()) if self.backgrounds else np.zeros_like(self.n_sm))

    def extra_events(self, parameter, value):
        """The extra events per bin at ``value`` (in the parameter's unit) of one parameter."""
        a, b = self.new_physics[parameter]
        return frozen_copy(a * value + b * value * value)

    def records(self):
        """One JSON-ready dict per bin: bin_low_keV, bin_high_keV, energy, n_sm, n_background, per parameter its
        events per unit (``<name>_per_<unit>``, linear term) and per unit squared (``<name>_per_<unit>_sq``), the
        observed counts (``data``) and ``unit`` = "events"."""
        out = []
        for i in range(self.n_sm.size):
            rec = {"bin_low_keV": float(self.edges_keV[i]), "bin_high_keV": float(self.edges_keV[i + 1]),
                   "energy": self.energy, "n_sm": float(self.n_sm[i]), "n_background": float(self.n_background[i])}
            for name, (a, b) in self.new_physics.items():
                unit = self.units[name]
                if np.any(a):
                    rec[f"{name}_{_unit_key(unit, 1)}"] = float(a[i])
                rec[f"{name}_{_unit_key(unit, 2)}"] = float(b[i])
            rec["data"] = None if self.data is None else float(self.data[i])
            rec["unit"] = "events"
            out.append(rec)
        return out


def binned_spectrum(experiment, edges_keV=None, parameters=None, beam=None, params=DE_SALAS_2018_NO):
    """The :class:`Spectrum` of an experiment: its bins (or ``edges_keV``, keV of the threshold's energy), the
    Standard-Model and background events and the new-physics events per unit of each parameter (default: every
    parameter its neutrinos constrain, :func:`cevns_lib.statistics.constrained_parameters`)."""
    from .limits import constrained_parameters

    check_experiment(experiment)
    by = binned_yields(experiment, edges_keV)
    edges = by.edges_keV
    names = constrained_parameters(experiment) if parameters is None else tuple(parameters)
    new, units = {}, {}
    for name in names:
        binding = bound_parameter(experiment, name, beam, params)
        keys = [k for k in binding.coefficients if k[0] in by.terms and k[1] != "sm"]
        check_finite_terms(experiment.label, {k[1]: by.terms[k[0]][k[1]] for k in keys}, f"the {name} spectrum")
        a = sum((binding.coefficients[k][1] * by.terms[k[0]][k[1]] for k in keys), np.zeros(by.n_bins))
        b = sum((binding.coefficients[k][2] * by.terms[k[0]][k[1]] for k in keys), np.zeros(by.n_bins))
        new[binding.name] = (frozen_copy(a / binding.scale), frozen_copy(b / binding.scale**2))
        units[binding.name] = binding.unit
    same_bins = experiment.statistic in BINNED_STATISTICS and np.array_equal(edges, np.array(experiment.bins_keV))
    bkgs = ({b.name: frozen_copy(b.expected(edges, experiment.kg_days)) for b in experiment.backgrounds}
            if same_bins else {})
    data = frozen_copy(experiment.data_counts) if same_bins and experiment.data_counts is not None else None
    return Spectrum(experiment.name, by.energy, edges, by.n_sm, MappingProxyType(bkgs), MappingProxyType(new),
                    MappingProxyType(units), data)
