#!/usr/bin/env python3
"""Write the book's API page (book/api.md): every module of cevns_lib, layer by layer, documented by Sphinx
autodoc from its docstrings (the public names of each module's __all__, with their signatures and units).

Usage (from the repository root, with the project's environment active):

    python tools/render_api.py          # rewrite book/api.md
    python tools/render_api.py --check  # exit 1 if book/api.md is out of date

tests/test_api_page.py runs the check, so a new module cannot be left out of the page.
"""

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "book" / "api.md"
sys.path.insert(0, str(ROOT))

#: The layers from the bottom up, as the package docstring lists them (a module belongs to the first that matches).
LAYERS = (
    ("Base", ("cevns_lib.constants", "cevns_lib.validation", "cevns_lib.quadrature", "cevns_lib.data",
              "cevns_lib.choices")),
    ("Physics", ("cevns_lib.physics",)),
    ("Sources", ("cevns_lib.sources",)),
    ("Detector", ("cevns_lib.detector",)),
    ("Experiment", ("cevns_lib.experiment",)),
    ("Engine", ("cevns_lib.engine",)),
    ("Statistics", ("cevns_lib.statistics",)),
    ("Datasets", ("cevns_lib.datasets",)),
    ("Papers", ("cevns_lib.papers",)),
    ("Presentation", ("cevns_lib.presentation",)),
    ("Command line", ("cevns_lib.cli",)),
)

HEADER = """# API reference

Every public object of `cevns_lib` (the names in each module's `__all__`), layer by layer from the bottom up: the
package root offers the ones a user starts from (`from cevns_lib import Experiment, load_experiment,
get_experiment, event_yields, parameter_limit, table2, coherent`). Units are in the names (`_keV`, `_MeV`,
`_cm2_s`) and in each docstring. The layers import only the layers below them (an import-linter contract,
`pyproject.toml`). Written by `tools/render_api.py`; the docstrings are shown as written.
"""


def modules():
    import cevns_lib

    out = []
    for info in pkgutil.walk_packages(cevns_lib.__path__, "cevns_lib."):
        if info.name.endswith("__main__"):
            continue
        mod = importlib.import_module(info.name)
        if Path(mod.__file__).name == "__init__.py" or not getattr(mod, "__all__", None):
            continue
        out.append(info.name)
    return sorted(out)


def layer_of(name):
    for title, prefixes in LAYERS:
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return title
    raise SystemExit(f"{name}: no layer in tools/render_api.py LAYERS")


def render():
    by_layer = {title: [] for title, _ in LAYERS}
    for name in modules():
        by_layer[layer_of(name)].append(name)
    parts = [HEADER]
    for title, names in by_layer.items():
        if not names:
            continue
        parts.append(f"\n## {title}\n")
        for name in names:
            directive = f".. automodule:: {name}\n   :members:\n   :no-index:\n"
            parts.append(f"\n### `{name}`\n\n```{{eval-rst}}\n{directive}```\n")
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if book/api.md is out of date")
    args = ap.parse_args()
    text = render()
    if args.check:
        if not PAGE.exists() or PAGE.read_text() != text:
            print("book/api.md is out of date: run python tools/render_api.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text)
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
