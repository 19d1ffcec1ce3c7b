"""The released COHERENT data: likelihoods, CEvNS rate fits and limits on neutrino electromagnetic properties.

Datasets (:data:`DATASETS`):

* ``coherent-csi-2017``: CsI[Na], first observation (:mod:`.csi2017`);
* ``coherent-lar-2020``: CENNS-10 liquid argon, Analysis A (:mod:`.lar2020`);
* ``coherent-csi-2021``: CsI[Na], full dataset (:mod:`.csi2021`).

Entry points (validated inputs, immutable results):

* :func:`fit` (name) -> :class:`FitResult`: the CEvNS rate fit, ``.record()`` a dict for the command line;
* :func:`limit` (names, parameter, cl) -> dict: a profile-likelihood (Wilks) limit, combined over datasets;
* :func:`profile_curve`: Delta(-2 ln L) on a grid of a parameter;
* :func:`fit_components`: the fitted components per bin, for figures;
* :func:`wilks_check` (names, parameter, n_toys, n_jobs): pseudo-experiments and the coverage-corrected limit.

Parameters: see :mod:`.parameters` (``Lambda1``-``Lambda3``, ``mu_nue``, ``mu_numu``, ``mu_eff`` in 1e-10 mu_B,
``q_nue``, ``q_numu`` in e, ``r2_nue``, ``r2_numu`` in cm^2).
"""

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ...statistics.joint import Combination
from ...statistics.levels import delta_chi2_level
from ...statistics.likelihood import Likelihood, asimov, profile
from ...statistics.limits import parameter_limit
from ...validation import match_name, match_names
from . import csi2017, csi2021, lar2020
from .parameters import EM_PARAMETERS, get_parameter

__all__ = [
    "DATASETS", "OVERLAPPING", "dataset", "FitResult", "fit", "rate_fit", "DATA_KINDS", "fit_components",
    "combined_likelihood", "combination", "limit", "profile_curve", "wilks_check"
]


_MODULES = {csi2017.NAME: csi2017, lar2020.NAME: lar2020, csi2021.NAME: csi2021}


#: The dataset names.
DATASETS = tuple(_MODULES)


#: Pairs of datasets that share events and must not be combined (choice D13).
OVERLAPPING = ((csi2017.NAME, csi2021.NAME),)


def dataset(name):
    """The :class:`~.dataset.Dataset` of a name in :data:`DATASETS` (built once, cached)."""
    return _MODULES[match_name(name, DATASETS, "dataset")].build()


def _names(names):
    return match_names(names, DATASETS, "dataset", OVERLAPPING, reason="the full CsI dataset contains the 2017 data")


def _em_parameter(name):
    return get_parameter(match_name(getattr(name, "name", name), EM_PARAMETERS, "COHERENT parameter"))


@dataclass(frozen=True)
class FitResult:
    """A CEvNS rate fit: fitted and predicted CEvNS events and the fitted nuisances.

    ``n_cevns`` with asymmetric errors (MINOS, events); ``n_cevns_predicted``: our engine's Standard-Model number in
    the same window; ``nuisances``: background events (``<name>_events``) and shape pulls (``<name>_pull``);
    ``m2lnl``: the Poisson deviance at the minimum, with ``n_bins`` bins.
    """

    dataset: str
    n_cevns: float
    n_cevns_err_low: float
    n_cevns_err_high: float
    n_cevns_predicted: float
    nuisances: MappingProxyType
    m2lnl: float
    n_bins: int
    unit: str = "events"

    @property
    def ratio(self):
        """Fitted over predicted CEvNS events."""
        return self.n_cevns / self.n_cevns_predicted

    def record(self):
        """A plain dict (JSON-ready) with the keys of ``cevns fit --format json``."""
        return {"dataset": self.dataset, "n_cevns": self.n_cevns, "n_cevns_err_low": self.n_cevns_err_low,
                "n_cevns_err_high": self.n_cevns_err_high, "n_cevns_predicted": self.n_cevns_predicted,
                "unit": self.unit, **dict(self.nuisances), "m2lnl": self.m2lnl, "n_bins": self.n_bins}


def fit(name):
    """The CEvNS rate fit of a dataset (:class:`FitResult`): the signal scaled freely, backgrounds with priors."""
    return rate_fit(dataset(name))


def rate_fit(d, model=None):
    """The CEvNS rate fit of a :class:`~.dataset.Dataset` object (e.g. one built with other settings, such as
    ``csi2017.build(pe_smearing="none")``), with its rate model or another ``model``: a :class:`FitResult`."""
    name = d.name
    model = d.rate_model if model is None else model
    lik = Likelihood([model], get_parameter("signal_strength"))
    best = lik.minimise(errors=True)
    _, sig = lik.expected(best)[0]
    n = float(sig.sum())
    per_x = n / best.x
    nuis = {}
    for b in model.backgrounds:
        nuis[f"{b.name}_events"] = float(best.nuisances[model.name][b.name] * b.template.sum())
    for s in model.shape_nuisances:
        nuis[f"{s}_pull"] = float(best.nuisances[model.name][s])
    return FitResult(name, n, float(best.errors["x_low"] * per_x), float(best.errors["x_high"] * per_x),
                     d.n_predicted, MappingProxyType(nuis), best.m2lnl, int(model.data.size))


DATA_KINDS = ("observed", "asimov")


def fit_components(name):
    """Expected counts per bin of each component at the best rate fit, and the data: a read-only dict of flat
    arrays ("data", "signal", and one entry per background), for figures (``dataset(name).reshape``)."""
    d = dataset(name)
    lik = Likelihood([d.rate_model], get_parameter("signal_strength"))
    comps = dict(lik.components(lik.minimise())[0])
    comps["data"] = d.rate_model.data
    return MappingProxyType(comps)


def combined_likelihood(names, parameter, data="observed"):
    """The (combined) :class:`~.likelihood.Likelihood` of datasets for an electromagnetic parameter.

    ``data``: "observed" (the released data) or "asimov" (the Standard-Model expectation, for expected limits).
    """
    if data not in DATA_KINDS:
        raise ValueError(f"unknown data {data!r}; allowed: {', '.join(DATA_KINDS)}")
    models = [dataset(n).model for n in _names(names)]
    if data == "asimov":
        models = [asimov(m) for m in models]
    return Likelihood(models, _em_parameter(parameter))


def combination(names, data="observed"):
    """The :class:`~cevns_lib.statistics.Combination` of dataset names (one or several), "observed" or "asimov"."""
    if data not in DATA_KINDS:
        raise ValueError(f"unknown data {data!r}; allowed: {', '.join(DATA_KINDS)}")
    return Combination(_names(names), data, combined_likelihood)


def limit(names, parameter, cl=0.9, data="observed"):
    """Limit on an electromagnetic parameter from one dataset or several combined (profile likelihood, Wilks):
    a :class:`cevns_lib.statistics.Limit` with ``datasets``, ``method``, ``best_fit`` and ``data``.

    For a magnetic moment ``limit`` is the largest allowed value; for a millicharge or charge radius it is the
    largest |x| of the interval containing 0 (nan if the data exclude 0), and ``lower``/``upper`` are that
    interval's ends (or those of the whole allowed set). Values in ``unit``. ``data="asimov"`` gives the expected
    (median) limit for Standard-Model data instead.
    """
    return parameter_limit(combination(names, data), parameter, cl)


def profile_curve(names, parameter, xs, data="observed"):
    """Delta(-2 ln L) profiled over the nuisances at the values ``xs`` (in the parameter's unit) of a parameter,
    relative to the global minimum: (array, best FitPoint in internal units)."""
    lik = combined_likelihood(names, parameter, data)
    xs = np.asarray(xs, dtype=float)
    if xs.ndim != 1 or not np.all(np.isfinite(xs)) or (not lik.parameter.two_sided and np.any(xs < 0)):
        raise ValueError(f"xs must be a 1-D array of finite values (>= 0 for {parameter}), got {xs!r}")
    return profile(lik, xs / lik.parameter.scale)


def _toy_batch(names, parameter, x, seeds):
    from ...statistics.toys import toy_statistics
    return toy_statistics([dataset(n).model for n in names], _em_parameter(parameter), x, seeds)


def wilks_check(names, parameter, n_toys=200, n_jobs=1, points=(0.6, 0.8, 1.0, 1.25), cl=0.9, seed=2026,
                progress=True, batch=25):
    """Check Wilks' theorem for a limit with pseudo-experiments, and give the coverage-corrected limit.

    At each x = f x (Wilks limit) for f in ``points`` (increasing), ``n_toys`` pseudo-experiments give the
    distribution of t(x); its cl-quantile c(x) is the critical value with exact coverage, and the fraction of
    toys with t(x) <= q(cl) is the coverage of the Wilks construction at that x. Toys run in parallel with
    joblib (``n_jobs`` processes) in batches of ``batch``, with a tqdm progress bar (``progress``).

    Returns a dict: parameter, datasets, cl, wilks_limit, corrected_limit (None if outside the points),
    points (list of dicts x, t_obs, critical_value, wilks_coverage), n_toys, seed, method.
    """
    from joblib import Parallel, delayed
    from tqdm import tqdm

    from ...statistics.toys import corrected_limit

    names = _names(names)
    if _em_parameter(parameter).two_sided:
        one_sided = [p for p in EM_PARAMETERS if not get_parameter(p).two_sided]
        raise ValueError(f"wilks_check needs a one-sided parameter (an upper limit); allowed: {', '.join(one_sided)}")
    if isinstance(n_toys, bool) or not isinstance(n_toys, (int, np.integer)) or n_toys < 10:
        raise ValueError(f"n_toys must be an integer >= 10, got {n_toys!r}")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero integer (joblib convention), got {n_jobs!r}")
    pts = np.asarray(points, dtype=float)
    if pts.ndim != 1 or pts.size == 0 or not np.all(np.isfinite(pts)) or np.any(pts <= 0) or np.any(np.diff(pts) <= 0):
        raise ValueError(f"points must be increasing positive multiples of the Wilks limit, got {points!r}")
    q = delta_chi2_level(cl, 1)
    lim = limit(names, parameter, cl).record()
    lik = combined_likelihood(names, parameter)
    best = lik.minimise()
    xs = pts * lim["limit"]
    children = np.random.SeedSequence(seed).spawn(xs.size * n_toys)
    jobs = []
    for i, x in enumerate(xs):
        seeds = children[i * n_toys:(i + 1) * n_toys]
        jobs += [(i, x, seeds[j:j + batch]) for j in range(0, n_toys, batch)]
    run = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_toy_batch)(names, parameter, float(x), s) for _, x, s in jobs)
    results = [[] for _ in xs]
    for (i, _, _), t in zip(jobs, tqdm(run, total=len(jobs), desc=f"toys {parameter}", disable=not progress)):
        results[i].extend(t)
    rows = []
    for x, t in zip(xs, results):
        t = np.array(t)
        t_obs = lik.minimise(x=float(x)).m2lnl - best.m2lnl
        rows.append({"x": float(x), "t_obs": float(t_obs), "critical_value": float(np.quantile(t, cl)),
                     "wilks_coverage": float(np.mean(t <= q))})
    corr = corrected_limit(xs, [r["t_obs"] for r in rows], [r["critical_value"] for r in rows])
    return {"parameter": parameter, "datasets": list(names), "cl": cl, "wilks_limit": lim["limit"],
            "corrected_limit": corr, "unit": lim["unit"], "points": rows, "n_toys": int(n_toys), "seed": seed,
            "method": "pseudo-experiments at each x, nuisances profiled on the data; t(x) quantile (Feldman-Cousins)"}
