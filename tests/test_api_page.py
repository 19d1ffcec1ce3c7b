"""The API page of the book: every module, every public object with a docstring (units are stated there)."""

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import render_api  # noqa: E402


def test_api_page_is_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "render_api.py"), "--check"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr


def test_api_page_documents_every_module():
    page = (ROOT / "book" / "api.md").read_text()
    for name in render_api.modules():
        assert f".. automodule:: {name}\n" in page, name


@pytest.mark.parametrize("module", render_api.modules())
def test_every_public_function_and_class_has_a_docstring(module):
    mod = importlib.import_module(module)
    bare = [n for n in mod.__all__ if (inspect.isfunction(getattr(mod, n)) or inspect.isclass(getattr(mod, n)))
            and not (inspect.getdoc(getattr(mod, n)) or "").strip()]
    assert not bare, f"{module}: {bare} have no docstring"


def test_readme_links_the_api_page():
    assert "book/api.md" in (ROOT / "README.md").read_text()
