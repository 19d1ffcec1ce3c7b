"""The command line `cevns rates` (= `python -m cevns_lib rates`): JSON and CSV for programs, a table for people."""

import csv
import io
import json
import math

import pytest
from cli_helpers import cevns

from cevns_lib.constants import MU_UNIT
from cevns_lib.engine import event_yields
from cevns_lib.experiment import all_setups

SNS_FLAVOURS = ("nu_mu_prompt", "nu_e", "nu_mu_bar")
REACTOR_FLAVOURS = ("nu_e_bar",)
KEYS = {"experiment", "stage", "flavour", "n_sm", "n_em_per_1e-10_muB_sq", "unit"}


def run_rates(fmt, tmp_path):
    # run from an unrelated directory: the installed package must find its data on its own
    proc = cevns("rates", "--format", fmt, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    return json.loads(run_rates("json", tmp_path_factory.mktemp("cli")))


def test_json_has_every_setup_and_flavour(records):
    assert all(set(r) == KEYS for r in records)
    assert all(r["unit"] == "events" for r in records)
    by_setup = {}
    for r in records:
        by_setup.setdefault((r["experiment"], r["stage"]), []).append(r["flavour"])
    assert len(by_setup) == 18
    for s in all_setups():
        expected = SNS_FLAVOURS if s.source == "SNS" else REACTOR_FLAVOURS
        assert tuple(by_setup[(s.experiment, s.stage)]) == expected, s.label
    assert len(records) == 8 * 3 + 10 * 1


def test_json_numbers_are_the_library_event_numbers(records):
    setups = {(s.experiment, s.stage): s for s in all_setups()}
    for r in records:
        assert isinstance(r["n_sm"], float) and isinstance(r["n_em_per_1e-10_muB_sq"], float)
        assert math.isfinite(r["n_sm"]) and r["n_sm"] > 0 and r["n_em_per_1e-10_muB_sq"] > 0
        y = event_yields(setups[(r["experiment"], r["stage"])])
        assert math.isclose(r["n_sm"], y.n_sm[r["flavour"]], rel_tol=1e-12)
        assert math.isclose(r["n_em_per_1e-10_muB_sq"], y.n_em[r["flavour"]] * MU_UNIT**2, rel_tol=1e-12)


def test_csv_rows_are_the_json_records(records, tmp_path):
    rows = list(csv.DictReader(io.StringIO(run_rates("csv", tmp_path))))
    assert len(rows) == len(records)
    for row, rec in zip(rows, records):
        assert set(row) == KEYS and row["unit"] == "events"
        assert (row["experiment"], row["stage"], row["flavour"]) == (rec["experiment"], rec["stage"], rec["flavour"])
        assert float(row["n_sm"]) == rec["n_sm"]
        assert float(row["n_em_per_1e-10_muB_sq"]) == rec["n_em_per_1e-10_muB_sq"]


def test_table_format(tmp_path):
    lines = run_rates("table", tmp_path).splitlines()
    assert "events" in lines[0] and "1e-10 mu_B" in lines[0]          # the units, above the table
    assert lines[1].split() == ["experiment", "stage", "flavour", "n_sm", "n_em_per_1e-10_muB_sq"]
    assert set(lines[2]) == {"-"}
    rows = [line.split() for line in lines[3:]]
    assert len(rows) == 34
    assert {r[2] for r in rows} == set(SNS_FLAVOURS + REACTOR_FLAVOURS)
    assert ["CsI[Na]", "current", "nu_mu_prompt"] == rows[0][:3]
