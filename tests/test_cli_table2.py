"""`cevns table2 --format json`, `--format csv` and `--format table` as a program sees them (cevns_lib.cli.main)."""

import csv
import io
import json

import pytest
from cli_helpers import cevns

from cevns_lib.papers.miranda2019 import table2

KEYS = {"experiment", "beam", "stage", "parameter", "limit", "paper", "unit", "cl"}
BEAMS = {"prompt", "delayed", "full", "reactor", "solar"}
PARAMETERS = {"Lambda1", "Lambda2", "Lambda3"}
N_RECORDS = 8 * 3 * 3 + 10 * 3 + 3


def run(*args):
    return cevns(*args)


@pytest.fixture(scope="module")
def library():
    return {(r["experiment"], r["beam"], r["stage"], r["parameter"]): r for r in table2()}


@pytest.fixture(scope="module")
def json_records():
    proc = run("table2", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def test_json_records(json_records, library):
    assert isinstance(json_records, list) and len(json_records) == N_RECORDS
    for r in json_records:
        assert set(r) == KEYS
        assert r["unit"] == "1e-10 mu_B" and r["cl"] == 0.9
        assert r["beam"] in BEAMS and r["parameter"] in PARAMETERS and r["stage"] in ("current", "future")
        assert isinstance(r["limit"], float) and r["limit"] > 0
        ref = library[(r["experiment"], r["beam"], r["stage"], r["parameter"])]
        assert r["limit"] == pytest.approx(ref["limit"], rel=1e-12)
        assert r["paper"] == ref["paper"]
        if r["beam"] == "full":
            assert r["paper"] is None          # JSON null: the paper quotes full-beam limits only in its text
        else:
            assert isinstance(r["paper"], float)
    assert {r["beam"] for r in json_records} == BEAMS
    assert [r for r in json_records if r["beam"] == "solar"][0]["experiment"] == "Borexino"


def test_csv_records(json_records):
    proc = run("table2", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == N_RECORDS
    assert set(rows[0]) == KEYS
    assert {(row["unit"], row["cl"]) for row in rows} == {("1e-10 mu_B", "0.9")}
    for row, rec in zip(rows, json_records):
        assert (row["experiment"], row["beam"], row["stage"], row["parameter"]) == (
            rec["experiment"], rec["beam"], rec["stage"], rec["parameter"])
        assert float(row["limit"]) == pytest.approx(rec["limit"], rel=1e-12)
        assert row["paper"] == ("" if rec["paper"] is None else str(rec["paper"]))


def test_table_format():
    proc = run("table2", "--format", "table")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.rstrip("\n").split("\n")
    assert "90% C.L." in lines[0] and "1e-10 mu_B" in lines[0]          # confidence level and unit, above
    assert lines[1].split() == ["experiment", "beam", "stage", "parameter", "limit", "paper", "ratio"]
    assert set(lines[2]) == {"-"}
    body = lines[3:]
    assert len(body) == N_RECORDS
    full = [line.split() for line in body if line.split()[1] == "full"]
    assert full and all(cols[-2:] == ["-", "-"] for cols in full)
    conus = next(line.split() for line in body if line.split()[:4] == ["CONUS", "reactor", "current", "Lambda3"])
    assert float(conus[-1]) == pytest.approx(float(conus[-3]) / float(conus[-2]), rel=1e-3)


def test_bad_format_is_rejected():
    proc = run("table2", "--format", "xml")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "invalid choice: 'xml'" in proc.stderr
