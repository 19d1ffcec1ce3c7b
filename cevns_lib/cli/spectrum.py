"""``cevns spectrum``: events per energy bin of an experiment (SM, backgrounds, new physics per unit parameter)."""

from .base import CLIError, Output, add_command
from .options import add_experiment_options, chosen_experiment, numbers

__all__ = ["run", "register", "COLUMNS"]

#: Columns of the table format (every record also has the new-physics keys of each parameter).
COLUMNS = ("bin_low_keV", "bin_high_keV", "n_sm", "n_background", "data")


def run(args):
    """One record per bin of :func:`cevns_lib.statistics.binned_spectrum`, and the plot with --plot."""
    from ..statistics.binned import binned_spectrum

    chosen = chosen_experiment(args)
    if chosen is None:
        raise CLIError("give --experiment NAME or --experiment-file FILE")
    spec = binned_spectrum(chosen, edges_keV=args.bin_edges_keV, parameters=args.parameter)
    records = spec.records()
    if args.plot:
        _plot(spec, args)
    keys = [k for k in records[0] if k not in COLUMNS + ("energy", "unit")]
    shown = ", ".join(keys[:4]) + (", ..." if len(keys) > 4 else "")
    notes = (f"{chosen.name}: events per bin over the exposure (source on), bins in keV{spec.energy}; "
             f"new physics: events per unit of each parameter ({shown}), the linear (interference) and the "
             "quadratic term.",)
    return Output(records, COLUMNS, notes)


def _plot(spec, args):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..presentation.detector_plots import plot_spectrum

    example = None
    if args.example:
        name, _, value = args.example.partition("=")
        if name not in spec.new_physics:
            raise CLIError(f"--example: {name!r} is not a parameter of this spectrum; allowed: "
                           f"{', '.join(spec.new_physics)}")
        try:
            example = (name, float(value))
        except ValueError:
            raise CLIError(f"--example: expected NAME=VALUE (e.g. mu_nue=3), got {args.example!r}") from None
    fig, ax = plt.subplots(figsize=(7.0, 4.2), layout="constrained")
    plot_spectrum(ax, spec, example)
    ax.set_title(spec.experiment)
    ax.legend()
    fig.savefig(args.plot)
    plt.close(fig)


def register(sub):
    """Add the ``spectrum`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "spectrum", run,
                    help="events per energy bin of an experiment: SM, backgrounds and new physics per unit",
                    description="Events per energy bin of an experiment over its exposure (source on): the "
                                "Standard Model (n_sm), the\nbackgrounds of a binned experiment (n_background), the "
                                "extra events per unit of each parameter its\nneutrinos constrain (<name>_per_<unit> "
                                "for the linear term, <name>_per_<unit>_sq or _per_cm4 for the\nquadratic one) and "
                                "the observed counts (data).\n"
                                "Units: bin edges in keV of the threshold's energy (nr or ee), events per bin.")
    add_experiment_options(p, what="none: give one of them")
    p.add_argument("--bin-edges-keV", type=lambda t: numbers(t, "--bin-edges-keV"), default=None, metavar="E0,E1,...",
                   help="bin edges in keV of the threshold's energy (default: the experiment's bin_edges_keV)")
    p.add_argument("--parameter", action="append", metavar="NAME",
                   help="a parameter whose events per unit to list; repeat for several (default: every parameter "
                        "the experiment's neutrinos constrain)")
    p.add_argument("--plot", metavar="FILE.png", default=None,
                   help="also draw the spectrum (background, SM and --example stacked, data) into this file")
    p.add_argument("--example", metavar="NAME=VALUE", default=None,
                   help="a new-physics example for --plot, the value in the parameter's unit (e.g. mu_nue=3 in "
                        "1e-10 mu_B) (default: none)")
