"""Toy-calibrated limits, the coverage of the Wilks limits, Feldman-Cousins intervals and expected bands.

Any likelihood statistic (a binned experiment file, the released data) is calibrated the same way. For a
true value x, pseudo-experiments are drawn from the model at x with the nuisances profiled on the data
(:func:`~.toys.toy_statistics`: Poisson bin counts, Gaussian-prior centres drawn around the profiled values),
and t(x) = Delta(-2 ln L)(x) is computed for each. Its cl-quantile c(x) is the critical value of exact coverage
(the Neyman construction with the likelihood-ratio ordering of Feldman and Cousins, with the nuisances
profiled: choice E16). Then

* ``limit_toys``: the toy-calibrated limit, the x where t_obs(x) = c(x) (c interpolated linearly between the
  points tested): the upper limit of a one-sided parameter, the ends of the Feldman-Cousins interval around
  zero of a two-sided one (millicharges, charge radii);
* ``coverage_wilks``: the fraction of the toys drawn at the Wilks limit whose t(x) stays below the Wilks level
  q(cl), i.e. the coverage of the Wilks construction there (for a two-sided parameter, at the end with the
  larger |x|, choice E16; both ends are recorded).

:func:`expected_band` gives the median expected (Asimov-world) limit with its +-1 sigma and +-2 sigma bands from
toys drawn at the Standard Model.

Toys run through joblib (``n_jobs`` processes); with ``scheduler`` (the address of a Dask scheduler, or a
``dask.distributed.Client``) the same batches run on the Dask cluster through joblib's Dask backend. Every toy
has its own seed (np.random.SeedSequence(seed).spawn), so the results do not depend on the backend, the
number of jobs or the batching. A progress bar (tqdm, stderr) is shown only with ``progress=True``.
"""

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..validation import check_finite_scalar
from .levels import delta_chi2_level
from .likelihood import Likelihood, allowed_region
from .limits import statistic_limit
from .statistic import LikelihoodStatistic
from .toys import corrected_limit, toy_models, toy_statistics

__all__ = ["ONE_SIDED_POINTS", "TWO_SIDED_POINTS", "BATCH", "ToyLimit", "toy_limit", "ExpectedBand", "expected_band",
           "run_batches"]


#: Multiples of the Wilks limit at which a one-sided limit is calibrated (the toy limit must lie inside).
ONE_SIDED_POINTS = (0.7, 0.85, 1.0, 1.15, 1.3)
#: Multiples of each end of the Wilks interval at which a two-sided interval is calibrated.
TWO_SIDED_POINTS = (0.7, 0.85, 1.0, 1.15, 1.3)
#: Toys per joblib/Dask task.
BATCH = 25


def _check_count(n, name, minimum):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}")
    return int(n)


def _likelihood_of(stat):
    lik = getattr(stat, "likelihood", None)
    if not isinstance(lik, Likelihood):
        raise ValueError(f"{stat.label}: pseudo-experiments need a likelihood statistic (statistic 'binned-poisson' "
                         f"or a released data set); {stat.name!r} is a counting chi-square")
    return lik


def _fresh(stat):
    """A copy of a likelihood statistic without the warm starts of earlier fits, so that the same call gives the
    same numbers whatever was computed before (and on any backend)."""
    lik = _likelihood_of(stat)
    return LikelihoodStatistic(Likelihood(lik.models, lik.parameter), stat.name, stat.label, stat.method)


def _toy_batch(models, binding, x, seeds):
    return toy_statistics(models, binding, x, seeds)


def _limit_batch(models, binding, cl, seeds):
    """Wilks limits (internal units) of pseudo-experiments drawn at the Standard Model (x = 0)."""
    lik = Likelihood(models, binding)
    truth = lik.minimise(x=0.0)
    out = []
    for seed in seeds:
        toy = Likelihood(toy_models(lik, truth, np.random.default_rng(seed)), binding)
        region, _ = allowed_region(toy, cl)
        if binding.two_sided:
            around = [iv for iv in region if iv[0] <= 0.0 <= iv[1]]
            lo, hi = around[0] if around else (region[0][0], region[-1][1])
            out.append(max(abs(lo), abs(hi)) if around else np.nan)
        else:
            out.append(region[-1][1])
    return np.array(out)


def run_batches(func, tasks, n_jobs=1, scheduler=None, progress=False, desc="toys"):
    """Run ``func(*task)`` for every task with joblib (``n_jobs`` processes), or on a Dask cluster through joblib's
    Dask backend (``scheduler``: an address such as "tcp://127.0.0.1:8786" or a dask.distributed Client).
    Results come back in the order of ``tasks``."""
    from joblib import Parallel, delayed, parallel_config
    from tqdm import tqdm

    tasks = list(tasks)
    calls = (delayed(func)(*t) for t in tasks)
    if scheduler is None:
        if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
            raise ValueError(f"n_jobs must be a non-zero integer (joblib convention), got {n_jobs!r}")
        run = Parallel(n_jobs=int(n_jobs), return_as="generator")(calls)
        return list(tqdm(run, total=len(tasks), desc=desc, disable=not progress))
    try:
        from dask.distributed import Client
    except ImportError:
        raise ValueError("scheduler needs dask.distributed: pip install 'dask[distributed]'") from None
    client = scheduler if isinstance(scheduler, Client) else None
    own = client is None
    if own:
        try:
            client = Client(scheduler, timeout=10)
        except (OSError, TimeoutError) as exc:
            raise ValueError(f"scheduler {scheduler!r}: cannot connect to a Dask scheduler ({exc})") from None
    try:
        with parallel_config(backend="dask", client=client, wait_for_workers_timeout=30):
            run = Parallel(return_as="generator")(calls)
            return list(tqdm(run, total=len(tasks), desc=desc, disable=not progress))
    finally:
        if own:
            client.close()


def _toys_at(lik, xs, n_toys, seed, n_jobs, scheduler, progress, desc):
    """t(x) of ``n_toys`` pseudo-experiments at each internal x: a list of arrays (seeds: one per toy)."""
    children = np.random.SeedSequence(seed).spawn(len(xs) * n_toys)
    tasks, owner = [], []
    for i, x in enumerate(xs):
        seeds = children[i * n_toys:(i + 1) * n_toys]
        for j in range(0, n_toys, BATCH):
            tasks.append((lik.models, lik.parameter, float(x), seeds[j:j + BATCH]))
            owner.append(i)
    results = run_batches(_toy_batch, tasks, n_jobs, scheduler, progress, desc)
    out = [[] for _ in xs]
    for i, t in zip(owner, results):
        out[i].extend(t)
    return [np.array(t) for t in out]


@dataclass(frozen=True)
class ToyLimit:
    """A toy-calibrated limit beside its Wilks :class:`~.limits.Limit` (values in ``unit``).

    ``limit_toys``: the toy-calibrated limit (None if the crossing lies outside the points tested);
    ``lower_toys``/``upper_toys``: the ends of the calibrated interval around zero (two-sided parameters: the
    Feldman-Cousins interval; one-sided: 0 and ``limit_toys``); ``coverage_wilks``: the coverage of the Wilks
    limit; ``coverage_ends``: (lower end, upper end) coverages of a two-sided parameter; ``points``: per point
    tested, (x, t_obs, critical value, Wilks coverage) as read-only dicts; ``n_toys`` per point, ``seed``.
    """

    wilks: object
    limit_toys: float | None
    lower_toys: float | None
    upper_toys: float | None
    coverage_wilks: float
    coverage_ends: tuple
    points: tuple
    n_toys: int
    seed: int
    method: str

    def record(self):
        """The Wilks limit's record with limit_toys, lower_toys, upper_toys, coverage_wilks, n_toys and seed."""
        def clean(v):
            return None if v is None or not np.isfinite(v) else float(v)
        return {**self.wilks.record(), "limit_toys": clean(self.limit_toys), "lower_toys": clean(self.lower_toys),
                "upper_toys": clean(self.upper_toys), "coverage_wilks": clean(self.coverage_wilks),
                "n_toys": self.n_toys, "seed": self.seed}


def _crossing(xs, t_obs, crit):
    return corrected_limit(xs, t_obs, crit)


def toy_limit(stat, cl=0.90, n_toys=200, n_jobs=1, seed=2026, scheduler=None, progress=False, points=None,
              **labels):
    """The toy-calibrated limit of a likelihood statistic (see the module docstring): a :class:`ToyLimit`.

    Parameters
    ----------
    stat : a :class:`~.statistic.LikelihoodStatistic` (e.g. ``experiment_statistic(experiment, "mu_nue")`` of a
        binned experiment, or ``coherent.combination(...).statistic(...)``).
    cl : confidence level; n_toys : pseudo-experiments per point (>= 10); n_jobs : joblib processes;
    seed : the seed of every toy's generator; scheduler : a Dask scheduler address or Client (None: joblib);
    points : multiples of the Wilks limit (one-sided) or of each end of the Wilks interval (two-sided) to test,
        increasing (default :data:`ONE_SIDED_POINTS` / :data:`TWO_SIDED_POINTS`); labels : fields of the Limit.
    """
    stat = _fresh(stat)
    lik = stat.likelihood
    cl = check_finite_scalar(cl, "cl")
    n_toys = _check_count(n_toys, "n_toys", 10)
    seed = _check_count(seed, "seed", 0)
    q = delta_chi2_level(cl, 1)
    wilks = statistic_limit(stat, cl, **labels)
    two = stat.parameter.two_sided
    mult = np.asarray(points if points is not None else (TWO_SIDED_POINTS if two else ONE_SIDED_POINTS), float)
    if mult.ndim != 1 or mult.size < 2 or np.any(mult <= 0) or np.any(np.diff(mult) <= 0):
        raise ValueError(f"points must be at least two increasing positive multiples, got {points!r}")
    s = stat.binding.scale
    if not two:
        if not np.isfinite(wilks.limit):
            raise ValueError(f"{stat.label}: the Wilks limit on {stat.parameter.name} is unbounded; "
                             "nothing to calibrate")
        xs = mult * wilks.limit
        ends = (xs,)
    else:
        if not (np.isfinite(wilks.lower) and np.isfinite(wilks.upper)) or not wilks.lower < 0 < wilks.upper:
            raise ValueError(f"{stat.label}: the Wilks interval of {stat.parameter.name} does not contain 0 "
                             "with finite ends; nothing to calibrate")
        ends = (mult[::-1] * wilks.lower, mult * wilks.upper)
        xs = np.concatenate(ends)
    toys = _toys_at(lik, xs / s, n_toys, seed, n_jobs, scheduler, progress, f"toys {stat.parameter.name}")
    t_obs = np.asarray(stat.delta_chi2(xs))
    crit = np.array([np.quantile(t, cl) for t in toys])
    cover = np.array([np.mean(t <= q) for t in toys])
    rows = tuple(MappingProxyType({"x": float(x), "t_obs": float(a), "critical_value": float(c),
                                   "wilks_coverage": float(v)}) for x, a, c, v in zip(xs, t_obs, crit, cover))
    n1 = mult.size
    at_one = int(np.argmin(np.abs(mult - 1.0)))
    if not two:
        upper = _crossing(xs, t_obs, crit)
        cov = float(cover[at_one]) if np.isclose(mult[at_one], 1.0) else float("nan")
        return ToyLimit(wilks, upper, 0.0 if upper is not None else None, upper, cov, (cov,), rows, n_toys, seed,
                        "pseudo-experiments at each x, nuisances profiled on the data; t(x) quantile (Neyman, "
                        "likelihood-ratio ordering)")
    lo_x, hi_x = xs[:n1], xs[n1:]
    upper = _crossing(hi_x, t_obs[n1:], crit[n1:])
    # the lower end: the same crossing walking downwards (mirror the points)
    low = _crossing(-lo_x[::-1], t_obs[:n1][::-1], crit[:n1][::-1])
    lower = None if low is None else -low
    k_lo = n1 - 1 - at_one
    ends_cov = (float(cover[:n1][k_lo]), float(cover[n1:][at_one]))
    cov = ends_cov[0] if abs(wilks.lower) > abs(wilks.upper) else ends_cov[1]
    value = None if lower is None or upper is None else max(abs(lower), abs(upper))
    return ToyLimit(wilks, value, lower, upper, cov, ends_cov, rows, n_toys, seed,
                    "Feldman-Cousins: pseudo-experiments at each x, nuisances profiled on the data; t(x) quantile")


@dataclass(frozen=True)
class ExpectedBand:
    """The distribution of the Wilks limit over pseudo-experiments drawn at the Standard Model (values in
    ``unit``): ``median``, ``band_1sigma`` and ``band_2sigma`` ((lo, hi): the 16-84% and 2.5-97.5% quantiles), the
    Asimov limit ``asimov`` for comparison, and the toy limits ``limits`` (read-only)."""

    parameter: str
    unit: str
    cl: float
    asimov: float
    median: float
    band_1sigma: tuple
    band_2sigma: tuple
    limits: np.ndarray
    n_toys: int
    seed: int


def expected_band(stat, cl=0.90, n_toys=100, n_jobs=1, seed=2026, scheduler=None, progress=False):
    """The expected limit with its +-1 sigma and +-2 sigma bands from ``n_toys`` pseudo-experiments drawn at the
    Standard Model (nuisances profiled on the statistic's data at x = 0): an :class:`ExpectedBand`. ``stat``: a
    likelihood statistic (with Asimov data its Wilks limit is the ``asimov`` entry)."""
    stat = _fresh(stat)
    lik = stat.likelihood
    n_toys = _check_count(n_toys, "n_toys", 10)
    seed = _check_count(seed, "seed", 0)
    children = np.random.SeedSequence(seed).spawn(n_toys)
    tasks = [(lik.models, lik.parameter, float(cl), children[j:j + BATCH]) for j in range(0, n_toys, BATCH)]
    limits = np.concatenate(run_batches(_limit_batch, tasks, n_jobs, scheduler, progress,
                                        f"expected {stat.parameter.name}")) * stat.binding.scale
    limits.flags.writeable = False
    asimov = statistic_limit(stat, cl).limit
    qs = np.nanquantile(limits, [0.025, 0.16, 0.5, 0.84, 0.975])
    return ExpectedBand(stat.parameter.name, stat.parameter.unit, float(cl), float(asimov), float(qs[2]),
                        (float(qs[1]), float(qs[3])), (float(qs[0]), float(qs[4])), limits, n_toys, seed)
