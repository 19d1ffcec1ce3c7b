"""The register of choices (data/choices.toml): well formed, rendered, and every id used anywhere exists."""

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cevns_lib.choices import get_choice, load_choices

ROOT = Path(__file__).resolve().parent.parent
#: "choice A8", "choices A1, A2", "choices A1 and A2", "choice N7" ... in any project file.
MENTION = re.compile(r"\bchoices?\s+((?:[ANED]\d{1,2}(?:\s*(?:,|and|-|–)\s*)?)+)")
SCANNED = ("cevns_lib", "book", "tests", "data", "tools", "README.md")


def _files():
    for top in SCANNED:
        path = ROOT / top
        paths = [path] if path.is_file() else sorted(path.rglob("*"))
        for p in paths:
            if p.is_file() and p.suffix in {".py", ".md", ".toml", ".ipynb", ".csv", ".txt", ".yml", ".yaml"}:
                yield p


def test_register_loads_with_unique_ids():
    ids = [c.id for c in load_choices()]
    assert len(ids) == len(set(ids)) >= 30
    assert {"A1", "A8", "A13", "N1", "N20"} <= set(ids)


def test_get_choice_names_bad_ids():
    assert get_choice("A9").title.startswith("Dirac CP phase")
    with pytest.raises(ValueError, match="unknown choice id 'A99'"):
        get_choice("A99")
    with pytest.raises(TypeError, match="choice_id"):
        get_choice(8)


def test_every_mentioned_id_exists():
    known = {c.id for c in load_choices()}
    unknown = []
    for p in _files():
        text = p.read_text(errors="replace")
        for m in MENTION.finditer(text):
            for cid in re.findall(r"[ANED]\d{1,2}", m.group(1)):
                if cid not in known:
                    unknown.append(f"{p.relative_to(ROOT)}: {cid}")
    assert not unknown, "ids missing from data/choices.toml: " + ", ".join(unknown)


def test_chapters_and_code_of_each_entry_exist():
    for c in load_choices():
        for ch in c.chapters:
            assert (ROOT / "book" / f"{ch}.ipynb").exists() or (ROOT / "book" / f"{ch}.md").exists(), (c.id, ch)
        for ref in c.code:
            if "/" in ref:
                assert (ROOT / ref).exists(), (c.id, ref)
                continue
            module, _, attr = ref.rpartition(".")
            try:
                obj = importlib.import_module(ref)
            except ImportError:
                obj = getattr(importlib.import_module(module), attr, None)
            assert obj is not None, (c.id, ref)


def test_book_chapter_is_up_to_date():
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "render_choices.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_register_chapter_is_in_the_table_of_contents():
    assert "book/choices" in (ROOT / "_toc.yml").read_text()


# ---------------------------------------------------------------------------------------------- typeset formulas

def test_the_register_page_has_no_plain_text_formula():
    """The register writes formulas as plain text; the page shows every one of them typeset (render_choices
    runs cevns_lib.presentation.typeset), so no "N_SM", "sigma_alpha^2" or "2.3e13" is left outside TeX."""
    from cevns_lib.presentation.typeset import leftover_ascii_maths

    text = (ROOT / "book" / "choices.md").read_text()
    assert not leftover_ascii_maths(text), leftover_ascii_maths(text)[:20]
    assert text.count("$") >= 400            # the page does typeset (a no-op typesetter leaves no dollars)


def test_a_plain_text_formula_left_on_the_page_is_caught():
    from cevns_lib.presentation.typeset import leftover_ascii_maths

    raw = "The effective form chi^2 = X^2 / (N_SM + sigma_alpha^2 X^2); flux 2.3e13 at delta = 0; `flux_cm2_s`."
    found = leftover_ascii_maths(raw)
    starts = ["chi^2", "X^2", "N_S", "sigma_a", "X^2", "2.3e13", "delta"]
    assert len(found) == len(starts) and all(f.startswith(s) for f, s in zip(found, starts)), found


@pytest.mark.parametrize("text, tex", [
    ("The effective form chi^2 = X^2 / (N_SM + sigma_alpha^2 X^2), a nuisance",
     r"The effective form $\chi^2 = X^2 / (N_{\rm SM} + \sigma_{\alpha}^2 X^2)$, a nuisance"),
    ("1.76e23 protons on target", r"$1.76\times 10^{23}$ protons on target"),
    ("limits scale as N_POT^(-1/4))", r"limits scale as $N_{\rm POT}^{-1/4}$)"),
    ("Lambda_alpha = sum_k U_(alpha k) Lambda_k with", r"$\Lambda_{\alpha} = \sum_k U_{\alpha k} \Lambda_k$ with"),
    ("an analysis window N_PE <= 30 (T_N <= 25.6 keV)", r"an analysis window $N_{\rm PE} \le 30$ ($T_N \le 25.6$ keV)"),
    ("the single-nuisance chi-square, eq. (35)", "the single-nuisance chi-square, eq. (35)"),
    ("flux_cm2_s is the flux at baseline_m; see arXiv:1905.03750",
     "flux_cm2_s is the flux at baseline_m; see arXiv:1905.03750"),
    ("the 238U capture chain, 2Ge:1Si", "the ²³⁸U capture chain, 2Ge:1Si"),
])
def test_plain_text_formulas_are_typeset(text, tex):
    from cevns_lib.presentation.typeset import typeset

    assert typeset(text) == tex
