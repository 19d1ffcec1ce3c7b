"""Pseudo-experiments of a binned experiment: toy-calibrated limits, coverage, Feldman-Cousins, Dask = joblib.

Kept short for CI (about a minute in all): the 200-toy run of the acceptance is the CLI test below.
"""

import json
import time

import numpy as np
import pytest
from cli_helpers import cevns

from cevns_lib.experiment import get_experiment, get_setup
from cevns_lib.statistics import expected_band, experiment_statistic, toy_limit

BINNED = "CONUS+ binned"


def test_cli_200_toys_on_two_jobs_agree_with_wilks_and_cover():
    start = time.perf_counter()
    run = cevns("limits", "--experiment", BINNED, "--parameter", "mu_nue", "--toys", "200", "--jobs", "2",
                "--format", "json")
    elapsed = time.perf_counter() - start
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""                                 # no progress bar without a terminal
    rec, = json.loads(run.stdout)
    assert rec["limit_toys"] == pytest.approx(rec["limit"], rel=0.15)
    assert 0.80 <= rec["coverage_wilks"] <= 0.97
    assert rec["n_toys"] == 200 and rec["seed"] == 2026
    assert elapsed < 60, f"200 toys (x 5 points) took {elapsed:.0f} s"


def test_same_seed_same_numbers_any_number_of_jobs():
    stat = experiment_statistic(get_experiment(BINNED), "mu_nue")
    a = toy_limit(stat, n_toys=10, n_jobs=1, points=(0.9, 1.1), seed=5)
    b = toy_limit(stat, n_toys=10, n_jobs=2, points=(0.9, 1.1), seed=5)
    c = toy_limit(stat, n_toys=10, n_jobs=1, points=(0.9, 1.1), seed=6)
    assert a.points == b.points and a.record() == b.record()
    assert a.points != c.points


def test_dask_cluster_gives_the_joblib_numbers():
    distributed = pytest.importorskip("dask.distributed")
    stat = experiment_statistic(get_experiment(BINNED), "mu_nue")
    kw = dict(n_toys=25, points=(0.9, 1.0, 1.1), seed=11)
    joblib_run = toy_limit(stat, n_jobs=2, **kw)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        dask_run = toy_limit(stat, scheduler=cluster.scheduler_address, **kw)
    assert dask_run.points == joblib_run.points
    assert dask_run.record() == joblib_run.record()


def test_feldman_cousins_interval_of_a_two_sided_parameter():
    stat = experiment_statistic(get_experiment(BINNED), "q_nue")
    fc = toy_limit(stat, n_toys=40, n_jobs=2, seed=3)
    assert fc.lower_toys < 0 < fc.upper_toys
    assert fc.limit_toys == max(-fc.lower_toys, fc.upper_toys)
    assert fc.lower_toys == pytest.approx(fc.wilks.lower, rel=0.3)
    assert fc.upper_toys == pytest.approx(fc.wilks.upper, rel=0.3)
    assert len(fc.coverage_ends) == 2 and all(0 < c <= 1 for c in fc.coverage_ends)
    assert len(fc.points) == 10 and fc.method.startswith("Feldman-Cousins")


def test_expected_band_brackets_the_asimov_limit():
    band = expected_band(experiment_statistic(get_experiment(BINNED), "mu_nue"), n_toys=30, n_jobs=2, seed=1)
    lo2, hi2 = band.band_2sigma
    lo1, hi1 = band.band_1sigma
    assert lo2 <= lo1 < band.median < hi1 <= hi2
    assert lo1 < band.asimov < hi1
    assert not band.limits.flags.writeable and band.limits.size == 30


def test_toys_need_a_likelihood():
    with pytest.raises(ValueError, match="need a likelihood statistic"):
        toy_limit(experiment_statistic(get_setup("CONUS"), "mu_nue"), n_toys=10)
    run = cevns("limits", "--experiment", "CONUS current", "--toys", "10")
    assert run.returncode == 2 and "likelihood statistic" in run.stderr and run.stderr.count("\n") == 1
    run = cevns("limits", "--experiment", BINNED, "--jobs", "2")
    assert run.returncode == 2 and "give --toys N" in run.stderr
    assert np.isfinite(toy_limit(experiment_statistic(get_experiment(BINNED), "mu_nue"), n_toys=10,
                                 points=(0.9, 1.0, 1.1)).coverage_wilks)
