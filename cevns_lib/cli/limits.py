"""``cevns limits``: one-parameter limits on electromagnetic parameters of experiments and data sets."""

from .base import CLIError, Output, add_command
from .options import (
    DATASET_NAMES,
    add_experiment_options,
    chosen_experiment,
    dataset_name,
    flat_intervals,
    job_count,
    probability,
    seed_value,
    toy_count,
)

__all__ = ["run", "register", "TOY_COLUMNS"]

#: The columns a toy-calibrated record adds to the table.
TOY_COLUMNS = ("limit_toys", "lower_toys", "upper_toys", "coverage_wilks")


def _progress():
    import sys

    return sys.stderr.isatty()


def _with_toys(stat, args, **labels):
    """The toy-calibrated record of a statistic (limit_toys, lower_toys, upper_toys, coverage_wilks added)."""
    from ..statistics.calibration import toy_limit

    return toy_limit(stat, cl=args.cl, n_toys=args.toys, n_jobs=args.jobs, seed=args.seed, scheduler=args.scheduler,
                     progress=_progress(), **labels).record()



def run(args):
    """One-parameter limits (90% C.L. by default) on electromagnetic parameters of an experiment."""
    from ..statistics.limits import constrained_parameters, parameter_limit

    if args.dataset:
        return _dataset_limits(args)
    chosen = chosen_experiment(args)
    if chosen is None:
        raise CLIError("give --experiment NAME, --experiment-file FILE or --dataset NAME (released data)")
    _check_toy_options(args)
    names = args.parameter or constrained_parameters(chosen)
    records = []
    for name in names:
        if args.toys:
            from ..sources.components import DEFAULT_SELECTION
            from ..statistics.limits import experiment_statistic

            beam = DEFAULT_SELECTION if args.beam is None else args.beam
            rec = _with_toys(experiment_statistic(chosen, name, beam), args, beam=beam)
        else:
            rec = parameter_limit(chosen, name, cl=args.cl, beam=args.beam).record()
        records.append(flat_intervals(rec, args.format))
    notes = (f"{chosen.name}: one parameter at a time, statistic '{chosen.statistic}', {args.cl:.0%} C.L.; "
             "limit = upper limit (moments) or the largest |x| of the interval around 0 (charges, radii).",)
    if args.toys:
        notes += (f"limit_toys: calibrated with {args.toys} pseudo-experiments per point (seed {args.seed}); "
                  "coverage_wilks: the fraction of toys at the Wilks limit that it covers.",)
    columns = ("parameter", "limit", "lower", "upper", "unit", "intervals")
    return Output(records, columns + (TOY_COLUMNS if args.toys else ()), notes)


def _check_toy_options(args):
    if not args.toys and (args.jobs != 1 or args.scheduler is not None or getattr(args, "seed_given", False)):
        raise CLIError("--jobs, --seed and --scheduler apply to pseudo-experiments: give --toys N")
    if args.toys and args.scheduler is not None and args.jobs != 1:
        raise CLIError("give either --jobs (joblib processes) or --scheduler (a Dask cluster), not both")


def _dataset_limits(args):
    """Profile-likelihood limits from released data (COHERENT, XENONnT; several --dataset options combine them)."""
    from ..datasets import combined

    if getattr(args, "experiment", None) or getattr(args, "experiment_file", None):
        raise CLIError("give either --dataset or an experiment, not both")
    _check_toy_options(args)
    names = args.parameter or list(combined.parameters(args.dataset))
    records = []
    for name in names:
        if args.toys:
            target = combined.combination(args.dataset)
            rec = _with_toys(target.statistic(name), args, datasets=target.names, data=target.data)
        else:
            rec = combined.limit(args.dataset, name, cl=args.cl).record()
        rec["datasets"] = "+".join(rec["datasets"])
        records.append(flat_intervals(rec, args.format))
    notes = (f"{' + '.join(args.dataset)}: profile likelihood (Wilks), {args.cl:.0%} C.L., one parameter at a time; "
             "limit = upper limit (moments) or the largest |x| of the interval around 0 (charges, radii).",)
    columns = ("datasets", "parameter", "limit", "lower", "upper", "unit", "intervals")
    return Output(records, columns + (TOY_COLUMNS if args.toys else ()), notes)


def register(sub):
    """Add the ``limits`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "limits", run,
                       help="90%% C.L. limits on electromagnetic parameters of an experiment",
                       description="One-parameter confidence regions of neutrino electromagnetic parameters, with "
                                   "the experiment's own\nstatistic: the Majorana transition moments Lambda1, "
                                   "Lambda2, Lambda3 and the flavour moments mu_nue,\nmu_numu, mu_nutau, mu_eff "
                                   "(1e-10 mu_B), the millicharges q_nue, q_numu, q_nutau (e) and the\ncharge "
                                   "radii r2_nue, r2_numu, r2_nutau (cm^2). Records: parameter, limit, lower, "
                                   "upper,\nintervals (all allowed intervals), unit, cl.\n"
                                   "Units: moments in 1e-10 mu_B, millicharges in e, charge radii in cm^2.")
    add_experiment_options(p, what="none: give one of them, or --dataset")
    p.add_argument("--dataset", action="append", type=dataset_name, metavar="NAME",
                     help="a released dataset (" + ", ".join(DATASET_NAMES) + "); repeat to combine")
    p.add_argument("--parameter", action="append", metavar="NAME",
                     help="a parameter name; repeat for several (default: every parameter the experiment's "
                          "neutrinos can constrain)")
    p.add_argument("--cl", type=probability, default=0.9, help="confidence level, between 0 and 1")
    p.add_argument("--beam", default=None,
                     help="components to use: prompt, delayed, full (SNS), e-flavour, mu-flavour (default: all)")
    p.add_argument("--toys", type=toy_count, default=0, metavar="N",
                   help="pseudo-experiments per point tested, an integer >= 10 (default: none, Wilks only): adds "
                        "limit_toys (the toy-calibrated limit; Feldman-Cousins ends lower_toys, upper_toys for "
                        "charges and radii), coverage_wilks (the fraction of toys at the Wilks limit it covers); "
                        "needs a likelihood: a binned-poisson experiment or --dataset")
    p.add_argument("--jobs", type=job_count, default=1, metavar="J",
                   help="joblib processes for the toys, an integer (-1: every core) (default: 1)")
    p.add_argument("--seed", type=seed_value, default=None, metavar="S",
                   help="seed of the pseudo-experiments, an integer >= 0 (default: 2026)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="a Dask scheduler address such as tcp://127.0.0.1:8786: run the toys on that cluster "
                        "(joblib's Dask backend; same numbers as joblib for the same seed) (default: none, joblib)")
    p.set_defaults(func=_run_with_seed)


def _run_with_seed(args):
    args.seed_given = args.seed is not None
    if args.seed is None:
        args.seed = 2026
    return run(args)
