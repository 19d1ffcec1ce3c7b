"""The README's commands install what the tests need on a fresh Debian machine, through one script.

``tools/setup-env.sh`` makes the virtual environment and installs Debian's chromium and chromium-driver (and
python3-venv) when missing; the README's test command and CI run it. Its decisions are checked here with
stand-ins for ``id``, ``sudo``, ``apt-get`` and ``python3`` on a PATH of their own, so nothing is installed.
"""

import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "setup-env.sh"
README = (ROOT / "README.md").read_text()
CI = (ROOT / ".ci" / "run").read_text()


def setup_section():
    m = re.search(r"^## Set-up[^\n]*\n(.*?)(?=^## )", README, re.S | re.M)
    assert m, "README has no Set-up section"
    return m.group(1)


def bash_lines(text):
    return [b.strip() for b in re.findall(r"^```bash\n(.*?)^```", text, re.S | re.M)]


# ---------------------------------------------------------------------------------------------- the README and CI

def test_readme_test_command_is_one_line_that_installs_everything():
    build, test = bash_lines(setup_section())
    assert "\n" not in test and "\n" not in build
    assert test == "bash tools/setup-env.sh && . .venv/bin/activate && pytest"
    assert build.startswith("bash tools/setup-env.sh venv && . .venv/bin/activate && jupyter-book build . -W")


def test_ci_installs_through_the_same_script():
    assert "bash tools/setup-env.sh venv" in CI and "bash tools/setup-env.sh browser" in CI
    code = "\n".join(line for line in CI.splitlines() if not line.lstrip().startswith("#"))
    assert "apt-get" not in code, "CI installs Debian packages itself instead of through tools/setup-env.sh"
    assert "-r requirements.txt" not in code, "CI installs requirements.txt itself instead of tools/setup-env.sh"


def test_readme_lists_every_runtime_dependency_with_its_lower_bound():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    m = re.search(r"^## Use it as a library\n(.*?)```", README, re.S | re.M)
    text = m.group(1)
    assert len(deps) >= 7
    for req in map(Requirement, deps):
        (spec,) = req.specifier
        assert f"{req.name} (>= {spec.version}" in text, f"README does not list {req.name} >= {spec.version}"


# ---------------------------------------------------------------------------------------------- the script

def fake_bin(tmp_path, uid, sudo=False, apt=True, python3=None):
    """A PATH with stand-ins: `id -u` prints uid, sudo and apt-get record their arguments in calls.log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    tools = {"id": f"echo {uid}", "env": 'while [ "${1#*=}" != "$1" ]; do shift; done; exec "$@"'}
    if sudo:
        tools["sudo"] = f'echo "sudo $*" >> {log}; exec "$@"'
    if apt:
        tools["apt-get"] = f'echo "apt-get $*" >> {log}'
    if python3:
        tools["python3"] = python3
    for name, body in tools.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return bin_dir, log


def run_script(step, bin_dir, tmp_path, chromium=None):
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path),
           "CEVNS_CHROMIUM": str(chromium or tmp_path / "no-chromium"),
           "CEVNS_CHROMEDRIVER": str(chromium or tmp_path / "no-chromedriver")}
    return subprocess.run(["/bin/bash", str(SCRIPT), step], env=env, capture_output=True, text=True, timeout=60)


def calls(log):
    return log.read_text().splitlines() if log.exists() else []


def test_without_root_or_sudo_it_names_the_packages_and_fails(tmp_path):
    bin_dir, log = fake_bin(tmp_path, uid=1000)
    proc = run_script("browser", bin_dir, tmp_path)
    assert proc.returncode == 1, proc
    assert "neither root nor has sudo" in proc.stderr
    assert "apt-get update && apt-get install -y chromium chromium-driver" in proc.stderr
    assert calls(log) == []


def test_as_a_user_with_sudo_it_installs_through_sudo(tmp_path):
    bin_dir, log = fake_bin(tmp_path, uid=1000, sudo=True)
    proc = run_script("browser", bin_dir, tmp_path)
    assert calls(log) == ["sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
                          "apt-get update -qq",
                          "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver",
                          "apt-get install -y -qq chromium chromium-driver"]
    # the stand-in installed nothing: the script checks the result and says so
    assert proc.returncode == 1 and "is missing" in proc.stderr, proc


def test_as_root_it_installs_with_apt_get(tmp_path):
    bin_dir, log = fake_bin(tmp_path, uid=0, sudo=True)
    run_script("browser", bin_dir, tmp_path)
    assert calls(log) == ["apt-get update -qq", "apt-get install -y -qq chromium chromium-driver"]


def test_a_present_browser_is_not_installed_again(tmp_path):
    exe = tmp_path / "chromium"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    bin_dir, log = fake_bin(tmp_path, uid=0)
    proc = run_script("browser", bin_dir, tmp_path, chromium=exe)
    assert proc.returncode == 0 and "present" in proc.stdout, proc
    assert calls(log) == []


def test_without_apt_get_it_says_what_to_install(tmp_path):
    bin_dir, log = fake_bin(tmp_path, uid=0, apt=False)
    proc = run_script("browser", bin_dir, tmp_path)
    assert proc.returncode == 1 and "not a Debian system" in proc.stderr and "chromium chromium-driver" in proc.stderr


def test_a_python_that_cannot_make_a_venv_gets_python3_venv(tmp_path):
    python3 = 'case "$1" in -c) exit 0 ;; -V) echo "Python 3.11.2" ;; -m) exit 1 ;; esac'
    bin_dir, log = fake_bin(tmp_path, uid=0, python3=python3)
    proc = run_script("venv", bin_dir, tmp_path)
    assert "apt-get install -y -qq python3-venv" in calls(log)
    assert proc.returncode != 0                                 # the stand-in still makes no venv


def test_an_old_python_is_refused(tmp_path):
    python3 = 'case "$1" in -c) exit 1 ;; -V) echo "Python 3.10.12" ;; *) exit 0 ;; esac'
    bin_dir, log = fake_bin(tmp_path, uid=0, python3=python3)
    proc = run_script("venv", bin_dir, tmp_path)
    assert proc.returncode == 1 and "Python 3.10.12" in proc.stderr and "3.11 or later" in proc.stderr
    assert calls(log) == []


def test_an_unknown_step_is_refused(tmp_path):
    bin_dir, _ = fake_bin(tmp_path, uid=0)
    proc = run_script("everything", bin_dir, tmp_path)
    assert proc.returncode == 1 and "unknown step 'everything'" in proc.stderr


def test_the_script_is_executable_bash():
    assert SCRIPT.read_text().startswith("#!/usr/bin/env bash\n")
    assert subprocess.run(["bash", "-n", str(SCRIPT)]).returncode == 0
