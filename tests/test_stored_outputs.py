"""The stored outputs of the chapters are the same on every machine.

nbval compares each re-executed chapter with its stored outputs as text. A float stored at machine precision
(a glued value, a repr) differs from machine to machine in its last digits although every printed number
agrees, and so does an HTML id derived from the data. This test reads the stored outputs of every chapter and
fails on

  * a number with 12 or more significant digits in any text output (stream, text/plain, text/html, text/markdown,
    glue payloads application/papermill.record/...; images are not read); integers (counts, ids) are not numbers
    of this kind;
  * a table id that is not one of the fixed ids of :class:`cevns_lib.presentation.Table` ("T_cevns-..."), or
    the same table id twice in one chapter (the styles of one table would apply to the other);
  * any output on stderr (a warning, a progress bar) or an error;
  * a glue reference in the text that formats a glued number itself (``{glue:text}`x:.2f```): numbers are glued
    as the text the page shows (``glue_number``), so the page shows exactly what is stored.

and on what a reader should not meet on a page:

  * a number in e-notation (``1.748e+04``) in a cell, header or caption of an HTML table: the power of ten goes
    into the header or is written ``×10ⁿ`` (``presentation.fmt_cell``, ``sci``);
  * a plain-text table: an output shown as text only (printed, or a text/plain result without an HTML form) that
    is laid out as a table: a rule of dashes, a NumPy matrix, or three or more lines with aligned columns;
  * a figure stored as a PNG (or JPEG) with fewer than twice the pixels of its displayed size (blurred on a HiDPI
    screen, coarse when a phone zooms in); SVG figures pass.

The checks are shown to fail on synthetic notebooks holding each defect.
"""

import base64
import html
import re
import struct
from pathlib import Path

import nbformat
import pytest

from cevns_lib.presentation import TABLE_ID_PREFIX, Table, glue_number

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
CHAPTERS = sorted(BOOK.glob("*.ipynb"))
MAX_SIGNIFICANT = 11        # more significant digits than this are machine precision, not a printed number

# a decimal number (optionally with an exponent), not part of a word, a hex string or a dotted version
NUMBER = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?:[eE][-+]?\d+)?(?!\.?\d)")
TABLE_ID = re.compile(r"(?:\bid=\"|#)T_([^\s\"_{,]+)")
TABLE_START = re.compile(r"<table\b[^>]*\bid=\"T_([^\s\"]+)\"")
FIXED_ID = re.compile(re.escape(TABLE_ID_PREFIX) + r"[a-z0-9]+(?:-[a-z0-9]+)*")
GLUE_TEXT = re.compile(r"\{glue:text\}`([^`]+)`")
FLOAT_FORMAT = re.compile(r":[^:]*[eEfFgGn%]$")


def _text(value):
    return value if isinstance(value, str) else "".join(value) if isinstance(value, list) else repr(value)


def long_numbers(text):
    """The numbers in ``text`` with more than MAX_SIGNIFICANT significant digits."""
    found = []
    for m in NUMBER.finditer(text):
        digits = (m.group(1) + m.group(2)).lstrip("0")
        if len(digits) > MAX_SIGNIFICANT:
            found.append(m.group(0))
    return found


def output_problems(nb, name="notebook"):
    """Every stored output of ``nb`` that would differ between machines or that a reader should not see."""
    problems, tables = [], {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"{name} cell {i}"
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                problems.append(f"{where}: error output {out.get('ename')}")
                continue
            if kind == "stream":
                text = _text(out.get("text", ""))
                if out.get("name") == "stderr":
                    problems.append(f"{where}: stderr output {text[:80]!r}")
                texts = {"stream": text}
            else:
                texts = {mime: _text(v) for mime, v in out.get("data", {}).items() if not mime.startswith("image/")}
            for mime, text in texts.items():
                for number in long_numbers(text):
                    problems.append(f"{where}: {mime} holds {number} (machine precision)")
                if "html" not in mime:
                    continue
                for uid in sorted(set(TABLE_ID.findall(text))):
                    if not FIXED_ID.fullmatch(uid):
                        problems.append(f"{where}: {mime} has the table id T_{uid}, not a fixed T_{TABLE_ID_PREFIX}...")
                for uid in TABLE_START.findall(text):
                    if uid in tables:
                        problems.append(f"{where}: table id T_{uid} again (first in cell {tables[uid]})")
                    tables.setdefault(uid, i)
    return problems


# e-notation: a decimal number with an exponent, not part of a word (an id) or of a longer number
E_NOTATION = re.compile(r"(?<![\w.])(?<![\w.]-)\d+(?:\.\d+)?[eE][-+]?\d+(?![\w.])")
TABLE_TEXT = re.compile(r"<(td|th|caption|summary|p)\b[^>]*>(.*?)</\1>", re.S)      # p: a Table caption
TAG = re.compile(r"<[^>]+>")
MIN_PIXEL_RATIO = 2.0       # stored pixels per displayed pixel of a raster figure


def table_cell_problems(nb, name="notebook"):
    """Numbers in e-notation in the cells, headers, captions and toggle labels of the HTML tables of ``nb``."""
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = _text(out.get("data", {}).get("text/html", ""))
            for kind, content in TABLE_TEXT.findall(text):
                words = html.unescape(TAG.sub(" ", content))
                for number in E_NOTATION.findall(words):
                    problems.append(f"{name} cell {i}: {number} in e-notation in a table {kind} "
                                    f"({' '.join(words.split())[:60]!r})")
    return problems


SEPARATOR = re.compile(r"^\s*[-=]{5,}[-= ]*$")
MATRIX = re.compile(r"^\s*(?:array\()?\[\[")
COLUMNS = re.compile(r"\S(?: {2,}|\t)\S")


NUMBER_TOKEN = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def looks_like_a_table(text):
    """True for text laid out as a table: a rule of dashes, a NumPy matrix, three consecutive lines with a column
    gap (two or more spaces between words, indentation not counted) each, or six consecutive lines with two or more
    numbers each (a printed listing of results, such as a phase scan)."""
    lines = text.splitlines()
    if any(SEPARATOR.match(line) or MATRIX.match(line) for line in lines):
        return True
    gaps = numbers = 0
    for line in lines:
        gaps = gaps + 1 if COLUMNS.search(line) else 0
        numbers = numbers + 1 if len(NUMBER_TOKEN.findall(line)) >= 2 else 0
        if gaps >= 3 or numbers >= 6:
            return True
    return False


def plain_table_problems(nb, name="notebook"):
    """Outputs of ``nb`` shown as plain text only that are laid out as a table (the book's tables are HTML)."""
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "stream":
                text = _text(out.get("text", ""))
            else:
                data = out.get("data", {})
                if "text/html" in data or any(k.startswith("image/") for k in data):
                    continue
                text = _text(data.get("text/plain", ""))
            if looks_like_a_table(text):
                problems.append(f"{name} cell {i}: a plain-text table ({text.strip().splitlines()[0][:60]!r} ...)")
    return problems


def _png_size(data):
    raw = base64.b64decode(data if isinstance(data, str) else "".join(data))
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", raw[16:24])


def figure_problems(nb, name="notebook"):
    """Figures of ``nb`` stored as raster images with fewer than MIN_PIXEL_RATIO pixels per displayed pixel (the
    displayed width is the output's width metadata; without it the image is shown at one pixel per pixel)."""
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {})
            if "image/svg+xml" in data:
                continue
            for mime in ("image/png", "image/jpeg"):
                if mime not in data:
                    continue
                shown = out.get("metadata", {}).get(mime, {}).get("width")
                if mime == "image/jpeg":
                    problems.append(f"{name} cell {i}: a JPEG figure (the book's figures are PNG at 2x or SVG)")
                    continue
                width, _ = _png_size(data[mime])
                ratio = width / float(shown) if shown else 1.0
                if ratio < MIN_PIXEL_RATIO - 0.01:
                    problems.append(f"{name} cell {i}: a {width}-pixel PNG shown {shown or width} px wide "
                                    f"({ratio:.2g}x, needs {MIN_PIXEL_RATIO:g}x or SVG)")
    return problems


def glue_reference_problems(text, name="text"):
    """Glue references in Markdown ``text`` that format a number themselves instead of pasting stored text."""
    return [f"{name}: {{glue:text}}`{ref}` formats the glued value; glue it as text (glue_number) and paste it"
            for ref in GLUE_TEXT.findall(text) if FLOAT_FORMAT.search(ref)]


def _markdown_sources():
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        yield path.name, "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for path in sorted(BOOK.glob("*.md")):
        yield path.name, path.read_text()


# ---------------------------------------------------------------------------------------------- the book

def test_the_book_has_chapters():
    assert len(CHAPTERS) >= 15, CHAPTERS


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_outputs_hold_no_machine_digits(path):
    nb = nbformat.read(path, as_version=4)
    problems = output_problems(nb, path.name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_tables_hold_no_e_notation(path):
    problems = table_cell_problems(nbformat.read(path, as_version=4), path.name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_plain_text_tables(path):
    problems = plain_table_problems(nbformat.read(path, as_version=4), path.name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_figures_are_sharp(path):
    problems = figure_problems(nbformat.read(path, as_version=4), path.name)
    assert not problems, "\n".join(problems)


def test_glue_references_paste_stored_text():
    problems = [p for name, text in _markdown_sources() for p in glue_reference_problems(text, name)]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------- the checks fail

def _notebook(*outputs):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=[out]) for out in outputs]
    return nb


def _display(data, metadata=None):
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


def test_a_glued_float_at_machine_precision_is_caught():
    """The defect of the report: glue("lar_pred", 125.25214650407833) stores every digit of the float."""
    nb = _notebook(_display({"application/papermill.record/text/plain": "125.25214650407833"},
                            {"scrapbook": {"name": "lar_pred", "mime_prefix": "application/papermill.record/"}}))
    problems = output_problems(nb)
    assert len(problems) == 1 and "125.25214650407833" in problems[0], problems


@pytest.mark.parametrize("text", ["array([1.2345678901234e-10, 2.0])", "limit 19.192657186446777 1e-10 mu_B",
                                  "0.000012345678901234", "-473.4219392525522"])
def test_long_floats_in_text_are_caught(text):
    nb = _notebook(nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1),
                   nbformat.v4.new_output("stream", name="stdout", text=text))
    assert len(output_problems(nb)) == 2, output_problems(nb)


@pytest.mark.parametrize("text", ["125.3", "1.371e-10", "n = 12345678901234567 events", "T_10cc90a24b",
                                  "version 3.11.2", "'19.2'", "0.00001234567890", "sha 1a2b3c4d5e6f7a8b9c0d"])
def test_printed_numbers_and_integers_pass(text):
    nb = _notebook(nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1))
    assert output_problems(nb) == []


def test_images_are_not_read():
    nb = _notebook(_display({"image/png": "iVBO1.2345678901234567", "text/plain": "<Figure size 640x480 with 1 Axes>"}))
    assert output_problems(nb) == []


def test_a_data_derived_table_id_is_caught():
    html = ('<style type="text/css">\n#T_10cc90a24b_row0_col0 {\n  color: red;\n}\n</style>\n'
            '<table id="T_10cc90a24b" class="cevns-table"><th id="T_10cc90a24b_level0_col0">x</th></table>')
    problems = output_problems(_notebook(_display({"text/html": html, "text/plain": "x"})))
    assert len(problems) == 1 and "T_10cc90a24b" in problems[0], problems


def test_a_table_id_twice_in_a_chapter_is_caught():
    html = '<table id="T_cevns-t1" class="cevns-table"></table>'
    problems = output_problems(_notebook(_display({"text/html": html}), _display({"text/html": html})))
    assert len(problems) == 1 and "again" in problems[0], problems


def test_stderr_and_errors_are_caught():
    bar = "toys mu_nue:  33%|###       | 1/3 [00:02<00:05,  2.99s/it]"
    nb = _notebook(nbformat.v4.new_output("stream", name="stderr", text=bar),
                   nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[]))
    problems = output_problems(nb)
    assert len(problems) == 2 and "stderr" in problems[0] and "error" in problems[1], problems


def test_glue_references_with_a_float_format_are_caught():
    text = ("We find {glue:text}`csi17_fit:.1f` events, {glue:text}`summary.ipynb::max_deviation_percent:s` per cent, "
            "{glue:text}`coherent_combined.ipynb::comb_l1:.1f`, {glue:text}`n_printed` and {glue:text}`x:.2e`.")
    problems = glue_reference_problems(text)
    assert len(problems) == 3, problems
    assert "csi17_fit" in problems[0] and "comb_l1" in problems[1] and "x:.2e" in problems[2], problems


@pytest.mark.parametrize("cell", ["<td>1.748e+04</td>", "<th>N = 6.282E-42 cm<sup>2</sup></th>",
                                  "<caption>for mu = 1e-10 mu_B</caption>", "<summary>limits at 3e5 m</summary>",
                                  '<p class="cevns-caption">at E = 1e+01 MeV</p>',
                                  '<td class="data"><span title="x">2.5e+07</span></td>'])
def test_e_notation_in_a_table_is_caught(cell):
    nb = _notebook(_display({"text/html": f"<table>{cell}</table>", "text/plain": "x"}))
    problems = table_cell_problems(nb)
    assert len(problems) == 1 and "e-notation" in problems[0], problems


@pytest.mark.parametrize("cell", ["<td>1.748×10⁴</td>", "<th>σ (10⁻⁴⁰ cm²)</th>", '<td id="T_cevns-t1e5">3</td>',
                                  "<td>T_cevns-1e5 v1.2e3x</td>", r"<th>\(10^{-10}\,\mu_B\)</th>"])
def test_tables_without_e_notation_pass(cell):
    nb = _notebook(_display({"text/html": f"<table>{cell}</table>", "text/plain": "x"}))
    assert table_cell_problems(nb) == []


PHASE_SCAN = "".join(f"CsI[Na] (current) prompt, plane (1, {k}), relative phase xi_{k}:\n"
                     f"  outer: (xi_{k}, delta) = (180, 0) deg; "
                     f"extremal grid points: (xi_3, delta) = (180 deg, 0 deg)\n"
                     f"  area outer/real/inner: 1.486 / 1 / 1; envelope beyond by at most 10.5% (outer), 7.8%\n"
                     for k in (2, 3))
PRINTED_TABLES = [
    "isotope  abundance        N_x\n-----------------------------\n  133Cs          1  3.377e+25\n",
    PHASE_SCAN,
    "[[ 0. +0.j -0.5+0.j]\n [ 0.5-0.j  0. +0.j]]\n",
    ("statistical variance  s~^2            = 1002\nsignal systematics    (0.28 N_SM)^2   = 2548\n"
     "background systematic (0.25 B_on)^2   = 2.25\n"),
]


@pytest.mark.parametrize("text", PRINTED_TABLES)
def test_a_plain_text_table_is_caught(text):
    nb = _notebook(nbformat.v4.new_output("stream", name="stdout", text=text),
                   nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1))
    problems = plain_table_problems(nb)
    assert len(problems) == 2 and "plain-text table" in problems[0], problems


def test_text_that_is_no_table_and_html_tables_pass():
    prose = "N_SM: 180.3 (no threshold) vs 178.8 (5 keVnr)\nprompt ratios ours/paper: 1.028, 1.029, 1.028\n"
    table_text = PRINTED_TABLES[0]
    nb = _notebook(nbformat.v4.new_output("stream", name="stdout", text=prose),
                   _display({"text/html": "<table></table>", "text/plain": table_text}),
                   _display({"image/png": "x", "text/plain": "<Figure size 760x400 with 1 Axes>"}))
    assert plain_table_problems(nb) == []


def _png(width, height=10):
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    raw = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return base64.b64encode(raw).decode()


def test_a_one_x_figure_is_caught():
    """The defect of the report: every figure a PNG at one pixel per displayed pixel."""
    plain = _display({"image/png": _png(760), "text/plain": "<Figure>"})
    small = _display({"image/png": _png(1000), "text/plain": "<Figure>"}, {"image/png": {"width": 760}})
    problems = figure_problems(_notebook(plain, small))
    assert len(problems) == 2 and "1x" in problems[0] and "1.3x" in problems[1], problems


def test_retina_and_svg_figures_pass():
    retina = _display({"image/png": _png(1520), "text/plain": "<Figure>"}, {"image/png": {"width": 760, "height": 5}})
    svg = _display({"image/svg+xml": "<svg></svg>", "text/plain": "<Figure>"})
    assert figure_problems(_notebook(retina, svg)) == []


# ---------------------------------------------------------------------------------------------- the helpers

def test_table_ids_do_not_depend_on_the_numbers():
    """Two machines whose numbers differ in the last digits store the same HTML (the old ids were a hash of the
    table's text)."""
    a = Table([[1.2341, "CsI"]], ["limit", "target"], name="limits")._repr_html_()
    b = Table([[1.2349, "CsI"]], ["limit", "target"], name="limits")._repr_html_()
    assert set(TABLE_ID.findall(a)) == set(TABLE_ID.findall(b)) == {"cevns-limits"}
    assert a.replace("1.234", "") == b.replace("1.235", "")


def test_tables_are_numbered_in_the_order_they_are_made():
    first, second = Table([[1.0]], ["x"]), Table([[1.0]], ["x"])
    n1, n2 = (int(t.uid.rsplit("t", 1)[1]) for t in (first, second))
    assert first.uid.startswith(TABLE_ID_PREFIX) and n2 == n1 + 1
    assert f'id="T_{first.uid}"' in first._repr_html_()


@pytest.mark.parametrize("name", ["", "Limits", "a_b", "a--b", "-a", 3])
def test_table_names_are_checked(name):
    with pytest.raises(ValueError, match="name"):
        Table([[1.0]], ["x"], name=name)


def test_glue_number_stores_the_shown_text(monkeypatch):
    import myst_nb
    import numpy as np

    glued = []
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.append((name, value, display)))
    assert glue_number("lar_pred", 125.25214650407833, 1) is None
    glue_number("ratio", np.float64(0.8090766091032167), 2)
    glue_number("n", 473, 0)
    assert glued == [("lar_pred", "125.3", False), ("ratio", "0.81", False), ("n", "473", False)]


@pytest.mark.parametrize("args, match", [(("", 1.0, 1), "name"), (("x", float("nan"), 1), "value"),
                                         (("x", "1.0", 1), "value"), (("x", True, 1), "value"),
                                         (("x", 1.0, -1), "decimals"), (("x", 1.0, 1.5), "decimals")])
def test_glue_number_checks_its_inputs(args, match):
    with pytest.raises(ValueError, match=match):
        glue_number(*args)
