"""``cevns region``: a two-parameter allowed region of the transition moments."""

from ..statistics.levels import DCHI2_90_2D, confidence_level
from .base import Output, add_command
from .options import LAMBDA_UNIT, plane_indices, positive_float

__all__ = ["run", "register"]

def run(args):
    """A two-parameter region: JSON document, CSV rows (one per edge point) or a table of the outer edge."""
    from ..experiment.files import load_experiment
    from ..experiment.registry import get_experiment
    from ..presentation.formatting import fmt
    from ..statistics.regions import region_record

    if args.experiment_file:
        target = load_experiment(args.experiment_file)
    else:
        try:
            target = get_experiment(args.experiment)
        except ValueError:
            target = args.experiment          # a Table 1 name such as CsI, with --stage
    rec = region_record(target, args.stage, beam=args.beam, plane=args.plane, level=args.level)
    i, j = rec["plane"]
    cl = confidence_level(rec["level"], 2)
    document = {**rec, "unit": LAMBDA_UNIT, "cl": cl}
    common = {"experiment": rec["experiment"], "stage": rec["stage"], "beam": rec["beam"], "plane": f"{i},{j}",
              "level": rec["level"]}
    records = [{**common, "edge": "outer", **p, "unit": LAMBDA_UNIT, "cl": cl} for p in rec["points"]]
    records += [{**common, "edge": "inner", **p, "unit": LAMBDA_UNIT, "cl": cl} for p in rec.get("inner_points", ())]
    icpt = ", ".join(f"{k} = {fmt(v)}" for k, v in rec["intercepts"].items())
    label = rec["experiment"] + (f" ({rec['stage']})" if rec["stage"] else "")
    notes = (f"{label}, beam {rec['beam']}, plane {rec['plane']}, "
             f"Delta chi^2 = {rec['level']}",
             f"axis intercepts (1e-10 mu_B): {icpt}")
    if args.format == "table":
        records = [{**p} for p in rec["points"]]
    return Output(records, ("lambda_i", "lambda_j"), notes, document=document if args.format == "json" else None)


def register(sub):
    """Add the ``region`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "region", run, default_format="json",
                     help="two-parameter allowed region of two moments (contour points and axis intercepts)",
                     description="Allowed region in a plane of two moduli (|Lambda_i|, |Lambda_j|), the third "
                                 "set to zero, real\ncouplings: the outer edge of the region from the "
                                 "|Lambda_i| axis to the |Lambda_j| axis, the axis\nintercepts, and the inner "
                                 "edge where the data exclude the origin.\n"
                                 "Units: 1e-10 mu_B (Bohr magnetons). CSV: one row per edge point.")
    ge = p.add_mutually_exclusive_group(required=True)
    ge.add_argument("--experiment", metavar="NAME",
                    help="experiment name as in Table 1 (CsI, HPGe, LAr, NaI, CONUS, CONNIE, MINER, TEXONO, RED100; "
                         "with --stage), or the full name of a shipped experiment (e.g. 'CONUS+') (required, or "
                         "--experiment-file)")
    ge.add_argument("--experiment-file", metavar="FILE", help="an experiment file of your own (TOML)")
    p.add_argument("--stage", choices=("current", "future"), default="current",
                   help="the current or future setup of Table 1 (with a Table 1 experiment name)")
    p.add_argument("--beam", choices=("prompt", "delayed", "full", "reactor"), default=None,
                   help="neutrino beam component (default: full for SNS experiments, reactor for reactor ones)")
    p.add_argument("--plane", type=plane_indices, default=(1, 2), metavar="I,J",
                   help="the two moments, two of 1,2,3 (default: 1,2)")
    p.add_argument("--level", type=positive_float, default=DCHI2_90_2D, metavar="DCHI2",
                   help=f"Delta chi^2 of the contour, dimensionless (default: {DCHI2_90_2D}, i.e. 90%% C.L. for 2 "
                        "parameters)")
