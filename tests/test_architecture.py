"""The architecture: layers without upward imports (import-linter), and a public face (__all__) in every module."""

import ast
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cevns_lib"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts and p.name != "__main__.py")


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def lint_imports(cwd, pythonpath):
    exe = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([str(exe), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_layer_contract_is_kept():
    run = lint_imports(ROOT, ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize("module, upward", [
    ("physics/mixing.py", "from ..statistics import levels  # noqa"),          # physics must not see statistics
    ("experiment/experiment.py", "from ..engine import yields  # noqa"),       # a cycle experiment <-> engine
    ("papers/tensor_nsi/limits.py", "from ..miranda2019 import table2  # noqa"),   # the papers are independent
])
def test_layer_contract_fails_on_an_upward_import(tmp_path, module, upward):
    shutil.copytree(PACKAGE, tmp_path / "cevns_lib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "cevns_lib" / module
    target.write_text(target.read_text() + f"\n\ndef _reintroduced():\n    {upward}\n")
    run = lint_imports(tmp_path, tmp_path)
    assert run.returncode != 0, run.stdout
    assert "BROKEN" in run.stdout or "broken" in run.stdout


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_declares_its_public_names(path):
    """__all__ exists, names only what the module has, and lists every public function and class it defines."""
    tree = ast.parse(path.read_text())
    declared = [node for node in tree.body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)]
    assert declared, f"{path.relative_to(ROOT)} has no __all__"
    module = importlib.import_module(module_name(path))
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{module.__name__}.__all__ names {missing}, which it does not have"
    defined = [n.name for n in tree.body
               if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]
    undeclared = [n for n in defined if n not in module.__all__]
    assert not undeclared, f"{module.__name__} defines {undeclared} but does not list them in __all__"


def test_package_root_offers_the_objects_a_user_starts_from():
    import cevns_lib

    for name in ("Experiment", "load_experiment", "get_experiment", "event_yields", "parameter_limit", "table2",
                 "coherent", "DataError"):
        assert name in cevns_lib.__all__ and getattr(cevns_lib, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'rates'"):
        cevns_lib.rates   # noqa: B018 -- the flat modules of 0.1 are gone
