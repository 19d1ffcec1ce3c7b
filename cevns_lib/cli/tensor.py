"""``cevns tensor``: tensor-NSI limits and the magnetic moments they induce."""

from ..statistics.levels import confidence_level
from .base import Output, add_command
from .options import add_experiment_options, chosen_experiment

__all__ = ["run", "register", "TENSOR_COLUMNS", "TENSOR_ASSUMPTIONS", "TENSOR_UNIT"]

#: Columns of the people-facing tensor table; JSON and CSV carry every key of the records.
TENSOR_COLUMNS = ("target", "baseline_m", "beam", "quark", "n_sm", "epsilon_limit", "magnetic_moment_muB")


TENSOR_ASSUMPTIONS = ("flux_normalisation_cm2_s", "form_factor", "cutoff_Lambda_TeV", "C_T_over_G_F",
                      "threshold_keV", "mass_kg", "delta_chi2")


TENSOR_UNIT = "dimensionless"


def run(args):
    """Tensor-NSI limits (dimensionless epsilon, 90% C.L.) and the magnetic moments they induce (mu_B)."""
    from ..papers.tensor_nsi import experiment_records, table_records

    chosen = chosen_experiment(args)
    if chosen is not None:
        records = [{**r, "unit": TENSOR_UNIT, "cl": confidence_level(r["delta_chi2"], 1)}
                   for r in experiment_records(chosen)]
        notes = (f"{chosen.name}: one count per neutrino flavour alpha, statistics only (eq. 1.12); epsilon "
                 "dimensionless, magnetic_moment_muB in mu_B (eq. 1.7, Lambda = 1 TeV).",)
        return Output(records, ("experiment", "alpha", "quark", "n_sm", "epsilon_limit", "magnetic_moment_muB"),
                      notes)
    records = [{**r, "unit": TENSOR_UNIT, "cl": confidence_level(r["delta_chi2"], 1)} for r in table_records()]
    first = records[0] if records else {}
    notes = ("Assumptions: " + ", ".join(f"{k} = {first[k]}" for k in TENSOR_ASSUMPTIONS if k in first),)
    return Output(records, tuple(k for k in TENSOR_COLUMNS if k in first), notes)


def register(sub):
    """Add the ``tensor`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "tensor", run,
                 help="tensor-NSI limits and the magnetic moments they induce",
                 description="Tensor non-standard interactions (Papoulias and Kosmas): for each COHERENT-like "
                             "target, beam\nand quark, the SM events, the 90% C.L. limit on the tensor coupling "
                             "|epsilon^{qT}| (one\nparameter, Delta chi^2 = 2.71) and the magnetic moment it "
                             "induces.\nUnits: epsilon dimensionless; magnetic_moment_muB in mu_B; baseline_m in m; "
                             "n_sm in events.")
    add_experiment_options(p, what="the four COHERENT-like detectors of the proceedings")
