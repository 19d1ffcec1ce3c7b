"""Lindhard quenching (eq. 27) and the COHERENT CsI response (eqs. 29-31) of arXiv:1905.03750."""

import numpy as np
import pytest

from cevns_lib import detector
from cevns_lib.detector import quenching
from cevns_lib.physics import natural_isotopes


def mean_za(symbol):
    isotopes = natural_isotopes(symbol)
    return isotopes[0].Z, sum(i.A * i.abundance for i in isotopes) / sum(i.abundance for i in isotopes)


# Q_f at 0.1, 1, 10 and 100 keV from eq. (27) with the natural-abundance mean A.
LINDHARD_TABLE = {
    "Cs": (0.112, 0.152, 0.206, 0.286),
    "I": (0.113, 0.154, 0.208, 0.289),
    "Xe": (0.112, 0.152, 0.207, 0.287),
    "Ge": (0.126, 0.171, 0.234, 0.341),
    "Si": (0.153, 0.210, 0.302, 0.507),
    "Ar": (0.140, 0.192, 0.271, 0.435),
    "Na": (0.157, 0.217, 0.324, 0.570),
}


# ---------------------------------------------------------------------------------- Lindhard

@pytest.mark.parametrize("symbol", list(LINDHARD_TABLE))
def test_lindhard_reference_table(symbol):
    Z, A = mean_za(symbol)
    q = quenching.lindhard(np.array([0.1, 1.0, 10.0, 100.0]), Z, A)
    assert np.all(np.abs(q - np.array(LINDHARD_TABLE[symbol])) <= 0.001 + 1e-12), q


def test_lindhard_formula():
    Z, A, T = 32, 72.63, 3.0
    eps = 11.5 * Z ** (-7 / 3) * T
    g = 3 * eps**0.15 + 0.7 * eps**0.6 + eps
    k = 0.133 * Z ** (2 / 3) / np.sqrt(A)
    assert np.isclose(quenching.lindhard(T, Z, A), k * g / (1 + k * g), rtol=1e-14)


def test_lindhard_is_increasing_and_below_one():
    T = np.geomspace(1e-3, 1e3, 500)
    for symbol in LINDHARD_TABLE:
        q = quenching.lindhard(T, *mean_za(symbol))
        assert np.all(np.diff(q) > 0) and np.all((q > 0) & (q < 1))


def test_ee_nr_round_trip():
    for symbol in ("Ge", "Si", "Xe"):
        Z, A = mean_za(symbol)
        E = np.array([0.0, 0.028, 0.1, 1.0, 10.0])
        T = quenching.nr_from_ee(E, Z, A, "exact")
        assert np.allclose(quenching.ee_from_nr(T, Z, A), E, rtol=1e-10, atol=1e-14)


# ----------------------------------------------------------------- threshold conversions (choice A5)

def test_germanium_threshold_conversion():
    approx = [quenching.threshold_nr_keV(0.1, "ee_approx", i.Z, i.A) for i in natural_isotopes("Ge")]
    exact = [quenching.threshold_nr_keV(0.1, "ee_exact", i.Z, i.A) for i in natural_isotopes("Ge")]
    # 0.78-0.81 keVnr (approx), 0.61-0.63 keVnr (exact) for 70Ge ... 76Ge (choice A5)
    assert 0.775 <= min(approx) and max(approx) <= 0.815
    assert 0.605 <= min(exact) and max(exact) <= 0.635
    assert all(a > e for a, e in zip(approx, exact))


def test_silicon_threshold_conversion():
    si28 = [i for i in natural_isotopes("Si") if i.A == 28][0]
    assert abs(quenching.threshold_nr_keV(0.028, "ee_approx", si28.Z, si28.A) - 0.217) < 0.001
    assert abs(quenching.threshold_nr_keV(0.028, "ee_exact", si28.Z, si28.A) - 0.170) < 0.001


def test_approximate_conversion_is_e_over_qf_at_e():
    assert np.isclose(quenching.nr_from_ee(0.1, 32, 74, "approx"), 0.1 / quenching.lindhard(0.1, 32, 74), rtol=1e-14)


def test_nr_threshold_is_passed_through():
    assert quenching.threshold_nr_keV(0.5, "nr", 54, 132) == 0.5


def test_bad_quenching_input_raises():
    with pytest.raises(ValueError, match="threshold kind"):
        quenching.threshold_nr_keV(0.1, "keVee", 32, 74)
    with pytest.raises(ValueError, match="method"):
        quenching.nr_from_ee(0.1, 32, 74, "guess")
    with pytest.raises(ValueError, match="Z must be > 0"):
        quenching.lindhard(1.0, 0, 74)
    with pytest.raises(ValueError, match="A must be finite"):
        quenching.lindhard(1.0, 32, np.nan)
    with pytest.raises(ValueError, match="Z must be finite"):
        quenching.lindhard(1, np.nan, 74)
    with pytest.raises(ValueError, match=">= 0"):
        quenching.lindhard(-1.0, 32, 74)
    with pytest.raises(ValueError, match="finite"):
        quenching.ee_from_nr(np.nan, 32, 74)


# ------------------------------------------------------------------------- CsI, eqs. (29)-(31)

def logistic(x):
    return 0.6655 / (1 + np.exp(-0.4942 * (x - 10.8507)))


def test_photoelectrons_eq29():
    assert np.isclose(detector.csi_photoelectrons(10.0), 11.7)
    assert np.allclose(detector.csi_photoelectrons([0.0, 4.0, 25.0]), [0.0, 4.68, 29.25])


@pytest.mark.parametrize("x, step", [(0.0, 0.0), (4.999, 0.0), (5.0, 0.5), (5.5, 0.5), (5.999, 0.5), (6.0, 1.0),
                                     (8.0, 1.0), (10.8507, 1.0), (20.0, 1.0), (30.0, 1.0)])
def test_efficiency_eq30_31(x, step):
    assert detector.csi_step(x) == step
    assert np.isclose(detector.csi_efficiency_pe(x), step * logistic(x), rtol=1e-14, atol=0)


def test_efficiency_landmarks():
    assert np.isclose(detector.csi_efficiency_pe(10.8507), 0.6655 / 2, rtol=1e-12)
    assert abs(detector.csi_efficiency_pe(30.0) - 0.6655) < 1e-3
    # the step halves the efficiency between 5 and 6 PE
    assert np.isclose(detector.csi_efficiency_pe(5.5) / logistic(5.5), 0.5)


def test_csi_efficiency_in_recoil_energy_with_window():
    eff = detector.CsIEfficiency()
    T = np.array([4.0, 4.5, 5.5, 10.0, 25.0, 25.7, 40.0])
    x = 1.17 * T
    expected = np.where(x <= 30.0, detector.csi_step(x) * logistic(x), 0.0)
    assert np.allclose(eff(T), expected, rtol=1e-14, atol=0)
    assert np.allclose(eff.breaks_keV(), (5 / 1.17, 6 / 1.17, 30 / 1.17))
    wide = detector.CsIEfficiency(pe_max=50.0)
    assert wide(40.0) > 0.6 and eff(40.0) == 0.0


def test_flat_efficiency():
    eff = detector.FlatEfficiency(0.5)
    assert np.all(eff(np.array([0.1, 1.0, 100.0])) == 0.5)
    assert eff.breaks_keV() == ()


@pytest.mark.parametrize("value", [0.0, -0.1, 1.5, float("nan")])
def test_bad_flat_efficiency_raises(value):
    with pytest.raises(ValueError):
        detector.FlatEfficiency(value)


@pytest.mark.parametrize("kw", [{"pe_max": 5.0}, {"pe_max": float("inf")}, {"pe_per_keV": 0.0}, {"pe_per_keV": -1.17}])
def test_bad_csi_efficiency_raises(kw):
    with pytest.raises(ValueError):
        detector.CsIEfficiency(**kw)
