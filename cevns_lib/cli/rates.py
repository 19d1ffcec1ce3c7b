"""``cevns rates``: Standard-Model and magnetic-moment event numbers of experiments."""

from .base import Output, add_command
from .options import add_experiment_options, experiments

__all__ = ["run", "register", "RATES_UNIT"]

RATES_UNIT = "events"


def run(args):
    """SM events and magnetic-moment events per (1e-10 mu_B)^2, per setup and incident flavour."""
    from ..constants import MU_UNIT
    from ..engine.yields import event_yields

    records = []
    for s in experiments(args):
        y = event_yields(s)
        for f in s.flavours:
            records.append({"experiment": s.experiment, "stage": s.stage, "flavour": f,
                            "n_sm": y.n_sm[f], "n_em_per_1e-10_muB_sq": y.n_em[f] * MU_UNIT**2,
                            "unit": RATES_UNIT})
    notes = ("Events over each setup's whole exposure: n_sm = Standard Model; n_em_per_1e-10_muB_sq = "
             "magnetic-moment events for mu_eff = 1e-10 mu_B (scale with mu_eff^2).",)
    return Output(records, ("experiment", "stage", "flavour", "n_sm", "n_em_per_1e-10_muB_sq"), notes)


def register(sub):
    """Add the ``rates`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "rates", run,
                 help="SM and magnetic-moment event numbers of every Table 1 setup",
                 description="Standard-Model CEvNS events (n_sm) and magnetic-moment events per unit effective "
                             "moment (n_em_per_1e-10_muB_sq)\nfor every setup of Table 1 of arXiv:1905.03750, "
                             "current and future, per incident neutrino flavour.\n"
                             "Units: events over the setup's whole exposure; n_em for mu_eff = 1e-10 mu_B, "
                             "i.e. events per (1e-10 mu_B)^2.")
    add_experiment_options(p)
