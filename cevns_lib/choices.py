"""The register of choices: every input the reproduced papers leave open, and what this project chose.

The register is the data file ``data/choices.toml``; the book renders it as the chapter "Choices the
paper leaves open". Code, data, tests and chapters refer to an entry by its id, written "choice A8".

>>> from cevns_lib.choices import get_choice
>>> get_choice("A9").choice
'delta = 0 for every real-moment result (Table 2, Figures 2-6); delta is a parameter elsewhere.'
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from .data import read_toml

__all__ = ["FIELDS", "PAPERS", "STATUSES", "ID_PATTERN", "Choice", "load_choices", "get_choice"]


#: Fields of an entry, in the order the book shows them.
FIELDS = ("id", "paper", "title", "status", "open", "choice", "why", "alternative", "effect", "chapters", "code")


#: Sources of the ids: A (arXiv:1905.03750), N (tensor NSI proceedings), E (engine), D (COHERENT data).
PAPERS = {"tmm": "A", "nsi": "N", "engine": "E", "data": "D"}


STATUSES = ("inferred", "literature", "convention", "unknown")


ID_PATTERN = re.compile(r"[ANED][1-9][0-9]?")


@dataclass(frozen=True)
class Choice:
    """One entry of the register (see the header of ``data/choices.toml`` for the fields)."""

    id: str
    paper: str
    title: str
    status: str
    open: str
    choice: str
    why: str
    alternative: str
    effect: str
    chapters: tuple
    code: tuple

    @property
    def label(self):
        """The MyST label of the entry in the book, e.g. ``choice-a8``."""
        return f"choice-{self.id.lower()}"


def _entry(raw, n):
    where = f"data/choices.toml, entry {n + 1}"
    missing = [f for f in FIELDS if f not in raw]
    extra = [k for k in raw if k not in FIELDS]
    if missing or extra:
        raise ValueError(f"{where}: missing keys {missing}, unknown keys {extra}")
    if not isinstance(raw["id"], str) or not ID_PATTERN.fullmatch(raw["id"]):
        raise ValueError(f"{where}: id must look like 'A8' (A, N, E or D and a number), got {raw['id']!r}")
    if raw["paper"] not in PAPERS or not raw["id"].startswith(PAPERS[raw["paper"]]):
        raise ValueError(f"{where} ({raw['id']}): paper must be one of {list(PAPERS)} and match the id's letter")
    if raw["status"] not in STATUSES:
        raise ValueError(f"{where} ({raw['id']}): status must be one of {STATUSES}, got {raw['status']!r}")
    for key in FIELDS[:9]:
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise ValueError(f"{where} ({raw['id']}): {key} must be a non-empty string")
    for key in ("chapters", "code"):
        if not isinstance(raw[key], list) or not all(isinstance(x, str) for x in raw[key]):
            raise ValueError(f"{where} ({raw['id']}): {key} must be a list of strings")
    text = {k: " ".join(raw[k].split()) for k in FIELDS[:9]}
    return Choice(**text, chapters=tuple(raw["chapters"]), code=tuple(raw["code"]))


@lru_cache(maxsize=None)
def load_choices():
    """All entries of the register, in file order (a tuple of :class:`Choice`)."""
    raw = read_toml("choices.toml")
    if set(raw) != {"choice"}:
        raise ValueError(f"data/choices.toml: only [[choice]] tables are allowed, found {sorted(raw)}")
    entries = tuple(_entry(r, n) for n, r in enumerate(raw["choice"]))
    ids = [c.id for c in entries]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"data/choices.toml: duplicate ids {dup}")
    return entries


def get_choice(choice_id):
    """The register entry with this id (e.g. ``"A8"``)."""
    if not isinstance(choice_id, str):
        raise TypeError(f"choice_id must be a string such as 'A8', got {choice_id!r}")
    for c in load_choices():
        if c.id == choice_id:
            return c
    raise ValueError(f"unknown choice id {choice_id!r}; the register has {', '.join(c.id for c in load_choices())}")
