"""The solar neutrinos of the XENONnT 8B analysis: spectra and fluxes of 8B (and hep), through one function.

:func:`solar_spectra` is the one place the XENONnT package gets its solar source from. It returns the components
{name: (spectrum, flux in cm^-2 s^-1, antineutrino=False)} that :func:`.signal.nr_basis` folds with the cross
section. It reads the tabulated spectra of the project's solar data folder (``data/solar/``: the 8B spectrum of
Winter et al., Phys. Rev. C 73 (2006) 025503, and the hep spectrum) when they are present; otherwise it falls back
to analytic **stand-ins** (choice D23), clearly labelled as such in every result:

* 8B stand-in: an allowed beta spectrum dN/dE ~ p W E^2 (W = Q - E + m_e, p = sqrt(W^2 - m_e^2), no Coulomb
  factor) with the end point of the decay to the centre of the broad 3.03-MeV state of 8Be, Q = 13.93 MeV. The
  true spectrum is this shape averaged over the width of that state, with a tail up to about 16.5 MeV: the
  stand-in has the right scale, not the right shape (choice D23 gives its effect on the numbers);
* hep stand-in: the same allowed shape with the hep end point, Q = 18.77 MeV.

The fluxes at the Earth (choice D22): 8B at the reference flux of the fit, 5.25e6 cm^-2 s^-1 (SNO, the flux the
2024 light-DM model normalises its 8B prior to), read from ``data/xenonnt-8b/parameters.toml``; hep at 7.98e3
cm^-2 s^-1 (standard solar model B16-GS98, Vinyoles et al. 2017), fixed in every fit.

Integration: when the project's solar source module is merged, re-point :func:`solar_spectra` to it (and drop the
stand-ins); nothing else in the package changes.
"""

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from ...data import DataNotFoundError, data_path
from ...sources.reactor import allowed_beta_shape
from ...sources.spectra import TableSpectrum
from .release import release_parameters

__all__ = ["SolarSpectra", "solar_spectra", "standin_spectrum", "read_solar_table", "HEP_FLUX_CM2_S",
           "STANDIN_B8_ENDPOINT_MEV", "HEP_ENDPOINT_MEV", "SOLAR_FILES"]

#: End point of the analytic 8B stand-in (MeV), choice D23: the positron end point of the decay to the centre of
#: the 3.03-MeV state of 8Be, Q_EC - 2 m_e - E_x = 17.98 - 1.022 - 3.03 MeV.
STANDIN_B8_ENDPOINT_MEV = 13.93
#: End point of the hep spectrum (MeV): 3He + p -> 4He + e+ + nu_e.
HEP_ENDPOINT_MEV = 18.77
#: hep flux at the Earth (cm^-2 s^-1), standard solar model B16-GS98 (Vinyoles et al., ApJ 835 (2017) 202).
HEP_FLUX_CM2_S = 7.98e3
#: Files of the project's solar data folder read when present: component -> file name in data/solar/.
SOLAR_FILES = MappingProxyType({"8B": "b8_spectrum_winter2006.csv", "hep": "hep_spectrum_bahcall.csv"})


@dataclass(frozen=True)
class SolarSpectra:
    """The solar components for :func:`.signal.nr_basis`: {name: (spectrum, flux_cm2_s, antineutrino)} (read-only),
    a one-line ``description`` of where each spectrum comes from, and ``stand_in`` (True if any is a stand-in)."""

    components: MappingProxyType
    description: str
    stand_in: bool


def standin_spectrum(endpoint_MeV, name, n=600):
    """An allowed beta spectrum p W E^2 with end point ``endpoint_MeV`` (no Coulomb factor), tabulated on ``n``
    points and normalised to unit area (MeV^-1): a :class:`~cevns_lib.sources.TableSpectrum`."""
    E = np.linspace(0.0, endpoint_MeV, int(n))
    f = allowed_beta_shape(E, endpoint_MeV, 1.0, fermi=False)
    return TableSpectrum(tuple(E), tuple(f), name=name)


def read_solar_table(path, name):
    """A :class:`~cevns_lib.sources.TableSpectrum` from a CSV file of (E_MeV, dN_dE) rows: '#' lines are comments,
    one header line naming the two columns is allowed."""
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = s.replace(",", " ").split()
        try:
            vals = [float(p) for p in parts]
        except ValueError:
            if rows:
                raise ValueError(f"{path}, line {n}: expected two numbers (E_MeV, dN_dE), got {line!r}") from None
            continue                                  # the header line
        if len(vals) != 2:
            raise ValueError(f"{path}, line {n}: expected two numbers (E_MeV, dN_dE), got {line!r}")
        rows.append(vals)
    if len(rows) < 2:
        raise ValueError(f"{path}: fewer than two rows")
    E, f = zip(*rows)
    return TableSpectrum(E, f, name=name)


def _table(component):
    try:
        path = data_path("solar", SOLAR_FILES[component])
    except DataNotFoundError:
        return None
    return read_solar_table(path, f"{component} ({SOLAR_FILES[component]})")


@lru_cache(maxsize=1)
def solar_spectra():
    """The 8B and hep components (:class:`SolarSpectra`): tabulated spectra from ``data/solar/`` when present,
    the analytic stand-ins of choice D23 otherwise (see the module docstring). Cached."""
    flux_8b = float(release_parameters().fact("flux_8B_reference_cm2_s"))
    b8, hep = _table("8B"), _table("hep")
    stand_in = False
    if b8 is None:
        b8 = standin_spectrum(STANDIN_B8_ENDPOINT_MEV,
                              f"8B STAND-IN (allowed shape, Q = {STANDIN_B8_ENDPOINT_MEV} MeV)")
        stand_in = True
    if hep is None:
        hep = standin_spectrum(HEP_ENDPOINT_MEV, f"hep STAND-IN (allowed shape, Q = {HEP_ENDPOINT_MEV} MeV)")
        stand_in = True
    parts = [f"{b8.name} at {flux_8b:.4g} cm^-2 s^-1", f"{hep.name} at {HEP_FLUX_CM2_S:.4g} cm^-2 s^-1"]
    comps = MappingProxyType({"8B": (b8, flux_8b, False), "hep": (hep, HEP_FLUX_CM2_S, False)})
    return SolarSpectra(comps, "; ".join(parts), stand_in)
