"""The ``cevns`` command (also ``python -m cevns_lib``): tables for people, JSON or CSV for programs.

One module per subcommand (:mod:`.rates`, :mod:`.table2`, :mod:`.region`, :mod:`.tensor`, :mod:`.limits`,
:mod:`.fit`, :mod:`.xsec`), each with ``register(sub)`` (its options, with help, units and defaults) and
``run(args) -> Output``; :mod:`.app` holds the parser, the output formats and the error handling, :mod:`.options`
what several subcommands share. To add a subcommand, write a module with these two functions and add it to
:data:`.app.COMMANDS`.
"""

from ..statistics.levels import confidence_level
from . import fit, limits, rates, region, table2, tensor, xsec  # noqa: F401 (the subcommand modules)
from .app import COMMANDS, FORMATS, CLIError, Output, build_parser, main
from .options import DATASET_NAMES, LAMBDA_UNIT

__all__ = ["COMMANDS", "FORMATS", "CLIError", "Output", "build_parser", "main", "DATASET_NAMES", "LAMBDA_UNIT",
           "confidence_level"]
