"""Command line: ``python -m cevns_lib {rates,table2,region,tensor} [--format ...]``.

Tables for people (``--format table``), JSON or CSV for programs.
"""

import argparse
import csv
import io
import json
import sys

from .formatting import table


def _emit(records, fmt, columns, out):
    if fmt == "json":
        out.write(json.dumps(records, indent=1, allow_nan=False, default=str) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(records[0]) if records else columns, lineterminator="\n")
        w.writeheader()
        w.writerows(records)
        out.write(buf.getvalue())
    else:
        rows = [["-" if r[c] is None else r[c] for c in columns] for r in records]
        out.write(table(rows, columns) + "\n")


def cmd_rates(args, out):
    from .constants import MU_UNIT
    from .experiments import all_setups
    from .rates import event_yields

    records = []
    for s in all_setups():
        y = event_yields(s)
        for f in s.flavours:
            records.append({"experiment": s.experiment, "setup": s.setup, "flavour": f,
                            "n_sm": y.n_sm[f], "n_em_per_1e-10_muB_sq": y.n_em[f] * MU_UNIT**2})
    _emit(records, args.format, ["experiment", "setup", "flavour", "n_sm", "n_em_per_1e-10_muB_sq"], out)


def cmd_table2(args, out):
    from .limits import table2

    records = table2()
    for r in records:
        r["ratio"] = r["limit"] / r["paper"] if r["paper"] else None
    if args.format == "table":
        _emit(records, "table", ["experiment", "beam", "setup", "parameter", "limit", "paper", "ratio"], out)
    else:
        for r in records:
            r.pop("ratio")
        _emit(records, args.format, [], out)


def cmd_region(args, out):
    from .regions import region_record

    plane = tuple(int(p) for p in args.plane.split(","))
    rec = region_record(args.experiment, args.setup, beam=args.beam, plane=plane, level=args.level)
    if args.format == "json":
        out.write(json.dumps(rec, indent=1, allow_nan=False) + "\n")
    else:
        out.write(f"{rec['experiment']} ({rec['setup']}), beam {rec['beam']}, plane {rec['plane']}, "
                  f"Delta chi^2 = {rec['level']}\n")
        from .formatting import fmt
        icpt = ", ".join(f"{k} = {fmt(v)}" for k, v in rec["intercepts"].items())
        out.write(f"axis intercepts (1e-10 mu_B): {icpt}\n")
        _emit(rec["points"], "table", ["lambda_i", "lambda_j"], out)


def cmd_tensor(args, out):
    from .tensor_nsi import table_records

    records = table_records()
    if args.format == "table":
        first = records[0] if records else {}
        out.write("Assumptions: " + ", ".join(f"{k} = {first[k]}" for k in TENSOR_ASSUMPTIONS if k in first) + "\n")
        _emit(records, "table", [k for k in TENSOR_COLUMNS if k in first], out)
    else:
        _emit(records, args.format, list(records[0]) if records else [], out)


#: Columns of the people-facing tensor table; JSON and CSV carry every key of the records.
TENSOR_COLUMNS = ("target", "distance_m", "beam", "quark", "n_sm", "epsilon_limit", "magnetic_moment_muB")
TENSOR_ASSUMPTIONS = ("flux_normalisation_cm2_s", "form_factor", "cutoff_Lambda_TeV", "C_T_over_G_F",
                      "threshold_keV", "mass_kg", "delta_chi2")


def build_parser():
    p = argparse.ArgumentParser(prog="python -m cevns_lib", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("rates", help="SM and magnetic-moment event numbers of every Table 1 setup")
    r.add_argument("--format", choices=("json", "csv", "table"), default="table")
    r.set_defaults(func=cmd_rates)

    t = sub.add_parser("table2", help="every Table 2 limit (plus the full SNS beam) beside the paper's value")
    t.add_argument("--format", choices=("json", "csv", "table"), default="table")
    t.set_defaults(func=cmd_table2)

    g = sub.add_parser("region", help="two-parameter allowed region (contour points and axis intercepts)")
    g.add_argument("--experiment", required=True)
    g.add_argument("--setup", choices=("current", "future"), default="current")
    g.add_argument("--beam", choices=("prompt", "delayed", "full", "reactor"), default=None)
    g.add_argument("--plane", default="1,2", help="two of 1,2,3, e.g. 1,3")
    g.add_argument("--level", type=float, default=4.61, help="Delta chi^2 (default 4.61: 90%% C.L., 2 d.o.f.)")
    g.add_argument("--format", choices=("json", "table"), default="json")
    g.set_defaults(func=cmd_region)

    n = sub.add_parser("tensor", help="tensor-NSI limits and the magnetic moments they induce")
    n.add_argument("--format", choices=("json", "csv", "table"), default="table")
    n.set_defaults(func=cmd_tensor)
    return p


def main(argv=None, out=None):
    out = sys.stdout if out is None else out
    args = build_parser().parse_args(argv)
    try:
        args.func(args, out)
    except (ValueError, TypeError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0
