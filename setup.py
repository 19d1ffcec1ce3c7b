"""The one part of the build that pyproject.toml cannot express: ship the top-level data/ folder.

Every file in every sub-folder of data/ is installed inside the package as ``cevns_lib/_data/...`` (wheel and
sdist), where :mod:`cevns_lib.data` finds it with ``importlib.resources``. The folders are found when the
package is built, so a new sub-folder of data/ needs no change here. Everything else is in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup

DATA_PACKAGE = "cevns_lib._data"


def data_packages(root="data"):
    """{package name: folder} for data/ and each of its sub-folders (hidden folders and caches skipped)."""
    root = Path(root)
    folders = [root] + sorted(p for p in root.rglob("*") if p.is_dir()
                              and not any(part.startswith((".", "__")) for part in p.relative_to(root).parts))
    return {".".join((DATA_PACKAGE, *p.relative_to(root).parts)): p.as_posix() for p in folders}


if __name__ == "__main__":
    packages = data_packages()
    setup(
        packages=[*find_packages(include=["cevns_lib", "cevns_lib.*"]), *packages],
        package_dir={DATA_PACKAGE: "data"},
        package_data={name: ["*"] for name in packages},
    )
