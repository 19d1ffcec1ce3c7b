"""cevns_lib: coherent elastic neutrino-nucleus scattering (CEvNS) and neutrino electromagnetic properties.

Reproduces O. G. Miranda, D. K. Papoulias, M. Tortola, J. W. F. Valle, "Probing neutrino transition
magnetic moments with coherent elastic neutrino-nucleus scattering", JHEP 07 (2019) 103,
arXiv:1905.03750, and the tensor non-standard interaction study of D. K. Papoulias and
T. S. Kosmas (HNPS 2015 proceedings), and analyses the data released since: COHERENT (CsI, argon) and
the solar 8B neutrinos seen by XENONnT.

Start here (these names are importable from the package root)::

    from cevns_lib import get_experiment, load_experiment, event_yields, parameter_limit

    exp = get_experiment("CONUS+")              # or load_experiment("my-detector.toml")
    print(event_yields(exp).n_sm_total)          # Standard-Model events over the whole exposure
    print(parameter_limit(exp, "mu_nue"))        # 90% C.L. limit on the nu_e magnetic moment

Units, everywhere in the package:

* neutrino energies and masses in MeV; nuclear recoil energies T_N in keV (nuclear recoil, keVnr,
  unless a name says ``ee``);
* differential cross sections in cm^2 per keV of recoil; fluxes in cm^-2 s^-1, fluences in cm^-2;
* magnetic moments in Bohr magnetons mu_B; limits on moments in units of 1e-10 mu_B, millicharges in e,
  charge radii in cm^2.

The layers, each a folder; a layer imports only the layers below it (checked by import-linter, see
``pyproject.toml``):

=============  ============================================================================================
cli            the ``cevns`` command
presentation   tables and figures for the book and the command line
papers         miranda2019 (Table 2 of arXiv:1905.03750), tensor_nsi (Papoulias & Kosmas)
datasets       released data and their likelihoods: coherent (CsI 2017, LAr 2020, CsI 2021), xenonnt (solar 8B,
               SR0+SR1 and SR0-SR2), combined (combinations across families)
statistics     confidence levels, chi-squares, likelihoods, limits, regions, luminosity scaling, toys
engine         event numbers: every term of the cross section integrated once per experiment
experiment     the frozen Experiment, the experiment-file reader, the shipped experiments
detector       quenching, efficiencies, energy resolution
sources        flux components, spectra, the SNS, reactors, the Sun (8B and hep spectra, solar model, MSW
               conversion into flavour and mass-state parts)
physics        mixing, effective moments, nuclei, form factors, the physics model, cross sections,
               electromagnetic-property terms
base           choices (the register of choices), data (the data folder), quadrature, validation, constants
=============  ============================================================================================
"""

import importlib

__version__ = "0.2.0"

#: The objects a user starts from, and where they live (imported on first use, so that the command line
#: starts fast).
_PUBLIC = {
    "Experiment": "cevns_lib.experiment",
    "load_experiment": "cevns_lib.experiment",
    "get_experiment": "cevns_lib.experiment",
    "get_setup": "cevns_lib.experiment",
    "all_setups": "cevns_lib.experiment",
    "PhysicsModel": "cevns_lib.physics",
    "event_yields": "cevns_lib.engine",
    "EventYields": "cevns_lib.engine",
    "parameter_limit": "cevns_lib.statistics",
    "Limit": "cevns_lib.statistics",
    "table2": "cevns_lib.papers.miranda2019",
    "DataError": "cevns_lib.data",
    "DataNotFoundError": "cevns_lib.data",
    "DataFormatError": "cevns_lib.data",
}
#: Sub-packages offered as attributes of the root.
_MODULES = {"coherent": "cevns_lib.datasets.coherent", "xenonnt": "cevns_lib.datasets.xenonnt"}

__all__ = ["__version__", *_PUBLIC, *_MODULES]


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
    elif name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    else:
        raise AttributeError(f"module 'cevns_lib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
