"""Neutrino sources of the layered library: spectra, fluxes and the flavour content at the detector.

Modules: :mod:`cevns_lib.sources.solar` (solar 8B and hep neutrinos, the standard solar model and MSW conversion).
"""

__all__ = []
