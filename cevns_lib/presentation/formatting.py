"""Formatting helpers: every number a chapter prints goes through these, so the stored text is stable."""

import itertools
import math
import numbers
import re
from types import MappingProxyType

__all__ = [
    "fmt", "sci", "fmt_cell", "table", "FOLD_ROWS", "Table", "TABLE_ID_PREFIX", "far_from_one", "show",
    "table2_layout", "status_kind", "register_link", "status_cell", "glue_number", "tex_html", "PARAMETER_TEX",
    "parameter_tex", "FLAVOUR_TEX", "flavour_tex", "fmt_complex", "nuclide", "fmt_items", "UNIT_TEX", "unit_tex",
    "fmt_intervals"
]


def fmt(x, sig=4):
    """A number rounded to ``sig`` significant digits as text ('inf' and 'nan' kept; None -> '-')."""
    if x is None:
        return "-"
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0:
        return "0"
    return f"{x:.{sig}g}"


_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def sci(x, sig=2):
    """A number in scientific notation for prose, ``4.0×10⁻¹³`` (``sig`` significant digits; plain below 1e3 and
    above 1e-2, as :func:`fmt`)."""
    x = float(x)
    if x == 0 or math.isnan(x) or math.isinf(x) or 1e-2 <= abs(x) < 1e3:
        return fmt(x, sig)
    mantissa, exponent = f"{x:.{sig - 1}e}".split("e")
    return f"{mantissa.replace('-', '−')}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def fmt_cell(x, sig=4):
    """A number for a table cell: :func:`fmt` with a power of ten written ``×10ⁿ`` instead of e-notation.

    The digits are those of ``fmt(x, sig)`` (``1.748e+04`` becomes ``1.748×10⁴``, ``6.282e-42`` becomes
    ``6.282×10⁻⁴²``, ``-7.1e-11`` becomes ``-7.1×10⁻¹¹``), so the value printed is the same; a number that
    :func:`fmt` writes without an exponent is unchanged. None -> '-'.
    """
    text = fmt(x, sig)
    if "e" not in text or text in ("inf", "-inf", "nan"):
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"


# TeX between single dollars in a header, a caption or a text cell: an opening $ not followed by a space, a
# closing $ not preceded by a space (so that "5 $ or 6 $" stays text).
_TEX = re.compile(r"(?<![\\$])\$(?=\S)((?:[^$\\]|\\.)+?)(?<=\S)\$(?!\$)")


def tex_html(text, escape=False):
    """HTML for a text with inline TeX: each ``$...$`` becomes the span that Sphinx writes for inline maths
    (``<span class="math notranslate nohighlight">\\(...\\)</span>``), which MathJax typesets on the page;
    the TeX itself is HTML-escaped. Text outside the dollars is returned unchanged (it may hold HTML), or
    HTML-escaped with ``escape=True``."""
    text, out, end = str(text), [], 0
    for m in _TEX.finditer(text):
        out.append(_escape(text[end:m.start()]) if escape else text[end:m.start()])
        out.append(f'<span class="math notranslate nohighlight">\\({_escape(m.group(1))}\\)</span>')
        end = m.end()
    out.append(_escape(text[end:]) if escape else text[end:])
    return "".join(out)


# TeX for the names of the parameters of Table 2 (as they appear in records and tables of the book)
PARAMETER_TEX = MappingProxyType({"Lambda1": r"$|\Lambda_1|$", "Lambda2": r"$|\Lambda_2|$", "Lambda3": r"$|\Lambda_3|$",
                 "mu_eff": r"$\mu_{\rm eff}$",
                 **{f"{kind}_nu{f}": tex.format(f=sub) for f, sub in (("e", "e"), ("mu", r"\mu"), ("tau", r"\tau"))
                    for kind, tex in (("mu", r"$\mu_{{\nu_{f}}}$"), ("q", r"$q_{{\nu_{f}}}$"),
                                      ("r2", r"$\langle r^2_{{\nu_{f}}}\rangle$"))}})


def parameter_tex(name):
    """TeX for a parameter name of the book's tables ('Lambda1' -> '$|\\Lambda_1|$'); other names unchanged."""
    return PARAMETER_TEX.get(name, name)


# TeX for the names of incident neutrinos and beam components (sources.Component names and beam names)
FLAVOUR_TEX = MappingProxyType({
    "nu_e": r"$\nu_e$", "nu_mu": r"$\nu_\mu$", "nu_tau": r"$\nu_\tau$",
    "nu_e_bar": r"$\bar\nu_e$", "nu_mu_bar": r"$\bar\nu_\mu$", "nu_tau_bar": r"$\bar\nu_\tau$",
    "nu_mu_prompt": r"prompt $\nu_\mu$",
})


def flavour_tex(name):
    """TeX for a neutrino or beam-component name ('nu_mu_bar' -> '$\\bar\\nu_\\mu$'); other names unchanged."""
    return FLAVOUR_TEX.get(name, name)


_NUCLIDE = re.compile(r"(\d{1,3})([A-Z][a-z]?)")


def nuclide(name):
    """A nuclide written with its mass number as a superscript, '133Cs' -> '¹³³Cs' (plain Unicode, for table
    cells and figure labels alike); a name that is not mass number + element symbol is returned unchanged."""
    m = _NUCLIDE.fullmatch(str(name))
    return f"{m.group(1).translate(_SUPERSCRIPT)}{m.group(2)}" if m else str(name)


# The units of the library's records (Limit.unit, parameter units) as the book writes them
UNIT_TEX = MappingProxyType({"1e-10 mu_B": r"$10^{-10}\,\mu_B$", "mu_B": r"$\mu_B$", "cm^2": "cm²", "e": "$e$",
                             "1e-9 e": r"$10^{-9}\,e$", "1e-8 e": r"$10^{-8}\,e$",
                             "1e-32 cm^2": r"$10^{-32}\,\mathrm{cm}^2$",
                             "cm^-2 s^-1": "cm⁻² s⁻¹", "MeV": "MeV", "keV": "keV"})


def unit_tex(unit):
    """A unit of the library's records as the book writes it ('1e-10 mu_B' -> '$10^{-10}\\,\\mu_B$')."""
    return UNIT_TEX.get(unit, unit)


def fmt_intervals(intervals, sig=3):
    """Allowed intervals as text, ``[-5.57×10⁻³¹, -2.29×10⁻³²], [...]`` (numbers with :func:`fmt_cell`)."""
    return ", ".join(f"[{fmt_cell(lo, sig)}, {fmt_cell(hi, sig)}]" for lo, hi in intervals)


def fmt_items(items):
    """Labelled numbers as one line of text, ``label value; label value``: items are (label, value, sig) with
    value a number (written with :func:`fmt_cell` and ``sig`` significant digits) or a text."""
    parts = []
    for label, value, sig in items:
        text = value if isinstance(value, str) else fmt_cell(value, sig)
        parts.append(f"{label} {text}" if label else text)
    return "; ".join(parts)


def fmt_complex(z, sig=3):
    """A complex number as text, ``0.5 − 2i``: real and imaginary parts with :func:`fmt_cell` (``sig``
    significant digits), zero parts left out (``2i``, ``−0.5``, ``0``), signs as the minus sign −."""
    z = complex(z)
    re_, im_ = z.real, z.imag
    if re_ == 0 and im_ == 0:
        return "0"
    parts = []
    if re_ != 0:
        parts.append(fmt_cell(re_, sig).replace("-", "−", 1))
    if im_ != 0:
        mag = fmt_cell(abs(im_), sig)
        mag = "" if mag == "1" else mag
        if parts:
            parts.append(f"{'−' if im_ < 0 else '+'} {mag}i")
        else:
            parts.append(f"{'−' if im_ < 0 else ''}{mag}i")
    return " ".join(parts)


def table(rows, headers, sig=4):
    """A plain-text table (monospace, right-aligned numbers) from a list of row sequences."""
    cells = [[c if isinstance(c, str) else fmt(c, sig) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).rjust(w) for h, w in zip(headers, widths))
    out = [line, "-" * len(line)]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    return "\n".join(out)


FOLD_ROWS = 14          # longer tables are folded behind a "show" toggle in the book

# The HTML id of every Table is "T_" + TABLE_ID_PREFIX + a name or a number: never derived from the numbers
# in the table, so the stored HTML is the same on every machine (tests/test_stored_outputs.py checks it).
TABLE_ID_PREFIX = "cevns-"
_TABLE_NUMBERS = itertools.count(1)     # per process: one kernel runs one chapter, so the numbers are per chapter
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class Table:
    """A table for the book: rendered as HTML in a notebook, printed as the plain-text :func:`table`.

    ``repr()`` (the ``text/plain`` output that nbval compares) is exactly ``table(rows, headers, sig)``,
    preceded by the caption, so every number stays in the stored text. The HTML (``_repr_html_``) is a
    pandas ``Styler`` whose id depends only on ``name`` or on the order in which the chapter makes its tables
    (never on the numbers in it), so the stored HTML is identical on every machine.

    rows, headers, sig: as for :func:`table`.
    caption: a line above the table (plain text; also the toggle label of a folded table).
    flag: {header: function(value) -> bool}; cells whose value makes the function true are highlighted
        (e.g. ratios to a published value far from 1).
    fold: fold the table behind a toggle (default: when it has more than FOLD_ROWS rows).
    html_cells: optional rows of HTML strings that replace the formatted cells in the HTML only.
    titles: optional rows of tooltips (plain text) for the HTML cells.
    css_class: an extra class of the HTML table (e.g. "cevns-compact" for a smaller font and narrow cells).
    name: the table's id in the HTML (lower-case letters, digits and single hyphens), unique on its page;
        default: "t" and the number of the table in this process (1, 2, ... in the order the tables are made).
    """

    def __init__(self, rows, headers, sig=4, caption=None, flag=None, fold=None, html_cells=None, titles=None,
                 css_class=None, name=None):
        self.rows = [list(r) for r in rows]
        self.headers = [str(h) for h in headers]
        if any(len(r) != len(self.headers) for r in self.rows):
            raise ValueError("rows: every row needs one value per header")
        self.sig = sig
        self.caption = caption
        self.flag = dict(flag or {})
        unknown = set(self.flag) - set(self.headers)
        if unknown:
            raise ValueError(f"flag: unknown headers {sorted(unknown)}")
        self.fold = len(self.rows) > FOLD_ROWS if fold is None else bool(fold)
        self.html_cells = html_cells
        self.titles = titles
        self.css_class = css_class
        if name is None:
            name = f"t{next(_TABLE_NUMBERS)}"
        elif not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ValueError(f"name: lower-case letters, digits and single hyphens, e.g. 'table2', got {name!r}")
        self.uid = TABLE_ID_PREFIX + name
        self.text = table(self.cells(), self.headers, sig)

    def __repr__(self):
        return (f"{self.caption}\n" if self.caption else "") + self.text

    def cells(self):
        """The cells as text: numbers through :func:`fmt_cell` (no e-notation), text as given."""
        return [[c if isinstance(c, str) else fmt_cell(c, self.sig) for c in r] for r in self.rows]

    def _styler(self):
        import pandas as pd

        body = self.html_cells if self.html_cells is not None else self.cells()
        body = [[tex_html(c) if isinstance(c, str) else c for c in r] for r in body]
        df = pd.DataFrame(body, columns=range(len(self.headers)))
        # relabel_index reads each label as a format string: braces of the TeX are doubled
        headers = [tex_html(h).replace("{", "{{").replace("}", "}}") for h in self.headers]
        sty = df.style.hide(axis="index").relabel_index(headers, axis="columns").set_uuid(self.uid)
        css = [[""] * len(self.headers) for _ in self.rows]
        for i, frow in enumerate(getattr(self, "flag_matrix", None) or []):
            for j, f in enumerate(frow):
                if f:
                    css[i][j] = "background-color: #fde2c8; font-weight: 600"
        for j, h in enumerate(self.headers):
            test = self.flag.get(h)
            for i, r in enumerate(self.rows):
                if test is not None and not isinstance(r[j], str) and r[j] is not None and test(r[j]):
                    css[i][j] = "background-color: #fde2c8; font-weight: 600"
        sty = sty.apply(lambda _: pd.DataFrame(css, columns=df.columns), axis=None)
        # numbers right-aligned (class cevns-num, book/_static/cevns.css), and so are the headers of number columns
        numeric = [[_is_number(c) for c in r] for r in self.rows]
        number_columns = [j for j in range(len(self.headers))
                          if any(r[j] for r in numeric) and all(r[j] or self.rows[i][j] is None
                                                                 for i, r in enumerate(numeric))]
        sty = sty.set_td_classes(pd.DataFrame([["cevns-num" if n or j in number_columns else ""
                                                for j, n in enumerate(r)] for r in numeric], columns=df.columns))
        if number_columns:
            sty = sty.set_table_styles([{"selector": f"th.col{j}", "props": "text-align: right"}
                                        for j in number_columns], overwrite=False)
        if self.titles is not None:
            sty = sty.set_tooltips(pd.DataFrame(self.titles, columns=df.columns), as_title_attribute=True)
        sty = sty.set_table_attributes(f'class="cevns-table {self.css_class or ""}"'.replace(' "', '"'))
        return sty

    def _repr_html_(self):
        if getattr(self, "html_table", None) is not None:
            return self.html_table._repr_html_()
        html = self._styler().to_html(escape=self.html_cells is None)
        if self.caption and not self.fold:
            # above the table, not a <caption>: a table caption is as narrow as its table (or widens it)
            html = f'<p class="cevns-caption">{tex_html(self.caption, escape=True)}</p>\n{html}'
        if self.fold:
            label = self.caption or "the table"
            html = (f'<details class="cevns-fold"><summary>{tex_html(label, escape=True)} ({len(self.rows)} rows)'
                    f"</summary>{html}</details>")
        return html


_NUM = r"[-−+]?(?:\d+(?:\.\d*)?|\.\d+)(?:×10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|/\d+)?%?"
_INTERVAL = rf"\[{_NUM}, {_NUM}\]"
# "71.16 (69.2)": ours (paper); "[0, 59.5], [-7.8×10⁻³¹, -5×10⁻³¹]": allowed intervals
_NUMBER_TEXT = re.compile(rf"{_NUM}(?: \({_NUM}\))?|{_INTERVAL}(?:, {_INTERVAL})*|-|inf|nan")


def _is_number(value):
    """A cell that holds a number (or a number written as text, '-' for none): right-aligned in the HTML."""
    if isinstance(value, str):
        return bool(_NUMBER_TEXT.fullmatch(value.strip()))
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def far_from_one(tol=0.05):
    """A ``flag`` test: a ratio that differs from 1 by more than ``tol``."""
    return lambda x: abs(float(x) - 1.0) > tol


def glue_number(name, value, decimals):
    """Glue a number for the text of a chapter (myst-nb ``glue``) as it is shown, with ``decimals`` decimals.

    The stored payload is the text the page shows (e.g. '134.3'), never the float at machine precision, whose
    last digits differ from machine to machine. In the Markdown, paste it as text: ``{glue:text}`name``` or
    ``{glue:text}`chapter.ipynb::name:s```, with no float format (``:.2f`` would pad the text with zeros;
    tests/test_stored_outputs.py refuses float formats in glue references).

    name: the glue key; value: a finite real number (in the unit the text states); decimals: an integer >= 0.
    Returns None (so that a cell ending with it shows nothing).
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name: a non-empty glue key, got {name!r}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise ValueError(f"value: a finite real number, got {value!r}")
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or decimals < 0:
        raise ValueError(f"decimals: an integer >= 0, got {decimals!r}")
    from myst_nb import glue

    glue(name, f"{float(value):.{int(decimals)}f}", display=False)


def show(rows, headers, sig=4, caption=None, **kw):
    """Display a :class:`Table` now (in a notebook; printed outside IPython). Returns None, so that a cell
    ending with ``show(...)`` shows the table once."""
    t = Table(rows, headers, sig, caption, **kw)
    try:
        from IPython.display import display
    except ImportError:                                   # pragma: no cover - outside IPython
        print(repr(t))
    else:
        display(t)


def table2_layout(entries, caption=None, tol=0.05):
    """Limits laid out like Table 2 of arXiv:1905.03750: one row per experiment and beam, columns
    |Lambda_1..3| for the current and the future setup, cells "ours (paper)".

    entries: dicts with keys experiment, beam, stage ('current'/'future'), parameter ('Lambda1'..),
    limit (ours), printed (the paper's value as printed, or None) and ratio (ours/paper or None).
    The plain text (``repr``) is the long list with the ratios; in the HTML a cell whose ratio differs
    from 1 by more than ``tol`` is highlighted, and every ratio is in the cell's tooltip.
    """
    entries = list(entries)
    long_rows = [[e["experiment"], e["beam"], e["stage"], e["parameter"], e["limit"], e["printed"] or "-",
                  e["ratio"] if e["ratio"] is not None else "-"] for e in entries]
    text = Table(long_rows, ["experiment", "beam", "stage", "parameter", "ours", "paper", "ours/paper"], 4, caption)
    setups = [s for s in ("current", "future") if any(e["stage"] == s for e in entries)]
    params = sorted({e["parameter"] for e in entries})
    cols = [(s, p) for s in setups for p in params]
    keys = []
    for e in entries:
        if (e["experiment"], e["beam"]) not in keys:
            keys.append((e["experiment"], e["beam"]))
    by = {(e["experiment"], e["beam"], e["stage"], e["parameter"]): e for e in entries}
    cells, titles, flags = [], [], []
    for exp, beam in keys:
        row, trow, frow = [exp, beam], ["", ""], [False, False]
        for s, p in cols:
            e = by.get((exp, beam, s, p))
            if e is None:
                row.append("")
                trow.append("")
                frow.append(False)
                continue
            paper = f" ({e['printed']})" if e["printed"] else ""
            row.append(fmt(e["limit"]) + paper)
            trow.append(f"ours/paper = {fmt(e['ratio'])}" if e["ratio"] is not None else "no printed value")
            frow.append(e["ratio"] is not None and abs(e["ratio"] - 1) > tol)
        cells.append(row)
        titles.append(trow)
        flags.append(frow)
    headers = ["experiment", "beam"] + [f"{parameter_tex(p)} {s}" for s, p in cols]
    html = Table(cells, headers, 4, caption, titles=titles, fold=False)
    html.flag_matrix = flags
    text.html_table = html
    return text


def status_kind(status):
    """Classify an input's status tag (``Experiment.status_of(key)``).

    Returns ``(kind, choices)``: kind is "paper" (stated in the paper), "literature" (a published value the paper
    does not print) or "choice" (inferred by this project; also for mixed tags such as "literature/inferred"),
    or "" for an untagged input; choices are the register ids the tag names ("choice A5" -> "A5"), in order.
    """
    import re

    text = (status or "").strip().lower()
    choices = list(dict.fromkeys(m.upper() for m in re.findall(r"\bchoices? ([aend]\d+)", text)))
    if not text:
        return "", choices
    if text.startswith("paper"):
        return "paper", choices
    if text.startswith("literature") and "inferred" not in text.split(":")[0]:
        return "literature", choices
    return "choice", choices


def register_link(choice_id, page="choices.html"):
    """HTML link to an entry of the register of choices (rendered chapter ``choices``), e.g. A5 -> #choice-a5."""
    return f'<a href="{page}#choice-{choice_id.lower()}">{choice_id}</a>'


def status_cell(value, statuses, page="choices.html"):
    """A table cell for an input and its status tags: ``(text, html, kind)``.

    value: text; a newline in it is a line break in the HTML cell (a space in the plain text).
    text: the value followed by "[lit]" and/or the register ids, "[A5]" (plain text, what nbval sees);
    html: the value with a marker (a dagger for literature values, links to the register entries named) and
    the full status tags as the cell's tooltip; kind: the strongest of the tags (choice > literature > paper).
    """
    kinds, ids = [], []
    for s in statuses:
        k, c = status_kind(s)
        kinds.append(k)
        ids += [i for i in c if i not in ids]
    kind = next((k for k in ("choice", "literature", "paper") if k in kinds), "")
    marks = (["lit"] if kind == "literature" else []) + (ids if kind in ("choice", "literature") else [])
    if kind == "choice" and not ids:
        marks = ["ours"]
    value = str(value)
    text = (f"{value} [{', '.join(marks)}]" if marks else value).replace("\n", " ")
    tip = _escape("; ".join(s for s in statuses if s))
    links = ", ".join(register_link(i, page) for i in ids)
    if kind == "choice":
        mark = f" {links}" if ids else " <sup>ours</sup>"
    elif kind == "literature":
        mark = "<sup>†</sup>" + (f" {links}" if ids else "")
    else:
        mark = ""
    body = "<br>".join(_escape(line) for line in value.split("\n"))
    html = f'<span class="cevns-input cevns-{kind or "untagged"}" title="{tip}">{body}{mark}</span>'
    return text, html, kind
