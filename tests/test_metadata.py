"""Licence, citation, changelog, one version string, and dependency bounds that the pinned environment meets."""

import importlib.metadata
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

import cevns_lib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_licence_is_bsd_3_clause():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("BSD 3-Clause License\n")
    assert "Copyright (c) 2026, The cevns_lib contributors" in text
    assert "Neither the name of the copyright holder nor the names of its" in text
    assert PYPROJECT["project"]["license"] == "BSD-3-Clause"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    meta = importlib.metadata.metadata("cevns_lib")
    assert meta["License-Expression"] == "BSD-3-Clause"      # what `pip show cevns_lib` prints as its licence
    assert meta["Author"] == "The cevns_lib contributors"


def test_one_version_string():
    # defined once, in cevns_lib/__init__.py; pyproject.toml reads it; CITATION.cff names none
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cevns_lib.__version__"}
    assert importlib.metadata.version("cevns_lib") == cevns_lib.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", cevns_lib.__version__)
    assert "version" not in yaml.safe_load((ROOT / "CITATION.cff").read_text())


def test_citation_cff_cites_the_software_and_both_papers():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software" and cff["license"] == "BSD-3-Clause"
    assert cff["authors"] == [{"name": "The cevns_lib contributors"}]
    jhep, hnps = cff["references"]
    assert jhep["doi"] == "10.1007/JHEP07(2019)103" and (jhep["year"], jhep["start"]) == (2019, 103)
    assert {"type": "other", "value": "arXiv:1905.03750", "description": "arXiv preprint"} in jhep["identifiers"]
    assert [a["family-names"] for a in jhep["authors"]] == ["Miranda", "Papoulias", "Tórtola", "Valle"]
    assert [a["family-names"] for a in hnps["authors"]] == ["Papoulias", "Kosmas"]
    assert "tensor non-standard" in hnps["title"] and hnps["year"] == 2015 and "doi" not in hnps


def test_changelog_has_unreleased_and_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in text
    assert re.search(rf"^## \[{re.escape(cevns_lib.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)


def test_dependencies_have_lower_bounds_met_by_the_pinned_environment():
    deps = {r.name: r for r in map(Requirement, PYPROJECT["project"]["dependencies"])}
    assert set(deps) == {"numpy", "scipy", "periodictable"}
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[name.lower()] = Version(version)
    for name, req in deps.items():
        assert any(s.operator == ">=" for s in req.specifier), f"{name} has no lower bound"
        assert pins[name] in req.specifier, (name, pins[name], req.specifier)
        assert Version(importlib.metadata.version(name)) in req.specifier
