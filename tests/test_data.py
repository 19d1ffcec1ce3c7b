"""Where the data folder is found, the CEVNS_DATA override, clear errors, and that every data file is packaged."""

import runpy
import shutil
import tomllib
from pathlib import Path

import pytest

from cevns_lib import data

ROOT = Path(__file__).resolve().parents[1]


def data_files(folder):
    """Every file under ``folder``, relative, without hidden files and caches."""
    return sorted(p.relative_to(folder) for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith((".", "__")) for part in p.relative_to(folder).parts))


@pytest.fixture()
def no_override(monkeypatch):
    monkeypatch.delenv("CEVNS_DATA", raising=False)


def test_default_folder_holds_the_project_data(no_override):
    folder = data.data_dir()
    if (ROOT / "pyproject.toml").is_file() and folder.parent == ROOT:      # source checkout / editable install
        assert folder == ROOT / "data"
    else:                                                                    # installed from a wheel or an sdist
        assert folder.parts[-2:] == ("cevns_lib", "_data")
    for parts in (("choices.toml",), ("reference", "paper_table2_limits.csv"), data.KOPEIKIN_FILE):
        assert data.data_path(*parts).is_file()
    assert data.data_path("experiments").is_dir()
    assert data.data_path("reference", "paper_table2_limits.csv").parent == folder / "reference"


def test_override_with_cevns_data(monkeypatch, tmp_path):
    copy = tmp_path / "my data"
    shutil.copytree(data.data_dir(), copy)
    (copy / "reference" / "extra.csv").write_text("# a comment\nname,value\nx,1.5\n")
    monkeypatch.setenv("CEVNS_DATA", str(copy))
    assert data.data_dir() == copy
    assert data.read_csv("reference", "extra.csv") == [{"name": "x", "value": "1.5"}]
    assert data.read_toml("measurements", "coherent-csi-2017.toml")["counts"]["n_meas"] > 0


def test_missing_folder_names_the_path(monkeypatch):
    monkeypatch.setenv("CEVNS_DATA", "/nonexistent/folder")
    with pytest.raises(FileNotFoundError, match="data folder not found: /nonexistent/folder .*CEVNS_DATA"):
        data.data_dir()
    with pytest.raises(data.DataNotFoundError):
        data.data_path("reference", "paper_table2_limits.csv")


def test_missing_file_names_the_path(monkeypatch, tmp_path):
    monkeypatch.setenv("CEVNS_DATA", str(tmp_path))
    with pytest.raises(data.DataNotFoundError, match=f"data file or folder not found: {tmp_path}/inputs/nothing.toml"):
        data.data_path("inputs", "nothing.toml")


@pytest.mark.parametrize("parts", [(), ("",), ("inputs", None), (3,)])
def test_bad_path_components(parts, no_override):
    with pytest.raises(ValueError, match="data_path needs"):
        data.data_path(*parts)


def test_unparsable_files_name_the_path(monkeypatch, tmp_path):
    (tmp_path / "bad.toml").write_text("a = [\n")
    (tmp_path / "ragged.csv").write_text("# header comment\na,b\n1,2\n3\n")
    (tmp_path / "binary.csv").write_bytes(b"a,b\n\xff\xfe,1\n")
    monkeypatch.setenv("CEVNS_DATA", str(tmp_path))
    with pytest.raises(data.DataFormatError, match=f"cannot parse {tmp_path}/bad.toml"):
        data.read_toml("bad.toml")
    with pytest.raises(ValueError, match=f"{tmp_path}/ragged.csv: data row 3 does not have one value per column"):
        data.read_csv("ragged.csv")
    with pytest.raises(data.DataFormatError, match="binary.csv"):
        data.read_csv("binary.csv")


def test_kopeikin_table_validation(monkeypatch, tmp_path):
    ref = tmp_path / "reference"
    ref.mkdir()
    path = ref / data.KOPEIKIN_FILE[-1]
    monkeypatch.setenv("CEVNS_DATA", str(tmp_path))
    for text, message in [("# E dN/dE\n0.1 1.0\n0.05 2.0\n", "energies must increase"),
                          ("0.1 1.0 3.0\n0.2 1.0 3.0\n", "two columns"),
                          ("0.1 one\n", "cannot parse")]:
        path.write_text(text)
        data._kopeikin.cache_clear()
        with pytest.raises(data.DataFormatError, match=message):
            data.kopeikin1997_spectrum()
    data._kopeikin.cache_clear()


def test_every_data_file_is_packaged():
    """setup.py installs data/ as the package cevns_lib._data, every sub-folder a package with all its files:
    every file under data/ (hidden ones apart) must be covered, or the wheel would lack it."""
    build = runpy.run_path(str(ROOT / "setup.py"), run_name="not_main")
    packages = build["data_packages"](ROOT / "data")
    files = data_files(ROOT / "data")
    assert Path("choices.toml") in files and Path("reference", "paper_table2_limits.csv") in files
    for rel in files:
        package = ".".join(("cevns_lib", "_data", *rel.parts[:-1]))
        assert package in packages, f"data/{rel} is in no package"
        assert Path(packages[package]) == ROOT / "data" / rel.parent
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "packages" not in cfg and "package-data" not in cfg      # setup.py alone says what is packaged
