"""The experiments shipped with the library (``data/experiments``), by name.

:func:`get_experiment` finds a shipped experiment by its name or a declared alias (``"CsI[Na] current"``,
``"CONUS+"``), :func:`get_setup` a Table 1 setup by experiment and setup (``get_setup("CONUS", "future")``),
:func:`all_setups` the 18 Table 1 setups. Every file is read by the same loader as a user's file
(:func:`cevns_lib.experiment.files.load_experiment`).
"""

from functools import lru_cache

from ..data import data_path
from ..validation import match_name
from .files import load_experiment

__all__ = [
    "SHIPPED_FOLDERS", "shipped_experiments", "experiment_names", "get_experiment", "all_setups", "STAGES",
    "get_setup"
]


#: Sub-folders of data/experiments, in the order their experiments are listed.
SHIPPED_FOLDERS = ("miranda2019", "papoulias2015", "examples")


@lru_cache(maxsize=None)
def shipped_experiments():
    """Every experiment file under ``data/experiments`` (Table 1 setups in Table 1 order first)."""
    root = data_path("experiments")
    out = []
    for folder in SHIPPED_FOLDERS:
        for p in sorted((root / folder).glob("*.toml")):
            out.append(load_experiment(p, _relative_to=root))
    order = _table1_order(root)
    out.sort(key=lambda e: (SHIPPED_FOLDERS.index(e.file.split("/")[0]), order.get(e.file, 10**6), e.file))
    names = {}
    for e in out:
        for n in (e.name,) + e.aliases:
            if n in names:
                raise ValueError(f"experiment name {n!r} is used by both {names[n]} and {e.file}")
            names[n] = e.file
    return tuple(out)


def _table1_order(root):
    index = root / "miranda2019" / "ORDER.txt"
    if not index.is_file():
        return {}
    lines = [x.strip() for x in index.read_text().splitlines() if x.strip() and not x.startswith("#")]
    return {f"miranda2019/{name}": n for n, name in enumerate(lines)}


def experiment_names():
    """Names of the shipped experiments (Table 1 setups first)."""
    return tuple(e.name for e in shipped_experiments())


def get_experiment(name):
    """A shipped experiment by its name or a declared alias, in any case (``"CsI[Na] current"``, ``"conus+"``)."""
    table = {}
    for e in shipped_experiments():
        for n in (e.name, *e.aliases):
            table.setdefault(n, e)
    shown = {e.name: e for e in shipped_experiments()}
    try:
        return match_name(name, table, "experiment")
    except ValueError:
        match_name(name, shown, "experiment")      # the message lists the names, not every alias
        raise


def all_setups():
    """The 18 setups of Table 1 of arXiv:1905.03750 (current and future), in Table 1 order."""
    return tuple(e for e in shipped_experiments() if e.file.startswith("miranda2019/"))


STAGES = ("current", "future")


def get_setup(experiment, stage="current"):
    """A Table 1 setup by experiment (``"CsI[Na]"``, or a declared alias such as ``"CsI"``; any case) and ``stage``."""
    stage = match_name(stage, STAGES, "stage") if isinstance(stage, str) else stage
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, got {stage!r}")
    table = {}
    for s in all_setups():
        if s.stage == stage:
            table.setdefault(s.experiment, s)
            for alias in s.aliases:
                if alias.casefold().endswith(f" {stage}"):
                    table.setdefault(alias[: -len(stage) - 1], s)
    names = tuple(dict.fromkeys(s.experiment for s in all_setups()))
    try:
        return match_name(experiment, table, "experiment")
    except ValueError:
        raise ValueError(f"unknown experiment {experiment!r}; allowed: {', '.join(names)}") from None
