"""The bibliography of the book (references.bib, rendered on the page "References") and the citations in the text.

The book fails when
  * one work has two entries (the same DOI, arXiv id, or title and year under two keys: the page then lists it
    twice, as [A+18a] and [A+18b]);
  * a key is cited ({cite}`key`, {cite:t}`a,b`, ...) in a chapter, a figure caption or the register of choices but
    has no entry (Sphinx would print the raw key);
  * a key of the bibliography appears in the text outside a citation (a raw key on the page);
  * an entry carries a note about the bibliography itself ("No arXiv id or DOI known to this project"): the page
    "References" prints notes; an entry without an identifier simply has none.

The checks are shown to fail on a synthetic bibliography and text with each defect.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "references.bib"
BOOK = ROOT / "book"

ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")
SELF_NOTE = re.compile(r"(?i)known to this project|\bno (?:arxiv|doi)\b|\bno arxiv id\b")


def _braced(text, start):
    """The text between the brace at ``start - 1`` and its closing brace, and the index of that brace."""
    depth = 1
    for k in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[k], 0)
        if depth == 0:
            return text[start:k], k
    raise ValueError(f"unbalanced braces after {text[start - 1:start + 40]!r}")


def parse_bib(text):
    """{key: {field: value}} of a BibTeX text (braced values, nested braces allowed); a key defined twice keeps
    its first entry (duplicate_works reports it)."""
    entries = {}
    for m in ENTRY.finditer(text):
        body, _ = _braced(text, text.index("{", m.start()) + 1)
        fields = {}
        for f in re.finditer(r"(\w+)\s*=\s*\{", body):
            fields[f.group(1).lower()] = _braced(body, f.end())[0]
        entries.setdefault(m.group(2), fields)
    return entries


def _norm_title(title):
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"[{}\\$]", "", title.lower())).strip()


def duplicate_works(entries, text=None):
    """Pairs of keys that are the same work (same DOI, same arXiv id, or same title and year), and keys used
    twice in the file."""
    problems, seen = [], {}
    keys = ENTRY.findall(text) if text is not None else [(None, k) for k in entries]
    counts = {}
    for _, k in keys:
        counts[k] = counts.get(k, 0) + 1
    problems += [f"the key {k} is defined {n} times" for k, n in counts.items() if n > 1]
    for key, f in entries.items():
        ids = []
        if f.get("doi"):
            ids.append(("DOI", f["doi"].strip().lower()))
        if f.get("eprint"):
            ids.append(("arXiv id", f["eprint"].strip().lower()))
        if f.get("title"):
            ids.append(("title and year", (_norm_title(f["title"]), f.get("year", ""))))
        for kind, value in ids:
            other = seen.setdefault((kind, value), key)
            if other != key:
                problems.append(f"{other} and {key} are the same work (the same {kind})")
    return problems


def self_notes(entries):
    return [f"{key}: the note {f['note']!r} is about the bibliography, not the work"
            for key, f in entries.items() if SELF_NOTE.search(f.get("note", ""))]


def book_texts():
    """(name, text) of every text the book renders with citations: the Markdown pages, the Markdown cells and
    figure captions of the chapters, and the register of choices (rendered into book/choices.md)."""
    for path in sorted(BOOK.glob("*.md")):
        yield path.name, path.read_text()
    for path in sorted(BOOK.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
        parts += [c.metadata.get("mystnb", {}).get("figure", {}).get("caption", "") for c in nb.cells]
        yield path.name, "\n".join(parts)
    yield "choices.toml", (ROOT / "data" / "choices.toml").read_text()


def cited_keys(text):
    return [k.strip() for group in CITE.findall(text) for k in group.split(",") if k.strip()]


def citation_problems(entries, texts):
    """Cited keys without an entry, and bibliography keys written into the text outside a citation."""
    problems = []
    for name, text in texts:
        for key in cited_keys(text):
            if key not in entries:
                problems.append(f"{name}: {{cite}}`{key}` has no entry in references.bib")
        bare = CITE.sub(" ", text)
        for key in entries:
            if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", bare):
                problems.append(f"{name}: the bibliography key {key} appears in the text outside a citation")
    return problems


# ---------------------------------------------------------------------------------------------- the book

@pytest.fixture(scope="module")
def entries():
    return parse_bib(BIB.read_text())


def test_the_bibliography_parses(entries):
    assert len(entries) >= 20 and all("title" in f and "year" in f for f in entries.values()), entries.keys()


def test_one_entry_per_work(entries):
    problems = duplicate_works(entries, BIB.read_text())
    assert not problems, "\n".join(problems)


def test_every_cited_work_is_in_the_bibliography_and_no_key_is_bare(entries):
    problems = citation_problems(entries, list(book_texts()))
    assert not problems, "\n".join(problems)


def test_no_notes_about_the_bibliography_itself(entries):
    problems = self_notes(entries)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------- the checks fail

SYNTHETIC = r"""
@misc{COHERENT2018data,
  title   = {COHERENT Collaboration data release from the first observation of coherent elastic
             neutrino-nucleus scattering},
  year    = {2018},
  doi     = {10.5281/zenodo.1228631},
  eprint  = {1804.09459}
}
@misc{COHERENTdata2018,
  title   = {{COHERENT} Collaboration data release from the first observation of coherent elastic
             neutrino-nucleus scattering},
  year    = {2018},
  doi     = {10.5281/ZENODO.1228631},
  eprint  = {1804.09459}
}
@misc{PapouliasKosmasHNPS2015,
  title   = {Probing electromagnetic neutrino properties within the tensor non-standard neutrino-nucleus interactions},
  year    = {2015},
  note    = {No arXiv id or DOI known to this project; the same analysis in journal form is PapouliasKosmas2015}
}
@article{PapouliasKosmas2015,
  title   = {Neutrino transition magnetic moments within the non-standard neutrino-nucleus interactions},
  year    = {2015},
  eprint  = {1506.05406}
}
"""


def test_a_work_listed_twice_is_caught():
    """The defect of the report: the CsI-2017 data release under two keys."""
    problems = duplicate_works(parse_bib(SYNTHETIC), SYNTHETIC)
    assert len(problems) == 3 and all("COHERENT2018data and COHERENTdata2018" in p for p in problems), problems


def test_a_key_defined_twice_is_caught():
    again = SYNTHETIC[SYNTHETIC.index("@article"):]
    problems = duplicate_works(parse_bib(SYNTHETIC + again), SYNTHETIC + again)
    assert any("PapouliasKosmas2015 is defined 2 times" in p for p in problems), problems


def test_a_missing_work_and_a_bare_key_are_caught():
    text = ("The SNS flux of {cite}`Scholberg2006`, the proceedings {cite:t}`PapouliasKosmasHNPS2015, Miranda2019`; "
            "the same analysis in journal form is PapouliasKosmas2015.")
    problems = citation_problems(parse_bib(SYNTHETIC), [("chapter", text)])
    assert len(problems) == 3, problems
    assert "Scholberg2006" in problems[0] and "Miranda2019" in problems[1] and "outside" in problems[2], problems


def test_a_note_about_the_bibliography_is_caught():
    problems = self_notes(parse_bib(SYNTHETIC))
    assert len(problems) == 1 and "PapouliasKosmasHNPS2015" in problems[0], problems


def test_cited_keys_are_read_from_every_role():
    assert cited_keys("{cite}`a` {cite:t}`b, c` {cite:p}`d` {cite:ps}`e,f`") == ["a", "b", "c", "d", "e", "f"]
