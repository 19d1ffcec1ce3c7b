"""Neutrino spectra: the spectrum interface and tabulated spectra.

A spectrum is a frozen object with ``pdf(E_MeV)`` (unit area, MeV^-1), ``e_max`` (MeV), ``breaks`` (energies
where the shape has a kink or jump, used as integration nodes) and ``line`` (the energy of a monochromatic
line, or None). :class:`Spectrum` wraps a density function; :class:`TableSpectrum` is a user's table.
"""

from dataclasses import dataclass, field

import numpy as np

from ..validation import check_nonnegative_array, check_positive, check_table

__all__ = ["Spectrum", "TableSpectrum", "read_spectrum_table", "check_spectrum"]


@dataclass(frozen=True)
class Spectrum:
    """A unit-normalised neutrino spectrum (see the module docstring)."""

    name: str
    density: object = field(compare=True)
    e_max: float = 0.0
    breaks: tuple = ()
    line: float | None = None

    def pdf(self, E_MeV):
        if self.line is not None:
            raise ValueError(f"{self.name} is a monochromatic line at {self.line:.4f} MeV; it has no density")
        return self.density(E_MeV)


@dataclass(frozen=True)
class TableSpectrum:
    """A tabulated spectrum: energies (MeV, increasing) and dN/dE in any normalisation, interpolated linearly and
    normalised to unit area (trapezoid on the table's points). Zero outside the table."""

    E_MeV: tuple
    dN_dE: tuple
    name: str = "tabulated spectrum"
    line = None

    def __post_init__(self):
        E, f = check_table(self.E_MeV, self.dN_dE, f"spectrum table {self.name}", "E_MeV", "dN/dE")
        if np.any(f < 0):
            raise ValueError(f"{self.name}: dN/dE must be >= 0")
        area = float(np.trapezoid(f, E))
        if not area > 0:
            raise ValueError(f"{self.name}: the spectrum has zero area")
        object.__setattr__(self, "E_MeV", tuple(E))
        object.__setattr__(self, "dN_dE", tuple(f / area))

    @property
    def e_max(self):
        return self.E_MeV[-1]

    @property
    def breaks(self):
        return (self.E_MeV[0],) if self.E_MeV[0] > 0 else ()

    def pdf(self, E_MeV):
        E = check_nonnegative_array(E_MeV, "E_MeV")
        return np.interp(E, self.E_MeV, self.dN_dE, left=0.0, right=0.0)

    @property
    def density(self):
        return self.pdf


def read_spectrum_table(path, name=None):
    """A :class:`TableSpectrum` from a text file of two columns, E (MeV) and dN/dE, separated by commas or
    blanks; lines starting with '#' are comments."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"spectrum file {path} does not exist")
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.replace(",", " ").split()
        try:
            vals = [float(p) for p in parts]
        except ValueError:
            raise ValueError(f"{path}, line {n}: expected two numbers (E_MeV, dN/dE), got {line!r}") from None
        if len(vals) != 2:
            raise ValueError(f"{path}, line {n}: expected two numbers (E_MeV, dN/dE), got {line!r}")
        rows.append(vals)
    if not rows:
        raise ValueError(f"spectrum file {path} holds no rows")
    E, f = zip(*rows)
    try:
        return TableSpectrum(E, f, name=name or path.name)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def check_spectrum(spectrum, name="spectrum"):
    """Raise unless ``spectrum`` has the spectrum interface (pdf, e_max, breaks, line)."""
    missing = [a for a in ("pdf", "e_max", "breaks", "line") if not hasattr(spectrum, a)]
    if missing:
        raise TypeError(f"{name} must be a spectrum object with pdf(E), e_max, breaks and line; "
                        f"{type(spectrum).__name__} lacks {', '.join(missing)}")
    e_max = check_positive(spectrum.e_max, f"{name}.e_max (MeV)")
    if spectrum.line is not None and check_positive(spectrum.line, f"{name}.line (MeV)") > e_max + 1e-12:
        raise ValueError(f"{name}: the line energy lies above e_max")
    return spectrum
