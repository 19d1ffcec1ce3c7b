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
import os
import sys
import warnings

from .. import __version__
from . import fit, limits, profile, rates, region, spectrum, table2, tensor, xsec
from .base import FORMATS, CLIError, HelpFormatter, Output, add_command

__all__ = ["PROG", "FORMATS", "DEBUG_ENV", "DESCRIPTION", "EPILOG", "COMMANDS", "CLIError", "Output", "add_command",
           "build_parser", "main"]

PROG = "cevns"


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
  cevns limits --dataset coherent-lar-2020 --dataset coherent-csi-2021 --parameter mu_numu
  cevns spectrum --experiment "CONUS+ binned" --format csv --plot spectrum.png --example mu_nue=3
  cevns profile --experiment "CONUS+ binned" --parameter mu_nue --range 0,4 --points 9
  cevns limits --experiment "CONUS+ binned" --parameter mu_nue --toys 200 --jobs 2
  cevns region --experiment "CONUS+ binned" --plane mu_nue,q_nue --format json"""


#: The subcommand modules, in the order of ``cevns --help``: each has ``register(sub)`` and ``run(args)``.
COMMANDS = (rates, table2, region, tensor, limits, fit, xsec, spectrum, profile)






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
        from ..presentation.formatting import table

        text = "".join(line + "\n" for line in output.notes)
        rows = [["-" if r.get(c) is None else r[c] for c in output.columns] for r in output.records]
        out.write(text + table(rows, list(output.columns)) + "\n")
    else:
        raise CLIError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr (exit status 2), without the usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")






def build_parser():
    """The argument parser of ``cevns``, with every subcommand of :data:`COMMANDS`."""
    p = _Parser(prog=PROG, description=DESCRIPTION, epilog=EPILOG, formatter_class=HelpFormatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.register(sub)
    return p


def _one_line_warning(message, category, filename, lineno, line=None):
    """A warning as one line on stderr: 'cevns: warning: ...'."""
    return f"{PROG}: warning: {' '.join(str(message).split())}\n"


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
    from ..data import DataError
    from ..experiment.files import ExperimentFileWarning

    out = sys.stdout if out is None else out
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:       # --help, --version (0) and usage errors (2, already reported)
            out.flush()
            return exc.code if isinstance(exc.code, int) else 2
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExperimentFileWarning)
            result = args.func(args)
        for w in caught:
            sys.stderr.write(_one_line_warning(w.message, w.category, w.filename, w.lineno))
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
