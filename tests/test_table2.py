"""Regression test of Table 2 of arXiv:1905.03750 against the printed values.

Tolerances: entries of the "reproduced" class (everything except the MINER and RED100 future
entries) must agree within 4%. A printed value with two significant digits (e.g. "1.0") carries up to 5% of
rounding uncertainty by itself, so an entry is also accepted within 5% if our value rounds to the printed
digits. No entry may be further off than 5%. The MINER and RED100 future entries do not follow from Table 1
as printed (choice A8); they are strict expected failures, documented rather than hidden.
"""

import numpy as np
import pytest

from cevns_lib.data import paper_inputs, paper_table2
from cevns_lib.papers import miranda2019 as limits
from cevns_lib.papers.miranda2019 import agrees_when_rounded, table2_comparison
from cevns_lib.physics import borexino_limits

BEAM_OF_BLOCK = {"SNS prompt": "prompt", "SNS delayed": "delayed", "Reactor": "reactor", "Solar": "solar"}
A8_REASON = ("choice A8: MINER and RED100 future entries do not follow from Table 1 as printed "
             "(the paper's values imply luminosity gains of ~60 and ~2000-3000 instead of 2000 and 20)")


@pytest.fixture(scope="module")
def computed():
    """Our Table 2, keyed by (experiment, beam, stage, parameter)."""
    return {(r["experiment"], r["beam"], r["stage"], r["parameter"]): r for r in table2_comparison()}


def _cases():
    out = []
    for r in paper_table2():
        key = (r["experiment"], BEAM_OF_BLOCK[r["block"]], r["stage"], r["parameter"])
        marks = [pytest.mark.xfail(strict=True, reason=A8_REASON)] if (key[0], key[2]) in limits.NOT_REPRODUCED else []
        out.append(pytest.param(key, id="-".join(key), marks=marks))
    return out


@pytest.mark.parametrize("key", _cases())
def test_entry_agrees_with_the_paper(computed, key):
    r = computed[key]
    ratio = r["limit"] / r["paper"]
    assert abs(ratio - 1) <= 0.05, f"{key}: ours {r['limit']:.4g} vs printed {r['printed']} (ratio {ratio:.4f})"
    assert abs(ratio - 1) <= 0.04 or agrees_when_rounded(r["limit"], r["printed"]), (
        f"{key}: ours {r['limit']:.4g} vs printed {r['printed']}: off by more than 4% and does not round to it")


def test_every_printed_entry_is_computed(computed):
    printed = paper_table2()
    assert len(printed) == 81
    with_paper = [r for r in computed.values() if r["paper"] is not None]
    assert len(with_paper) == len(printed)
    # 8 SNS setups x 3 beams x 3 + 10 reactor setups x 3 + Borexino
    assert len(computed) == 8 * 3 * 3 + 10 * 3 + 3


def test_full_beam_rows_have_no_paper_value_and_are_the_strongest(computed):
    full = [r for r in computed.values() if r["beam"] == "full"]
    assert len(full) == 8 * 3
    for r in full:
        assert r["paper"] is None and r["printed"] is None and r["ratio"] is None
        for beam in ("prompt", "delayed"):
            assert r["limit"] < computed[(r["experiment"], beam, r["stage"], r["parameter"])]["limit"]


def test_eq36_is_the_csi_current_row(computed):
    """Eq. (36) equals the CsI current row of Table 2 (read from data/)."""
    for beam in ("prompt", "delayed"):
        for p in ("Lambda1", "Lambda2", "Lambda3"):
            r = computed[("CsI[Na]", beam, "current", p)]
            assert r["paper"] is not None
            # delayed within 1%, prompt about 3% above the paper (choice A4)
            assert abs(r["ratio"] - 1) < (0.01 if beam == "delayed" else 0.035)


def test_borexino_row_agrees_after_rounding(computed):
    for p, printed in zip(("Lambda1", "Lambda2", "Lambda3"), ("0.44", "0.36", "0.28")):
        r = computed[("Borexino", "solar", "current", p)]
        assert r["printed"] == printed
        assert r["rounded"] == printed


def test_vacuum_p2nu_does_not_reproduce_borexino():
    printed = ("0.44", "0.36", "0.28")
    vacuum = borexino_limits(limits.BOREXINO_BOUND, 0.68)
    assert not all(agrees_when_rounded(v, t) for v, t in zip(vacuum, printed))
    assert f"{vacuum[0]:.2f}" == "0.48"


@pytest.mark.parametrize("p2nu,ok", [(0.5985, False), (0.600, True), (0.609, True), (0.613, True), (0.615, False)])
def test_borexino_window_of_p2nu(p2nu, ok):
    """Only 0.599 <= P2nu_e1 <= 0.613 reproduces the printed row (choice A11)."""
    lims = borexino_limits(limits.BOREXINO_BOUND, p2nu)
    assert all(agrees_when_rounded(v, t) for v, t in zip(lims, ("0.44", "0.36", "0.28"))) is ok


def test_rounding_helpers():
    assert limits.round_as_printed(0.9191, "0.90") == "0.92"
    assert limits.round_as_printed(1.044, "1.0") == "1.0"
    assert agrees_when_rounded(0.07714, "0.08")
    assert not agrees_when_rounded(0.0749, "0.08")
    assert limits.printed_value("CONNIE", "reactor", "current", "Lambda1") == "0.90"
    assert limits.printed_value("LAr", "full", "current", "Lambda1") is None


def test_single_flavour_ratios_in_table2(computed):
    """Reactor and SNS-prompt limit ratios are sqrt(C_1/C_i): 0.698, 0.585 and 1.015, 1.294 (choice A9)."""
    for (exp, beam, setup, p), r in computed.items():
        if p != "Lambda1" or beam not in ("reactor", "prompt"):
            continue
        l2 = computed[(exp, beam, setup, "Lambda2")]["limit"] / r["limit"]
        l3 = computed[(exp, beam, setup, "Lambda3")]["limit"] / r["limit"]
        expected = (0.698, 0.585) if beam == "reactor" else (1.015, 1.294)
        assert np.allclose((l2, l3), expected, atol=6e-4), (exp, setup, beam, l2, l3)


def test_paper_inputs_from_data():
    """The single-number inputs: the Borexino bound 2.8e-11 mu_B (Agostini et al. 2017), P2nu_e1 = 0.609
    (choice A11), the alternative MINER gain 60 and RED100 mass 10 t (choice A8)."""
    assert (limits.BOREXINO_BOUND, limits.P2NU_E1_BOREXINO) == (0.28, 0.609)
    assert (limits.MINER_ALTERNATIVE_GAIN, limits.RED100_ALTERNATIVE_MASS_KG) == (60.0, 1.0e4)
    with pytest.raises(TypeError):
        paper_inputs()["BOREXINO_BOUND"] = 0.3
