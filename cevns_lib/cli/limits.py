"""``cevns limits``: one-parameter limits on electromagnetic parameters of experiments and data sets."""

from .base import CLIError, Output, add_command
from .options import (
    DATASET_NAMES,
    add_experiment_options,
    chosen_experiment,
    dataset_name,
    flat_intervals,
    probability,
)

__all__ = ["run", "register"]



def run(args):
    """One-parameter limits (90% C.L. by default) on electromagnetic parameters of an experiment."""
    from ..statistics.limits import constrained_parameters, parameter_limit

    if args.dataset:
        return _dataset_limits(args)
    chosen = chosen_experiment(args)
    if chosen is None:
        raise CLIError("give --experiment NAME, --experiment-file FILE or --dataset NAME (released data)")
    names = args.parameter or constrained_parameters(chosen)
    records = []
    for name in names:
        records.append(flat_intervals(parameter_limit(chosen, name, cl=args.cl, beam=args.beam).record(), args.format))
    notes = (f"{chosen.name}: one parameter at a time, statistic '{chosen.statistic}', {args.cl:.0%} C.L.; "
             "limit = upper limit (moments) or the largest |x| of the interval around 0 (charges, radii).",)
    return Output(records, ("parameter", "limit", "lower", "upper", "unit", "intervals"), notes)


def _dataset_limits(args):
    """Profile-likelihood limits from released data (COHERENT, XENONnT; several --dataset options combine them)."""
    from ..datasets import combined

    if getattr(args, "experiment", None) or getattr(args, "experiment_file", None):
        raise CLIError("give either --dataset or an experiment, not both")
    names = args.parameter or list(combined.parameters(args.dataset))
    records = []
    for name in names:
        rec = combined.limit(args.dataset, name, cl=args.cl).record()
        rec["datasets"] = "+".join(rec["datasets"])
        records.append(flat_intervals(rec, args.format))
    notes = (f"{' + '.join(args.dataset)}: profile likelihood (Wilks), {args.cl:.0%} C.L., one parameter at a time; "
             "limit = upper limit (moments) or the largest |x| of the interval around 0 (charges, radii).",)
    return Output(records, ("datasets", "parameter", "limit", "lower", "upper", "unit", "intervals"), notes)


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
