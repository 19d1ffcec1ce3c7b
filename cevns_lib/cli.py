"""The ``cevns`` command (also ``python -m cevns_lib``): tables for people, JSON or CSV for programs.

Each subcommand is a function ``cmd_NAME(args) -> Output`` registered in :func:`build_parser` with
:func:`_add_command`, which also adds the common ``--format`` option; :func:`_emit` writes the
:class:`Output` as a table, JSON or CSV. Errors are one line on stderr and exit status 2.

To add a subcommand: write ``cmd_xyz(args)`` returning ``Output(records, columns, notes)`` (every
record a flat dict with a ``unit`` key, and ``cl`` for limits), then register it in
:func:`build_parser` with ``_add_command(sub, "xyz", cmd_xyz, help=..., description=...)`` and add
its own options to the parser that call returns.
"""

import argparse
import csv
import io
import json
import math
import os
import sys
from dataclasses import dataclass

from . import __version__

PROG = "cevns"
FORMATS = ("table", "json", "csv")
#: Unit of the magnetic-moment parameters (moduli |Lambda_i|) in every record.
LAMBDA_UNIT = "1e-10 mu_B"
#: Set this environment variable to get the Python traceback of an unexpected error.
DEBUG_ENV = "CEVNS_DEBUG"

DESCRIPTION = """\
Coherent elastic neutrino-nucleus scattering (CEvNS) and neutrino electromagnetic properties:
event numbers, the Table 2 limits of arXiv:1905.03750 (Miranda, Papoulias, Tortola, Valle,
JHEP 07 (2019) 103), two-parameter regions of the transition magnetic moments, and tensor
non-standard interactions (Papoulias and Kosmas).

Units: neutrino energies in MeV, recoil energies in keV, event numbers in events over the
setup's whole exposure, magnetic moments |Lambda_i| in 1e-10 mu_B (Bohr magnetons)."""

EPILOG = """\
JSON and CSV records carry a 'unit' key (the unit of the record's main numbers) and, for
limits and regions, 'cl' (the confidence level); a key that ends in a unit (_m, _kg, _keV,
_muB, _cm2_s, _per_1e-10_muB_sq) is in that unit. Data are read from the package (or from the
folder named by the environment variable CEVNS_DATA). Errors are one line on stderr with exit
status 2. Run 'cevns COMMAND --help' for the options of a command.

examples:
  cevns rates --format json
  cevns table2 --format csv
  cevns region --experiment CONNIE --setup current --plane 1,2 --format json
  cevns tensor --format table"""


class CLIError(Exception):
    """An error the user can fix; reported as one line, exit status 2."""


@dataclass
class Output:
    """What a subcommand produces.

    ``records``: flat dicts (the JSON list and the CSV rows); ``columns``: the keys shown by
    ``--format table``; ``notes``: lines printed above the table (table format only);
    ``document``: a JSON document to print instead of the list of records (None: the records).
    """

    records: list
    columns: tuple
    notes: tuple = ()
    document: object = None


def confidence_level(delta_chi2, dof):
    """Confidence level of a Delta chi^2 threshold with 1 or 2 parameters, rounded to 3 decimals (2.71 -> 0.9)."""
    if dof == 1:
        p = math.erf(math.sqrt(delta_chi2 / 2))
    elif dof == 2:
        p = 1 - math.exp(-delta_chi2 / 2)
    else:
        raise ValueError(f"dof must be 1 or 2, got {dof!r}")
    return round(p, 3)


# ---------------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------------

def _emit(output, fmt, out):
    """Write an :class:`Output` to the text stream ``out`` as 'table', 'json' or 'csv'."""
    if fmt == "json":
        doc = output.records if output.document is None else output.document
        out.write(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        names = list(output.records[0]) if output.records else list(output.columns)
        w = csv.DictWriter(buf, fieldnames=names, lineterminator="\n")
        w.writeheader()
        w.writerows(output.records)
        out.write(buf.getvalue())
    elif fmt == "table":
        from .formatting import table

        text = "".join(line + "\n" for line in output.notes)
        rows = [["-" if r.get(c) is None else r[c] for c in output.columns] for r in output.records]
        out.write(text + table(rows, list(output.columns)) + "\n")
    else:
        raise CLIError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------------------------
# subcommands
# ---------------------------------------------------------------------------------------------

RATES_UNIT = "events"


def cmd_rates(args):
    """SM events and magnetic-moment events per (1e-10 mu_B)^2, per setup and incident flavour."""
    from .constants import MU_UNIT
    from .experiments import all_setups
    from .rates import event_yields

    records = []
    for s in all_setups():
        y = event_yields(s)
        for f in s.flavours:
            records.append({"experiment": s.experiment, "setup": s.setup, "flavour": f,
                            "n_sm": y.n_sm[f], "n_em_per_1e-10_muB_sq": y.n_em[f] * MU_UNIT**2,
                            "unit": RATES_UNIT})
    notes = ("Events over each setup's whole exposure: n_sm = Standard Model; n_em_per_1e-10_muB_sq = "
             "magnetic-moment events for mu_eff = 1e-10 mu_B (scale with mu_eff^2).",)
    return Output(records, ("experiment", "setup", "flavour", "n_sm", "n_em_per_1e-10_muB_sq"), notes)


def cmd_table2(args):
    """Every Table 2 limit (1e-10 mu_B, 90% C.L.) beside the published value; the table adds their ratio."""
    from .limits import table2
    from .statistics import DCHI2_90_1D

    cl = confidence_level(DCHI2_90_1D, 1)
    records = [{**r, "unit": LAMBDA_UNIT, "cl": cl} for r in table2()]
    if args.format == "table":
        records = [{**r, "ratio": r["limit"] / r["paper"] if r["paper"] else None} for r in records]
    notes = (f"Upper limits on |Lambda_i| at {cl:.0%} C.L. (Delta chi^2 = {DCHI2_90_1D}, one parameter at a time), "
             f"in {LAMBDA_UNIT}; paper = Table 2 of arXiv:1905.03750; ratio = limit / paper.",)
    return Output(records, ("experiment", "beam", "setup", "parameter", "limit", "paper", "ratio"), notes)


def cmd_region(args):
    """A two-parameter region: JSON document, CSV rows (one per edge point) or a table of the outer edge."""
    from .formatting import fmt
    from .regions import region_record

    rec = region_record(args.experiment, args.setup, beam=args.beam, plane=args.plane, level=args.level)
    i, j = rec["plane"]
    cl = confidence_level(rec["level"], 2)
    document = {**rec, "unit": LAMBDA_UNIT, "cl": cl}
    common = {"experiment": rec["experiment"], "setup": rec["setup"], "beam": rec["beam"], "plane": f"{i},{j}",
              "level": rec["level"]}
    records = [{**common, "edge": "outer", **p, "unit": LAMBDA_UNIT, "cl": cl} for p in rec["points"]]
    records += [{**common, "edge": "inner", **p, "unit": LAMBDA_UNIT, "cl": cl} for p in rec.get("inner_points", ())]
    icpt = ", ".join(f"{k} = {fmt(v)}" for k, v in rec["intercepts"].items())
    notes = (f"{rec['experiment']} ({rec['setup']}), beam {rec['beam']}, plane {rec['plane']}, "
             f"Delta chi^2 = {rec['level']}",
             f"axis intercepts (1e-10 mu_B): {icpt}")
    if args.format == "table":
        records = [{**p} for p in rec["points"]]
    return Output(records, ("lambda_i", "lambda_j"), notes, document=document if args.format == "json" else None)


#: Columns of the people-facing tensor table; JSON and CSV carry every key of the records.
TENSOR_COLUMNS = ("target", "distance_m", "beam", "quark", "n_sm", "epsilon_limit", "magnetic_moment_muB")
TENSOR_ASSUMPTIONS = ("flux_normalisation_cm2_s", "form_factor", "cutoff_Lambda_TeV", "C_T_over_G_F",
                      "threshold_keV", "mass_kg", "delta_chi2")
TENSOR_UNIT = "dimensionless"


def cmd_tensor(args):
    """Tensor-NSI limits (dimensionless epsilon, 90% C.L.) and the magnetic moments they induce (mu_B)."""
    from .tensor_nsi import table_records

    records = [{**r, "unit": TENSOR_UNIT, "cl": confidence_level(r["delta_chi2"], 1)} for r in table_records()]
    first = records[0] if records else {}
    notes = ("Assumptions: " + ", ".join(f"{k} = {first[k]}" for k in TENSOR_ASSUMPTIONS if k in first),)
    return Output(records, tuple(k for k in TENSOR_COLUMNS if k in first), notes)


# ---------------------------------------------------------------------------------------------
# parser
# ---------------------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr (exit status 2), without the usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and epilogs; shows the default of every option with one."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" not in text and action.default not in (None, argparse.SUPPRESS, False) \
                and action.option_strings:
            text += " (default: %(default)s)"
        return text


def _plane(text):
    try:
        plane = tuple(int(p) for p in text.split(","))
    except ValueError:
        plane = ()
    if len(plane) != 2 or plane[0] == plane[1] or not set(plane) <= {1, 2, 3}:
        raise argparse.ArgumentTypeError(f"expected two different indices of 1, 2, 3 separated by a comma "
                                         f"(e.g. 1,3), got {text!r}")
    return plane


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _add_command(sub, name, func, help, description, default_format="table"):
    """Register subcommand ``name`` (run by ``func(args) -> Output``) with the common ``--format`` option."""
    p = sub.add_parser(name, help=help, description=description, formatter_class=_Formatter)
    p.add_argument("--format", choices=FORMATS, default=default_format,
                   help="output: an aligned table for people, or JSON / CSV records for programs")
    p.set_defaults(func=func)
    return p


def build_parser():
    p = _Parser(prog=PROG, description=DESCRIPTION, epilog=EPILOG, formatter_class=_Formatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND",
                           parser_class=_Parser)

    _add_command(sub, "rates", cmd_rates,
                 help="SM and magnetic-moment event numbers of every Table 1 setup",
                 description="Standard-Model CEvNS events (n_sm) and magnetic-moment events per unit effective "
                             "moment (n_em_per_1e-10_muB_sq)\nfor every setup of Table 1 of arXiv:1905.03750, "
                             "current and future, per incident neutrino flavour.\n"
                             "Units: events over the setup's whole exposure; n_em for mu_eff = 1e-10 mu_B, "
                             "i.e. events per (1e-10 mu_B)^2.")
    _add_command(sub, "table2", cmd_table2,
                 help="every Table 2 limit (plus the full SNS beam) beside the paper's value",
                 description="Upper limits on the transition magnetic moments |Lambda_1|, |Lambda_2|, |Lambda_3| "
                             "(one at a time,\nreal, 90% C.L., Delta chi^2 = 2.71) for every setup and beam of "
                             "Table 2 of arXiv:1905.03750,\nplus the full SNS beam, beside the published value "
                             "('paper'; empty where the paper prints none).\n"
                             "Units: 1e-10 mu_B (Bohr magnetons).")
    g = _add_command(sub, "region", cmd_region, default_format="json",
                     help="two-parameter allowed region of two moments (contour points and axis intercepts)",
                     description="Allowed region in a plane of two moduli (|Lambda_i|, |Lambda_j|), the third "
                                 "set to zero, real\ncouplings: the outer edge of the region from the "
                                 "|Lambda_i| axis to the |Lambda_j| axis, the axis\nintercepts, and the inner "
                                 "edge where the data exclude the origin.\n"
                                 "Units: 1e-10 mu_B (Bohr magnetons). CSV: one row per edge point.")
    g.add_argument("--experiment", required=True,
                   help="experiment name as in Table 1, e.g. CsI, HPGe, LAr, NaI, CONUS, CONNIE, MINER, TEXONO, "
                        "RED100 (required)")
    g.add_argument("--setup", choices=("current", "future"), default="current", help="Table 1 setup")
    g.add_argument("--beam", choices=("prompt", "delayed", "full", "reactor"), default=None,
                   help="neutrino beam component (default: full for SNS experiments, reactor for reactor ones)")
    g.add_argument("--plane", type=_plane, default=(1, 2), metavar="I,J",
                   help="the two moments, two of 1,2,3 (default: 1,2)")
    g.add_argument("--level", type=_positive_float, default=4.61, metavar="DCHI2",
                   help="Delta chi^2 of the contour, dimensionless (default: 4.61, i.e. 90%% C.L. for 2 parameters)")
    _add_command(sub, "tensor", cmd_tensor,
                 help="tensor-NSI limits and the magnetic moments they induce",
                 description="Tensor non-standard interactions (Papoulias and Kosmas): for each COHERENT-like "
                             "target, beam\nand quark, the SM events, the 90% C.L. limit on the tensor coupling "
                             "|epsilon^{qT}| (one\nparameter, Delta chi^2 = 2.71) and the magnetic moment it "
                             "induces.\nUnits: epsilon dimensionless; magnetic_moment_muB in mu_B; distance_m in m; "
                             "n_sm in events.")
    return p


# ---------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------

def _one_line(exc):
    return " ".join(str(exc).split()) or type(exc).__name__


def _fail(message):
    sys.stderr.write(f"{PROG}: error: {message}\n")
    return 2


def _quiet_broken_pipe():
    """The reader went away (e.g. '| head -1'): send what is left to /dev/null, so the exit is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def main(argv=None, out=None):
    """Run the command line; returns the exit status (0 success, 2 error)."""
    from .data import DataError

    out = sys.stdout if out is None else out
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:       # --help, --version (0) and usage errors (2, already reported)
            out.flush()
            return exc.code if isinstance(exc.code, int) else 2
        result = args.func(args)
        _emit(result, args.format, out)
        out.flush()
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except (DataError, CLIError, OSError, ValueError, TypeError) as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        return _fail(_one_line(exc))
    except KeyError as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        return _fail(f"missing key {exc} in the data (is the data folder complete?)")
    except Exception as exc:  # noqa: BLE001 -- the promise is one line, never a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        return _fail(f"unexpected {type(exc).__name__}: {_one_line(exc)} (set {DEBUG_ENV}=1 for the traceback)")
    return 0
