"""Nuclei and detector materials, and the number of target nuclei, eq. (32).

Isotopic masses and natural abundances come from the maintained table of the
``periodictable`` package (IUPAC abundances), not from hand-typed numbers. Dopants (Na in
CsI, Tl in NaI) are ignored, as in the paper.

Names: an isotope is written ``"133Cs"`` or ``"Cs133"``; a material is

* a chemical formula of natural elements: ``"Ge"``, ``"CsI"``, ``"NaI"``, ``"CaWO4"``, ``"C3F8"`` ...;
* a single isotope, an isotopically pure target: ``"76Ge"``;
* the MINER mixture ``"2Ge:1Si"``, read as mass fractions 2/3 Ge and 1/3 Si (choice A16, :data:`MIXTURES`);
* or a composition by mass fraction, a mapping or pairs such as ``{"Ge": 0.9, "76Ge": 0.1}``, whose
  fractions add up to one.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import periodictable

from ..constants import AMU_MEV, M_E, N_A
from ..validation import check_positive

__all__ = ["is_isotope",
    "Isotope", "isotope", "natural_isotopes", "MATERIALS", "MIXTURES", "formula_units", "composition", "molar_mass",
    "nuclei_per_kg", "number_of_nuclei", "elements_of", "check_isotope"
]


@dataclass(frozen=True)
class Isotope:
    """A nucleus: symbol, proton number Z, mass number A, nuclear mass (MeV), natural abundance (fraction)."""

    symbol: str
    Z: int
    A: int
    mass_MeV: float
    abundance: float

    @property
    def N(self):
        """Neutron number."""
        return self.A - self.Z

    @property
    def name(self):
        return f"{self.A}{self.symbol}"


def _element(symbol):
    try:
        el = getattr(periodictable, symbol)
    except AttributeError:
        el = None
    if el is None or not hasattr(el, "isotopes") or not isinstance(el, periodictable.core.Element):
        raise ValueError(f"unknown chemical element {symbol!r}")
    return el


@lru_cache(maxsize=None)
def isotope(name):
    """The :class:`Isotope` for a name such as ``"133Cs"`` or ``"Cs133"``.

    The nuclear mass is the atomic mass of ``periodictable`` minus Z electron masses.
    """
    if not isinstance(name, str):
        raise TypeError(f"isotope name must be a string such as '133Cs', got {name!r}")
    m = re.fullmatch(r"(\d+)([A-Z][a-z]?)|([A-Z][a-z]?)-?(\d+)", name.strip())
    if not m:
        raise ValueError(f"cannot read isotope name {name!r}; write e.g. '133Cs' or 'Cs133'")
    A = int(m.group(1) or m.group(4))
    symbol = m.group(2) or m.group(3)
    el = _element(symbol)
    if A not in el.isotopes:
        raise ValueError(f"unknown isotope {name!r}: {symbol} has isotopes {list(el.isotopes)}")
    iso = el[A]
    return Isotope(symbol=symbol, Z=int(el.number), A=A,
                   mass_MeV=float(iso.mass) * AMU_MEV - el.number * M_E,
                   abundance=float(iso.abundance) / 100.0)


def natural_isotopes(symbol):
    """The isotopes of an element with non-zero natural abundance."""
    el = _element(symbol)
    return tuple(isotope(f"{A}{symbol}") for A in el.isotopes if el[A].abundance > 0)


#: Materials: name -> ((element or isotope, stoichiometric index), ...). An entry that names a
#: single isotope (such as "76Ge") means an isotopically pure target.
MATERIALS = MappingProxyType({
    "CsI": (("Cs", 1), ("I", 1)),
    "NaI": (("Na", 1), ("I", 1)),
    "Ge": (("Ge", 1),),
    "Si": (("Si", 1),),
    "Ar": (("Ar", 1),),
    "Xe": (("Xe", 1),),
    "Ne": (("Ne", 1),),
    "20Ne": (("20Ne", 1),),
    "40Ar": (("40Ar", 1),),
    "76Ge": (("76Ge", 1),),
    "132Xe": (("132Xe", 1),),
})


#: Mixtures by mass fraction: MINER's "2Ge:1Si" read as 2/3 Ge and 1/3 Si by mass (choice A16).
MIXTURES = MappingProxyType({
    "2Ge:1Si": (("Ge", 2.0 / 3.0), ("Si", 1.0 / 3.0)),
})


def is_isotope(token):
    """True if ``token`` names one isotope, such as "76Ge"."""
    return bool(re.fullmatch(r"\d+[A-Z][a-z]?", token))


@lru_cache(maxsize=None)
def formula_units(material):
    """((element or isotope, count), ...) of a chemical formula or single isotope (no mixtures)."""
    if not isinstance(material, str) or not material.strip():
        raise ValueError(f"unknown material {material!r}: give a chemical formula or an isotope name")
    if material in MATERIALS:
        return MATERIALS[material]
    if is_isotope(material):
        isotope(material)
        return ((material, 1),)
    if not re.fullmatch(r"([A-Z][a-z]?\d*)+", material):
        raise ValueError(f"unknown material {material!r}: write a chemical formula such as 'CsI' or 'CaWO4', an "
                         f"isotope such as '76Ge', a mixture ({', '.join(MIXTURES)}) or a composition table")
    try:
        atoms = periodictable.formula(material).atoms
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"unknown material {material!r}: {exc}") from None
    out = []
    for el, n in atoms.items():
        if getattr(el, "isotope", None) is not None or not isinstance(el, periodictable.core.Element):
            raise ValueError(f"material {material!r}: write isotopes as a separate material such as '76Ge'")
        if n != int(n) or n <= 0:
            raise ValueError(f"material {material!r}: atom counts must be positive integers")
        out.append((el.symbol, int(n)))
    return tuple(out)


def composition(material):
    """((formula or isotope, mass fraction), ...) of a material (see the module docstring); fractions add to 1."""
    if isinstance(material, str):
        if material in MIXTURES:
            return MIXTURES[material]
        formula_units(material)
        return ((material, 1.0),)
    items = tuple(material.items()) if hasattr(material, "items") else tuple(material)
    out = []
    for entry in items:
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise ValueError(f"a composition is pairs (material, mass fraction), got {material!r}")
        name, f = entry
        formula_units(name)
        f = check_positive(f, f"mass fraction of {name}")
        out.append((name, f))
    total = sum(f for _, f in out)
    if not out or abs(total - 1.0) > 1e-6:
        raise ValueError(f"the mass fractions of a composition must add up to 1, got {total:g} for {material!r}")
    return tuple(out)


@lru_cache(maxsize=None)
def molar_mass(material):
    """Molar mass of a (non-mixture) material in g/mol."""
    if isinstance(material, str) and material in MIXTURES:
        raise ValueError(f"{material!r} is a mixture by mass: it has no molar mass")
    total = 0.0
    for token, n in formula_units(material):
        if is_isotope(token):
            iso = isotope(token)
            total += n * (iso.mass_MeV + iso.Z * M_E) / AMU_MEV
        else:
            total += n * float(_element(token).mass)
    return total


@lru_cache(maxsize=None)
def nuclei_per_kg(material):
    """Target nuclei per kg of detector, eq. (32): eta_x N_A / M_molar for every isotope x.

    Returns a tuple of ``(Isotope, nuclei_per_kg)``. ``material``: see the module docstring (a
    composition must be given as a tuple of pairs to be cached; :func:`number_of_nuclei` converts).
    """
    parts = composition(material)
    if len(parts) > 1 or parts[0][1] != 1.0:
        out = []
        for sub, fraction in parts:
            out += [(iso, fraction * n) for iso, n in nuclei_per_kg(sub)]
        return tuple(out)
    per_mol = N_A * 1000.0 / molar_mass(material)  # formula units per kg
    out = []
    for token, n in formula_units(material):
        if is_isotope(token):
            out.append((isotope(token), n * per_mol))
        else:
            out += [(iso, n * iso.abundance * per_mol) for iso in natural_isotopes(token)]
    return tuple(out)


def number_of_nuclei(material, mass_kg):
    """Number of target nuclei of each isotope in ``mass_kg`` kilograms: tuple of (Isotope, N_x)."""
    mass_kg = check_positive(mass_kg, "detector mass (kg)")
    if not isinstance(material, str):
        material = composition(material)
    return tuple((iso, n * mass_kg) for iso, n in nuclei_per_kg(material))


def elements_of(material):
    """Distinct element symbols of a material (for plots such as Figure 1)."""
    parts = composition(material)
    if len(parts) > 1 or parts[0][0] != material:
        return tuple(dict.fromkeys(s for sub, _ in parts for s in elements_of(sub)))
    return tuple(dict.fromkeys(re.sub(r"^\d+", "", t) for t, _ in formula_units(material)))


def check_isotope(iso, name="iso"):
    """An Isotope (cevns_lib.physics.nuclei): an Isotope object, or an isotope name such as '133Cs'."""

    if isinstance(iso, str):
        return isotope(iso)
    if not isinstance(iso, Isotope):
        raise TypeError(f"{name} must be a cevns_lib.physics.Isotope or an isotope name such as '133Cs', got {iso!r}")
    return iso
