"""``cevns profile``: Delta chi^2 of one parameter at given values, with the experiment's own statistic."""

import numpy as np

from .base import CLIError, Output, add_command
from .options import (
    DATASET_NAMES,
    add_experiment_options,
    chosen_experiment,
    dataset_name,
    finite_numbers,
    probability,
)

__all__ = ["run", "register"]


def run(args):
    """Records of :func:`cevns_lib.statistics.parameter_profile`: value, delta_chi2, allowed, unit, cl."""
    from ..statistics.profiles import parameter_profile

    chosen = chosen_experiment(args)
    if args.dataset:
        if chosen is not None:
            raise CLIError("give either --dataset or an experiment, not both")
        from ..datasets import coherent

        target = coherent.combination(args.dataset)
    elif chosen is None:
        raise CLIError("give --experiment NAME, --experiment-file FILE or --dataset NAME")
    else:
        target = chosen
    if (args.values is None) == (args.range is None):
        raise CLIError("give either --values V1,V2,... or --range LOW,HIGH (with --points)")
    if args.range is not None:
        if len(args.range) != 2 or not args.range[0] < args.range[1]:
            raise CLIError(f"--range: expected LOW,HIGH with LOW < HIGH, got {args.range}")
        values = np.linspace(args.range[0], args.range[1], args.points)
    else:
        values = np.array(args.values)
    prof = parameter_profile(target, args.parameter, values, cl=args.cl, beam=args.beam)
    notes = (f"{prof.experiment}: Delta chi^2 of {prof.parameter} ({prof.unit}), statistic '{prof.statistic}', "
             f"nuisances profiled; best fit {prof.best_fit:.4g}; allowed at {args.cl:.0%} C.L.: "
             f"Delta chi^2 <= {prof.level}.",)
    return Output(prof.records(), ("parameter", "value", "delta_chi2", "allowed", "unit"), notes)


def _points(text):
    import argparse

    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 2:
        raise argparse.ArgumentTypeError(f"--points: expected an integer >= 2, got {text!r}")
    return n


def register(sub):
    """Add the ``profile`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "profile", run,
                    help="Delta chi^2 profile of one parameter of an experiment or data set",
                    description="Delta chi^2 (Delta(-2 ln L)) of one electromagnetic parameter at given values, "
                                "with the experiment's\nown statistic (counting chi-square, or the binned likelihood "
                                "with its nuisances profiled), or\nwith released COHERENT data. Records: value, "
                                "delta_chi2, allowed (at --cl), unit, cl.\n"
                                "Units: moments in 1e-10 mu_B, millicharges in e, charge radii in cm^2.")
    add_experiment_options(p, what="none: give one of them, or --dataset")
    p.add_argument("--dataset", action="append", type=dataset_name, metavar="NAME",
                   help="a released COHERENT dataset (" + ", ".join(DATASET_NAMES) + "); repeat to combine")
    p.add_argument("--parameter", required=True, metavar="NAME",
                   help="the parameter (mu_nue, q_nue, r2_nue, Lambda1, ...) (required)")
    p.add_argument("--values", type=lambda t: finite_numbers(t, "--values"), default=None, metavar="V1,V2,...",
                   help="values of the parameter in its unit (1e-10 mu_B, e or cm^2), separated by commas")
    p.add_argument("--range", type=lambda t: finite_numbers(t, "--range"), default=None, metavar="LOW,HIGH",
                   help="instead of --values: an evenly spaced grid from LOW to HIGH in the parameter's unit (a "
                        "negative LOW as --range=-2e-9,2e-9)")
    p.add_argument("--points", type=_points, default=21, metavar="N",
                   help="grid points with --range, an integer (default: 21)")
    p.add_argument("--cl", type=probability, default=0.9,
                   help="confidence level of the 'allowed' column, between 0 and 1")
    p.add_argument("--beam", default=None,
                   help="components to use: prompt, delayed, full (SNS), e-flavour, mu-flavour (default: all)")
