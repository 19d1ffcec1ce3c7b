"""Options shared by the subcommands: the experiment options, number parsers and record helpers."""

import argparse
import math

from ..validation import match_name

__all__ = ["LAMBDA_UNIT", "DATASET_NAMES", "dataset_name", "chosen_experiment", "experiments", "add_experiment_options",
           "flat_intervals", "numbers", "plane_indices", "positive_float", "nonnegative_float", "probability"]

#: Unit of the magnetic-moment parameters (moduli |Lambda_i|) in every record.
LAMBDA_UNIT = "1e-10 mu_B"


def chosen_experiment(args):
    """The Experiment named by --experiment NAME or read from --experiment-file FILE, or None."""
    from ..experiment.files import load_experiment
    from ..experiment.registry import get_experiment

    if getattr(args, "experiment_file", None):
        return load_experiment(args.experiment_file)
    if getattr(args, "experiment", None):
        return get_experiment(args.experiment)
    return None


def experiments(args):
    """The chosen experiment, or every Table 1 setup."""
    from ..experiment.registry import all_setups

    chosen = chosen_experiment(args)
    return (chosen,) if chosen is not None else all_setups()


def add_experiment_options(p, what="every setup of Table 1 of arXiv:1905.03750"):
    """Add the mutually exclusive --experiment NAME and --experiment-file FILE options to the parser ``p``."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("--experiment", metavar="NAME",
                       help="a shipped experiment by name or alias, e.g. 'CONUS current', 'CsI[Na] current', "
                            f"'CONUS+' (default: {what})")
    group.add_argument("--experiment-file", metavar="FILE",
                       help="an experiment file of your own (TOML; see the book chapter 'Your own experiment')")
    return group


def flat_intervals(rec, fmt):
    """A limit record whose list of intervals becomes one text cell for the table and CSV formats."""
    if fmt != "json":
        rec = {**rec, "intervals": "; ".join(f"[{a:.4g}, {b:.4g}]" for a, b in rec["intervals"])}
    return rec


def numbers(text, name):
    """Non-negative finite numbers separated by commas; an empty item is an error, not skipped."""
    items = [x.strip() for x in text.split(",")]
    if any(not x for x in items):
        raise argparse.ArgumentTypeError(f"{name}: an empty item in {text!r}; give numbers separated by commas")
    try:
        values = [float(x) for x in items]
    except ValueError:
        values = []
    if not values or not all(math.isfinite(v) and v >= 0 for v in values):
        raise argparse.ArgumentTypeError(f"{name}: expected non-negative numbers separated by commas, got {text!r}")
    return values


def plane_indices(text):
    """Two different indices of 1, 2, 3 from an option value such as "1,3"."""
    try:
        plane = tuple(int(p) for p in text.split(","))
    except ValueError:
        plane = ()
    if len(plane) != 2 or plane[0] == plane[1] or not set(plane) <= {1, 2, 3}:
        raise argparse.ArgumentTypeError(f"expected two different indices of 1, 2, 3 separated by a comma "
                                         f"(e.g. 1,3), got {text!r}")
    return plane


def _float(text, allow_zero):
    """A finite number > 0 (or >= 0 with ``allow_zero``) from an option value."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (math.isfinite(value) and (value >= 0 if allow_zero else value > 0)):
        raise argparse.ArgumentTypeError(f"expected {'a number >= 0' if allow_zero else 'a positive number'}, "
                                         f"got {text!r}")
    return value


def positive_float(text):
    """A finite number > 0 from an option value."""
    return _float(text, allow_zero=False)


def probability(text):
    """A confidence level strictly between 0 and 1 from an option value."""
    value = positive_float(text)
    if not value < 1:
        raise argparse.ArgumentTypeError(f"expected a confidence level between 0 and 1, got {text!r}")
    return value


def nonnegative_float(text):
    """A finite number >= 0 from an option value."""
    return _float(text, allow_zero=True)


#: The released data sets (the names of cevns_lib.datasets.combined.DATASETS, listed here to keep --help fast; a test
#: checks them).
DATASET_NAMES = ("coherent-csi-2017", "coherent-lar-2020", "coherent-csi-2021", "xenonnt-8b-2024", "xenonnt-8b-2026")


def dataset_name(text):
    """A released data set's name from an option value (any case)."""
    try:
        return match_name(text, DATASET_NAMES, "dataset")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
