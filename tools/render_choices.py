#!/usr/bin/env python3
"""Write book/choices.md, the chapter "Choices the paper leaves open", from the register data/choices.toml.

Usage (from the repository root): ``python tools/render_choices.py``. ``--check`` exits 1 if the chapter
is out of date instead of writing it (tests/test_choices.py runs the same comparison).
"""

import argparse
import sys
from pathlib import Path

from cevns_lib.choices import load_choices
from cevns_lib.presentation.typeset import typeset

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "book" / "choices.md"

SECTIONS = {
    "tmm": "Transition magnetic moments (arXiv:1905.03750)",
    "nsi": "Tensor non-standard interactions (Papoulias and Kosmas)",
    "engine": "The library beyond the papers",
    "data": "The released data (COHERENT, XENONnT)",
}

INTRO = """\
(choices)=
# Choices the paper leaves open

No paper prints every input of its calculation. Where the papers reproduced in this book leave something
open (a threshold that may be nuclear-recoil or electron-equivalent energy, a flux, the form of a
$\\chi^2$), this project had to choose. Every such choice is an entry of one register, the data file
`data/choices.toml`, and this chapter is generated from it (by `tools/render_choices.py`; a test fails if
the two disagree). Each entry says what is left open, what we chose and why, the alternative, and what the
alternative does to the numbers, measured with this library. Chapters, code, data and tests refer to the
entries by their ids, for example "choice A8".

Status: *inferred* means chosen because it reproduces the paper's numbers; *literature* a standard value from
the literature; *convention* a definition that changes no number; *unknown* that the paper's value is not
available and our default is varied in the chapter that uses it.
"""


def _chapters(c):
    return ", ".join(f"{{doc}}`{ch}`" for ch in c.chapters) or "none"


def _code(c):
    return ", ".join(f"`{x}`" for x in c.code) or "none"


def _cell(text):
    """A Markdown table cell: a bar inside a formula would end the cell."""
    return text.replace("|", r"\vert ")


def render():
    """The chapter as Markdown. The register writes formulas as plain text (``sigma_alpha^2``, ``N_SM``); here
    they are typeset as inline TeX (``cevns_lib.presentation.typeset``)."""
    entries = load_choices()
    out = [INTRO]
    for paper, heading in SECTIONS.items():
        group = [c for c in entries if c.paper == paper]
        if not group:
            continue
        out.append(f"## {heading}\n")
        out.append("| id | choice | status |\n|---|---|---|")
        out += [f"| {{ref}}`{c.id} <{c.label}>` | {_cell(typeset(c.title))} | {c.status} |" for c in group]
        out.append("")
        for c in group:
            out.append(f"({c.label})=\n### {c.id}. {typeset(c.title)}\n")
            out.append(f"*Status: {c.status}.* Chapters: {_chapters(c)}. Code and data: {_code(c)}.\n")
            out.append(f"**Left open.** {typeset(c.open)}\n")
            out.append(f"**Our choice.** {typeset(c.choice)}\n")
            out.append(f"**Why.** {typeset(c.why)}\n")
            out.append(f"**The alternative.** {typeset(c.alternative)}\n")
            out.append(f"**Its effect.** {typeset(c.effect)}\n")
    return "\n".join(out).rstrip() + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if book/choices.md is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python tools/render_choices.py")
            return 1
        return 0
    TARGET.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
