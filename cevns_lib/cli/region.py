"""``cevns region``: a two-parameter allowed region of the transition moments."""

from ..statistics.levels import DCHI2_90_2D, confidence_level
from .base import Output, add_command
from .options import LAMBDA_UNIT, finite_numbers, parameter_pair, positive_float

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
    if not isinstance(args.plane[0], int) or args.x_range or args.y_range or args.points is not None or \
            (not isinstance(target, str) and target.statistic == "binned-poisson"):
        return _named_region(target, args)
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


def _named_region(target, args):
    """The region of any two parameters (names) on a grid: parameter_region with the experiment's statistic."""
    from ..experiment.registry import get_setup
    from ..statistics.planes import parameter_region

    if isinstance(target, str):
        target = get_setup(target, args.stage)
    names = tuple(f"Lambda{i}" for i in args.plane) if isinstance(args.plane[0], int) else args.plane
    for name, rng in (("--x-range", args.x_range), ("--y-range", args.y_range)):
        if rng is not None and (len(rng) != 2 or not rng[0] < rng[1]):
            raise ValueError(f"{name}: expected LOW,HIGH with LOW < HIGH, got {rng}")
    reg = parameter_region(target, names, level=args.level, n=args.points or 41, x_range=args.x_range,
                           y_range=args.y_range, beam=args.beam)
    a, b = reg.parameters
    doc = {**reg.record(), "unit": f"{reg.units[0]}, {reg.units[1]}"}
    records = [{"experiment": reg.experiment, a: float(x), b: float(y), "delta_chi2": float(reg.delta_chi2[j, i]),
                "allowed": bool(reg.delta_chi2[j, i] <= reg.level), "level": reg.level, "cl": reg.cl,
                "unit": doc["unit"]} for j, y in enumerate(reg.y) for i, x in enumerate(reg.x)]
    ext = reg.extent()
    notes = (f"{reg.experiment}: plane ({a}, {b}) in ({reg.units[0]}, {reg.units[1]}), statistic '{reg.statistic}', "
             f"Delta chi^2 <= {reg.level} ({reg.cl:.0%} C.L., two parameters)",
             f"best fit: {a} = {reg.best_fit[0]:.4g}, {b} = {reg.best_fit[1]:.4g}"
             + ("; the region reaches the edge of the grid: widen --x-range / --y-range" if reg.touches_edge()
                else ""))
    if args.format == "table":
        records = [{"parameter": a, "low": ext[0], "high": ext[1], "unit": reg.units[0]},
                   {"parameter": b, "low": ext[2], "high": ext[3], "unit": reg.units[1]}]
        return Output(records, ("parameter", "low", "high", "unit"), notes)
    return Output(records, (a, b, "delta_chi2", "allowed"), notes, document=doc if args.format == "json" else None)


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
    p.add_argument("--beam", choices=("prompt", "delayed", "full", "reactor", "all"), default=None,
                   help="neutrino beam component (default: full for SNS experiments, reactor for reactor ones)")
    p.add_argument("--plane", type=parameter_pair, default=(1, 2), metavar="A,B",
                   help="two parameter names (e.g. mu_nue,q_nue or q_nue,r2_nue), or two indices of the transition "
                        "moments |Lambda_i| (1,2); names give the region on a grid with the experiment's own "
                        "statistic (default: 1,2)")
    p.add_argument("--x-range", type=lambda t: finite_numbers(t, "--x-range"), default=None, metavar="LOW,HIGH",
                   help="grid range of the first parameter in its unit (default: its one-parameter allowed set at "
                        "the level, widened)")
    p.add_argument("--y-range", type=lambda t: finite_numbers(t, "--y-range"), default=None, metavar="LOW,HIGH",
                   help="grid range of the second parameter in its unit (default: as --x-range)")
    p.add_argument("--points", type=int, default=None, metavar="N",
                   help="grid points per axis for a plane of names, an integer >= 5 (default: 41)")
    p.add_argument("--level", type=positive_float, default=DCHI2_90_2D, metavar="DCHI2",
                   help=f"Delta chi^2 of the contour, dimensionless (default: {DCHI2_90_2D}, i.e. 90%% C.L. for 2 "
                        "parameters)")
