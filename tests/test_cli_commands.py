"""The `cevns` command as a user meets it: version, help, every format of every subcommand, errors, pipes.

Most cases call cevns_lib.cli.main in this process (tests/cli_helpers.py); the console script, the
version, a broken pipe, Ctrl-C and a replaced data folder run as real subprocesses, as a user would.
"""

import csv
import importlib.metadata
import io
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import cevns

import cevns_lib
from cevns_lib import cli
from cevns_lib.data import data_dir

SUBCOMMANDS = ("rates", "table2", "region", "tensor")
#: Every subcommand, including those that need options (help is checked for all of them).
ALL_SUBCOMMANDS = SUBCOMMANDS + ("limits", "xsec")
REGION = ("region", "--experiment", "CONNIE", "--stage", "current", "--plane", "1,2")


def run(*args, env=None, cwd=None):
    """The command in this process (a subprocess when ``env`` is given: see tests/cli_helpers.py)."""
    return cevns(*args, env=env, cwd=cwd)


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """A working directory outside the checkout."""
    return tmp_path_factory.mktemp("elsewhere")


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.endswith("\n") and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("cevns") and "error: " in proc.stderr
    for f in fragments:
        assert f in proc.stderr, (f, proc.stderr)


# ------------------------------------------------------------------------------ version and help

def test_version_is_the_package_version(outside):
    proc = cevns("--version", cwd=outside, subprocess=True)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout == f"cevns {cevns_lib.__version__}\n"
    assert importlib.metadata.version("cevns_lib") == cevns_lib.__version__
    assert cevns_lib.__version__.count(".") == 2


def test_console_script_and_python_m_agree(outside):
    script = shutil.which("cevns", path=str(Path(sys.executable).parent))
    assert script, "the console script 'cevns' is not installed beside this Python"
    proc = subprocess.run([script, "table2", "--format", "json"], capture_output=True, text=True, cwd=outside,
                          timeout=300)
    assert proc.returncode == 0 and proc.stderr == ""
    assert json.loads(proc.stdout) == json.loads(run("table2", "--format", "json", cwd=outside).stdout)


def test_top_level_help_lists_every_subcommand_with_a_description():
    proc = run("--help")
    assert proc.returncode == 0 and proc.stderr == ""
    text = proc.stdout
    assert text.startswith("usage: cevns")
    for name in ALL_SUBCOMMANDS:
        assert f"    {name} " in text
    assert "1e-10 mu_B" in text and "MeV" in text and "CEVNS_DATA" in text
    assert "``" not in text and ":func:" not in text and ":mod:" not in text     # no raw reStructuredText


@pytest.mark.parametrize("name", ALL_SUBCOMMANDS)
def test_subcommand_help_has_description_defaults_and_units(name):
    proc = run(name, "--help")
    assert proc.returncode == 0 and proc.stderr == ""
    text = proc.stdout
    assert text.startswith(f"usage: cevns {name}")
    assert "Units:" in text
    assert "--format {table,json,csv}" in text
    default = "json" if name == "region" else "table"
    assert f"(default: {default})" in " ".join(text.split())
    assert "``" not in text and ":func:" not in text and "%%" not in text


def test_region_help_states_every_default():
    text = " ".join(run("region", "--help").stdout.split())
    for fragment in ("(default: current)", "(default: full for SNS experiments, reactor for reactor ones)",
                     "(default: 1,2)", "(default: 4.61, i.e. 90% C.L. for 2 parameters)",
                     "(required, or --experiment-file)"):
        assert fragment in text


# ------------------------------------------------------------------------------ formats

def test_confidence_levels_of_the_chi2_thresholds():
    # chi-square CDF: 1 d.o.f. erf(sqrt(x/2)), 2 d.o.f. 1 - exp(-x/2)
    assert cli.confidence_level(2.71, 1) == 0.9
    assert cli.confidence_level(4.61, 2) == 0.9
    assert cli.confidence_level(1.0, 1) == 0.683
    assert cli.confidence_level(2.30, 2) == 0.683
    assert cli.confidence_level(3.84, 1) == 0.95
    with pytest.raises(ValueError, match="n_params"):
        cli.confidence_level(2.71, 4)


@pytest.fixture(scope="module")
def tensor_json(outside):
    proc = run("tensor", "--format", "json", cwd=outside)
    assert proc.returncode == 0 and proc.stderr == ""
    return json.loads(proc.stdout)


def test_tensor_json_records_carry_unit_and_cl(tensor_json):
    from cevns_lib.papers.tensor_nsi import table_records

    lib = table_records()
    assert len(tensor_json) == len(lib) > 0
    for rec, ref in zip(tensor_json, lib):
        assert rec["unit"] == "dimensionless" and rec["cl"] == 0.9
        assert rec["delta_chi2"] == ref["delta_chi2"] and 2.705 <= rec["delta_chi2"] <= 2.71    # 90% C.L., 1 param.
        assert {k: rec[k] for k in ref} == pytest.approx(ref)
        assert 0 < rec["epsilon_limit"] < 1 and rec["magnetic_moment_muB"] > 0


def test_tensor_csv_rows_are_the_json_records(tensor_json, outside):
    proc = run("tensor", "--format", "csv", cwd=outside)
    assert proc.returncode == 0 and proc.stderr == ""
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == len(tensor_json)
    for row, rec in zip(rows, tensor_json):
        assert list(row) == list(rec)
        assert (row["target"], row["beam"], row["quark"], row["unit"]) == (
            rec["target"], rec["beam"], rec["quark"], "dimensionless")
        assert float(row["epsilon_limit"]) == rec["epsilon_limit"] and float(row["cl"]) == 0.9


def test_tensor_table_states_the_assumptions(tensor_json, outside):
    proc = run("tensor", "--format", "table", cwd=outside)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Assumptions: ") and f"delta_chi2 = {tensor_json[0]['delta_chi2']}" in lines[0]
    assert lines[1].split() == list(cli.tensor.TENSOR_COLUMNS)


@pytest.fixture(scope="module")
def region_json(outside):
    proc = run(*REGION, "--format", "json", cwd=outside)
    assert proc.returncode == 0 and proc.stderr == ""
    return json.loads(proc.stdout)


def test_region_json_is_the_library_record_with_unit_and_cl(region_json):
    from cevns_lib.statistics import region_record

    ref = region_record("CONNIE", "current", plane=(1, 2))
    assert region_json["unit"] == "1e-10 mu_B" and region_json["cl"] == 0.9
    assert {k: v for k, v in region_json.items() if k not in ("unit", "cl")} == ref
    assert region_json["plane"] == [1, 2] and region_json["beam"] == "all" and region_json["level"] == 4.61


def test_region_csv_has_one_row_per_edge_point(region_json, outside):
    proc = run(*REGION, "--format", "csv", cwd=outside)
    assert proc.returncode == 0 and proc.stderr == ""
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    n_inner = len(region_json.get("inner_points", ()))
    assert len(rows) == len(region_json["points"]) + n_inner
    assert {(r["experiment"], r["stage"], r["beam"], r["plane"], r["unit"], r["cl"]) for r in rows} == {
        ("CONNIE", "current", "all", "1,2", "1e-10 mu_B", "0.9")}
    outer = [r for r in rows if r["edge"] == "outer"]
    for row, p in zip(outer, region_json["points"]):
        assert float(row["lambda_i"]) == p["lambda_i"] and float(row["lambda_j"]) == p["lambda_j"]
    # the outer edge runs from the |Lambda_1| axis to the |Lambda_2| axis: the ends are the intercepts
    assert float(outer[0]["lambda_i"]) == pytest.approx(region_json["intercepts"]["lambda_i"], rel=1e-9)
    assert float(outer[-1]["lambda_j"]) == pytest.approx(region_json["intercepts"]["lambda_j"], rel=1e-9)


def test_region_table_names_the_region_and_its_intercepts(region_json, outside):
    lines = run(*REGION, "--format", "table", cwd=outside).stdout.splitlines()
    assert lines[0] == "CONNIE (current), beam all, plane [1, 2], Delta chi^2 = 4.61"
    assert lines[1].startswith("axis intercepts (1e-10 mu_B): lambda_i = ")
    assert lines[2].split() == ["lambda_i", "lambda_j"]
    assert len(lines) == 4 + len(region_json["points"])


@pytest.mark.parametrize("level, cl", [(2.30, 0.683), (5.99, 0.95)])
def test_region_cl_follows_the_level(level, cl):
    out = io.StringIO()
    assert cli.main([*REGION, "--level", str(level)], out=out) == 0
    doc = json.loads(out.getvalue())
    assert doc["level"] == level and doc["cl"] == cl


# ------------------------------------------------------------------------------ errors

BAD_ARGUMENTS = [
    ((), "the following arguments are required: COMMAND"),
    (("foo",), "invalid choice: 'foo'"),
    (("table2", "--format", "xml"), "invalid choice: 'xml'"),
    (("rates", "--format"), "--format: expected one argument"),
    (("rates", "extra"), "unrecognized arguments: extra"),
    (("tensor", "--nonsense"), "unrecognized arguments: --nonsense"),
    (("region",), "one of the arguments --experiment --experiment-file is required"),
    (("region", "--experiment", "XYZ"), "unknown experiment 'XYZ'"),
    (("region", "--experiment", "CONNIE", "--stage", "past"), "invalid choice: 'past'"),
    (("region", "--experiment", "CONNIE", "--plane", "1,1"), "--plane"),
    (("region", "--experiment", "CONNIE", "--plane", "a,b"), "--plane"),
    (("region", "--experiment", "CONNIE", "--plane", "1,2,3"), "--plane"),
    (("region", "--experiment", "CONNIE", "--level", "-3"), "--level: expected a positive number, got '-3'"),
    (("region", "--experiment", "CONNIE", "--level", "nan"), "--level"),
    (("region", "--experiment", "CONNIE", "--beam", "prompt"), "beam 'prompt' does not belong"),
    (("region", "--experiment", "CsI", "--level", "1e9"), "unbounded"),
]


@pytest.mark.parametrize("args, fragment", BAD_ARGUMENTS, ids=[" ".join(a) or "none" for a, _ in BAD_ARGUMENTS])
def test_bad_arguments_give_one_line_and_exit_2(args, fragment, outside):
    assert_one_line_error(run(*args, cwd=outside), fragment)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_missing_data_folder(name, outside):
    args = REGION if name == "region" else (name,)
    proc = run(*args, env={"CEVNS_DATA": "/nonexistent/cevns-data"}, cwd=outside)
    assert_one_line_error(proc, "data folder not found: /nonexistent/cevns-data", "CEVNS_DATA")


def test_data_folder_that_is_a_file(tmp_path):
    f = tmp_path / "not_a_folder"
    f.write_text("x")
    assert_one_line_error(run("rates", env={"CEVNS_DATA": str(f)}), f"data folder not found: {f}")


def test_empty_data_folder_names_what_is_missing(tmp_path):
    assert_one_line_error(run("rates", env={"CEVNS_DATA": str(tmp_path)}),
                          f"data file or folder not found: {tmp_path / 'experiments'}")
    assert_one_line_error(run("tensor", env={"CEVNS_DATA": str(tmp_path)}),
                          f"data file or folder not found: {tmp_path / 'experiments'}")


@pytest.fixture()
def data_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(data_dir(), dst)
    return dst


CONUS_FILE = ("experiments", "miranda2019", "conus-current.toml")


def test_unparsable_experiment_file(data_copy):
    path = data_copy.joinpath(*CONUS_FILE)
    path.write_text(path.read_text() + "\nbroken = [\n")
    assert_one_line_error(run("rates", env={"CEVNS_DATA": str(data_copy)}), str(path), "TOML")


def test_experiment_file_without_a_required_table(data_copy):
    path = data_copy.joinpath(*CONUS_FILE)
    text = path.read_text()
    assert "[target]" in text
    path.write_text(text.replace("[target]", "[not_a_target]"))
    assert_one_line_error(run("table2", env={"CEVNS_DATA": str(data_copy)}), str(path), "target")


def test_invalid_value_in_an_experiment_file(data_copy):
    path = data_copy.joinpath(*CONUS_FILE)
    text = path.read_text()
    assert "mass_kg = 3.85" in text
    path.write_text(text.replace("mass_kg = 3.85", "mass_kg = -3.85"))
    assert_one_line_error(run("rates", env={"CEVNS_DATA": str(data_copy)}), str(path), "mass_kg")


def test_unparsable_measurement(data_copy):
    path = data_copy / "measurements" / "coherent-csi-2017.toml"
    path.write_text(path.read_text() + "\nbroken = [\n")
    assert_one_line_error(run("table2", env={"CEVNS_DATA": str(data_copy)}), f"cannot parse {path}")


def test_tensor_experiment_with_a_bad_value(data_copy):
    path = data_copy / "experiments" / "papoulias2015" / "sns-20ne.toml"
    text = path.read_text()
    assert "[target]" in text
    path.write_text(text.replace("[target]", "[target]\nnonsense_key = 1"))
    assert_one_line_error(run("tensor", env={"CEVNS_DATA": str(data_copy)}), str(path), "nonsense_key")


def test_bad_number_in_a_reference_table(data_copy):
    path = data_copy / "reference" / "paper_table2_limits.csv"
    text = path.read_text()
    path.write_text(text.replace(",69.2,", ",sixty-nine,", 1))
    assert_one_line_error(run("table2", env={"CEVNS_DATA": str(data_copy)}), str(path), "'value'")


def test_ragged_reference_table(data_copy):
    path = data_copy / "reference" / "paper_table2_limits.csv"
    path.write_text(path.read_text() + "Solar,Borexino,current\n")
    assert_one_line_error(run("table2", env={"CEVNS_DATA": str(data_copy)}), str(path), "one value per column")


def test_unexpected_errors_are_one_line_too(monkeypatch, capsys):
    def broken(args):
        raise RuntimeError("something\nwent wrong")

    monkeypatch.setattr(cli.rates, "run", broken)
    monkeypatch.delenv("CEVNS_DEBUG", raising=False)
    assert cli.main(["rates"], out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err == "cevns: error: unexpected RuntimeError: something went wrong (set CEVNS_DEBUG=1 for the traceback)\n"
    monkeypatch.setenv("CEVNS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["rates"], out=io.StringIO())


# ------------------------------------------------------------------------------ pipes

@pytest.mark.parametrize("args", [("table2",), ("rates", "--format", "json"), ("--help",)])
def test_closed_pipe_is_quiet(args, outside):
    env = {k: v for k, v in os.environ.items() if k != "CEVNS_DATA"}
    proc = subprocess.Popen([sys.executable, "-m", "cevns_lib", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=outside, env=env)
    proc.stdout.close()                     # the reader is gone before the command writes
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0
    assert err == ""


def test_head_reads_the_first_line_quietly(outside):
    cmd = f"set -o pipefail; {sys.executable} -m cevns_lib table2 --format csv | head -1"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=outside, timeout=300)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout == "experiment,beam,stage,parameter,limit,paper,unit,cl\n"


# ------------------------------------------------------------------------------ in process

@pytest.mark.parametrize("fmt", cli.FORMATS)
@pytest.mark.parametrize("name", ("rates", "table2"))
def test_main_writes_to_the_given_stream(name, fmt):
    out = io.StringIO()
    assert cli.main([name, "--format", fmt], out=out) == 0
    text = out.getvalue()
    assert text.endswith("\n") and len(text.splitlines()) > 30
    if fmt == "json":
        records = json.loads(text)
        assert all(math.isfinite(r["n_sm" if name == "rates" else "limit"]) for r in records)
