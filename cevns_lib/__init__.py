"""cevns_lib: coherent elastic neutrino-nucleus scattering (CEvNS) and neutrino electromagnetic properties.

Reproduces O. G. Miranda, D. K. Papoulias, M. Tortola, J. W. F. Valle, "Probing neutrino transition
magnetic moments with coherent elastic neutrino-nucleus scattering", JHEP 07 (2019) 103,
arXiv:1905.03750, and the tensor non-standard interaction study of D. K. Papoulias and
T. S. Kosmas (HNPS 2015 proceedings).

Units, everywhere in the package:

* neutrino energies and masses in MeV; nuclear recoil energies T_N in keV (nuclear recoil, keVnr,
  unless a name says ``ee``);
* differential cross sections in cm^2 per keV of recoil; fluxes in cm^-2 s^-1, fluences in cm^-2;
* magnetic moments in Bohr magnetons mu_B; limits on |Lambda_i| in units of 1e-10 mu_B.

Modules, one physics concept each:

================  =====================================================================
constants         physical constants (scipy.constants / PDG)
mixing            PDG mixing matrix and the oscillation inputs
moments           effective magnetic moments, eqs. (1)-(19), (37)-(39)
nuclei            isotopes, detector materials (any formula, isotope or composition), targets (eq. 32)
form_factors      symmetrized Fermi (eqs. 23-24), Helm, Klein-Nystrand, with rms radii
physics           the physics model: couplings, kinematics, form factors, nuclear masses
cross_sections    SM (eqs. 20-22), magnetic-moment (eq. 25) and total (eq. 26) cross sections
em_properties     flavour magnetic moments, millicharges, charge radii: their cross-section terms
quenching         Lindhard (eq. 27) and other quenching models, keVee <-> keVnr
detector          efficiencies (COHERENT CsI eqs. 29-31, flat, tabulated) and energy resolution
fluxes            SNS decay-at-rest spectra (eq. 28), reactor and tabulated spectra, flux components
experiment_files  the experiment-file schema and its validation (data/experiments/)
experiments       experiments as data: Table 1 setups and any user file
rates             event numbers (eq. 33): every term integrated once per experiment
statistics        chi-squares (eqs. 34-35), Delta chi^2 levels and limits on |Lambda_i|
em_limits         one-parameter limits on any electromagnetic parameter
limits            Table 2
regions           two-parameter regions and CP phases (Figures 4-7)
tensor_nsi        tensor non-standard interactions (second paper): tensor_cross_sections, tensor_moments,
                  tensor_events, tensor_limits
coherent          the released COHERENT data (CsI 2017, LAr 2020, CsI 2021): likelihoods, rate fits, limits
choices           the register of the choices the papers leave open (data/choices.toml)
data, cli         the data folder; the ``cevns`` command
================  =====================================================================
"""

__version__ = "0.1.0"
