#!/usr/bin/env python3
"""Re-execute chapter notebooks in place, deterministically, to regenerate their stored outputs.

Usage (from the repository root, with the project's environment active):

    python tools/refresh_refs.py                 # every notebook in book/
    python tools/refresh_refs.py book/quenching.ipynb ...

The stored outputs are the references that nbval compares against, so run this only when a
change of the library or of a chapter is meant to change what a chapter prints, and explain any
changed number in the commit message. Running it twice in a row gives an empty git diff: cells are
executed in a fresh kernel with the working directory book/, per-cell timing metadata is dropped,
and the notebook is written with sorted keys and a fixed indentation.
"""

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def _merge_streams(outputs):
    """Join consecutive stream outputs of the same name (the kernel may split one print in two)."""
    merged = []
    for out in outputs:
        if (merged and out.get("output_type") == "stream" and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def _clean(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.get("outputs", []))
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def refresh(path, timeout=600):
    nb = nbformat.read(path, as_version=4)
    env_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(Path(path).parent)}},
                                record_timing=False)
        client.execute()
    finally:
        if env_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backend
    _clean(nb)
    text = nbformat.writes(nb, version=4)
    Path(path).write_text(text if text.endswith("\n") else text + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebooks to refresh (default: all of book/)")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "book").glob("*.ipynb"))
    for p in paths:
        print(f"executing {p} ...", flush=True)
        refresh(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
