"""``cevns fit``: the CEvNS rate fit of a released data set."""

from .base import Output, add_command
from .options import DATASET_NAMES, dataset_name

__all__ = ["XENONNT_KEYS", "run", "register"]

#: The keys of a XENONnT fit record, in order (the nuisances follow, by name).
XENONNT_KEYS = ("dataset", "n_observed", "n_background", "n_background_err", "n_background_err_low",
                "n_background_err_high", "n_background_fit", "n_cevns", "n_cevns_err_low", "n_cevns_err_high",
                "n_cevns_predicted", "signal_strength", "significance_sigma", "q0", "flux_8B_cm2_s",
                "flux_8B_cm2_s_err_low", "flux_8B_cm2_s_err_high", "flux_8B_reference_cm2_s", "xsec_cm2",
                "xsec_cm2_err_low", "xsec_cm2_err_high", "xsec_sm_cm2")


def _xenonnt(name):
    from ..datasets import xenonnt

    full = xenonnt.fit(name).record()
    rec = {k: full[k] for k in XENONNT_KEYS}
    rec["runs"] = "+".join(full["runs"])
    rec.update(full["nuisances"])
    rec.update(unit="events", m2lnl=full["m2lnl"], n_bins=full["n_bins"], valid=full["valid"], spectra=full["spectra"])
    notes = (f"{name} ({rec['runs']}): XENONnT solar-8B CEvNS, binned Poisson likelihood of each run, 8B flux free; "
             "events with 68% (MINOS) errors, background nominal with its prior-propagated error, flux in cm^-2 s^-1, "
             "cross section in cm^2, significance sqrt(q0) (asymptotic); nuisances: rate multipliers and t_ly, t_qy.",)
    columns = ("dataset", "n_observed", "n_background", "n_cevns", "n_cevns_err_low", "n_cevns_err_high",
               "n_cevns_predicted", "flux_8B_cm2_s", "significance_sigma")
    return Output([rec], columns, notes)


def run(args):
    """The CEvNS rate fit of a released dataset: fitted and predicted CEvNS events, nuisances (COHERENT); the 8B
    flux fit with observed and background events, flux, cross section and significance (XENONnT)."""
    from ..datasets import coherent

    if args.dataset.startswith("xenonnt"):
        return _xenonnt(args.dataset)
    rec = dict(coherent.fit(args.dataset).record())
    notes = (f"{args.dataset}: binned Poisson likelihood, signal strength free; n_cevns with its 68% (MINOS) "
             "errors and our engine's prediction, in events; backgrounds in events, shape pulls in sigma.",)
    columns = tuple(k for k in rec if k not in ("unit", "m2lnl", "n_bins"))
    return Output([rec], columns, notes)


def register(sub):
    """Add the ``fit`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "fit", run,
                     help="CEvNS rate fit of a released dataset (COHERENT, XENONnT solar 8B)",
                     description="The binned Poisson likelihood of a released dataset with its documented "
                                 "nuisances.\nCOHERENT: fitted with the CEvNS signal strength free: the fitted "
                                 "CEvNS events with their asymmetric errors,\nour engine's prediction for the same "
                                 "window, the fitted background events and shape pulls.\n"
                                 "XENONnT (xenonnt-8b-2024: SR0+SR1, xenonnt-8b-2026: SR0+SR1+SR2): the 8B flux "
                                 "free; observed events,\nexpected background, fitted and predicted CEvNS events, "
                                 "the 8B flux and the flux-averaged cross section\nwith their errors, the "
                                 "significance and the nuisances.\n"
                                 "Units: events; pulls in standard deviations; fluxes in cm^-2 s^-1, cross sections "
                                 "in cm^2.")
    p.add_argument("--dataset", required=True, type=dataset_name, metavar="NAME",
                   help="one of " + ", ".join(DATASET_NAMES) + " (required)")
