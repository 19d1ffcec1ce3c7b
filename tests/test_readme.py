"""The README's examples work when pasted: the library example runs, and every `cevns` command line succeeds."""

import contextlib
import dataclasses
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from cevns_lib.engine import event_yields
from cevns_lib.experiment import get_setup
from cevns_lib.statistics import one_parameter_limits

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def section(title):
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert m, f"README has no section {title!r}"
    return m.group(1)


def code_blocks(text, lang):
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.S | re.M)


def run_library_example(index, max_lines, directory, monkeypatch):
    """Run the README's ``index``-th Python example of "Use it as a library" in ``directory``; its printed lines."""
    snippet = code_blocks(section("Use it as a library"), "python")[index]
    assert len(snippet.strip().splitlines()) <= max_lines
    monkeypatch.chdir(directory)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(snippet, "README.md", "exec"), {"__name__": "__readme__"})
    return out.getvalue().splitlines()


def test_library_example_runs_and_prints_what_it_says(tmp_path, monkeypatch):
    lines = run_library_example(0, 16, tmp_path, monkeypatch)  # "about ten lines"
    assert len(lines) == 2
    # the printed numbers are the library's, for the detector the comment describes
    base = get_setup("CONUS", "current")
    assert (base.material, base.threshold_kind) == ("Ge", "ee_approx")          # germanium, keVee threshold
    assert base.years == pytest.approx(1.0)
    mine = dataclasses.replace(base, mass_kg=10.0, threshold_keV=0.2)
    n_sm = event_yields(mine).n_sm_total
    assert lines[0] == f"Standard-Model events: {n_sm:.0f}"
    # events scale with the mass: the same threshold on CONUS's 3.85 kg gives 3.85 / 10 of them
    same_threshold = dataclasses.replace(base, threshold_keV=0.2)
    assert event_yields(same_threshold).n_sm_total == pytest.approx(n_sm * 3.85 / 10.0, rel=1e-12)
    limits = one_parameter_limits(mine)
    assert lines[1] == "90% C.L. limits on |Lambda_1..3| (1e-10 mu_B): " + ", ".join(f"{x:.2f}" for x in limits)
    assert all(0.1 < x < 10 for x in limits)


def test_library_examples_import_from_the_package_root_only():
    for block in code_blocks(section("Use it as a library"), "python"):
        imports = [line for line in block.splitlines() if "import" in line and "cevns_lib" in line]
        assert imports and all(line.startswith("from cevns_lib import ") for line in imports), imports

def test_experiment_file_example_prints_three_limits(tmp_path, monkeypatch):
    lines = run_library_example(1, 12, tmp_path, monkeypatch)
    assert len(lines) == 3
    assert all("'cl': 0.9" in line for line in lines)
    assert [line.split("'parameter': ")[1].split(",")[0] for line in lines] == ["'mu_nue'", "'q_nue'", "'r2_nue'"]


def readme_commands():
    (block,) = code_blocks(section("Command line"), "bash")
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def test_readme_lists_every_subcommand_and_format():
    cmds = readme_commands()
    assert all(c[0] == "cevns" for c in cmds)
    assert {c[1] for c in cmds} >= {"--version", "rates", "table2", "region", "tensor"}
    assert {c[c.index("--format") + 1] for c in cmds if "--format" in c} == {"table", "json", "csv"}
    assert "|" not in "".join(code_blocks(section("Command line"), "bash"))       # pasting must not build pipes


@pytest.mark.parametrize("argv", readme_commands(), ids=lambda c: " ".join(c[1:]))
def test_readme_command_works_when_pasted(argv, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cevns_lib", *argv[1:]], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and proc.stdout.strip()


def test_readme_says_how_to_test_cite_and_open_the_chapters():
    assert "&& pytest" in section("Set-up (Python 3.11)")
    assert "apt-get install -y chromium chromium-driver" in README
    assert "pip install -r requirements.txt jupyterlab && jupyter lab book/" in section(
        "Read and run the chapters in Jupyter")
    assert "CITATION.cff" in section("How to cite")
