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
