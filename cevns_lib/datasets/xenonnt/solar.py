"""The solar neutrinos of the XENONnT 8B analysis: the 8B and hep components, and their flavour and mass-state parts.

:func:`solar_spectra` is the one place the XENONnT package gets its solar source from: the library's solar source
(:mod:`cevns_lib.sources.solar`), the 8B spectrum of Winter et al., Phys. Rev. C 73 (2006) 025503 (choice E7) and the
hep spectrum of Bahcall (choice E8). Fluxes at the Earth (choice D22): 8B at the reference flux of the fit, 5.25e6
cm^-2 s^-1 (SNO, the flux the 2024 light-DM model normalises its 8B prior to), read from
``data/xenonnt-8b/parameters.toml``; hep at its B16-GS98 flux (:func:`cevns_lib.sources.solar.solar_flux`, choice
E12), fixed in every fit.

For the electromagnetic parameters each component is also split into the parts that reach the detector
(:func:`decomposed_components`, :func:`cevns_lib.sources.solar.decompose`, adiabatic MSW in the production region,
choice E10): by flavour, "8B nu_e", "8B nu_mu", "8B nu_tau" (flavour moments, millicharges, charge radii), and by
mass state, "8B nu_1", "8B nu_2", "8B nu_3" (the transition moments |Lambda_i|). Each part has its own spectrum
lambda(E) P_s(E) / <P_s> and flux Phi <P_s>, so the energy dependence of the conversion is weighted by the
detector's response when the parts are folded (:mod:`.signal`).
"""

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from ...physics.mixing import DE_SALAS_2018_NO
from ...sources import solar as solar_source
from ...sources.components import Component
from .release import release_parameters

__all__ = ["SolarSpectra", "solar_spectra", "decomposed_components", "flavour_components", "mass_state_components",
           "FLAVOUR_STATES", "MASS_STATES"]

#: The flavour parts of a component: "<component> nu_e", "<component> nu_mu", "<component> nu_tau".
FLAVOUR_STATES = solar_source.FLAVOUR_STATES
#: The mass-state parts of a component: "<component> nu_1", ... (produced as nu_e).
MASS_STATES = solar_source.MASS_STATES


@dataclass(frozen=True)
class SolarSpectra:
    """The solar components for :func:`.signal.nr_basis`: {name: (spectrum, flux_cm2_s, antineutrino)} (read-only),
    and a one-line ``description`` of where each spectrum and flux come from."""

    components: MappingProxyType
    description: str


@lru_cache(maxsize=1)
def solar_spectra():
    """The 8B and hep components (:class:`SolarSpectra`) of :mod:`cevns_lib.sources.solar`, at the fluxes of the fit
    (8B at the SNO reference flux of parameters.toml, hep at B16-GS98). Cached."""
    flux_8b = float(release_parameters().fact("flux_8B_reference_cm2_s"))
    hep = solar_source.solar_flux("hep")
    b8_spec, hep_spec = solar_source.b8_spectrum(), solar_source.hep_spectrum()
    comps = MappingProxyType({"8B": (b8_spec, flux_8b, False), "hep": (hep_spec, hep.flux_cm2_s, False)})
    description = (f"{b8_spec.name} at {flux_8b:.4g} cm^-2 s^-1; {hep_spec.name} at {hep.flux_cm2_s:.4g} cm^-2 s^-1 "
                   f"({hep.source})")
    return SolarSpectra(comps, description)


def _check(spectra):
    if not isinstance(spectra, SolarSpectra):
        raise TypeError(f"spectra must be a SolarSpectra (see cevns_lib.datasets.xenonnt.solar), got {spectra!r}")
    return [c for c in spectra.components if c in solar_source.COMPONENTS]


def decomposed_components(spectra, params=DE_SALAS_2018_NO):
    """The flavour and mass-state parts of the components of ``spectra`` (a :class:`SolarSpectra`) that belong to the
    solar model ("8B", "hep"): {"8B nu_e": (spectrum, flux_cm2_s, False), ..., "8B nu_1": ..., ...}, read-only, in
    the form of :attr:`SolarSpectra.components`. The flavour parts add up to the component, and so do the mass-state
    parts (shares of :func:`cevns_lib.sources.solar.decompose`, mixing ``params``)."""
    out = {}
    for c in _check(spectra):
        spectrum, flux, anti = spectra.components[c]
        d = solar_source.decompose(spectrum, c, params, name=c)
        for state, (share, part) in d.flavours.items():
            out[f"{c} {state}"] = (part, flux * share, anti)
        for state, (share, part) in d.mass_states.items():
            out[f"{c} nu_{state}"] = (part, flux * share, anti)
    return MappingProxyType(out)


def flavour_components(spectra):
    """The flavour parts as :class:`cevns_lib.sources.Component` objects ("8B nu_e", species "nu_e", ...)."""
    return tuple(Component(f"{c} {s}", s) for c in _check(spectra) for s in FLAVOUR_STATES)


def mass_state_components(spectra):
    """The mass-state parts as :class:`cevns_lib.sources.Component` objects ("8B nu_2", produced as nu_e, mass state
    2, ...): what the transition moments couple to."""
    return tuple(Component(f"{c} nu_{j}", "nu_e", mass_state=j) for c in _check(spectra) for j in MASS_STATES)
