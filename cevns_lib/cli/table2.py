"""``cevns table2``: every Table 2 limit of arXiv:1905.03750 beside the published value."""

from ..statistics.levels import DCHI2_90_1D, confidence_level
from .base import Output, add_command
from .options import LAMBDA_UNIT, add_experiment_options, chosen_experiment

__all__ = ["run", "register"]

def run(args):
    """Every Table 2 limit (1e-10 mu_B, 90% C.L.) beside the published value; the table adds their ratio."""
    from ..papers.miranda2019.table2 import experiment_table2, table2

    cl = confidence_level(DCHI2_90_1D, 1)
    chosen = chosen_experiment(args)
    rows = table2() if chosen is None else experiment_table2(chosen)
    records = [{**r, "unit": LAMBDA_UNIT, "cl": cl} for r in rows]
    if args.format == "table":
        records = [{**r, "ratio": r["limit"] / r["paper"] if r["paper"] else None} for r in records]
    notes = (f"Upper limits on |Lambda_i| at {cl:.0%} C.L. (Delta chi^2 = {DCHI2_90_1D}, one parameter at a time), "
             f"in {LAMBDA_UNIT}; paper = Table 2 of arXiv:1905.03750; ratio = limit / paper.",)
    return Output(records, ("experiment", "beam", "stage", "parameter", "limit", "paper", "ratio"), notes)


def register(sub):
    """Add the ``table2`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "table2", run,
                 help="every Table 2 limit (plus the full SNS beam) beside the paper's value",
                 description="Upper limits on the transition magnetic moments |Lambda_1|, |Lambda_2|, |Lambda_3| "
                             "(one at a time,\nreal, 90% C.L., Delta chi^2 = 2.71) for every setup and beam of "
                             "Table 2 of arXiv:1905.03750,\nplus the full SNS beam, beside the published value "
                             "('paper'; empty where the paper prints none).\n"
                             "Units: 1e-10 mu_B (Bohr magnetons).")
    add_experiment_options(p)
