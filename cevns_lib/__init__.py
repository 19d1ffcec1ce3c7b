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
nuclei            isotopes, detector materials, number of targets (eq. 32)
form_factors      symmetrized Fermi (eqs. 23-24), Helm, Klein-Nystrand
cross_sections    SM (eqs. 20-22), magnetic-moment (eq. 25) and total (eq. 26) cross sections
quenching         Lindhard factor (eq. 27), keVee <-> keVnr
detector          COHERENT CsI photoelectrons and efficiency (eqs. 29-31), flat efficiencies
fluxes            SNS decay-at-rest spectra (eq. 28), reactor antineutrino spectrum
experiments       experiments as data: Table 1 setups and any user file (data/experiments/)
rates             event numbers (eq. 33), computed once per setup
statistics        chi-squares (eqs. 34-35) and limits
limits            Table 2
regions           two-parameter regions and CP phases (Figures 4-7)
tensor_nsi        tensor non-standard interactions (second paper)
coherent          the released COHERENT data (CsI 2017, LAr 2020, CsI 2021): likelihoods, rate fits, limits
================  =====================================================================
"""

__version__ = "0.1.0"
