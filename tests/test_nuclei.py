"""Nuclei, detector materials and the number of target nuclei, eq. (32) of arXiv:1905.03750."""

import math

import numpy as np
import pytest

from cevns_lib.constants import AMU_MEV, M_E, N_A
from cevns_lib.physics import nuclei


def test_isotope_names_in_both_orders():
    a, b = nuclei.isotope("133Cs"), nuclei.isotope("Cs133")
    assert a == b
    assert (a.symbol, a.Z, a.A, a.N, a.name) == ("Cs", 55, 133, 78, "133Cs")


@pytest.mark.parametrize("name", ["133Cs", "127I", "23Na", "74Ge", "28Si", "40Ar", "132Xe"])
def test_nuclear_mass_is_atomic_mass_minus_electrons_and_close_to_A_u(name):
    iso = nuclei.isotope(name)
    # A u differs from the nuclear mass by the mass defect and the electrons: below 0.15% (choice A12)
    assert abs(iso.A * AMU_MEV / iso.mass_MeV - 1) < 1.5e-3
    # the atomic mass is A u up to the mass excess (|excess| < 0.1 u for these nuclei)
    atomic_u = (iso.mass_MeV + iso.Z * M_E) / AMU_MEV
    assert abs(atomic_u - iso.A) < 0.1


@pytest.mark.parametrize("symbol, n_isotopes",
                         [("Ge", 5), ("Si", 3), ("Ar", 3), ("Xe", 9), ("Cs", 1), ("I", 1), ("Na", 1)])
def test_natural_abundances_add_up_to_one(symbol, n_isotopes):
    isotopes = nuclei.natural_isotopes(symbol)
    assert len(isotopes) == n_isotopes
    assert math.isclose(sum(i.abundance for i in isotopes), 1.0, abs_tol=2e-3)
    assert len({i.Z for i in isotopes}) == 1


def test_germanium_abundances_match_iupac():
    # IUPAC natural abundances: 70Ge 0.2057, 72Ge 0.2745, 73Ge 0.0775, 74Ge 0.3650, 76Ge 0.0773
    expected = {70: 0.2057, 72: 0.2745, 73: 0.0775, 74: 0.3650, 76: 0.0773}
    for iso in nuclei.natural_isotopes("Ge"):
        assert abs(iso.abundance - expected[iso.A]) < 1e-3, iso


@pytest.mark.parametrize("material, molar", [("CsI", 259.81), ("NaI", 149.89), ("Ge", 72.630), ("Si", 28.0855),
                                             ("Ar", 39.948), ("Xe", 131.293)])
def test_molar_masses(material, molar):
    assert abs(nuclei.molar_mass(material) / molar - 1) < 1e-4


def test_eq32_for_the_csi_detector():
    # N_x = eta_x m_det / M_molar N_A; CsI has one Cs and one I per formula unit
    mass = 14.57
    expected = mass * 1e3 / nuclei.molar_mass("CsI") * N_A
    counts = {iso.name: n for iso, n in nuclei.number_of_nuclei("CsI", mass)}
    assert set(counts) == {"133Cs", "127I"}
    for n in counts.values():
        assert math.isclose(n, expected, rel_tol=1e-12)
    assert math.isclose(expected, 3.377e25, rel_tol=1e-3)


@pytest.mark.parametrize("material", ["CsI", "NaI", "Ge", "Si", "Ar", "Xe", "2Ge:1Si", "76Ge"])
def test_target_nuclei_carry_the_detector_mass(material):
    # sum over isotopes of N_x times the atomic mass gives back the detector mass
    mass_g = sum(n * (iso.mass_MeV + iso.Z * M_E) / AMU_MEV / N_A for iso, n in nuclei.number_of_nuclei(material, 1.0))
    assert abs(mass_g / 1000.0 - 1) < 2e-4


def test_miner_mixture_is_two_thirds_germanium_by_mass():
    mix = nuclei.number_of_nuclei("2Ge:1Si", 3.0)
    ge = dict((iso.name, n) for iso, n in nuclei.number_of_nuclei("Ge", 2.0))
    si = dict((iso.name, n) for iso, n in nuclei.number_of_nuclei("Si", 1.0))
    for iso, n in mix:
        assert math.isclose(n, {**ge, **si}[iso.name], rel_tol=1e-12)
    assert nuclei.elements_of("2Ge:1Si") == ("Ge", "Si")


def test_number_of_nuclei_is_linear_in_mass():
    a = np.array([n for _, n in nuclei.number_of_nuclei("Xe", 1.0)])
    b = np.array([n for _, n in nuclei.number_of_nuclei("Xe", 250.0)])
    assert np.allclose(b, 250.0 * a, rtol=1e-14)


@pytest.mark.parametrize("name", ["999Cs", "Xx12", "Cs", "12", "cs133"])
def test_unknown_isotope_raises(name):
    with pytest.raises(ValueError, match="isotope|element"):
        nuclei.isotope(name)


def test_isotope_name_must_be_a_string():
    with pytest.raises(TypeError):
        nuclei.isotope(133)


@pytest.mark.parametrize("material", ["Xx", "germanium", "", "Ge[76]"])
def test_unknown_material_raises(material):
    with pytest.raises(ValueError, match="unknown material"):
        nuclei.number_of_nuclei(material, 1.0)
    with pytest.raises(ValueError, match="unknown material"):
        nuclei.elements_of(material)


@pytest.mark.parametrize("mass", [-1.0, 0.0, float("nan"), float("inf")])
def test_bad_detector_mass_raises(mass):
    with pytest.raises(ValueError, match="mass"):
        nuclei.number_of_nuclei("Ge", mass)


def test_non_numeric_mass_raises():
    with pytest.raises(TypeError):
        nuclei.number_of_nuclei("Ge", "1 kg")


def test_any_chemical_formula_is_a_material():
    # CaWO4: one formula unit = 287.91 g/mol (40.078 + 183.84 + 4 x 15.999); 1 kg holds N_A / 0.28791 units
    per_kg = dict((iso.name, n) for iso, n in nuclei.nuclei_per_kg("CaWO4"))
    o_total = sum(n for name, n in per_kg.items() if name.endswith("O"))
    assert abs(o_total / (4 * N_A * 1000 / 287.914) - 1) < 1e-4
    assert nuclei.elements_of("CsBr") == ("Cs", "Br")


def test_composition_by_mass_fraction():
    half = nuclei.number_of_nuclei({"Ge": 0.5, "76Ge": 0.5}, 2.0)
    ge76 = sum(n for iso, n in half if iso.A == 76)
    # 1 kg of natural Ge (7.73% 76Ge by number) plus 1 kg of pure 76Ge
    expected = (0.0773 * N_A * 1000 / 72.630) + N_A * 1000 / nuclei.molar_mass("76Ge")
    assert abs(ge76 / expected - 1) < 2e-3
    with pytest.raises(ValueError, match="add up to 1"):
        nuclei.number_of_nuclei({"Ge": 0.5, "Si": 0.4}, 1.0)
    with pytest.raises(ValueError, match="mass fraction"):
        nuclei.number_of_nuclei({"Ge": 1.5, "Si": -0.5}, 1.0)
