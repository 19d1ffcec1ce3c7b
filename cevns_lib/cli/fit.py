"""``cevns fit``: the CEvNS rate fit of a released data set."""

from .base import Output, add_command
from .options import DATASET_NAMES, dataset_name

__all__ = ["run", "register"]

def run(args):
    """The CEvNS rate fit of a released COHERENT dataset: fitted and predicted CEvNS events, nuisances."""
    from ..datasets import coherent

    rec = dict(coherent.fit(args.dataset).record())
    notes = (f"{args.dataset}: binned Poisson likelihood, signal strength free; n_cevns with its 68% (MINOS) "
             "errors and our engine's prediction, in events; backgrounds in events, shape pulls in sigma.",)
    columns = tuple(k for k in rec if k not in ("unit", "m2lnl", "n_bins"))
    return Output([rec], columns, notes)


def register(sub):
    """Add the ``fit`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "fit", run,
                     help="CEvNS rate fit of a released COHERENT dataset",
                     description="The binned Poisson likelihood of a released COHERENT dataset with its "
                                 "documented nuisances,\nfitted with the CEvNS signal strength free: the fitted "
                                 "CEvNS events with their asymmetric errors,\nour engine's prediction for the same "
                                 "window, the fitted background events and shape pulls.\n"
                                 "Units: events; pulls in standard deviations.")
    p.add_argument("--dataset", required=True, type=dataset_name, metavar="NAME",
                   help="one of " + ", ".join(DATASET_NAMES) + " (required)")
