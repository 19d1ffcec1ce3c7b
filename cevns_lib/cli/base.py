"""What every subcommand module shares: the output record, the user-error type and the registration helper."""

import argparse
from dataclasses import dataclass

__all__ = ["FORMATS", "CLIError", "Output", "HelpFormatter", "add_command"]

FORMATS = ("table", "json", "csv")


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


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and epilogs; shows the default of every option with one."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" not in text and action.default not in (None, argparse.SUPPRESS, False) \
                and action.option_strings:
            text += " (default: %(default)s)"
        return text


def add_command(sub, name, func, help, description, default_format="table"):
    """Register subcommand ``name`` (run by ``func(args) -> Output``) with the common ``--format`` option."""
    p = sub.add_parser(name, help=help, description=description, formatter_class=HelpFormatter)
    p.add_argument("--format", choices=FORMATS, default=default_format,
                   help="output: an aligned table for people, or JSON / CSV records for programs")
    p.set_defaults(func=func)
    return p
