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
from .statistics.levels import DCHI2_90_1D, DCHI2_90_2D, confidence_level

__all__ = [
    "PROG", "FORMATS", "LAMBDA_UNIT", "DEBUG_ENV", "DESCRIPTION", "EPILOG", "CLIError", "Output",
    "RATES_UNIT", "cmd_rates", "cmd_table2", "cmd_region", "TENSOR_COLUMNS",
    "TENSOR_ASSUMPTIONS", "TENSOR_UNIT", "cmd_tensor", "cmd_limits", "cmd_fit", "XSEC_SOURCES", "cmd_xsec",
    "build_parser", "main"
]


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
  cevns region --experiment CONNIE --stage current --plane 1,2 --format json
  cevns tensor --format table
  cevns rates --experiment-file my-detector.toml --format json
  cevns limits --experiment "CONUS+" --parameter mu_nue --format json
  cevns xsec --nucleus 133Cs --enu-MeV 30 --recoil-keV 1,5,10 --model sm
  cevns xsec --flux-averaged --source sns --target CsI
  cevns fit --dataset coherent-lar-2020 --format json
  cevns limits --dataset coherent-lar-2020 --dataset coherent-csi-2021 --parameter mu_numu"""


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
        from .presentation.formatting import table

        text = "".join(line + "\n" for line in output.notes)
        rows = [["-" if r.get(c) is None else r[c] for c in output.columns] for r in output.records]
        out.write(text + table(rows, list(output.columns)) + "\n")
    else:
        raise CLIError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")


RATES_UNIT = "events"


def _chosen_experiment(args):
    """The Experiment named by --experiment NAME or read from --experiment-file FILE, or None."""
    from .experiment.files import load_experiment
    from .experiment.registry import get_experiment

    if getattr(args, "experiment_file", None):
        return load_experiment(args.experiment_file)
    if getattr(args, "experiment", None):
        return get_experiment(args.experiment)
    return None


def _experiments(args):
    """The chosen experiment, or every Table 1 setup."""
    from .experiment.registry import all_setups

    chosen = _chosen_experiment(args)
    return (chosen,) if chosen is not None else all_setups()


def _add_experiment_options(p, what="every setup of Table 1 of arXiv:1905.03750"):
    group = p.add_mutually_exclusive_group()
    group.add_argument("--experiment", metavar="NAME",
                       help="a shipped experiment by name or alias, e.g. 'CONUS current', 'CsI[Na] current', "
                            f"'CONUS+' (default: {what})")
    group.add_argument("--experiment-file", metavar="FILE",
                       help="an experiment file of your own (TOML; see the book chapter 'Your own experiment')")
    return group


def cmd_rates(args):
    """SM events and magnetic-moment events per (1e-10 mu_B)^2, per setup and incident flavour."""
    from .constants import MU_UNIT
    from .engine.yields import event_yields

    records = []
    for s in _experiments(args):
        y = event_yields(s)
        for f in s.flavours:
            records.append({"experiment": s.experiment, "stage": s.stage, "flavour": f,
                            "n_sm": y.n_sm[f], "n_em_per_1e-10_muB_sq": y.n_em[f] * MU_UNIT**2,
                            "unit": RATES_UNIT})
    notes = ("Events over each setup's whole exposure: n_sm = Standard Model; n_em_per_1e-10_muB_sq = "
             "magnetic-moment events for mu_eff = 1e-10 mu_B (scale with mu_eff^2).",)
    return Output(records, ("experiment", "stage", "flavour", "n_sm", "n_em_per_1e-10_muB_sq"), notes)


def cmd_table2(args):
    """Every Table 2 limit (1e-10 mu_B, 90% C.L.) beside the published value; the table adds their ratio."""
    from .papers.miranda2019.table2 import experiment_table2, table2

    cl = confidence_level(DCHI2_90_1D, 1)
    chosen = _chosen_experiment(args)
    rows = table2() if chosen is None else experiment_table2(chosen)
    records = [{**r, "unit": LAMBDA_UNIT, "cl": cl} for r in rows]
    if args.format == "table":
        records = [{**r, "ratio": r["limit"] / r["paper"] if r["paper"] else None} for r in records]
    notes = (f"Upper limits on |Lambda_i| at {cl:.0%} C.L. (Delta chi^2 = {DCHI2_90_1D}, one parameter at a time), "
             f"in {LAMBDA_UNIT}; paper = Table 2 of arXiv:1905.03750; ratio = limit / paper.",)
    return Output(records, ("experiment", "beam", "stage", "parameter", "limit", "paper", "ratio"), notes)


def cmd_region(args):
    """A two-parameter region: JSON document, CSV rows (one per edge point) or a table of the outer edge."""
    from .experiment.files import load_experiment
    from .experiment.registry import get_experiment
    from .presentation.formatting import fmt
    from .statistics.regions import region_record

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


#: Columns of the people-facing tensor table; JSON and CSV carry every key of the records.
TENSOR_COLUMNS = ("target", "distance_m", "beam", "quark", "n_sm", "epsilon_limit", "magnetic_moment_muB")


TENSOR_ASSUMPTIONS = ("flux_normalisation_cm2_s", "form_factor", "cutoff_Lambda_TeV", "C_T_over_G_F",
                      "threshold_keV", "mass_kg", "delta_chi2")


TENSOR_UNIT = "dimensionless"


def cmd_tensor(args):
    """Tensor-NSI limits (dimensionless epsilon, 90% C.L.) and the magnetic moments they induce (mu_B)."""
    from .papers.tensor_nsi import experiment_records, table_records

    chosen = _chosen_experiment(args)
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


def cmd_limits(args):
    """One-parameter limits (90% C.L. by default) on electromagnetic parameters of an experiment."""
    from .statistics.limits import constrained_parameters, parameter_limit

    if args.dataset:
        return _dataset_limits(args)
    chosen = _chosen_experiment(args)
    if chosen is None:
        raise CLIError("give --experiment NAME, --experiment-file FILE or --dataset NAME (released COHERENT data)")
    names = args.parameter or constrained_parameters(chosen)
    records = []
    for name in names:
        records.append(_flat_intervals(parameter_limit(chosen, name, cl=args.cl, beam=args.beam).record(), args.format))
    notes = (f"{chosen.name}: one parameter at a time, statistic '{chosen.statistic}', {args.cl:.0%} C.L.; "
             "limit = upper limit (moments) or the largest |x| of the interval around 0 (charges, radii).",)
    return Output(records, ("parameter", "limit", "lower", "upper", "unit", "intervals"), notes)


def _flat_intervals(rec, fmt):
    """A limit record whose list of intervals becomes one text cell for the table and CSV formats."""
    if fmt != "json":
        rec = {**rec, "intervals": "; ".join(f"[{a:.4g}, {b:.4g}]" for a, b in rec["intervals"])}
    return rec


def _dataset_limits(args):
    """Profile-likelihood limits from released COHERENT data (several --dataset options combine them)."""
    from .datasets import coherent
    from .datasets.coherent.parameters import EM_PARAMETERS

    if getattr(args, "experiment", None) or getattr(args, "experiment_file", None):
        raise CLIError("give either --dataset or an experiment, not both")
    names = args.parameter or [p for p in EM_PARAMETERS]
    records = []
    for name in names:
        rec = coherent.limit(args.dataset, name, cl=args.cl).record()
        rec["datasets"] = "+".join(rec["datasets"])
        records.append(_flat_intervals(rec, args.format))
    notes = (f"{' + '.join(args.dataset)}: profile likelihood (Wilks), {args.cl:.0%} C.L., one parameter at a time; "
             "limit = upper limit (moments) or the largest |x| of the interval around 0 (charges, radii).",)
    return Output(records, ("datasets", "parameter", "limit", "lower", "upper", "unit", "intervals"), notes)


def cmd_fit(args):
    """The CEvNS rate fit of a released COHERENT dataset: fitted and predicted CEvNS events, nuisances."""
    from .datasets import coherent

    rec = dict(coherent.fit(args.dataset).record())
    notes = (f"{args.dataset}: binned Poisson likelihood, signal strength free; n_cevns with its 68% (MINOS) "
             "errors and our engine's prediction, in events; backgrounds in events, shape pulls in sigma.",)
    columns = tuple(k for k in rec if k not in ("unit", "m2lnl", "n_bins"))
    return Output([rec], columns, notes)



def _numbers(text, name):
    try:
        values = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        values = []
    if not values or not all(math.isfinite(v) and v >= 0 for v in values):
        raise argparse.ArgumentTypeError(f"{name}: expected non-negative numbers separated by commas, got {text!r}")
    return values


XSEC_SOURCES = {"sns": "CsI[Na] current", "reactor": "CONUS current"}


#: The released COHERENT datasets (names of cevns_lib.datasets.coherent.DATASETS, listed here to keep --help fast).
_DATASETS = ("coherent-csi-2017", "coherent-lar-2020", "coherent-csi-2021")


def cmd_xsec(args):
    """Differential cross sections dsigma/dT (cm^2/keV), or a flux-averaged total cross section (cm^2)."""
    from dataclasses import replace

    from .engine.yields import flux_averaged_cross_section
    from .experiment.registry import get_experiment
    from .physics import em_properties
    from .physics.model import PhysicsModel
    from .physics.nuclei import isotope

    physics = PhysicsModel(kinematics=args.kinematics, form_factor=args.form_factor)
    if args.flux_averaged:
        if not args.target:
            raise CLIError("--flux-averaged needs --target MATERIAL (e.g. CsI)")
        exp = replace(get_experiment(XSEC_SOURCES[args.source]), material=args.target, physics=physics)
        sigma = flux_averaged_cross_section(exp, threshold_keV=args.threshold_keV)
        rec = {"source": args.source, "target": args.target, "threshold_keV": args.threshold_keV,
               "kinematics": args.kinematics, "sigma_cm2": sigma, "unit": "cm^2"}
        notes = (f"Flux-averaged Standard-Model cross section per {args.target} nucleus (averaged over its nuclei "
                 f"and the {args.source} spectrum), recoils above {args.threshold_keV:g} keVnr; cm^2.",)
        if args.source == "sns" and args.target == "CsI" and args.threshold_keV == 0:
            from .data import read_toml

            ref = read_toml("coherent", "csi2021", "parameters.toml")["published"]["xsec_sm_1e-40cm2"]
            rec["coherent_sm_cm2"] = ref["value"] * 1e-40
            notes += (f"COHERENT's Standard-Model value: ({ref['value']:g} +- {ref['err_high']:g}) x 1e-40 cm^2 "
                      f"({ref['source']}); ours / theirs = {sigma / (ref['value'] * 1e-40):.3f}.",)
            return Output([rec], ("source", "target", "kinematics", "sigma_cm2", "coherent_sm_cm2"), notes)
        return Output([rec], ("source", "target", "threshold_keV", "kinematics", "sigma_cm2"), notes)
    if args.nucleus is None or args.enu_MeV is None or args.recoil_keV is None:
        raise CLIError("give --nucleus, --enu-MeV and --recoil-keV (or --flux-averaged with --source and --target)")
    iso = isotope(args.nucleus)
    mu = args.mu_muB if args.model == "mu" else 0.0
    records = []
    for T in args.recoil_keV:
        if args.model == "sm":
            value = float(em_properties.dsigma(args.enu_MeV, T, iso, model=physics))
        else:
            value = float(em_properties.dsigma(args.enu_MeV, T, iso, mu_muB=mu, model=physics)
                          - em_properties.dsigma(args.enu_MeV, T, iso, model=physics))
        records.append({"nucleus": iso.name, "enu_MeV": args.enu_MeV, "recoil_keV": T, "model": args.model,
                        "kinematics": args.kinematics, "dsigma_dT_cm2_per_keV": value, "unit": "cm^2/keV"})
    what = "Standard Model" if args.model == "sm" else f"magnetic moment {mu:g} mu_B (helicity flip only)"
    notes = (f"dsigma/dT on {iso.name} at E_nu = {args.enu_MeV:g} MeV, {what}, {args.kinematics} kinematics; "
             "cm^2 per keV of nuclear recoil; zero above T_max.",)
    return Output(records, ("nucleus", "enu_MeV", "recoil_keV", "model", "dsigma_dT_cm2_per_keV"), notes)


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


def _float(text, allow_zero):
    """A finite number > 0 (or >= 0 with ``allow_zero``) from an option value."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (math.isfinite(value) and (value >= 0 if allow_zero else value > 0)):
        raise argparse.ArgumentTypeError(f"expected {'a number >= 0' if allow_zero else 'a positive number'}, "
                                         f"got {text!r}")
    return value


def _positive_float(text):
    return _float(text, allow_zero=False)


def _probability(text):
    value = _positive_float(text)
    if not value < 1:
        raise argparse.ArgumentTypeError(f"expected a confidence level between 0 and 1, got {text!r}")
    return value


def _nonnegative_float(text):
    return _float(text, allow_zero=True)


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

    r = _add_command(sub, "rates", cmd_rates,
                 help="SM and magnetic-moment event numbers of every Table 1 setup",
                 description="Standard-Model CEvNS events (n_sm) and magnetic-moment events per unit effective "
                             "moment (n_em_per_1e-10_muB_sq)\nfor every setup of Table 1 of arXiv:1905.03750, "
                             "current and future, per incident neutrino flavour.\n"
                             "Units: events over the setup's whole exposure; n_em for mu_eff = 1e-10 mu_B, "
                             "i.e. events per (1e-10 mu_B)^2.")
    _add_experiment_options(r)
    t = _add_command(sub, "table2", cmd_table2,
                 help="every Table 2 limit (plus the full SNS beam) beside the paper's value",
                 description="Upper limits on the transition magnetic moments |Lambda_1|, |Lambda_2|, |Lambda_3| "
                             "(one at a time,\nreal, 90% C.L., Delta chi^2 = 2.71) for every setup and beam of "
                             "Table 2 of arXiv:1905.03750,\nplus the full SNS beam, beside the published value "
                             "('paper'; empty where the paper prints none).\n"
                             "Units: 1e-10 mu_B (Bohr magnetons).")
    _add_experiment_options(t)
    g = _add_command(sub, "region", cmd_region, default_format="json",
                     help="two-parameter allowed region of two moments (contour points and axis intercepts)",
                     description="Allowed region in a plane of two moduli (|Lambda_i|, |Lambda_j|), the third "
                                 "set to zero, real\ncouplings: the outer edge of the region from the "
                                 "|Lambda_i| axis to the |Lambda_j| axis, the axis\nintercepts, and the inner "
                                 "edge where the data exclude the origin.\n"
                                 "Units: 1e-10 mu_B (Bohr magnetons). CSV: one row per edge point.")
    ge = g.add_mutually_exclusive_group(required=True)
    ge.add_argument("--experiment", metavar="NAME",
                    help="experiment name as in Table 1 (CsI, HPGe, LAr, NaI, CONUS, CONNIE, MINER, TEXONO, RED100; "
                         "with --stage), or the full name of a shipped experiment (e.g. 'CONUS+') (required, or "
                         "--experiment-file)")
    ge.add_argument("--experiment-file", metavar="FILE", help="an experiment file of your own (TOML)")
    g.add_argument("--stage", choices=("current", "future"), default="current",
                   help="the current or future setup of Table 1 (with a Table 1 experiment name)")
    g.add_argument("--beam", choices=("prompt", "delayed", "full", "reactor"), default=None,
                   help="neutrino beam component (default: full for SNS experiments, reactor for reactor ones)")
    g.add_argument("--plane", type=_plane, default=(1, 2), metavar="I,J",
                   help="the two moments, two of 1,2,3 (default: 1,2)")
    g.add_argument("--level", type=_positive_float, default=DCHI2_90_2D, metavar="DCHI2",
                   help=f"Delta chi^2 of the contour, dimensionless (default: {DCHI2_90_2D}, i.e. 90%% C.L. for 2 "
                        "parameters)")
    n = _add_command(sub, "tensor", cmd_tensor,
                 help="tensor-NSI limits and the magnetic moments they induce",
                 description="Tensor non-standard interactions (Papoulias and Kosmas): for each COHERENT-like "
                             "target, beam\nand quark, the SM events, the 90% C.L. limit on the tensor coupling "
                             "|epsilon^{qT}| (one\nparameter, Delta chi^2 = 2.71) and the magnetic moment it "
                             "induces.\nUnits: epsilon dimensionless; magnetic_moment_muB in mu_B; distance_m in m; "
                             "n_sm in events.")
    _add_experiment_options(n, what="the four COHERENT-like detectors of the proceedings")
    lim = _add_command(sub, "limits", cmd_limits,
                       help="90%% C.L. limits on electromagnetic parameters of an experiment",
                       description="One-parameter confidence regions of neutrino electromagnetic parameters, with "
                                   "the experiment's own\nstatistic: the Majorana transition moments Lambda1, "
                                   "Lambda2, Lambda3 and the flavour moments mu_nue,\nmu_numu, mu_nutau, mu_eff "
                                   "(1e-10 mu_B), the millicharges q_nue, q_numu, q_nutau (e) and the\ncharge "
                                   "radii r2_nue, r2_numu, r2_nutau (cm^2). Records: parameter, limit, lower, "
                                   "upper,\nintervals (all allowed intervals), unit, cl.\n"
                                   "Units: moments in 1e-10 mu_B, millicharges in e, charge radii in cm^2.")
    _add_experiment_options(lim, what="none: give one of them, or --dataset")
    lim.add_argument("--dataset", action="append", choices=_DATASETS, metavar="NAME",
                     help="a released COHERENT dataset (" + ", ".join(_DATASETS) + "); repeat to combine")
    lim.add_argument("--parameter", action="append", metavar="NAME",
                     help="a parameter name; repeat for several (default: every parameter the experiment's "
                          "neutrinos can constrain)")
    lim.add_argument("--cl", type=_probability, default=0.9, help="confidence level, between 0 and 1")
    lim.add_argument("--beam", default=None,
                     help="components to use: prompt, delayed, full (SNS), e-flavour, mu-flavour (default: all)")
    f = _add_command(sub, "fit", cmd_fit,
                     help="CEvNS rate fit of a released COHERENT dataset",
                     description="The binned Poisson likelihood of a released COHERENT dataset with its "
                                 "documented nuisances,\nfitted with the CEvNS signal strength free: the fitted "
                                 "CEvNS events with their asymmetric errors,\nour engine's prediction for the same "
                                 "window, the fitted background events and shape pulls.\n"
                                 "Units: events; pulls in standard deviations.")
    f.add_argument("--dataset", required=True, choices=_DATASETS, metavar="NAME",
                   help="one of " + ", ".join(_DATASETS) + " (required)")
    x = _add_command(sub, "xsec", cmd_xsec,
                     help="differential or flux-averaged CEvNS cross sections",
                     description="dsigma/dT of one nucleus at one neutrino energy and several recoil energies "
                                 "(cm^2/keV), for the\nStandard Model ('sm') or the magnetic-moment term ('mu'); "
                                 "or, with --flux-averaged, the\nStandard-Model cross section averaged over a "
                                 "source's spectrum and a target's nuclei (cm^2).\n"
                                 "Units: neutrino energy in MeV, recoil energies in keV (nuclear recoil), "
                                 "dsigma/dT in cm^2/keV, sigma in cm^2.")
    x.add_argument("--nucleus", metavar="ISOTOPE", help="target isotope, e.g. 133Cs")
    x.add_argument("--enu-MeV", dest="enu_MeV", type=_positive_float, metavar="E", help="neutrino energy (MeV)")
    x.add_argument("--recoil-keV", dest="recoil_keV", type=lambda t: _numbers(t, "--recoil-keV"), metavar="T,T,...",
                   help="nuclear recoil energies (keV), separated by commas")
    x.add_argument("--model", choices=("sm", "mu"), default="sm",
                   help="sm: Standard Model; mu: the magnetic-moment term alone")
    x.add_argument("--mu-muB", dest="mu_muB", type=_positive_float, default=1e-10, metavar="MU",
                   help="magnetic moment for --model mu (mu_B)")
    x.add_argument("--kinematics", choices=("paper", "exact"), default="paper",
                   help="paper: eq. (20) as printed; exact: with the -T/E term")
    x.add_argument("--form-factor", dest="form_factor", choices=("sf", "helm", "kn", "none"), default="sf",
                   help="nuclear form factor")
    x.add_argument("--flux-averaged", action="store_true",
                   help="print the flux-averaged total cross section instead (needs --source and --target)")
    x.add_argument("--source", choices=tuple(XSEC_SOURCES), default="sns", help="neutrino source for --flux-averaged")
    x.add_argument("--target", metavar="MATERIAL", help="target material for --flux-averaged, e.g. CsI, Ar")
    x.add_argument("--threshold-keV", dest="threshold_keV", type=_nonnegative_float, default=0.0, metavar="T",
                   help="lowest nuclear recoil energy counted by --flux-averaged (keV)")
    return p


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
